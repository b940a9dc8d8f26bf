"""The FastAPI application factory."""

from __future__ import annotations

from fastapi import FastAPI

from accord import __version__
from accord.api import openapi, problems
from accord.api.middleware import BodyLimit, NoNulInUrl, SecurityHeaders
from accord.api.routes import (
    auth,
    cases,
    coach,
    conversations,
    customers,
    health,
    mail,
    policies,
    privacy,
    staff,
)
from accord.auth.throttle import LoginThrottle
from accord.db.engine import Database
from accord.models import load_all_models
from accord.settings import Settings, get_settings

API_PREFIX = "/api/v1"
ROUTERS = (
    health.router,
    auth.router,
    staff.router,
    customers.router,
    conversations.router,
    cases.router,
    coach.router,
    mail.router,
    policies.router,
    privacy.router,
)


def create_app(settings: Settings | None = None, database: Database | None = None) -> FastAPI:
    """Build the app. Tests pass their own settings and database; `accord serve` does not."""
    settings = settings or get_settings()
    load_all_models()
    app = FastAPI(
        title="Accord",
        version=__version__,
        summary="Resolve customer conflicts: inbox, conflict analysis and guidance.",
        openapi_url=f"{API_PREFIX}/openapi.json",
        # The interactive docs pages load scripts from a CDN; the machine-readable spec is enough
        # offline and keeps the strict Content-Security-Policy intact.
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    # The domain services read the app's settings through the sessions of its database.
    app.state.db = (
        database.with_settings(settings)
        if database is not None
        else Database(settings.database_url, settings=settings)
    )
    app.state.login_throttle = LoginThrottle()
    problems.install(app)
    app.add_middleware(NoNulInUrl, prefix=f"{API_PREFIX}/")
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(SecurityHeaders)
    for router in ROUTERS:
        app.include_router(router, prefix=API_PREFIX)
    openapi.install(app)
    return app
