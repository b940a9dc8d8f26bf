"""Conversational signals found by curated patterns, each with its evidence span.

Patterns rather than a learned head: no public data set labels these signals, and a pattern
gives the agent the exact words that triggered it. Matching runs on the lower-cased, cleaned
window (same offsets as the original text), skips reported speech inside quotation marks and
drops a match when a negation stands just before it in the same clause ("I'm not going to
cancel my account") unless the pattern carries its own negation ("won't be back").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from accord.analysis.text import Prepared, inside, quoted_ranges
from accord.analysis.types import Signal, Span

# A negation governs the next few words only ("not going to cancel"), not a whole clause
# ("if this isn't fixed by Friday" is still a deadline).
_NEGATION = re.compile(
    r"\b(?:not|never|no|don'?t|do not|won'?t|will not|isn'?t|wasn'?t|didn'?t|did not|"
    r"doesn'?t|does not|without|no need to)(?:\s+[\w']+){0,3}\s*$"
)
_DAYS = r"(?:today|tonight|tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_NUM = r"(?:\d+|two|three|four|five|six|seven|eight|nine|ten|several|multiple|many|numerous)"
_YOU = r"(?:you|u|ur|you'?re|youre|you are|your|y'all|you guys|you people)"
_PLATFORMS = (
    r"(?:social media|twitter|facebook|instagram|tiktok|yelp|trustpilot|google reviews?|reddit|"
    r"youtube|linkedin|the press|the news|the media|everyone|everybody|all my friends|"
    r"other customers|the world)"
)


@dataclass(frozen=True, slots=True)
class Rule:
    signal: str
    pattern: re.Pattern[str]
    confidence: float
    negatable: bool = True
    severity: int = 0


def _rule(signal: str, pattern: str, conf: float, negatable: bool = True, sev: int = 0) -> Rule:
    return Rule(signal, re.compile(pattern), conf, negatable, sev)


RULES: tuple[Rule, ...] = (
    _rule(
        "escalation_request",
        r"\b(?:speak|talk|chat|speaking|talking)\s+(?:to|with)\s+(?:a\s+|an\s+|your\s+|the\s+)?"
        r"(?:manager|supervisor|superior|boss|someone (?:in charge|senior|higher up)|"
        r"higher authority|human|real person)",
        0.9,
    ),
    _rule(
        "escalation_request",
        r"\b(?:want|need|demand|get|put|give|escalate (?:this|it) to)\s+(?:me\s+)?"
        r"(?:a|your|the|to)\s+(?:manager|supervisor)\b",
        0.85,
    ),
    _rule("escalation_request", r"\bescalat(?:e|ed|ing|ion)\b", 0.7),
    _rule(
        "churn_threat",
        r"\b(?:cancel(?:l?ing)?|close|closing|terminate|terminating|end|ending)\s+(?:my|our|the)\s+"
        r"(?:account|subscription|membership|contract|service|plan|policy|card)\b",
        0.7,
    ),
    _rule(
        "churn_threat",
        r"\b(?:switch|switching|go|going|move|moving)\s+(?:over\s+)?to\s+(?:a\s+)?"
        r"(?:competitor|your competitors?|another (?:provider|company|bank|carrier|airline|store)|"
        r"someone else)\b",
        0.85,
    ),
    _rule(
        "churn_threat",
        r"\b(?:never|won'?t|will not|not)\s+(?:be\s+)?(?:buy|order|shop|use|fly|stay|com|return)"
        r"\w*\s+(?:again|back|with you|from you|here)\b|\bwon'?t be back\b|\bnever again\b",
        0.85,
        negatable=False,
    ),
    _rule(
        "churn_threat",
        r"\b(?:take|taking) my (?:business|money|custom) elsewhere\b|\blost (?:a|another) "
        r"(?:loyal )?customer\b|\b(?:i'?m|i am) done with (?:you|your|this)\b|"
        r"\blooking for (?:a |another )?(?:new )?(?:provider|bank|company)\b",
        0.9,
        negatable=False,
    ),
    _rule(
        "legal_threat",
        r"\b(?:lawyer|lawyers|attorney|solicitor|legal action|legal proceedings|sue|suing|"
        r"lawsuit|small claims|take you to court|see you in court|ombudsman|regulator|"
        r"ftc|fcc|cfpb|ofcom|ofgem|trading standards|better business bureau|bbb|"
        r"consumer protection|chargeback|attorney general)\b",
        0.85,
    ),
    _rule(
        "legal_threat",
        r"\breport(?:ing)? (?:you|this|your company) to\b",
        0.8,
    ),
    _rule(
        "public_exposure",
        r"\b(?:post|posting|share|sharing|tweet|tweeting|put|putting|tell|telling|expose|exposing|"
        r"warn|warning|broadcast)\b[^.!?\n]{0,40}\b" + _PLATFORMS + r"\b",
        0.8,
    ),
    _rule(
        "public_exposure",
        r"\b(?:leav|writ|post|giv)\w*\s+(?:you\s+)?(?:a\s+|an\s+)?(?:\w+\s+)?(?:bad|negative|"
        r"terrible|horrible|awful|scathing|1[- ]star|one[- ]star|honest)\s+reviews?\b|"
        r"\bgo(?:ing)? viral\b",
        0.85,
    ),
    _rule(
        "repeat_contact",
        r"\b(?:second|2nd|third|3rd|fourth|4th|fifth|5th|sixth|umpteenth|nth|\d+th)\s+"
        r"(?:time|call|email|attempt|message|request)\b",
        0.85,
        negatable=False,
    ),
    _rule(
        "repeat_contact",
        r"\bstill (?:waiting|haven'?t|have not|hasn'?t|has not|no|not|nothing|broken|"
        r"unresolved|charging|charged)\b",
        0.8,
        negatable=False,
    ),
    _rule(
        "repeat_contact",
        r"\b(?:called|contacted|emailed|messaged|asked|chatted|written|rang|phoned|tweeted)\b"
        r"[^.!?\n]{0,25}\b" + _NUM + r" times\b|\b(?:yet|once) again\b|\bagain and again\b|"
        r"\bkeep (?:having to|calling|asking|contacting|getting)\b|\bfor (?:weeks|months) now\b",
        0.75,
        negatable=False,
    ),
    _rule(
        "urgency",
        r"(?<!not )(?<!isn't )(?<!no )\b(?:urgent|urgently|asap|a\.s\.a\.p|immediately|right now|"
        r"right away|emergency|"
        r"as soon as possible|time[- ]sensitive|deadline|within (?:24|48|72) hours|"
        r"(?:by|before) (?:" + _DAYS + r"|end of (?:the )?day|eod|noon))\b",
        0.8,
        negatable=False,  # the lookbehinds handle "not urgent"; "isn't fixed by Friday" stays
    ),
    _rule(
        "abuse",
        r"\b(?:fuck\w*|f\*+k\w*|shit\w*|bullshit|crap|crappy|damn|goddamn|bitch\w*|bastard\w*|"
        r"asshole\w*|arsehole\w*|dick(?:head)?s?|piss(?:ed)?|wtf|stfu|bloody hell)\b",
        0.7,
        negatable=False,
        sev=1,
    ),
    _rule(
        "abuse",
        r"\b" + _YOU + r"\b[^.!?\n]{0,20}\b(?:idiot|idiots|moron|morons|stupid|useless|"
        r"incompetent|pathetic|clowns?|liars?|thie(?:f|ves)|scammers?|crooks?|frauds?|imbeciles?|"
        r"dumb|worthless|disgrace|losers?|jokers?|morons?|retards?|scum)\b|"
        r"\b(?:idiot|moron|imbecile|clown|loser)s?\b",
        0.85,
        negatable=False,
        sev=2,
    ),
    _rule(
        "abuse",
        r"\b(?:i'?ll|i will|i'?m gonna|i am going to|gonna|going to)\s+(?:kill|hurt|find|"
        r"come for|beat|destroy|smash|end)\s+(?:you|u|your)\b|"
        r"\byou(?:'ll| will) (?:regret|pay for) (?:this|it)\b|\bwatch your back\b",
        0.9,
        negatable=False,
        sev=3,
    ),
    _rule(
        "closing_gratitude",
        r"\b(?:thanks?|thank you|thx|ty|cheers|much appreciated|appreciate (?:it|your help|that|"
        r"the help|all your help))\b(?!\s+(?:for nothing|a lot for nothing|but no|for wasting|"
        r"for ruining|a bunch for nothing))",
        0.6,
        negatable=False,
    ),
)
_RESOLVED = re.compile(
    r"\b(?:solved|fixed|sorted|resolved|works now|working now|that did it|that worked|"
    r"all good|perfect|great help|helpful)\b"
)
_SARCASM = re.compile(
    r"\b(?:thanks? for nothing|thanks? a lot for nothing|no thanks to you|thanks for wasting|"
    r"thanks for ruining|great job ruining|well done ruining|so helpful,? not)\b"
)
_ANGRY_EMOJI = re.compile("[\U0001f620\U0001f621\U0001f92c\U0001f47f\U0001f4a2\U0001f595]")


def sarcastic(prep: Prepared) -> bool:
    """Thanks that mean the opposite ("thanks for nothing")."""
    return _SARCASM.search(prep.lower) is not None


def angry_emoji(prep: Prepared) -> int:
    return len(_ANGRY_EMOJI.findall(prep.clean))


def _negated(lower: str, start: int) -> bool:
    return _NEGATION.search(lower, max(0, start - 40), start) is not None


def _hits(prep: Prepared) -> dict[str, list[tuple[Rule, Span]]]:
    lower, quotes = prep.lower, quoted_ranges(prep.clean)
    found: dict[str, list[tuple[Rule, Span]]] = {}
    for rule in RULES:
        for m in rule.pattern.finditer(lower):
            start, end = m.start(), m.end()
            if quotes and inside(quotes, start, end):
                continue
            if rule.negatable and _negated(lower, start):
                continue
            span = Span(start, end, prep.original[start:end])
            found.setdefault(rule.signal, []).append((rule, span))
    return found


def detect(prep: Prepared) -> tuple[Signal, ...]:
    """All signals of one message, strongest evidence first within each signal."""
    out: list[Signal] = []
    for name, hits in _hits(prep).items():
        if name == "closing_gratitude" and sarcastic(prep):
            continue
        conf = max(r.confidence for r, _ in hits)
        conf = min(0.99, conf + 0.05 * (len(hits) - 1))
        if name == "closing_gratitude" and _RESOLVED.search(prep.lower):
            conf = 0.9
        severity = max(r.severity for r, _ in hits)
        spans = tuple(sorted({s for _, s in hits}, key=lambda s: s.start))
        out.append(Signal(name, round(conf, 3), spans, severity))
    return tuple(sorted(out, key=lambda s: s.name))
