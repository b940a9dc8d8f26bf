"""The email channel's quarantine: list it and put mail back through ingest (supervisors and
admins: quarantined mail belongs to no team yet)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query
from fastapi.responses import FileResponse

from accord.api.deps import Actor, AppSettings, Db
from accord.core.ids import MAX_ID, IdParam
from accord.inbox.channels.email import service
from accord.inbox.channels.email.schemas import (
    QuarantinedOut,
    QuarantinePage,
    ReprocessIn,
    ReprocessOut,
)
from accord.inbox.channels.email.store import MailStore

router = APIRouter(tags=["email"])


@router.get("/mail/quarantine")
def list_quarantine(
    actor: Actor,
    db: Db,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
) -> QuarantinePage:
    with db.read() as session:
        rows, total = service.list_quarantined(session, actor, limit=limit, offset=offset)
        return QuarantinePage(total=total, items=[QuarantinedOut.model_validate(r) for r in rows])


@router.post("/mail/quarantine/reprocess")
def reprocess(body: ReprocessIn, actor: Actor, db: Db, settings: AppSettings) -> ReprocessOut:
    """Process quarantined mail again; ids not in the quarantine are reported, not errors."""
    results = service.reprocess(db, service.ingestor(db, settings), actor, body.ids)
    return ReprocessOut(results=results)


@router.get(
    "/conversations/{conversation_id}/attachments/{attachment_id}",
    response_class=FileResponse,
    responses={200: {"content": {"application/octet-stream": {}}}},
)
def download_attachment(
    conversation_id: IdParam, attachment_id: str, actor: Actor, db: Db, settings: AppSettings
) -> FileResponse:
    """An attachment of a message the caller may see, always as a download: a hostile file
    (HTML, SVG) is never rendered in our origin."""
    with db.read() as session:
        path, filename = service.attachment_file(
            session, actor, MailStore(settings.data_dir), conversation_id, attachment_id
        )
    return FileResponse(path, media_type="application/octet-stream", headers=_download(filename))


def _download(filename: str) -> dict[str, str]:
    ascii_name = "".join(
        c if c.isascii() and (c.isalnum() or c in "._-") else "_" for c in filename
    )[:100]
    return {
        "Content-Disposition": (
            f'attachment; filename="{ascii_name or "attachment"}"; '
            f"filename*=UTF-8''{quote(filename[:200], safe='')}"
        ),
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "sandbox; default-src 'none'",
    }
