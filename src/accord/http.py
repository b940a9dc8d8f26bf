"""HTTP plumbing shared by the two shells, the REST API and the web pages, which may not import
each other: one browser session (its cookie, its CSRF header), the methods that change nothing,
what a logout asks the browser to forget, and the running app's database and settings."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from accord.db.engine import Database
from accord.settings import Settings

SESSION_COOKIE = "accord_session"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Sent on logout: the browser drops what it kept of the signed-in pages (cache, storage).
# Cookies are left to delete_cookie, so signing out of the portal keeps a staff session.
CLEAR_SITE_DATA = '"cache", "storage"'


def get_db(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


Db = Annotated[Database, Depends(get_db)]
AppSettings = Annotated[Settings, Depends(get_settings)]
