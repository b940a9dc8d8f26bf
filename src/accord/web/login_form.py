"""Login forms of staff and customers: a double-submit token in a cookie scoped to the form's
path, so no other site can log a browser into an account of its choosing."""

from __future__ import annotations

import hmac
import secrets

from fastapi import Request, Response
from fastapi.responses import RedirectResponse

from accord.settings import Settings
from accord.web.render import page


def login_page(
    request: Request,
    *,
    template: str,
    cookie: str,
    path: str,
    target: str,
    error: str | None,
    status_code: int,
) -> Response:
    """The form with a fresh token, set as an HttpOnly cookie on the form's own path."""
    token = secrets.token_urlsafe(24)
    context = {"viewer": None, "next": target, "error": error, "login_csrf": token}
    response = page(request, template, context, status_code=status_code)
    settings: Settings = request.app.state.settings
    response.set_cookie(
        cookie,
        token,
        httponly=True,
        samesite="strict",
        secure=settings.cookie_secure,
        path=path,  # the form's own path: the token goes nowhere else
    )
    return response


def token_matches(request: Request, cookie: str, sent: str) -> bool:
    expected = request.cookies.get(cookie, "")
    return bool(expected) and hmac.compare_digest(expected.encode(), sent.encode())


def signed_in(
    request: Request,
    *,
    target: str,
    cookie: str,
    value: str,
    max_age: int,
    path: str,
    form_cookie: str,
    form_path: str,
) -> Response:
    """Redirect to `target` with the credential cookie set and the spent form token dropped."""
    settings: Settings = request.app.state.settings
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        cookie,
        value,
        max_age=max_age,
        httponly=True,
        samesite="lax",
        secure=settings.cookie_secure,
        path=path,
    )
    response.delete_cookie(form_cookie, path=form_path)
    return response
