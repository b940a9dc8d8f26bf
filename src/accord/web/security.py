"""Who is browsing, and the guards every page and action goes through.

The UI shares the API's browser session: the same HttpOnly, SameSite cookie and the same CSRF
token, so a browser logged in on one works on the other. Every state change must carry that
token, either in the `X-CSRF-Token` header (htmx sends it from `hx-headers:inherited` on
<body>) or in a `csrf_token` form field (plain forms), and must come from this origin.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends, Request

from accord.core.errors import CsrfFailed, NotAuthenticated
from accord.core.principal import Principal

# Re-exported for the shell's routes; declared once, in accord.http.
from accord.http import CLEAR_SITE_DATA as CLEAR_SITE_DATA
from accord.http import CSRF_HEADER as CSRF_HEADER
from accord.http import SAFE_METHODS as SAFE_METHODS
from accord.http import SESSION_COOKIE as SESSION_COOKIE
from accord.http import Cookie, live_session
from accord.http import Db as Db
from accord.http import client_address as client_address
from accord.http import get_db as get_db

LOGIN_CSRF_COOKIE = Cookie("accord_login_csrf", path="/login", samesite="strict")
CSRF_FIELD = "csrf_token"
# No inline script or style anywhere: every script and stylesheet is a file under /static.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)


@dataclass(frozen=True)
class Viewer:
    """The signed-in staff member behind a page."""

    principal: Principal
    csrf: str
    name: str
    email: str

    @property
    def is_supervisor(self) -> bool:
        return self.principal.sees_all_conversations


def check_origin(request: Request) -> None:
    """A state change from another origin is refused even before the token is looked at.

    An origin is scheme and host: a page on http://host is another origin to an app served on
    https://host (and the other way round). The app's scheme is the one the request came in on
    (behind a TLS proxy uvicorn takes it from X-Forwarded-Proto, see docs/web.md)."""
    origin = request.headers.get("origin") or request.headers.get("referer")
    if origin is None or origin == "null":  # privacy settings may hide it: the token decides
        return
    sent = urlsplit(origin)
    ours = (request.url.scheme, request.headers.get("host", ""))
    if (sent.scheme, sent.netloc) != ours:
        raise CsrfFailed("the request did not come from this site")


async def sent_csrf(request: Request) -> str:
    header = request.headers.get(CSRF_HEADER)
    if header is not None:
        return header
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        return value if isinstance(value, str) else ""
    return ""


async def viewer(request: Request, db: Db) -> Viewer:
    found = live_session(request, db)
    if found is None:
        raise NotAuthenticated("log in to continue")
    principal, csrf = found.principal, found.csrf
    request.state.actor = principal  # for the log line of a refusal (accord.web.errors)
    if request.method not in SAFE_METHODS:
        check_origin(request)
        if not hmac.compare_digest((await sent_csrf(request)).encode(), csrf.encode()):
            raise CsrfFailed("the form is stale or did not come from this site; reload the page")
    return Viewer(principal, csrf, found.name, found.email)


CurrentViewer = Annotated[Viewer, Depends(viewer)]


def safe_next(value: str | None) -> str:
    """Where to go after logging in: a local path only, never another site."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/inbox"
    return value
