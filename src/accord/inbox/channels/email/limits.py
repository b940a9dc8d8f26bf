"""Caps on what one mail may cost: sizes checked before parsing, and a wall-clock limit.

The stdlib parser on this Python is slow on hostile headers (an 8 KB Content-Type takes
seconds), so sizes are checked on the raw bytes first and the parse runs under a deadline.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import FrameType


class Unparseable(Exception):
    """The mail cannot be ingested as it is; `reason` goes to the quarantine."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason[:500]


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 25 * 1024 * 1024
    max_header_bytes: int = 64 * 1024
    max_field_bytes: int = 8 * 1024
    max_parts: int = 200
    max_attachments: int = 50
    max_attachment_bytes: int = 10 * 1024 * 1024
    max_reply_scan_chars: int = 50_000
    seconds: float = 5.0


def check_raw(raw: bytes, limits: Limits) -> None:
    """Refuse, before any parsing, mail whose size or header block is over the caps."""
    if len(raw) > limits.max_bytes:
        raise Unparseable(f"message is {len(raw)} bytes, over the {limits.max_bytes} byte cap")
    end = _header_end(raw, limits.max_header_bytes + 4)
    block = raw[:end]
    if end < 0 or len(block) > limits.max_header_bytes:
        raise Unparseable(f"header block is over the {limits.max_header_bytes} byte cap")
    field = 0
    for line in block.splitlines():
        field = field + len(line) if line[:1] in (b" ", b"\t") else len(line)
        if field > limits.max_field_bytes:
            name = line.split(b":", 1)[0][:40].decode("ascii", "replace")
            raise Unparseable(f"a header field ({name!r}) is over {limits.max_field_bytes} bytes")


def _header_end(raw: bytes, window: int) -> int:
    head = raw[:window]
    ends = [i for i in (head.find(b"\r\n\r\n"), head.find(b"\n\n")) if i >= 0]
    if ends:
        return min(ends)
    # A mail that is all headers (no body) is fine if it fits the window.
    return len(raw) if len(raw) < window else -1


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Interrupt the block after `seconds` where a timer signal can be used (the main thread
    on POSIX); elsewhere the size caps alone bound the cost."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def _expired(_signum: int, _frame: FrameType | None) -> None:
        raise Unparseable(f"parsing took longer than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, _expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
