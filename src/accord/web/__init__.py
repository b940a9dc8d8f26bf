"""The web interface: server-rendered pages (Jinja2 + htmx 4) over the same services and
queries as the REST API. `install(app)` adds its routes and static files to an app."""

from __future__ import annotations

from fastapi import FastAPI, Request, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from accord.web.cors import WidgetCors
from accord.web.errors import error_response
from accord.web.render import STATIC
from accord.web.routes import (
    access_code,
    admin,
    admin_customers,
    admin_policies,
    auth,
    coach,
    conversation,
    inbox,
    portal,
    portal_auth,
    supervisor,
    widget,
)
from accord.web.widget_limits import WidgetLimits

ROUTERS = (
    auth.router,
    inbox.router,
    conversation.router,
    access_code.router,
    coach.router,
    supervisor.router,
    portal_auth.router,
    portal.router,
    widget.router,
    admin.router,
    admin_customers.router,
    admin_policies.router,
)


def install(app: FastAPI) -> None:
    for router in ROUTERS:
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(WidgetCors)
    app.state.widget_limits = WidgetLimits.from_settings(app.state.settings)
    _pages_for_unknown_urls(app)


def _pages_for_unknown_urls(app: FastAPI) -> None:
    """A browser that asks for a page that does not exist gets a page; the API (and any
    client that does not ask for HTML) keeps its problem+json."""
    api_handler = app.exception_handlers.get(HTTPException)

    async def handle(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        wants_page = "text/html" in request.headers.get("accept", "")
        if exc.status_code == 404 and wants_page and not request.url.path.startswith("/api/"):
            return error_response(request, 404, "Not found", "There is no page at this address.")
        if api_handler is None:
            raise exc
        response: Response = await api_handler(request, exc)  # type: ignore[misc]
        return response

    app.add_exception_handler(HTTPException, handle)
