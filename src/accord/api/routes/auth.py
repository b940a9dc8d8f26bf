"""Login sessions for browsers, the current principal, and personal API tokens."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from fastapi import APIRouter, Request, Response, status
from pydantic import BaseModel

from accord.api.deps import SESSION_COOKIE, Actor, Db, presented_credential
from accord.auth import queries, service
from accord.auth.access import load_user
from accord.auth.schemas import (
    LoginIn,
    PasswordChange,
    SessionEnd,
    SessionOut,
    TokenCreate,
    TokenCreated,
    TokenOut,
    UserOut,
    WebSessionOut,
)
from accord.auth.secrets import digest
from accord.auth.throttle import LoginThrottle
from accord.core.errors import PermissionDenied
from accord.core.ids import IdParam
from accord.http import CLEAR_SITE_DATA, client_address, sign_in

router = APIRouter(tags=["auth"])


@router.post("/auth/login")
def login(body: LoginIn, request: Request, response: Response, db: Db) -> SessionOut:
    opened = sign_in(request, db, body.email, body.password)
    SESSION_COOKIE.set(response, request, opened.secret, max_age=int(opened.ttl.total_seconds()))
    return SessionOut(user=opened.user, csrf_token=opened.csrf)


@contextmanager
def _password_checked(request: Request, key: str) -> Iterator[None]:
    """Around a step that asks for the user's password again: a wrong one (PermissionDenied)
    counts against `key` from this address like a failed login, and the throttle holds."""
    throttle: LoginThrottle = request.app.state.login_throttle
    address = client_address(request)
    throttle.check(key, address)
    try:
        yield
    except PermissionDenied:
        throttle.failed(key, address)
        raise
    throttle.succeeded(key, address)


@router.post("/auth/logout", status_code=status.HTTP_204_NO_CONTENT)
def logout(request: Request, response: Response, _actor: Actor, db: Db) -> None:
    cookie = SESSION_COOKIE.read(request)
    if cookie:
        with db.write() as session:
            service.close_web_session(session, cookie)
    SESSION_COOKIE.delete(response, request)
    # What the browser kept of the session's pages goes too (no-store aside: back/forward).
    response.headers["Clear-Site-Data"] = CLEAR_SITE_DATA


@router.post("/auth/password", status_code=status.HTTP_204_NO_CONTENT)
def change_password(body: PasswordChange, request: Request, actor: Actor, db: Db) -> None:
    """Change your own password (staff): the current one and the new one. Every other session
    and token of yours ends; the one this request came with stays. Wrong current passwords
    are throttled like logins."""
    with _password_checked(request, f"password-change:{actor.user_id}"), db.write() as session:
        service.change_own_password(
            session,
            actor=actor,
            current_password=body.current_password,
            new_password=body.new_password,
            keep_credential=presented_credential(request),
        )


class SessionsEnded(BaseModel):
    ended: int


@router.get("/auth/sessions")
def list_sessions(request: Request, actor: Actor, db: Db) -> list[WebSessionOut]:
    """Your live browser sessions, the most recently active first; `current` marks the one
    this request came with."""
    secret = SESSION_COOKIE.read(request)
    current = digest(secret) if secret else ""
    with db.read() as session:
        rows = service.list_own_sessions(session, actor=actor)
        return [
            WebSessionOut.model_validate(row).model_copy(
                update={"current": row.session_hash == current}
            )
            for row in rows
        ]


@router.post("/auth/sessions/{session_id}/end", status_code=status.HTTP_204_NO_CONTENT)
def end_session(
    session_id: IdParam, body: SessionEnd, request: Request, actor: Actor, db: Db
) -> None:
    """End one of your browser sessions (a browser left signed in elsewhere), giving your
    password again. Wrong passwords are throttled like logins."""
    with _password_checked(request, f"session-end:{actor.user_id}"), db.write() as session:
        service.end_own_session(session, actor=actor, session_id=session_id, password=body.password)


@router.delete("/sessions")
def end_all_sessions(request: Request, actor: Actor, db: Db) -> SessionsEnded:
    """Admins: end every browser session of every user, except the one making the request.
    API tokens stay (revoke them one by one, or deactivate the user)."""
    with db.write() as session:
        keep = presented_credential(request)
        return SessionsEnded(ended=service.end_all_sessions(session, actor=actor, keep=keep))


class Me(BaseModel):
    kind: str
    user: UserOut | None = None
    customer_id: int | None = None


@router.get("/auth/me")
def me(actor: Actor, db: Db) -> Me:
    if actor.user_id is None:
        return Me(kind=actor.kind, customer_id=actor.customer_id)
    with db.read() as session:
        user = UserOut.model_validate(load_user(session, actor, actor.user_id))
    return Me(kind=actor.kind, user=user)


@router.get("/tokens")
def list_tokens(actor: Actor, db: Db) -> list[TokenOut]:
    with db.read() as session:
        return [TokenOut.model_validate(t) for t in queries.list_own_tokens(session, actor)]


@router.post("/tokens", status_code=status.HTTP_201_CREATED)
def create_token(body: TokenCreate, actor: Actor, db: Db) -> TokenCreated:
    if actor.user_id is None:
        raise PermissionDenied("only staff users have personal tokens")
    with db.write() as session:
        secret, row = service.issue_token(
            session,
            actor=actor,
            user_id=actor.user_id,
            name=body.name,
            expires_in_days=body.expires_in_days,
        )
        return TokenCreated(token=secret, **TokenOut.model_validate(row).model_dump())


@router.delete("/tokens/{token_id}")
def revoke_token(token_id: IdParam, actor: Actor, db: Db) -> TokenOut:
    with db.write() as session:
        return TokenOut.model_validate(
            service.revoke_token(session, actor=actor, token_id=token_id)
        )
