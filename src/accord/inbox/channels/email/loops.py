"""When an automatic mail may be sent at all (RFC 3834 §2 and the usual vendor signals)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from accord.inbox.channels.email.config import MailConfig
from accord.inbox.channels.email.models import OutboxMail
from accord.inbox.channels.email.parse import ParsedMail

_BULK_PRECEDENCE = frozenset({"bulk", "junk", "list"})


def automatic_reason(parsed: ParsedMail, config: MailConfig) -> str | None:
    """Why the mail looks automatic or must not be answered automatically; None if it is
    ordinary person-to-person mail."""
    loop = parsed.loop_headers
    auto_submitted = (loop.get("Auto-Submitted") or "").split(";")[0].strip().lower()
    if loop.get("Auto-Submitted") is not None and auto_submitted != "no":
        return f"Auto-Submitted: {auto_submitted or 'empty'}"
    if (loop.get("Precedence") or "").strip().lower() in _BULK_PRECEDENCE:
        return "Precedence: bulk/junk/list"
    if loop.get("List-Id") is not None or loop.get("List-Unsubscribe") is not None:
        return "mailing list"
    if loop.get("X-Auto-Response-Suppress") is not None:
        return "X-Auto-Response-Suppress"
    if loop.get("X-Loop") is not None:
        return "X-Loop"
    return_path = loop.get("Return-Path")
    if return_path is not None and return_path.strip() in ("", "<>"):
        return "empty Return-Path (a bounce)"
    if parsed.is_report:
        return "delivery or read report"
    if parsed.sender in config.own_addresses or parsed.sender.startswith("mailer-daemon@"):
        return "sent by one of our own addresses"
    return None


def within_rate_limit(session: Session, config: MailConfig, recipient: str, now: datetime) -> bool:
    """At most `auto_replies_per_hour` automatic mails to one recipient in any hour."""
    sent = session.scalar(
        select(func.count(OutboxMail.id)).where(
            OutboxMail.recipient == recipient,
            OutboxMail.automatic.is_(True),
            OutboxMail.created_at > now - timedelta(hours=1),
        )
    )
    return int(sent or 0) < config.auto_replies_per_hour
