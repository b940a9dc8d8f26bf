"""Two writers on one conversation, on real connections: one wins, the other is told, nothing
is lost. Runs on SQLite (BEGIN IMMEDIATE serialises) and PostgreSQL (row versions race)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from accord.core.errors import AccordError, PreconditionFailed, VersionConflict
from accord.core.principal import SYSTEM
from accord.db.engine import Database
from accord.inbox import service
from accord.inbox.models import Conversation, Message
from accord.inbox.schemas import ConversationUpdate, MessageCreate
from tests.world import World


def _version(db: Database, conversation_id: int) -> int:
    with db.read() as s:
        return s.scalars(
            select(Conversation.version).where(Conversation.id == conversation_id)
        ).one()


@pytest.mark.parametrize("via", ["if_match", "body"])
def test_two_updates_with_the_same_version_one_wins(db: Database, world: World, via: str) -> None:
    seen = _version(db, world.conv_a)
    barrier = threading.Barrier(2)

    def update(priority: str) -> str:
        barrier.wait()
        data = ConversationUpdate(priority=priority, version=seen if via == "body" else None)
        try:
            with db.write() as s:
                service.update_conversation(
                    s,
                    actor=SYSTEM,
                    conversation_id=world.conv_a,
                    data=data,
                    if_match=seen if via == "if_match" else None,
                )
            return "ok"
        except AccordError as exc:
            return type(exc).__name__

    with ThreadPoolExecutor(2) as pool:
        outcomes = sorted(pool.map(update, ["high", "urgent"]))
    # The loser is refused whichever check catches it: the version comparison (412 for If-Match,
    # 409 for the body field) or, when both read before either wrote, the versioned UPDATE (409).
    assert outcomes.count("ok") == 1
    assert set(outcomes) - {"ok"} <= {PreconditionFailed.__name__, VersionConflict.__name__}
    assert _version(db, world.conv_a) == seen + 1


def test_interleaved_sessions_detect_the_lost_update(db: Database, world: World) -> None:
    """Both read version N; the first commits; the second's UPDATE finds no row at N."""
    if db.is_sqlite:
        pytest.skip("SQLite write transactions start with BEGIN IMMEDIATE: they cannot interleave")
    first, second = db.writer(), db.writer()
    try:
        a = first.get(Conversation, world.conv_a)
        b = second.get(Conversation, world.conv_a)
        assert a is not None and b is not None
        a.priority = "high"
        first.commit()
        b.priority = "low"
        with pytest.raises(Exception, match=r"(?i)stale|expected to update"):
            second.commit()
    finally:
        first.close()
        second.close()


def test_concurrent_messages_are_all_kept(db: Database, world: World) -> None:
    def post(i: int) -> None:
        with db.write() as s:
            service.add_message(
                s,
                actor=SYSTEM,
                conversation_id=world.conv_b,
                data=MessageCreate(text=f"parallel {i}", direction="inbound"),
            )

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(post, range(12)))
    with db.read() as s:
        texts = s.scalars(select(Message.text).where(Message.conversation_id == world.conv_b)).all()
    assert {f"parallel {i}" for i in range(12)} <= set(texts)


def test_the_same_external_id_twice_in_parallel_stores_one_message(
    db: Database, world: World
) -> None:
    barrier = threading.Barrier(2)

    def post(_: int) -> str:
        barrier.wait()
        data = MessageCreate(text="dup", direction="inbound", external_id="<same@mail.example>")
        try:
            with db.write() as s:
                _, created = service.add_message(
                    s, actor=SYSTEM, conversation_id=world.conv_a, data=data
                )
            return "created" if created else "replayed"
        except AccordError as exc:
            return exc.code

    with ThreadPoolExecutor(2) as pool:
        outcomes = sorted(pool.map(post, range(2)))
    assert outcomes[0] == "created" and outcomes[1] in ("conflict", "replayed")
    with db.read() as s:
        count = len(
            s.scalars(select(Message.id).where(Message.external_id == "<same@mail.example>")).all()
        )
    assert count == 1
