"""What a draft says, sentence by sentence, with evidence spans.

The moves the playbook already tracks (apology, empathy, a clarifying question, options, next
steps with a time, thanks, listening, an escalation offer, a boundary) come from
:mod:`accord.cases.playbook.detectors`. What the playbook does not need lives here: inviting the
customer's input, offering further help at the close, the violations (blame, defensiveness,
dismissive phrases, jargon, over-promising, a harsh boundary), and extensions of the case layer's
moves (the coach counts a move when either sees it, so it may see a move the playbook does not).
The phrase patterns themselves are data in :mod:`accord.coach.patterns`; this module holds the
questions for a fact (they need more than a phrase list), the blanking of handles, links and
signatures, and the running of every group sentence by sentence, each match guarded against a
negation just before it where a negation would flip the meaning.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from accord.cases.playbook.detectors import (
    DETECTORS,
    ENDS_AS_QUESTION,
    phrase_detector,
    plain_quotes,
    sentences,
)
from accord.cases.playbook.machine import Evidence
from accord.coach.patterns.practices import (
    ALTERNATIVES,
    APOLOGY_MORE,
    CLOSING_HELP,
    EMPATHY_MORE,
    FEELING_WORD,
    FURTHER_HELP,
    INVITES_INPUT,
    LISTENING_MORE,
    NON_APOLOGY,
    OPTIONS_MORE,
    REPORT_BACK,
    RESTATED,
    SUGGESTED_FIX,
    THANKS_MORE,
)
from accord.coach.patterns.violations import (
    BLAME,
    DEFENSIVE,
    DISMISSIVE,
    HARSH_BOUNDARY,
    JARGON,
    OVER_PROMISE,
    POLICY,
    REASON,
)

__all__ = ["COACH_DETECTORS", "Detector", "detect_all", "policy_without_reason"]

Detector = Callable[[str], list[Evidence]]
_FLAGS = re.IGNORECASE


# Questions that ask for a fact but that the case layer's leads miss: a question after a
# greeting or an opening clause ("Oh no, which OS are you on?"), "can you let us know…",
# "would you be able to…", "is there…", and "could you (please) send…" without its "?".
_ASK = (
    r"(?:(?:could|can|would)\s+you\s+(?:please\s+)?(?:let\s+(?:us|me)\s+know|be\s+able\s+to|"
    r"tell|share|send|confirm|clarify|describe|provide|check|explain|give|dm|post|attach|"
    r"verify|specify)|(?:can|may)\s+i\s+(?:please\s+)?ask|(?:what|which|when|where|who|how)\b|"
    r"(?:is|are)\s+there\b|(?:are|were)\s+you\s+(?:still\s+)?(?:able|unable|having|using|"
    r"getting|seeing|running|on|in|at)\b|(?:is|are|was|were)\s+(?:one|any|some|both|all)\b|"
    r"will\s+you\s+(?:please\s+)?(?:dm|send|confirm|provide|share|tell|give|let\s+(?:us|me)\s+know)|"
    r"(?:could|can|would)\s+you\s+(?:please\s+)?show\b|(?:did|do|does|have|has)\s+you\b|"
    r"(?:anything|something)\s+(?:in\s+particular|specific)\b|"
    # Forms every support lead reads as a question for a fact: "can u send…", "are u on…",
    # "(would you) mind sharing…", "can we get your…", "any error message?", "DM us the…?"
    r"(?:could|can|would|will|are|were|did|do|have)\s+u\b|(?:would\s+you\s+)?mind\s+\w+ing\b|"
    r"(?:can|could|may)\s+(?:we|i)\s+(?:please\s+)?(?:get|have|see|grab)\b|any\s+\w+|"
    r"(?:dm|send|tell|share|confirm|provide)\s+(?:us|me)\b|mind\s+if\b|"
    r"(?:is|are|was|were)\s+(?:you|your|it|this|that|the|these|those)\b|"
    r"(?:on|in|at|for|from|with)\s+(?:which|what)\b|(?:happening|occurring)\b|"
    r"(?:having|seeing|getting|experiencing)\s+\w+|"
    r"(?:got|still|having|seeing|getting|experiencing)\s+(?:a|an|the|your|any|some|having|seeing|"
    r"getting|issues?|problems?|trouble)\b|and\s+(?:the|your)\b)"
)
# A question in question word order whose "?" the agent left out ("What is the order number").
_UNMARKED_QUESTION = re.compile(
    r"^\W*(?:(?:hi|hello|hey)\b[^,!.]{0,20}[,!]\s*)?(?:what|which|where|when|who|how)(?:\s+\w+)?"
    r"(?:'s|\s+(?:is|are|was|were|do|does|did|have|has|had))\s+(?:you|your|the|this|that|it)\b",
    _FLAGS,
)
# "Your order number?": a fact asked for in a few words.
_SHORT_QUESTION = re.compile(r"^\W*(?:and\s+)?your\s+[^.!?]{1,160}\?[\W_]*$", _FLAGS)
_PLEASE_QUESTION = re.compile(r"\bplease\W*\?[\W_]*$", _FLAGS)
_QUESTION_AFTER_CLAUSE = re.compile(rf"(?:^|[,;:–—-]\s*|^\W*¿)\s*{_ASK}|^[^¿]*¿[^?]+\?", _FLAGS)
# A request for a fact inside a question, wherever it starts ("looks like the engineer sent an
# email, can you please confirm your address?" written without the comma).
_ASKED_INSIDE = re.compile(
    r"\b(?:can|could|would|will)\s+you\s+(?:please\s+)?(?:confirm|provide|specify|verify|tell\s+"
    r"(?:us|me)|share|send\s+(?:us|me)|let\s+(?:us|me)\s+know)\b",
    _FLAGS,
)
_POLITE_REQUEST = re.compile(
    r"(?:^\W*|,\s*)(?:finally\s+|also\s+|please\s+)?(?:(?:could|can|would)\s+(?:you\s+)?|are\s+you\s+"
    r"able\s+to\s+)(?:please\s+)?(?:send|tell|share|confirm|provide|specify|dm|message|follow|"
    r"let\s+(?:me|us)\s+know)\b",
    _FLAGS,
)
_NOT_A_FACT = re.compile(
    r"\banything\s+else\b|\b(?:does|would|will)\s+(?:that|this)\s+(?:sound|work|help)\b|"
    r"\bwould\s+you\s+(?:like|prefer|rather)\b|\bhow\s+are\s+you\b|\bwhat\s+else\s+can\b|"
    r"\bhow\s+(?:is|are)\s+(?:it|things|everything)\s+going\b|\bis\s+there\s+(?:anything|something)\b|\b(?:help|assist)\s+you\s+with\b|\bhow\s+(?:can|may)\s+(?:i|we)\s+"
    r"(?:help|assist)\b",
    _FLAGS,
)
NEXT_STEP_MORE = (
    re.compile(
        r"\b(?:may|might|should|will|can|could|usually|generally)\s+take\s+(?:up\s+to\s+|about\s+|"
        r"around\s+)?\d|\b(?:please\s+)?allow\s+(?:up\s+to\s+)?\d|\b(?:is|are)\s+expected\s+to\s+"
        r"(?:be|arrive|reopen|resume|open|return)\b|\byou\s+should\s+hear\b|\bwe\s+should\s+(?:be|have)\b|"
        r"\baims?\s+to\s+(?:reply|respond|answer|get\s+back|resolve|deliver|ship)\b|"
        r"\b(?:will|'ll)\s+(?:contact|call|email|reach|update|message|get\s+back\s+to)\s+you\b|"
        r"(?:^\W*|\b(?:you\s+can|please)\s+)expect\b|\b(?:we're|we\s+are)\s+expecting\b|"
        r"\bshould\s+(?:appear|arrive|show|reflect|be\s+(?:back|with\s+you|credited|processed))\b",
        _FLAGS,
    ),
    re.compile(
        r"\b\d+\s*(?:[-–]\s*\d+\s*)?(?:business\s+|working\s+)?(?:minutes?|mins?|hours?|hrs?|days?|weeks?)\b|"
        r"\bby\s+(?:the\s+)?end\s+of\s+(?:the\s+)?(?:day|week|month)\b|\bwithin\s+(?:the|an)\s+hour\b|"
        r"\b(?:within|in)\s+(?:the\s+next\s+)?(?:a\s+)?(?:few|couple\s+of|one|two|three)\s+(?:business\s+|"
        r"working\s+)?(?:hours?|days?|weeks?)\b|\b\d+\s*(?:h|hrs?|d)\b|\bnext\s+(?:week|month)\b|"
        r"\b(?:today|tomorrow|tonight|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b",
        _FLAGS,
    ),
)


def _clarifying_more(text: str) -> list[Evidence]:
    """Questions for a fact the case layer's leads miss (`_extend` then drops the offers of help
    and checks on the fix that `_NOT_A_FACT` names, from both)."""
    found = []
    for s in sentences(text):
        asked = bool(ENDS_AS_QUESTION.search(s.text)) and (
            _QUESTION_AFTER_CLAUSE.search(s.text)
            or _ASKED_INSIDE.search(s.text)
            or _PLEASE_QUESTION.search(s.text)
            or _SHORT_QUESTION.search(s.text)
        )
        if asked or _POLITE_REQUEST.search(s.text) or _UNMARKED_QUESTION.search(s.text):
            found.append(s)
    return found


def _next_steps_more(text: str) -> list[Evidence]:
    commit, time = NEXT_STEP_MORE
    return [s for s in sentences(text) if commit.search(s.text) and time.search(s.text)]


# The coach's additions to the case layer's moves, built once (reading the patterns' needles).
_MORE = {
    "empathy": phrase_detector(EMPATHY_MORE),
    "apology": phrase_detector(APOLOGY_MORE),
    "thanks": phrase_detector(THANKS_MORE),
    "listening": phrase_detector(LISTENING_MORE),
    "options_offered": phrase_detector(OPTIONS_MORE),
    "invites_input": phrase_detector(REPORT_BACK),
    "alternatives": phrase_detector(ALTERNATIVES),
}


def _extend(found: dict[str, list[Evidence]], text: str) -> None:
    """The coach's additions to the case layer's moves (see EMPATHY_MORE and below)."""
    empathy = _union(found["empathy"], _MORE["empathy"](text))
    found["empathy"] = [
        e for e in empathy if not (RESTATED.search(e.text) and not FEELING_WORD.search(e.text))
    ]
    apology = _union(found["apology"], _MORE["apology"](text))
    found["apology"] = [e for e in apology if not NON_APOLOGY.search(e.text)]
    clarifying = _union(found["clarifying_question"], _clarifying_more(text))
    found["clarifying_question"] = [e for e in clarifying if not _NOT_A_FACT.search(e.text)]
    found["next_steps"] = _union(found["next_steps"], _next_steps_more(text))
    for name in ("thanks", "listening", "options_offered"):
        found[name] = _union(found[name], _MORE[name](text))
    if SUGGESTED_FIX.search(text):
        found["invites_input"] = _union(found["invites_input"], _MORE["invites_input"](text))


# Twitter handles, links and agents' signatures ("^JS", "-Becky", "2/2") are not part of what
# the reply says; they are blanked (same length, so spans still index the draft).
_COUNTER = r"\s*\(?\d/\d\)?"  # "2/2", "(1/3)"
_SIGNATURE = (
    r"(?:(?:\s|(?<=[.!?\d)]))[\^*~/=]\s?[A-Za-z][\w.]{0,20}|\s-\s?[A-Z][A-Za-z]+(?:\s?[A-Z]\w*)?)"
)
_NOISE = re.compile(
    rf"@\w+|https?://\S+|(?:{_COUNTER})?{_SIGNATURE}(?:{_COUNTER})?(?:\s+https?://\S+)*[\W_]*$|"
    rf"\s{_COUNTER}[\W_]*$",
)


def blank_noise(text: str) -> str:
    return _NOISE.sub(lambda m: " " * len(m.group(0)), text)


def policy_without_reason(text: str) -> list[Evidence]:
    """A policy quoted as the answer, with no reason given in the same sentence."""
    return [s for s in sentences(text) if POLICY.search(s.text) and not REASON.search(s.text)]


_DEFLECTIONS = phrase_detector(DEFENSIVE, guard=False)


def _defensive(text: str) -> list[Evidence]:
    return _union(policy_without_reason(text), _DEFLECTIONS(text))


COACH_DETECTORS: dict[str, Detector] = {
    "invites_input": phrase_detector(INVITES_INPUT),
    "further_help": phrase_detector(FURTHER_HELP),
    "blame": phrase_detector(BLAME, guard=False),
    "defensive": _defensive,
    "dismissive": phrase_detector(DISMISSIVE, guard=False),
    "jargon": phrase_detector(JARGON, guard=False),
    "over_promise": phrase_detector(OVER_PROMISE, guard=False),
    "harsh_boundary": phrase_detector(HARSH_BOUNDARY, guard=False),
}


def _closing_help(text: str) -> list[Evidence]:
    last = list(sentences(text))[-1:]
    return [s for s in last if any(p.search(s.text) for p in CLOSING_HELP)]


def detect_all(text: str) -> dict[str, list[Evidence]]:
    """Every detector (the case layer's and the coach's) over one draft, with spans whose
    text is the draft's own (``text[start:end]``)."""
    clean = plain_quotes(blank_noise(text))
    found = {name: detector(clean) for name, detector in DETECTORS.items()}
    found.update({name: detector(clean) for name, detector in COACH_DETECTORS.items()})
    found["further_help"] = _union(found["further_help"], _closing_help(clean))
    found["alternatives"] = _MORE["alternatives"](clean)
    _extend(found, clean)
    return {
        name: [Evidence(e.start, e.end, text[e.start : e.end]) for e in spans]
        for name, spans in found.items()
    }


def _union(a: list[Evidence], b: list[Evidence]) -> list[Evidence]:
    return sorted(set(a) | set(b), key=lambda e: (e.start, e.end))
