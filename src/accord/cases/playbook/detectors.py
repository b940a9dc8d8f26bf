"""Phrase detectors for agent replies: which playbook moves a reply makes, with evidence.

Pure and deterministic: regular expressions over sentences, no model. Each detector returns the
sentences that show the move as :class:`~accord.cases.playbook.machine.Evidence` spans
(``text == reply[start:end]``), so the UI can highlight them and the audit trail can quote them.

Detectors and what they look for (English, case-insensitive):

=======================  ==========================================================================
``apology``              "I'm so sorry for", "we apologise", "my apologies", "that was our
                         mistake", "we take full responsibility"; not "sorry, but", "sorry if you
                         felt", "sorry to hear" (that is empathy) or negated forms
``clarifying_question``  a sentence ending in "?" led by a question word or "could you tell /
                         send / confirm", or "just to clarify"; not "anything else?", "does that
                         sound good?", "would you prefer...?" (options) or "why..." (blaming)
``options_offered``      "would you prefer", "here are two options", "option A", "alternatively",
                         "you can either ... or", "I can offer you a refund"
``next_steps``           a commitment ("I will", "we'll", "you should receive", "expect", "I've
                         issued") *and* a time ("within 2 business days", "by Friday", "today",
                         "by 5 pm") in the same sentence
``thanks``               "thank you", "thanks", "I appreciate your"; not "thanks to", "no thanks"
                         or "thanks for nothing"
``empathy``              "I understand how", "that must be frustrating", "I can imagine", "I'm
                         sorry to hear", "I hear you", "I'd be upset too"
``listening``            "tell me more", "take your time", "walk me through", "if I understand
                         correctly"
``escalation_offered``   "let me connect you to a supervisor", "I've escalated this"
``boundary_set``         "we won't tolerate abusive language", "please keep this respectful"
=======================  ==========================================================================

Every match (except a boundary, which is negative by nature) is dropped when one of the three
words before it negates it ("I can't transfer you to a manager", "no need to apologise").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from accord.cases.playbook.machine import Evidence, Observed
from accord.core.needles import PatternSet, fold

__all__ = [
    "DETECTORS",
    "ENDS_AS_QUESTION",
    "INTERJECTION",
    "Detection",
    "detect_reply",
    "observations",
    "sentences",
]

_FLAGS = re.IGNORECASE
# A sentence ends at . ! or ? followed by space and a capital (so "5 p.m. tomorrow" and "3.5"
# stay whole), at a blank line, or before a list item. A single line break is not a boundary:
# email clients hard-wrap sentences ("and I\ncompletely understand why").
_BOUNDARY = re.compile(
    r"(?<=[.!?])\s+(?=[\"'(\[]?[A-Z0-9])|\n[ \t]*\n\s*|\n[ \t]*(?=(?:[-*\u2022]|\d{1,2}[.)])\s)"
    # What short replies use instead: an emoji or a smiley before a new capitalised sentence
    # (not a dash, quote or ellipsis, which run on), or no space after "!", "?" or a word's full
    # stop ("Hi there!Can you…"). A lone line break ends one only before a word that opens a
    # sentence ("Sorry about that\nCan you…"), never before a name ("I spoke to\nJohn").
    r"|\n[ \t]*(?=(?:Can|Could|Would|Will|Please|Thanks|Thank|Sorry|Hi|Hello|Hey|Is|Are|Do|Does|"
    r"Did|What|Which|When|Where|Why|How)\b)"
    r"|(?<=[^\w\s.,;:!?'\"()\[\]/&%$#@*+=<>|~^`\-—–“”‘’…«»])\s+(?=[A-Z][a-z])"
    r"|(?<=[:;][()\[\]/|])\s+(?=[A-Z])|(?<=[:;]-[()\[\]/|])\s+(?=[A-Z])"
    r"|(?<=[!?])(?=[A-Z][a-z])|(?<=[a-z]\.)(?=[A-Z][a-z])"
    r"|(?<=[。！？])\s*(?=\S)"  # Japanese and Chinese full stops need no space after them
)
# With the apostrophe left out too ("dont"); not "n'?t", which would read "want" as a negation.
_NEGATION = re.compile(
    r"\b(?:not|never|cannot|no|unable|dont|cant|wont|didnt|isnt|wasnt|doesnt|couldnt|wouldnt|"
    r"shouldnt|havent|hasnt|arent|werent)\b|n't\b",
    _FLAGS,
)
# "Oh no, that's frustrating": an exclamation, not a negation of what follows.
INTERJECTION = re.compile(r"\b(?:oh|uh|ah|aw)\W{0,3}no\b", _FLAGS)
_ADVERB = (
    r"(?:(?:so|very|really|truly|deeply|sincerely|terribly|extremely|genuinely|certainly|"
    r"definitely|understandably|incredibly|super|quite|totally|absolutely|completely)\s+)*"
)
_FEELING = (
    r"(?:frustrating|annoying|stressful|upsetting|disappointing|difficult|hard|inconvenient|"
    r"worrying|infuriating|awful|maddening|exhausting|unacceptable|troubling|concerning|"
    r"saddening|distressing|heart[\s-]?breaking|horrible|terrible|painful|irritating|aggravating|"
    r"scary|worrisome)"
)
_WEEKDAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_NUMBER = (
    r"(?:\d+(?:\s*[-–]\s*\d+)?|an?|one|two|three|four|five|six|seven|ten|a\s+few|a\s+couple\s+of)"
)


# "Hi Anna, sorry for..." / "Hello there! Apologies...": a greeting before a sentence-initial move.
_OPENER = r"^\W*(?:(?:hi|hello|hey|oh|ok(?:ay)?)(?:\s+there)?(?:\s+\w+)?\s*[,!.:-]+\s*)?"


# Phones and word processors type curly apostrophes ("we’re"); the patterns are written with
# the straight one. One character for one, so spans still index the reply.
_PLAIN_QUOTES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "´": "'", "“": '"', "”": '"'})
# Where a pattern's apostrophe may be left out when typing: "dont", "Im", "thats", "youre".
# Not in "we're", "we'll", "I'd" or "he'll": "were", "well", "id" and "hell" are other words.
_DROPPABLE = re.compile(
    r"(?<!\\)'(?=(?:t|m|s|ve)\b)|(?:(?<=you)|(?<=they)|(?<=you\(\?:)|(?<=they\(\?:))'(?=re\b)"
)
_LOOKAROUND = ("?=", "?!", "?<=", "?<!")


def plain_quotes(text: str) -> str:
    return text.translate(_PLAIN_QUOTES)


def loose_apostrophes(pattern: str) -> str:
    """``pattern`` with its droppable apostrophes made optional: not inside a character class
    (where "?" would be one more character) nor a look-around (a look-behind must keep its
    width, and a looser negative look-ahead would refuse more)."""
    out: list[str] = []
    groups: list[bool] = []  # for each open group: is it a look-around?
    in_class = escaped = False
    for i, ch in enumerate(pattern):
        out.append(ch)
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif in_class:
            # "]" straight after "[" or "[^" is a literal, not the end of the class.
            opened = pattern[i - 1] == "[" or pattern[i - 2 : i] == "[^"
            in_class = not (ch == "]" and not opened)
        elif ch == "[":
            in_class = True
        elif ch == "(":
            groups.append(pattern.startswith(_LOOKAROUND, i + 1))
        elif ch == ")" and groups:
            groups.pop()
        elif (
            ch == "'"
            and not any(groups)
            and _DROPPABLE.match(pattern, i)
            and not pattern.startswith("?", i + 1)
        ):
            out.append("?")
    return "".join(out)


def _compile(*patterns: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(loose_apostrophes(p), _FLAGS) for p in patterns)


APOLOGY = _compile(
    rf"\b(?:i|we)(?:'m|'re|\s+am|\s+are)\s+{_ADVERB}sorry\b"
    r"(?!,?\s+(?:but|if)\b|\s+to\s+(?:hear|see|read|learn|know)\b|\s+that\s+you\s+feel)",
    r"\b(?:my|our)\s+(?:(?:sincere|sincerest|deepest|humble|heartfelt)\s+)?apologies\b",
    _OPENER + r"(?:(?:sincere|sincerest|many|my|our|deepest)\s+)?apologies\s*"
    r"(?:for\b|about\b|[.!]|$)",
    rf"\b(?:i|we)\s+{_ADVERB}apologi[sz]e\b",
    r"\bplease\s+accept\s+(?:my|our)\s+(?:(?:sincere|sincerest|deepest)\s+)?apolog(?:y|ies)\b",
    _OPENER + r"(?:so\s+|very\s+|really\s+)?sorry\s+(?:for|about)\b",
    r"\b(?:that|this|it)(?:'s|\s+was|\s+is)\s+(?:(?:entirely|completely|totally)\s+)?"
    r"(?:our|my)\s+(?:fault|mistake|error)\b",
    r"\b(?:we|i)\s+(?:made\s+a\s+mistake|messed\s+up|got\s+(?:this|it|that)\s+wrong|"
    r"dropped\s+the\s+ball)\b",
    r"\b(?:i|we)\s+take\s+(?:full\s+|complete\s+)?responsibility\b",
)

EMPATHY = _compile(
    # Understanding a feeling, not restating a request ("I understand that you need to...").
    r"\bi\s+(?:(?:completely|totally|fully|really|can|do|definitely|absolutely|certainly|truly)\s+)?"
    r"understand\s+"
    r"(?!(?:that\s+)?(?:you(?:'re|\s+are)?|your)\s+(?:\w+\s+)?(?:need|want|would\s+like|"
    r"require|looking|expect|desire|interest|request|anticipat|in\s+the\s+process))"
    r"(?:how|why|what|that|your|this|it's|you(?:'re|\s+are)|the\s+frustration)\b",
    r"\bi\s+can\s+(?:only\s+)?imagine\b",
    rf"\b(?:that|this|it)\s+(?:must|would)\s+(?:be|have\s+been)\s+{_ADVERB}{_FEELING}",
    rf"\b(?:that|this|it)(?:\s+sounds|\s+is|'s)\s+{_ADVERB}{_FEELING}",
    rf"\b(?:i'm|i\s+am|we're|we\s+are)\s+{_ADVERB}(?:sorry|disappointed|saddened|sad)\s+to\s+"
    r"(?:hear|see|read|learn|know)\b",
    r"\bsorry\s+to\s+(?:hear|see|read|learn|know)\b",
    r"\b(?:i|we|definitely|totally)\s+hear\s+you\b",
    r"\bi\s+(?:can\s+)?see\s+(?:how|why)\b",
    rf"\bi\s+know\s+how\s+(?:{_FEELING}|important|much)\b",
    r"\b(?:i'd|i\s+would)\s+(?:be|feel)\s+(?:\w+\s+)?(?:frustrated|upset|annoyed|angry|the\s+same)\b",
    r"\byour\s+frustration\s+is\s+(?:completely\s+|totally\s+)?(?:understandable|justified|valid)\b",
    r"\b(?:you\s+have|you've)\s+every\s+right\s+to\s+be\b",
)

OPTIONS = _compile(
    r"\bwould\s+you\s+(?:prefer|rather)\b",
    r"\b(?:here\s+are|there\s+are|i\s+can\s+offer\s+you|we\s+can\s+offer\s+you|you\s+have)\s+"
    r"(?:a\s+few|a\s+couple\s+of|two|three|several|some)\s+(?:options|choices|alternatives|ways)\b",
    r"\b(?:option|choice)\s+(?:a|b|c|1|2|3|one|two|three)\b",
    r"\b(?:one|another|the\s+other)\s+option\s+(?:is|would\s+be)\b",
    r"\balternatively\b",
    r"\b(?:you|we|i)\s+(?:can|could)\s+(?:\w+\s+){0,3}?either\b[^?.!]{1,120}?\bor\b",
    r"\b(?:i|we)\s+(?:can|could)\s+(?:also\s+)?offer\s+(?:you\s+)?(?:a|an)\s+(?:\w+\s+)?"
    r"(?:refund|credit|discount|replacement|exchange|voucher|upgrade)\b",
    r"\bwhich\s+(?:option|one|of\s+these)\s+(?:would\s+you|do\s+you|works)\b",
)

THANKS = _compile(
    r"\bthank\s+you\b(?!\s+for\s+nothing)",
    r"(?<!no\s)\bthanks\b(?!\s+(?:to|for\s+nothing)\b)",
    r"\b(?:i|we)\s+(?:really\s+|truly\s+|do\s+)?appreciate\s+(?:your|you|it)\b",
    r"\b(?:grateful|thankful)\s+(?:for|that)\b",
)

LISTENING = _compile(
    r"\btell\s+me\s+(?:more|what\s+happened|everything)\b",
    r"\btake\s+your\s+time\b",
    r"\bi'?m\s+listening\b",
    r"\bwalk\s+me\s+through\b",
    r"\bif\s+i\s+understand\s+(?:you\s+)?correctly\b",
    r"\bso\s+what\s+you(?:'re|\s+are)\s+saying\s+is\b",
)

ESCALATION = _compile(
    r"\b(?:connect|transfer|escalate|pass|hand|refer|forward)\w*\s+(?:you|this|it|your\s+"
    r"(?:case|ticket|complaint|request))?\s*(?:over\s+)?to\s+(?:a|my|our|the)\s+(?:\w+\s+)?"
    r"(?:supervisor|manager|team\s+lead|senior|specialist)\b",
    r"\b(?:i'?ve|i\s+have|we'?ve|we\s+have)\s+escalated\b",
    r"\b(?:a|my|our)\s+(?:supervisor|manager|team\s+lead)\s+will\b",
)

BOUNDARY = _compile(
    r"\b(?:i|we)\s+(?:will\s+not|won't|cannot|can't|do\s+not|don't)\s+(?:tolerate|accept)\s+"
    r"(?:abusive|offensive|this|that|insults|threats|language|being)\b",
    r"\b(?:abusive|offensive|threatening|insulting)\s+(?:language|behaviou?r|messages?|comments?)\b",
    r"\bplease\s+(?:keep|remain|stay)\s+(?:this\s+conversation\s+|the\s+conversation\s+|things\s+)?"
    r"(?:respectful|civil|polite|courteous)\b",
    r"\bif\s+the\s+(?:language|abuse|insults|threats)\s+continues?\b",
    r"\b(?:treat|speak\s+to)\s+(?:me|us|our\s+team)\s+with\s+respect\b",
)

_COMMITMENT = _compile(
    r"\b(?:i|we|you|it|they|this|that|someone|somebody|(?:the|your|our|an?)\s+\w+)(?:'ll|\s+will|"
    r"\s+(?:am|are|is)\s+going\s+to|\s+should\s+(?:receive|see|get|arrive|be|hear))\b",
    r"\b(?:ships|arrives|(?:is|are)\s+(?:scheduled|due|set)\s+to)\b",
    r"\b(?:you\s+can\s+)?expect\b",
    r"\b(?:i've|we've|i\s+have|we\s+have)\s+(?:just\s+)?(?:issued|processed|escalated|sent|"
    r"scheduled|arranged|booked|refunded|created|opened|credited|reversed)\b",
)
_TIME = _compile(
    rf"\b(?:within|in)\s+(?:the\s+next\s+)?{_NUMBER}\s+(?:business\s+|working\s+)?"
    r"(?:minutes?|hours?|days?|weeks?)\b",
    rf"\bby\s+(?:the\s+)?(?:end\s+of\s+(?:the\s+)?(?:day|today|week|business\s+day)|tomorrow|"
    rf"tonight|noon|midday|{_WEEKDAY}|\d{{1,2}}(?::\d{{2}})?\s*(?:a\.?m\.?|p\.?m\.?)?)",
    r"\b(?:today|tomorrow|tonight|midnight|this\s+(?:afternoon|evening|morning|week|weekend))\b",
    r"\b(?:next|over\s+the)\s+(?:week|weekend|month)\b|\bon\s+the\s+\d{1,2}(?:st|nd|rd|th)\b",
    r"\b(?:your\s+)?(?:next|following)\s+(?:bill|statement|billing\s+cycle)\b",
    rf"\b(?:on|next|this)\s+{_WEEKDAY}\b",
    r"\b\d{1,2}(?::\d{2})?\s*(?:a\.?m\.?|p\.?m\.?)(?!\w)",
    r"\bEOD\b",
)
_QUESTION_LEAD = re.compile(
    r"^(?:\W*(?:and|so|also|ok(?:ay)?|great|thanks|sure|right|hi|hello|hey|finally)\b,?\s*)*"
    r"(?:to\s+[^,?]{3,80},\s*)?(?:"  # "To check the timing, could you share your time zone?"
    r"(?:could|can|would)\s+you\s+(?:please\s+)?(?:tell|share|send|confirm|clarify|describe|"
    r"provide|check|explain|let\s+me\s+know|give|dm|post|direct\s+message|message|attach)|"
    r"may\s+(?:i|we)\s+(?:have|ask|get|know|see)\b|"
    r"(?:what|which|when|where|who|how)\b|"
    r"(?:did|do|does|have|has|is|are|was|were)\s+(?:you|it|this|that|the|your)\b)"
    r"|\bjust\s+to\s+(?:clarify|confirm|be\s+sure|make\s+sure|check)\b",
    _FLAGS,
)
# A question mark ends the sentence even when an emoji, a smiley or "!" follows it.
ENDS_AS_QUESTION = re.compile(r"[?？][\W_]*$")
_NOT_CLARIFYING = re.compile(
    r"\banything\s+else\b|\bhelp\s+you\s+with\b|\b(?:does|would|will)\s+(?:that|this)\s+"
    r"(?:sound|work|help)\b|\bwould\s+you\s+(?:like|prefer|rather)\b|\bhow\s+are\s+you\b|"
    r"\bdid\s+you\s+even\b|\bhave\s+you\s+(?:even|actually)\b|\bwhat\s+else\b",
    _FLAGS,
)


@dataclass(frozen=True, slots=True)
class Detection:
    name: str  # e.g. "apology"
    evidence: tuple[Evidence, ...]

    @property
    def source(self) -> str:
        """The playbook completion source this detection feeds, e.g. ``agent.apology``."""
        return f"agent.{self.name}"


def sentences(text: str) -> Iterator[Evidence]:
    """The reply's sentences as spans, trimmed of surrounding whitespace."""
    return iter(_split(text))


@lru_cache(maxsize=32)
def _split(text: str) -> tuple[Evidence, ...]:
    # Cached: every detector splits the same reply (the coach runs about twenty of them).
    found = []
    start = 0
    for boundary in [*_BOUNDARY.finditer(text), None]:
        end = boundary.start() if boundary else len(text)
        chunk = text[start:end]
        stripped = chunk.strip()
        if stripped:
            lead = start + len(chunk) - len(chunk.lstrip())
            found.append(Evidence(lead, lead + len(stripped), stripped))
        if boundary:
            start = boundary.end()
    return tuple(found)


def _negated(sentence: str, at: int) -> bool:
    """Whether one of the three words before position ``at`` negates the match."""
    before = INTERJECTION.sub(" ", sentence[:at]).split()[-3:]
    return any(_NEGATION.search(word) for word in before)


def _matches(sentence: Evidence, patterns: PatternSet, *, guard: bool = True) -> bool:
    # A substring test per needle rules most patterns out before the regex engine runs.
    return any(
        not (guard and _negated(sentence.text, m.start()))
        for pattern in patterns.candidates(fold(sentence.text))
        for m in pattern.finditer(sentence.text)
    )


def phrase_detector(
    patterns: tuple[re.Pattern[str], ...], *, guard: bool = True
) -> Callable[[str], list[Evidence]]:
    """The sentences of a text where one of ``patterns`` matches, and (with ``guard``) none of
    the three words before the match negates it. Build once: the patterns' needles are read
    here (:mod:`accord.core.needles`)."""
    indexed = PatternSet(patterns)

    def detect(text: str) -> list[Evidence]:
        return [s for s in sentences(text) if _matches(s, indexed, guard=guard)]

    return detect


def _clarifying_question(text: str) -> list[Evidence]:
    return [
        s
        for s in sentences(text)
        if ENDS_AS_QUESTION.search(s.text)
        and _QUESTION_LEAD.search(s.text)
        and not _NOT_CLARIFYING.search(s.text)
    ]


_COMMITMENTS, _TIMES = PatternSet(_COMMITMENT), PatternSet(_TIME)


def _next_steps(text: str) -> list[Evidence]:
    return [s for s in sentences(text) if _matches(s, _COMMITMENTS) and _matches(s, _TIMES)]


DETECTORS: dict[str, Callable[[str], list[Evidence]]] = {
    "apology": phrase_detector(APOLOGY),
    "clarifying_question": _clarifying_question,
    "options_offered": phrase_detector(OPTIONS),
    "next_steps": _next_steps,
    "thanks": phrase_detector(THANKS),
    "empathy": phrase_detector(EMPATHY),
    "listening": phrase_detector(LISTENING),
    "escalation_offered": phrase_detector(ESCALATION),
    # Boundaries are negative by nature ("please do not use abusive language"): no guard.
    "boundary_set": phrase_detector(BOUNDARY, guard=False),
}


def detect_reply(text: str) -> list[Detection]:
    """Every detector that fires on an agent reply, in :data:`DETECTORS` order."""
    found = []
    plain = plain_quotes(text)
    for name, detector in DETECTORS.items():
        evidence = [Evidence(e.start, e.end, text[e.start : e.end]) for e in detector(plain)]
        if evidence:
            found.append(Detection(name, tuple(evidence)))
    return found


def observations(
    text: str, *, message_id: str | None = None, at: datetime | None = None
) -> list[Observed]:
    """The reply's detections as state-machine inputs for :func:`playbook_machine.apply`."""
    return [Observed(d.source, d.evidence, message_id, at) for d in detect_reply(text)]
