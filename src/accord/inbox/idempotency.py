"""Idempotency-Key handling for create requests: a retry with the same key and body returns the
first result; the same key with a different body is refused. And replays of a message's
`external_id`, which may only ever hand back what the caller could read anyway."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.core.clock import utcnow
from accord.core.errors import Conflict, IdempotencyMismatch, ValidationFailed
from accord.core.principal import Principal
from accord.inbox.access import visible_directions
from accord.inbox.models import Direction, IdempotencyRecord, Message

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


def replayed_message(
    session: Session,
    actor: Principal,
    *,
    conversation_id: int,
    direction: Direction,
    external_id: str,
) -> Message | None:
    """The message stored earlier under `external_id` when this request repeats it: the same
    conversation, the same direction, one `actor` may read. None if the id is new.

    `external_id` is unique across all messages (email Message-IDs share the column), so a
    value held by anything else cannot be stored again; that clash is `external_id_taken`,
    which says nothing of what holds the id: not its conversation, direction or text.
    """
    existing = session.scalars(select(Message).where(Message.external_id == external_id)).first()
    if existing is None:
        return None
    if (
        existing.conversation_id != conversation_id
        or existing.direction != direction.value
        or existing.direction not in visible_directions(actor)
    ):
        raise external_id_taken(external_id)
    return existing


def external_id_taken(external_id: str) -> Conflict:
    return Conflict(f"external_id {external_id!r} is already in use")
