"""Caps on what one mail may cost: sizes checked before parsing, and a wall-clock limit.

The stdlib parser on this Python is slow on hostile headers (an 8 KB Content-Type takes
seconds), so sizes are checked on the raw bytes first and the parse runs under a deadline:
a timer signal on the main thread (the CLI import), and elsewhere (the worker's job threads,
API requests) a parser process that is killed when its time is up.
"""

from __future__ import annotations

import atexit
import multiprocessing
import signal
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager
from dataclasses import dataclass
from types import FrameType
from typing import TypeVar

from pebble import ProcessExpired, ProcessPool

T = TypeVar("T")
_pool: ProcessPool | None = None
_pool_lock = threading.Lock()


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
    # Zip-based office files (docx, xlsx, pptx): entries and unpacked bytes, checked before
    # anything is inflated (attachments.py); the unpacked bytes also per mail.
    max_archive_entries: int = 1000
    max_unpacked_bytes: int = 100 * 1024 * 1024
    max_unpacked_bytes_per_mail: int = 200 * 1024 * 1024
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


def run_limited(work: Callable[[bytes, Limits], T], raw: bytes, limits: Limits) -> T:
    """`work(raw, limits)` with at most `limits.seconds` of wall-clock time, else `Unparseable`.

    `work` must be a module-level function: off the main thread it runs in a parser process.
    """
    if _signals_usable():
        with deadline(limits.seconds):
            return work(raw, limits)
    future = _parser_pool().schedule(work, args=(raw, limits), timeout=limits.seconds)
    try:
        return future.result()
    except FutureTimeout as exc:  # pebble has killed the process and started another
        raise Unparseable(f"parsing took longer than {limits.seconds:g} s") from exc
    except ProcessExpired as exc:  # the parser died (out of memory, a crash in C code)
        raise Unparseable(f"the parser process died (exit code {exc.exitcode})") from exc


def _signals_usable() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


def _parser_pool() -> ProcessPool:
    global _pool
    with _pool_lock:
        if _pool is None:
            # Spawned, not forked: forking a process that runs threads can copy a held lock.
            _pool = ProcessPool(max_workers=1, context=multiprocessing.get_context("spawn"))
            atexit.register(_pool.stop)
        return _pool


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Interrupt the block after `seconds` with a timer signal (the main thread on POSIX only;
    `run_limited` covers the other threads)."""
    if not _signals_usable():
        raise RuntimeError("deadline() needs the main thread; use run_limited()")

    def _expired(_signum: int, _frame: FrameType | None) -> None:
        raise Unparseable(f"parsing took longer than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, _expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
