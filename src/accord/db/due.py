"""Rows that come due: the one way an outbox picks the rows whose time has come, claims them,
counts attempts, backs off after a failure and gives up.

An outbox table (webhook notifications, outgoing mail) has an integer `id`, `attempts`,
`last_error` and `next_attempt_at`; what else marks a row as still owed (not delivered, still
`pending`) is the table's own business, given here as conditions. A row is due while it is
owed, has attempts left and its `next_attempt_at` has come; due rows are taken oldest first.
A failed attempt is counted and the next one waits `accord.core.retry.backoff`; after
`max_attempts` attempts the row is given up (it is no longer due, whatever it says). The
attempt that succeeds is counted too.

Two ways to hold a row while it is worked on:
- `Queue.due` reads the due rows in the caller's write transaction and locks nothing: on SQLite
  a write transaction excludes every other writer, but on PostgreSQL two overlapping callers
  may both take a row (webhooks carry a stable delivery id so receivers drop the second);
- `Queue.claim` leases them in a short transaction of their own (`lease_until`, for work done
  outside any transaction, such as an SMTP conversation): the lease is taken by a conditional
  UPDATE, so of two workers that read the same row only one gets it, and a worker that dies
  leaves a lease that runs out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Generic, Protocol, TypeVar

from sqlalchemy import ColumnElement, Select, or_, select, update
from sqlalchemy.orm import Session

from accord.core.retry import backoff

# Attempts before a row is given up, unless a queue says otherwise: eight attempts are seven
# waits of 1, 2, 4 … 64 minutes, a little over two hours from the first to the last.
MAX_ATTEMPTS = 8
ERROR_LENGTH = 500


class Retried(Protocol):
    """What a row that is tried again later carries."""

    attempts: int
    last_error: str | None
    next_attempt_at: datetime


RowT = TypeVar("RowT", bound=Retried)


def exhausted(attempts: int, max_attempts: int = MAX_ATTEMPTS) -> bool:
    """Whether a row that has had `attempts` attempts has had all it gets."""
    return attempts >= max_attempts


def fail(row: Retried, error: str, now: datetime, max_attempts: int = MAX_ATTEMPTS) -> bool:
    """Count a failed attempt made at `now` and schedule the next one by the one backoff.
    True when that was the last attempt: the row is given up (its next attempt stays as it
    was) and the caller records that in its own terms, if it has any."""
    row.attempts += 1
    row.last_error = error[:ERROR_LENGTH]
    if exhausted(row.attempts, max_attempts):
        return True
    row.next_attempt_at = now + backoff(row.attempts)
    return False


def succeed(row: Retried) -> None:
    """Count the attempt that succeeded; the caller marks the row done in its own terms."""
    row.attempts += 1


@dataclass(frozen=True)
class Queue(Generic[RowT]):
    """One outbox table. `owed`: the conditions of a row still to do (not yet done, not
    given up in the table's own terms)."""

    model: type[RowT]
    owed: tuple[ColumnElement[bool], ...]
    max_attempts: int = MAX_ATTEMPTS

    def select_due(self, now: datetime, limit: int, *also: ColumnElement[bool]) -> Select[Any]:
        """The due rows' query, oldest first (`also`: more conditions)."""
        table: Any = self.model
        return (
            select(table)
            .where(*self._live(), *also, table.next_attempt_at <= now)
            .order_by(table.id)
            .limit(limit)
        )

    def due(self, session: Session, now: datetime, limit: int) -> Sequence[RowT]:
        """Up to `limit` due rows, oldest first."""
        return session.scalars(self.select_due(now, limit)).all()

    def claim(self, session: Session, now: datetime, lease: timedelta, limit: int) -> list[int]:
        """Lease up to `limit` due rows that nobody holds (the table has `lease_until`) until
        `now + lease`; returns the ids this caller now owns. Commit before working on them."""
        table: Any = self.model
        free = or_(table.lease_until.is_(None), table.lease_until < now)
        ids = session.scalars(self.select_due(now, limit, free).with_only_columns(table.id)).all()
        owned: list[int] = []
        for row_id in ids:
            # Re-checked by the UPDATE itself: a worker that leased the row since the read
            # above (PostgreSQL lets both read it) has moved `lease_until`, so this one matches
            # nothing.
            claimed = session.execute(
                update(table)
                .where(table.id == row_id, *self._live(), free)
                .values(lease_until=now + lease)
            )
            if claimed.rowcount == 1:  # type: ignore[attr-defined]
                owned.append(row_id)
        return owned

    def fail(self, row: RowT, error: str, now: datetime) -> bool:
        """`fail` with this queue's limit: True when the row is given up."""
        return fail(row, error, now, self.max_attempts)

    def _live(self) -> tuple[ColumnElement[bool], ...]:
        table: Any = self.model
        return (*self.owed, table.attempts < self.max_attempts)
