from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from accord.auth.throttle import LoginThrottle
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
