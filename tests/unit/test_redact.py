"""`mask_secrets`: the one masking of card numbers, IBANs, passwords and keys that drafts,
hand-off notes and the language-model context share."""

from __future__ import annotations

import time

import pytest

from accord.core.redact import mask_secrets

MASKED = [
    ("card 4111 1111 1111 1111 was charged", "card [CARD] was charged"),
    ("card 4111-1111-1111-1111.", "card [CARD]."),
    ("4111111111111111", "[CARD]"),
    ("Amex 3782 822463 10005 twice", "Amex [CARD] twice"),
    ("order 55123 4111 1111 1111 1111 123", "order 55123 [CARD] 123"),
    ("IBAN DE89 3704 0044 0532 0130 00.", "IBAN [IBAN]."),
    ("iban gb82west12345698765432", "iban [IBAN]"),
    ("password: hunter2!", "password: [SECRET]!"),
    ("My PIN=1234.", "My PIN=[SECRET]."),
    ("the one-time code: 482913 never came", "the one-time code: [SECRET] never came"),
    ("API key: abc123def", "API key: [SECRET]"),
    ("key sk_live_4eC39HqLyjWDarjtT1zdp7dc leaked", "key [SECRET] leaked"),
    ("ghp_abcdefghijklmnopqrstuvwxyz0123456789", "[SECRET]"),
    ("Authorization: Bearer abcdefghijklmnop0123", "Authorization: [SECRET]"),
    ("token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl", "token [SECRET]"),
    ("code acc_" + "A1b2" * 10 + " works", "code [SECRET] works"),
]
KEPT = [
    "order 55123 was charged $40 twice",
    "4111-1111-1111-1112 fails the Luhn check",  # not a card number
    "order 1234567890123 arrived",
    "tracking 1Z999AA10123456784",
    "call +44 7700 900123",
    "ref 123e4567-e89b-12d3-a456-426614174000",
    "DE89 3704 0044 0532 0130 0X is no IBAN",
    "my password is not working",
]


@pytest.mark.parametrize(("text", "masked"), MASKED)
def test_secrets_are_masked(text: str, masked: str) -> None:
    assert mask_secrets(text) == masked
    assert mask_secrets(masked) == masked  # masking twice changes nothing


@pytest.mark.parametrize("text", KEPT)
def test_everyday_numbers_are_kept(text: str) -> None:
    assert mask_secrets(text) == text


@pytest.mark.parametrize(
    "text",
    ["1 " * 100_000, "4111 " * 40_000, "4" * 200_000 + "x", "a1" * 100_000, "pin:" * 50_000],
)
def test_the_longest_message_is_masked_quickly(text: str) -> None:
    """200,000 characters (a message's maximum) of what costs the patterns most."""
    started = time.perf_counter()
    mask_secrets(text)
    assert time.perf_counter() - started < 2
