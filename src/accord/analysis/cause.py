"""Why the conflict arose: communication, product-service or human factors, with evidence.

Explicit evidence in the message decides, in this order: a member of staff named together with
a conduct word ("the gate agent was rude", "the technician never showed up"), a conduct word on
its own, a bare mention of an agent in a conflict, a failure to inform ("nobody told me", "no
updates"), then a failure of the product or service in a conflict ("delayed", "outage",
"declined"). People first: a rude agent on a delayed flight is what the customer will remember.
A pack (``accord.analysis.packs``) adds its industry's phrases to each cause; with no cue the
optional fallback is asked, then the topic's default cause applies.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from accord.analysis.literals import alternation
from accord.analysis.signals import negated
from accord.analysis.text import Prepared, quoted_ranges, unquoted
from accord.analysis.types import Span

CAUSES: tuple[str, ...] = ("communication", "product-service", "human factors", "unknown")

# The seam for a meaning-based guess (e.g. a sentence encoder): called only for a conflict in
# which no cue fired, with the topic's default cause; it returns a cause, or None to keep that
# default. A guess has no evidence span.
CauseFallback = Callable[[Prepared, str], str | None]

# Staff of every industry the packs cover. A bare mention counts only beside a conduct word:
# "the pilot announced a delay" is not about people, "the pilot was rude" is.
STAFF: tuple[str, ...] = (
    # anywhere
    "agent", "rep", "representative", "staff", "staff member", "employee", "advisor",
    "adviser", "operator", "manager", "supervisor", "clerk", "assistant", "call handler",
    "customer service rep", "customer service agent", "support agent", "team member",
    # retail and delivery
    "cashier", "waiter", "waitress", "driver", "courier", "delivery driver", "sales assistant",
    "shop assistant", "security guard", "store manager",
    # travel
    "crew", "cabin crew", "flight attendant", "stewardess", "steward", "pilot", "captain",
    "gate agent", "check-in agent", "ground staff", "conductor", "ticket inspector",
    "train manager", "bus driver", "baggage handler", "concierge", "front desk", "porter",
    # telecom and utilities
    "technician", "engineer", "installer", "fitter", "field engineer", "meter reader",
    # banking
    "teller", "banker", "bank manager", "branch manager", "relationship manager",
    "loan officer", "mortgage adviser", "mortgage advisor",
    # software
    "support engineer", "developer", "account manager", "customer success manager",
    "salesperson", "sales rep",
    # healthcare
    "nurse", "doctor", "dr", "gp", "physician", "surgeon", "consultant", "receptionist",
    "pharmacist", "midwife", "dentist", "hygienist", "paramedic", "therapist", "specialist",
    "carer", "care worker",
)  # fmt: skip

# What a member of staff did or was. Its own negation is part of the cue ("never showed up");
# a negation before it ("was not rude") cancels it.
_CONDUCT = (
    r"(?:rude\w*|unhelpful|dismissive|aggressive|hostile|abrupt|curt|sarcastic|impatient|"
    r"incompetent|clueless|useless|lazy|careless|negligent|unprofessional|condescending|"
    r"patroni[sz]ing|arrogant|disrespectful|nasty|obnoxious|snotty|snarky|uncaring|"
    r"unsympathetic|insensitive|drunk|intimidating|threatening|racist|sexist|discriminat\w*|"
    r"ignor(?:ed|es|ing|e)|refus(?:ed|es|ing)|shout(?:ed|ing)|yell(?:ed|ing)|scream(?:ed|ing)|"
    r"swore|swearing|argu(?:ed|ing)|lied|lying|blam(?:ed|ing)|laugh(?:ed|ing) at|mock(?:ed|ing)|"
    r"insult(?:ed|ing)|accus(?:ed|ing)|humiliat(?:ed|ing)|belittl(?:ed|ing)|snapped at|"
    r"hung up|walked (?:off|away|out)|turned (?:me|us) away|(?:talked|spoke) down|"
    r"rolled (?:his|her|their) eyes|told (?:me|us) off|made (?:me|us) wait|"
    r"kept (?:me|us) waiting|left (?:me|us) (?:waiting|stranded|standing)|"
    r"treated (?:me|us) (?:like|badly|poorly|terribly)|no[- ]show(?:ed)?|stood (?:me|us) up|"
    r"(?:never|didn'?t|did not|failed to|hasn'?t|has not) (?:bother(?:ed)? to )?(?:show(?:ed)? up|"
    r"turn(?:ed)? up|showed|arrive[d]?|come|came|call(?:ed)? back|listen(?:ed)?|care[d]?|"
    r"apologi[sz]e[d]?|knock(?:ed)?)|(?:wouldn'?t|would not|won'?t|refused to) (?:help|listen|"
    r"let|explain|accept|apologi[sz]e)|could(?:n'?t| not) care less|(?:was|were|arrived|"
    r"turned up|showed up) (?:[\w-]+ ){0,2}late|on (?:his|her|their) phones?)"
)
# Conduct words that point at people on their own (unless negated).
_CONDUCT_ALONE = (
    r"rude\w*|unprofessional|attitude|disrespectful|condescending|arrogant|hung up|shouted|"
    r"yelled|laughed at|mocked|insulted me|patronising|patronizing"
)
# A bare mention of an agent in a conflict ("the agent took forty minutes").
_BARE_STAFF = (
    r"(?:your|the|that|this) (?:agent|rep|representative|staff|employee|driver|cashier|waiter|"
    r"waitress|technician|engineer|advisor|adviser|operator)s?"
)
_COMMUNICATION = (
    r"(?:no one|nobody|never|didn'?t|did not)\s+(?:(?:has|have|had|ever|even|once)\s+)?(?:told|"
    r"tell|informed|inform|replied|reply|responded|respond|got back|get back|called|call|rang|"
    r"contacted|answered|answer|explained|explain|mentioned|notified|warned|updated)|"
    r"(?:wasn'?t|weren'?t|was not|were not|was never|were never) (?:told|informed|notified|"
    r"warned)|"
    r"misleading|misled|misinformed|miscommunication|unclear|confusing|contradict\w*|conflicting|"
    r"wrong information|incorrect information|false information|misinformation|mixed messages|"
    r"different (?:answers|stories|story)|no (?:response|reply|answer|update|updates|information|"
    r"info|warning|notice|notification|announcement|announcements|explanation|communication)|"
    r"without (?:any )?(?:warning|notice|notification|explanation|announcement)|ignor(?:ed|ing)|"
    r"left on hold|on hold for|false advertising|(?:kept|left) (?:me |us )?in the dark|"
    r"lack of (?:communication|information|updates)|poor communication|radio silence|ghosted|"
    r"(?:can'?t|cannot|couldn'?t|could not) get through"
)
# A failure of the product or service itself; counts only in a conflict.
_PRODUCT_SERVICE = (
    r"broken|broke down|faulty|defective|malfunction\w*|fail(?:ed|s|ing|ure)|delayed|delays?|"
    r"outages?|crash(?:ed|es|ing)|glitch\w*|bugs?|buggy|errors?|not working|stopped working|"
    r"(?:does|did|do|is|was|are|were|has|have)n'?t (?:been )?work(?:ing|ed)?|"
    r"won'?t (?:work|load|open|start|connect)|(?:is|was|are|were|been|went|goes|gone) down|"
    r"(?:was|were|been|got|is|are) (?:\w+ )?cancell?ed|no (?:service|signal|power|internet)|"
    r"never (?:arrived|came)|(?:has|have)n'?t arrived|didn'?t arrive|damaged|"
    r"lost (?:my|our|the) \w+|wrong (?:item|order|size|amount|charge|bill)|overcharged|"
    r"double[- ]charged|charged twice"
)


def _literals(phrases: Iterable[str]) -> str:
    return alternation(p.lower() for p in phrases)


def _either(regex: str, phrases: Sequence[str]) -> re.Pattern[str]:
    """The base regex or any of a pack's literal phrases, each between word boundaries."""
    extra = _literals(phrases)
    return re.compile(r"\b(?:" + regex + (("|" + extra) if extra else "") + r")\b")


@dataclass(frozen=True, slots=True)
class _Rule:
    cause: str
    pattern: re.Pattern[str]
    needs_conflict: bool


class CauseCues:
    """The base cues plus a pack's own: staff nouns and phrases per cause."""

    def __init__(
        self, staff: Sequence[str] = (), phrases: Mapping[str, Sequence[str]] | None = None
    ) -> None:
        self.staff = tuple(staff)
        self.phrases = {c: tuple(p) for c, p in (phrases or {}).items() if p}
        pack = self.phrases.get  # not named `extra`: bandit B610 takes that for Django's
        nouns = _literals((*STAFF, *self.staff))
        staff_conduct = (
            r"\b(?:"
            + nouns
            + r")(?:s|es)?\b(?:[\s,]+[\w'’-]+){0,5}?[\s,]+(?P<conduct>"
            + _CONDUCT
            + r")\b"
        )
        self.rules = (
            _Rule("human factors", re.compile(staff_conduct), False),
            _Rule("human factors", _either(_CONDUCT_ALONE, pack("human factors", ())), False),
            _Rule("human factors", re.compile(r"\b" + _BARE_STAFF + r"\b"), True),
            _Rule("communication", _either(_COMMUNICATION, pack("communication", ())), False),
            _Rule("product-service", _either(_PRODUCT_SERVICE, pack("product-service", ())), True),
        )

    def merged(self, other: CauseCues) -> CauseCues:
        phrases = {c: (*self.phrases.get(c, ()), *other.phrases.get(c, ())) for c in CAUSES}
        return CauseCues((*self.staff, *other.staff), phrases)

    def to_dict(self) -> dict[str, list[str]]:
        out = {"staff": list(self.staff)} if self.staff else {}
        return out | {c: list(p) for c, p in self.phrases.items()}


BASE_CUES = CauseCues()


def _evidence(
    prep: Prepared, pattern: re.Pattern[str], quotes: list[tuple[int, int]]
) -> tuple[Span, ...]:
    out = []
    for m in unquoted(pattern, prep.lower, quotes):  # not reported speech
        start, end = m.start(), m.end()
        checked = m.start("conduct") if "conduct" in pattern.groupindex else start
        if negated(prep.lower, checked):
            continue  # "the agent was not rude"
        out.append(Span(start, end, prep.original[start:end]))
    return tuple(out)


def cause(
    prep: Prepared,
    topic_cause: str,
    conflict: bool,
    *,
    cues: CauseCues | None = None,
    fallback: CauseFallback | None = None,
) -> tuple[str, tuple[Span, ...]]:
    """Cue-based cause first, else (in a conflict) the fallback's guess or the topic's cause.

    Conduct and communication cues count in any message; a bare mention of staff and a product
    or service failure only point at a cause when the message is a conflict at all.
    """
    quotes = quoted_ranges(prep.clean)
    for rule in (cues or BASE_CUES).rules:
        if rule.needs_conflict and not conflict:
            continue
        spans = _evidence(prep, rule.pattern, quotes)
        if spans:
            return rule.cause, spans
    if not conflict:
        return "unknown", ()
    if fallback is not None:
        guess = fallback(prep, topic_cause)
        if guess in CAUSES:
            return str(guess), ()
    return topic_cause, ()
