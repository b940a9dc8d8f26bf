"""Who is the customer behind a portal page or a widget request.

Customers sign in with the access code staff issue them (a customer API token, `POST
/api/v1/customers/{id}/tokens`):

- the portal exchanges the code for a server-side session (`accord.inbox.portal_sessions`): its
  HttpOnly, SameSite=Lax cookie holds the session's random id, never the code, and carries a
  CSRF token of its own. A revoked or expired code, or a blocked customer, signs it out at the
  next request; signing out deletes it;
- the widget sends the code as `Authorization: Bearer ...` from the company's page. No cookie
  is involved, so a cross-site request cannot borrow anyone's identity; CORS is open for the
  widget's endpoints only.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from accord.core.errors import CsrfFailed, NotAuthenticated, PermissionDenied
from accord.core.principal import Principal
from accord.http import Cookie
from accord.inbox import portal_sessions
from accord.inbox.customer_codes import principal_for_token
from accord.inbox.models import Customer as CustomerRow
from accord.web.errors import CustomerSignedOut
from accord.web.security import SAFE_METHODS, Db, check_origin, sent_csrf

PORTAL_COOKIE = Cookie("accord_portal", path="/portal", samesite="lax")
PORTAL_LOGIN_CSRF_COOKIE = Cookie("accord_portal_login", path="/portal/login", samesite="strict")


@dataclass(frozen=True)
class Customer:
    principal: Principal
    csrf: str
    name: str

    @property
    def id(self) -> int:
        assert self.principal.customer_id is not None
        return self.principal.customer_id


def _resolve(db: Db, code: str) -> tuple[Principal | None, str]:
    if not code or len(code) > 200:
        return None, ""
    with db.read() as session:
        principal = principal_for_token(session, code)
        if principal is None or principal.kind != "customer":
            return principal, ""
        row = session.get(CustomerRow, principal.customer_id)
        return (principal, row.name) if row is not None else (None, "")


def _portal_session(db: Db, secret: str) -> tuple[Principal, str, str] | None:
    """(customer, CSRF token, name) of the portal session whose id is `secret`."""
    if len(secret) > 200:
        return None
    with db.read() as session:
        found = portal_sessions.resolve(session, secret)
        if found is None:
            return None
        principal, csrf = found
        row = session.get(CustomerRow, principal.customer_id)
        return (principal, csrf, row.name) if row is not None else None


async def portal_customer(request: Request, db: Db) -> Customer:
    found = _portal_session(db, PORTAL_COOKIE.read(request))
    if found is None:
        raise CustomerSignedOut("sign in to see your requests")
    principal, csrf, name = found
    request.state.actor = principal
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
