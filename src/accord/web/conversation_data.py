"""Everything the conversation page shows, gathered through the same queries and services the
API uses: messages as this viewer may see them, their analysis, the case and the SLA clocks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import nh3
from sqlalchemy.orm import Session

from accord.auth import queries as auth_queries
from accord.cases import service as case_service
from accord.cases.escalation.boundaries import masked_texts
from accord.cases.sla.policy import SlaTimer
from accord.cases.sla.service import sla_timers
from accord.core.clock import utcnow
from accord.core.errors import NotFound
from accord.core.principal import Principal
from accord.inbox import queries
from accord.inbox.access import may_issue_customer_code
from accord.inbox.models import Conversation, Direction, Message
from accord.inbox.readings import ConversationInsight
from accord.insights import queries as insight_queries
from accord.web.heat_why import HeatWhy, heat_why_view
from accord.web.views import Chart, Chips, Segment, chips, evidence_spans, heat_chart, segments

HANDOFF_PREFIX = "HAND-OFF NOTE"


@dataclass(frozen=True)
class MessageView:
    id: int
    direction: str
    author: str
    created_at: datetime
    segments: list[Segment]
    chips: Chips
    masked: bool
    handoff: bool
    html: str | None = None  # the email's HTML part, sanitised again, for a sandboxed frame


@dataclass(frozen=True)
class ConversationPage:
    conversation: Conversation
    customer: str
    messages: list[MessageView]
    summary: ConversationInsight | None
    chart: Chart | None
    case: case_service.CaseView | None
    sla: list[SlaTimer]
    handoffs: list[MessageView]
    users: list[tuple[int, str]]
    teams: list[tuple[int, str]]
    can_issue_code: bool  # may this viewer issue the customer an access code (access.py)
    why: HeatWhy | None = None  # "why this heat"


def _author(message: Message, customer: str, users: dict[int, str]) -> str:
    if message.direction == Direction.INBOUND.value:
        return customer
    if message.author_user_id is None:
        return "Accord"
    return users.get(message.author_user_id, "a former colleague")


def _email_html(message: Message, masked: bool) -> str | None:
    """HTML is shown only sanitised (again: whatever stored it) and only where the text is
    not masked for this viewer, since the HTML would show the masked words."""
    if not message.html or masked:
        return None
    return nh3.clean(message.html, link_rel="noopener noreferrer nofollow")


def _messages(
    session: Session, actor: Principal, conversation: Conversation, users: dict[int, str]
) -> list[MessageView]:
    rows = queries.list_messages(session, actor, conversation.id)
    masked = masked_texts(session, actor, rows)
    _summary, insights = insight_queries.conversation_analysis(session, actor, conversation.id)
    by_message = {i.message_id: i for i in insights}
    out = []
    for m in rows:
        insight = by_message.get(m.id)
        spans = evidence_spans(insight.result) if insight is not None else []
        shown = masked.get(m.id, m.text)
        out.append(
            MessageView(
                id=m.id,
                direction=m.direction,
                author=_author(m, conversation.customer.name, users),
                created_at=m.created_at,
                segments=segments(m.text, shown, spans),
                chips=chips(insight),
                masked=m.id in masked,
                handoff=m.direction == Direction.NOTE.value and m.text.startswith(HANDOFF_PREFIX),
                html=_email_html(m, m.id in masked),
            )
        )
    return out


def load_page(session: Session, actor: Principal, conversation_id: int) -> ConversationPage:
    conversation = queries.get_conversation(session, actor, conversation_id)
    users = [(u.id, u.name) for u in auth_queries.list_users(session, actor) if u.is_active]
    teams = [(t.id, t.name) for t in auth_queries.list_teams(session, actor)]
    messages = _messages(session, actor, conversation, dict(users))
    summary, _ = insight_queries.conversation_analysis(session, actor, conversation_id)
    try:
        case = case_service.case_view(session, actor, conversation_id)
    except NotFound:
        case = None  # no customer message analysed yet
    return ConversationPage(
        conversation=conversation,
        customer=conversation.customer.name,
        messages=messages,
        summary=summary,
        chart=heat_chart(summary.heat_series) if summary else None,
        case=case,
        sla=list(sla_timers(session, conversation, utcnow())),
        handoffs=[m for m in messages if m.handoff],
        users=users,
        teams=teams,
        can_issue_code=may_issue_customer_code(session, actor, conversation.customer_id),
        why=heat_why_view(summary.heat_why) if summary else None,
    )
