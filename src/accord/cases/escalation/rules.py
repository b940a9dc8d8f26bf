"""Escalation and routing rules: the YAML schema and the pure evaluation of conditions.

A rule fires once per conversation when all its conditions hold; its actions are carried out by
`escalation_service`. Levels say how far a conversation has been escalated (1: senior agent or
supervisor, 2: management/legal); a higher level can still fire after a lower one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from accord.core.errors import ValidationFailed
from accord.core.yaml_model import load_model
from accord.inbox.terms import Priority

_STRICT = ConfigDict(frozen=True, extra="forbid")


class Conditions(BaseModel):
    """All given conditions must hold."""

    model_config = _STRICT

    min_heat: float | None = Field(default=None, ge=0, le=100)
    min_severity: int | None = Field(default=None, ge=0, le=4)
    any_signal: frozenset[str] | None = None
    min_abusive_messages: int | None = Field(default=None, ge=1)
    trajectory: Literal["escalating", "stable", "de-escalating"] | None = None
    min_escalation_risk: float | None = Field(default=None, ge=0, le=1)
    sla: Literal["warning", "breached"] | None = None


class Actions(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", use_enum_values=True)

    raise_priority: Priority | None = None
    move_to_team: str | None = None
    assign: Literal["supervisor", "de_escalation"] | None = None
    handoff_note: bool = False
    notify: bool = False
    block_customer: bool = False


class Rule(BaseModel):
    model_config = _STRICT

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")
    level: int = Field(default=1, ge=1, le=5)
    when: Conditions
    actions: Actions


class Routing(BaseModel):
    model_config = _STRICT

    topics: dict[str, str] = {}  # topic -> team slug
    trainee_max_heat: float = Field(default=60, ge=0, le=100)
    de_escalation_skill: str = "de-escalation"


BOUNDARY_REPLY = (
    "I want to help you get this sorted, and I will. I do need our conversation to stay "
    "respectful, though: I can't continue if the language stays abusive. Let's focus on the "
    "problem, and here is what I can do next."
)


class Boundaries(BaseModel):
    """When a customer message counts as abusive (the engine's `abuse_severity`: 1 profanity,
    2 insult, 3 threat), whether agents see profanity masked, and the reply suggested to set a
    boundary. What happens on repeated abuse (a supervisor, blocking) is up to the rules."""

    model_config = _STRICT

    abusive_min_severity: int = Field(default=2, ge=1, le=3)
    mask_for_agents: bool = True
    suggested_reply: str = Field(default=BOUNDARY_REPLY, min_length=1, max_length=2000)


class RuleSet(BaseModel):
    model_config = _STRICT

    routing: Routing = Routing()
    boundaries: Boundaries = Boundaries()
    rules: list[Rule] = []


@dataclass(frozen=True)
class Situation:
    """What the rules look at, gathered from the stored analysis, case and SLA timers."""

    heat: float = 0.0
    max_severity: int = 0
    signals: frozenset[str] = frozenset()
    abusive_messages: int = 0
    trajectory: str = "stable"
    escalation_risk: float = 0.0
    sla_states: frozenset[str] = field(default_factory=frozenset)


def holds(when: Conditions, s: Situation) -> bool:
    checks = (
        when.min_heat is None or s.heat >= when.min_heat,
        when.min_severity is None or s.max_severity >= when.min_severity,
        when.any_signal is None or bool(when.any_signal & s.signals),
        when.min_abusive_messages is None or s.abusive_messages >= when.min_abusive_messages,
        when.trajectory is None or s.trajectory == when.trajectory,
        when.min_escalation_risk is None or s.escalation_risk >= when.min_escalation_risk,
        when.sla is None or when.sla in s.sla_states,
    )
    return all(checks)


def firing(rules: RuleSet, situation: Situation, already: frozenset[str]) -> list[Rule]:
    """Rules whose conditions hold and that have not fired for this conversation yet."""
    return [r for r in rules.rules if r.name not in already and holds(r.when, situation)]


def parse_rules(text: str) -> RuleSet:
    ruleset = load_model(text, RuleSet, "escalation rules")
    names = [r.name for r in ruleset.rules]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ValidationFailed(f"invalid escalation rules: duplicate rule names {dupes}")
    return ruleset
