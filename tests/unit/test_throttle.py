from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest

from accord.auth import throttle
from accord.auth.throttle import LoginThrottle, RequestLimit, SlidingWindow
from accord.core.clock import FixedClock, get_clock, set_clock
from accord.core.errors import RateLimited


def test_the_window_slides_and_success_resets() -> None:
    previous, clock = get_clock(), FixedClock(datetime(2026, 1, 1, tzinfo=UTC))
    set_clock(clock)
    try:
        throttle = LoginThrottle(max_failures=3, window=timedelta(minutes=10))
        for _ in range(3):
            throttle.check("A@x.example", "1.2.3.4")
            throttle.failed("a@x.example", "1.2.3.4")
        with pytest.raises(RateLimited):
            throttle.check("a@x.example", "1.2.3.4")
        throttle.check("a@x.example", "5.6.7.8")  # another address is not blocked
        clock.advance(timedelta(minutes=10, seconds=1))
        throttle.check("a@x.example", "1.2.3.4")
        throttle.failed("a@x.example", "1.2.3.4")
        throttle.succeeded("a@x.example", "1.2.3.4")
        throttle.check("a@x.example", "1.2.3.4")
    finally:
        set_clock(previous)


def test_a_request_limit_counts_every_request_and_says_when_to_retry() -> None:
    previous, clock = get_clock(), FixedClock(datetime(2026, 1, 1, tzinfo=UTC))
    set_clock(clock)
    try:
        limit = RequestLimit(2, timedelta(minutes=1), "messages")
        limit.take("1.2.3.4")
        clock.advance(timedelta(seconds=20))
        limit.take("1.2.3.4")
        with pytest.raises(RateLimited) as refused:
            limit.take("1.2.3.4")
        assert refused.value.extra == {"retry_after": 40}
        assert "too many messages" in refused.value.detail
        limit.take("5.6.7.8")  # another address has its own window
        clock.advance(timedelta(seconds=41))  # the first request left the window
        limit.take("1.2.3.4")
        with pytest.raises(RateLimited):
            limit.take("1.2.3.4")
    finally:
        set_clock(previous)


def test_idle_addresses_are_forgotten(monkeypatch: pytest.MonkeyPatch) -> None:
    previous, clock = get_clock(), FixedClock(datetime(2026, 1, 1, tzinfo=UTC))
    set_clock(clock)
    monkeypatch.setattr(throttle, "SWEEP_KEYS", 10)
    try:
        window = SlidingWindow(timedelta(minutes=1))
        for i in range(10):
            window.add(f"10.0.0.{i}")
        clock.advance(timedelta(minutes=2))
        for i in range(10):
            window.add(f"10.0.1.{i}")
        assert window.count("10.0.0.1") == 0
        assert len(window._times) == 10, "the idle addresses were swept"
    finally:
        set_clock(previous)


def test_simultaneous_attempts_cannot_all_pass_the_check() -> None:
    """Each attempt is counted when it is let through, not when its failure is known later:
    attempts that all pass `check` before any of them fails would otherwise all get in."""
    throttle = LoginThrottle(max_failures=5, window=timedelta(minutes=10))
    attempts = 17
    start, checked = threading.Barrier(attempts), threading.Barrier(attempts, timeout=30)

    def attempt(_: int) -> bool:
        start.wait()
        try:
            throttle.check("a@x.example", "1.2.3.4")
        except RateLimited:
            checked.wait()
            return False
        checked.wait()  # every attempt has been checked before any password is known wrong
        throttle.failed("a@x.example", "1.2.3.4")
        return True

    with ThreadPoolExecutor(attempts) as pool:
        let_through = sum(pool.map(attempt, range(attempts)))
    assert let_through == 5
    with pytest.raises(RateLimited):
        throttle.check("a@x.example", "1.2.3.4")
