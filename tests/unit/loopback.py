"""Real HTTP servers on 127.0.0.1 that count the connections they accept, and a record of the
sockets a block of code resolves and connects (Python's audit events), for the egress tests.

The audit hook is how a test proves that nothing was sent: a refused destination must not even
get a ``socket.connect``, and a pinned one must not be resolved a second time. It is also a
safety net: inside the block it stops any connection to a non-loopback address, and any lookup
of a name other than ``localhost``, before a packet leaves, so a broken guard fails its tests
instead of reaching the network.
"""

from __future__ import annotations

import ipaddress
import ssl
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, HTTPServer
from socket import socket
from types import TracebackType
from typing import Any

_recording: list[tuple[str, tuple[Any, ...]]] | None = None
_hooked = False


class Blocked(ConnectionRefusedError):
    """A test tried to leave the loopback interface; the audit hook stopped it."""


def _loopback(host: object) -> bool:
    try:
        return ipaddress.ip_address(str(host).split("%", 1)[0]).is_loopback
    except ValueError:
        return host == "localhost"


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if _recording is None or event not in ("socket.connect", "socket.getaddrinfo"):
        return
    _recording.append((event, args))
    target = args[1] if event == "socket.connect" else args
    if isinstance(target, tuple) and target and not _loopback(target[0]):
        raise Blocked(f"{event} to {target[0]!r} blocked: tests stay on loopback")


@contextmanager
def socket_events() -> Iterator[list[tuple[str, tuple[Any, ...]]]]:
    """``socket.getaddrinfo`` and ``socket.connect`` events raised inside the block."""
    global _recording, _hooked
    if not _hooked:  # an audit hook cannot be removed: install one, switch it on and off
        sys.addaudithook(_hook)
        _hooked = True
    _recording = events = []
    try:
        yield events
    finally:
        _recording = None


def connected(events: list[tuple[str, tuple[Any, ...]]]) -> list[Any]:
    return [args[1] for event, args in events if event == "socket.connect"]


def resolved(events: list[tuple[str, tuple[Any, ...]]]) -> list[Any]:
    return [args[0] for event, args in events if event == "socket.getaddrinfo"]


class _Server(HTTPServer):
    connections = 0
    status = 200
    location = ""
    seen: list[dict[str, str]]

    def get_request(self) -> tuple[socket, Any]:
        self.connections += 1
        return super().get_request()


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def _answer(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        if length:
            self.rfile.read(length)
        self.server.seen.append({"path": self.path, "host": self.headers.get("host", "")})
        self.send_response(self.server.status)
        if self.server.location:
            self.send_header("location", self.server.location)
        self.send_header("content-length", "0")
        self.end_headers()

    def do_GET(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self._answer()

    def log_message(self, *_: Any) -> None:
        return


class CountingServer:
    """An HTTP server on 127.0.0.1 answering ``status`` (and ``location``) to every request;
    HTTPS with ``tls``. A connection counts once accepted, before any TLS handshake."""

    def __init__(
        self, *, status: int = 200, location: str = "", tls: ssl.SSLContext | None = None
    ) -> None:
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.status, self._server.location, self._server.seen = status, location, []
        self._scheme = "https" if tls else "http"
        if tls is not None:  # a failed handshake is an OSError, which the server shrugs off
            self._server.socket = tls.wrap_socket(self._server.socket, server_side=True)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"{self._scheme}://127.0.0.1:{self.port}"

    @property
    def connections(self) -> int:
        return self._server.connections

    @property
    def seen(self) -> list[dict[str, str]]:
        return self._server.seen

    def __enter__(self) -> CountingServer:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
