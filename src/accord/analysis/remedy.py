"""What the customer wants (remedy) and why the conflict arose (cause).

Both are curated cue lists with evidence spans: no public data set labels them, and an agent
acts on "wants a refund (evidence: 'give me my money back')" better than on a bare label.
The cause falls back on the topic's default cause (a taxonomy setting) when no cue fires.
"""

from __future__ import annotations

import re

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
        ("repair", r"\b(?:repair\w*|fix (?:it|this|my|the)|get (?:it|this) fixed|technician)\b"),
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
            r"\b(?:explain\w*|why (?:did|was|were|is|are|do|does|has|have|would|can'?t|won'?t)|"
            r"what happened|how (?:come|could you))\b",
        ),
        (
            "information",
            r"\b(?:how (?:do|can|long|much)|when (?:will|is|does|can)|where (?:is|can|do)|"
            r"what (?:is|are) the|can you (?:tell|check|confirm|let me know)|any update|"
            r"let me know|status of)\b",
        ),
    )
)

_CAUSE_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "human factors",
        re.compile(
            r"\b(?:rude\w*|unprofessional|attitude|disrespectful|condescending|arrogant|"
            r"hung up|shouted|yelled|laughed at|your (?:agent|rep|representative|staff|employee|"
            r"driver|cashier|waiter|waitress|technician|engineer)s?|the (?:agent|rep|"
            r"representative|staff|employee|driver|cashier|waiter|waitress|technician)s? "
            r"(?:was|were|is|are))\b"
        ),
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
    ),
)


def remedy(prep: Prepared) -> tuple[str | None, tuple[Span, ...]]:
    """The main remedy asked for and its evidence; ``None`` when the message asks for nothing."""
    quotes = quoted_ranges(prep.clean)
    for name, pattern in _REMEDY_CUES:
        spans = tuple(
            Span(m.start(), m.end(), prep.original[m.start() : m.end()])
            for m in pattern.finditer(prep.lower)
            if not (quotes and inside(quotes, m.start(), m.end()))
        )
        if spans:
            return name, spans
    return None, ()


def cause(prep: Prepared, topic_cause: str, conflict: bool) -> tuple[str, tuple[Span, ...]]:
    """Cue-based cause first (people, then communication), else the topic's default cause."""
    for name, pattern in _CAUSE_CUES:
        spans = tuple(
            Span(m.start(), m.end(), prep.original[m.start() : m.end()])
            for m in pattern.finditer(prep.lower)
        )
        if spans:
            return name, spans
    return (topic_cause if conflict else "unknown"), ()
