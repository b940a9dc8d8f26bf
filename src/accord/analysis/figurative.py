"""Language whose meaning is not the sum of its words: sarcasm, negated praise and concession.

The linear heads read words. "Thanks for losing my luggage" is full of thanks and comes out
happy; "never disappoints!" and "no complaints" are full of disappointment and complaint and come
out hot. Three well-described figures cover most of these misreadings, and each is found here
from its grammar, not from phrases of one corpus:

- **sarcasm**: praise aimed at a harm ("thanks for losing", "I love being stuck", "great,
  another delay"), rhetorical understatement of a grievance ("would be nice to get an answer",
  "is it too much to ask") and bitter laughter next to a problem ("lol, still no refund"). The
  positive words are then evidence of anger, not of joy (Riloff et al. 2013: sarcasm as a
  positive sentiment contrasted with a negative situation).
- **negated praise** (litotes): a negator governing a word of complaint ("never disappoints",
  "no complaints", "wasn't frustrating at all", "couldn't be happier"). The heads score the text
  again with the figure replaced by a plain positive word, so anything else the message says
  still counts.
- **concession**: "I know it's not your fault, but ..." or "the sofa is lovely, but ...": the
  main clause after the turn carries the message, so it is scored on its own as well and the
  more negative reading wins.

Laughter ("lol", "haha") carries no polarity of its own: it marks amusement and exasperation
alike, so it is left out of what the heads score (alone it reads neutral, not +1 joy).
Agents' courtesy formulas ("I'm so sorry", "thank you for your patience", "I understand how
frustrating this is") are conventions of the job, not the agent's feelings: they are left out of
what the heads score for an agent's message, so an apology does not read as sadness or blame.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from accord.analysis.text import Prepared
from accord.analysis.types import Signal, SignalName, Span
from accord.core.needles import PatternSet

# Harms a customer can suffer or be put through; the "situation" half of sarcasm.
_HARM = (
    r"(?:los(?:e|es|t|ing)|misplac\w+|stuck|stranded|delay(?:s|ed|ing)?|"
    r"cancel+(?:s|ed|ing|ation|ations)?|broke|broken|break(?:s|ing)?|late|later|missed|missing|"
    r"wait(?:ing|ed)?|on hold|overcharg\w*|double[- ]charg\w*|charg\w* (?:me|us) (?:twice|again|"
    r"extra|double)|ignor(?:e|ed|es|ing)|ghost\w*|no (?:answer|reply|response|update|refund|one|"
    r"help|apology|explanation|show)|nobody|nothing|ruin\w*|damag\w+|wrong|fail(?:s|ed|ing|ure)?"
    r"|crash(?:es|ed|ing)?|outage|down again|error|rude|leak(?:s|ed|ing)?|dead|useless|"
    r"runaround|spam\w*|wast(?:e|ed|es|ing)|another (?:\w+ )?(?:hour|day|week|month|delay|excuse|"
    r"email|call|fee|charge)|extra (?:day|hour|week|night|fee|charge)s?|(?:\d+|two|three|four|"
    r"five|six|several) (?:more |extra |whole )?(?:minutes|mins|hours|days|weeks|months))"
)
_PRAISE = (
    r"(?:great|wonderful|brilliant|fantastic|perfect|lovely|awesome|amazing|excellent|superb|"
    r"nice|terrific|splendid|marvell?ous|fabulous|stellar|outstanding|impressive|good job|"
    r"well done|bravo|way to go|cool|super)"
)
_NEGATOR = re.compile(r"(?:\b(?:no|not|never|without|zero)|n'?t)\W+(?:\w+\W+)?$")
_SARCASM_RULES: tuple[re.Pattern[str], ...] = (
    # Thanks aimed at a harm: "thanks for losing my luggage", "thank you for the 3 hour delay".
    re.compile(
        r"\b(?:thanks?|thank you|thx|ty)(?: (?:so much|a lot|a bunch|very much))? for "
        r"(?!(?:your |the )?(?:patience|waiting|holding|bearing|understanding))"
        r"(?:(?:the|your|my|a|an|all|nothing|making me|leaving me|keeping me|yet)\s+)?"
        r"(?:\w+\s+){0,3}?" + _HARM + r"\b"
    ),
    # Enjoying a harm: "I love being stuck here", "love how you charge me twice".
    re.compile(
        r"(?:^|[.!?\n]\s*|\b(?:i|we|gotta|just|really|simply)\s+)(?:just\s+|really\s+|"
        r"absolutely\s+|simply\s+)?"
        r"(?:love|adore|enjoy)s?\s+(?:being|getting|having|waiting|paying|spending|sitting|"
        r"standing|when|how|it when|that|the way)\b[^.!?\n]{0,60}?\b" + _HARM + r"\b"
    ),
    # An interjection of praise, then the harm: "great, another delay", "oh wonderful, it's
    # cancelled again", "perfect. now it's broken".
    re.compile(
        r"(?:^|[.!?\n]\s*|\b(?:oh|just|yeah|wow|well|so|how)\W+)" + _PRAISE + r"\s*[,.!…]+\s*"
        r"(?:just |thanks\W+)?[^.!?\n]{0,50}?\b" + _HARM + r"\b"
    ),
    # Rhetorical understatement of a grievance.
    re.compile(
        r"\b(?:(?:it )?would be (?:nice|great|lovely|good)|it'?d be (?:nice|great|lovely|good))"
        r"(?: to (?:actually |finally |at least )?(?:get|have|hear|receive|know|see|speak|talk|be "
        r"told|be kept)| if (?:someone|somebody|anyone|you|i|we) (?:actually |finally |could |"
        r"would )?)\b|\bmust be nice\b|\bis (?:it|that) too much to ask\b|\bwould it kill "
        r"(?:you|them|someone)\b|\bheaven forbid\b|\bwhat a (?:surprise|shock|shocker)\b|"
        r"\bcolou?r me (?:surprised|shocked)\b|\bbig surprise\b|\bshocker\b|\byeah,? right\b|"
        r"\bwho (?:would|could)(?: have|'ve) (?:thought|guessed)\b"
    ),
    # The phrases of plain sarcasm.
    re.compile(
        r"\b(?:thanks? (?:a lot )?for nothing|no thanks to you|so helpful,? not|"
        r"great job ruining|well done ruining)\b|"
        r"\bwhat (?:a |an )?(?:great|amazing|wonderful|fantastic|excellent|brilliant|stellar) "
        r"service\b[^.!?\n]{0,40}\b(?:still|never|no|not|again)\b"
    ),
    re.compile("\U0001f644"),  # the eye roll
)
_LAUGHTER = re.compile(
    r"\b(?:lol+|lmf?ao+|rofl|haha(?:ha)*|hehe(?:he)*|ha ha(?: ha)*)\b|[\U0001f602\U0001f923]"
)
_HARM_RE = re.compile(r"\b" + _HARM + r"\b")
# A negator governing a word of complaint: litotes, which means praise.
_COMPLAINT_WORD = (
    r"(?:disappoint\w*|complain\w*|complaints?|issues?|problems?|faults?|bad|frustrat\w*|"
    r"hassles?|trouble|regrets?|regretted|worr(?:y|ies|ied)|fuss|concerns?|let ?down|hiccups?|"
    r"glitch(?:es)?|wrong|annoy\w*|stress\w*)"
)
_FILL = (
    r"(?:\s+(?:a|an|any|one|single|real|major|been|was|is|had|have|has|got|even|ever|once|"
    r"too|that|so|very|remotely|the slightest|bit|in the least|one bit))*"
)
_NEGATED_PRAISE = re.compile(
    r"\b(?:never|no|not|without|zero|nothing|cannot|can not|\w+n't|(?:do|does|did|is|was|"
    r"were|are|have|has|had|can|could|would|should|wo|ai)nt)"
    + _FILL
    + r"\s+"
    + _COMPLAINT_WORD
    + r"\b(?:\s+(?:at all|whatsoever|so far|yet))?|"
    r"\b(?:couldn'?t|could not|can'?t|cannot) (?:be|have been) (?:happier|more (?:pleased|happy|"
    r"satisfied|grateful)|better)\b"
)
# What negated praise is not: "no one", "not working", "no problem" answering a question.
_NOT_PRAISE_AFTER = re.compile(
    r"\s*(?:with (?:the|my|your) \w+ (?:is|was) (?:that|it)|but\b|(?:until|till|til) (?:now|today|"
    r"recently|this|last)\b|before (?:now|today|this)\b)"
)
_CONCESSION = re.compile(
    r"\b(?:i (?:understand|appreciate|know|realise|realize|get|see)|(?:it'?s|this is|that'?s) not "
    r"your fault|(?:while|although|though|even though|granted)\b|[^.!?\n]{0,40}\b(?:is|was|are|"
    r"were|looks?|seems?) (?:great|good|fine|lovely|nice|excellent|amazing|helpful|friendly|"
    r"beautiful|gorgeous))[^.!?\n]{0,80}?(?:,\s*|\s+)(?:but|however|yet|still)\b"
)
_COURTESY = re.compile(
    r"\b(?:i'?m|i am|we'?re|we are)?\s*(?:so |very |really |truly |terribly |deeply )?"
    r"(?:sorry|apologi[sz]e|apologies)\b(?: (?:for|about|that|to hear)\b)?(?: (?:your|the|any|"
    r"this|all the) (?:\w+ )?(?:frustration|inconvenience|trouble|disappointment|confusion|delay|"
    r"wait|experience|hassle))?|"
    r"\b(?:thank you|thanks)(?: (?:so much|very much|again))?(?: for (?:your|the) (?:patience|"
    r"understanding|message|email|reply|time|feedback|bearing with us))?|"
    r"\bunfortunately\b|\b(?:i|we) (?:really |truly |completely |totally |fully )?"
    r"(?:appreciate|understand)\b(?:(?:\s+(?:how|why|that|your|this|it|is|was|must|be|been|has|"
    r"have|so|very|really))*\s+(?:frustrating|upsetting|annoying|disappointing|stressful|worrying|"
    r"inconvenient|frustrat\w+|disappointment|concern|patience|angry|upset|annoyed)(?:\s+(?:this|"
    r"it|that)\s+(?:is|was|must be|has been|must have been|must feel))?)?|"
    r"\b(?:happy|glad|pleased) to help\b|\bfor the (?:trouble|inconvenience)\b|"
    r"\b(?:any|the) inconvenience\b"
)


# A polite request (Brown & Levinson's negative politeness: "please", "could you", "I'd like")
# that names no problem is a request, whatever the heads make of its words ("Please take me
# off your marketing emails" read as an accusation).
_REQUEST = re.compile(
    r"(?:^|[.!?\n]\s*)(?:hi|hello|hey|dear \w+)?[,!\s]*please\b|\bplease (?:could|can|would|take|"
    r"remove|send|change|update|let|add|cancel|confirm|tell|advise|help|check|unsubscribe|stop)"
    r"\b|\b(?:could|can|would|will) you (?:please |kindly )?(?:tell|let|send|check|confirm|"
    r"update|change|remove|take|help|advise|look|add)\b|\bi'?d like to\b|\bi would like to\b|"
    r"\b(?:can|could|may) i\b|\bis it possible\b|\bwould it be possible\b|\bthanks? in advance\b"
)
_GRIEVANCE = re.compile(
    r"\b" + _HARM + r"\b|\b(?:problems?|issues?|trouble|disappoint\w*|unacceptabl\w*|"
    r"ridiculous\w*|terribl\w*|awful\w*|horribl\w*|poor\w*|worst|complain\w*|frustrat\w*|angry|"
    r"annoy\w*|upset|faulty|defective|scratch\w*|stain\w*|dent\w*|crack\w*|refund|compensat\w*|"
    r"bugs?|glitch\w*|slow\w*|barely|stopped|keeps? (?:\w+ing|on)|even (?:when|though|after)|"
    r"overpriced|expensive|unable|can'?t|cannot|won'?t|doesn'?t|does not|isn'?t|aren'?t|(?:got|"
    r"received|have|has|had) no|still (?:not|no|waiting|nothing)|(?:haven'?t|hasn'?t|didn'?t|"
    r"did not|has not|have not|not|never) (?:yet )?(?:had|received|got|gotten|heard|arrived|come|"
    r"moved|been|worked|work|working|delivered|shipped|sent|replied|answered|fixed|resolved))\b|"
    r"!!|\?\?"
)


# Each pattern runs only on texts holding one of its literals (accord.core.needles): same
# results, a fraction of the scans.
_SARCASM_INDEX = PatternSet(_SARCASM_RULES)
_TURNS = ("but", "however", "yet", "still")


@dataclass(frozen=True, slots=True)
class Figures:
    """The figures found in one message, and the texts the heads should score instead."""

    signals: tuple[Signal, ...]
    scoring_text: str  # what the heads read: figures resolved, laughter and courtesy left out
    main_clause: str | None  # after a concession: scored too, the more negative reading wins

    @property
    def sarcastic(self) -> bool:
        return any(s.name == SignalName.SARCASM for s in self.signals)

    @property
    def calm_request(self) -> bool:
        return any(s.name == SignalName.POLITE_REQUEST for s in self.signals)


def _span(prep: Prepared, start: int, end: int) -> Span:
    return Span(start, end, prep.original[start:end])


def sarcasm_spans(prep: Prepared) -> list[Span]:
    lower, spans = prep.lower, []
    for i in _SARCASM_INDEX.candidate_indices(prep.folded):
        for m in _SARCASM_RULES[i].finditer(lower):
            text = m.group(0)
            lead = len(text) - len(text.lstrip(".!?\n \t"))
            if _harm_negated(lower, m.start() + lead, m.end()):
                continue
            spans.append(_span(prep, m.start() + lead, m.end()))
    laughs = list(_LAUGHTER.finditer(lower))
    harm = _HARM_RE.search(lower)
    if (
        laughs
        and harm is not None
        and not _NEGATOR.search(lower[max(0, harm.start() - 20) : harm.start()])
    ):
        spans += [_span(prep, m.start(), m.end()) for m in laughs]
        spans.append(_span(prep, harm.start(), harm.end()))
    return spans


def _harm_negated(lower: str, start: int, end: int) -> bool:
    """Whether the last harm named in the match is denied ("great, no delays this time"):
    then there is nothing to mock."""
    harms = list(_HARM_RE.finditer(lower, start, end))
    if not harms:
        return False
    at = harms[-1].start()
    return _NEGATOR.search(lower[max(start, at - 20) : at]) is not None


def _negated_praise(prep: Prepared) -> list[Span]:
    out = []
    for m in _NEGATED_PRAISE.finditer(prep.lower):
        if _NOT_PRAISE_AFTER.match(prep.lower, m.end()):
            continue
        out.append(_span(prep, m.start(), m.end()))
    return out


def _signal(name: str, confidence: float, spans: list[Span]) -> Signal:
    unique = tuple(sorted(set(spans), key=lambda s: (s.start, s.end)))
    return Signal(name, confidence, unique)


def _substitute(text: str, edits: list[tuple[int, int, str]]) -> str:
    """Replace each (start, end) span with its word; overlapping spans are merged, the first
    one's word kept."""
    merged: list[tuple[int, int, str]] = []
    for start, end, word in sorted(edits):
        if merged and start <= merged[-1][1]:
            first_start, first_end, first_word = merged[-1]
            merged[-1] = (first_start, max(first_end, end), first_word)
        else:
            merged.append((start, end, word))
    out, last = [], 0
    for start, end, word in merged:
        out += [text[last:start], word]
        last = end
    out.append(text[last:])
    return "".join(out)


def read(prep: Prepared, role: str) -> Figures:
    """Find the figures of one message and say what the heads should score."""
    lower, found = prep.lower, []
    sarcasm = sarcasm_spans(prep)
    if sarcasm:
        found.append(_signal(SignalName.SARCASM, 0.8, sarcasm))
    praise = [] if sarcasm else _negated_praise(prep)
    if praise:
        found.append(_signal(SignalName.NEGATED_PRAISE, 0.75, praise))
    concession = _CONCESSION.search(lower) if any(t in lower for t in _TURNS) else None
    main = None
    if concession is not None and lower[concession.end() :].strip():
        found.append(
            _signal(SignalName.CONCESSION, 0.7, [_span(prep, concession.start(), concession.end())])
        )
        main = prep.clean[concession.end() :]
    request = None if sarcasm else _REQUEST.search(lower)
    if request is not None and _GRIEVANCE.search(lower):
        request = None
    if request is not None:
        lead = len(request.group(0)) - len(request.group(0).lstrip(".!?\n \t,"))
        found.append(
            _signal(
                SignalName.POLITE_REQUEST, 0.7, [_span(prep, request.start() + lead, request.end())]
            )
        )
    edits = [(s.start, s.end, " good ") for s in praise]
    edits += [(m.start(), m.end(), " ") for m in _LAUGHTER.finditer(lower)]
    if role == "agent":
        edits += [(m.start(), m.end(), " ") for m in _COURTESY.finditer(lower)]
    text = _substitute(prep.clean, edits) if edits else prep.clean
    return Figures(tuple(found), text, main)
