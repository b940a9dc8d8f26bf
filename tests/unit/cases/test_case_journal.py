"""The case journal against a real database: a case event and its audit record are written
together, with the actor, kinds, data and times each site asks for, and stored by one
transaction (an audit record that cannot be stored takes the case event with it)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.exc import StatementError
from tests.world import World

from accord.audit.models import Event
from accord.cases import journal
from accord.cases.models import CaseEvent
from accord.core.clock import FixedClock
from accord.core.principal import SYSTEM, Role, staff
from accord.db.engine import Database


def _rows(db: Database, conversation_id: int) -> tuple[list[CaseEvent], list[Event]]:
    with db.read() as s:
        events = list(
            s.scalars(
                select(CaseEvent).where(
                    CaseEvent.conversation_id == conversation_id,
                    CaseEvent.kind.like("journal.%"),
                )
            )
        )
        audit = list(
            s.scalars(
                select(Event).where(
                    Event.conversation_id == conversation_id, Event.kind.like("journal.%")
                )
            )
        )
        s.expunge_all()
    return events, audit


def test_writes_the_case_event_and_its_audit_record(
    db: Database, world: World, clock: FixedClock
) -> None:
    supervisor = staff(world.users["supervisor"], Role.SUPERVISOR)
    with db.write() as s:
        journal.write(
            s,
            conversation_id=world.conv_a,
            kind="journal.test",
            data={"user_id": 7},
            actor=supervisor,
            audit="journal.tested",
            audit_data={"user_id": 7, "override": True},
            once_key="journal:1",
        )
    [event], [audit] = _rows(db, world.conv_a)
    assert (event.kind, event.once_key, event.data) == ("journal.test", "journal:1", {"user_id": 7})
    assert event.actor_user_id == world.users["supervisor"]
    assert event.created_at == clock.now()
    assert (audit.kind, audit.data) == ("journal.tested", {"user_id": 7, "override": True})
    assert (audit.actor_user_id, audit.actor_customer_id) == (world.users["supervisor"], None)
    assert audit.created_at == clock.now()


def test_the_audit_record_defaults_to_the_event_data_and_time_to_now(
    db: Database, world: World, clock: FixedClock
) -> None:
    due = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    with db.write() as s:
        journal.write(
            s,
            conversation_id=world.conv_a,
            kind="journal.breach",
            data={"check": "breach"},
            actor=SYSTEM,
            audit="journal.breach",
            at=due,
        )
    [event], [audit] = _rows(db, world.conv_a)
    assert (event.actor_user_id, event.once_key, event.created_at) == (None, None, due)
    assert (audit.kind, audit.data, audit.actor_user_id) == (
        "journal.breach",
        {"check": "breach"},
        None,
    )
    assert audit.created_at == clock.now()


def test_no_audit_record_when_the_caller_writes_its_own(db: Database, world: World) -> None:
    with db.write() as s:
        journal.write(
            s,
            conversation_id=world.conv_a,
            kind="journal.escalation",
            data={"rule": "r", "level": 1},
            actor=SYSTEM,
            audit=None,
        )
    events, audit = _rows(db, world.conv_a)
    assert [e.kind for e in events] == ["journal.escalation"]
    assert audit == []


def test_an_audit_record_that_cannot_be_stored_takes_the_case_event_with_it(
    db: Database, world: World
) -> None:
    # SQLAlchemy wraps the encoding error on SQLite; psycopg's JSON adapter raises it as is.
    with pytest.raises((StatementError, TypeError)), db.write() as s:
        journal.write(
            s,
            conversation_id=world.conv_a,
            kind="journal.test",
            data={"ok": True},
            actor=SYSTEM,
            audit="journal.tested",
            audit_data={"unstorable": object()},  # not JSON: the audit insert fails
        )
    assert _rows(db, world.conv_a) == ([], [])
