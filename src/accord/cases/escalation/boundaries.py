"""Boundaries with abusive customers.

The analysis marks abusive wording in a customer message (the `abuse` signal, with the exact
spans as evidence, and `abuse_severity` 0-3). Here a message at or above the policy's
`abusive_min_severity` is flagged on the case with that evidence, counted (repeated abuse is
for the escalation rules: a supervisor, blocking), and the supervisors are alerted (a timeline
event and a signed webhook). Agents see the abusive words masked; the stored message keeps the
original, which supervisors and administrators see (policy in `escalation.Boundaries`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.analysis.types import SignalName, Span
from accord.cases import journal
from accord.cases.models import Case, CaseEvent
from accord.cases.notifications import notify
from accord.cases.policies import in_force
from accord.core.principal import SYSTEM, Principal
from accord.inbox.models import Conversation, Message
from accord.insights.models import MessageInsight

FLAGGED = "abuse_flagged"


@dataclass(frozen=True)
class AbuseFlag:
    message_id: int
    severity: int
    evidence: list[Span]


def abuse_spans(result: dict[str, Any]) -> list[Span]:
    """The abusive words the engine found in one message, in text order."""
    spans = [
        Span(int(e["start"]), int(e["end"]), str(e["text"]))
        for signal in result.get("signals", [])
        if signal.get("name") == SignalName.ABUSE
        for e in signal.get("evidence", [])
    ]
    return sorted(spans, key=lambda s: (s.start, s.end))


def mask(text: str, spans: Iterable[Span]) -> str:
    """Keep each masked word's first letter: "you morons" -> "y** m*****". Spans that do not
    match the text (it changed since the analysis) are left alone rather than guessed."""
    chars = list(text)
    for span in spans:
        if text[span.start : span.end] != span.text:
            continue
        word_start = True
        for i in range(span.start, span.end):
            if chars[i].isalnum():
                chars[i] = chars[i] if word_start else "*"
                word_start = False
            else:
                word_start = True
    return "".join(chars)


def is_abusive(session: Session, insight: MessageInsight | None) -> bool:
    policy = in_force.rule_set(session).boundaries
    return insight is not None and insight.abuse_severity >= policy.abusive_min_severity


def flag_message(
    session: Session, conversation: Conversation, case: Case, message: Message
) -> AbuseFlag | None:
    """Flag an abusive customer message on its case and alert the supervisors."""
    insight = session.get(MessageInsight, message.id)
    if insight is None or not is_abusive(session, insight):
        return None
    flag = AbuseFlag(message.id, insight.abuse_severity, abuse_spans(insight.result))
    case.abusive_messages += 1
    data = {
        "message_id": message.id,
        "severity": flag.severity,
        "evidence": [[s.start, s.end, s.text] for s in flag.evidence],
        "count": case.abusive_messages,
    }
    journal.write(
        session,
        conversation_id=conversation.id,
        kind=FLAGGED,
        data=data,
        actor=SYSTEM,
        audit="conversation.abuse_flagged",
        once_key=f"abuse:{message.id}",
    )
    notify(session, conversation, "abuse.flagged", data)
    return flag


def flags(session: Session, conversation_id: int) -> list[AbuseFlag]:
    rows = session.scalars(
        select(CaseEvent)
        .where(CaseEvent.conversation_id == conversation_id, CaseEvent.kind == FLAGGED)
        .order_by(CaseEvent.id)
    ).all()
    return [
        AbuseFlag(r.data["message_id"], r.data["severity"], [Span(*e) for e in r.data["evidence"]])
        for r in rows
    ]


def sees_original(session: Session, actor: Principal) -> bool:
    """Supervisors, administrators and the customer who wrote it; never an agent."""
    policy = in_force.rule_set(session).boundaries
    return not policy.mask_for_agents or actor.sees_all_conversations or actor.kind == "customer"


def masked_texts(session: Session, actor: Principal, messages: Sequence[Message]) -> dict[int, str]:
    """Message id -> the text `actor` may see, for messages with abusive words to mask."""
    if sees_original(session, actor) or not messages:
        return {}
    rows = session.scalars(
        select(MessageInsight).where(
            MessageInsight.message_id.in_([m.id for m in messages]),
            MessageInsight.abuse_severity > 0,
        )
    ).all()
    spans = {r.message_id: abuse_spans(r.result) for r in rows}
    return {m.id: mask(m.text, spans[m.id]) for m in messages if spans.get(m.id)}
