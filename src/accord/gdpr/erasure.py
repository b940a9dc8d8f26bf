"""Erasure of a customer's personal data (GDPR Art. 17), in one transaction.

What goes: their identities and access tokens; their conversations with everything hanging off
them (tags, messages, analyses with their evidence, case and case events, audit events, webhook
notifications, mail in and out, staff alerts about them); messages they wrote elsewhere; mail
from their addresses; idempotency records of their requests; the attachment and raw-mail files
on disk. Audit events about them outside their conversations keep their kind, time and ids, with
every other value ``[erased]`` (`audit.service.erase_for_customer`). The customer row stays,
emptied and blocked, so its id is never reused, and a tombstone (`CustomerErasure`) says who
erased them, when, via which edge and how many rows and files went; nothing personal.

The files are deleted inside the transaction, before its commit: if anything fails, the rows
stay and the erasure can simply be run again; a crash after the files went but before the commit
leaves rows pointing at missing files (read as "missing"), never files nobody can find.
SQLite overwrites what it deletes (`PRAGMA secure_delete`), and `service.erase` checkpoints the
write-ahead log afterwards, so the database file keeps no copy either.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from sqlalchemy import CursorResult, delete, or_, select, text
from sqlalchemy.orm import Session

from accord.audit.service import erase_for_customer, record
from accord.auth.access import require_admin
from accord.auth.models import ApiToken
from accord.cases.models import Case, CaseEvent, Notification
from accord.core.clock import utcnow
from accord.core.errors import Conflict, NotFound
from accord.core.principal import Principal
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
    IdempotencyRecord,
    Message,
)
from accord.inbox.readings import ConversationInsight
from accord.insights.models import MessageInsight

ERASED_NAME = "Erased customer"
VIA = frozenset({"cli", "api", "web"})


def erase_customer(
    session: Session, *, actor: Principal, customer_id: int, store: MailStore, via: str
) -> CustomerErasure:
    """Erase the customer's personal data and return the tombstone. Admins only; a customer
    erased before is a 409 (the tombstone is there to read)."""
    require_admin(actor)
    if via not in VIA:
        raise ValueError(f"via must be one of {sorted(VIA)}")
    load_customer(session, actor, customer_id)
    # Locks: new conversations and messages of this customer wait for the commit.
    customer = session.get(Customer, customer_id, with_for_update=True)
    assert customer is not None
    if session.get(CustomerErasure, customer_id) is not None:
        raise Conflict(f"customer {customer_id} was erased already")
    session.scalars(scope.conversation_ids(customer_id).with_for_update()).all()
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("PRAGMA secure_delete = ON"))  # deleted bytes become zeros
    emails = scope.addresses(session, customer_id)
    files = _files(session, store, customer_id, emails)
    counts = _delete_rows(session, customer_id, emails)
    customer.name, customer.tier, customer.blocked = ERASED_NAME, "standard", True
    counts["files"] = _delete_files(files)
    tombstone = CustomerErasure(
        customer_id=customer_id,
        erased_at=utcnow(),
        erased_by_user_id=actor.user_id,
        erased_by=actor.key,
        via=via,
        counts=counts,
    )
    session.add(tombstone)
    data = {"customer_id": customer_id, "via": via, "counts": counts}
    record(session, actor=actor, kind="customer.erased", data=data)
    session.flush()
    return tombstone


def _delete_rows(session: Session, customer_id: int, emails: list[str]) -> dict[str, int]:
    """Children before parents, so nothing relies on the database's cascades (and nothing is
    left behind by a SET NULL)."""
    conversations = scope.conversation_ids(customer_id)
    messages = scope.message_ids(customer_id)
    in_conversations: list[tuple[str, Any, Any]] = [
        ("notifications", Notification, Notification.conversation_id),
        ("message_analyses", MessageInsight, MessageInsight.conversation_id),
        ("conversation_analyses", ConversationInsight, ConversationInsight.conversation_id),
        ("case_events", CaseEvent, CaseEvent.conversation_id),
        ("cases", Case, Case.conversation_id),
        ("conversation_tags", ConversationTag, ConversationTag.conversation_id),
    ]
    counts = {
        "mail_out": _delete(session, OutboxMail, scope.outbox_about_them(customer_id, emails)),
        "mail_in": _delete(session, RawMail, scope.raw_mail(customer_id, emails)),
    }
    for name, model, column in in_conversations:
        counts[name] = _delete(session, model, column.in_(conversations))
    # An analysis hangs off its message too: one of theirs written in another conversation.
    elsewhere = MessageInsight.message_id.in_(messages)
    counts["message_analyses"] += _delete(session, MessageInsight, elsewhere)
    counts["events"], counts["events_redacted"] = erase_for_customer(
        session, customer_id=customer_id, conversation_ids=conversations
    )
    replays = or_(
        IdempotencyRecord.principal == f"customer:{customer_id}",
        (IdempotencyRecord.resource == "conversation")
        & IdempotencyRecord.resource_id.in_(conversations),
    )
    counts["idempotency_records"] = _delete(session, IdempotencyRecord, replays)
    counts["messages"] = _delete(session, Message, scope.messages(customer_id))
    counts["conversations"] = _delete(
        session, Conversation, Conversation.customer_id == customer_id
    )
    counts["access_tokens"] = _delete(session, ApiToken, ApiToken.customer_id == customer_id)
    counts["identities"] = _delete(
        session, CustomerIdentity, CustomerIdentity.customer_id == customer_id
    )
    return counts


def _delete(session: Session, model: Any, where: Any) -> int:
    result = cast("CursorResult[Any]", session.execute(delete(model).where(where)))
    return int(result.rowcount)


def _files(session: Session, store: MailStore, customer_id: int, emails: list[str]) -> list[Path]:
    """The attachment and raw-mail files of what is about to be deleted."""
    found: list[Path] = []
    rows = session.scalars(
        select(Message.attachments).where(Message.id.in_(scope.message_ids(customer_id)))
    )
    for attachments in rows:
        for meta in scope.stored_attachments(attachments):
            found.append(_path(store.attachment_path, str(meta["id"])))
    digests = session.scalars(select(RawMail.sha256).where(scope.raw_mail(customer_id, emails)))
    found += [_path(store.raw_path, digest) for digest in digests]
    return [p for p in found if p != Path()]


def _path(locate: Any, key: str) -> Path:
    try:
        path: Path = locate(key)
    except NotFound:  # not a name the store ever gave out: nothing on disk to delete
        return Path()
    return path


def _delete_files(paths: list[Path]) -> int:
    """Delete each file; a missing one is already gone. Any other failure raises, so the
    transaction rolls back and the erasure can be run again."""
    gone = 0
    for path in paths:
        try:
            path.unlink()
            gone += 1
        except FileNotFoundError:
            continue
    return gone
