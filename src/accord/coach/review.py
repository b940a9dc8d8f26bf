"""``review(draft, context)``: score a reply draft 0-100 and say what to change.

Pure and fast (regular expressions over sentences plus one pass of the analysis engine over the
draft, to catch hostility). Each applicable practice is met or missing (or violated, for a harsh
boundary); each violation found is listed with its evidence and takes points off. The score is
the weighted share of practices met, minus the penalties, clamped to 0-100.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

import snowballstemmer

from accord.analysis.signals import detect as detect_signals
from accord.analysis.text import prepare
from accord.analysis.types import SignalName
from accord.cases.playbook.detectors import plain_quotes, sentences
from accord.cases.playbook.machine import Evidence
from accord.coach.context import STOP_WORDS as _STOP
from accord.coach.paraphrase import paraphrased
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


# Words any support reply may use whatever the customer said: sharing one is not listening.
_GENERIC_WORDS = """
    account accounts service services help helps helping support customer customers issue issues
    problem problems team message messages direct details detail information info experience
    contact reach please thank thanks time today number look looking sorry
    hear know like would able happy sure check link tweet twitter send dm assist assistance follow
    following happen happened happening going work working further more reply replied
    apologies apologize apology inconvenience concern concerns feedback right there here great good
    the and you for are can but not get how any our was has had did one two all out now new see got
    let may its her his who why way too yet day use own off yes lol omg wtf via per she him they
"""
_GENERIC = frozenset(_GENERIC_WORDS.split())
# The engine's stop words, less those that name what the customer is on about.
_NAMING = frozenset(
    {"call", "called", "email", "emailed", "week", "year", "years", "time", "times"}
)
# Words a reply may use for what the customer named in other words ("your parcel" for "my
# package", "the delay" for "I've been waiting"): each group is one more key they share.
_SAME_THING = {
    "delivery": "deliver delivery delivered package packages parcel parcels shipment courier "
    "dispatch dispatched shipping shipped arrive arrived arrival",
    "delay": "delay delays delayed late wait waits waiting waited overdue hold",
    "refund": "refund refunded refunds reimburse reimbursed reimbursement compensation",
    "charge": "charge charged charges billed billing overcharged payment payments fee fees debit "
    "deduct deducted deducting deduction",
    "damage": "damaged damage broken broke faulty defective cracked torn smashed",
    "cancel": "cancel cancelled canceled cancellation unsubscribe terminate deactivate deactivated",
    "signin": "login log-in signin sign-in password passwords locked",
    "connection": "internet wifi wi-fi connection connectivity outage offline signal network "
    "interruption disruption connect connecting connected disconnect disconnected lte wireless",
    "luggage": "bag bags baggage luggage suitcase suitcases",
    "lost": "lost missing stolen",
    "store": "store stores shop shops branch",
    "website": "website site online web webpage app",
    "trip": "flight flights plane trip journey fly flying flew onboard boarding",
    "phone": "phone phones iphone mobile cellphone handset ios android",
    "family": "kids kid children child son daughter",
    "music": "song songs album albums playlist playlists music",  # not "track": parcels have one
    "price": "price prices priced cost costs fare fares pricing",
    "complaint": "complaint complaints complain complained reclamation grievance",
}
_CONCEPT = {word: f"~{name}" for name, words in _SAME_THING.items() for word in words.split()}
# A word, a reference or figure, or a one-digit amount ("$3": its digit is the key).
_TERM = re.compile(r"[^\W\d_][\w'’-]{2,}|\d[\d.,:/-]*\d|(?<=[$£€])\d")
_HANDLE_OR_LINK = re.compile(r"(?<![\w.])@\w+|\b(?:https?://|www\.)\S+|#", re.IGNORECASE)


@lru_cache(maxsize=8192)
def _stems(word: str) -> frozenset[str]:
    """The keys a word matches on: its Snowball stem ("billing" and "bill" meet) and its first
    five letters ("delivery" and "delivered" meet, which Snowball keeps apart)."""
    word = _CLITIC.sub("", word.lower())
    if word.isdigit() or not word.isalpha():
        # "DL1262" also meets "DL 1262": a reference keeps its number as a key of its own.
        return frozenset({word, *(n for n in re.findall(r"\d{3,}", word) if n != word)})
    if len(word) >= 6:
        prefix = word[:5]
    else:  # a plural "s" only: "ios", "gas" and "bus" keep theirs
        plural = len(word) >= 4 and word.endswith("s") and not word.endswith("ss")
        prefix = word[:-1] if plural else word
    keys = {k for k in (prefix, _SNOWBALL.stemWord(word)) if len(k) >= 3}
    return frozenset(keys | ({_CONCEPT[word]} if word in _CONCEPT else set()))


_SNOWBALL = snowballstemmer.stemmer("english")
_CLITIC = re.compile(r"['’](?:s|t|re|ve|ll|d)$|[-'’]")
_GENERIC_STEMS = frozenset().union(*(_stems(w) for w in _GENERIC | (_STOP - _NAMING)))


def _blank(m: re.Match[str]) -> str:
    return " " * len(m.group(0))


def _positions(text: str) -> list[tuple[int, str]]:
    """Each content term of ``text`` as (offset, stem key), a pair per key; handles and links
    left out, and so is a word any of whose keys is a generic word's, unless it belongs to a
    group of words for the same thing ("complaint" shares "compl" with "completely"): that word
    keeps its other keys."""
    text = _HANDLE_OR_LINK.sub(_blank, text)
    found = ((m.start(), _stems(m.group(0))) for m in _TERM.finditer(text))
    return [
        (at, k)
        for at, keys in found
        if not keys & _GENERIC_STEMS or any(k.startswith("~") for k in keys)
        for k in keys - _GENERIC_STEMS
    ]


# What a customer's complaint is about when no word names it: "where is my order?" is about a
# delivery, "I haven't heard back" about a delay. A reply that speaks of the delivery or the
# delay takes it up.
_CUES = (
    (re.compile(r"\bwhere(?:'?s|\s+is|\s+are)\s+(?:my|our|the)\b", re.IGNORECASE), "~delivery"),
    (
        re.compile(
            r"\b(?:haven'?t|have\s+not|never|not)\s+(?:yet\s+)?(?:heard|received|gotten|got)\b|"
            r"\bno\s+(?:reply|response|answer|word)\b|\bstill\s+(?:no|nothing|not)\b",
            re.IGNORECASE,
        ),
        "~delay",
    ),
    (re.compile(r"\bout\s+of\s+service\b|\bis\s+down\b", re.IGNORECASE), "~connection"),
)


@lru_cache(maxsize=256)
def _terms(text: str) -> frozenset[str]:
    # Cached: the customer's messages are the same on every pause in typing.
    cued = {concept for cue, concept in _CUES if cue.search(plain_quotes(text))}
    return frozenset(t for _, t in _positions(text)) | cued


def _listening(draft: str, ctx: CoachContext, found: dict[str, list[Evidence]]) -> Status:
    """Met when the draft takes up something the customer said recently (one of their content
    words, a reference or an amount, matched on its stems so that "charged" meets "charges",
    or a word for the same thing: "parcel" for "package"), or restates it in so many words
    ("if I understand correctly", "you mentioned"); failing all of these, when one of its
    sentences says what one of the customer's says in other words (:mod:`.paraphrase`)."""
    said: set[str] = set()
    for text in ctx.customer_messages:
        said |= _terms(text)
    said -= frozenset().union(*(_stems(w) for term in ctx.abusive_terms for w in term.split()))
    hits = [at for at, t in _positions(draft) if t in said]
    found["listening_points"] = [
        s for s in sentences(draft) if any(s.start <= at < s.end for at in hits)
    ]
    if hits or found["listening"]:
        return "met"
    # Only then the sentence encoder, for what the customer said in other words.
    found["listening_points"] = paraphrased(draft, ctx.customer_messages, _has_content)
    return "met" if found["listening_points"] else "missing"


def _has_content(sentence: str) -> bool:
    return bool(_positions(sentence))


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
        if s.name == SignalName.ABUSE
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
    if not ctx.customer_messages:
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
        if weight <= 0 and name != "boundary":  # only a harsh boundary counts unweighted
            continue
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
