"""Case state for a conversation: which playbook guides it, how far it is escalated, and the
append-only case events (playbook steps, SLA checks fired, escalation rules applied)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from accord.db.base import Base, UTCDateTime


class Case(Base):
    __tablename__ = "cases"

    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), primary_key=True
    )
    playbook_id: Mapped[str] = mapped_column(String(64))
    escalation_level: Mapped[int] = mapped_column(Integer, default=0)
    abusive_messages: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CaseEvent(Base):
    """Never updated or deleted. `once_key` makes one-shot actions (an SLA breach alert, an
    escalation rule) idempotent: a second attempt hits the unique constraint."""

    __tablename__ = "case_events"
    __table_args__ = (UniqueConstraint("conversation_id", "once_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(64))
    once_key: Mapped[str | None] = mapped_column(String(200))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class TickState(Base):
    """When the periodic tick last ran, so each scheduled check fires exactly once."""

    __tablename__ = "tick_state"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    last_tick: Mapped[datetime] = mapped_column(UTCDateTime)


class Notification(Base):
    """An outbox row: a webhook notification waiting to be (re)delivered."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation_id: Mapped[int | None] = mapped_column(
        ForeignKey("conversations.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)


class PolicyDocument(Base):
    """One saved revision of a policy: the SLA policy, the escalation rules, or a playbook.

    Never updated or deleted: every save adds the next revision, so the table is the history
    and the newest revision of a (kind, playbook_id) is the policy in force."""

    __tablename__ = "policy_documents"
    __table_args__ = (UniqueConstraint("kind", "playbook_id", "revision"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # sla | rules | playbook
    playbook_id: Mapped[str] = mapped_column(String(64))  # "" unless kind is playbook
    revision: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    saved_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
