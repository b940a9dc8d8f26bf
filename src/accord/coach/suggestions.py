"""Concrete suggestions: what to write instead, with the customer's own facts where known."""

from __future__ import annotations

from collections.abc import Callable

from accord.coach.types import CoachContext

__all__ = ["suggest"]

_REMEDY_WORDS = {
    "refund": "a refund",
    "replacement": "a replacement",
    "repair": "a repair",
    "compensation": "a credit on your account",
    "cancellation": "cancelling without a fee",
    "escalation": "a supervisor reviewing it",
}


def _points(ctx: CoachContext) -> str:
    return ", ".join(f"'{p}'" for p in ctx.key_points[:3]) or "their main point"


def _listening(ctx: CoachContext) -> str:
    return (
        f"Restate the customer's issue in your own words and mention {_points(ctx)}, "
        "e.g. 'If I understand correctly, ...'."
    )


_QUESTIONS = {
    "order number": "Could you send me your order number so I can check it straight away?",
    "date": "When did this happen, or on which date was the order placed?",
    "wanted outcome": "What would you like us to do to put this right for you?",
}


def _clarifying(ctx: CoachContext) -> str:
    wanted = ", ".join(ctx.missing_facts) or "the missing details"
    first = ctx.missing_facts[0] if ctx.missing_facts else "order number"
    return f"Ask one calm, specific question for the {wanted}, e.g. '{_QUESTIONS[first]}'"


def _options(ctx: CoachContext) -> str:
    first = _REMEDY_WORDS.get(ctx.remedy or "", "a refund")
    second = "a replacement" if first != "a replacement" else "a refund"
    return (
        f"Offer two concrete options the policy allows, e.g. 'I can offer you {first} or "
        f"{second}. Which would you prefer?'"
    )


def _boundary(ctx: CoachContext) -> str:
    return (
        "Set the boundary politely but firmly, then keep helping: 'I want to help you with "
        "this, and to do that I need us to keep this conversation respectful.'"
    )


SUGGESTIONS: dict[str, Callable[[CoachContext], str]] = {
    "boundary": _boundary,
    "listening": _listening,
    "empathy": lambda c: (
        "Acknowledge the feeling before the fix, e.g. 'I can imagine how frustrating this "
        "has been for you.'"
    ),
    "apology": lambda c: (
        "Apologise and own it without excuses: 'I'm sorry about this - it was our mistake, "
        "and I'll put it right.'"
    ),
    "clarifying_question": _clarifying,
    "options": _options,
    "invites_input": lambda c: (
        "Invite their view: 'Would that work for you, or is there another solution you have "
        "in mind?'"
    ),
    "next_steps": lambda c: (
        "Say what happens next and by when: 'I will process this today and you will get a "
        "confirmation email within 2 business days.'"
    ),
    "thanks": lambda c: "Thank them: 'Thank you for bringing this to our attention.'",
    "further_help": lambda c: (
        "Close by offering more help: 'If there is anything else I can help with, just reply here.'"
    ),
    "blame": lambda c: (
        "Describe what happened without pointing at the customer: replace 'you should have' "
        "with what you will do now."
    ),
    "defensive": lambda c: (
        "Drop the defence; if a policy applies, give the reason behind it and what you can "
        "do instead."
    ),
    "dismissive": lambda c: (
        "Remove phrases like 'calm down' or 'as I already said'; explain again briefly and "
        "patiently."
    ),
    "jargon": lambda c: "Replace internal terms with plain words the customer uses.",
    "over_promise": lambda c: (
        "Promise only what you control: 'We are reviewing what went wrong to prevent it' "
        "instead of 'this will never happen again'."
    ),
    "mirroring": lambda c: (
        "Do not echo the customer's hostility: no insults, swearing, shouting or their "
        "abusive words; stay calm and factual."
    ),
    "harsh_boundary": lambda c: (
        "Keep the boundary polite: 'Please keep this conversation respectful so I can help "
        "you' instead of scolding."
    ),
}


def suggest(criterion: str, ctx: CoachContext) -> str:
    return SUGGESTIONS[criterion](ctx)
