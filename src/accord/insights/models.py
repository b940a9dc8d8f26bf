"""Stored analysis results. The columns are what lists filter and sort on; `result` keeps the
engine's full output (emotions, spans, scores) for the conversation view.

The conversation's reading (`ConversationInsight`) is the inbox's table, in
`accord.inbox.readings`: the inbox lists and sorts by it, the analysis here writes it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from accord.db.base import Base, UTCDateTime


class MessageInsight(Base):
    __tablename__ = "message_insights"

    message_id: Mapped[int] = mapped_column(
        ForeignKey("messages.id", ondelete="CASCADE"), primary_key=True
    )
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(20))
    heat: Mapped[float] = mapped_column(Float)
    severity: Mapped[int] = mapped_column(Integer)
    complaint_prob: Mapped[float] = mapped_column(Float)
    sentiment: Mapped[float] = mapped_column(Float)
    abuse_severity: Mapped[int] = mapped_column(Integer)
    topic: Mapped[str] = mapped_column(String(64))
    cause: Mapped[str] = mapped_column(String(64))
    remedy: Mapped[str | None] = mapped_column(String(64))
    signals: Mapped[list[str]] = mapped_column(JSON, default=list)
    language: Mapped[str] = mapped_column(String(16))
    non_english: Mapped[bool] = mapped_column(Boolean)
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
