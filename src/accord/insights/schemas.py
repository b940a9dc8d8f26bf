"""Response bodies for stored analysis. The conversation's reading (`ConversationInsightOut`)
is served by the inbox's schemas, beside the conversation that carries it."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from accord.inbox.schemas import ConversationInsightOut


class SpanOut(BaseModel):
    """Where in a message something was seen: ``text == message[start:end]``."""

    model_config = ConfigDict(from_attributes=True)

    start: int
    end: int
    text: str


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
