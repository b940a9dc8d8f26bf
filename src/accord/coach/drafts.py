"""``draft(context, tone=..., policy=...)``: a reply that applies the strategies for the stage.

In order: greet by name, thank, set a boundary if the customer is abusive, restate the issue in
the customer's words, acknowledge the feeling, apologise where it is due, ask for the facts
still missing, offer the remedy options the company policy allows and ask which the customer
prefers, say what happens next and by when, thank again, offer further help. Every sentence is
one of several variants (:mod:`accord.coach.phrasebook`): ``variant`` picks them, and any
sentence in ``avoid`` (earlier drafts, what the agent already sent) is skipped, so consecutive
drafts do not repeat sentences. Each draft carries its own review by the coach. A draft never
repeats a card number, an IBAN, a password or a key the customer wrote
(:func:`accord.core.redact.mask_secrets`, as for the language model).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from accord.analysis.signals import detect as detect_signals
from accord.analysis.text import prepare
from accord.analysis.types import SignalName
from accord.cases.playbook.detectors import sentences
from accord.coach import phrasebook as pb
from accord.coach.policy import Policy
from accord.coach.review import review
from accord.coach.types import CoachContext, Review, Tone
from accord.coach.weights import CLOSING_STAGES
from accord.core.redact import mask_secrets

__all__ = ["Draft", "draft", "first_name", "remedy_options"]

MAX_ISSUE_WORDS = 25
_CONTACT = re.compile(
    r"\b(?:https?://|www\.)\S+|\S+@\S+\.\w+|\+\d[\d\s().-]{6,}\d|\(?\b\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}\b|"
    r"\b(?:[\w-]+\.)+(?:com|net|org|io|co|uk|de|fr|info|biz|xyz|example|shop|app)\b"
)


@dataclass(frozen=True, slots=True)
class Draft:
    text: str
    tone: Tone
    variant: int
    review: Review


class _Picker:
    """Chooses one variant per move, skipping sentences to avoid."""

    def __init__(self, variant: int, avoid: Iterable[str]) -> None:
        self.variant = variant
        self.avoid = {_norm(s) for s in avoid}

    def pick(self, options: Sequence[str], **values: str) -> str | None:
        if not options:
            return None
        filled = [o.format(**values) for o in options]
        # Index the allowed ones, so variants n and n + 1 still differ after a skip.
        allowed = [o for o in filled if _norm(o) not in self.avoid] or filled
        return allowed[self.variant % len(allowed)]


def _norm(sentence: str) -> str:
    return re.sub(r"\W+", " ", sentence.lower()).strip()


def first_name(ctx: CoachContext) -> str:
    name = (ctx.customer_name or "").strip()
    return name.split()[0] if name and not name.lower().startswith("customer") else name or "there"


def _issue(ctx: CoachContext) -> str | None:
    # No links, addresses or secrets echoed back; masked before the quote is cut to length,
    # so a cut can never leave part of a card number behind.
    issue = _CONTACT.sub(" ", mask_secrets(ctx.facts.get("issue", "")))
    for term in ctx.abusive_terms:  # never quote the customer's insults back at them
        issue = re.sub(re.escape(term), " ", issue, flags=re.IGNORECASE)
    words = re.sub(r"\s+", " ", _without_abuse(issue.replace('"', "'"))).strip(" ,;:-").split()
    text = " ".join(words[:MAX_ISSUE_WORDS])
    # Removing words can join two sentences ("? ? a@b.co 55" -> "? ? 55"): quote the first.
    first = next(sentences(text), None)
    return first.text if first and any(c.isalnum() for c in first.text) else None


def _noted(ctx: CoachContext, issue: str | None) -> list[str]:
    """Key points the quoted issue does not mention, so the reply reflects them all."""
    quoted = (issue or "").lower()
    # A point that masking takes out of what the customer said (a one-time code, a card
    # number) is a secret, not a detail to repeat.
    said = mask_secrets("\n".join(ctx.customer_messages)).lower()
    points = [k for k in ctx.key_points[:3] if k.lower() not in quoted and k.lower() in said]
    return [k for k in points if _without_abuse(k).strip() == k]


def _without_abuse(text: str) -> str:
    """The text with every word the engine's abuse rules flag blanked out."""
    for signal in detect_signals(prepare(text)):
        if signal.name == SignalName.ABUSE:
            for e in signal.evidence:
                text = text[: e.start] + " " * (e.end - e.start) + text[e.end :]
    return text


def _apology_due(ctx: CoachContext) -> bool:
    return ctx.severity >= 1 or ctx.company_at_fault or ctx.heat >= 40 or not ctx.has_conversation


_REMEDY_ORDER = ("refund", "replacement", "credit", "escalation")


def remedy_options(ctx: CoachContext, policy: Policy) -> list[tuple[str, str]]:
    """(short name, offer phrase) of each option the policy allows, the customer's wish first."""
    amount = ctx.facts.get("amount")
    refund = f"a refund of up to {policy.money(policy.refund_limit)}"
    if ctx.remedy == "refund" or amount:
        refund = f"a full refund of {amount}" if amount else "a full refund"
    offers = {
        "refund": (policy.refund, refund),
        "replacement": (policy.replacement, "a replacement sent out free of charge"),
        "credit": (policy.credit, f"a {policy.money(policy.credit_amount)} credit on your account"),
        "escalation": (policy.escalation, "a supervisor review of your case"),
    }
    wanted = {"compensation": "credit", "repair": "replacement"}.get(ctx.remedy or "", ctx.remedy)
    order = sorted(_REMEDY_ORDER, key=lambda k: (k != wanted, _REMEDY_ORDER.index(k)))
    return [(k, offers[k][1]) for k in order if offers[k][0]]


def _offer(ctx: CoachContext, policy: Policy, tone: Tone, p: _Picker) -> list[str | None]:
    options = remedy_options(ctx, policy)
    if ctx.stage in CLOSING_STAGES or len(options) < 2:
        return []
    (x, a), (y, b) = options[0], options[1]
    out = [p.pick(pb.OFFER[tone], a=a, b=b), p.pick(pb.INVITE[tone], x=x, y=y)]
    if ctx.escalation_requested and policy.escalation and "escalation" not in (x, y):
        out.append(p.pick(pb.ESCALATE))
    return out


def _body(ctx: CoachContext, policy: Policy, tone: Tone, p: _Picker) -> list[str | None]:
    issue = _issue(ctx)
    body = [p.pick(pb.THANKS_OPEN[tone])]
    body.append(p.pick(pb.BOUNDARY[tone]) if ctx.abuse else None)
    body.append(p.pick(pb.RESTATE[tone], issue=issue) if issue else None)
    noted = _noted(ctx, issue)
    body.append(p.pick(pb.NOTED[tone], points=", ".join(noted)) if noted else None)
    body.append(p.pick(pb.EMPATHY[tone]))
    body.append(p.pick(pb.APOLOGY[tone]) if _apology_due(ctx) else None)
    if ctx.stage not in CLOSING_STAGES:
        body += [p.pick(pb.QUESTIONS[fact]) for fact in ctx.missing_facts[:2]]
    body += _offer(ctx, policy, tone, p)
    body.append(p.pick(pb.NEXT_STEPS[tone], days=str(policy.response_days)))
    body.append(p.pick(pb.THANKS_CLOSE[tone]))
    body.append(p.pick(pb.FURTHER[tone]))
    return body


def draft(
    context: CoachContext,
    *,
    tone: Tone = "warm",
    policy: Policy | None = None,
    variant: int = 0,
    avoid: Iterable[str] = (),
) -> Draft:
    """Compose a reply for ``context``; ``variant`` n and n + 1 share no sentence."""
    policy = policy or Policy()
    picker = _Picker(variant, [*avoid, *context.agent_messages])
    greeting = picker.pick(pb.GREETING[tone], name=first_name(context))
    body = " ".join(s for s in _body(context, policy, tone, picker) if s)
    sign_off = picker.pick(pb.SIGN_OFF[tone])
    # Key points and the name are the customer's words too.
    text = mask_secrets(f"{greeting}\n\n{body}\n\n{sign_off}")
    return Draft(text, tone, variant, review(text, context))
