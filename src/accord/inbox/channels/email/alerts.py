"""Staff alerts by email: escalations, abuse and SLA breaches reach the supervisors through the
same transactional outbox as customer mail — committed with the change that caused them, sent
by the sender job, resent byte-for-byte after a crash.

Only when sending is configured (`ACCORD_MAIL_SMTP_HOST`); which events mail the supervisors is
`ACCORD_MAIL_ALERTS`. Alerts are automatic mail (`Auto-Submitted: auto-generated`), never part
of the customer's thread, and carry only what a supervisor needs to open the conversation.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.auth.models import User
from accord.core.clock import utcnow
from accord.core.principal import Role
from accord.inbox.channels.email import tokens
from accord.inbox.channels.email.config import MailConfig, mail_config
from accord.inbox.channels.email.headers import is_valid_address, neutral
from accord.inbox.channels.email.models import OutboxMail, OutboxState
from accord.inbox.models import Conversation
from accord.settings import Settings, settings_of

AUTO_GENERATED = "auto-generated"  # RFC 3834: not a reply to anything


def alert_kinds(settings: Settings) -> frozenset[str]:
    if not settings.mail_smtp_host:
        return frozenset()
    return frozenset(k.strip() for k in settings.mail_alerts.split(",") if k.strip())


def supervisor_addresses(session: Session) -> list[str]:
    emails = session.scalars(
        select(User.email).where(User.role == Role.SUPERVISOR.value, User.is_active.is_(True))
    )
    return sorted({e.lower() for e in emails if is_valid_address(e)})


def alert_supervisors(
    session: Session, conversation: Conversation, kind: str, data: Mapping[str, Any]
) -> list[OutboxMail]:
    """Queue one alert per active supervisor when `kind` is an alerting event; else nothing."""
    settings = settings_of(session)
    if kind not in alert_kinds(settings):
        return []
    config = mail_config(settings)
    return [
        _enqueue(session, config, conversation, to, kind, data)
        for to in supervisor_addresses(session)
    ]


def _enqueue(
    session: Session,
    config: MailConfig,
    conversation: Conversation,
    recipient: str,
    kind: str,
    data: Mapping[str, Any],
) -> OutboxMail:
    now = utcnow()
    row = OutboxMail(
        conversation_id=conversation.id,
        message_id=None,
        rfc_message_id=f"unset-{secrets.token_hex(16)}",  # replaced once the id is known
        recipient=recipient,
        sender=config.address,
        automatic=True,
        raw="",
        state=OutboxState.PENDING.value,
        attempts=0,
        next_attempt_at=now,
        created_at=now,
    )
    session.add(row)
    session.flush()
    key = config.key(session)
    row.rfc_message_id = tokens.outbound_message_id(key, conversation.id, row.id, config.domain)
    row.raw = render(config, row, conversation, kind, data)
    session.flush()
    return row


def render(
    config: MailConfig,
    row: OutboxMail,
    conversation: Conversation,
    kind: str,
    data: Mapping[str, Any],
) -> str:
    mail = EmailMessage()
    mail["From"] = config.address
    mail["To"] = neutral(row.recipient, 320)
    subject = f"[Accord] {kind}: {conversation.subject} (#{conversation.id})"
    mail["Subject"] = neutral(subject, 250)
    mail["Date"] = format_datetime(row.created_at)
    mail["Message-ID"] = row.rfc_message_id
    mail["Auto-Submitted"] = AUTO_GENERATED
    mail["X-Auto-Response-Suppress"] = "All"
    mail.set_content(body(conversation, kind, data), cte="quoted-printable")
    return mail.as_bytes(policy=SMTP).decode("ascii")


def body(conversation: Conversation, kind: str, data: Mapping[str, Any]) -> str:
    lines = [
        f"{kind} on conversation #{conversation.id}: {conversation.subject}",
        f"priority {conversation.priority}, status {conversation.status}",
        "",
        *_details(data),
        "",
        f"Open it in Accord: /conversations/{conversation.id}",
        "This is an automatic alert; replies to it are not read.",
    ]
    return "\n".join(lines) + "\n"


def _details(data: Mapping[str, Any]) -> Sequence[str]:
    out = []
    for name, value in sorted(data.items()):
        shown = ", ".join(map(str, value)) if isinstance(value, list | tuple) else str(value)
        out.append(f"{name}: {shown[:500]}")
    return out
