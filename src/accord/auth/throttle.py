"""Throttling by client address, so passwords cannot be guessed at line speed and the public
chat widget cannot be flooded.

- `LoginThrottle`: after too many failed attempts for one account from one address, further
  attempts are refused for a while. An attempt counts as failed the moment it is let through
  (checked and counted in one step) until it succeeds, so simultaneous attempts cannot all
  pass the check while their passwords are still being verified;
- `RequestLimit`: at most N requests per window from one key (an address), each counted.

Both refuse with `RateLimited` carrying `retry_after` (seconds), which the API turns into a
429 with a `Retry-After` header. State is in process memory: the embedded default runs one
server process; behind several workers each keeps its own window, which still bounds the
rate per process.
"""

from __future__ import annotations

import logging
import math
import threading
from collections import deque
from collections.abc import Hashable
from datetime import timedelta

from accord.core.clock import utcnow
from accord.core.errors import RateLimited

# Every login attempt that reaches a verdict is logged (ASVS 5.0 16.3.1). Values are %r-quoted:
# an account name with CR/LF in it cannot start a forged log line.
log = logging.getLogger("accord.auth")
MAX_FAILURES = 10
WINDOW = timedelta(minutes=15)
# Keys are client addresses on a public endpoint: forget idle ones once there are this many,
# so a spray of addresses cannot grow memory without bound.
SWEEP_KEYS = 10_000


class SlidingWindow:
    """Event times per key, forgotten once older than `window`. Thread-safe."""

    def __init__(self, window: timedelta) -> None:
        self.window = window
        self._times: dict[Hashable, deque[float]] = {}
        self._lock = threading.Lock()
        self._sweep_at = SWEEP_KEYS

    def count(self, key: Hashable) -> int:
        with self._lock:
            return len(self._recent(key))

    def add(self, key: Hashable) -> None:
        with self._lock:
            self._stored(key).append(utcnow().timestamp())
            self._sweep()

    def take(self, key: Hashable, limit: int) -> int | None:
        """Counts one event unless `limit` are already in the window; then returns how many
        seconds until the oldest leaves it (nothing is counted)."""
        with self._lock:
            times = self._stored(key)
            if len(times) >= limit:
                return self._wait(times)
            times.append(utcnow().timestamp())
            self._sweep()
            return None

    def clear(self, key: Hashable) -> None:
        with self._lock:
            self._times.pop(key, None)

    def _recent(self, key: Hashable) -> deque[float]:
        cutoff = (utcnow() - self.window).timestamp()
        times = self._times.get(key)
        if times is None:  # a lookup stores nothing: only `add`/`take` grow the table
            return deque()
        while times and times[0] < cutoff:
            times.popleft()
        return times

    def _stored(self, key: Hashable) -> deque[float]:
        times = self._times[key] = self._recent(key)
        return times

    def _wait(self, times: deque[float]) -> int:
        if not times:
            return 0
        left = times[0] + self.window.total_seconds() - utcnow().timestamp()
        return max(1, math.ceil(left))

    def _sweep(self) -> None:
        if len(self._times) < self._sweep_at:
            return
        for key in list(self._times):
            if not self._recent(key):
                del self._times[key]
        # Sweep again only after the table doubles: amortised O(1) per event.
        self._sweep_at = max(SWEEP_KEYS, 2 * len(self._times))


class LoginThrottle:
    def __init__(self, max_failures: int = MAX_FAILURES, window: timedelta = WINDOW) -> None:
        self.max_failures = max_failures
        self._failures = SlidingWindow(window)

    @property
    def window(self) -> timedelta:
        return self._failures.window

    def check(self, email: str, address: str) -> None:
        """Lets one attempt through, counted as a failure until `succeeded` clears the count,
        or refuses it once `max_failures` are in the window."""
        wait = self._failures.take((email.lower(), address), self.max_failures)
        if wait is not None:
            log.warning("login refused, too many failures: account=%r address=%r", email, address)
            minutes = int(self.window.total_seconds() // 60)
            raise RateLimited(
                f"too many failed logins; try again in up to {minutes} minutes", retry_after=wait
            )

    def failed(self, email: str, address: str) -> None:
        """The attempt `check` let through failed: it is already counted, and logged here."""
        log.warning("login failed: account=%r address=%r", email, address)

    def succeeded(self, email: str, address: str) -> None:
        self._failures.clear((email.lower(), address))
        log.info("login succeeded: account=%r address=%r", email, address)


class RequestLimit:
    """At most `limit` requests per `window` from one key; `what` names them in the refusal."""

    def __init__(self, limit: int, window: timedelta, what: str) -> None:
        self.limit = limit
        self.what = what
        self._requests = SlidingWindow(window)

    def take(self, key: str) -> None:
        wait = self._requests.take(key, self.limit)
        if wait is not None:
            raise RateLimited(
                f"too many {self.what} from your address; try again in {wait} seconds",
                retry_after=wait,
            )
