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

from accord.analysis import figurative
from accord.analysis.text import Prepared, quoted_ranges, unquoted
from accord.analysis.types import Signal, SignalName, Span
from accord.core.needles import PatternSet

# A negation governs the next few words only ("not going to cancel"), not a whole clause
# ("if this isn't fixed by Friday" is still a deadline), and never reaches past a new subject or
# conjunction ("if this isn't sorted I'll cancel" is a threat).
_CLAUSE_START = r"(?:i|i'?ll|i'?m|i'?d|i've|we|we'?ll|we'?re|and|or|but|so|then|otherwise|else)"
_CLAUSE_HEAD = re.compile(_CLAUSE_START + r"\b")
NEGATION = re.compile(
    r"\b(?:not|never|no|don'?t|do not|won'?t|will not|isn'?t|wasn'?t|didn'?t|did not|"
    r"doesn'?t|does not|without|no need to)(?:\s+(?!" + _CLAUSE_START + r"\b)[\w']+){0,3}\s*$"
)
_DAYS = r"(?:today|tonight|tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_NUM = r"(?:\d+|two|three|four|five|six|seven|eight|nine|ten|several|multiple|many|numerous)"
_YOU = r"(?:you|u|ur|you'?re|youre|you are|your|y'all|you guys|you people)"
_PLATFORMS = (
    r"(?:social media|twitter|facebook|instagram|tiktok|yelp|trustpilot|google reviews?|reddit|"
    r"youtube|linkedin|the press|the news|the media|everyone|everybody|all my friends|"
    r"other customers|the world)"
)


# "I'll cancel" threatens the relationship; "I'll cancel the order" only changes an order.
_ORDERISH = (
    r"(?:order|booking|reservation|flight|appointment|payment|delivery|request|ticket|transfer|"
    r"cheque|check|trip|hotel|room|item|parcel|package|return)"
)
_CANCEL_THREAT = (
    r"\b(?:(?:and|or|or else|otherwise|then|so)\s+(?:i\s+)?|(?:i'?ll|i will|i'?m going to|"
    r"i am going to|i'?m gonna|i shall)\s+)(?:just\s+|simply\s+)?cancel\b"
    r"(?!\s+(?:my|the|this|that|your|our|an?)\s+(?:[\w-]+\s+)?" + _ORDERISH + r"s?\b)|"
    r"\bcancel (?:everything|it all|all of it)\b"
)


# An insult is aimed at a person ("you useless idiots", "your staff are clowns"); "your app is
# useless" criticises the product and is no abuse of the agent.
_INSULT_NOUNS = (
    r"(?:idiots?|morons?|imbeciles?|clowns?|liars?|thie(?:f|ves)|scammers?|crooks?|frauds?|"
    r"losers?|jokers?|retards?|scum|disgrace|cretins?|muppets?)"
)
_ADJ_WORDS = r"stupid|useless|incompetent|pathetic|dumb|worthless|brainless|clueless"
_INSULT_ADJ = r"(?:" + _ADJ_WORDS + r")"
_PEOPLE = r"(?:staff|agents?|people|team|employees|reps?|representatives?|support|company)"
_FILLER = (
    r"(?:\s+(?:such|so|a|an|all|bunch|of|complete|total|absolute|totally|completely|utterly|"
    r"really|truly|just|fucking|bloody|lying|thieving|" + _ADJ_WORDS + r")){0,6}"
)
_INSULT = (
    r"\b(?:you|u|y'?all)(?:'re|re|\s+are|\s+r)?(?:\s+(?:guys|people|lot))?" + _FILLER + r"\s+"
    r"(?:" + _INSULT_NOUNS + "|" + _INSULT_ADJ + r")\b|"
    r"\byour(?:\s+"
    + _INSULT_ADJ
    + r")?\s+"
    + _PEOPLE
    + r"(?:\s+(?:are|is))?"
    + _FILLER
    + r"\s+(?:"
    + _INSULT_NOUNS
    + "|"
    + _INSULT_ADJ
    + r")\b|"
    r"\byour\s+" + _INSULT_ADJ + r"\s+" + _PEOPLE + r"\b|"
    # Alone, only words that are insults in any context ("fraud on my account" is not).
    r"\b(?:idiot|moron|imbecile|clown|loser|cretin|muppet)s?\b"
)
# "I'm such an idiot, I typed the wrong address": the writer's own fault, not abuse.
_SELF = re.compile(
    r"\b(?:i'?m|i am|i was|i feel|i felt|i look|made me (?:look|feel)|me)\b"
    r"(?:\s+(?:such|so|a|an|like|complete|total|absolute|bit|of|an?))*\s*$"
)


@dataclass(frozen=True, slots=True)
class Rule:
    signal: SignalName
    pattern: re.Pattern[str]
    confidence: float
    negatable: bool = True
    severity: int = 0
    named: bool = False  # the match ends in a name: capitalised in the original ("Verizon")


def _rule(
    signal: SignalName,
    pattern: str,
    conf: float,
    negatable: bool = True,
    sev: int = 0,
    named: bool = False,
) -> Rule:
    return Rule(signal, re.compile(pattern), conf, negatable, sev, named)


RULES: tuple[Rule, ...] = (
    _rule(
        SignalName.ESCALATION_REQUEST,
        r"\b(?:speak|talk|chat|speaking|talking)\s+(?:to|with)\s+(?:a\s+|an\s+|your\s+|the\s+)?"
        r"(?:manager|supervisor|superior|boss|someone (?:in charge|senior|higher up)|"
        r"higher authority|human|real person)",
        0.9,
    ),
    _rule(
        SignalName.ESCALATION_REQUEST,
        r"\b(?:want|need|demand|get|put|give|escalate (?:this|it) to|transfer me to|"
        r"connect me (?:to|with)|put me through to|pass me (?:on )?to)\s+(?:me\s+)?"
        r"(?:a|your|the|to|an|someone)\s+(?:manager|supervisor|human|real person|actual person|"
        r"senior)\b",
        0.85,
    ),
    _rule(
        SignalName.ESCALATION_REQUEST,
        r"\b(?:manager|supervisor),?\s+(?:please|now|immediately)\b",
        0.8,
    ),
    _rule(SignalName.ESCALATION_REQUEST, r"\bescalat(?:e|ed|ing|ion)\b", 0.7),
    _rule(
        SignalName.CHURN_THREAT,
        r"\b(?:cancel(?:l?ing)?|close|closing|terminate|terminating|end|ending)\s+(?:my|our|the)\s+"
        r"(?:account|subscription|membership|contract|service|plan|policy|card)\b",
        0.7,
    ),
    _rule(SignalName.CHURN_THREAT, _CANCEL_THREAT, 0.8),
    _rule(
        SignalName.CHURN_THREAT,
        r"\b(?:i'?m|i am|we'?re|we are) (?:leaving|switching|out of here)\b"
        r"(?!\s+(?:a|an|the|my|our|for|on|at|to|in|this|it|now)\b)",
        0.75,
    ),
    _rule(
        SignalName.CHURN_THREAT,
        r"\b(?:switch|switching|go|going|move|moving)\s+(?:over\s+)?to\s+(?:a\s+)?"
        r"(?:competitor|your competitors?|another (?:provider|company|bank|carrier|airline|store)|"
        r"someone else)\b",
        0.85,
    ),
    _rule(
        SignalName.CHURN_THREAT,
        r"\b(?:never|won'?t|will not|not)\s+(?:be\s+|ever\s+|going to\s+|gonna\s+)?"
        r"(?:buy|order|shop|use|fly|stay|com|return|book|travel|bank|deal|choose|recommend|renew|"
        r"ride|eat|visit|set foot)\w*\s+(?:[\w'-]+\s+){0,4}?(?:again|back|with you|from you|"
        r"here)\b|\bwon'?t be back\b|\bnever again\b|\b(?:the )?last time (?:i|we)(?:'ll| will)? "
        r"(?:fly|book|order|shop|buy|use|stay|travel|bank|deal)\w* (?:with|from|at) (?:you|your)\b",
        0.85,
        negatable=False,
    ),
    _rule(
        SignalName.CHURN_THREAT,
        # "switching to Verizon": a rival named by its capitalised brand (see _named_rival).
        r"\b(?:switch|switching|switched|jump|jumping|jumped)\s+(?:ship\s+)?(?:over\s+)?to\s+"
        r"(?!(?:a|an|the|my|our|your|this|that|it|i|monday|tuesday|wednesday|thursday|friday|"
        r"saturday|sunday|english|spanish|french|german)\b)[\w&.-]+",
        0.8,
        negatable=False,
        named=True,
    ),
    _rule(
        SignalName.CHURN_THREAT,
        r"\b(?:you'?ve|you have) (?:just )?lost (?:me|my business|a customer|our business)\b",
        0.85,
        negatable=False,
    ),
    _rule(
        SignalName.CHURN_THREAT,
        r"\b(?:take|taking) my (?:business|money|custom) elsewhere\b|\blost (?:a|another) "
        r"(?:loyal )?customer\b|\b(?:i'?m|i am) done with (?:you|your|this)\b|"
        r"\blooking for (?:a |another )?(?:new )?(?:provider|bank|company)\b",
        0.9,
        negatable=False,
    ),
    _rule(
        SignalName.LEGAL_THREAT,
        r"\b(?:lawyer|lawyers|attorney|solicitor|legal action|legal proceedings|sue|suing|"
        r"lawsuit|small claims|take you to court|see you in court|ombudsman|regulator|"
        r"ftc|fcc|cfpb|ofcom|ofgem|trading standards|better business bureau|bbb|"
        r"consumer protection|chargeback|attorney general)\b",
        0.85,
    ),
    _rule(
        SignalName.LEGAL_THREAT,
        r"\breport(?:ing)? (?:you|this|your company) to\b|\b(?:dispute|disputing|file a dispute"
        r"|filing a dispute)\b[^.!?\n]{0,30}\bwith (?:my|the) (?:bank|card issuer|credit card"
        r" company)\b",
        0.8,
    ),
    _rule(
        SignalName.PUBLIC_EXPOSURE,
        r"\b(?:post|posting|share|sharing|tweet|tweeting|put|putting|tell|telling|expose|exposing|"
        r"warn|warning|broadcast)\b[^.!?\n]{0,40}\b" + _PLATFORMS + r"\b",
        0.8,
    ),
    _rule(
        SignalName.PUBLIC_EXPOSURE,
        r"\b(?:leav|writ|post|giv)\w*\s+(?:you\s+)?(?:a\s+|an\s+)?(?:\w+\s+)?(?:bad|negative|"
        r"terrible|horrible|awful|scathing|1[- ]star|one[- ]star|honest)\s+reviews?\b|"
        r"\bgo(?:ing)? viral\b|\b(?:1|one|zero|0)[- ]star\b|\breviews? on " + _PLATFORMS + r"\b",
        0.85,
    ),
    _rule(
        SignalName.PUBLIC_EXPOSURE,
        r"\bconsider (?:it|this) (?:posted|shared|tweeted|public|reviewed)\b|"
        r"\b(?:i'?ll|i will|i'?m going to|i am going to|i'?m gonna|going to|gonna|about to)\s+"
        r"(?:post|share|tweet|blog|write|vlog|talk|make a video)\s+(?:about\s+)?(?:this|it|that|"
        r"my experience|the whole thing|everything|what happened)\b(?!\s+(?:back|to you|to your|"
        r"by post|in the post|tomorrow|today|on (?:monday|tuesday|wednesday|thursday|friday|"
        r"saturday)))|\bmy next (?:post|video|review|tweet|story|blog|article) (?:will be|is going "
        r"to be|is) about\b|\b(?:leav|writ|post|giv|publish)\w*\s+(?:you\s+)?(?:a|an|my)\s+"
        r"(?:\w+\s+)?reviews?\b|\bwarn (?:other|others|people|everyone|my friends)\b|"
        r"\b(?:contact|contacting|call|calling|go|going|tell|telling|talk|talking)\s+(?:to\s+)?"
        r"(?:the (?:press|news|papers|media|local paper)|a journalist|journalists|watchdog)\b",
        0.8,
    ),
    _rule(
        SignalName.PUBLIC_EXPOSURE,
        r"\b(?:everyone|everybody|the world|all my friends|my followers|other customers)\b"
        r"[^.!?\n]{0,30}\b(?:will|is going to|are going to|gonna|shall)\s+(?:hear|know|find out|"
        r"learn)\b|\bmake sure (?:everyone|everybody|people|the world|others|other customers) "
        r"(?:knows?|hears?|finds? out)\b",
        0.8,
    ),
    _rule(
        SignalName.SAFETY_INCIDENT,
        r"\b(?:injur(?:y|ies|ed|ing)|hurt (?:him|her|them|herself|himself|myself|themselves)|"
        r"(?:hurt|cut|sliced|burn(?:ed|t)?|broke|bruised|trapped|crushed|chipped|cracked) "
        r"(?:my|his|her|their|our) "
        r"(?:son'?s |daughter'?s |child'?s |baby'?s |wife'?s |husband'?s )?(?:back|hands?|arms?|"
        r"legs?|head|wrists?|fingers?|feet|foot|knees?|neck|shoulders?|eyes?|face|skin|ankles?|"
        r"thumbs?|toes?|ribs?|nose|lips?|mouth|tongue|teeth|tooth|gums?|throat)|"
        r"(?:glass|metal|plastic|a (?:screw|nail|bone|blade|shard)) in (?:my|the|his|her|our) "
        r"(?:food|meal|drink|sandwich|burger|salad|can|bottle|pizza|burrito|soup)|"
        r"(?:was|were|got|been|is|am) (?:badly |seriously )?(?:hurt|injured|burn(?:ed|t)|scalded|"
        r"electrocuted|cut)|bleeding|blood|scald(?:ed)?|"
        r"electric shock|shocked (?:me|him|her)|caught fire|set on fire|on fire|smoke came|"
        r"(?:a&e|a & e|emergency room|the er|urgent care|hospital|ambulance|x-ray|stitches|"
        r"sprain\w*|fractur\w*|concussion)|(?:fell|collapsed|snapped) (?:under|beneath|on|onto) "
        r"(?:him|her|me|them|my)|choking hazard|could have (?:killed|hurt|injured))\b",
        0.85,
    ),
    _rule(
        SignalName.REPEAT_CONTACT,
        r"\b(?:second|2nd|third|3rd|fourth|4th|fifth|5th|sixth|umpteenth|nth|\d+th)\s+"
        r"(?:time|call|email|attempt|message|request)\b",
        0.85,
        negatable=False,
    ),
    _rule(
        SignalName.REPEAT_CONTACT,
        r"\bstill (?:waiting|haven'?t|have not|hasn'?t|has not|no|not|nothing|broken|"
        r"unresolved|charging|charged)\b",
        0.8,
        negatable=False,
    ),
    _rule(
        SignalName.REPEAT_CONTACT,
        r"\b(?:called|contacted|emailed|messaged|asked|chatted|written|rang|phoned|tweeted)\b"
        r"[^.!?\n]{0,25}\b" + _NUM + r" times\b|\b(?:yet|once) again\b|\bagain and again\b|"
        r"\bkeep (?:having to|calling|asking|contacting|getting)\b|\bfor (?:weeks|months) now\b",
        0.75,
        negatable=False,
    ),
    _rule(
        SignalName.REPEAT_CONTACT,
        r"\b(?:already|previously)\s+(?:called|contacted|emailed|written|wrote|messaged|told you|"
        r"explained|reported|raised)\b|\b(?:contacted|called|emailed|wrote to|messaged|reached out"
        r" to) (?:you(?: guys)?|your \w+|support) (?:last (?:week|month|time)|yesterday|before|"
        r"previously|already|earlier)\b|\b(?:same|exact same) (?:issue|problem) (?:again|as "
        r"(?:before|last time))\b|\bas i (?:said|mentioned|explained|told you) (?:before|"
        r"previously|already|last time)\b",
        0.75,
    ),
    _rule(
        SignalName.URGENCY,
        # "urgent care" and "the emergency room" are places (clinics), not a deadline.
        r"(?<!not )(?<!isn't )(?<!no )\b(?:urgent(?![\s-]+care\b)|urgently|asap|a\.s\.a\.p|"
        r"immediately|right now|right away|emergency(?![\s-]+(?:room|department|dept)\b)|"
        r"as soon as possible|time[- ]sensitive|deadline|within (?:24|48|72) hours|"
        r"(?:by|before) (?:" + _DAYS + r"|end of (?:the )?day|eod|noon))\b",
        0.8,
        negatable=False,  # the lookbehinds handle "not urgent"; "isn't fixed by Friday" stays
    ),
    _rule(
        SignalName.URGENCY,
        r"\b(?:need|needs|must|have to|has to)\b[^.!?\n]{0,25}\b(?:today|tonight|by tomorrow|"
        r"this (?:morning|afternoon|evening))\b",
        0.7,
    ),
    _rule(
        SignalName.ABUSE,
        r"\b(?:fuck\w*|f\*+k\w*|shit\w*|bullshit|crap|crappy|damn|goddamn|bitch\w*|bastard\w*|"
        r"asshole\w*|arsehole\w*|dick(?:head)?s?|piss(?:ed)?|wtf|stfu|bloody hell)\b",
        0.7,
        negatable=False,
        sev=1,
    ),
    _rule(SignalName.ABUSE, _INSULT, 0.85, negatable=False, sev=2),
    _rule(
        SignalName.ABUSE,
        r"\b(?:i'?ll|i will|i'?m gonna|i am going to|gonna|going to)\s+(?:kill|hurt|find|"
        r"come for|beat|destroy|smash|end)\s+(?:you|u|your)\b|"
        r"\byou(?:'ll| will) (?:regret|pay for) (?:this|it)\b|\bwatch your back\b",
        0.9,
        negatable=False,
        sev=3,
    ),
    _rule(
        SignalName.HOSTILE_TONE,  # an agent's reply that blames or talks down to the customer
        r"\byou (?:should|could) have (?:read|checked|called|known|followed|looked|asked|"
        r"noticed)\b|"
        r"\byou (?:failed|neglected|forgot) to\b|\b(?:it'?s|that'?s|this is|it was) (?:entirely |"
        r"completely |all )?your (?:own )?(?:fault|problem|responsibility|mistake)\b|"
        r"\byou (?:didn'?t|did not|never|clearly didn'?t|obviously didn'?t) (?:read|follow|"
        r"check)\b|"
        r"\b(?:as|like) i (?:already |have already |'ve already )?(?:said|told you|explained|"
        r"mentioned|stated)\b|\bcalm down\b|\b(?:that'?s|it'?s|this is) not (?:my|our) "
        r"(?:problem|concern|fault)\b|\bread the (?:manual|instructions|terms|policy|faq)\b|"
        r"\b(?:our |the )?(?:records|logs|system) (?:show|shows|indicate|indicates) (?:that )?"
        r"(?:you|the \w+ (?:was|were) (?:used|misused|mishandled|damaged))\b|\bused (?:it |them "
        r")?(?:incorrectly|improperly|wrongly)\b|\bnot going to repeat myself\b|\btake it or "
        r"leave it\b|\bdeal with it\b|\bnothing (?:else )?(?:i|we) can do\b",
        0.8,
        negatable=False,
    ),
    _rule(
        SignalName.CLOSING_GRATITUDE,
        r"\b(?:thank you|thanks?|thx|ty|cheers|much appreciated|appreciate (?:it|your help|that|"
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
# Thanks that close nothing: a sign-off under a request ("Can I order swatches? Thanks!"),
# thanks in advance, or thanks followed by the problem ("thanks, but it is still broken").
_STILL_OPEN = re.compile(
    r"\?|\bthanks? (?:you )?in advance\b|\bin anticipation\b|"
    r"\b(?:but|however|still|unfortunately)\b"
)
_ANGRY_EMOJI = re.compile("[\U0001f620\U0001f621\U0001f92c\U0001f47f\U0001f4a2\U0001f595]")


def sarcastic(prep: Prepared) -> bool:
    """Praise or thanks that mean the opposite ("thanks for losing my luggage")."""
    return bool(figurative.sarcasm_spans(prep))


def angry_emoji(prep: Prepared) -> int:
    return len(_ANGRY_EMOJI.findall(prep.clean))


def negated(lower: str, start: int) -> bool:
    """Whether a negation stands just before ``start`` in the same clause."""
    if _CLAUSE_HEAD.match(lower, start):  # the match opens its own clause: "... I'll cancel"
        return False
    return NEGATION.search(lower, max(0, start - 40), start) is not None


# The rules' patterns indexed by the literals they need: a message is searched only with the
# rules whose literals it contains (the results are the same; accord.core.needles).
_RULE_INDEX = PatternSet(rule.pattern for rule in RULES)


def _hits(prep: Prepared) -> dict[str, list[tuple[Rule, Span]]]:
    lower, quotes = prep.lower, quoted_ranges(prep.clean)
    found: dict[str, list[tuple[Rule, Span]]] = {}
    for i in _RULE_INDEX.candidate_indices(prep.folded):
        rule = RULES[i]
        for m in unquoted(rule.pattern, lower, quotes):
            start, end = m.start(), m.end()
            if rule.negatable and negated(lower, start):
                continue
            if rule.severity == 2 and _SELF.search(lower, max(0, start - 40), start):
                continue
            if rule.named and not _named(prep.original, start, end):
                continue
            span = Span(start, end, prep.original[start:end])
            found.setdefault(rule.signal, []).append((rule, span))
    return found


def _named(original: str, start: int, end: int) -> bool:
    """Whether the match's last word is a name: capitalised, or a brand such as "3" or "O2"."""
    last = original[start:end].split()[-1]
    return last[:1].isupper() or last[:1].isdigit()


def _closes(prep: Prepared) -> bool:
    """Thanks that close the matter: not sarcastic, and either a resolution is named or
    nothing is left open."""
    if sarcastic(prep):
        return False
    return bool(_RESOLVED.search(prep.lower)) or not _STILL_OPEN.search(prep.lower)


def detect(prep: Prepared) -> tuple[Signal, ...]:
    """All signals of one message, strongest evidence first within each signal."""
    out: list[Signal] = []
    for name, hits in _hits(prep).items():
        if name == SignalName.CLOSING_GRATITUDE and not _closes(prep):
            continue
        conf = max(r.confidence for r, _ in hits)
        conf = min(0.99, conf + 0.05 * (len(hits) - 1))
        if name == SignalName.CLOSING_GRATITUDE and _RESOLVED.search(prep.lower):
            conf = 0.9
        severity = max(r.severity for r, _ in hits)
        spans = tuple(sorted({s for _, s in hits}, key=lambda s: s.start))
        out.append(Signal(name, round(conf, 3), spans, severity))
    return tuple(sorted(out, key=lambda s: s.name))
