"""The supervisors' board: the escalation queue, the hottest open conversations, team load."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Request, Response
from sqlalchemy.orm import Session

from accord.auth import queries as auth_queries
from accord.auth.access import require_supervisor
from accord.cases import queries as case_queries
from accord.cases.escalation.routing import open_load
from accord.core.principal import Principal, Role
from accord.web.errors import WebRoute
from accord.web.inbox_data import InboxQuery, Row, load_inbox
from accord.web.render import page_or_blocks
from accord.web.security import CurrentViewer, Db

router = APIRouter(route_class=WebRoute, include_in_schema=False)
HOTTEST = 10


@dataclass(frozen=True)
class Escalated:
    id: int
    subject: str
    level: int
    priority: str
    status: str
    assignee: str
    heat: float | None


@dataclass(frozen=True)
class Load:
    name: str
    open: int
    capacity: int


def _board(session: Session, actor: Principal) -> dict[str, object]:
    require_supervisor(actor)
    users = auth_queries.list_users(session, actor)
    names = {u.id: u.name for u in users}
    queue = [
        Escalated(
            c.id,
            c.subject,
            k.escalation_level,
            c.priority,
            c.status,
            names.get(c.assignee_id, "") if c.assignee_id else "",
            i.heat if i else None,
        )
        for c, k, i in case_queries.escalation_queue(session, actor, 50)
    ]
    hottest: list[Row] = load_inbox(session, actor, InboxQuery(sort="heat")).rows[:HOTTEST]
    load = [
        Load(u.name, open_load(session, u.id), u.capacity)
        for u in users
        if u.is_active and u.role == Role.AGENT.value
    ]
    return {"queue": queue, "hottest": hottest, "load": load}


@router.get("/supervisor")
def supervisor(request: Request, viewer: CurrentViewer, db: Db) -> Response:
    with db.read() as session:
        board = _board(session, viewer.principal)
    context = {"viewer": viewer, "nav": "supervisor", **board}
    return page_or_blocks(request, "supervisor.html", ["board"], context)
