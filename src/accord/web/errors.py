"""Errors on web routes become pages (or, for htmx swaps, a message in the page's alert area)
instead of the API's problem+json; logged-out browsers are sent to the login page."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any
from urllib.parse import quote

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse
from fastapi.routing import APIRoute
from pydantic import ValidationError

from accord.core.errors import AccordError, NotAuthenticated
from accord.core.logs import log_refusal
from accord.http import client_address
from accord.web.render import blocks, is_fragment, page

Handler = Callable[[Request], Coroutine[Any, Any, Response]]


class CustomerSignedOut(NotAuthenticated):
    """The portal's guard: answered by sending the browser to the portal's own sign-in."""


def login_redirect(request: Request, login: str = "/login") -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    location = f"{login}?next={quote(target, safe='')}"
    if request.headers.get("hx-request") == "true":
        return Response(status_code=401, headers={"HX-Redirect": location})
    if request.method in ("GET", "HEAD"):
        return RedirectResponse(location, status_code=303)
    return error_response(request, 401, "Log in again", "Your session has ended.")


def error_response(request: Request, status: int, title: str, detail: str) -> Response:
    context = {"title": title, "detail": detail, "status": status, "viewer": None}
    if is_fragment(request):
        response = blocks(request, "error.html", ["alert"], context, status_code=status)
        response.headers["HX-Retarget"] = "#alerts"
        response.headers["HX-Reswap"] = "innerHTML"
        return response
    return page(request, "error.html", context, status_code=status)


def _refused(request: Request, code: str) -> None:
    address = client_address(request)
    actor = getattr(request.state, "actor", None)
    log_refusal(code, method=request.method, path=request.url.path, address=address, actor=actor)


class WebRoute(APIRoute):
    """Route class of every web router: domain errors render as HTML for people."""

    def get_route_handler(self) -> Handler:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except CustomerSignedOut:
                return login_redirect(request, "/portal/login")
            except NotAuthenticated:
                return login_redirect(request)
            except AccordError as exc:
                _refused(request, exc.code)
                return error_response(request, exc.status, exc.title, exc.detail)
            except (RequestValidationError, ValidationError) as exc:
                _refused(request, "validation_failed")
                fields = ", ".join(str((e.get("loc") or ("form",))[-1]) for e in exc.errors()[:5])
                detail = f"Please check: {fields}."
                return error_response(request, 422, "The form is not valid", detail)

        return handle
