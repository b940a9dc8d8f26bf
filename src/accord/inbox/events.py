"""What the inbox announces (see :mod:`accord.core.events`): the layers above it subscribe.

Published inside the write path's transaction, after the row is written and before the
change is recorded in the audit trail, so a subscriber's own timeline entries (a status the
message changed, an escalation) come first, as they always have.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from accord.core.principal import Principal
from accord.inbox.models import Conversation, Direction, Message


@dataclass(frozen=True)
class MessageStored:
    """A message was appended: a customer's, an agent's reply or an internal note.
    ``opened`` says it is the first message of a conversation created with it."""

    actor: Principal
    conversation: Conversation
    message: Message
    opened: bool = False

    @property
    def direction(self) -> Direction:
        return Direction(self.message.direction)


@dataclass(frozen=True)
class ConversationChanged:
    """Staff changed fields of a conversation; ``changed`` names the ones that moved and
    ``before`` holds their earlier values."""

    actor: Principal
    conversation: Conversation
    changed: frozenset[str]
    before: Mapping[str, object] = field(default_factory=dict)
