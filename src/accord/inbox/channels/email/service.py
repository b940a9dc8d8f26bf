"""Verbs of the email channel for the edges (CLI, API, jobs): build an ingestor, import from
disk, list the quarantine and put quarantined mail back in line."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from itertools import islice
from pathlib import Path
from typing import TypeVar

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from accord.audit.service import record
from accord.auth.access import require_supervisor
from accord.core.errors import NotFound
from accord.core.principal import Principal
from accord.db.engine import Database
from accord.inbox.access import load_conversation, visible_directions
from accord.inbox.channels.email.config import mail_config
from accord.inbox.channels.email.ingest import Ingestor
from accord.inbox.channels.email.models import RawMail, RawState
from accord.inbox.channels.email.sources import iter_mail
from accord.inbox.channels.email.store import MailStore
from accord.settings import Settings

IMPORT_BATCH = 50
T = TypeVar("T")


def batched(items: Iterator[T], size: int) -> Iterator[list[T]]:
    while group := list(islice(items, size)):
        yield group


def ingestor(db: Database, settings: Settings) -> Ingestor:
    return Ingestor(db, MailStore(settings.ensure_data_dir()), mail_config(settings))


def import_path(
    ingest: Ingestor, path: Path, advance: Callable[[int], None] = lambda _n: None
) -> Counter[str]:
    """Import every mail under `path`; importing the same mail again changes nothing."""
    outcome: Counter[str] = Counter()
    for group in batched(iter_mail(path), IMPORT_BATCH):
        ids = ingest.receive_many(list(group))
        outcome.update(ingest.process_ids(ids))
        advance(len(ids))
    outcome.update(ingest.process_pending())  # anything left pending by an earlier crash
    return outcome


def list_quarantined(
    session: Session, actor: Principal, *, limit: int = 50, offset: int = 0
) -> tuple[list[RawMail], int]:
    """Quarantined mail, newest first. It belongs to no team yet, so only supervisors and
    admins may read it."""
    require_supervisor(actor)
    where = RawMail.state == RawState.QUARANTINED.value
    total = session.scalar(select(func.count(RawMail.id)).where(where)) or 0
    rows = session.scalars(
        select(RawMail).where(where).order_by(RawMail.id.desc()).limit(limit).offset(offset)
    ).all()
    return list(rows), int(total)


def requeue(session: Session, actor: Principal, raw_ids: list[int]) -> list[int]:
    """Put quarantined mail back to pending (attempts reset); returns the ids requeued."""
    require_supervisor(actor)
    ids = list(
        session.scalars(
            select(RawMail.id).where(
                RawMail.id.in_(raw_ids), RawMail.state == RawState.QUARANTINED.value
            )
        )
    )
    if ids:
        session.execute(
            update(RawMail)
            .where(RawMail.id.in_(ids))
            .values(state=RawState.PENDING.value, attempts=0, processed_at=None, reason=None)
        )
        record(session, actor=actor, kind="mail.requeued", data={"raw_ids": ids})
    return ids


def reprocess(
    db: Database, ingest: Ingestor, actor: Principal, raw_ids: list[int]
) -> dict[int, str]:
    """Requeue and process again now; returns each id's new state ("not_quarantined" for ids
    that were not in the quarantine)."""
    with db.write() as session:
        ids = requeue(session, actor, raw_ids)
    result = dict.fromkeys(raw_ids, "not_quarantined")
    result.update({raw_id: ingest.process(raw_id) for raw_id in ids})
    return result


def attachment_file(
    session: Session, actor: Principal, store: MailStore, conversation_id: int, attachment_id: str
) -> tuple[Path, str]:
    """(stored file, display filename) of an attachment on a message the actor may see."""
    conversation = load_conversation(session, actor, conversation_id)
    visible = visible_directions(actor)
    for message in conversation.messages:
        if message.direction not in visible:
            continue
        for meta in message.attachments or []:
            if meta.get("id") == attachment_id:
                path = store.attachment_path(attachment_id)
                if not path.is_file():
                    break
                return path, str(meta.get("filename") or "attachment")
    raise NotFound(f"conversation {conversation_id} has no attachment {attachment_id!r}")
