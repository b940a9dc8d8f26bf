"""Live updates over Server-Sent Events.

A stream watches a cheap "stamp" of what the viewer sees (read through the access layer) and
sends a `changed` event when it moves; the page then re-fetches its region with htmx. Streams
end after a while and the browser's EventSource reconnects, so a server restart or a revoked
session is noticed without keeping a connection forever.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

from fastapi import Request
from fastapi.responses import StreamingResponse
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from accord.audit.models import Event
from accord.core.principal import Principal
from accord.db.engine import Database
from accord.inbox.access import conversation_scope, load_conversation
from accord.inbox.models import Conversation
from accord.web.security import CSP

POLL_SECONDS = 1.0
LIFETIME_POLLS = 120  # then the stream ends and the browser reconnects
RETRY_MS = 2000


def inbox_stamp(session: Session, actor: Principal) -> str:
    """Changes whenever a conversation the viewer can see is added or updated (any update
    bumps its version)."""
    count, versions = session.execute(
        select(func.count(Conversation.id), func.coalesce(func.sum(Conversation.version), 0)).where(
            conversation_scope(actor)
        )
    ).one()
    return f"{count}:{versions}"


def conversation_stamp(session: Session, actor: Principal, conversation_id: int) -> str:
    conversation = load_conversation(session, actor, conversation_id)
    last = session.scalar(
        select(func.max(Event.id)).where(Event.conversation_id == conversation.id)
    )
    return f"{conversation.version}:{last or 0}"


def stream(request: Request, db: Database, stamp: Callable[[Session], str]) -> StreamingResponse:
    def read() -> str:
        with db.read() as session:
            return stamp(session)

    async def events() -> AsyncIterator[str]:
        seen = await run_in_threadpool(read)
        yield f"retry: {RETRY_MS}\nevent: ready\ndata: {seen}\n\n"
        for _ in range(LIFETIME_POLLS):
            await asyncio.sleep(POLL_SECONDS)
            if await request.is_disconnected():
                return
            now = await run_in_threadpool(read)
            if now != seen:
                seen = now
                yield f"event: changed\ndata: {now}\n\n"

    headers = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
    response = StreamingResponse(events(), media_type="text/event-stream", headers=headers)
    response.headers["Content-Security-Policy"] = CSP
    return response
