"""How much each criterion matters in this situation (the analysis and the playbook stage).

Practices share the score in proportion to their weight (0 means "does not apply here"), so a
reply is judged on what this customer needs now: an apology weighs most at severity 3-4 or when
the company is at fault, a boundary only counts with abuse, a clarifying question only while
facts are missing, options and next steps fade once the customer is confirming the fix.
Violations take points off; in a heated conversation they cost half as much again.
"""

from __future__ import annotations

from collections.abc import Callable

from accord.coach.types import CoachContext

__all__ = ["PENALTIES", "penalty_factor", "practice_weights", "situation"]

NEGOTIABLE = frozenset({"refund", "replacement", "repair", "compensation", "cancellation"})
EARLY_STAGES = frozenset({"identify_cause", "listen", "clarify", "understand_pain"})
CLOSING_STAGES = frozenset({"confirm", "thank", "follow_up", "learn"})
HOT = 70.0

PENALTIES: dict[str, float] = {
    "blame": 20.0,
    "defensive": 15.0,
    "dismissive": 20.0,
    "jargon": 8.0,
    "over_promise": 12.0,
    "mirroring": 25.0,
    "harsh_boundary": 25.0,
}


def _apology(ctx: CoachContext) -> float:
    if ctx.severity >= 3:
        return 3.0
    if ctx.company_at_fault or ctx.severity == 2:
        return 2.0
    if not ctx.has_conversation:
        return 1.0
    return 0.5 if ctx.severity == 1 or ctx.heat >= 40 else 0.0


def _empathy(ctx: CoachContext) -> float:
    if not ctx.has_conversation:
        return 1.5
    return 1.0 + (ctx.heat >= 40 or ctx.severity >= 2) + (ctx.heat >= HOT)


def _options(ctx: CoachContext) -> float:
    if ctx.stage in CLOSING_STAGES:
        return 0.0
    if ctx.stage in EARLY_STAGES and ctx.missing_facts:
        return 0.5
    base = 2.0 if ctx.remedy in NEGOTIABLE or ctx.severity >= 2 else 1.0
    return base + (ctx.stage in {"offer_options", "negotiate"})


def _next_steps(ctx: CoachContext) -> float:
    if ctx.stage in CLOSING_STAGES:
        return 0.5
    return 2.0 + (ctx.stage == "act_and_inform")


def _clarifying(ctx: CoachContext) -> float:
    if not ctx.has_conversation:
        return 0.0  # nothing to say which facts are missing
    return 2.0 if ctx.missing_facts and ctx.stage not in CLOSING_STAGES else 0.0


_WEIGHTS: dict[str, Callable[[CoachContext], float]] = {
    "boundary": lambda c: 3.0 if c.abuse else 0.0,
    "listening": lambda c: 2.0 if c.has_conversation and c.key_points else 0.0,
    "empathy": _empathy,
    "apology": _apology,
    "clarifying_question": _clarifying,
    "options": _options,
    "invites_input": lambda c: 1.0,
    "next_steps": _next_steps,
    "thanks": lambda c: 2.0 if c.stage in CLOSING_STAGES else 1.0,
    "further_help": lambda c: 2.0 if c.stage in CLOSING_STAGES else 1.0,
}


def practice_weights(ctx: CoachContext) -> dict[str, float]:
    return {name: float(weigh(ctx)) for name, weigh in _WEIGHTS.items()}


def penalty_factor(ctx: CoachContext) -> float:
    return 1.5 if ctx.heat >= HOT or ctx.abuse else 1.0


def situation(ctx: CoachContext) -> tuple[str, ...]:
    """The facts behind the weights, worded for the agent."""
    if not ctx.has_conversation:
        return ("no conversation given: general weights",)
    facts = [f"severity {ctx.severity}/4", f"heat {ctx.heat:.0f}"]
    if ctx.company_at_fault:
        facts.append("the company looks at fault")
    if ctx.abuse:
        facts.append("the customer is abusive")
    if ctx.remedy:
        facts.append(f"the customer wants: {ctx.remedy}")
    if ctx.missing_facts:
        facts.append("missing: " + ", ".join(ctx.missing_facts))
    if ctx.stage:
        facts.append(f"playbook stage: {ctx.stage}")
    return tuple(facts)
