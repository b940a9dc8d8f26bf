"""Text normalisation that keeps offsets.

Evidence spans must index into the caller's original text, so every cleaning step here replaces
characters one for one (HTML tags and control characters become spaces) instead of deleting them.
Only the first :data:`MAX_CHARS` characters are analysed: a 1 MB paste then costs the same as a
long e-mail, and the beginning of a message carries its request.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from accord.core.needles import fold

MAX_CHARS = 5000

_TAG = re.compile(r"<[^<>]{0,200}>")
# Control characters other than tab/newline; also zero-width and bidi marks that hide words.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_QUOTE_LINE = re.compile(r"^[ \t]*>.*$", re.MULTILINE)
# "On Mon, 3 Jun 2024, support@x.com wrote:" starts the quoted history of an e-mail reply.
_REPLY_HEADER = re.compile(r"^[ \t]*On [^\n]{1,200} wrote:[ \t]*$", re.MULTILINE)
_INLINE_QUOTE = re.compile(r"\"[^\"\n]{1,300}\"|“[^”\n]{1,300}”")
_WORD = re.compile(r"[A-Za-z]{2,}")
# Non-breaking-space entities glue words together in pasted HTML; same length as the spaces.
_NBSP = re.compile(r"&nbsp;", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Prepared:
    """The analysed window of a message: same length as ``original[:len(clean)]``."""

    original: str
    clean: str
    lower: str
    truncated: bool
    # `lower` as the literal prefilters compare it (accord.core.needles.fold): every detector
    # of one message asks for it, so it is computed once, here.
    folded: str


def _blank(match: re.Match[str]) -> str:
    return " " * (match.end() - match.start())


def prepare(text: str | None, max_chars: int = MAX_CHARS) -> Prepared:
    """Cap, strip tags/control characters and quoted reply lines, keeping every offset."""
    original = text if isinstance(text, str) else ""
    window = original[:max_chars]
    clean = _CONTROL.sub(" ", window)
    if "<" in clean:
        clean = _TAG.sub(_blank, clean)
    if "&" in clean:
        clean = _NBSP.sub(_blank, clean)
    if ">" in clean:
        # Quoted earlier e-mails ("> you said ...") are someone else's words: not this message's.
        clean = _QUOTE_LINE.sub(_blank, clean)
    if "wrote:" in clean:
        header = _REPLY_HEADER.search(clean)
        if header is not None:
            clean = clean[: header.start()] + " " * (len(clean) - header.start())
    lower = _lower(clean)
    return Prepared(original, clean, lower, len(original) > max_chars, fold(lower))


def _lower(clean: str) -> str:
    """Lower-case without moving offsets.

    A few characters lower-case to two ("İ" -> "i̇"); those alone keep their case, so
    "İSTANBUL: I WANT A REFUND" still matches the patterns written in lower case.
    """
    lower = clean.lower()
    if len(lower) == len(clean):
        return lower
    return "".join(c if len(low := c.lower()) != 1 else low for c in clean)


# A sign-off of initials ("... -KB", "^IN", "*TAC"): capitals, but no one is shouting.
_SIGN_OFF = re.compile(r"(?:^|\s)[-^*~/]\s?[A-Z]{2,4}\s*$")


def caps_ratio(clean: str) -> float:
    """Share of alphabetic words (2+ letters) written fully in capitals: shouting. A closing
    sign-off of initials is left out."""
    words = _WORD.findall(_SIGN_OFF.sub("", clean.rstrip()))
    if len(words) < 2:
        return 0.0
    return sum(1 for w in words if w.isupper()) / len(words)


def quoted_ranges(clean: str) -> list[tuple[int, int]]:
    """Inline quotations ("you said \"we'll refund you\""): reported words, not the writer's own."""
    if '"' not in clean and "“" not in clean:
        return []
    return [(m.start(), m.end()) for m in _INLINE_QUOTE.finditer(clean)]


def inside(ranges: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(a <= start and end <= b for a, b in ranges)


def unquoted(
    pattern: re.Pattern[str], lower: str, quotes: list[tuple[int, int]]
) -> Iterator[re.Match[str]]:
    """The pattern's matches in ``lower`` that are not inside one of the ``quotes``."""
    for m in pattern.finditer(lower):
        if not (quotes and inside(quotes, m.start(), m.end())):
            yield m
