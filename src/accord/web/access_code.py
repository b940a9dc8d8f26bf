"""What the conversation page's "Customer access" panel shows: whether this viewer may issue
the customer an access code, and a code just issued (its secret is on this one response only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class IssuedCode:
    secret: str
    expires_at: datetime | None
    portal_url: str


@dataclass(frozen=True)
class CodePanel:
    conversation_id: int
    allowed: bool
    issued: IssuedCode | None = None
