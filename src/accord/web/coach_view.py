"""The composer's coach: what one click on a finding does to the draft.

A missing practice's suggestion ends with an example ("e.g. 'I can imagine how frustrating
this has been for you.'"): applying it adds that sentence. A violation's evidence is the
offending wording: applying removes it. Suggestions without a usable example (a template such
as 'If I understand correctly, ...') have nothing to apply and show as advice only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from accord.coach.types import Finding, Review

MARKERS = ("e.g. '", ": '")
SPACES = re.compile(r"[ \t]{2,}")


def example(suggestion: str | None) -> str | None:
    """The ready-to-use sentence at the end of a suggestion, if it has one."""
    if not suggestion:
        return None
    for marker in MARKERS:
        at = suggestion.rfind(marker)
        if at == -1:
            continue
        body = suggestion[at + len(marker) :].rstrip(". ")
        body = body.removesuffix("'").strip()
        if body and "..." not in body:
            return body
    return None


def applicable(finding: Finding) -> bool:
    if finding.kind == "violation":
        return finding.status == "violated" and bool(finding.evidence)
    return finding.status == "missing" and example(finding.suggestion) is not None


def apply_finding(text: str, finding: Finding) -> str:
    """The draft with one finding applied (unchanged when there is nothing to apply)."""
    if not applicable(finding):
        return text
    if finding.kind == "violation":
        return _without(text, [(s.start, s.end) for s in finding.evidence])
    sentence = example(finding.suggestion) or ""
    return f"{text.rstrip()} {sentence}".strip()


def _without(text: str, spans: Sequence[tuple[int, int]]) -> str:
    kept, cursor = [], 0
    for start, end in sorted(spans):
        if start < cursor or text[start:end] == "":
            continue
        kept.append(text[cursor:start])
        cursor = end
    kept.append(text[cursor:])
    return SPACES.sub(" ", "".join(kept)).strip()


def to_fix(review: Review) -> list[Finding]:
    """Findings worth showing: violations first, then missing practices; met ones are done."""
    violations = [f for f in review.findings if f.status == "violated"]
    missing = [f for f in review.findings if f.status == "missing"]
    return violations + missing
