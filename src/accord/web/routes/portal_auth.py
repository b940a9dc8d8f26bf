"""Customers sign in to the portal with the access code staff issued them."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse

from accord.auth.throttle import LoginThrottle
from accord.core.errors import RateLimited
from accord.inbox import portal_sessions
from accord.settings import Settings
from accord.web.customer import (
    PORTAL_COOKIE,
    PORTAL_LOGIN_CSRF_COOKIE,
    PortalCustomer,
)
from accord.web.errors import WebRoute
from accord.web.login_form import login_page, signed_in, token_matches
from accord.web.security import CLEAR_SITE_DATA, Db, check_origin, client_address

router = APIRouter(route_class=WebRoute, include_in_schema=False)
THROTTLE_KEY = "portal-access-code"


def portal_next(value: str | None) -> str:
    """A local portal path only: never another site, never a staff page."""
    if not value or not value.startswith("/portal") or "\\" in value or "//" in value:
        return "/portal"
    return value


@router.get("/portal/login")
def portal_login_form(request: Request, next: str | None = None) -> Response:
    return _login_page(request, portal_next(next), None, 200)


def _login_page(request: Request, target: str, error: str | None, status_code: int) -> Response:
    return login_page(
        request,
        template="portal_login.html",
        cookie=PORTAL_LOGIN_CSRF_COOKIE,
        target=target,
        error=error,
        status_code=status_code,
    )


@router.post("/portal/login")
def portal_login(
    request: Request,
    db: Db,
    code: Annotated[str, Form(max_length=200)],
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/portal",
) -> Response:
    check_origin(request)
    target = portal_next(next)
    if not token_matches(request, PORTAL_LOGIN_CSRF_COOKIE, csrf_token):
        return _login_page(request, target, "The form expired; please try again.", 400)
    throttle: LoginThrottle = request.app.state.login_throttle
    address = client_address(request)
    try:
        throttle.check(THROTTLE_KEY, address)
    except RateLimited as exc:
        return _login_page(request, target, exc.detail, 429)
    settings: Settings = request.app.state.settings
    opened = None
    if len(code.strip()) <= 200:
        with db.write() as session:
            opened = portal_sessions.open_session(
                session,
                code.strip(),
                timedelta(hours=settings.session_ttl_hours),
                replacing=PORTAL_COOKIE.read(request) or None,
            )
    if opened is None:
        throttle.failed(THROTTLE_KEY, address)
        return _login_page(request, target, "That access code is not valid.", 401)
    throttle.succeeded(THROTTLE_KEY, address)
    return signed_in(
        request,
        target=target,
        cookie=PORTAL_COOKIE,
        value=opened[0],  # the session's id: the code itself never sits in a cookie
        max_age=settings.session_ttl_hours * 3600,
        form_cookie=PORTAL_LOGIN_CSRF_COOKIE,
    )


@router.post("/portal/logout")
def portal_logout(request: Request, _customer: PortalCustomer, db: Db) -> Response:
    with db.write() as session:  # ended for good: the cookie's id opens nothing any more
        portal_sessions.close(session, PORTAL_COOKIE.read(request))
    response = RedirectResponse("/portal/login", status_code=303)
    PORTAL_COOKIE.delete(response, request)
    response.headers["Clear-Site-Data"] = CLEAR_SITE_DATA
    return response
