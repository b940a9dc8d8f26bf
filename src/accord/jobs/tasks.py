"""Job entry points. Each opens its own database session from the settings."""

from __future__ import annotations

import logging
from functools import lru_cache

from huey import crontab

from accord.auth.service import purge_expired_sessions
from accord.db.engine import Database
from accord.jobs.queue import huey
from accord.settings import get_settings

log = logging.getLogger("accord.jobs")


@lru_cache(maxsize=1)
def _database() -> Database:
    return Database(get_settings().database_url)


@huey.periodic_task(crontab(minute="*/15"))  # type: ignore[untyped-decorator]
def purge_sessions() -> int:
    """Delete expired browser sessions so the table does not grow without bound."""
    with _database().write() as session:
        removed = purge_expired_sessions(session)
    log.info("purged %d expired sessions", removed)
    return removed
