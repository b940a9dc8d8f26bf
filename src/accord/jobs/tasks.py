"""Job entry points. Each opens its own database session from the settings.

The tasks are an edge of the application, like the CLI: they read the process's settings
(`get_settings`, the worker's environment) and hand them on, through the sessions of the
database they build (`accord.settings.settings_of`), to the services they call."""

from __future__ import annotations

import logging
from functools import lru_cache

from huey import crontab

from accord.auth.service import purge_expired_sessions
from accord.cases.notifications import deliver_pending
from accord.cases.sla.tick import run_tick
from accord.core.clock import utcnow
from accord.core.egress import EgressPolicy, guarded_client
from accord.db.engine import Database
from accord.insights.service import cool
from accord.jobs.queue import huey
from accord.settings import get_settings

log = logging.getLogger("accord.jobs")


@lru_cache(maxsize=1)
def _database() -> Database:
    settings = get_settings()
    return Database(settings.database_url, settings=settings)


@huey.periodic_task(crontab(minute="*/15"))  # type: ignore[untyped-decorator]
def purge_sessions() -> int:
    """Delete expired browser sessions so the table does not grow without bound."""
    with _database().write() as session:
        removed = purge_expired_sessions(session)
    log.info("purged %d expired sessions", removed)
    return removed


@huey.periodic_task(crontab(minute="*"))  # type: ignore[untyped-decorator]
def case_tick() -> list[str]:
    """Fire due SLA warnings ("about to breach") and breaches once, then the escalation rules
    that watch them. A missed minute is caught up: checks compare against the last tick."""
    with _database().write() as session:
        fired = run_tick(session, utcnow())
    if fired:
        log.info("SLA checks fired: %s", ", ".join(fired))
    return fired


@huey.periodic_task(crontab(minute="*/15"))  # type: ignore[untyped-decorator]
def cool_heat() -> int:
    """Let time cool each conversation's heat (the customer's, halved every three days without
    a word from them), so the inbox's order stays true between messages. Nothing while the
    analysis is switched off (ACCORD_ANALYSIS_ENABLED=false): the readings stay as they were."""
    if not get_settings().analysis_enabled:
        return 0
    with _database().write() as session:
        return cool(session, utcnow())


@huey.periodic_task(crontab(minute="*"))  # type: ignore[untyped-decorator]
def deliver_webhooks() -> int:
    """Post pending notifications to ACCORD_WEBHOOK_URL, signed; failures retry with backoff."""
    settings = get_settings()
    if not settings.webhook_url:
        return 0
    # The guard refuses inward destinations, on every redirect hop too (accord.core.egress).
    policy = EgressPolicy.parse(settings.egress_allowed_networks)
    client = guarded_client(policy, timeout=10, ca_file=settings.tls_ca_file)
    with _database().write() as session, client:
        return deliver_pending(session, settings.webhook_url, settings.webhook_secret, client)


@huey.periodic_task(crontab(minute="*"))  # type: ignore[untyped-decorator]
def poll_mail() -> dict[str, int]:
    """Fetch new mail over IMAP (when configured) and process whatever is still pending."""
    from accord.jobs.mail import poll_once

    return poll_once()


@huey.periodic_task(crontab(minute="*"))  # type: ignore[untyped-decorator]
def send_mail() -> dict[str, int]:
    """Send due outbox mail over SMTP (when configured); failures retry with backoff."""
    from accord.jobs.mail import send_once

    return send_once()
