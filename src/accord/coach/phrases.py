"""What a draft says, sentence by sentence, with evidence spans.

The moves the playbook already tracks (apology, empathy, a clarifying question, options, next
steps with a time, thanks, listening, an escalation offer, a boundary) come from
:mod:`accord.cases.reply_detectors`. What the playbook does not need lives here: inviting the
customer's input, offering further help at the close, the violations (blame, defensiveness,
dismissive phrases, jargon, over-promising, a harsh boundary), and a few extensions of the case
layer's moves found on the evaluation's tuning half (``EMPATHY_MORE`` and below: the coach counts
a move when either sees it, so it may see a move the playbook does not). English,
case-insensitive, each match guarded against a negation just before it where a negation would
flip the meaning.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from accord.cases.playbook_machine import Evidence
from accord.cases.reply_detectors import (
    DETECTORS,
    ENDS_AS_QUESTION,
    INTERJECTION,
    any_of,
    sentences,
)

__all__ = ["COACH_DETECTORS", "Detector", "detect_all", "policy_without_reason"]

Detector = Callable[[str], list[Evidence]]
_FLAGS = re.IGNORECASE
_NEGATION = re.compile(r"\b(?:not|never|no|cannot)\b|n't\b", _FLAGS)


def _compile(*patterns: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, _FLAGS) for p in patterns)


INVITES_INPUT = _compile(
    r"\bwould\s+you\s+(?:prefer|rather|like\s+(?:me|us)\s+to)\b",
    r"\bwhich\s+(?:option|one|of\s+(?:these|them|the\s+two))\b[^.!?]*\?",
    # "let us know which device you use" asks for a fact (a clarifying question): only a
    # preference or the outcome of a suggested fix invites the customer's view.
    r"\blet\s+(?:me|us)\s+know\s+(?:what|which|how|whether)\b[^.!?]*\b(?:prefer\w*|rather|suits?|"
    r"sounds?|think|goes|went|plays?\s+out|turns?\s+out|works?\s+(?:best\s+)?for\s+you|"
    r"(?:it|that|this|they|these)\s+(?:helps?|helped|works?|worked)|like\s+(?:us|me)\s+to|"
    r"want\s+(?:us|me)\s+to)\b",
    r"\blet\s+(?:me|us)\s+know\s+your\s+(?:thoughts|preference|choice|decision|feedback)\b",
    r"\blet\s+(?:me|us)\s+know\s+(?:the\s+)?(?:results?|outcome|how\s+it\s+goes)\b",
    r"\blet\s+(?:me|us)\s+know\s+(?:in\s+(?:a\s+)?dm|via\s+dm|here)\s+(?:if|whether)\s+(?:that|this|it)\s+"
    r"(?:helps?|works?|fixes)\b",
    r"\bdo\s+you\s+(?:prefer|want\s+(?:us|me)\s+to)\b",
    r"\b(?:does|did)\s+(?:that|this|it)\s+(?:help|work|fix\s+it|do\s+the\s+trick)\b",
    r"\bhow\s+you\s+get\s+on\b",  # not "keep us updated": the annotators read no invitation there
    r"^\W*(?:happy\s+with\s+that|sound\s+good|sounds?\s+ok(?:ay)?)\W*\?",
    r"\blet\s+(?:me|us)\s+know\s+what\s+you\s+(?:decide|choose|think|would\s+like)\b",
    r"\bhow\s+would\s+you\s+like\s+(?:to|us\s+to|me\s+to)\s+(?:proceed|continue|go\s+ahead|handle)\b",
    r"\bwhat\s+would\s+be\s+(?:the\s+)?(?:best|ideal|a\s+fair)\b",
    r"\blet\s+(?:me|us)\s+know\s+if\s+the\s+(?:issue|problem|error)\s+(?:clears|persists|"
    r"continues|is\s+(?:fixed|resolved|gone))\b",
    r"\blet\s+(?:me|us)\s+know\s+(?:if|whether)\s+(?:that|this|it|either|one|the\s+(?:steps|"
    r"link|fix|update|reset|restart|reinstall)|you(?:'re|\s+are)\s+(?:still\s+)?(?:unable|not\s+able))\b",
    r"\b(?:share|send\s+(?:us|me)|tell\s+(?:us|me))\s+(?:your|the)\s+(?:results?|outcome)\b",
    r"\b(?:would|will|is)\s+(?:it|that|this)\s+be\s+(?:ok(?:ay)?|alright|all\s+right|fine)\b",
    r"\bis\s+(?:it|that)\s+(?:ok(?:ay)?|alright|all\s+right)\s+(?:if|to|with\s+you)\b",
    r"\bif\s+you(?:'d|\s+would)\s+like\s+(?:us|me)\s+to\b",
    r"\bwhat\s+would\s+(?:work|help|you\s+like)\b",
    r"\b(?:does|would|will)\s+(?:that|this|either)\s+(?:sound|work)\b",
    r"\bhow\s+does\s+(?:that|this)\s+sound\b",
    r"\bwhat\s+do\s+you\s+think\b",
    # Asked for, not mentioned: "we've added your comments to your suggestion" invites nothing.
    r"\b(?:share|tell\s+(?:us|me)|hear|welcome|what\s+are|love)\s+(?:\w+\s+)?your\s+(?:thoughts|input|"
    r"preference|opinion|suggestions?)\b",
    r"\b(?:is\s+there|do\s+you\s+have)\s+(?:a|another|any)\s+(?:other\s+)?(?:solution|option|"
    r"outcome|idea)\b[^.!?]*\?",
    r"\bi'?d\s+(?:like|love)\s+to\s+hear\b",
    r"\bjust\s+(?:reply|let\s+me\s+know)\b(?![^.!?]*\b(?:anything|further|more|else|questions?)\b)",
)

FURTHER_HELP = _compile(
    r"\banything\s+else\s+(?:i|we)\s+(?:can|could|may)\b",
    r"\bis\s+there\s+anything\b[^.?!]*\b(?:help|assist|do)\b",
    r"\b(?:don't|do\s+not)\s+hesitate\s+to\b",
    r"\bfeel\s+free\s+to\s+(?:reach|contact|get|ask|let|message|reply|write|dm|send|return|drop|"
    r"come\s+back|give|tweet|chat)\b",
    r"\bif\s+(?:you\s+(?:have|need)|there\s+(?:is|are))\s+(?:any(?:thing)?\s+)?(?:other|more|"
    r"further|else|additional)\b",
    r"\b(?:should|if|in\s+case)\s+you\s+(?:encounter|experience|face|run\s+into|come\s+across|"
    r"have|need)\s+(?:any\s+)?(?:difficult|issue|problem|trouble|challenge|further|additional|"
    r"more\s+help)",
    r"\bfor\s+any\s+(?:difficulties|questions|issues|problems|further)\b",
    r"\breach\s+out\s+(?:anytime|any\s+time|again|if)\b",
    r"\blet\s+(?:me|us)\s+know\s+if\s+(?:there'?s|there\s+is|you\s+(?:need|have|'?d\s+like)|"
    r"(?:we|i)\s+can)\b",
    r"\bif\s+you\s+need\s+(?:help|assistance|anything)\b",
    r"\bif\s+(?:we|i)\s+can\s+(?:help|assist)\s+(?:you\s+)?(?:with\s+)?(?:anything|any\s+other|"
    r"further|more)\b",
    r"\bwould\s+you\s+like\s+(?:any\s+)?(?:further|more|additional|other)\s+(?:help|assistance|"
    r"support)\b",
    # Third draw's tuning half (GUIDE.md):
    r"\b(?:help|assist)\w*\s+(?:you\s+)?(?:with\s+)?any\s+(?:other\s+|further\s+|additional\s+)?"
    r"(?:questions?|inquiries|enquiries|issues?|concerns?)\b",
    r"\bif\s+you\s+(?:need|have|require)\b[^.!?]{0,40}?\b(?:any\s+)?(?:other|more|further|"
    r"additional)\s+(?:questions?|help|assistance|issues?|concerns?)\b",
    r"\bif\s+you\s+have\s+any\s+(?:questions?|concerns?|issues?|problems?|difficult\w*)\b",
    r"\b(?:tweet|message|dm|contact|reach|call)\s+us\s+(?:any\s*time|anytime|whenever)\b",
    r"\b(?:we're|we\s+are|i'm|i\s+am)\s+(?:just\s+|only\s+)?(?:a|one)\s+(?:tweet|message|dm|click|call)\s+"
    r"away\b",
    r"\bif\s+anything\s+else\s+(?:comes\s+up|happens|crops\s+up)\b",
    r"\bif\s+there(?:'s|\s+is)\s+anything\b[^.!?]{0,30}?\b(?:help|assist|do)\b",
    r"\bif\s+not,?\s+(?:we|i)(?:'d|\s+would)\s+(?:like|love|be\s+happy|be\s+glad)\s+to\s+help\b",
    # Common phrasings checked from first principles (docs/coach.md):
    r"\breach\s+back\s+out\b",
    r"\breach\s+out\s+to\s+us\s+(?:any\s*time|again|whenever)\b",
    r"\byou\s+know\s+where\s+to\s+find\s+us\b",
    r"\bhow\s+else\s+(?:we|i)\s+(?:can|could|may)\s+(?:help|assist)\b",
    r"\b(?:we're|we\s+are|i'm|i\s+am)\s+(?:always\s+)?here\b[^.!?]{0,20}?\bif\s+you\s+need\b",
    r"\blet\s+(?:us|me)\s+know\s+if\s+not\b",
    r"\b(?:happy|glad)\s+to\s+help\s+further\b",
    r"\bif\s+there(?:'s|\s+is)\s+anything\s+else\b",
    r"^\W*anything\s+else,?\s+(?:just\s+)?(?:let\s+(?:us|me)\s+know|ask|shout|give\s+us)\b",
    r"^\W*any\s+(?:other\s+|more\s+|further\s+)?(?:issues?|problems?|questions?|trouble)\W+(?:just\s+)?"
    r"(?:let\s+(?:us|me)\s+know|shout|ask|reach\s+out)\b",
    r"\b(?:happy|glad)\s+to\s+help\s+with\s+anything\s+else\b",
    r"\bany\s+(?:other|more|further)\s+questions?\b[^.!?]{0,20}?\b(?:just\s+)?(?:ask|let\s+us\s+know|"
    r"reach\s+out)\b",
)
# "We're here to help" offers further help only at the close; as an opener it leads a request.
CLOSING_HELP = _compile(
    r"^\W*always\s+(?:here|happy|glad)\s+to\s+(?:help|assist)\b",
    r"\b(?:we're|we\s+are|i'm|i\s+am)\s+(?:always\s+)?(?:here|happy|glad|available)\s+"
    r"(?:to\s+(?:help|assist|ensure)|if\s+you|for\s+you|should\s+you)\b",
    r"\b(?:we'll|we\s+will|i'll|i\s+will)\s+be\s+(?:glad|happy|here)\s+to\s+(?:help|assist)\b",
    r"\b(?:available|ready|dedicated)\b[^.!?]{0,40}?\bto\s+(?:help|assist)(?:ing)?\s+you\b",
)

# Choices of route (phone or chat, this link or a DM). Not in the case layer's options
# detector on purpose: a route is not a remedy the playbook's "offer options" step waits for.
ALTERNATIVES = _compile(
    r"\b(?:at|via|through|by)\s+[^.!?]{1,100}?\bor\s+(?:through|via|by|at|using|on)\s",
    r"\bor\s+(?:via\s+|through\s+|using\s+)?(?:our\s+|the\s+)?(?:\{\{[^}]{1,40}\}\}|"
    r"live\s+chat)",
    r"\byou\s+(?:can|could)\b[^.!?]{1,100}?\bor\s+you\s+(?:can|could)\b",
    r"\b(?:by|via)\s+(?:phone|email|chat|dm|live\s+chat|calling)\s+or\s+(?:by\s+|via\s+)?"
    r"(?:phone|email|chat|dm|live\s+chat|calling|sending)",
    r"\bor\s+by\s+(?:phone|calling|email|dialing|sending|using)\b",
    r"\b(?:visiting|calling|using|contacting|emailing)\b[^.!?]{1,100}?\bor\s+(?:reaching|"
    r"calling|contacting|using|visiting|sending)\b",
    r"\bif\s+you\s+prefer\b",
    r"\byou\s+can\s+also\b",
    r"\beither\s+by\b[^.!?]{1,80}\bor\b",
)

BLAME = _compile(
    r"\b(?:that's|that\s+is|it's|it\s+is)\s+because\s+you\b",
    r"\byou\s+(?:should|shouldn't|should\s+not|ought\s+to)(?:'ve|\s+have)\b",
    r"\byou\s+should've\b",
    r"\byou\s+(?:failed|neglected|forgot)\s+to\b",
    r"\byou\s+(?:didn't|did\s+not|never)\s+(?:read|follow|check|provide|tell|pay|update|"
    r"enter|give|bother)\b",
    r"\b(?:it's|it\s+is|it\s+was|that's|that\s+is|this\s+is)\s+(?:entirely\s+|all\s+)?"
    r"your\s+(?:own\s+)?(?:fault|mistake|problem|responsibility)\b",
    r"\bif\s+you\s+had\s+(?:read|followed|checked|paid|listened|provided)\b",
    r"\byou\s+were\s+(?:supposed|told|warned)\b",
    r"\buser\s+error\b",
    r"\byou\s+(?:caused|broke|messed\s+up)\b",
    r"\bwhy\s+(?:didn't|did)\s+you\b",
)

DEFENSIVE = _compile(
    r"\b(?:it's|it\s+is|that's|that\s+is|this\s+is|it\s+was)\s+not\s+(?:my|our)\s+"
    r"(?:fault|problem|responsibility|issue)\b",
    r"\bnot\s+(?:my|our)\s+fault\b",
    # Common deflections written from first principles (docs/coach.md):
    r"\bnothing\s+(?:more|else|further)\s+(?:i|we)\s+can\s+do\b",
    r"\b(?:outside|beyond)\s+(?:of\s+)?(?:our|my)\s+control\b",
    r"\b(?:handled|managed|dealt\s+with)\s+by\s+(?:the\s+)?\w+(?:\s+\w+)?,?\s+not\s+(?:us|me)\b",
    r"\byou(?:'ll|\s+will)\s+(?:need|have)\s+to\s+(?:contact|reach\s+out\s+to|speak\s+(?:to|with)|"
    r"ask|take\s+(?:it|this|that)\s+up\s+with)\s+(?:the\s+|your\s+)?(?:manufacturer|seller|bank|"
    r"courier|carrier|retailer|merchant|airline|provider|vendor|them)\b",
    r"\b(?:that's|that\s+is|this\s+is)\s+a\s+matter\s+for\b",
    r"\b(?:we|i)\s+followed\s+(?:the\s+)?(?:correct|proper|standard|right|usual)\s+(?:procedure|"
    r"process|steps|protocol)\b",
    r"\b(?:as\s+per|according\s+to|under)\s+(?:our\s+)?(?:terms|t&cs?|policy|policies|rules)\b"
    r"[^.!?]*\b(?:not\s+possible|cannot|can't|unable|not\s+able|no\s+refunds?)\b",
    r"\bnot\s+something\s+(?:we|i)\s+can\s+(?:change|do|help\s+with|control)\b",
    r"\b(?:can't|cannot|can\s+not)\s+be\s+held\s+(?:responsible|liable)\b",
    r"\b(?:is|are)\s+the\s+responsibility\s+of\b|\bresponsibility\s+(?:lies|rests)\s+with\b",
    r"\b(?:not|isn't|is\s+not)\s+(?:an\s+issue\s+|a\s+problem\s+)?on\s+our\s+(?:end|side)\b",
    r"\bnothing\s+(?:i|we)\s+can\s+do\b",
    r"\b(?:i'm|i\s+am)\s+(?:just|only)\s+(?:doing\s+my\s+job|following|the\s+messenger)\b",
    r"\b(?:we|i)\s+(?:did|have\s+done)\s+nothing\s+wrong\b",
    r"\b(?:we|i)\s+(?:are|am)\s+not\s+(?:responsible|liable|to\s+blame)\b",
    r"\b(?:you're|you\s+are)\s+(?:wrong|mistaken)\b",
    r"\bthat's\s+(?:simply\s+)?not\s+true\b",
    r"\bthere(?:'s|\s+is)\s+nothing\s+wrong\s+with\s+(?:our|the)\b",
    r"\bthat(?:'s|\s+is)\s+(?:just\s+)?how\s+it\s+(?:is|works)\b",
    r"\b(?:we're|we\s+are|i'm|i\s+am)\s+only\s+(?:obligated|required|responsible)\b",
    r"\b(?:we|i)\s+(?:cannot|can't|can\s+not)\s+(?:change|do\s+anything\s+about)\s+"
    r"(?:it|that|this)\b",
    r"\b(?:didn't|did\s+not)\s+(?:recall|say|promise)\b",
    # The fault or the duty put on someone else, or a rule quoted at the customer.
    r"\b(?:the|your|their)\s+(?:seller|carrier|courier|airline|manufacturer|bank|merchant|"
    r"retailer|provider|store|driver|partner|third[-\s]party)\s+(?:is|are)\s+(?:\w+\s+)?"
    r"responsible\b",
    r"\byou\s+(?:are|were|will\s+be)\s+subject\s+to\b",
    r"\bto\s+qualify\b[^.!?]*\byou\s+(?:would\s+have|would\s+need|had|have|need)\s+to\b",
    r"^\W*but\s+we\s+(?:do|did|always|only)\s+(?:follow|comply|adhere|meet|apply)\b",
    r"\bsorry\s+(?:that\s+)?you\s+feel\s+(?:this|that)\s+way\b",
)

_POLICY = re.compile(
    r"\b(?:(?:our|company|the|store|refund|return)\s+)?polic(?:y|ies)\s+(?:is|are|states?|says|"
    r"does\s+not|doesn't|do\s+not|don't|won't|prohibits?|requires?|only)\b|"
    r"\b(?:it's|it\s+is|that's|that\s+is)\s+(?:our|company|the)\s+policy\b|"
    r"\b(?:against|per|according\s+to)\s+(?:our|company|the)\s+policy\b|\brules\s+are\s+rules\b",
    _FLAGS,
)
_REASON = re.compile(
    r"\b(?:because|since|so\s+that|so\s+we|in\s+order\s+to|to\s+(?:protect|keep|make\s+sure|"
    r"ensure|prevent)|for\s+(?:your|security|safety|privacy)|as\s+it)\b",
    _FLAGS,
)

DISMISSIVE = _compile(
    r"\bcalm\s+down\b",
    r"\bas\s+(?:mentioned|stated|explained|noted|advised)\s+(?:before|earlier|previously|above)\b",
    r"\b(?:there's|there\s+is)\s+no\s+need\s+to\s+(?:get\s+)?(?:upset|angry|worked\s+up|shout|"
    r"be\s+rude)\b",
    r"\b(?:just\s+)?relax\b",
    r"\b(?:as|like)\s+(?:i|we)\s+(?:already\s+|have\s+|had\s+)*(?:said|stated|mentioned|"
    r"explained|told\s+you)\b",
    r"\bas\s+(?:previously|already)\s+(?:stated|mentioned|explained)\b",
    r"\bper\s+my\s+(?:last|previous)\b",
    r"\bobviously\b",
    r"\bclearly\s+you\b",
    r"\byou\s+(?:need|have)\s+to\s+understand\b",
    r"\bwith\s+all\s+due\s+respect\b",
    r"\b(?:it's|it\s+is|this\s+is)\s+(?:not\s+(?:a|that)\s+big\s+(?:a\s+)?deal|no\s+big\s+deal)\b",
    r"\byou(?:'re|\s+are)\s+(?:overreacting|being\s+(?:dramatic|unreasonable|ridiculous))\b",
    r"\b(?:i\s+)?(?:don't|do\s+not)\s+know\s+what\s+else\s+to\s+tell\s+you\b",
    r"\bif\s+you\s+say\s+so\b",
    r"\bwhatever\s+you\s+say\b|^\W*whatever\W*$",
    r"\bread\s+(?:the|our)\s+(?:faq|terms|manual|instructions)\b",
)

JARGON = _compile(
    r"(?-i:\b(?:SLA|RMA|CRM|JIRA|KBA?|SKU|RCA|MTTR|NPS)s?\b)",
    r"(?-i:\b[A-Z]{2,}_[A-Z0-9_]{2,}\b)",  # internal error and policy codes ("ERR_502")
    r"\b(?:L[123]|tier[-\s][123]|P[0-4]|sev[-\s]?[1-4])\s+(?:team|support|ticket|queue|issue|"
    r"agent|escalation)\b",
    r"\b(?:back-?end|upstream|downstream)\s+(?:team|system|issue|error|ticket)\b",
    r"\b(?:escalation\s+matrix|ticketing\s+system|internal\s+ticket|sync\s+job|provisioning|"
    r"auth\s+token|error\s+code\s+[A-Z0-9_-]+|root\s+cause\s+analysis|disposition\s+code)\b",
    r"\bpolicy\s+(?:code|section|clause)\s+[\w.-]+\b",
)

OVER_PROMISE = _compile(
    r"\b(?:this|it|that)\s+will\s+never\s+happen\s+again\b",
    r"\bnever\s+happen(?:s)?\s+again\b",
    r"\b(?:won't|will\s+not)\s+(?:ever\s+)?happen\s+again\b",
    r"\b(?:i|we)\s+(?:can\s+)?(?:100%\s+|personally\s+|absolutely\s+)?guarantee\b",
    r"\b(?:i|we)\s+promise\b",
    r"\b100\s*%\s+(?:sure|certain|guaranteed|fixed|resolved)\b",
    r"\bwithout\s+fail\b",
    r"\bwill\s+(?:definitely|certainly|absolutely)\s+(?:be\s+)?(?:fixed|resolved|sorted|work|arrive|"
    r"delivered|there)\b",
    r"\brest\s+assured,?\s+(?:that\s+)?(?:it|this|your\s+\w+|everything|any\s+\w+(?:\s+\w+)?)\s+"
    r"will\s+(?:be\s+)?(?:fixed|resolved|sorted|made|done|arrive|delivered|work)\b",
    # The second targeted sample's tuning half (GUIDE.md):
    r"\bsave\s+the\s+day\b",
    r"\b(?:will|'ll)\s+(?:definitely\s+|absolutely\s+)?find\s+(?:a|the)\s+solution\s+(?:today|"
    r"tonight|now|right\s+away)\b",
)

HARSH_BOUNDARY = _compile(
    r"\bshut\s+up\b",
    r"\bhow\s+dare\s+you\b",
    r"\bwatch\s+your\s+(?:mouth|language|tone)\b",
    r"\bgrow\s+up\b",
    r"\b(?:i|we)\s+(?:don't|do\s+not)\s+have\s+to\s+(?:take|put\s+up\s+with|listen\s+to)\b",
    r"\bstop\s+(?:being\s+(?:rude|abusive|childish|ridiculous)|yelling|shouting|whining|"
    r"swearing|screaming)\b",
    r"\byou(?:'re|\s+are)\s+(?:being\s+)?(?:rude|abusive|childish|pathetic|unreasonable)\b",
    r"\bdon't\s+(?:talk|speak)\s+to\s+me\s+like\s+that\b",
    r"\b(?:go\s+elsewhere|take\s+your\s+business\s+elsewhere)\b",
)


# Extensions of the case layer's moves, found on the coach's evaluation replies (tuning half):
# the coach counts a move when either the case layer's detector or these see it.
EMPATHY_MORE = _compile(
    r"\b(?:that|this|it)\s+(?:does\s+not|doesn't|do\s+not|don't)\s+sound\s+(?:\w+\s+)?"
    r"(?:good|great|right|fun|ideal|pleasant)\b",
    r"\b(?:that's|that\s+is|this\s+is)\s+(?:no\s+fun|never\s+(?:good|fun|nice)|not\s+(?:good|fun))\b",
    r"\b(?:we|i)\s+(?:don't|do\s+not)\s+like\s+(?:to\s+)?hear(?:ing)?\s+(?:this|that|about)\b",
    r"\b(?:we|i)\s+know\s+how\s+(?:important|frustrating|annoying|stressful|upsetting|much)\b",
    r"\b(?:i|we)\s+(?:\w+\s+)?hear\s+your\s+(?:concerns?|frustration|worr\w+)\b",
    r"\b(?:i|we)\s+(?:\w+\s+)?comprehend\s+(?:the|your|how)\s+(?:\w+\s+)?(?:frustrat\w*|"
    r"urgen\w*|concerns?|disappoint\w*|worr\w*|stress\w*|eager\w*|anxi\w*|inconvenien\w*)",
    r"^\W*(?:sad|annoying|frustrating|not\s+good|oh\s+no),?\s+indeed\b",
    # Third draw's tuning half (GUIDE.md):
    r"\b(?:that's|that\s+is|this\s+is|that\s+seems|this\s+seems)\s+(?:very\s+|really\s+|so\s+)?"
    r"(?:strange|odd|unusual|weird|concerning|worrying|unfortunate|not\s+(?:good|right|ok(?:ay)?))\b",
    r"\b(?:we|i)\s+hate\s+to\s+(?:hear|see|read|learn)\b",
    r"^\W*(?:what|such)\s+a\s+(?:pain|hassle|nightmare|bummer|shame|letdown)\b",
    r"\bnot\s+the\s+experience\s+(?:we|you\s+should)\b",
    r"\b(?:we|i)\s+(?:totally\s+|completely\s+|really\s+)?get\s+(?:it|how|why|your\s+frustration)\b",
    r"\bnot\s+what\s+we\s+(?:want|like)\s+to\s+hear\b",
    r"\b(?:that's|that\s+is|this\s+is)\s+(?:just\s+|truly\s+|really\s+)?the\s+worst\b",
    r"\bsounds\s+like\s+(?:a|an)\s+(?:\w+\s+)?(?:nightmare|ordeal|hassle|pain|headache|mess)\b",
    r"^\W*(?:what|such)\s+an?\s+(?:\w+\s+)?(?:frustrating|annoying|stressful|upsetting|"
    r"disappointing|awful|terrible)\b",
    r"\b(?:i|we)\s+can\s+(?:tell|see)\s+(?:this|that|it|how|you)\b[^.!?]{0,40}\b(?:stress\w*|"
    r"frustrat\w*|upset\w*|difficult|hard|worr\w*|annoy\w*)",
    r"\b(?:that's|that\s+is|it's)\s+a\s+lot\s+to\s+(?:deal\s+with|handle|go\s+through)\b",
    r"\b(?:we|i)(?:'d|\s+would)\s+(?:be|feel)\s+(?:\w+\s+)?(?:upset|frustrated|annoyed|angry|"
    r"disappointed|the\s+same)\b",
    r"\b(?:totally|completely)\s+get\s+(?:why|how|it)\b",
    r"\bwe\s+can\s+(?:only\s+)?imagine\b",
    r"\b(?:what|that's|that\s+is|such)\s+a\s+bummer\b|^\W*bummer\b",
    r"\b(?:we|i)\s+feel\s+your\s+(?:pain|frustration)\b",
    r"\b(?:that's|that\s+is|this\s+is)\s+(?:really\s+|so\s+)?(?:rough|tough|not\s+cool)\b",
    r"\b(?:bummed|gutted|saddened|concerned|sad)\s+to\s+(?:hear|see|read|learn)\b",
    r"\bnot\s+the\s+news\s+we\s+(?:like|want|hope)\b",
    r"\b(?:we|i)\s+hate\s+that\b|^\W*hate\s+to\s+(?:hear|see|read)\b",
    r"\b(?:we|i)\s+never\s+want\s+you\s+to\s+feel\b",
    r"^\W*(?:sounds|how)\s+(?:really\s+|so\s+|very\s+)?(?:frustrating|annoying|stressful|awful|"
    r"terrible|rough|tough|disappointing|upsetting)\b",
    r"\b(?:that's|that\s+is|this\s+is)\s+no\s+good\b",
    r"^\W*(?:we|i)\s+(?:totally\s+|completely\s+)?understand(?:\W*$|\s*[,;]|\s+and\b)|"
    r"^\W*(?:totally\s+|completely\s+)?understandable\b",
    r"\bnot\s+the\s+news\s+(?:we|you)\s+(?:wanted|hoped|were\s+hoping)\b",
    r"\b(?:we|i)(?:'d|\s+would)\s+hate\s+for\s+you\s+to\b",
    r"\b(?:we|i)\s+know\s+(?:you\s+were|how\s+much\s+you\s+were)\s+looking\s+forward\b",
    r"\b(?:waiting|delays?|this|that)\s+(?:is|isn't|are)\s+no\s+fun\b",
    r"\byour\s+(?:concern|frustration|disappointment|worry|anger|reaction)\s+is\s+(?:completely\s+|"
    r"totally\s+|very\s+)?(?:understandable|valid|fair|justified)\b",
    r"\bi\s+(?:completely|totally|fully)\s+understand\s*(?:[.!]|$)",
    r"\b(?:that's|that\s+is|it's|it\s+is)\s+(?:totally\s+|completely\s+|very\s+)?understandable\b",
    r"\b(?:this|that|it)\s+(?:isn't|is\s+not|wasn't|was\s+not)\s+ideal\b",
    r"\bi\s+know\s+(?:the|that)\s+feeling\b",
    r"\bnot\s+happy\s+to\s+(?:hear|see|read)\b",
    r"\bsounds\s+like\s+you(?:'re|\s+are|'ve|\s+have)\s+(?:been\s+)?(?:experiencing|having|facing|"
    r"dealing|going\s+through|struggling|encountering|had)\b",
    r"\bunderstand\s+your\s+(?:\w+\s+)?(?:anticipation|eagerness|curiosity|impatience|"
    r"excitement|situation)\b",
    # The second targeted sample's tuning half: "we understand" as the case layer reads "I
    # understand" (a feeling or situation, not a restated request).
    r"\bwe\s+(?:(?:completely|totally|fully|really|do)\s+)?understand\s+"
    r"(?!(?:that\s+)?(?:you(?:'re|\s+are)?|your)\s+(?:\w+\s+)?(?:need|want|would\s+like|"
    r"require|looking|expect|desire|interest|request|anticipat|in\s+the\s+process))"
    r"(?:how|why|what|that|your|this|it's|you(?:'re|\s+are)|the\s+frustration)\b",
)
# Listening in so many words, beyond the case layer's ("tell me more", "if I understand
# correctly"): the reply names what the customer said as theirs.
LISTENING_MORE = _compile(
    # Not "we saw that you mentioned us": that is a brand noticing its name, not the matter.
    r"\byou(?:'ve)?\s+(?:mentioned|said|noted|described|pointed\s+out|asked\s+about|told\s+us)\b"
    r"(?!\s+us\b)",
    r"\bif\s+i'?m\s+understanding\b|\bjust\s+so\s+i\s+understand\b",
    r"\bas\s+you\s+(?:said|mentioned|noted|described)\b",
)
# Thanks the case layer's detector does not see: an agent's "TY" sign-off ("TY - Chris") and
# appreciation of what the customer sent ("we appreciate those details").
THANKS_MORE = _compile(
    r"(?:^|\s)(?-i:TY|Ty)(?=\s*(?:[-–~^*/,.!]|$))",  # case matters: not "ty" inside a name
    r"\b(?:we|i)\s+(?:really\s+|truly\s+|do\s+)?appreciate\s+(?:the|those|these|this|that|"
    r"all)\b|\b(?:gracias|danke|merci)\b",
    r"\b(?:thx|thanx|tnx)\b|\bthank\s+u\b|\bmuch\s+appreciated\b|\bcheers\s+for\b",
)
# "I understand that you are trying to reset it" restates a request; not a feeling.
_RESTATED = re.compile(
    r"\b(?:i|we)\s+(?:\w+\s+)?understand\s+(?:that\s+)?(?:you(?:'re|\s+are)?|your)\s+(?:\w+\s+)?"
    r"(?:trying|seeking|intention|intend|wish|planning|plan|hoping|curious|keen|asking|waiting|"
    r"interested|looking|requesting)\b",
    _FLAGS,
)
_FEELING_WORD = re.compile(
    r"\b(?:frustrat\w*|upset\w*|difficult\w*|concern\w*|worr\w*|inconvenien\w*|disappoint\w*|"
    r"annoy\w*|stress\w*|troubl\w*|sorry|confus\w*|urgen\w*|eager\w*|anxi\w*)\b",
    _FLAGS,
)
APOLOGY_MORE = _compile(
    r"\bapologies\s+(?:on|about|regarding|over)\b",
    r"\bsorry\s+to\s+(?:disappoint|keep\s+you|have\s+kept\s+you)\b",
    r"\b(?:i|we)\s+(?:do|truly|sincerely|really|deeply)\s+apologi[sz]e\b",
    r"\b(?:it|that|this)\s+was\s+(?:a|our|my)\s+(?:mistake|error|fault)\b",
    r"^\W*(?:(?:hi|hello|hey)\b[^.!?]{0,30}?)?(?:so\s+)?sorry\s+(?:about|your|you\b"
    r"(?!\s+(?:feel|felt|think|thought|believe)))",
    r"\bmy\s+bad\b|\bsorry\s+'?bout\b|\b(?:we|i)\s+owe\s+you\s+an\s+apology\b",
    r"\bsorry,?\s+(?:that|this|it)\s+(?:should(?:n't|\s+not)|wasn't|was\s+not|isn't|is\s+not)\b",
    r"^\W*(?:(?:hi|hello|hey)\b[^.!?]{0,30}?)?(?:so\s+|very\s+|really\s+)?sorry\s+(?:the|this|that|it)\b"
    r"(?!\s+(?:to|you)\b)",
    r"\bplease\s+(?:forgive|excuse)\s+(?:the|our|my)\b",
    r"\b(?:we|i)\s+(?:deeply\s+|sincerely\s+|truly\s+)?regret\s+(?:the|any|this|that)\b",
    r"^\W*(?:so|very|really|terribly|truly)\s+sorry\W*$",
    r"^\W*(?:my|our|sincere|sincerest|many)?\s*apologies\b(?!\s+if\b)",
    r"\b(?:that's|that\s+is|this\s+is|it's|it\s+is)\s+on\s+(?:us|me)\b",
    r"\b(?:i'm|i\s+am|we're|we\s+are)\s+(?:genuinely|truly|really|very|so)\s+sorry\b"
    r"(?!\s+to\s+(?:hear|see|read|learn))",
)
# Remedies offered without the case layer's wording: "happy to give you an extra one",
# "replacement/refund options".
OPTIONS_MORE = _compile(
    r"\b(?:happy|glad|able)\s+to\s+(?:give|send|offer|credit|refund|replace|quote)\b",
    r"\b(?:replacement|refund|return|exchange)\s*(?:and\s*/\s*or|/|\bor\b)\s*(?:replacement|refund|"
    r"return|exchange)\b",
    r"\byou\s+can\s+(?:still\s+|also\s+)?[^.!?]{0,60}\binstead\b",
    r"\b(?:it's|it\s+is)\s+up\s+to\s+you\b",
    r"\bwhichever\s+you\s+(?:prefer|like|choose)\b",
    r"\bchoose\s+between\b|\bchoice\s+(?:of|between)\b",
    r"\bif\s+you(?:'d|\s+would)\s+(?:rather|prefer)\b",
    r"\b(?:return|exchange|swap|replace|refund|repair)\s+(?:it|them)\s+or\s+(?:\w+\s+)?(?:return|"
    r"exchange|swap|replace|refund|repair)\b",
    r"\b(?:we|i)\s+(?:can|could|will)\s+(?:also\s+)?(?:offer|issue|give)\s+(?:you\s+)?(?:a|an)\s+"
    r"(?:\w+%?\s+)?(?:full\s+|partial\s+)?(?:refund|discount|voucher|credit|replacement|upgrade|"
    r"gift\s+card)\b",
    r"\b(?:we|you)\s+(?:could|can)\s+also\b",
    r"\b(?:refund|replacement|credit|exchange|repair)\b[^.!?]{0,40}\bor\b[^.!?]{0,20}?\b(?:refund|"
    r"replacement|credit|exchange|repair|new\s+one)\b",
    r"\b(?:do|would)\s+you\s+prefer\b[^.!?]*\bor\b",
)
# Not an apology: regret for the customer's view, not for what happened.
_NON_APOLOGY = re.compile(
    r"\b(?:apologi[sz]e|sorry)\s+(?:that\s+|if\s+)?you\s+(?:think|feel|felt|thought|believe)\b",
    _FLAGS,
)
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
    found = []
    for s in sentences(text):
        if _NOT_A_FACT.search(s.text):
            continue
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


def _extend(found: dict[str, list[Evidence]], text: str) -> None:
    """The coach's additions to the case layer's moves (see EMPATHY_MORE and below)."""
    empathy = _union(found["empathy"], _guarded(EMPATHY_MORE)(text))
    found["empathy"] = [
        e for e in empathy if not (_RESTATED.search(e.text) and not _FEELING_WORD.search(e.text))
    ]
    apology = _union(found["apology"], _guarded(APOLOGY_MORE)(text))
    found["apology"] = [e for e in apology if not _NON_APOLOGY.search(e.text)]
    clarifying = _union(found["clarifying_question"], _clarifying_more(text))
    found["clarifying_question"] = [e for e in clarifying if not _NOT_A_FACT.search(e.text)]
    found["next_steps"] = _union(found["next_steps"], _next_steps_more(text))
    found["thanks"] = _union(found["thanks"], _guarded(THANKS_MORE)(text))
    found["listening"] = _union(found["listening"], _guarded(LISTENING_MORE)(text))
    found["options_offered"] = _union(found["options_offered"], _guarded(OPTIONS_MORE)(text))


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


def _guarded(
    patterns: tuple[re.Pattern[str], ...], *, guard: bool = True
) -> Callable[[str], list[Evidence]]:
    gate = any_of(patterns)

    def detect(text: str) -> list[Evidence]:
        found = []
        for s in sentences(text):
            if gate is not None and not gate.search(s.text):
                continue
            for pattern in patterns:
                m = pattern.search(s.text)
                if m and not (guard and _negated(s.text, m.start())):
                    found.append(s)
                    break
        return found

    return detect


def _negated(sentence: str, at: int) -> bool:
    before = INTERJECTION.sub(" ", sentence[:at]).split()[-3:]
    return any(_NEGATION.search(word) for word in before)


def policy_without_reason(text: str) -> list[Evidence]:
    """A policy quoted as the answer, with no reason given in the same sentence."""
    return [s for s in sentences(text) if _POLICY.search(s.text) and not _REASON.search(s.text)]


def _defensive(text: str) -> list[Evidence]:
    seen = {(e.start, e.end) for e in policy_without_reason(text)}
    found = list(policy_without_reason(text))
    found += [e for e in _guarded(DEFENSIVE, guard=False)(text) if (e.start, e.end) not in seen]
    return sorted(found, key=lambda e: e.start)


COACH_DETECTORS: dict[str, Detector] = {
    "invites_input": _guarded(INVITES_INPUT),
    "further_help": _guarded(FURTHER_HELP),
    "blame": _guarded(BLAME, guard=False),
    "defensive": _defensive,
    "dismissive": _guarded(DISMISSIVE, guard=False),
    "jargon": _guarded(JARGON, guard=False),
    "over_promise": _guarded(OVER_PROMISE, guard=False),
    "harsh_boundary": _guarded(HARSH_BOUNDARY, guard=False),
}


def _closing_help(text: str) -> list[Evidence]:
    last = list(sentences(text))[-1:]
    return [s for s in last if any(p.search(s.text) for p in CLOSING_HELP)]


def detect_all(text: str) -> dict[str, list[Evidence]]:
    """Every detector (the case layer's and the coach's) over one draft, with spans whose
    text is the draft's own (``text[start:end]``)."""
    clean = blank_noise(text)
    found = {name: detector(clean) for name, detector in DETECTORS.items()}
    found.update({name: detector(clean) for name, detector in COACH_DETECTORS.items()})
    found["further_help"] = _union(found["further_help"], _closing_help(clean))
    found["alternatives"] = _guarded(ALTERNATIVES)(clean)
    _extend(found, clean)
    return {
        name: [Evidence(e.start, e.end, text[e.start : e.end]) for e in spans]
        for name, spans in found.items()
    }


def _union(a: list[Evidence], b: list[Evidence]) -> list[Evidence]:
    return sorted(set(a) | set(b), key=lambda e: (e.start, e.end))
