"""Rows that come due (`accord.db.due`) on a real database: which rows are due, in what order,
the failed attempt, giving up, the attempt that succeeds and the lease."""

from __future__ import annotations

import secrets
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from accord.cases.models import Notification
from accord.core.retry import backoff
from accord.db.due import MAX_ATTEMPTS, Queue, succeed
from accord.db.engine import Database
from accord.inbox.channels.email.models import OutboxMail, OutboxState
from tests.world import World

NOW = datetime(2030, 1, 1, 12, tzinfo=UTC)
LEASE = timedelta(minutes=5)
WEBHOOKS = Queue(Notification, owed=(Notification.delivered_at.is_(None),))
MAIL = Queue(OutboxMail, owed=(OutboxMail.state == OutboxState.PENDING.value,))


def _notification(db: Database, due_in: timedelta, **values: object) -> int:
    with db.write() as s:
        row = Notification(
            conversation_id=None,
            kind="test",
            payload={},
            created_at=NOW,
            next_attempt_at=NOW + due_in,
            attempts=0,
        )
        for name, value in values.items():
            setattr(row, name, value)
        s.add(row)
        s.flush()
        return row.id


def _mail(db: Database, world: World, due_in: timedelta = timedelta(0), **values: object) -> int:
    with db.write() as s:
        row = OutboxMail(
            conversation_id=world.conv_a,
            rfc_message_id=f"<{secrets.token_hex(8)}@test.example>",
            recipient="dana@customer.example",
            sender="support@test.example",
            raw="",
            state=OutboxState.PENDING.value,
            attempts=0,
            next_attempt_at=NOW + due_in,
            created_at=NOW,
        )
        for name, value in values.items():
            setattr(row, name, value)
        s.add(row)
        s.flush()
        return row.id


def _due_ids(db: Database, queue: Queue[Notification], limit: int = 100) -> list[int]:
    with db.read() as s:
        return [row.id for row in queue.due(s, NOW, limit)]


def test_due_rows_are_owed_with_attempts_left_and_their_time_come_oldest_first(
    db: Database,
) -> None:
    first = _notification(db, -timedelta(hours=1))
    on_the_dot = _notification(db, timedelta(0))
    _notification(db, timedelta(seconds=1))  # not yet
    _notification(db, -timedelta(hours=1), delivered_at=NOW)  # done
    given_up = _notification(db, -timedelta(hours=1), attempts=MAX_ATTEMPTS)
    last_chance = _notification(db, -timedelta(hours=2), attempts=MAX_ATTEMPTS - 1)
    assert _due_ids(db, WEBHOOKS) == [first, on_the_dot, last_chance]
    assert _due_ids(db, WEBHOOKS, limit=2) == [first, on_the_dot]
    # The limit is the queue's: with one attempt more, the row given up above is due again.
    more = Queue(Notification, owed=WEBHOOKS.owed, max_attempts=MAX_ATTEMPTS + 1)
    assert _due_ids(db, more) == [first, on_the_dot, given_up, last_chance]


def test_a_failed_attempt_backs_off_and_the_last_one_gives_the_row_up(db: Database) -> None:
    row_id = _notification(db, timedelta(0))
    queue = Queue(Notification, owed=WEBHOOKS.owed, max_attempts=3)
    at = NOW
    for attempt in (1, 2, 3):
        with db.write() as s:
            row = s.get_one(Notification, row_id)
            gave_up = queue.fail(row, "x" * 600, at)
            assert (row.attempts, gave_up) == (attempt, attempt == 3)
            assert row.last_error == "x" * 500
            if not gave_up:
                assert row.next_attempt_at == at + backoff(attempt)
                at = row.next_attempt_at
            else:
                assert row.next_attempt_at == at  # no next attempt is scheduled
        with db.read() as s:
            still_due = [r.id for r in queue.due(s, at + timedelta(days=1), 10)]
        assert still_due == ([] if attempt == 3 else [row_id])


def test_the_attempt_that_succeeds_is_counted(db: Database) -> None:
    row_id = _notification(db, timedelta(0), attempts=2)
    with db.write() as s:
        row = s.get_one(Notification, row_id)
        succeed(row)
        row.delivered_at = NOW
    with db.read() as s:
        assert s.get_one(Notification, row_id).attempts == 3
    assert _due_ids(db, WEBHOOKS) == []


def test_a_lease_is_taken_once_until_it_runs_out(db: Database, world: World) -> None:
    due = _mail(db, world)
    _mail(db, world, due_in=timedelta(hours=1))  # not yet
    _mail(db, world, state=OutboxState.SENT.value)  # done
    _mail(db, world, attempts=MAX_ATTEMPTS)  # given up (whatever its state says)
    with db.write() as s:
        assert MAIL.claim(s, NOW, LEASE, 50) == [due]
    with db.write() as s:
        assert MAIL.claim(s, NOW + LEASE, LEASE, 50) == []  # held to the end of the lease
    with db.write() as s:
        assert MAIL.claim(s, NOW + LEASE + timedelta(seconds=1), LEASE, 50) == [due]
    with db.read() as s:
        lease_until = s.scalar(select(OutboxMail.lease_until).where(OutboxMail.id == due))
    assert lease_until == NOW + LEASE + timedelta(seconds=1) + LEASE


def test_two_workers_never_lease_the_same_row(db: Database, world: World) -> None:
    """The second worker reads while the first has leased but not committed: on PostgreSQL it
    sees the row free and its UPDATE waits for the first, then matches nothing; on SQLite its
    write transaction waits for the first to end."""
    ids = [_mail(db, world) for _ in range(3)]
    leased = threading.Event()

    def second() -> list[int]:
        leased.wait(10)
        with db.write() as s:
            return MAIL.claim(s, NOW, LEASE, 50)

    with ThreadPoolExecutor(1) as pool:
        later = pool.submit(second)
        with db.write() as s:
            assert MAIL.claim(s, NOW, LEASE, 50) == ids
            leased.set()
            time.sleep(0.5)  # the second worker is reading (PostgreSQL) or waiting (SQLite)
        assert later.result(timeout=30) == []
