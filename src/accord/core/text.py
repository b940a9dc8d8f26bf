"""Small text helpers shared by domains."""

from __future__ import annotations

import re
import unicodedata

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value: str) -> str:
    """Drop control characters (keeping tab and newlines) and normalise to NFC."""
    return unicodedata.normalize("NFC", _CONTROL.sub("", value))


def single_line(value: str) -> str:
    """Collapse CR/LF so a user-sourced value can never start a new header or log line."""
    return " ".join(clean_text(value).replace("\r", " ").replace("\n", " ").split())


def required_text(value: str) -> str:
    """`clean_text`, refusing a value that nothing is left of (only control characters or
    spaces): a validator for any text a person must write."""
    value = clean_text(value).strip()
    if not value:
        raise ValueError("must not be blank")
    return value


def required_line(value: str) -> str:
    """`single_line`, refusing a value that nothing is left of."""
    value = single_line(value)
    if not value:
        raise ValueError("must not be blank")
    return value
