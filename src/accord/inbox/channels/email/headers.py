"""Reading and writing header values safely.

This Python's `email` package turns an encoded newline into a new header on output
(CVE-2024-6923) and misreads some crafted address lists (CVE-2023-27043 is not fixed here), so
every user-sourced value is reduced to one clean line, and an address is accepted only when the
header holds exactly one unambiguous address.
"""

from __future__ import annotations

import codecs
import re
from email.header import decode_header
from email.message import Message
from email.utils import getaddresses

from accord.core.text import single_line

_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"')
_ENCODED_WORD = re.compile(r"=\?[^?\s]*\?[bBqQ]\?[^?\s]*\?=")
_MSGID = re.compile(r"<([^<>\s]{1,500})>")
_ADDRESS = re.compile(
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}@[A-Za-z0-9-]{1,63}(\.[A-Za-z0-9-]{1,63})*$"
)


def neutral(value: str, limit: int = 900) -> str:
    """A user-sourced value fit for a header we write: no CR/LF, no controls, bounded."""
    return single_line(value)[:limit]


def decode_bytes(data: bytes, charset: str | None) -> str:
    """Decode with the declared charset when it is a real text codec; undecodable bytes become
    U+FFFD instead of disappearing."""
    name = (charset or "utf-8").strip().strip('"').lower() or "utf-8"
    try:
        if not codecs.lookup(name)._is_text_encoding:
            name = "utf-8"
    except LookupError:
        name = "utf-8"
    try:
        return data.decode(name, errors="replace")
    except Exception:  # codec quirks (e.g. stateful codecs on garbage): fall back, never fail
        return data.decode("utf-8", errors="replace")


def _unescape(text: str) -> str:
    # compat32 keeps raw 8-bit header bytes as surrogate escapes; read them as UTF-8.
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeError:
        return text.encode("utf-8", "replace").decode("utf-8", "replace")


def header_text(msg: Message, name: str) -> str:
    """The decoded value of a header (RFC 2047 words included) as one clean line."""
    value = raw_header(msg, name)
    return "" if value is None else decode_words(value)


def raw_header(msg: Message, name: str) -> str | None:
    """The first value of a header as written. `msg.get` would turn raw 8-bit values into
    `Header` objects whose text has lost those bytes; here they stay surrogate-escaped."""
    wanted = name.lower()
    for key, value in msg.raw_items():
        if key.lower() == wanted:
            return str(value)
    return None


def decode_words(value: str) -> str:
    """Decode RFC 2047 encoded words and raw 8-bit text into one clean line."""
    raw = _unescape(value)
    try:
        chunks = decode_header(raw)
    except Exception:  # a malformed encoded word: keep the text as written
        return neutral(raw, 2000)
    parts = [c if isinstance(c, str) else decode_bytes(c, cs) for c, cs in chunks]
    return neutral("".join(parts), 2000)


def message_ids(value: str) -> list[str]:
    """The Message-IDs in a References/In-Reply-To value, last 50 kept."""
    return _MSGID.findall(value)[-50:]


def message_id(msg: Message) -> str | None:
    value = header_text(msg, "Message-ID")
    found = message_ids(value)
    if found:
        return found[0]
    value = value.strip()
    return value[:500] if value and " " not in value else None


def single_address(msg: Message, name: str) -> tuple[str, str] | None:
    """(display name, lower-case address) when the header holds exactly one plain address.

    The address is read from the raw value (encoded words can hide anything), and any "@"
    outside quoted strings and encoded words beyond the one address makes it ambiguous.
    """
    value = raw_header(msg, name)
    if value is None:
        return None
    raw = _unescape(value).replace("\r", " ").replace("\n", " ")
    if _bare(raw).count("@") != 1:
        return None
    pairs = [p for p in getaddresses([raw]) if p[1]]
    if len(pairs) != 1 or not _ADDRESS.match(pairs[0][1]):
        return None
    display, address = pairs[0]
    return neutral(decode_words(display), 200), address.lower()


def _bare(value: str) -> str:
    return _QUOTED.sub("", _ENCODED_WORD.sub("", value))


def addresses(msg: Message, name: str) -> list[str]:
    """Every plausible address in To/Cc-like headers, lower-case (used for loop checks)."""
    value = header_text(msg, name)
    return [a.lower() for _, a in getaddresses([value]) if _ADDRESS.match(a)][:100]


def is_valid_address(address: str) -> bool:
    return bool(_ADDRESS.match(address))
