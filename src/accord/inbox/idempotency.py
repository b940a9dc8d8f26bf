"""Idempotency-Key handling for create requests: a retry with the same key and body returns the
first result; the same key with a different body is refused."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.core.clock import utcnow
from accord.core.errors import IdempotencyMismatch, ValidationFailed
from accord.core.principal import Principal
from accord.inbox.models import IdempotencyRecord

MAX_KEY_LENGTH = 255


def fingerprint(body: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


def check_key(key: str) -> str:
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise ValidationFailed("Idempotency-Key must be 1-255 printable characters")
    return key


def replayed(
    session: Session, actor: Principal, key: str, resource: str, request_hash: str
) -> int | None:
    """The id created earlier under this key, or None if the key is new."""
    row = session.scalars(
        select(IdempotencyRecord).where(
            IdempotencyRecord.principal == actor.key, IdempotencyRecord.key == key
        )
    ).first()
    if row is None:
        return None
    if row.request_hash != request_hash or row.resource != resource:
        raise IdempotencyMismatch(f"Idempotency-Key {key!r} was used for a different request")
    return row.resource_id


def remember(
    session: Session, actor: Principal, key: str, resource: str, request_hash: str, rid: int
) -> None:
    session.add(
        IdempotencyRecord(
            principal=actor.key,
            key=key,
            request_hash=request_hash,
            resource=resource,
            resource_id=rid,
            created_at=utcnow(),
        )
    )
