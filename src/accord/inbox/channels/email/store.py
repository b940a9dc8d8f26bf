"""Files of the email channel under the data dir: raw mail stored by content hash (written
before anything is parsed) and attachments stored under random ids.

Writes go to a temporary file that is fsynced and renamed, so a crash never leaves a torn file
under a final name. Names are never derived from anything a sender controls.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from pathlib import Path

from accord.core.errors import NotFound

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_ATTACHMENT_ID = re.compile(r"^[A-Za-z0-9_-]{22,64}$")


class MailStore:
    def __init__(self, data_dir: Path) -> None:
        self.root = data_dir / "mail"

    def put_raw(self, raw: bytes) -> str:
        """Store raw mail and return its sha256; storing the same bytes twice is a no-op."""
        digest = hashlib.sha256(raw).hexdigest()
        path = self.raw_path(digest)
        if not path.exists():
            _write_atomic(path, raw)
        return digest

    def raw_path(self, digest: str) -> Path:
        if not _SHA256.match(digest):
            raise NotFound("no such raw mail")
        return self.root / "raw" / digest[:2] / f"{digest}.eml"

    def get_raw(self, digest: str) -> bytes:
        path = self.raw_path(digest)
        if not path.exists():
            raise NotFound(f"raw mail {digest} is missing from the store")
        return path.read_bytes()

    def put_attachment(self, data: bytes) -> str:
        attachment_id = secrets.token_urlsafe(24)
        _write_atomic(self.attachment_path(attachment_id), data)
        return attachment_id

    def attachment_path(self, attachment_id: str) -> Path:
        if not _ATTACHMENT_ID.match(attachment_id):
            raise NotFound("no such attachment")
        return self.root / "attachments" / attachment_id[:2] / attachment_id


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    with tmp.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    tmp.replace(path)
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
