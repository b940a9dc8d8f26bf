"""Antivirus scanning of kept attachments with ClamAV's daemon (clamd), when
`ACCORD_CLAMD_SOCKET` names it: a Unix socket path, or host:port.

Each attachment the policy kept goes to clamd with the INSTREAM command before anything is
stored. A file clamd reports as infected is not stored and is listed on the message as dropped
with the signature's name. When clamd cannot be reached or answers with an error, the mail is
quarantined with the reason (fail closed): `accord mail reprocess` puts it through again once
the scanner is back. Nothing here runs when the setting is empty.
"""

from __future__ import annotations

import dataclasses
import re
import socket
import struct

from accord.inbox.channels.email.limits import Unparseable
from accord.inbox.channels.email.parse import ParsedMail

TIMEOUT_SECONDS = 60.0
_CHUNK = 64 * 1024
_FOUND = re.compile(r"^stream: (.{1,200}) FOUND$")
_HOST_PORT = re.compile(r"^\[?([A-Za-z0-9.:-]+?)\]?:(\d{1,5})$")


class ScanFailed(Exception):
    """clamd could not be reached or did not scan the file."""


def scan(address: str, data: bytes, timeout: float = TIMEOUT_SECONDS) -> str | None:
    """None when clamd finds nothing in `data`, else the name of what it found."""
    try:
        with _connect(address, timeout) as conn:
            conn.sendall(b"zINSTREAM\0")
            view = memoryview(data)
            for start in range(0, len(data), _CHUNK):
                chunk = view[start : start + _CHUNK]
                conn.sendall(struct.pack(">I", len(chunk)) + chunk)
            conn.sendall(struct.pack(">I", 0))
            reply = _read_reply(conn)
    except OSError as exc:
        raise ScanFailed(f"clamd at {address} is unreachable ({type(exc).__name__})") from exc
    if reply == "stream: OK":
        return None
    found = _FOUND.match(reply)
    if found is None:
        raise ScanFailed(f"clamd answered {reply[:200]!r}")
    return found.group(1)


def _connect(address: str, timeout: float) -> socket.socket:
    target = _HOST_PORT.match(address)
    if target is None:
        conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        conn.settimeout(timeout)
        try:
            conn.connect(address)
        except OSError:
            conn.close()
            raise
        return conn
    return socket.create_connection((target.group(1), int(target.group(2))), timeout=timeout)


def _read_reply(conn: socket.socket) -> str:
    reply = b""
    while not reply.endswith(b"\0") and len(reply) < 4096:
        part = conn.recv(4096)
        if not part:
            break
        reply += part
    return reply.rstrip(b"\0").decode("utf-8", "replace").strip()


def scan_attachments(parsed: ParsedMail, address: str) -> ParsedMail:
    """The parse with infected attachments moved to `dropped`; raises `Unparseable` (the mail
    is quarantined) when a file could not be scanned."""
    kept, dropped = [], list(parsed.dropped)
    for attachment in parsed.attachments:
        try:
            found = scan(address, attachment.data)
        except ScanFailed as exc:
            raise Unparseable(f"antivirus scan failed: {exc}") from exc
        if found is None:
            kept.append(attachment)
        else:
            reason = f"the antivirus scanner found {found}"
            size = len(attachment.data)
            dropped.append({"filename": attachment.filename, "size": size, "reason": reason})
    return dataclasses.replace(parsed, attachments=kept, dropped=dropped)
