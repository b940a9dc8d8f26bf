"""Signed reply tokens. Our outbound Message-IDs and subjects carry `<conversation>-<mac>`;
an inbound mail naming a conversation is believed only when the MAC verifies (compared in
constant time), so guessing a conversation number is not enough to join a thread."""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Sequence

_TOKEN = re.compile(r"(?:acc\.|\[#)(\d{1,12})-([0-9a-f]{12})\b")


def _mac(key: bytes, purpose: str, value: int) -> str:
    return hmac.new(key, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()[:12]


def conversation_token(key: bytes, conversation_id: int) -> str:
    return f"{conversation_id}-{_mac(key, 'conversation', conversation_id)}"


def subject_tag(key: bytes, conversation_id: int) -> str:
    return f"[#{conversation_token(key, conversation_id)}]"


def outbound_message_id(key: bytes, conversation_id: int, outbox_id: int, domain: str) -> str:
    """Deterministic for a given outbox row: a resend carries the same Message-ID."""
    mac = _mac(key, "outbox", outbox_id)
    return f"<acc.{conversation_token(key, conversation_id)}.{outbox_id}.{mac}@{domain}>"


def verified_conversation(keys: Sequence[bytes], text: str) -> int | None:
    """The first conversation whose token in `text` carries a valid MAC under one of `keys`
    (the signing key and those it replaced, so replies to mail sent before a rotation still
    verify)."""
    for number, mac in _TOKEN.findall(text[:20_000]):
        for key in keys:
            if hmac.compare_digest(_mac(key, "conversation", int(number)), mac):
                return int(number)
    return None
