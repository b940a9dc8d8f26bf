"""The export and the erasure as the edges run them (CLI, API, web): each in its own
transactions, recorded in the audit trail."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from accord.auth.access import require_admin
from accord.core.principal import Principal
from accord.db.engine import Database
from accord.gdpr.erasure import erase_customer
from accord.gdpr.export import ExportSummary, export_customer, record_export
from accord.inbox.channels.email.store import MailStore
from accord.inbox.models import CustomerErasure


def export_to_file(
    db: Database,
    *,
    actor: Principal,
    customer_id: int,
    out: IO[bytes],
    data_dir: Path,
    via: str,
) -> ExportSummary:
    """Write the archive from one read snapshot, then record the export in a short write
    transaction (an export that cannot be recorded raises, and the edge hands nothing out)."""
    with db.read() as session:
        summary = export_customer(
            session, actor=actor, customer_id=customer_id, out=out, store=MailStore(data_dir)
        )
    with db.write() as session:
        record_export(session, actor=actor, summary=summary, via=via)
    return summary


def export_to_path(
    db: Database, *, actor: Principal, customer_id: int, path: Path, data_dir: Path, via: str
) -> ExportSummary:
    """Write the archive to `path` (replaced), readable by its owner only: it is the
    customer's personal data. The file appears only once complete and recorded."""
    partial = path.with_name(f".{path.name}.partial")
    try:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            summary = export_to_file(
                db, actor=actor, customer_id=customer_id, out=handle, data_dir=data_dir, via=via
            )
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return summary


def export_to_temporary_file(
    db: Database, *, actor: Principal, customer_id: int, data_dir: Path, via: str
) -> Path:
    """The archive in a new temporary file readable by its owner only, for a download; the
    caller deletes it once sent. Nothing is left behind when the export fails."""
    fd, name = tempfile.mkstemp(prefix="accord-export-", suffix=".zip")
    path = Path(name)
    try:
        with os.fdopen(fd, "w+b") as handle:
            export_to_file(
                db, actor=actor, customer_id=customer_id, out=handle, data_dir=data_dir, via=via
            )
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


@dataclass(frozen=True)
class Download:
    """An archive to hand out once, over HTTP, then delete (`discard`)."""

    path: Path
    filename: str
    media_type: str = "application/zip"
    # The archive is the customer's personal data: no cache along the way keeps a copy.
    headers: Mapping[str, str] = field(default_factory=lambda: {"Cache-Control": "no-store"})

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)


def export_download(
    db: Database, *, actor: Principal, customer_id: int, data_dir: Path, via: str
) -> Download:
    """The export as the API and the web hand it out (admins only, refused before anything is
    written)."""
    require_admin(actor)
    path = export_to_temporary_file(
        db, actor=actor, customer_id=customer_id, data_dir=data_dir, via=via
    )
    return Download(path, f"accord-customer-{customer_id}.zip")


def erase(
    db: Database, *, actor: Principal, customer_id: int, data_dir: Path, via: str
) -> CustomerErasure:
    """Erase in one write transaction, then fold SQLite's write-ahead log into the database
    file and truncate it: the log still holds the pages as they were before the erasure."""
    with db.write() as session:
        tombstone = erase_customer(
            session, actor=actor, customer_id=customer_id, store=MailStore(data_dir), via=via
        )
    if db.is_sqlite:
        checkpoint(db)
    return tombstone


def checkpoint(db: Database) -> None:
    raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        cursor.close()
    finally:
        raw.close()
