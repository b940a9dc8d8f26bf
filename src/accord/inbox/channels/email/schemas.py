"""API bodies of the email channel."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from accord.core.ids import Id
from accord.core.requests import RequestModel


class QuarantinedOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    sha256: str
    size: int
    source: str
    sender: str | None
    subject: str | None
    reason: str | None
    attempts: int
    received_at: datetime
    processed_at: datetime | None


class QuarantinePage(BaseModel):
    total: int
    items: list[QuarantinedOut]


class ReprocessIn(RequestModel):
    model_config = ConfigDict(extra="forbid")

    ids: list[Id] = Field(max_length=100)


class ReprocessOut(BaseModel):
    results: dict[int, str] = Field(
        description="New state per id: processed, duplicate, quarantined, or not_quarantined."
    )
