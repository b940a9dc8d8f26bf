"""What the customer wants (remedy) and why the conflict arose (cause).

Both are curated cue lists with evidence spans: no public data set labels them, and an agent
acts on "wants a refund (evidence: 'give me my money back')" better than on a bare label.
The cause falls back on the topic's default cause (a taxonomy setting) when no cue fires.
"""

from __future__ import annotations

import re

from accord.analysis.signals import negated
from accord.analysis.text import Prepared, inside, quoted_ranges
from accord.analysis.types import Span

REMEDIES: tuple[str, ...] = (
    "refund",
    "replacement",
    "repair",
    "explanation",
    "apology",
    "compensation",
    "cancellation",
    "escalation",
    "information",
)
CAUSES: tuple[str, ...] = ("communication", "product-service", "human factors", "unknown")

# Order matters: when several fire, the first in this list is the main remedy (a refund request
# that also asks "why" wants the refund first).
_REMEDY_CUES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(p))
    for name, p in (
        ("refund", r"\b(?:refund\w*|money back|reimburse\w*|chargeback|charge back|pay me back)\b"),
        (
            "replacement",
            r"\b(?:replace\w*|new one|another one|exchange (?:it|this|them)|swap (?:it|this)|"
            r"send (?:me )?(?:a )?(?:new|another|the right))\b",
        ),
        # Not a bare "fix it": "fix it today or I cancel" asks for a solution, not a repair.
        (
            "repair",
            r"\b(?:repair\w*|technician|(?:fix|mend) (?:my|the) (?!problem|issue|mistake|error|"
            r"charge|bill|account|payment|order)\w+)\b",
        ),
        (
            "compensation",
            r"\b(?:compensat\w*|voucher|credit (?:my|to my|on my)|goodwill|discount|"
            r"make (?:it|this) right|free (?:month|night|upgrade))\b",
        ),
        (
            "cancellation",
            r"\b(?:cancel\w*|unsubscribe|terminate|close (?:my|the) account|end (?:my|the) "
            r"(?:contract|subscription))\b",
        ),
        (
            "escalation",
            r"\b(?:manager|supervisor|escalat\w*|someone (?:in charge|senior)|higher up)\b",
        ),
        ("apology", r"\b(?:apologi[sz]e|apology|say sorry|an apology)\b"),
        (
            "explanation",
            r"\b(?:explain\w*|explanation|why (?:did|was|were|is|are|do|does|has|have|would|"
            r"can'?t|won'?t)|what happened|how (?:come|could you))\b",
        ),
        (
            "information",
            r"\b(?:how (?:do|can|long|much)|when (?:will|is|does|can)|where (?:is|can|do)|"
            r"what (?:is|are) the|can you (?:tell|check|confirm|let me know)|any update|"
            r"let me know|status of)\b",
        ),
    )
)

_STAFF = (
    r"(?:agent|rep|representative|staff|employee|driver|cashier|waiter|waitress|technician|"
    r"engineer|advisor|adviser|operator)"
)
# (cause, cue, counts only in a conflict)
_CAUSE_CUES: tuple[tuple[str, re.Pattern[str], bool], ...] = (
    (
        "human factors",
        re.compile(
            r"\b(?:rude\w*|unprofessional|attitude|disrespectful|condescending|arrogant|"
            r"hung up|shouted|yelled|laughed at|mocked|insulted me|patronising|patronizing)\b"
        ),
        False,
    ),
    (
        "human factors",
        re.compile(r"\b(?:your|the|that|this) " + _STAFF + r"s?\b"),
        True,
    ),
    (
        "communication",
        re.compile(
            r"\b(?:no one|nobody|never|didn'?t|did not)\s+(?:told|tell|informed|inform|replied|"
            r"reply|responded|respond|got back|get back|called back|call back|answered|answer|"
            r"explained|explain|mentioned|notified)\b|\b(?:misleading|misled|misinformed|"
            r"miscommunication|unclear|confusing|contradict\w*|conflicting|wrong information|"
            r"no (?:response|reply|answer|update|updates|information|info)|ignor(?:ed|ing)|"
            r"left on hold|on hold for|false advertising)\b"
        ),
        False,
    ),
)


# "I don't want to cancel", "no refund needed, just ...", "a replacement, not a repair": the
# writer rules a remedy out. Only the writer's own negation counts: "you won't refund me" still
# asks for a refund, so the general clause negation of the signals is too broad here.
_DECLINED = re.compile(
    r"(?:\b(?:i|we)(?:'m| am|'re| are)?\s+(?:don'?t|do not|didn'?t|did not|not|never|no longer)"
    r"(?:\s+[\w']+){0,3}|\bno need (?:for|to)(?:\s+[\w']+){0,2}|\bnot(?:\s+(?:a|an|the))?|"
    r"\bno)\s*$"
)
_DECLINED_AFTER = re.compile(r"\s*(?:is |are )?(?:not )?(?:needed|necessary|required)\b")


def _declined(lower: str, start: int, end: int) -> bool:
    if _DECLINED.search(lower, max(0, start - 40), start) is not None:
        return True
    after = _DECLINED_AFTER.match(lower, end)
    return after is not None and lower.startswith("no", max(0, start - 3))


# "... or I am cancelling": the alternative threatened if the request fails, not the request.
_THREAT_BEFORE = re.compile(
    r"\bor (?:else )?(?:i|we)(?:'ll| will| am|'m|'m| shall| am going to|'m going to) (?:\w+ )?$"
)


def _threatened(lower: str, start: int) -> bool:
    return bool(_THREAT_BEFORE.search(lower[max(0, start - 40) : start]))


def _spans(prep: Prepared, pattern: re.Pattern[str], declinable: bool) -> tuple[Span, ...]:
    quotes = quoted_ranges(prep.clean)
    out = []
    for m in pattern.finditer(prep.lower):
        start, end = m.start(), m.end()
        if quotes and inside(quotes, start, end):
            continue  # reported speech: "you said \"we'll refund you\""
        if declinable and (_declined(prep.lower, start, end) or _threatened(prep.lower, start)):
            continue
        out.append(Span(start, end, prep.original[start:end]))
    return tuple(out)


def remedy(prep: Prepared) -> tuple[str | None, tuple[Span, ...]]:
    """The main remedy asked for and its evidence; ``None`` when the message asks for nothing."""
    for name, pattern in _REMEDY_CUES:
        spans = _spans(prep, pattern, declinable=True)
        if spans:
            return name, spans
    return None, ()


def cause(prep: Prepared, topic_cause: str, conflict: bool) -> tuple[str, tuple[Span, ...]]:
    """Cue-based cause first (people, then communication), else the topic's default cause.

    Conduct cues count unless negated ("the agent was not rude"); a bare mention of staff
    ("your agent fixed it") only points at people when the message is a conflict at all.
    """
    for name, pattern, needs_conflict in _CAUSE_CUES:
        if needs_conflict and not conflict:
            continue
        spans = tuple(s for s in _spans(prep, pattern, False) if not negated(prep.lower, s.start))
        if spans:
            return name, spans
    return (topic_cause if conflict else "unknown"), ()
