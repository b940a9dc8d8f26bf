"""What the customer wants (remedy), read from the sentence rather than from a single word.

A curated cue list with evidence spans: no public data set labels remedies, and an agent acts on
"wants a refund (evidence: 'give me my money back')" better than on a bare label. A cue is
skipped when the writer rules it out ("I don't want a refund"), threatens it as the alternative
("or I cancel"), or describes what already happened rather than asking for it: "my flight was
cancelled", "you cancelled my order", "I was rebooked" are the problem, "I need to be rebooked",
"I want it cancelled" are requests. Why the conflict arose is :mod:`accord.analysis.cause`.
"""

from __future__ import annotations

import re

from accord.analysis.cause import CAUSES as CAUSES
from accord.analysis.cause import CauseCues as CauseCues
from accord.analysis.cause import CauseFallback as CauseFallback
from accord.analysis.cause import cause as cause
from accord.analysis.text import Prepared, quoted_ranges, unquoted
from accord.analysis.types import Span
from accord.core.needles import PatternSet

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
    "rebooking",
    "reinstatement",
)
_SERVICE = (
    r"(?:service|internet|broadband|wifi|connection|line|power|electricity|gas|water|supply|"
    r"signal|heating)"
)
_TRIP = r"(?:flight|train|bus|coach|ferry|departure|appointment|slot)"
# Order matters: when several fire, the first in this list is the main remedy (a refund request
# that also asks "why" wants the refund first; "cancel my order and refund me" wants the money).
_REMEDY_CUES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(p))
    for name, p in (
        # "a non-refundable fare" describes the ticket.
        (
            "refund",
            r"\b(?:refund(?<!non-refund)(?<!non refund)\w*|money back|reimburse\w*|chargeback|"
            r"charge back|pay me back)\b",
        ),
        # Another flight, train or appointment: travel and clinics, not a new product.
        (
            "rebooking",
            r"\b(?:re-?book(?:ed|ing)?(?!\s+(?:fees?|charges?|desk|process|system))|"
            r"reschedul(?:e|ed|ing)|(?:book|put|get|move|switch|transfer) (?:me|us|him|her|them|"
            r"it|my \w+|our \w+) (?:on|onto|to|into|for) (?:the |a |an )?(?:next|another|later|"
            r"earlier|different|alternative|new|other)|(?:next available|alternative|another|"
            r"later|earlier|different|replacement) " + _TRIP + r"s?|new appointment|"
            r"change (?:my|the|our) (?:flight|booking|appointment|ticket|reservation|date)s?|"
            r"(?:move|push back|bring forward) (?:my|the|our) (?:flight|booking|appointment|"
            r"reservation))\b",
        ),
        (
            "replacement",
            r"\b(?:replace\w*|new one|another one|exchange (?:it|this|them)|swap (?:it|this)|"
            r"send (?:me )?(?:a )?(?:new|another|the right))\b",
        ),
        # Not a bare "fix it": "fix it today or I cancel" asks for a solution, not a repair.
        (
            "repair",
            r"\b(?:repair\w*|technician|(?:fix|mend) (?:my|the) (?!problem|issue|mistake|error|"
            r"charge|bill|account|payment|order)\w+|restore (?:my|the|our) " + _SERVICE + r"|"
            r"(?:send|book) (?:me |us )?(?:an? |the )?engineer)\b",
        ),
        (
            "compensation",
            r"\b(?:compensat\w*|voucher|credit (?:my|to my|on my)|goodwill|discount|"
            r"make (?:it|this) right|free (?:month|night|upgrade)|eu ?261|uk ?261)\b",
        ),
        # Bring back what was cancelled, suspended, blocked or cut off by mistake.
        (
            "reinstatement",
            r"\b(?:reinstat\w*|re-?activat\w*|restor(?:e|ed|ing) (?:it|them|this|that|my|our|the|"
            r"access)|reconnect(?:ed|ing)?|"
            r"re-?enable|unblock\w*|unfreeze|unsuspend\w*|un-?cancel\w*|undo (?:the|this|my) "
            r"(?:cancellation|suspension|closure)|(?:turn|switch) (?:it|them|my \w+) back on|"
            r"unlock (?:my|the|our) (?:account|card)|give (?:me|us) (?:back )?(?:my |our )?access|"
            r"put (?:it|me|us) back)\b",
        ),
        # "cancelled" only when asked for ("I want it cancelled"); a cancellation fee or policy
        # is a subject, not a wish.
        (
            "cancellation",
            r"\b(?:cancel(?!\s+(?:fees?|charges?|polic(?:y|ies)))|cancell?ing|cancell?ed|"
            r"cancellation(?!\s+(?:fees?|charges?|polic(?:y|ies)|terms|notice|e-?mail|letter|"
            r"confirmation|number|reference|ref|was|is|has))|unsubscribe|terminate|"
            r"close (?:my|the) account|end (?:my|the) (?:contract|subscription|membership|plan))\b",
        ),
        (
            "escalation",
            # Not a job title: "the account manager was rude" mentions one, asks for nobody.
            r"\b(?:manager(?<!account manager)(?<!bank manager)(?<!branch manager)"
            r"(?<!store manager)(?<!shop manager)(?<!relationship manager)(?<!success manager)"
            r"(?<!train manager)(?<!project manager)(?<!property manager)|supervisor|"
            r"escalat\w*|someone (?:in charge|senior)|higher up)\b",
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
            r"what (?:is|are) (?:the|your)|can you (?:tell|check|confirm|let me know)|any update|"
            r"let me know|status of)\b",
        ),
    )
)


# "I don't want to cancel", "no refund needed, just ...", "a replacement, not a repair": the
# writer rules a remedy out. Only the writer's own negation counts: "you won't refund me" still
# asks for a refund, so the general clause negation of the signals is too broad here.
_DECLINED = re.compile(
    r"(?:\b(?:i|we)(?:'m| am|'re| are)?\s+(?:don'?t|do not|didn'?t|did not|not|never|no longer)"
    r"(?:\s+[\w']+){0,3}|\bno need (?:for|to)(?:\s+[\w']+){0,2}|\bnot(?:\s+(?:a|an|the))?|"
    r"\b(?:instead of|rather than)(?:\s+(?:a|an|the|my))?|\bno)\s*$"
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


# A past participle ("cancelled", "rebooked", "replaced") asks for something only after a
# wish or a request ("I need to be rebooked", "I want my order cancelled", "please have it
# replaced") or when its absence is the complaint ("I still haven't been refunded"). Otherwise
# it tells what happened: "my flight was cancelled", "you cancelled my order", "I was rebooked
# onto a flight ten hours later".
_REQUESTED_BEFORE = re.compile(
    r"(?:\b(?:want|wanted|need|needs|like|demand|expect|expecting|please|asking|asked|request|"
    r"requesting|requested|hoping|hope)\b(?:\s+[\w']+){0,3}|\b(?:have|get|getting)\s+(?:it|this|"
    r"that|them|me|us|(?:my|the|our|this|that|these|those)(?:\s+[\w']+){1,2})|"
    r"\b(?:can|could|may)\s+(?:i|we)\s+(?:please\s+)?(?:be|get|have)(?:\s+[\w']+){0,2})\s+$"
)
_ABSENT_BEFORE = re.compile(
    r"(?:\b(?:was|were|is|are|been|be|get|got)\s+(?:still\s+|yet\s+)?(?:not|never)|"
    r"\b(?:wasn|weren|isn|aren)'?t|\b(?:haven|hasn|hadn)'?t\s+been|\b(?:not|never)\s+(?:yet\s+)?"
    r"been|\byet to be)\s+(?:(?:yet|still|even|actually|properly|fully)\s+)*$"
)
# "you cancel my flight and ...", "why did they cancel", "you keep cancelling": the company's
# act, not the writer's wish ("can you cancel", "how do you compensate", "why won't you refund
# me", "if you replace it" still ask).
_SOMEONE_ELSE_BEFORE = re.compile(
    r"(?:(?<!can )(?<!could )(?<!would )(?<!will )(?<!do )(?<!should )(?<!shall )(?<!must )"
    r"(?<!won't )(?<!wont )(?<!don't )(?<!dont )(?<!please )(?<!if )(?<!unless )(?<!when )"
    r"\b(?:you|they)|\b(?:keep|kept|stop|stopped))\s+(?:(?:just|then|also|again|even|keep|kept)"
    r"\s+)?$"
)
_PARTICIPLE = re.compile(r"[a-z]+ed")


def _wanted(lower: str, start: int, end: int) -> bool:
    """Whether the cue at ``lower[start:end]`` is the writer's own request."""
    before = lower[max(0, start - 40) : start]
    if _PARTICIPLE.fullmatch(lower, start, end):
        if _ABSENT_BEFORE.search(before):
            return True  # "I was not refunded": the missing remedy is the request
        if _REQUESTED_BEFORE.search(before) is None:
            return False
    elif _SOMEONE_ELSE_BEFORE.search(before):
        return False
    return not (_declined(lower, start, end) or _threatened(lower, start))


def _spans(
    prep: Prepared, pattern: re.Pattern[str], quotes: list[tuple[int, int]]
) -> tuple[Span, ...]:
    out = []
    # Not in reported speech: "you said \"we'll refund you\"".
    for m in unquoted(pattern, prep.lower, quotes):
        start, end = m.start(), m.end()
        if _wanted(prep.lower, start, end):
            out.append(Span(start, end, prep.original[start:end]))
    return tuple(out)


# Each cue is searched only in messages that contain one of its literals (accord.core.needles).
_REMEDY_INDEX = PatternSet(pattern for _, pattern in _REMEDY_CUES)


def remedy(prep: Prepared) -> tuple[str | None, tuple[Span, ...]]:
    """The main remedy asked for and its evidence; ``None`` when the message asks for nothing."""
    quotes = quoted_ranges(prep.clean)
    for i in _REMEDY_INDEX.candidate_indices(prep.folded):
        name, pattern = _REMEDY_CUES[i]
        spans = _spans(prep, pattern, quotes)
        if spans:
            return name, spans
    return None, ()
