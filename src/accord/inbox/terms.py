"""The inbox's vocabulary, declared once: channels, statuses and the sets of them the rules
share, priorities in their order, message directions and identity kinds. No database code, so
policies, schemas and views use the same terms without loading the models."""

from __future__ import annotations

from enum import StrEnum


class Channel(StrEnum):
    EMAIL = "email"
    WEBCHAT = "webchat"
    API = "api"
    PHONE = "phone"
    IMPORT = "import"


class Status(StrEnum):
    NEW = "new"
    OPEN = "open"
    PENDING = "pending"
    ON_HOLD = "on_hold"
    RESOLVED = "resolved"
    CLOSED = "closed"


# Someone still has to act: the inbox lists these, routing and the SLA clocks run on them.
ACTIVE_STATUSES: tuple[Status, ...] = (Status.NEW, Status.OPEN, Status.PENDING, Status.ON_HOLD)
# Waiting on the customer, or done: a customer's new message opens these again.
REOPENED_BY_CUSTOMER: frozenset[Status] = frozenset(
    {Status.PENDING, Status.ON_HOLD, Status.RESOLVED}
)


class Priority(StrEnum):
    """Declared lowest first: :attr:`rank` orders them."""

    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"

    @property
    def rank(self) -> int:
        return list(Priority).index(self)


def higher_priority(current: str, wanted: str) -> Priority:
    """The higher of two priorities (escalation only ever raises one)."""
    return max(Priority(current), Priority(wanted), key=lambda p: p.rank)


class Direction(StrEnum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"
    NOTE = "note"


class IdentityKind(StrEnum):
    EMAIL = "email"
    CHAT_SESSION = "chat_session"
    EXTERNAL = "external"
