"""The whole server: the REST API under /api/v1 and the web interface at /.

The two shells are independent layers (neither may import the other), so they are put
together here, above both; `accord serve` and `make demo` run this factory.
"""

from __future__ import annotations

from fastapi import FastAPI

from accord.api.app import create_app as create_api_app
from accord.db.engine import Database
from accord.settings import Settings
from accord.web import install


def create_app(settings: Settings | None = None, database: Database | None = None) -> FastAPI:
    app = create_api_app(settings, database)
    install(app)
    return app
