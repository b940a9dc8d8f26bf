"""HTTP plumbing shared by the two shells, the REST API and the web pages, which may not import
each other: one browser session (its cookie, its CSRF header), the methods that change nothing,
what a logout asks the browser to forget, and the running app's database and settings."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Protocol

from fastapi import Depends, Request
from fastapi.responses import FileResponse
from starlette.background import BackgroundTask

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


class TemporaryFile(Protocol):
    """A file made for one download (a customer's export), deleted once it is sent."""

    @property
    def path(self) -> Path: ...
    @property
    def filename(self) -> str: ...
    @property
    def media_type(self) -> str: ...
    @property
    def headers(self) -> Mapping[str, str]: ...
    def discard(self) -> None: ...


def send_once(download: TemporaryFile) -> FileResponse:
    """The file as an attachment; it is deleted after the response has gone out."""
    return FileResponse(
        download.path,
        media_type=download.media_type,
        filename=download.filename,
        headers=dict(download.headers),
        background=BackgroundTask(download.discard),
    )
