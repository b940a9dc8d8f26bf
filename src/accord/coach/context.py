"""Build the coach's view of a conversation from its messages and their analysis.

Pure: the analysis engine is the only dependency. What the customer said recently (their last
three messages) decides the situation: the worst severity, the current heat, abuse and the
abusive words, what they want, whether the company is at fault, which facts a clarifying
question still has to collect, and the key points a reply should reflect back.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from accord.analysis import Analyzer, MessageAnalysis, load_analyzer
from accord.analysis.conversation_heat import customer_heat
from accord.analysis.types import SignalName
from accord.cases.playbook.detectors import sentences
from accord.coach.types import CoachContext

__all__ = ["RECENT", "STOP_WORDS", "build_context", "key_points"]

RECENT = 3  # customer messages that make up "the situation now"
MAX_KEY_POINTS = 6
# Topics where the reply cannot act without knowing which order, booking or charge it is.
ORDER_TOPICS = frozenset(
    {
        "billing and payments",
        "refund",
        "delivery and shipping",
        "defective product",
        "order or booking changes",
    }
)
DATED_TOPICS = frozenset({"delivery and shipping", "order or booking changes"})
AT_FAULT_CAUSES = frozenset({"product-service", "human factors", "communication"})

_ORDER_REF = re.compile(
    r"(?:\b(?:order|booking|reference|ref|invoice|account|ticket|tracking|confirmation)\s*"
    r"(?:number|no\.?|id|#)?\s*[:#]?\s*[A-Z]*-?\d[A-Z0-9-]{3,}\b|#\s?\d{3,}\b|\b\d{6,}\b)",
    re.IGNORECASE,
)
_AMOUNT = re.compile(
    # "$1,249.00" whole: thousands separators first, then an optional two-digit fraction.
    r"(?:[$€£]\s?\d+(?:,\d{3})*(?:[.,]\d{2})?(?!\d)|"
    r"\b\d+(?:,\d{3})*(?:[.,]\d{2})?\s?(?:dollars|euros?|pounds|usd|eur|gbp)\b)",
    re.IGNORECASE,
)
_DATE = re.compile(
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|tonight|"
    r"last\s+(?:week|month|night)|(?:\d+|a|two|three|few)\s+(?:days?|weeks?|months?)\s+ago|"
    r"since\s+\w+|jan(?:uary)?|feb(?:ruary)?|march|april|june|july|aug(?:ust)?|sept?(?:ember)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|\d{1,2}[/.-]\d{1,2}(?:[/.-]\d{2,4})?)\b",
    re.IGNORECASE,
)
_HANDLE_OR_LINK = re.compile(r"(?<![\w.])@\w+|\b(?:https?://|www\.)\S+|#\w+", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]{3,}")
_STOP_WORDS = """
    about above after again against also always another anyone anything around because been
    before being below between both cannot could didn doesn doing done down during each either
    else even ever every from further getting going gone gonna have having here hers herself
    himself into itself just know like made make many maybe more most much must myself need
    needs never next none nothing once only other ought ours over please really same says
    should since some someone something still such sure take than thank thanks that thats
    their theirs them themselves then there these they thing things think this those though
    through told time times today tomorrow together under until very want wanted wants week
    well went were what whatever when where whether which while will with without would wrong
    yeah year years your yours yourself yourselves hello dear guys help hope asap already
    again soon tell said saying keep kept give given ever else lets look looking last first
    every since come came still call called email emailed write wrote ridiculous terrible
    awful horrible worst unacceptable seriously literally absolutely completely totally
"""
_STOP = frozenset(_STOP_WORDS.split())
STOP_WORDS = _STOP  # also the words the review's listening measure ignores


def key_points(texts: Sequence[str], avoid: Sequence[str] = ()) -> tuple[str, ...]:
    """The customer's concrete terms: references and amounts first, then the content words
    they used most (earliest first on ties). Abusive words are never a key point."""
    avoid_words = {w.lower() for term in avoid for w in term.split()}
    texts = [_HANDLE_OR_LINK.sub(" ", t) for t in texts]  # "@brand" and links are not points
    found: list[str] = []
    for text in texts:
        found += [m.group(0).strip() for m in _ORDER_REF.finditer(text)]
        found += [m.group(0).strip() for m in _AMOUNT.finditer(text)]
    counts: dict[str, int] = {}
    for text in texts:
        for m in _WORD.finditer(text):
            word = m.group(0).lower().strip("'-")
            if len(word) >= 4 and word not in _STOP and word not in avoid_words:
                counts[word] = counts.get(word, 0) + 1
    ranked = sorted(counts, key=lambda w: -counts[w])  # stable: first use wins ties
    unique = list(dict.fromkeys(found))
    in_refs = {w.lower() for ref in unique for w in ref.split()}
    return tuple(unique + [w for w in ranked if w not in in_refs])[:MAX_KEY_POINTS]


def _facts(texts: Sequence[str]) -> dict[str, str]:
    facts: dict[str, str] = {}
    for text in reversed(texts):  # the latest mention wins
        if "order" not in facts and (m := _ORDER_REF.search(text)):
            facts["order"] = m.group(0).strip()
        if "amount" not in facts and (m := _AMOUNT.search(text)):
            facts["amount"] = m.group(0).strip()
    if texts:
        facts["issue"] = _issue_sentence(texts)
    return facts


def _issue_sentence(texts: Sequence[str]) -> str:
    """The customer's sentence that says the most about the problem (for restating it)."""
    best, best_score = "", -1
    for text in texts:
        for s in sentences(text):
            words = len(s.text.split())
            refs = len(_ORDER_REF.findall(s.text)) + len(_AMOUNT.findall(s.text))
            score = len(key_points([s.text])) * 2 + refs * 4 - s.text.count("!")
            if 4 <= words <= 40 and score > best_score:
                best, best_score = s.text, score
    return best.rstrip(".!? ") or (texts[-1].strip()[:200] if texts else "")


def _missing(texts: Sequence[str], topic: str, remedy: str | None) -> tuple[str, ...]:
    joined = "\n".join(texts)
    missing = []
    if topic in ORDER_TOPICS and not _ORDER_REF.search(joined):
        missing.append("order number")
    if topic in DATED_TOPICS and not _DATE.search(joined):
        missing.append("date")
    if remedy is None:
        missing.append("wanted outcome")
    return tuple(missing)


def _abusive_terms(results: Sequence[MessageAnalysis]) -> tuple[str, ...]:
    return tuple(
        dict.fromkeys(
            e.text.lower() for r in results if (s := r.signal(SignalName.ABUSE)) for e in s.evidence
        )
    )


def _analysed(
    texts: Sequence[str], stored: Mapping[str, MessageAnalysis], analyzer: Analyzer | None
) -> list[MessageAnalysis]:
    missing = [t for t in texts if t not in stored]
    fresh = dict(stored)
    if missing:
        engine = analyzer or load_analyzer()
        fresh.update(zip(missing, engine.analyze_batch(missing, "customer"), strict=True))
    return [fresh[t] for t in texts]


def build_context(
    messages: Sequence[tuple[str, str]],
    *,
    customer_name: str | None = None,
    customer_contacts: Sequence[str] = (),
    stage: str | None = None,
    analyzer: Analyzer | None = None,
    abuse_min_severity: int = 2,
    stored: Mapping[str, MessageAnalysis] | None = None,
) -> CoachContext:
    """``messages`` are ``(role, text)`` pairs, oldest first; role is customer or agent.

    ``stored`` maps customer texts to the analysis already stored for them: those are not
    analysed again (a review runs on every pause in typing).
    """
    said = [t for r, t in messages if r == "customer" and t.strip()]
    customer = said[-RECENT:]
    agent = tuple(t for r, t in messages if r == "agent" and t.strip())
    if not customer:
        return CoachContext(
            customer_name=customer_name,
            agent_messages=agent,
            stage=stage,
            customer_contacts=tuple(customer_contacts),
        )
    results = _analysed(customer, stored or {}, analyzer)
    severity = max(r.severity for r in results)
    remedy = next((r.remedy for r in reversed(results) if r.remedy), None)
    topic = next((r.topic for r in results if r.topic != "other"), results[-1].topic)
    abusive = _abusive_terms(results)
    return CoachContext(
        customer_name=customer_name,
        customer_messages=tuple(customer),
        agent_messages=agent,
        severity=severity,
        # The customer's heat with a memory of the peak, as the inbox and the rules see it.
        heat=customer_heat(results).heat,
        abuse=any(r.abuse_severity >= abuse_min_severity for r in results),
        abusive_terms=abusive,
        company_at_fault=severity >= 2 and any(r.cause in AT_FAULT_CAUSES for r in results),
        # Facts given earlier in the thread stay known: never ask again for an order number.
        missing_facts=_missing(said, topic, remedy),
        remedy=remedy,
        topic=topic,
        stage=stage,
        key_points=key_points(customer, abusive),
        facts=_facts(said),
        escalation_requested=any(r.signal(SignalName.ESCALATION_REQUEST) for r in results),
        customer_contacts=tuple(customer_contacts),
    )
