"""The outbox sender: lease due rows, send each over SMTP, record the outcome.

A row is leased (lease_until in the future) in its own committed transaction before sending,
so two senders never send one row at once; if we crash after the server's 250 and before
marking the row sent, the lease runs out and the row is sent again — the same stored bytes,
the same Message-ID, so receivers see one mail, not two different ones.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta

from accord.core.clock import utcnow
from accord.core.tls import client_context, is_loopback_host
from accord.db.due import Queue, succeed
from accord.db.engine import Database
from accord.inbox.channels.email.models import OutboxMail, OutboxState

log = logging.getLogger("accord.mail")
LEASE = timedelta(minutes=5)
MAIL_QUEUE = Queue(OutboxMail, owed=(OutboxMail.state == OutboxState.PENDING.value,))


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int = 25
    user: str = ""
    password: str = ""
    # STARTTLS on loopback too; beyond loopback it is always used (see _connect).
    starttls: bool = False
    timeout: float = 30.0
    implicit_tls: bool = False  # SMTPS (port 465): TLS from the first byte
    ca_file: str | None = None  # an internal CA trusted beside the system's (ACCORD_TLS_CA_FILE)


def lease_due(db: Database, now: datetime, limit: int = 50) -> list[int]:
    """Claim up to `limit` due rows; returns the ids this caller now owns."""
    with db.write() as session:
        return MAIL_QUEUE.claim(session, now, LEASE, limit)


def send_due(db: Database, smtp: SmtpConfig, now: datetime | None = None) -> dict[str, int]:
    """Send everything due; returns counts of sent and failed attempts."""
    now = now or utcnow()
    counts = {"sent": 0, "failed": 0}
    ids = lease_due(db, now)
    if not ids:
        return counts
    try:
        client = _connect(smtp)
    except (smtplib.SMTPException, OSError) as exc:
        for row_id in ids:
            _record_failure(db, row_id, f"connect: {type(exc).__name__}: {exc}")
        counts["failed"] = len(ids)
        return counts
    with client:
        for row_id in ids:
            ok = _send_one(db, client, row_id)
            counts["sent" if ok else "failed"] += 1
    return counts


def _connect(smtp: SmtpConfig) -> smtplib.SMTP:
    """A logged-in client. Mail and passwords travel in plain text only on loopback: anywhere
    else the server must offer STARTTLS (or SMTPS is configured), or nothing is sent."""
    # smtplib's default context checks neither the certificate nor the host name, so a
    # machine in the middle could read the login and every mail: verify both.
    context = client_context(smtp.ca_file)
    if smtp.implicit_tls:
        return _login(
            smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=smtp.timeout, context=context), smtp
        )
    client = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout)
    if smtp.starttls or not is_loopback_host(smtp.host):
        try:
            # Raises SMTPNotSupportedError when the server offers no STARTTLS: no fallback.
            client.starttls(context=context)
        except BaseException:
            client.close()
            raise
    return _login(client, smtp)


def _login(client: smtplib.SMTP, smtp: SmtpConfig) -> smtplib.SMTP:
    if smtp.user:
        try:
            client.login(smtp.user, smtp.password)
        except BaseException:
            client.close()
            raise
    return client


def _send_one(db: Database, client: smtplib.SMTP, row_id: int) -> bool:
    with db.read() as session:
        row = session.get(OutboxMail, row_id)
        if row is None:
            return False
        sender, recipient, raw = row.sender, row.recipient, row.raw
    try:
        client.sendmail(sender, [recipient], raw.encode("ascii"))
    except (smtplib.SMTPException, OSError) as exc:
        _record_failure(db, row_id, f"{type(exc).__name__}: {exc}")
        return False
    mark_sent(db, row_id)
    return True


def mark_sent(db: Database, row_id: int) -> None:
    with db.write() as session:
        row = session.get(OutboxMail, row_id)
        if row is not None:
            row.state, row.sent_at, row.lease_until = OutboxState.SENT.value, utcnow(), None
            succeed(row)


def _record_failure(db: Database, row_id: int, error: str) -> None:
    log.warning("sending outbox mail %s failed: %s", row_id, error)
    with db.write() as session:
        row = session.get(OutboxMail, row_id)
        if row is None:
            return
        row.lease_until = None
        if MAIL_QUEUE.fail(row, error, utcnow()):
            row.state = OutboxState.FAILED.value
