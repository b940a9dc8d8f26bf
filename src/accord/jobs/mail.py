"""Email jobs: poll IMAP and send the outbox. Both are no-ops until configured
(ACCORD_MAIL_IMAP_HOST, ACCORD_MAIL_SMTP_HOST).

Entry points: given no settings (the worker's tasks), they read the process's own once and
hand them on through the database they build (`accord.settings.settings_of`)."""

from __future__ import annotations

from accord.db.engine import Database
from accord.inbox.channels.email.imap import ImapConfig, poll
from accord.inbox.channels.email.sender import SmtpConfig, send_due
from accord.inbox.channels.email.service import ingestor
from accord.settings import Settings, get_settings


def poll_once(settings: Settings | None = None) -> dict[str, int]:
    settings = settings or get_settings()
    db = Database(settings.database_url, settings=settings)
    try:
        ingest = ingestor(db, settings)
        if not settings.mail_imap_host:
            return dict(ingest.process_pending())
        config = ImapConfig(
            host=settings.mail_imap_host,
            port=settings.mail_imap_port,
            user=settings.mail_imap_user,
            password=settings.mail_imap_password,
            folder=settings.mail_imap_folder,
            ssl=settings.mail_imap_ssl,
            ca_file=settings.tls_ca_file,
        )
        return poll(db, ingest, config)
    finally:
        db.dispose()


def send_once(settings: Settings | None = None) -> dict[str, int]:
    settings = settings or get_settings()
    if not settings.mail_smtp_host:
        return {"sent": 0, "failed": 0}
    db = Database(settings.database_url, settings=settings)
    try:
        config = SmtpConfig(
            host=settings.mail_smtp_host,
            port=settings.mail_smtp_port,
            user=settings.mail_smtp_user,
            password=settings.mail_smtp_password,
            starttls=settings.mail_smtp_starttls,
            implicit_tls=settings.mail_smtp_ssl,
            ca_file=settings.tls_ca_file,
        )
        return send_due(db, config)
    finally:
        db.dispose()
