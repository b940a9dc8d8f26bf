"""Who is the customer behind a portal page or a widget request.

Customers sign in with the access code staff issue them (a customer API token, `POST
/api/v1/customers/{id}/tokens`); no table stores customer browser sessions, so:

- the portal keeps the code in an HttpOnly, SameSite=Lax cookie and resolves it on every
  request exactly like a bearer token (revoked, expired or blocked: signed out at once). Its
  CSRF token is an HMAC of the code, so it needs no storage and no other site can compute it;
- the widget sends the code as `Authorization: Bearer ...` from the company's page. No cookie
  is involved, so a cross-site request cannot borrow anyone's identity; CORS is open for the
  widget's endpoints only.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from accord.auth.service import principal_for_token
from accord.core.errors import CsrfFailed, NotAuthenticated, PermissionDenied
from accord.core.principal import Principal
from accord.inbox.models import Customer as CustomerRow
from accord.web.errors import CustomerSignedOut
from accord.web.security import SAFE_METHODS, Db, check_origin, sent_csrf

PORTAL_COOKIE = "accord_portal"
PORTAL_LOGIN_CSRF_COOKIE = "accord_portal_login"
_CSRF_PURPOSE = b"accord portal csrf v1"


@dataclass(frozen=True)
class Customer:
    principal: Principal
    csrf: str
    name: str

    @property
    def id(self) -> int:
        assert self.principal.customer_id is not None
        return self.principal.customer_id


def portal_csrf(code: str) -> str:
    return hmac.new(code.encode(), _CSRF_PURPOSE, hashlib.sha256).hexdigest()


def _resolve(db: Db, code: str) -> tuple[Principal | None, str]:
    if not code or len(code) > 200:
        return None, ""
    with db.read() as session:
        principal = principal_for_token(session, code)
        if principal is None or principal.kind != "customer":
            return principal, ""
        row = session.get(CustomerRow, principal.customer_id)
        return (principal, row.name) if row is not None else (None, "")


def resolve_code(db: Db, code: str) -> tuple[Principal, str] | None:
    """A customer's access code -> (principal, name); None for anything else (staff tokens
    included: staff use the staff login)."""
    principal, name = _resolve(db, code)
    if principal is None or principal.kind != "customer":
        return None
    return principal, name


async def portal_customer(request: Request, db: Db) -> Customer:
    code = request.cookies.get(PORTAL_COOKIE, "")
    found = resolve_code(db, code)
    if found is None:
        raise CustomerSignedOut("sign in to see your requests")
    principal, name = found
    request.state.actor = principal
    csrf = portal_csrf(code)
    if request.method not in SAFE_METHODS:
        check_origin(request)
        if not hmac.compare_digest((await sent_csrf(request)).encode(), csrf.encode()):
            raise CsrfFailed("the form is stale or did not come from this site; reload the page")
    return Customer(principal, csrf, name)


def widget_customer(request: Request, db: Db) -> Customer:
    scheme, _, code = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not code.strip():
        raise NotAuthenticated("send the customer's access code as a bearer token")
    principal, name = _resolve(db, code.strip())
    if principal is None:
        raise NotAuthenticated("the access code is not valid")
    request.state.actor = principal
    if principal.kind != "customer":
        raise PermissionDenied("the chat widget is for customers")
    return Customer(principal, "", name)


PortalCustomer = Annotated[Customer, Depends(portal_customer)]
WidgetCustomer = Annotated[Customer, Depends(widget_customer)]
