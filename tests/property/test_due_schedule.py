"""The retry schedule of a row that keeps failing (`accord.db.due.fail`): every failure is
counted, each wait is the one backoff and never shrinks, and the row is given up on exactly
its last allowed attempt, never earlier and never later."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from accord.core.retry import MAX_BACKOFF_MINUTES, backoff
from accord.db.due import MAX_ATTEMPTS, exhausted, fail

START = datetime(2030, 1, 1, tzinfo=UTC)


@dataclass
class Row:
    attempts: int = 0
    last_error: str | None = None
    next_attempt_at: datetime = START


@given(
    max_attempts=st.integers(min_value=1, max_value=40),
    late=st.lists(st.integers(min_value=0, max_value=10_000), min_size=40, max_size=40),
)
def test_a_row_that_keeps_failing_waits_longer_each_time_then_is_given_up(
    max_attempts: int, late: list[int]
) -> None:
    row, waits = Row(), []
    for attempt in range(1, max_attempts + 1):
        # Each attempt happens when the row is due, or later (a worker runs behind).
        at = row.next_attempt_at + timedelta(seconds=late[attempt - 1])
        gave_up = fail(row, f"failure {attempt}", at, max_attempts)
        assert row.attempts == attempt and row.last_error == f"failure {attempt}"
        assert gave_up == (attempt == max_attempts) == exhausted(attempt, max_attempts)
        if gave_up:
            assert row.next_attempt_at <= at  # nothing further is scheduled
        else:
            waits.append(row.next_attempt_at - at)
            assert waits[-1] == backoff(attempt)
    assert waits == sorted(waits)
    assert all(timedelta(minutes=1) <= w <= timedelta(minutes=MAX_BACKOFF_MINUTES) for w in waits)
    assert len(waits) == max_attempts - 1


@given(st.integers(min_value=0, max_value=100))
def test_the_default_limit_gives_up_at_the_eighth_attempt(attempts: int) -> None:
    assert MAX_ATTEMPTS == 8
    assert exhausted(attempts) == (attempts >= 8)
