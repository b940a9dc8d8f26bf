"""The conversation's stored reading: its heat, topic and cause, as the inbox lists, filters and
sorts conversations by them. `accord.insights` analyses the messages and writes the reading;
the inbox owns the table and reads it without knowing how it was made."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from accord.db.base import Base, UTCDateTime


class ConversationInsight(Base):
    """The conversation's current state of conflict, refreshed after every message."""

    __tablename__ = "conversation_insights"

    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), primary_key=True
    )
    heat: Mapped[float] = mapped_column(Float, index=True)
    peak_heat: Mapped[float] = mapped_column(Float)
    trajectory: Mapped[str] = mapped_column(String(20))
    escalation_risk: Mapped[float] = mapped_column(Float)
    max_severity: Mapped[int] = mapped_column(Integer)
    topic: Mapped[str] = mapped_column(String(64), index=True)
    cause: Mapped[str] = mapped_column(String(64), index=True)
    signals: Mapped[list[str]] = mapped_column(JSON, default=list)
    heat_series: Mapped[list[float]] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # `heat` is `heat_base` cooled by the time since `heat_at` (the customer's last message);
    # the worker's tick refreshes it, so the inbox can sort on a plain column.
    heat_base: Mapped[float | None] = mapped_column(Float, nullable=True)
    heat_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    heat_why: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
