"""Which attachments Accord keeps: the permitted file types as (extension, MIME type, content
signature), and the checks that an attachment's content is what its extension says.

The content is checked with the standard library against signatures fixed by each format's
specification (the list is short, and the office files need a look inside the zip that
signature libraries do not make). Zip-based office files are read with `zipfile` under a
budget: the entry count and the declared unpacked size are checked before anything is
uncompressed, then every entry is inflated in chunks (zipfile stops at the declared size and
checks the CRC, so an archive that lies about its sizes is refused). Nothing is ever written
out of an archive.

`check` never raises: whatever it cannot read is refused with a reason, and a refused
attachment is listed on the message as dropped (docs/email.md, "Attachments").
"""

from __future__ import annotations

import io
import re
import stat
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass

_CHUNK = 64 * 1024
# Office Open XML packages (OPC, ECMA-376 part 2) use only these two methods.
_OPC_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
# Bytes a text file never holds (NUL and the C0 controls other than tab, LF, VT, FF, CR, ESC).
_NOT_TEXT = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")
_MARKUP = (b"<!doctype", b"<html", b"<head", b"<body", b"<script", b"<svg", b"<?xml", b"<iframe")
# An .eml starts with a header field (RFC 5322 field name, then a colon), maybe after an mbox
# "From " line.
_EML_START = re.compile(rb"^(?:From [^\r\n]{0,998}\r?\n)?[!-9;-~]{1,100}:")
_EXTENSION = re.compile(r"^[a-z0-9]{1,10}$")
_DAMAGED = (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, zlib.error)


@dataclass(frozen=True)
class Budget:
    """What unpacking one zip-based attachment may cost."""

    max_unpacked_bytes: int
    max_entries: int
    scope: str = ""  # said after the unpacked limit in a refusal, when it is not the file's own


@dataclass(frozen=True)
class FileType:
    extension: str
    mime: str
    signature: str  # the content check, in words (docs/email.md lists the same)
    matches: Callable[[bytes], str | None]  # None, or why the content does not match
    archive_part: str | None = None  # a zip-based office file: the part it must hold


@dataclass(frozen=True)
class Verdict:
    """`content_type` set: keep the file (stored with that type); else `reason` says why not."""

    content_type: str | None
    reason: str = ""
    unpacked_bytes: int = 0


def _prefix(*signatures: bytes) -> Callable[[bytes], str | None]:
    def matches(data: bytes) -> str | None:
        return None if data.startswith(signatures) else "wrong signature"

    return matches


def _webp(data: bytes) -> str | None:
    return None if data[:4] == b"RIFF" and data[8:12] == b"WEBP" else "wrong signature"


def _text(data: bytes) -> str | None:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            decoded = data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            return "not text"
    else:
        decoded = data.removeprefix(b"\xef\xbb\xbf")
    if _NOT_TEXT.search(decoded):
        return "not text"
    if decoded[:512].lstrip().lower().startswith(_MARKUP):
        return "markup, not plain text"
    return None


def _eml(data: bytes) -> str | None:
    if not _EML_START.match(data) or _NOT_TEXT.search(data):
        return "not a mail message"
    return None


def _office_type(extension: str, mime_suffix: str, main_part: str) -> FileType:
    signature = f"zip (PK\\x03\\x04) holding [Content_Types].xml and {main_part}"
    mime = f"application/vnd.openxmlformats-officedocument.{mime_suffix}"
    return FileType(extension, mime, signature, _prefix(b"PK\x03\x04"), main_part)


_PDF = _prefix(b"%PDF-")
_JPEG = _prefix(b"\xff\xd8\xff")
PERMITTED: tuple[FileType, ...] = (
    FileType("pdf", "application/pdf", "%PDF-", _PDF),
    FileType("png", "image/png", "\\x89PNG\\r\\n\\x1a\\n", _prefix(b"\x89PNG\r\n\x1a\n")),
    FileType("jpg", "image/jpeg", "\\xff\\xd8\\xff", _JPEG),
    FileType("jpeg", "image/jpeg", "\\xff\\xd8\\xff", _JPEG),
    FileType("gif", "image/gif", "GIF87a or GIF89a", _prefix(b"GIF87a", b"GIF89a")),
    FileType("webp", "image/webp", "RIFF, 4 bytes, WEBP", _webp),
    FileType("txt", "text/plain", "text: no NUL or control bytes, not HTML/XML/SVG", _text),
    FileType("csv", "text/csv", "text: no NUL or control bytes, not HTML/XML/SVG", _text),
    FileType("eml", "message/rfc822", "a header field first, no NUL or control bytes", _eml),
    _office_type("docx", "wordprocessingml.document", "word/document.xml"),
    _office_type("xlsx", "spreadsheetml.sheet", "xl/workbook.xml"),
    _office_type("pptx", "presentationml.presentation", "ppt/presentation.xml"),
)
_BY_EXTENSION = {t.extension: t for t in PERMITTED}
# A file without an extension (an inline image, say) is checked as its declared MIME type.
_BY_MIME = {t.mime: t for t in reversed(PERMITTED)} | {
    "image/jpg": _BY_EXTENSION["jpg"],
    "image/pjpeg": _BY_EXTENSION["jpg"],
    "application/x-pdf": _BY_EXTENSION["pdf"],
}


def check(filename: str, declared_type: str, data: bytes, budget: Budget) -> Verdict:
    """Whether to keep one attachment: its extension (or, without one, its declared MIME type)
    must be permitted and its content must match that type. Never raises."""
    try:
        return _check(filename, declared_type, data, budget)
    except Exception as exc:  # a reader's undocumented failure is a refusal, not a crash
        return Verdict(None, f"could not be checked ({type(exc).__name__})")


def _check(filename: str, declared_type: str, data: bytes, budget: Budget) -> Verdict:
    extension = extension_of(filename)
    if extension:
        kind = _BY_EXTENSION.get(extension)
        if kind is None:
            return Verdict(None, f"files of type .{extension} are not accepted")
    else:
        kind = _BY_MIME.get(declared_type.strip().lower()[:100])
        if kind is None:
            return Verdict(None, "no permitted file extension")
    problem, unpacked = kind.matches(data), 0
    if problem is None and kind.archive_part is not None:
        problem, unpacked = _check_zip(data, kind.archive_part, budget)
    if problem is not None:
        return Verdict(None, f"content does not match .{kind.extension} ({problem})")
    return Verdict(kind.mime, unpacked_bytes=unpacked)


def extension_of(filename: str) -> str:
    """The lower-case extension of the last path component ('' when there is none). Trailing
    dots and spaces are ignored, as Windows ignores them when it saves the file; anything that
    is not a short alphanumeric extension reads as 'unknown'."""
    name = re.split(r"[/\\]", filename)[-1].rstrip(". \t")
    if "." not in name:
        return ""
    extension = name.rsplit(".", 1)[1].lower()
    return extension if _EXTENSION.match(extension) else "unknown"


def _entry_count(data: bytes) -> int | None:
    """The entry count of the end-of-central-directory record, read before zipfile parses the
    directory (None when it is not found; zipfile then decides)."""
    at = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if at < 0 or len(data) < at + 12:
        return None
    return int.from_bytes(data[at + 10 : at + 12], "little")


def _check_zip(data: bytes, main_part: str, budget: Budget) -> tuple[str | None, int]:
    """(None or why the archive is refused, its unpacked size)."""
    count = _entry_count(data)
    if count is not None and count != 0xFFFF and count > budget.max_entries:
        return f"more than {budget.max_entries} entries in the archive", 0
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return _check_entries(archive, main_part, budget)
    except _DAMAGED as exc:
        return f"damaged zip archive ({type(exc).__name__})", 0


def _check_entries(
    archive: zipfile.ZipFile, main_part: str, budget: Budget
) -> tuple[str | None, int]:
    entries = archive.infolist()
    if len(entries) > budget.max_entries:
        return f"more than {budget.max_entries} entries in the archive", 0
    if not {"[Content_Types].xml", main_part} <= {e.filename for e in entries}:
        return f"no {main_part} in the archive", 0
    unpacked = sum(e.file_size for e in entries)
    if unpacked > budget.max_unpacked_bytes:
        return f"unpacks to more than {budget.max_unpacked_bytes} bytes{budget.scope}", 0
    for entry in entries:
        if stat.S_ISLNK(entry.external_attr >> 16):
            return "a symbolic link in the archive", 0
        if entry.flag_bits & 0x1:
            return "an encrypted entry in the archive", 0
        if entry.compress_type not in _OPC_METHODS:
            return "a compression method office files do not use", 0
    for entry in entries:
        with archive.open(entry) as stream:  # stops at the declared size, then checks the CRC
            while stream.read(_CHUNK):
                pass
    return None, unpacked
