"""Analyse messages as they are stored, in the same transaction, so every message that reaches
Accord has its analysis and the conversation's heat is never stale.

The engine is loaded once per process; the linear heads score a message in well under a
millisecond, so doing it inline costs less than a job round-trip would.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.analysis import Analyzer, ConversationAnalysis, MessageAnalysis
from accord.analysis.conversation import summarise
from accord.analysis.conversation_heat import HALF_LIFE_HOURS, cooled, decay, hours_between
from accord.analysis.types import Role
from accord.core.clock import utcnow
from accord.db.keep import keep
from accord.inbox.models import Conversation, Direction, Message
from accord.inbox.readings import ConversationInsight
from accord.insights.models import MessageInsight
from accord.insights.queries import readable
from accord.settings import analyzer_for, settings_of

log = logging.getLogger("accord.insights")
ROLES: dict[str, Role] = {Direction.INBOUND.value: "customer", Direction.OUTBOUND.value: "agent"}


def analyse_conversation(
    session: Session,
    conversation: Conversation,
    analyzer: Analyzer | None = None,
    *,
    refresh: bool = False,
) -> ConversationInsight | None:
    """Analyse the customer and agent messages that have no analysis yet (every one with
    ``refresh``), store them, and update the conversation's summary from all of them.

    A message's analysis depends on its text alone, and messages never change, so a stored
    result is reused rather than recomputed: a new message costs one analysis, not one per
    message of the thread. Internal notes are not part of the conversation with the customer
    and are skipped.

    Nothing is analysed (None) while the analysis switch is off (`ACCORD_ANALYSIS_ENABLED`).
    """
    settings = settings_of(session)
    if not settings.analysis_enabled:
        return None
    spoken = _spoken(session, conversation.id)
    if not spoken:
        return None
    messages = [message for message, _ in spoken]
    rows = {message.id: row for message, row in spoken if row is not None}
    known = {} if refresh else readable(rows)
    fresh = [m for m in messages if m.id not in known]
    if fresh:
        analyzer = analyzer or analyzer_for(settings)
        results = analyzer.analyze_batch(
            [m.text for m in fresh], [ROLES[m.direction] for m in fresh]
        )
        for message, result in zip(fresh, results, strict=True):
            _store_message(session, message, result, rows.get(message.id))
            known[message.id] = result
    summary = summarise([known[m.id] for m in messages], [m.created_at for m in messages], utcnow())
    return _store_conversation(session, conversation.id, summary, messages)


def _spoken(
    session: Session, conversation_id: int
) -> Sequence[tuple[Message, MessageInsight | None]]:
    """The customer's and agents' messages in order, each with its stored analysis row."""
    return session.execute(
        select(Message, MessageInsight)
        .outerjoin(MessageInsight, MessageInsight.message_id == Message.id)
        .where(Message.conversation_id == conversation_id, Message.direction.in_(list(ROLES)))
        .order_by(Message.created_at, Message.id)
    ).all()


def _store_message(
    session: Session, message: Message, result: MessageAnalysis, row: MessageInsight | None
) -> None:
    row = row or MessageInsight(message_id=message.id, conversation_id=message.conversation_id)
    row.role = result.role
    row.heat = round(result.heat, 2)
    row.severity = result.severity
    row.complaint_prob = round(result.complaint_prob, 4)
    row.sentiment = round(result.sentiment, 4)
    row.abuse_severity = result.abuse_severity
    row.topic = result.topic
    row.cause = result.cause
    row.remedy = result.remedy
    row.signals = result.signal_names
    row.language = result.language
    row.non_english = result.non_english
    row.result = result.to_dict()
    row.created_at = utcnow()
    session.add(row)
    keep(session, row)  # the case hooks read it next


def _store_conversation(
    session: Session,
    conversation_id: int,
    summary: ConversationAnalysis,
    messages: Sequence[Message],
) -> ConversationInsight:
    customer = [m for m in summary.messages if m.role == "customer"] or list(summary.messages)
    row = session.get(ConversationInsight, conversation_id) or ConversationInsight(
        conversation_id=conversation_id
    )
    spoken_by_customer = [m for m in messages if m.direction == Direction.INBOUND.value]
    row.heat = round(summary.heat, 2)
    row.heat_base = summary.customer_heat.base
    row.heat_at = spoken_by_customer[-1].created_at if spoken_by_customer else None
    row.heat_why = heat_why(summary, messages)
    row.peak_heat = round(summary.peak_heat, 2)
    row.trajectory = summary.trajectory
    row.escalation_risk = summary.escalation_risk
    row.max_severity = max(m.severity for m in customer)
    row.topic = _opening(m.topic for m in customer)
    row.cause = _opening(m.cause for m in customer)
    row.signals = list(summary.signals)
    row.heat_series = [round(h, 2) for h in summary.heat_series]
    row.updated_at = utcnow()
    session.add(row)
    keep(session, row)  # routing and escalation read it next
    return row


def heat_why(summary: ConversationAnalysis, messages: Sequence[Message]) -> dict[str, Any]:
    """ "Why this heat", with message ids in place of positions and the driving message's
    heat terms and evidence, for the API and the conversation page."""
    why = summary.customer_heat.to_dict()
    for reason in why["reasons"]:
        reason["message_id"] = messages[reason.pop("index")].id
    if why["driver"] is not None:
        index = why["driver"].pop("index")
        driver = summary.messages[index]
        why["driver"]["message_id"] = messages[index].id
        why["driver"]["parts"] = driver.heat_parts
        why["driver"]["evidence"] = [
            {"signal": s.name, "text": [e.text for e in s.evidence]} for s in driver.signals
        ]
    if why["relief"] is not None:
        why["relief"] = messages[why["relief"]].id
    why["half_life_hours"] = HALF_LIFE_HOURS
    return why


def cool(session: Session, now: datetime) -> int:
    """Let time cool every conversation's heat (the periodic tick): heat = base x decay since
    the customer's last message. Returns how many rows changed."""
    rows = session.scalars(
        select(ConversationInsight).where(
            ConversationInsight.heat_base.is_not(None), ConversationInsight.heat > 0
        )
    ).all()
    changed = 0
    for row in rows:
        value = cooled(float(row.heat_base or 0.0), row.heat_at, now)
        if value != row.heat:
            row.heat, changed = value, changed + 1
            if row.heat_why is not None:
                row.heat_why = {**row.heat_why, "heat": value, "decay": _decay_at(row, now)}
    return changed


def _decay_at(row: ConversationInsight, now: datetime) -> float:
    return round(decay(hours_between(row.heat_at, now)), 4) if row.heat_at else 1.0


def _opening(values: Iterable[str]) -> str:
    """The first specific label the customer gave (else the catch-all). The opening message
    states the problem; later turns drift to whatever the fix touches ("my account shows it")."""
    labels = list(values)
    return next(
        (v for v in labels if v not in ("other", "unknown")), labels[0] if labels else "other"
    )


def refresh_after_message(session: Session, conversation: Conversation) -> None:
    """Called by the inbox after it stores a message. A failure of the analysis must never cost
    the message itself, so it runs in a savepoint and is logged, not raised. With the analysis
    switched off the message is stored unanalysed."""
    if not settings_of(session).analysis_enabled:
        return
    try:
        with session.begin_nested():
            analyse_conversation(session, conversation)
    except Exception:  # the message is what matters; the analysis can be re-run
        log.exception("analysis of conversation %s failed", conversation.id)
