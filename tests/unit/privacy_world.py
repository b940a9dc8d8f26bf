"""A customer with something of every kind stored about them, for the export and erasure tests:
mail in (raw, html, an attachment), mail out (a reply, a supervisors' alert), an API
conversation with its analysis, an internal note, a manual escalation (case events, webhook
notification), a renamed record, an access code with a label, and a quarantined mail. Each
carries the customer's marker, so a scan can tell whether anything of theirs is left."""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from sqlalchemy import func, select

from accord.cases.escalation.service import escalate
from accord.core.clock import utcnow
from accord.core.principal import SYSTEM, Principal, Role
from accord.db.engine import Database
from accord.inbox import service as inbox
from accord.inbox.channels.email.config import MailConfig
from accord.inbox.channels.email.ingest import Ingestor
from accord.inbox.channels.email.models import OutboxMail, RawMail
from accord.inbox.channels.email.store import MailStore
from accord.inbox.customer_codes import issue_customer_code
from accord.inbox.models import Conversation, Direction
from accord.inbox.schemas import (
    ConversationCreate,
    CustomerCreate,
    CustomerUpdate,
    MessageCreate,
    MessageIn,
)
from tests.world import World

SUPPORT = "support@accord.example"


@dataclass
class Planted:
    customer_id: int
    marker: str
    email: str
    conversation_ids: list[int]
    quarantined: int  # the ledger id of the mail that reached no conversation


def with_mail(db: Database) -> Database:
    """``db`` with sending configured for its sessions, so replies are queued and supervisors
    get alerts (nothing is sent: no worker runs in these tests)."""
    mail = {"mail_address": SUPPORT, "mail_smtp_host": "127.0.0.1"}
    return db.with_settings(db.settings.model_copy(update=mail))


def raw_mail(sender: str, subject: str, text: str, *, attachment: bytes | None = None) -> bytes:
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = SUPPORT
    mail["Subject"] = subject
    mail["Date"] = format_datetime(utcnow())
    mail["Message-ID"] = f"<{abs(hash((sender, subject, text)))}@customer.example>"
    mail.set_content(text)
    mail.add_alternative(f"<p>{text}</p>", subtype="html")
    if attachment is not None:
        mail.add_attachment(
            attachment, maintype="application", subtype="octet-stream", filename="receipt.txt"
        )
    return mail.as_bytes()


def plant(db: Database, world: World, data_dir: Path, marker: str) -> Planted:
    """Everything of one new customer, through the real write paths."""
    email = f"{marker}@customer.example"
    agent = Principal(kind="staff", user_id=world.users["supervisor"], role=Role.SUPERVISOR)
    with db.write() as s:
        data = CustomerCreate(name=f"Zed {marker}", email=email, tier="plus")
        customer_id = inbox.create_customer(s, actor=SYSTEM, data=data).id
        inbox.update_customer(
            s, actor=SYSTEM, customer_id=customer_id, data=CustomerUpdate(name=f"Zed {marker} Jr")
        )
        issue_customer_code(s, actor=SYSTEM, customer_id=customer_id, name=f"code for {marker}")
        opened = ConversationCreate(
            subject=f"Refund {marker}",
            customer_id=customer_id,
            team_id=world.team_x,
            message=MessageIn(
                text=f"I will post {marker} on twitter. Call me on +44 20 7946 0958, refund me."
            ),
        )
        api_conversation, _ = inbox.create_conversation(s, actor=SYSTEM, data=opened)
        note = MessageCreate(text=f"Internal: {marker} called twice", direction=Direction.NOTE)
        inbox.add_message(s, actor=agent, conversation_id=api_conversation.id, data=note)
    with db.write() as s:
        escalate(s, actor=SYSTEM, conversation_id=api_conversation.id, reason=f"{marker} threatens")
    ingest = Ingestor(db, MailStore(data_dir), MailConfig(address=SUPPORT))
    body = f"My parcel {marker} never came. Furious."
    ingest.receive(
        raw_mail(email, f"Parcel {marker}", body, attachment=f"receipt {marker}".encode()),
        "test",
    )
    assert ingest.process_pending()["processed"] == 1
    with db.read() as s:
        mail_conversation = s.scalar(
            select(func.max(Conversation.id)).where(Conversation.customer_id == customer_id)
        )
    assert mail_conversation is not None and mail_conversation != api_conversation.id
    with db.write() as s:
        reply = MessageCreate(text=f"Sorry {marker}, we are on it.")
        inbox.add_message(s, actor=SYSTEM, conversation_id=mail_conversation, data=reply)
        inbox.update_customer(
            s, actor=SYSTEM, customer_id=customer_id, data=CustomerUpdate(blocked=True)
        )
    # Blocked, their next new mail is refused and quarantined: on no conversation, from them.
    quarantined = ingest.receive(raw_mail(email, f"Again {marker}", f"Hello {marker}"), "test")
    assert ingest.process_pending()["quarantined"] == 1
    with db.write() as s:
        inbox.update_customer(
            s, actor=SYSTEM, customer_id=customer_id, data=CustomerUpdate(blocked=False)
        )
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(OutboxMail)) >= 2  # reply + alerts
        assert s.get(RawMail, quarantined).conversation_id is None  # type: ignore[union-attr]
    return Planted(
        customer_id, marker, email, [api_conversation.id, mail_conversation], quarantined
    )
