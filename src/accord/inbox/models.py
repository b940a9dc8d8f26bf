"""Customers, their identities, conversations and messages."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accord.db.base import Base, UTCDateTime
from accord.inbox.terms import Channel, Direction, IdentityKind, Priority, Status

# The terms are declared in accord.inbox.terms; importing them from here keeps working.
__all__ = ["Channel", "Direction", "IdentityKind", "Priority", "Status"]


class Customer(Base):
    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    tier: Mapped[str] = mapped_column(String(20), default="standard")
    blocked: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    identities: Mapped[list[CustomerIdentity]] = relationship(
        back_populates="customer", cascade="all, delete-orphan", order_by="CustomerIdentity.id"
    )


class CustomerIdentity(Base):
    """How a customer is recognised on a channel: an address, a chat session, an external id."""

    __tablename__ = "customer_identities"
    __table_args__ = (UniqueConstraint("kind", "value"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    value: Mapped[str] = mapped_column(String(320))

    customer: Mapped[Customer] = relationship(back_populates="identities")


class Conversation(Base):
    __tablename__ = "conversations"
    __table_args__ = (
        Index("ix_conversations_status_last", "status", "last_message_at"),
        Index("ix_conversations_team_status", "team_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))
    subject: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(20), default=Status.NEW.value)
    priority: Mapped[str] = mapped_column(String(20), default=Priority.NORMAL.value)
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="RESTRICT"), index=True
    )
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="SET NULL"))
    assignee_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    last_message_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    # The running SLA timer's due instant, soonest first; None while no clock runs (waiting on
    # the customer, resolved, closed). Derived from the timeline by `accord.cases.sla.due`,
    # stored only so the inbox can sort by it in the database.
    sla_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True, default=None)

    customer: Mapped[Customer] = relationship()
    tag_rows: Mapped[list[ConversationTag]] = relationship(
        cascade="all, delete-orphan", order_by="ConversationTag.tag"
    )
    messages: Mapped[list[Message]] = relationship(
        back_populates="conversation", order_by="Message.id", cascade="all, delete-orphan"
    )

    # Optimistic concurrency: every UPDATE checks and bumps the version column.
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    @property
    def tags(self) -> list[str]:
        return [row.tag for row in self.tag_rows]


class ConversationTag(Base):
    """Tags as rows, so filtering by tag is the same indexed query on SQLite and PostgreSQL."""

    __tablename__ = "conversation_tags"
    __table_args__ = (UniqueConstraint("conversation_id", "tag"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    tag: Mapped[str] = mapped_column(String(64), index=True)


class Message(Base):
    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    direction: Mapped[str] = mapped_column(String(20))
    author_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    author_customer_id: Mapped[int | None] = mapped_column(
        ForeignKey("customers.id", ondelete="SET NULL")
    )
    text: Mapped[str] = mapped_column(Text)
    html: Mapped[str | None] = mapped_column(Text)
    attachments: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    external_id: Mapped[str | None] = mapped_column(String(512), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)

    conversation: Mapped[Conversation] = relationship(back_populates="messages")


class IdempotencyRecord(Base):
    """Remembers a create request by (principal, Idempotency-Key) so a retry returns the
    original result instead of creating a second row."""

    __tablename__ = "idempotency_records"
    __table_args__ = (UniqueConstraint("principal", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    principal: Mapped[str] = mapped_column(String(64))
    key: Mapped[str] = mapped_column(String(255))
    request_hash: Mapped[str] = mapped_column(String(64))
    resource: Mapped[str] = mapped_column(String(40))
    resource_id: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CustomerErasure(Base):
    """The tombstone of an erased customer (`accord customer erase`, docs/privacy.md): who
    erased them, when, and how many rows and files went. Nothing personal is kept: the customer
    row itself stays, emptied and blocked, so its id is never given to anyone else."""

    __tablename__ = "customer_erasures"

    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="RESTRICT"), primary_key=True
    )
    erased_at: Mapped[datetime] = mapped_column(UTCDateTime)
    erased_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    erased_by: Mapped[str] = mapped_column(String(64))  # the principal: user:3, system
    via: Mapped[str] = mapped_column(String(16))  # cli, api or web
    counts: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
