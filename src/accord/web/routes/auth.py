"""Logging in and out of the web interface (the same session the API's cookie login opens)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse

from accord.auth import service
from accord.core.errors import NotAuthenticated, RateLimited
from accord.http import sign_in
from accord.web.errors import WebRoute
from accord.web.login_form import login_page, signed_in, token_matches
from accord.web.security import (
    CLEAR_SITE_DATA,
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    CurrentViewer,
    Db,
    check_origin,
    safe_next,
)

router = APIRouter(route_class=WebRoute, include_in_schema=False)


@router.get("/")
def home(request: Request) -> Response:
    target = "/inbox" if SESSION_COOKIE.read(request) else "/login"
    return RedirectResponse(target, status_code=303)


@router.get("/login")
def login_form(request: Request, next: str | None = None) -> Response:
    return _login_page(request, safe_next(next), error=None, status_code=200)


def _login_page(request: Request, target: str, error: str | None, status_code: int) -> Response:
    return login_page(
        request,
        template="login.html",
        cookie=LOGIN_CSRF_COOKIE,
        target=target,
        error=error,
        status_code=status_code,
    )


@router.post("/login")
def login(
    request: Request,
    db: Db,
    email: Annotated[str, Form(max_length=320)],
    password: Annotated[str, Form(max_length=1024)],
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/inbox",
) -> Response:
    check_origin(request)
    target = safe_next(next)
    if not token_matches(request, LOGIN_CSRF_COOKIE, csrf_token):
        return _login_page(request, target, "The form expired; please try again.", 400)
    try:
        opened = sign_in(request, db, email, password)
    except NotAuthenticated:
        return _login_page(request, target, "Wrong email or password.", 401)
    except RateLimited as exc:
        return _login_page(request, target, exc.detail, 429)
    return signed_in(
        request,
        target=target,
        cookie=SESSION_COOKIE,
        value=opened.secret,
        max_age=int(opened.ttl.total_seconds()),
        form_cookie=LOGIN_CSRF_COOKIE,
    )


@router.post("/logout")
def logout(request: Request, _viewer: CurrentViewer, db: Db) -> Response:
    cookie = SESSION_COOKIE.read(request)
    if cookie:
        with db.write() as session:
            service.close_web_session(session, cookie)
    response: Response = RedirectResponse("/login", status_code=303)
    if request.headers.get("hx-request") == "true":
        response = Response(status_code=204, headers={"HX-Redirect": "/login"})
    SESSION_COOKIE.delete(response, request)
    response.headers["Clear-Site-Data"] = CLEAR_SITE_DATA
    return response
