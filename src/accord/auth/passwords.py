"""Password hashing with Argon2 (pwdlib); passlib is unmaintained and breaks on new bcrypt."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from pwdlib import PasswordHash

MIN_PASSWORD_LENGTH = 10
# Words tied to Accord and to the way it is used (ASVS 5.0 6.1.2, listed in docs/api.md): a
# password made of nothing but these, and of the account's own email and name, in any case and
# with any digits or punctuation around them ("Accord-Support-2025!", "dana.smith!dana"), is
# refused. Passwords that merely contain one ("my accord with the night owls") are fine.
CONTEXT_WORDS = frozenset(
    [
        "accord",
        "support",
        "helpdesk",
        "service",
        "desk",
        "customer",
        "customers",
        "agent",
        "agents",
        "supervisor",
        "admin",
        "administrator",
        "staff",
        "team",
        "inbox",
        "ticket",
        "tickets",
        "login",
        "password",
        "passwort",
        "passphrase",
        "secret",
        "welcome",
        "changeme",
        "default",
    ]
)
_LONGEST_WORD = 64


def context_word_problem(password: str, personal: Iterable[str] = ()) -> str | None:
    """Why `password` is only context-specific words (see CONTEXT_WORDS), or None.

    `personal`: the account's email address and name, whose parts count as such words."""
    letters = "".join(c for c in password.casefold() if c.isalpha())
    own = {w for text in personal for w in re.split(r"[\W\d_]+", text.casefold()) if len(w) >= 3}
    words = CONTEXT_WORDS | own
    if letters and _made_of(letters, words):
        return "the password is made only of words tied to Accord or to the account; choose another"
    return None


def common_password_problem(password: str) -> str | None:
    """Why `password` is a common one, or None (ASVS 5.0 6.2.4).

    The list is zxcvbn's ranking of the 30,000 most used passwords (from leaked password
    sets). Few of them are as long as the policy asks, so the padding people add to reach a
    length rule is taken off first: "Password123!", "iloveyou2024" and "Qwertyuiop!!" are
    refused like "password", "iloveyou" and "qwertyuiop"."""
    folded = password.casefold()
    core = folded.strip(_PADDING)
    stem = core.rstrip("0123456789")
    common = _common_passwords()
    if any(form and form in common for form in (folded, core, stem)):
        return "the password is one of the most common passwords; choose another"
    return None


_PADDING = "0123456789!@#$%^&*()-_=+.,;:?'\"/ "


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def _made_of(letters: str, words: frozenset[str] | set[str]) -> bool:
    """Whether `letters` splits wholly into `words` (each may repeat)."""
    reachable = [True] + [False] * len(letters)
    for end in range(1, len(letters) + 1):
        start = max(0, end - _LONGEST_WORD)
        reachable[end] = any(reachable[i] and letters[i:end] in words for i in range(start, end))
    return reachable[-1]


@lru_cache(maxsize=1)
def _hasher() -> PasswordHash:
    return PasswordHash.recommended()


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    if password_hash is None:
        # Still spend the hashing time so a missing account is not observable by timing.
        _hasher().verify(password, _dummy_hash())
        return False
    return _hasher().verify(password, password_hash)


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher().hash("accord-timing-equaliser")
