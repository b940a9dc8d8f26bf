"""Masking of payment details and secrets in text Accord writes from what people sent.

`mask_secrets` is the one place this is decided, for every text that quotes a customer back:
the built-in draft (`coach.drafts`), the hand-off note (`cases.escalation.handoff`) and the
context sent to a language model (`coach.llm`). What it masks, each replaced by a placeholder:

- payment card numbers: 13-19 digits, alone or in groups split by single spaces or dashes,
  that pass the Luhn check (so order and tracking numbers stay) -> ``[CARD]``;
- IBANs: country code, check digits and up to 30 letters or digits, optionally in groups of
  four, that pass the ISO 7064 mod-97 check -> ``[IBAN]``;
- the value after a label such as ``password:``, ``PIN=``, ``one-time code:``, ``API key:`` or
  ``token:`` -> ``password: [SECRET]`` (the label stays, so the sentence still reads);
- API keys and tokens by their shape: well-known key prefixes (``sk_live_``, ``ghp_``,
  ``xoxb-``, ``AKIA``...), JSON Web Tokens, ``Bearer ...`` and any 32+ character run of
  letters and digits -> ``[SECRET]``.
"""

from __future__ import annotations

import re

__all__ = [
    "MASKED_CARD",
    "MASKED_IBAN",
    "MASKED_VALUE",
    "PLACEHOLDERS",
    "luhn_valid",
    "mask_secrets",
    "secret_spans",
]

MASKED_CARD = "[CARD]"
MASKED_IBAN = "[IBAN]"
MASKED_VALUE = "[SECRET]"
PLACEHOLDERS = (MASKED_CARD, MASKED_IBAN, MASKED_VALUE)

# Digit groups joined by one space or dash; a card is a run of whole groups within it, written
# in at most this many groups (4-4-4-4-3 is the longest usual way).
MAX_CARD_GROUPS = 6
_DIGIT_RUN = re.compile(r"(?<![\w-])\d+(?:[ -]\d+)*(?!\w)")
_GROUP = re.compile(r"\d+")
_IBAN = re.compile(
    r"(?<!\w)[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?(?!\w)", re.IGNORECASE
)
_LABEL = (
    r"pass(?:word|wd|code|phrase)|pwd|pin|otp|one[- ]time (?:code|pass(?:word|code))|"
    r"(?:verification|security|auth(?:entication)?|2fa|mfa|login|sms) code|"
    r"api[ _-]?key|(?:access|auth|api|bearer|refresh) ?token|token|secret(?: key)?|"
    r"private key|client secret"
)
# The value runs to the next space; closing punctuation after it stays in the sentence, and a
# value masked already stays as it is (masking twice changes nothing).
_LABELLED = re.compile(
    rf"\b({_LABEL})(\s*[:=]\s*)(?!\[(?:CARD|IBAN|SECRET)\])[^\s\"'<>]+?(?=[.,;:!?)\]]*(?:\s|$))",
    re.IGNORECASE,
)
_TOKEN = re.compile(
    r"\b(?:sk|pk|rk)_(?:live|test)_[A-Za-z0-9]{10,}"
    r"|\bsk-[A-Za-z0-9_-]{20,}"
    r"|\bgh[pousr]_[A-Za-z0-9]{20,}|\bgithub_pat_[A-Za-z0-9_]{20,}"
    r"|\bxox[abprs]-[A-Za-z0-9-]{10,}"
    r"|\bAKIA[0-9A-Z]{16}\b|\bAIza[0-9A-Za-z_-]{35}"
    r"|\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}"
    r"|\bbearer\s+[A-Za-z0-9._~+/-]{16,}=*",
    re.IGNORECASE,
)
# Long random strings (access codes, hashes, keys of unknown shape), but not a UUID.
_LONG_TOKEN = re.compile(
    r"(?<![\w-])(?![0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}(?![\w-]))"
    r"(?=[\w-]*\d)(?=[\w-]*[A-Za-z])[A-Za-z0-9_-]{32,}(?![\w-])",
    re.ASCII | re.IGNORECASE,
)


def mask_secrets(text: str) -> str:
    """`text` with card numbers, IBANs, labelled secrets and tokens replaced by placeholders."""
    text = _IBAN.sub(_iban, text)  # first: an IBAN's digits may pass the Luhn check
    text = _DIGIT_RUN.sub(_cards, text)
    text = _LABELLED.sub(lambda m: f"{m.group(1)}{m.group(2)}{MASKED_VALUE}", text)
    text = _TOKEN.sub(MASKED_VALUE, text)
    return _LONG_TOKEN.sub(MASKED_VALUE, text)


def luhn_valid(digits: str) -> bool:
    total = 0
    for i, char in enumerate(reversed(digits)):
        n = int(char) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def _cards(run: re.Match[str]) -> str:
    """The run with every card number in it masked: the longest span of whole groups (at most
    `MAX_CARD_GROUPS`) holding 13-19 digits that passes Luhn, scanning from the left (a card
    may follow an order number or precede a security code in the same run)."""
    text = run.group(0)
    groups = [(m.start(), m.group(0)) for m in _GROUP.finditer(text)]
    out, kept, i = [], 0, 0
    while i < len(groups):
        last = _card_end(groups, i)
        if last is None:
            i += 1
            continue
        out += [text[kept : groups[i][0]], MASKED_CARD]
        kept, i = groups[last][0] + len(groups[last][1]), last + 1
    return "".join([*out, text[kept:]])


def _card_end(groups: list[tuple[int, str]], first: int) -> int | None:
    found, digits = None, ""
    for last in range(first, min(first + MAX_CARD_GROUPS, len(groups))):
        digits += groups[last][1]
        if len(digits) > 19:
            break
        if len(digits) >= 13 and luhn_valid(digits):
            found = last
    return found


def _iban(match: re.Match[str]) -> str:
    end = _iban_end(match.group(0))
    return match.group(0) if end is None else MASKED_IBAN + match.group(0)[end:]


def _iban_end(text: str) -> int | None:
    """Where the valid IBAN that `text` starts with ends: all of it, or up to a space, since
    the pattern also takes in the words after one ("BE80 6174 9526 2979 It cost")."""
    cuts = [len(text), *(i for i in range(len(text) - 1, 0, -1) if text[i] == " ")]
    for end in cuts:
        compact = text[:end].replace(" ", "").upper()
        if not 15 <= len(compact) <= 34 or not compact[:2].isalpha():
            continue
        rearranged = compact[4:] + compact[:4]
        if int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1:
            return end
    return None


_BLIND = "\x00"  # what a found span reads as to the later passes of `secret_spans`


def secret_spans(text: str) -> list[tuple[int, int, str]]:
    """Where `mask_secrets` masks, as ``(start, end, placeholder)`` offsets into `text`, sorted.

    The same passes in the same order, each blind to what an earlier one found (the found
    characters are replaced by NULs of the same length, so offsets stay those of `text`): for
    callers that must say what was masked, such as `accord.privacy.redact`.
    """
    ibans = ((m.start(), _iban_end(m.group(0))) for m in _IBAN.finditer(text))
    found = [(start, start + end, MASKED_IBAN) for start, end in ibans if end is not None]
    work = _blinded(text, found)
    for run in _DIGIT_RUN.finditer(work):
        groups = [(run.start() + m.start(), m.group(0)) for m in _GROUP.finditer(run.group(0))]
        i = 0
        while i < len(groups):
            last = _card_end(groups, i)
            if last is None:
                i += 1
                continue
            found.append((groups[i][0], groups[last][0] + len(groups[last][1]), MASKED_CARD))
            i = last + 1
    work = _blinded(work, found)
    labelled = [(m.end(2), m.end()) for m in _LABELLED.finditer(work)]
    found += [(s, e, MASKED_VALUE) for s, e in labelled if _BLIND not in work[s:e]]
    for pattern in (_TOKEN, _LONG_TOKEN):
        work = _blinded(work, found)
        found += [(m.start(), m.end(), MASKED_VALUE) for m in pattern.finditer(work)]
    return sorted(found)


def _blinded(text: str, spans: list[tuple[int, int, str]]) -> str:
    chars = list(text)
    for start, end, _ in spans:
        chars[start:end] = _BLIND * (end - start)
    return "".join(chars)
