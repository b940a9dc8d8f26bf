"""The stored SLA due moment against a real database (SQLite, and PostgreSQL when configured):
the inbox's SLA sort ranks every conversation by it, however old; waiting on the customer
clears it and resuming sets it again; a saved SLA policy, a rule that raises the priority and
the periodic tick keep it right; paging through the sort yields every conversation once."""

from __future__ import annotations

from datetime import datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session
from tests.world import World

from accord.cases.escalation.service import evaluate
from accord.cases.policies import service as policy_service
from accord.cases.service import ensure_case
from accord.cases.sla.due import due_moment
from accord.cases.sla.policy import SlaKind, TimerState
from accord.cases.sla.service import sla_timers
from accord.cases.sla.tick import run_tick
from accord.core.clock import FixedClock
from accord.core.principal import SYSTEM, Principal, Role, staff
from accord.db.engine import Database
from accord.inbox import service as inbox
from accord.inbox.models import Conversation, Direction, Status
from accord.inbox.readings import ConversationInsight
from accord.inbox.schemas import (
    ConversationCreate,
    ConversationUpdate,
    CustomerCreate,
    MessageCreate,
    MessageIn,
)
from accord.web.inbox_data import InboxQuery, load_inbox

# The shipped policy: one always-open calendar, 480 minutes to the first response.
FIRST_RESPONSE = timedelta(minutes=480)
SHORT_SLA = """
calendars:
  always:
    zone: UTC
    hours: {mon-sun: ["00:00-24:00"]}
default_calendar: always
warn_at_percent: 80
default_targets: {first_response: 30, next_response: 30, resolution: 600}
"""
URGENT_WHEN_WARM = """
rules:
  - name: warm-enough
    level: 1
    when: {min_heat: 30}
    actions: {raise_priority: urgent}
"""


def _admin(world: World) -> Principal:
    return staff(world.users["admin"], Role.ADMIN)


def _customer(s: Session, name: str = "Dana") -> int:
    data = CustomerCreate(name=name, email=f"{name.lower()}@customer.example")
    return inbox.create_customer(s, actor=SYSTEM, data=data).id


def _open(s: Session, customer: int, subject: str = "Order") -> int:
    data = ConversationCreate(
        subject=subject, customer_id=customer, message=MessageIn(text="Where is my order?")
    )
    return inbox.create_conversation(s, actor=SYSTEM, data=data)[0].id


def _set_status(db: Database, cid: int, status: Status) -> None:
    with db.write() as s:
        data = ConversationUpdate(status=status)
        inbox.update_conversation(s, actor=SYSTEM, conversation_id=cid, data=data)


def _due(db: Database, cid: int) -> datetime | None:
    with db.read() as s:
        return s.scalar(select(Conversation.sla_due_at).where(Conversation.id == cid))


def _live_due(db: Database, cid: int, now: datetime) -> datetime | None:
    with db.read() as s:
        conversation = s.get(Conversation, cid)
        assert conversation is not None
        return due_moment(sla_timers(s, conversation, now))


def test_an_overdue_conversation_older_than_200_others_comes_first(
    db: Database, world: World, clock: FixedClock
) -> None:
    with db.write() as s:
        customer = _customer(s)
        oldest = _open(s, customer, "The oldest")
    clock.advance(FIRST_RESPONSE + timedelta(hours=1))  # its first response is overdue now
    newer = []
    with db.write() as s:
        for n in range(205):
            newer.append(_open(s, customer, f"Newer {n}"))
            clock.advance(timedelta(seconds=1))
    with db.read() as s:
        first = load_inbox(s, _admin(world), InboxQuery(sort="sla"))
        assert first.rows[0].id == oldest
        assert first.rows[0].sla is not None and first.rows[0].sla.state == TimerState.BREACHED
        assert [r.id for r in first.rows[1:4]] == newer[:3]  # then the next due, in order
        seen = _every_page(s, _admin(world), first.next_cursor, [r.id for r in first.rows])
    assert sorted(seen) == sorted({oldest, *newer, world.conv_a, world.conv_b})
    assert len(seen) == len(set(seen))


def _every_page(s: Session, actor: Principal, cursor: str | None, seen: list[int]) -> list[int]:
    while cursor is not None:
        page = load_inbox(s, actor, InboxQuery(sort="sla", cursor=cursor))
        seen += [r.id for r in page.rows]
        cursor = page.next_cursor
    return seen


def test_waiting_on_the_customer_clears_the_due_moment_and_resuming_sets_it_again(
    db: Database, world: World, clock: FixedClock
) -> None:
    opened = clock.now()
    with db.write() as s:
        cid = _open(s, _customer(s))
    assert _due(db, cid) == opened + FIRST_RESPONSE
    clock.advance(timedelta(hours=1))
    _set_status(db, cid, Status.PENDING)
    assert _due(db, cid) is None
    clock.advance(timedelta(hours=2))
    _set_status(db, cid, Status.OPEN)
    assert _due(db, cid) == opened + FIRST_RESPONSE + timedelta(hours=2)  # the wait is not counted
    assert _due(db, cid) == _live_due(db, cid, clock.now())
    _set_status(db, cid, Status.PENDING)
    clock.advance(timedelta(hours=1))
    with db.write() as s:  # the customer answers: the conversation reopens, the clocks resume
        answer = MessageCreate(text="Here is the order number.", direction=Direction.INBOUND)
        inbox.add_message(s, actor=SYSTEM, conversation_id=cid, data=answer)
    assert _due(db, cid) == opened + FIRST_RESPONSE + timedelta(hours=3)
    _set_status(db, cid, Status.RESOLVED)
    assert _due(db, cid) is None


def test_an_agent_reply_moves_the_due_moment_to_the_next_timer(
    db: Database, world: World, clock: FixedClock
) -> None:
    with db.write() as s:
        cid = _open(s, _customer(s))
    clock.advance(timedelta(minutes=10))
    agent = staff(world.users["admin"], Role.ADMIN)
    with db.write() as s:
        reply = MessageCreate(text="Sorry about that, I am checking it now.")
        inbox.add_message(s, actor=agent, conversation_id=cid, data=reply)
    assert _due(db, cid) == _live_due(db, cid, clock.now())
    with db.read() as s:
        conversation = s.get(Conversation, cid)
        assert conversation is not None
        timers = {t.kind: t for t in sla_timers(s, conversation, clock.now())}
    assert timers[SlaKind.FIRST_RESPONSE].state == TimerState.MET
    assert _due(db, cid) == timers[SlaKind.RESOLUTION].due_at  # nothing else runs


def test_a_saved_sla_policy_with_shorter_targets_moves_the_stored_due_moments(
    db: Database, world: World, clock: FixedClock
) -> None:
    opened = clock.now()
    with db.write() as s:
        customer = _customer(s)
        cid, done = _open(s, customer, "Open"), _open(s, customer, "Done")
    _set_status(db, done, Status.RESOLVED)
    assert _due(db, cid) == opened + FIRST_RESPONSE
    with db.write() as s:
        policy_service.save(s, actor=_admin(world), kind="sla", text=SHORT_SLA)
    assert _due(db, cid) == opened + timedelta(minutes=30)
    assert _due(db, done) is None
    assert _due(db, cid) == _live_due(db, cid, clock.now())


def test_a_rule_that_raises_the_priority_moves_the_due_moment(
    db: Database, world: World, clock: FixedClock
) -> None:
    opened = clock.now()
    with db.write() as s:
        cid = _open(s, _customer(s))
        policy_service.save(s, actor=_admin(world), kind="rules", text=URGENT_WHEN_WARM)
    with db.write() as s:
        insight = s.get(ConversationInsight, cid)
        conversation = s.get(Conversation, cid)
        assert insight is not None and conversation is not None
        insight.heat, insight.signals = 40.0, []
        assert evaluate(s, conversation, ensure_case(s, conversation)) == ["warm-enough"]
    assert _due(db, cid) == opened + timedelta(minutes=60)  # the shipped urgent target


def test_the_tick_stores_what_no_event_announced_without_bumping_the_version(
    db: Database, world: World, clock: FixedClock
) -> None:
    with db.write() as s:
        cid = _open(s, _customer(s))
    expected = _due(db, cid)
    with db.write() as s:  # as after the upgrade that adds the column
        s.execute(update(Conversation).where(Conversation.id == cid).values(sla_due_at=None))
        version = s.scalar(select(Conversation.version).where(Conversation.id == cid))
    with db.write() as s:
        run_tick(s, clock.now())
    assert expected is not None and _due(db, cid) == expected
    with db.read() as s:
        assert s.scalar(select(Conversation.version).where(Conversation.id == cid)) == version


def test_the_api_sorts_by_sla_due_with_a_cursor(
    client: TestClient, db: Database, world: World, clock: FixedClock
) -> None:
    with db.write() as s:
        customer = _customer(s)
        first = _open(s, customer, "First")
    clock.advance(timedelta(minutes=5))
    with db.write() as s:
        second = _open(s, customer, "Second")
    _set_status(db, first, Status.PENDING)  # no clock runs: it goes last
    auth = {"Authorization": f"Bearer {world.tokens['admin']}"}
    query: dict[str, str | int] = {"sort": "sla_due", "customer_id": customer, "limit": 1}
    page = client.get("/api/v1/conversations", params=query, headers=auth)
    assert page.status_code == 200, page.text
    assert [c["id"] for c in page.json()["items"]] == [second]
    cursor = page.json()["next_cursor"]
    page = client.get("/api/v1/conversations", params={**query, "cursor": cursor}, headers=auth)
    assert [c["id"] for c in page.json()["items"]] == [first]
    assert page.json()["next_cursor"] is None
