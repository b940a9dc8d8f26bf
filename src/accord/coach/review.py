"""``review(draft, context)``: score a reply draft 0-100 and say what to change.

Pure and fast (regular expressions over sentences plus one pass of the analysis engine over the
draft, to catch hostility). Each applicable practice is met or missing (or violated, for a harsh
boundary); each violation found is listed with its evidence and takes points off. The score is
the weighted share of practices met, minus the penalties, clamped to 0-100.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from accord.analysis.signals import detect as detect_signals
from accord.analysis.text import prepare
from accord.cases.playbook_machine import Evidence
from accord.cases.reply_detectors import sentences
from accord.coach.phrases import detect_all
from accord.coach.suggestions import suggest
from accord.coach.tone import tone_score
from accord.coach.types import CoachContext, Finding, Review, Span, Status
from accord.coach.weights import (
    NEGOTIABLE,
    PENALTIES,
    penalty_factor,
    practice_weights,
    situation,
)

__all__ = ["review"]

MAX_DRAFT = 20_000  # longer drafts are reviewed on their first 20,000 characters
_REMEDY = re.compile(
    r"\b(?:refund|replacement|replace|repair|credit|discount|voucher|exchange|"
    r"supervisor|manager|escalat\w*|cancel\w*|return)\b",
    re.IGNORECASE,
)
_CHOICE = re.compile(r"\b(?:would\s+you\s+(?:prefer|rather)|which)\b[^?]*\bor\b", re.IGNORECASE)
_SHOUT = re.compile(r"\b[A-Z]{3,}\b")
# Detector name (reply_detectors or coach phrases) for each practice.
_SOURCE = {
    "empathy": "empathy",
    "apology": "apology",
    "clarifying_question": "clarifying_question",
    "options": "options_offered",
    "invites_input": "invites_input",
    "next_steps": "next_steps",
    "thanks": "thanks",
    "further_help": "further_help",
}


def _spans(evidence: Sequence[Evidence]) -> tuple[Span, ...]:
    return tuple(Span(e.start, e.end, e.text) for e in evidence)


def _stem(point: str) -> str:
    tokens: list[str] = re.findall(r"\w+", point) or [point]
    token = max(tokens, key=len).lower()
    return token[:5] if token.isalpha() and len(token) >= 6 else token


def _listening(draft: str, ctx: CoachContext, found: dict[str, list[Evidence]]) -> Status:
    lowered = draft.lower()
    hits = [p for p in ctx.key_points if re.search(rf"\b{re.escape(_stem(p))}", lowered)]
    found["listening_points"] = [
        s for s in sentences(draft) if any(_stem(p) in s.text.lower() for p in hits)
    ]
    enough = len(hits) >= min(2, len(ctx.key_points))
    return "met" if enough or (found["listening"] and hits) else "missing"


def _options(draft: str, ctx: CoachContext, found: dict[str, list[Evidence]]) -> Status:
    if not found["options_offered"]:
        # A choice of route (phone or chat) counts only while no remedy is at stake.
        negotiable = ctx.remedy in NEGOTIABLE or ctx.severity >= 2
        return "met" if found["alternatives"] and not negotiable else "missing"
    if ctx.remedy not in NEGOTIABLE and ctx.severity < 2:
        return "met"
    kinds = {m.group(0).lower()[:5] for m in _REMEDY.finditer(draft)}
    return "met" if len(kinds) >= 2 or _CHOICE.search(draft) else "missing"


def _mirroring(draft: str, ctx: CoachContext) -> list[Evidence]:
    # The engine's lexical abuse rules (profanity, insults, threats), without its model heads:
    # the spans are what the agent must remove, and they index the draft.
    evidence = [
        Evidence(e.start, e.end, e.text)
        for s in detect_signals(prepare(draft))
        if s.name == "abuse"
        for e in s.evidence
    ]
    lowered = draft.lower()
    for term in ctx.abusive_terms:
        at = lowered.find(term)
        if term and at >= 0:
            evidence.append(Evidence(at, at + len(term), draft[at : at + len(term)]))
    shouted = [m for m in _SHOUT.finditer(draft) if m.group(0) not in {"FAQ", "URL", "USA"}]
    if len(shouted) >= 3 and len(shouted) >= 0.25 * len(draft.split()):
        evidence += [Evidence(m.start(), m.end(), m.group(0)) for m in shouted]
    return sorted(set(evidence), key=lambda e: (e.start, e.end))


def _practice(
    name: str, draft: str, ctx: CoachContext, found: dict[str, list[Evidence]]
) -> tuple[Status, list[Evidence]]:
    if name == "boundary":
        if found["harsh_boundary"]:
            return "violated", found["harsh_boundary"]
        return ("met" if found["boundary_set"] else "missing"), found["boundary_set"]
    if name == "listening":
        status = _listening(draft, ctx, found)  # also fills found["listening_points"]
        spans = sorted({*found["listening"], *found["listening_points"]}, key=lambda e: e.start)
        return status, spans
    if name == "options":
        return _options(draft, ctx, found), found["options_offered"] or found["alternatives"]
    evidence = found[_SOURCE[name]]
    return ("met" if evidence else "missing"), evidence


def assess(draft: str, context: CoachContext | None = None) -> dict[str, Status | None]:
    """Every criterion's status in the draft alone, whatever its weight: practices ``met`` or
    ``missing`` (a harsh boundary: ``violated``), violations ``violated`` or ``None``. Listening
    needs the customer's words, so it is ``None`` without a conversation."""
    ctx = context or CoachContext()
    draft = draft[:MAX_DRAFT]
    found = detect_all(draft)
    out: dict[str, Status | None] = {}
    for name in practice_weights(ctx):
        out[name] = _practice(name, draft, ctx, found)[0]
    if not ctx.key_points:
        out["listening"] = None
    found["mirroring"] = _mirroring(draft, ctx)
    for name in ("blame", "defensive", "dismissive", "jargon", "over_promise", "mirroring"):
        out[name] = "violated" if found[name] else None
    return out


def review(draft: str, context: CoachContext | None = None) -> Review:
    """Score ``draft`` as a reply in ``context`` (an empty context: no conversation known)."""
    ctx = context or CoachContext()
    draft = draft[:MAX_DRAFT]
    found = detect_all(draft)
    findings: list[Finding] = []
    earned = total = 0.0
    for name, weight in practice_weights(ctx).items():
        status, evidence = _practice(name, draft, ctx, found)
        if weight <= 0 and status != "violated":
            continue
        total += weight
        earned += weight if status == "met" else 0.0
        hint = (
            None
            if status == "met"
            else suggest("harsh_boundary" if status == "violated" else name, ctx)
        )
        findings.append(Finding(name, "practice", status, weight, _spans(evidence), hint))
    found["mirroring"] = _mirroring(draft, ctx)
    penalty = PENALTIES["harsh_boundary"] * penalty_factor(ctx) if found["harsh_boundary"] else 0.0
    for name in ("blame", "defensive", "dismissive", "jargon", "over_promise", "mirroring"):
        if found[name]:
            points = PENALTIES[name] * penalty_factor(ctx)
            penalty += points
            spans = _spans(found[name])
            findings.append(
                Finding(name, "violation", "violated", points, spans, suggest(name, ctx))
            )
    base = 100.0 * earned / total if total else 100.0
    score = round(min(100.0, max(0.0, base - penalty)))
    return Review(score, tone_score(draft, found), tuple(findings), situation(ctx))
