"""Login throttling: after too many failed attempts for one account from one address, further
attempts are refused for a while, so passwords cannot be guessed at line speed.

State is in process memory: the embedded default runs one server process; behind several
workers each keeps its own window, which still bounds guessing per process.
"""

from __future__ import annotations

import threading
from collections import deque
from datetime import timedelta

from accord.core.clock import utcnow
from accord.core.errors import RateLimited

MAX_FAILURES = 10
WINDOW = timedelta(minutes=15)


class LoginThrottle:
    def __init__(self, max_failures: int = MAX_FAILURES, window: timedelta = WINDOW) -> None:
        self.max_failures = max_failures
        self.window = window
        self._failures: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def check(self, email: str, address: str) -> None:
        with self._lock:
            recent = self._recent((email.lower(), address))
        if len(recent) >= self.max_failures:
            minutes = int(self.window.total_seconds() // 60)
            raise RateLimited(f"too many failed logins; try again in up to {minutes} minutes")

    def failed(self, email: str, address: str) -> None:
        with self._lock:
            self._recent((email.lower(), address)).append(utcnow().timestamp())

    def succeeded(self, email: str, address: str) -> None:
        with self._lock:
            self._failures.pop((email.lower(), address), None)

    def _recent(self, key: tuple[str, str]) -> deque[float]:
        cutoff = (utcnow() - self.window).timestamp()
        times = self._failures.setdefault(key, deque())
        while times and times[0] < cutoff:
            times.popleft()
        return times
