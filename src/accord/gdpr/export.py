"""Everything stored about one customer, as one zip (GDPR Art. 15 access, Art. 20 portability).

The archive (format ``accord-customer-export``, version 1; docs/privacy.md describes each field):

- ``manifest.json``: format, version, customer id, when and by whom, counts, and every other
  member with its size and sha256;
- ``customer.json``: the customer record and identities, access tokens (metadata: never a hash
  or a secret), audit events about them outside their conversations, messages they wrote
  elsewhere, mail from their addresses that reached no conversation, and the erasure tombstone
  if they were erased;
- ``conversations/<id>.json``: one conversation with its tags, messages (text, html, attachment
  metadata with the archive path of the bytes), each message's analysis, the conversation's
  analysis, case, case events, audit events, webhook notifications, and mail in and out;
- ``attachments/<id>``: attachment bytes as received (the file name is in the metadata: names a
  sender chose never become paths);
- ``mail/raw/<sha256>.eml``: raw inbound mail; ``mail/outbox/<id>.eml``: outbound mail as sent.

Columns are read from the tables themselves, so a column added later is exported without a change
here; only secrets are left out (token hashes). Rows are read per group of conversations, so
memory stays flat however many a customer has.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO, Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from accord.audit.models import Event
from accord.audit.service import record
from accord.auth.access import require_admin
from accord.auth.models import ApiToken
from accord.cases.models import Case, CaseEvent, Notification
from accord.core.clock import utcnow
from accord.core.errors import NotFound
from accord.core.principal import Principal
from accord.db.base import Base
from accord.gdpr import scope
from accord.inbox.access import load_customer
from accord.inbox.channels.email.models import OutboxMail, RawMail
from accord.inbox.channels.email.store import MailStore
from accord.inbox.models import (
    Conversation,
    ConversationTag,
    Customer,
    CustomerErasure,
    CustomerIdentity,
    Message,
)
from accord.inbox.readings import ConversationInsight
from accord.insights.models import MessageInsight

FORMAT = "accord-customer-export"
VERSION = 1
GROUP = 200  # conversations read per round of queries
SECRETS: dict[str, frozenset[str]] = {"api_tokens": frozenset({"token_hash"})}
Row = dict[str, Any]


@dataclass
class ExportSummary:
    customer_id: int
    exported_at: datetime
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    files: list[dict[str, Any]] = field(default_factory=list)
    bytes: int = 0


def export_customer(
    session: Session, *, actor: Principal, customer_id: int, out: IO[bytes], store: MailStore
) -> ExportSummary:
    """Write the customer's archive to `out` (a seekable binary file). Admins only. Read-only:
    the edge records the export (`record_export`) in its own short write transaction."""
    require_admin(actor)
    _consistent_snapshot(session)
    customer = load_customer(session, actor, customer_id)
    summary = ExportSummary(customer_id, utcnow())
    start = out.tell()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        archive = _Archive(zf, summary)
        emails = scope.addresses(session, customer_id)
        ids = list(session.scalars(scope.conversation_ids(customer_id).order_by(Conversation.id)))
        for first in range(0, len(ids), GROUP):
            for conversation in _conversations(session, ids[first : first + GROUP], emails):
                _write_conversation(archive, store, conversation)
        archive.json("customer.json", _customer(session, customer, ids, emails, archive, store))
        archive.json("manifest.json", _manifest(actor, summary), listed=False)
    summary.bytes = out.tell() - start
    return summary


def record_export(session: Session, *, actor: Principal, summary: ExportSummary, via: str) -> None:
    """The audit trail's record of an export: who, when, via which edge, and how much."""
    data = {
        "customer_id": summary.customer_id,
        "via": via,
        "bytes": summary.bytes,
        "counts": dict(summary.counts),
    }
    record(session, actor=actor, kind="customer.exported", data=data)


def _consistent_snapshot(session: Session) -> None:
    """One snapshot for the whole export. SQLite's read transaction already is one; PostgreSQL
    reads each statement afresh under READ COMMITTED, so ask for REPEATABLE READ."""
    if session.get_bind().dialect.name == "postgresql":
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})


class _Archive:
    def __init__(self, zf: zipfile.ZipFile, summary: ExportSummary) -> None:
        self.zf, self.summary = zf, summary
        self.names: set[str] = set()

    def json(self, name: str, value: Any, *, listed: bool = True) -> None:
        data = json.dumps(value, ensure_ascii=False, indent=1, default=_plain).encode()
        self.write(name, data, zipfile.ZIP_DEFLATED, listed=listed)

    def write(self, name: str, data: bytes, compress: int, *, listed: bool = True) -> str:
        if name in self.names:  # the same raw mail behind two rows, say: stored once
            return name
        info = zipfile.ZipInfo(name, date_time=self.summary.exported_at.timetuple()[:6])
        info.compress_type = compress
        self.zf.writestr(info, data)
        self.names.add(name)
        if listed:
            digest = hashlib.sha256(data).hexdigest()
            self.summary.files.append({"path": name, "bytes": len(data), "sha256": digest})
        return name


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"cannot export a {type(value).__name__}")


def _rows(
    session: Session, model: type[Base], where: ColumnElement[bool], *order: Any
) -> list[Row]:
    """Every column of the matching rows, as the table stores them (secrets left out)."""
    table = Base.metadata.tables[model.__tablename__]
    hidden = SECRETS.get(table.name, frozenset())
    columns = [c for c in table.columns if c.name not in hidden]
    query = select(*columns).where(where).order_by(*(order or table.primary_key.columns))
    return [dict(r) for r in session.execute(query).mappings()]


def _by(rows: Iterable[Row], key: str) -> dict[Any, list[Row]]:
    grouped: dict[Any, list[Row]] = defaultdict(list)
    for row in rows:
        grouped[row[key]].append(row)
    return grouped


# What hangs off a conversation, each read for a whole group of conversations at once.
_PARTS: tuple[tuple[str, type[Base], Any], ...] = (
    ("tags", ConversationTag, ConversationTag.conversation_id),
    ("messages", Message, Message.conversation_id),
    ("analyses", MessageInsight, MessageInsight.conversation_id),
    ("analysis", ConversationInsight, ConversationInsight.conversation_id),
    ("case", Case, Case.conversation_id),
    ("case_events", CaseEvent, CaseEvent.conversation_id),
    ("events", Event, Event.conversation_id),
    ("notifications", Notification, Notification.conversation_id),
    ("mail_in", RawMail, RawMail.conversation_id),
)


def _conversations(session: Session, ids: Sequence[int], emails: Sequence[str]) -> Iterator[Row]:
    """Each conversation of the group with everything that hangs off it."""
    parts = {
        name: _by(_rows(session, model, column.in_(ids)), "conversation_id")
        for name, model, column in _PARTS
    }
    to_them = and_(OutboxMail.conversation_id.in_(ids), _to(emails))
    parts["mail_out"] = _by(_rows(session, OutboxMail, to_them), "conversation_id")
    for conversation in _rows(session, Conversation, Conversation.id.in_(ids)):
        cid = conversation["id"]
        found = {name: grouped.get(cid, []) for name, grouped in parts.items()}
        analyses = {a["message_id"]: a for a in found.pop("analyses")}
        for message in found["messages"]:
            message["analysis"] = analyses.get(message["id"])
        conversation["tags"] = [t["tag"] for t in found.pop("tags")]
        conversation["analysis"] = next(iter(found.pop("analysis")), None)
        conversation["case"] = next(iter(found.pop("case")), None)
        yield conversation | found


def _to(emails: Sequence[str]) -> ColumnElement[bool]:
    """Within the customer's conversations: mail to them, not the supervisors' alerts."""
    return or_(OutboxMail.message_id.is_not(None), func.lower(OutboxMail.recipient).in_(emails))


def _write_conversation(archive: _Archive, store: MailStore, conversation: Row) -> None:
    for message in conversation["messages"]:
        _attach(archive, store, message)
    for raw in conversation["mail_in"]:
        _raw(archive, store, raw)
    for mail in conversation["mail_out"]:
        _outbox(archive, mail)
    counts = archive.summary.counts
    counts["conversations"] += 1
    counts["messages"] += len(conversation["messages"])
    counts["message_analyses"] += sum(1 for m in conversation["messages"] if m["analysis"])
    for part in ("case_events", "events", "notifications", "mail_in", "mail_out"):
        counts[part] += len(conversation[part])
    archive.json(f"conversations/{conversation['id']}.json", conversation)


def _attach(archive: _Archive, store: MailStore, message: Row) -> None:
    """Each stored attachment's bytes go in the archive; its metadata says where."""
    for meta in scope.stored_attachments(message.get("attachments")):
        attachment_id = meta["id"]
        try:
            data = store.attachment_path(str(attachment_id)).read_bytes()
        except (NotFound, OSError):
            meta["archive_path"] = None  # listed on the message, gone from the disk
            continue
        meta["archive_path"] = archive.write(
            f"attachments/{attachment_id}", data, zipfile.ZIP_STORED
        )
        archive.summary.counts["attachments"] += 1


def _raw(archive: _Archive, store: MailStore, raw: Row) -> None:
    try:
        data = store.get_raw(str(raw["sha256"]))
    except (NotFound, OSError):
        raw["archive_path"] = None
        return
    raw["archive_path"] = archive.write(f"mail/raw/{raw['sha256']}.eml", data, zipfile.ZIP_DEFLATED)


def _outbox(archive: _Archive, mail: Row) -> None:
    text = mail.pop("raw") or ""
    name = f"mail/outbox/{mail['id']}.eml"
    mail["archive_path"] = archive.write(name, text.encode(), zipfile.ZIP_DEFLATED)


def _customer(
    session: Session,
    customer: Customer,
    conversation_ids: Sequence[int],
    emails: Sequence[str],
    archive: _Archive,
    store: MailStore,
) -> Row:
    cid = customer.id
    record_row = _rows(session, Customer, Customer.id == cid)[0]
    mine = scope.conversation_ids(cid)
    about = or_(Event.actor_customer_id == cid, Event.data["customer_id"].as_integer() == cid)
    elsewhere = or_(Event.conversation_id.is_(None), Event.conversation_id.not_in(mine))
    unthreaded = and_(scope.raw_mail(cid, emails), RawMail.conversation_id.is_(None))
    written = and_(Message.author_customer_id == cid, Message.conversation_id.not_in(mine))
    erasure = _rows(session, CustomerErasure, CustomerErasure.customer_id == cid)
    part: Row = {
        "customer": record_row,
        "identities": _rows(session, CustomerIdentity, CustomerIdentity.customer_id == cid),
        "access_tokens": _rows(session, ApiToken, ApiToken.customer_id == cid),
        "events": _rows(session, Event, and_(about, elsewhere)),
        "messages_elsewhere": _rows(session, Message, written),
        "mail_in_unthreaded": _rows(session, RawMail, unthreaded),
        "erasure": erasure[0] if erasure else None,
        "conversation_ids": list(conversation_ids),
    }
    for message in part["messages_elsewhere"]:
        _attach(archive, store, message)
    for raw in part["mail_in_unthreaded"]:
        _raw(archive, store, raw)
    counts = archive.summary.counts
    for name in ("identities", "access_tokens", "messages_elsewhere", "mail_in_unthreaded"):
        counts[name] = len(part[name])
    counts["events"] += len(part["events"])
    return part


def _manifest(actor: Principal, summary: ExportSummary) -> Row:
    return {
        "format": FORMAT,
        "version": VERSION,
        "customer_id": summary.customer_id,
        "exported_at": summary.exported_at,
        "exported_by": actor.key,
        "counts": dict(sorted(summary.counts.items())),
        "files": summary.files,
    }
