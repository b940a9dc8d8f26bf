"""Login forms of staff and customers: a double-submit token in a cookie scoped to the form's
path, so no other site can log a browser into an account of its choosing."""

from __future__ import annotations

import hmac
import secrets

from fastapi import Request, Response
from fastapi.responses import RedirectResponse

from accord.http import Cookie
from accord.web.render import page


def login_page(
    request: Request,
    *,
    template: str,
    cookie: Cookie,
    target: str,
    error: str | None,
    status_code: int,
) -> Response:
    """The form with a fresh token, set as an HttpOnly cookie on the form's own path."""
    token = secrets.token_urlsafe(24)
    context = {"viewer": None, "next": target, "error": error, "login_csrf": token}
    response = page(request, template, context, status_code=status_code)
    cookie.set(response, request, token)  # on the form's own path: the token goes nowhere else
    return response


def token_matches(request: Request, cookie: Cookie, sent: str) -> bool:
    expected = cookie.read(request)
    return bool(expected) and hmac.compare_digest(expected.encode(), sent.encode())


def signed_in(
    request: Request,
    *,
    target: str,
    cookie: Cookie,
    value: str,
    max_age: int,
    form_cookie: Cookie,
) -> Response:
    """Redirect to `target` with the credential cookie set and the spent form token dropped."""
    response = RedirectResponse(target, status_code=303)
    cookie.set(response, request, value, max_age=max_age)
    form_cookie.delete(response, request)
    return response
