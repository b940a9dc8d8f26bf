"""HTTP plumbing shared by the two shells, the REST API and the web pages, which may not import
each other: one browser session (signing in, its cookie, its CSRF header, when it is still
live), the methods that change nothing, what a logout asks the browser to forget, the client's
address, and the running app's database and settings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Literal, Protocol

from fastapi import Depends, Request, Response
from fastapi.responses import FileResponse
from starlette.background import BackgroundTask

from accord.auth.schemas import UserOut
from accord.auth.service import (
    LiveSession,
    authenticate,
    open_web_session,
    resolve_web_session,
    touch_web_session,
)
from accord.auth.throttle import LoginThrottle
from accord.core.errors import NotAuthenticated
from accord.db.engine import Database
from accord.settings import Settings

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


def over_tls(request: Request) -> bool:
    """Whether the browser reached us over HTTPS: built-in TLS, a TLS proxy (ACCORD_TLS_PROXY or
    ACCORD_COOKIE_SECURE), or a request whose scheme the trusted proxy headers made https."""
    return get_settings(request).cookie_secure or request.url.scheme == "https"


@dataclass(frozen=True)
class Cookie:
    """One cookie of Accord's, always HttpOnly. Over HTTPS it is Secure and its name carries the
    prefix browsers enforce (ASVS 3.3.1): `__Host-` on path "/" (no Domain, so no sibling host
    can set or shadow it), `__Secure-` on a narrower path. It is read back under that same name
    only, so a cookie tossed in without the prefix is never taken for ours. Plain HTTP, allowed
    on loopback alone (accord.core.tls), uses the bare name without Secure: not every client
    keeps a Secure cookie from an http:// page, even on loopback."""

    name: str
    path: str
    samesite: Literal["lax", "strict"]

    def name_for(self, request: Request) -> str:
        if not over_tls(request):
            return self.name
        return ("__Host-" if self.path == "/" else "__Secure-") + self.name

    def read(self, request: Request) -> str:
        return request.cookies.get(self.name_for(request), "")

    def set(
        self, response: Response, request: Request, value: str, *, max_age: int | None = None
    ) -> None:
        response.set_cookie(
            self.name_for(request),
            value,
            max_age=max_age,
            path=self.path,
            secure=over_tls(request),
            httponly=True,
            samesite=self.samesite,
        )

    def delete(self, response: Response, request: Request) -> None:
        # The same attributes as when set: a browser ignores a prefixed deletion without Secure.
        response.delete_cookie(
            self.name_for(request),
            path=self.path,
            secure=over_tls(request),
            httponly=True,
            samesite=self.samesite,
        )


SESSION_COOKIE = Cookie("accord_session", path="/", samesite="lax")


def client_address(request: Request) -> str:
    """The peer's address, for the rate limits ("unknown" when the server cannot tell)."""
    return request.client.host if request.client else "unknown"


@dataclass(frozen=True)
class SignedIn:
    """A staff login: the new session's cookie secret and CSRF token, how long it lasts, who."""

    secret: str
    csrf: str
    ttl: timedelta
    user: UserOut


def sign_in(request: Request, db: Database, email: str, password: str) -> SignedIn:
    """Check a staff password, throttled per account and client address, and open a browser
    session labelled with the browser and address; the session the browser came with ends.
    Raises NotAuthenticated, or RateLimited once the throttle holds. The API's login and the
    login form both come here; each sets the cookie its own way."""
    throttle: LoginThrottle = request.app.state.login_throttle
    address = client_address(request)
    throttle.check(email, address)
    with db.write() as session:
        try:
            user = authenticate(session, email=email, password=password)
        except NotAuthenticated:
            throttle.failed(email, address)
            raise
        throttle.succeeded(email, address)
        ttl = timedelta(hours=get_settings(request).session_ttl_hours)
        secret, csrf = open_web_session(
            session,
            user,
            ttl,
            replacing=SESSION_COOKIE.read(request) or None,
            user_agent=request.headers.get("user-agent", ""),
            address=address,
        )
        return SignedIn(secret, csrf, ttl, UserOut.model_validate(user))


def live_session(request: Request, db: Database) -> LiveSession | None:
    """The browser session this request's cookie names, if still live (absolute lifetime,
    inactivity timeout, active user); its activity is written at most once a minute."""
    secret = SESSION_COOKIE.read(request)
    if not secret:
        return None
    idle = timedelta(minutes=get_settings(request).session_idle_minutes)
    with db.read() as session:
        found = resolve_web_session(session, secret, idle)
    if found is not None and found.touch_due:
        with db.write() as session:
            touch_web_session(session, found.session_id)
    return found


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
