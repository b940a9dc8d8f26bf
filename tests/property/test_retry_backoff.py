"""The one retry schedule: starts at a minute, never shrinks, never exceeds six hours."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from accord.core.retry import MAX_BACKOFF_MINUTES, backoff


def test_the_schedule_starts_at_one_minute_and_doubles() -> None:
    assert [backoff(n) for n in (1, 2, 3, 4)] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]


@given(st.integers(min_value=0, max_value=10_000))
def test_it_never_shrinks_and_stays_under_the_cap(attempts: int) -> None:
    assert timedelta(minutes=1) <= backoff(attempts) <= backoff(attempts + 1)
    assert backoff(attempts) <= timedelta(minutes=MAX_BACKOFF_MINUTES)
