"""The inbox's read model for the page: filters parsed from the query string, and one row per
conversation with its heat, signals and the SLA timer that runs out first.

Every sort is a database ORDER BY with a cursor: the SLA sort uses the stored due moment
(`accord.cases.sla.due`), while each row on the page shows its timer computed live."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy.orm import Session

from accord.analysis.remedy import CAUSES
from accord.analysis.types import SignalName
from accord.auth import queries as auth_queries
from accord.cases.sla.due import first_due
from accord.cases.sla.policy import SlaTimer
from accord.cases.sla.service import sla_timers
from accord.core.clock import utcnow
from accord.core.errors import ValidationFailed
from accord.core.principal import Principal
from accord.inbox import queries
from accord.inbox.models import Conversation, Status
from accord.inbox.terms import ACTIVE_STATUSES
from accord.insights import queries as insight_queries

SORTS = {"heat": "-heat", "sla": "sla_due", "recent": "-last_message_at"}
SORT_LABELS = {"heat": "Heat", "sla": "SLA due", "recent": "Recent activity"}
SIGNALS = (
    SignalName.ESCALATION_REQUEST,
    SignalName.CHURN_THREAT,
    SignalName.LEGAL_THREAT,
    SignalName.PUBLIC_EXPOSURE,
    SignalName.REPEAT_CONTACT,
    SignalName.URGENCY,
    SignalName.ABUSE,
    SignalName.CLOSING_GRATITUDE,
)
ACTIVE = tuple(s.value for s in ACTIVE_STATUSES)
STATUSES = tuple(s.value for s in Status)
PAGE = 50


@dataclass(frozen=True)
class InboxQuery:
    sort: str = "heat"
    status: str = "active"
    team: int | None = None
    assignee: str = ""  # a user id, "me", "none" or "" for anyone
    cause: str = ""
    topic: str = ""
    signal: str = ""
    cursor: str | None = None

    def params(self) -> dict[str, str]:
        """The query string that reproduces this view (for links and live refreshes)."""
        out = {"sort": self.sort, "status": self.status, "team": str(self.team or "")}
        out |= {"assignee": self.assignee, "cause": self.cause, "topic": self.topic}
        out["signal"] = self.signal
        return {k: v for k, v in out.items() if v}


def _one_of(name: str, value: str, allowed: Sequence[str]) -> str:
    if value and value not in allowed:
        raise ValidationFailed(f"{name} must be one of: {', '.join(allowed)}")
    return value


def _is_id(value: str) -> bool:
    return value.isascii() and value.isdigit() and len(value) <= 9


def parse_query(raw: Mapping[str, str], topics: Sequence[str]) -> InboxQuery:
    team = raw.get("team", "")
    assignee = raw.get("assignee", "")
    if team and not _is_id(team):
        raise ValidationFailed("team must be a team id")
    if assignee not in ("", "me", "none") and not _is_id(assignee):
        raise ValidationFailed("assignee must be a user id, 'me' or 'none'")
    cursor = raw.get("cursor") or None
    if cursor is not None and len(cursor) > 500:
        raise ValidationFailed("cursor is too long")
    return InboxQuery(
        sort=_one_of("sort", raw.get("sort") or "heat", tuple(SORTS)),
        status=_one_of("status", raw.get("status") or "active", ("active", "all", *STATUSES)),
        team=int(team) if team else None,
        assignee=assignee,
        cause=_one_of("cause", raw.get("cause", ""), CAUSES),
        topic=_one_of("topic", raw.get("topic", ""), topics),
        signal=_one_of("signal", raw.get("signal", ""), SIGNALS),
        cursor=cursor,
    )


def to_filter(q: InboxQuery, actor: Principal) -> queries.ConversationFilter:
    status: tuple[str, ...] = {"active": ACTIVE, "all": ()}.get(q.status, (q.status,))
    assignee_id = None
    if q.assignee == "me":
        assignee_id = actor.user_id
    elif _is_id(q.assignee):
        assignee_id = int(q.assignee)
    return queries.ConversationFilter(
        status=status,
        team_id=q.team,
        assignee_id=assignee_id,
        unassigned=q.assignee == "none",
        topic=q.topic or None,
        cause=q.cause or None,
        signal=q.signal or None,
    )


@dataclass(frozen=True)
class Row:
    id: int
    subject: str
    customer: str
    status: str
    priority: str
    team: str
    assignee: str
    heat: float | None
    signals: list[str]
    topic: str
    cause: str
    last_message_at: datetime
    tags: list[str] = field(default_factory=list)
    sla: SlaTimer | None = None


@dataclass
class Inbox:
    rows: list[Row]
    next_cursor: str | None
    teams: list[tuple[int, str]] = field(default_factory=list)
    users: list[tuple[int, str]] = field(default_factory=list)


def load_inbox(session: Session, actor: Principal, q: InboxQuery) -> Inbox:
    found, next_cursor = queries.list_conversations(
        session, actor, filters=to_filter(q, actor), sort=SORTS[q.sort], cursor=q.cursor, limit=PAGE
    )
    teams = [(t.id, t.name) for t in auth_queries.list_teams(session, actor)]
    users = [(u.id, u.name) for u in auth_queries.list_users(session, actor) if u.is_active]
    return Inbox(_rows(session, found, dict(teams), dict(users)), next_cursor, teams, users)


def _rows(
    session: Session,
    found: Sequence[Conversation],
    teams: dict[int, str],
    users: dict[int, str],
) -> list[Row]:
    insights = insight_queries.for_conversations(session, [c.id for c in found])
    now = utcnow()
    rows = []
    for c in found:
        i = insights.get(c.id)
        row = Row(
            id=c.id,
            subject=c.subject,
            customer=c.customer.name,
            status=c.status,
            priority=c.priority,
            team=teams.get(c.team_id, "") if c.team_id else "",
            assignee=users.get(c.assignee_id, "") if c.assignee_id else "",
            heat=i.heat if i else None,
            signals=list(i.signals) if i else [],
            topic=i.topic if i else "",
            cause=i.cause if i else "",
            last_message_at=c.last_message_at,
            tags=c.tags,
        )
        rows.append(replace(row, sla=first_due(sla_timers(session, c, now))))
    return rows
