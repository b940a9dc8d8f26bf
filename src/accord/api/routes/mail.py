"""The email channel's quarantine: list it and put mail back through ingest (supervisors and
admins: quarantined mail belongs to no team yet)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from accord.api.deps import Actor, AppSettings, Db
from accord.inbox.channels.email import service
from accord.inbox.channels.email.schemas import (
    QuarantinedOut,
    QuarantinePage,
    ReprocessIn,
    ReprocessOut,
)

router = APIRouter(tags=["email"])


@router.get("/mail/quarantine")
def list_quarantine(
    actor: Actor,
    db: Db,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> QuarantinePage:
    with db.read() as session:
        rows, total = service.list_quarantined(session, actor, limit=limit, offset=offset)
        return QuarantinePage(total=total, items=[QuarantinedOut.model_validate(r) for r in rows])


@router.post("/mail/quarantine/reprocess")
def reprocess(body: ReprocessIn, actor: Actor, db: Db, settings: AppSettings) -> ReprocessOut:
    """Process quarantined mail again; ids not in the quarantine are reported, not errors."""
    results = service.reprocess(db, service.ingestor(db, settings), actor, body.ids)
    return ReprocessOut(results=results)
