"""Customers' portal sessions (ASVS 5.0 7.2.2): signing in with an access code opens a
server-side session, and the browser keeps only that session's random id.

The code itself never sits in a cookie, so signing out ends the session for good (the id is
deleted) and a copied cookie is worth one session, not the code. A session lasts the
configured lifetime at most, and only while its code is valid: a revoked or expired code, or a
blocked customer, signs the portal out at the next request (`accord.inbox.customer_codes`).
The sessions' table is auth's (`accord.auth.models.PortalSession`, beside the staff's).
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from accord.auth.models import ApiToken, PortalSession
from accord.auth.secrets import digest
from accord.core.clock import utcnow
from accord.core.principal import Principal
from accord.inbox.customer_codes import token_principal


def open_session(
    session: Session, code: str, ttl: timedelta, replacing: str | None = None
) -> tuple[str, str, Principal] | None:
    """(cookie secret, CSRF token, customer) for a valid customer access code; None for any
    other code (staff tokens included: staff use the staff login). `replacing`: the session
    id the browser came with, ended by this sign-in."""
    token = session.scalars(select(ApiToken).where(ApiToken.token_hash == digest(code))).first()
    principal = token_principal(session, token, shown=code[:10])
    if token is None or principal is None or principal.kind != "customer":
        return None
    if replacing:
        close(session, replacing)
    secret, csrf, now = secrets.token_urlsafe(32), secrets.token_urlsafe(32), utcnow()
    session.add(
        PortalSession(
            session_hash=digest(secret),
            csrf_token=csrf,
            token_id=token.id,
            created_at=now,
            expires_at=now + ttl,
        )
    )
    return secret, csrf, principal


def resolve(session: Session, secret: str) -> tuple[Principal, str] | None:
    """(customer, CSRF token) of a live session; None when it is unknown, expired, or its code
    no longer lets the customer in."""
    if not secret:
        return None
    row = session.scalars(
        select(PortalSession).where(PortalSession.session_hash == digest(secret))
    ).first()
    if row is None or row.expires_at <= utcnow():
        return None
    token = session.get(ApiToken, row.token_id)
    principal = token_principal(session, token, shown=token.prefix if token else "")
    if principal is None or principal.kind != "customer":
        return None
    return principal, row.csrf_token


def close(session: Session, secret: str) -> None:
    session.execute(delete(PortalSession).where(PortalSession.session_hash == digest(secret)))
