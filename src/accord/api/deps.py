"""Request-scoped dependencies: the database and the acting principal.

A principal comes from `Authorization: Bearer TOKEN` or from the session cookie. Cookie
requests that change state must also carry the session's CSRF token in `X-CSRF-Token`;
bearer requests need not, because browsers never attach bearer tokens by themselves.
"""

from __future__ import annotations

import hmac
import re
from typing import Annotated

from fastapi import Depends, Request

from accord.core.errors import BadRequest, CsrfFailed, NotAuthenticated
from accord.core.principal import Principal
from accord.db.engine import Database
from accord.http import CSRF_HEADER as CSRF_HEADER
from accord.http import SAFE_METHODS as SAFE_METHODS
from accord.http import SESSION_COOKIE as SESSION_COOKIE

# Re-exported for the shell's routes; declared once, in accord.http.
from accord.http import AppSettings as AppSettings
from accord.http import Db as Db
from accord.http import get_db as get_db
from accord.http import live_session

# Any bearer credential, staff or customer: a customer's standing is the inbox's to check.
from accord.inbox.customer_codes import principal_for_token

_ETAG = re.compile(r"[0-9]{1,18}")


def optional_actor(request: Request, db: Db) -> Principal | None:
    header = request.headers.get("authorization")
    if header is not None:
        request.state.actor = principal = _bearer_principal(db, header)
        return principal
    found = live_session(request, db)
    if found is None:
        return None
    principal, csrf = found.principal, found.csrf
    request.state.actor = principal  # for the log line of a refusal (accord.api.problems)
    if request.method not in SAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER, "")
        if not hmac.compare_digest(sent.encode(), csrf.encode()):
            raise CsrfFailed("send the session's CSRF token in the X-CSRF-Token header")
    return principal


def _bearer_principal(db: Database, header: str) -> Principal:
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthenticated("use 'Authorization: Bearer TOKEN'")
    with db.read() as session:
        principal = principal_for_token(session, token.strip())
    if principal is None:
        raise NotAuthenticated("the token is invalid, expired or revoked")
    return principal


def presented_credential(request: Request) -> str | None:
    """The secret this request signed in with, as `optional_actor` reads it: the bearer token
    when there is an Authorization header, else the session cookie."""
    header = request.headers.get("authorization")
    if header is not None:
        scheme, _, token = header.partition(" ")
        return (token.strip() or None) if scheme.lower() == "bearer" else None
    return SESSION_COOKIE.read(request) or None


def required_actor(actor: Annotated[Principal | None, Depends(optional_actor)]) -> Principal:
    if actor is None:
        raise NotAuthenticated("log in or send 'Authorization: Bearer TOKEN'")
    return actor


Actor = Annotated[Principal, Depends(required_actor)]
MaybeActor = Annotated[Principal | None, Depends(optional_actor)]


def parse_if_match(value: str | None) -> int | None:
    """`"3"`, `W/"3"` or `3` -> 3; `*` or absent -> None (no precondition)."""
    if value is None or value.strip() == "*":
        return None
    tag = value.strip().removeprefix("W/").strip('"')
    # ASCII digits only: str.isdigit() also accepts '¹' and friends, which int() refuses.
    if not _ETAG.fullmatch(tag):
        raise BadRequest('If-Match must be an ETag such as "3"')
    return int(tag)


def etag(version: int) -> str:
    return f'"{version}"'
