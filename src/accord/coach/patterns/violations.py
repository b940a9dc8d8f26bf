"""Patterns of the violations: blame, defensiveness, a policy quoted without a reason,
dismissive phrases, jargon, over-promising and a harsh boundary."""

from __future__ import annotations

import re

from accord.coach.patterns import FLAGS as _FLAGS
from accord.coach.patterns import compile_group as _compile

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
    r"\byou\s+(?:entered|typed|selected|chose|picked|ordered|used|provided|gave\s+us)\s+(?:the\s+|an?\s+)?"
    r"(?:wrong|incorrect|invalid)\b",
    r"\byou\s+must\s+have\s+(?:\w+\s+){0,3}?(?:wrong|incorrectly|by\s+mistake)\b",
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
    r"\bnot\s+something\s+(?:we|i)\s+(?:can\s+)?(?:change|do|help\s+with|control|offer|provide|"
    r"handle|support)\b",
    r"\b(?:is|are)\s+between\s+you\s+and\s+(?:the\s+|your\s+)?(?:seller|merchant|retailer|bank|"
    r"store|carrier|courier|manufacturer|provider)\b",
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
    r"\bthat(?:'s|\s+is)\s+(?:just\s+|not\s+)?how\s+it\s+(?:is|works)\b",
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
    # Common deflections written from first principles (docs/coach.md).
    r"\b(?:that's|that\s+is|it's|it\s+is)\s+(?:the\s+)?(?:manufacturer|seller|courier|carrier|bank|"
    r"retailer|airline|store|provider)(?:'s|s')?\s+(?:problem|issue|responsibility|fault)\b",
    r"\b(?:out\s+of|not\s+in)\s+our\s+hands\b|\b(?:it's|it\s+is|that's|that\s+is)\s+not\s+up\s+to\s+"
    r"(?:us|me)\b",
    r"\b(?:we|i)\s+(?:can't|cannot|can\s+not)\s+control\b",
    r"\b(?:that's|that\s+is)\s+a\s+question\s+for\b",
    r"\b(?:we|i)\s+(?:did|have\s+done)\s+everything\s+(?:correctly|right|by\s+the\s+book)\b",
    r"\bnothing\s+wrong\s+(?:on|at)\s+our\s+(?:end|side)\b",
    r"\b(?:fault|blame|responsibility)\s+lies\s+with\b",
    r"\b(?:we|i)\s+(?:don't|do\s+not)\s+handle\s+(?:that|this|those)\b",
    r"\bnot\s+able\s+to\s+do\s+anything\s+(?:further|more|else)\b",
)

POLICY = re.compile(
    r"\b(?:(?:our|company|the|store|refund|return)\s+)?polic(?:y|ies)\s+(?:is|are|states?|says|"
    r"does\s+not|doesn't|do\s+not|don't|won't|prohibits?|requires?|only)\b|"
    r"\b(?:it's|it\s+is|that's|that\s+is)\s+(?:our|company|the)\s+policy\b|"
    r"\b(?:against|per|according\s+to)\s+(?:our|company|the)\s+policy\b|\brules\s+are\s+rules\b|"
    r"\b(?:those|these|that|this)\s+(?:are|is)\s+(?:the|our)\s+(?:rules?|polic(?:y|ies))\b",
    _FLAGS,
)
REASON = re.compile(
    r"\b(?:because|since|so\s+that|so\s+we|in\s+order\s+to|to\s+(?:protect|keep|make\s+sure|"
    r"ensure|prevent)|for\s+(?:your|security|safety|privacy)|as\s+it)\b",
    _FLAGS,
)

DISMISSIVE = _compile(
    r"\bcalm\s+down\b",
    r"\blet\s+me\s+repeat\b|\b(?:i've|i\s+have|we've|we\s+have)\s+already\s+(?:explained|told\s+you|"
    r"answered)\b",
    r"\b(?:it's|it\s+is|that's|this\s+is)\s+(?:just|only)\s+(?:a\s+)?(?:minor|small|little|slight|tiny)\s+"
    r"(?:delay|issue|problem|inconvenience|thing|mistake)\b",
    r"^\W*just\s+(?:follow|read)\s+the\s+(?:instructions|steps|manual|faq|guide)\b",
    r"\bas\s+(?:mentioned|stated|explained|noted|advised)\s+(?:before|earlier|previously|above)\b",
    r"(?:\b(?:there's|there\s+is)\s+|^\W*)no\s+need\s+to\s+(?:get\s+)?(?:upset|angry|worked\s+up|shout|"
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
    # Network diagnostics and carriers' internal systems a customer is not expected to know.
    r"(?-i:\b(?:ONT|AMZL)\b)|\btrace[-\s]?routes?\b|\btracert\b|\bworldtracer\b",
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
