"""When to try again: one backoff for every row that is retried later (webhook deliveries,
outgoing mail, both through `accord.db.due`), so an operator learns one schedule."""

from __future__ import annotations

from datetime import timedelta

MAX_BACKOFF_MINUTES = 360


def backoff(attempts: int) -> timedelta:
    """After the ``attempts``-th failure: 1, 2, 4 … minutes, capped at six hours."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), MAX_BACKOFF_MINUTES))
