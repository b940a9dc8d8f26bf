"""Response bodies for stored analysis."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict


class SpanOut(BaseModel):
    """Where in a message something was seen: ``text == message[start:end]``."""

    model_config = ConfigDict(from_attributes=True)

    start: int
    end: int
    text: str


class ConversationInsightOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    heat: float
    peak_heat: float
    trajectory: str
    escalation_risk: float
    max_severity: int
    topic: str
    cause: str
    signals: list[str]
    heat_series: list[float]
    updated_at: datetime
    heat_base: float | None = None  # before time since the customer's last message cooled it
    heat_at: datetime | None = None  # the customer's last message
    heat_why: dict[str, Any] | None = None  # the driving message, its terms and evidence


class MessageInsightOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    message_id: int
    role: str
    heat: float
    severity: int
    complaint_prob: float
    sentiment: float
    abuse_severity: int
    topic: str
    cause: str
    remedy: str | None
    signals: list[str]
    language: str
    non_english: bool
    result: dict[str, Any]


class ConversationAnalysisOut(BaseModel):
    conversation: ConversationInsightOut | None
    messages: list[MessageInsightOut]
