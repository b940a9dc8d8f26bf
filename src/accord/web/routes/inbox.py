"""The inbox: conversations by heat, SLA due time or recency, filtered with htmx swaps."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from accord.analysis.remedy import CAUSES
from accord.analysis.taxonomy import Taxonomy
from accord.http import AppSettings
from accord.web.errors import WebRoute
from accord.web.inbox_data import (
    SIGNALS,
    SORT_LABELS,
    STATUSES,
    load_inbox,
    parse_query,
)
from accord.web.live import inbox_stamp, stream
from accord.web.render import page_or_blocks
from accord.web.security import CurrentViewer, Db

router = APIRouter(route_class=WebRoute, include_in_schema=False)


@router.get("/inbox")
def inbox(request: Request, viewer: CurrentViewer, db: Db, settings: AppSettings) -> Response:
    topics = Taxonomy.configured(settings.analysis_packs).names
    q = parse_query(dict(request.query_params), topics)
    with db.read() as session:
        data = load_inbox(session, viewer.principal, q)
    context = {
        "viewer": viewer,
        "q": q,
        "inbox": data,
        "sorts": SORT_LABELS,
        "statuses": STATUSES,
        "causes": CAUSES,
        "topics": topics,
        "signals": SIGNALS,
        "nav": "inbox",
    }
    return page_or_blocks(request, "inbox.html", ["results"], context)


@router.get("/inbox/stream")
def inbox_stream(request: Request, viewer: CurrentViewer, db: Db) -> Response:
    """Server-Sent Events: `changed` whenever the viewer's inbox may look different."""
    return stream(request, db, lambda session: inbox_stamp(session, viewer.principal))
