"""Where mail comes from on disk: a .eml file, a folder of them (recursively), or an mbox."""

from __future__ import annotations

import mailbox
from collections.abc import Iterator
from pathlib import Path

from accord.core.errors import ValidationFailed


def _is_mbox(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(5) == b"From "


def _files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
    raise ValidationFailed(f"{path} is neither a file nor a folder")


def count_mail(path: Path) -> int:
    total = 0
    for file in _files(path):
        if _is_mbox(file):
            box = mailbox.mbox(file, create=False)
            try:
                total += len(box.keys())
            finally:
                box.close()
        else:
            total += 1
    return total


def iter_mail(path: Path) -> Iterator[tuple[str, bytes]]:
    """(source description, raw bytes) for every mail under `path`, in a stable order."""
    for file in _files(path):
        if not _is_mbox(file):
            yield f"file:{file.name}", file.read_bytes()
            continue
        box = mailbox.mbox(file, create=False)
        try:
            for number, key in enumerate(box.iterkeys()):
                yield f"mbox:{file.name}#{number}", box.get_bytes(key)
        finally:
            box.close()
