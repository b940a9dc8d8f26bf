"""The hand-off note written when a conversation is escalated: what the customer wants, what
was tried, and how hot it is now, with the customer's own words as evidence (card numbers,
IBANs, passwords and keys in them masked: `accord.core.redact.mask_secrets`)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.cases.models import CaseEvent
from accord.core.redact import mask_secrets
from accord.inbox.models import Conversation, Direction, Message
from accord.inbox.readings import ConversationInsight
from accord.insights.models import MessageInsight

MAX_QUOTES = 3


def handoff_note(session: Session, conversation: Conversation) -> str:
    insight = session.get(ConversationInsight, conversation.id)
    customer = session.scalars(
        select(MessageInsight)
        .where(MessageInsight.conversation_id == conversation.id, MessageInsight.role == "customer")
        .order_by(MessageInsight.message_id)
    ).all()
    wants = sorted({m.remedy for m in customer if m.remedy})
    replies = session.scalars(
        select(Message.id).where(
            Message.conversation_id == conversation.id,
            Message.direction == Direction.OUTBOUND.value,
        )
    ).all()
    steps = session.scalars(
        select(CaseEvent.data["step_id"].as_string()).where(
            CaseEvent.conversation_id == conversation.id, CaseEvent.kind != "escalation"
        )
    ).all()
    lines = [
        "HAND-OFF NOTE (written by Accord on escalation)",
        f"Customer wants: {', '.join(wants) if wants else 'not stated yet'}",
        f"Tried so far: {len(replies)} agent replies; playbook steps done: "
        f"{', '.join(sorted({s for s in steps if s})) or 'none'}",
    ]
    if insight is not None:
        lines.append(
            f"Now: heat {insight.heat:.0f}/100 ({insight.trajectory}), severity "
            f"{insight.max_severity}/4, topic {insight.topic}, cause {insight.cause}, "
            f"signals: {', '.join(insight.signals) or 'none'}"
        )
    lines += [f"Evidence: {quote}" for quote in _evidence(customer)]
    return "\n".join(lines)


def _evidence(customer: Sequence[MessageInsight]) -> list[str]:
    """The customer's most recent signal evidence, newest first."""
    quotes: list[str] = []
    for insight in reversed(customer):
        for signal in insight.result.get("signals", []):
            for span in signal.get("evidence", []):
                quote = f'"{mask_secrets(span["text"])}" ({signal["name"]})'
                if len(quotes) < MAX_QUOTES and quote not in quotes:
                    quotes.append(quote)
    return quotes
