"""Paging through the `sla_due` sort, whatever the page size, yields every conversation exactly
once and in the documented order: soonest due first, then the ones with no running clock, most
recently active first. Due moments and activity are drawn from a few instants so that ties
(equal dues, equal activity, both) are common, which is where keyset cursors go wrong."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from accord.core.principal import Role, staff
from accord.db.engine import Database
from accord.inbox.models import Conversation, Customer
from accord.inbox.queries import ConversationFilter, list_conversations
from tests.world import World

BASE = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)  # a DST night in Europe: UTC must not care
Row = tuple[int | None, int]  # (due in minutes after BASE or None, activity in minutes)
ROWS = st.lists(st.tuples(st.none() | st.integers(0, 3), st.integers(0, 3)), max_size=30)


def _insert(s: Session, rows: list[Row]) -> tuple[int, dict[int, Row]]:
    customer = Customer(name="Paged", tier="standard", blocked=False, created_at=BASE)
    s.add(customer)
    s.flush()
    made = {}
    for due, active in rows:
        at = BASE + timedelta(minutes=active)
        conversation = Conversation(
            channel="api",
            subject="Paged",
            status="open",
            priority="normal",
            customer_id=customer.id,
            created_at=BASE,
            updated_at=at,
            last_message_at=at,
            sla_due_at=None if due is None else BASE + timedelta(minutes=due),
        )
        s.add(conversation)
        s.flush()
        made[conversation.id] = (due, active)
    return customer.id, made


def _expected(made: dict[int, Row]) -> list[int]:
    def key(cid: int) -> tuple[bool, int, int, int]:
        due, active = made[cid]
        return (due is None, due or 0, -active, -cid)

    return sorted(made, key=key)


@settings(
    max_examples=40,
    deadline=None,
    # Each example rolls its rows back, so the shared database is the same for every one.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(rows=ROWS, limit=st.integers(1, 7))
def test_paging_the_sla_sort_yields_every_conversation_once_in_order(
    db: Database, world: World, rows: list[Row], limit: int
) -> None:
    actor = staff(world.users["admin"], Role.ADMIN)
    s = db.writer()
    try:
        customer, made = _insert(s, rows)
        only = ConversationFilter(customer_id=customer)
        seen: list[int] = []
        cursor: str | None = None
        for _ in range(len(rows) + 1):
            page, cursor = list_conversations(
                s, actor, filters=only, sort="sla_due", cursor=cursor, limit=limit
            )
            assert len(page) <= limit
            seen += [c.id for c in page]
            if cursor is None:
                break
        assert cursor is None
        assert seen == _expected(made)
    finally:
        s.rollback()
        s.close()
