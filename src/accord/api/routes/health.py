"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import text

from accord import __version__
from accord.api.deps import Db

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str
    database: str
    version: str


@router.get("/health")
def health(db: Db) -> Health:
    with db.read() as session:
        session.execute(text("SELECT 1"))
    return Health(status="ok", database=db.engine.dialect.name, version=__version__)
