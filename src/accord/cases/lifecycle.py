"""What a new message does to its conversation's status: a customer's message reopens a waiting
or resolved conversation, except a plain "thanks, all good" after the resolution; an agent's
first reply opens a new one. It reads the message's analysis (was it only thanks?), so it runs
after the analysis and before the SLA clocks, which pause and resume from the status."""

from __future__ import annotations

from sqlalchemy.orm import Session

from accord.analysis.types import SignalName
from accord.audit.service import record
from accord.core.principal import Principal
from accord.inbox.models import Conversation, Message
from accord.inbox.terms import REOPENED_BY_CUSTOMER, Direction, Status
from accord.insights.models import MessageInsight


def status_after_message(
    session: Session, actor: Principal, conversation: Conversation, message: Message
) -> None:
    current, direction = Status(conversation.status), Direction(message.direction)
    reopened = direction == Direction.INBOUND and current in REOPENED_BY_CUSTOMER
    if reopened and current == Status.RESOLVED and _only_thanks(session, message):
        record(
            session,
            actor=actor,
            kind="conversation.thanked_after_resolution",
            conversation_id=conversation.id,
            data={"message_id": message.id},
        )
        return
    first_reply = direction == Direction.OUTBOUND and current == Status.NEW
    if reopened or first_reply:
        conversation.status = Status.OPEN.value
        # Status changes are on the timeline: SLA clocks pause and resume from them.
        record(
            session,
            actor=actor,
            kind="conversation.updated",
            conversation_id=conversation.id,
            data={"status": Status.OPEN.value, "because": f"message.{direction.value}"},
        )


def _only_thanks(session: Session, message: Message) -> bool:
    insight = session.get(MessageInsight, message.id)
    if insight is None or "?" in message.text:  # "thanks! one more thing: ...?" is a follow-up
        return False
    return set(insight.signals) == {SignalName.CLOSING_GRATITUDE} and insight.complaint_prob < 0.5
