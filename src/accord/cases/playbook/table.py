"""Resolution playbooks: the table that drives the case state machine, validated on load.

A playbook is YAML (see ``default.yaml`` beside this module). Each step says what to do (``title``,
``advice``), why (``why``, from the conflict-resolution seeds), where it sits (``order``) and
what completes it on its own (``completed_by``: events from the reply detectors, the analysis of
customer messages or the case itself). Three optional conditions over the case context shape
the next best action:

* ``when``: the step only applies in that situation (set boundaries only when abusive);
* ``urgent_when``: the step jumps the queue (apologise first at severity >= 3);
* ``satisfied_when``: the situation already shows the step is done (the customer confirmed).

Pure apart from :func:`default_playbook`, which reads the YAML shipped inside the package.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from accord.core.errors import NotFound, ValidationFailed
from accord.core.yaml_model import load_model

__all__ = [
    "COMPLETION_SOURCES",
    "AppliesTo",
    "CaseContext",
    "Condition",
    "Playbook",
    "Step",
    "default_playbook",
    "parse_playbook",
    "select_playbook",
]

# The events that can complete a step. Agent events come from accord.cases.playbook.detectors,
# customer and analysis events from the analysis engine, case events from the case service.
COMPLETION_SOURCES: frozenset[str] = frozenset(
    {
        "agent.apology",
        "agent.clarifying_question",
        "agent.options_offered",
        "agent.next_steps",
        "agent.thanks",
        "agent.empathy",
        "agent.listening",
        "agent.escalation_offered",
        "agent.boundary_set",
        "customer.described_issue",
        "customer.agreed",
        "customer.confirmed",
        "customer.thanked",
        "analysis.cause_identified",
        "analysis.pain_identified",
        "case.escalated",
        "case.action_taken",
        "case.follow_up_sent",
        "case.review_done",
    }
)

Severity = Annotated[int, Field(ge=0, le=4)]
Heat = Annotated[float, Field(ge=0, le=100)]


@dataclass(frozen=True, slots=True)
class CaseContext:
    """What the analysis currently says about the case; the input to the next best action."""

    severity: int = 0  # 0-4: none, no explicit reproach, disapproval, accusation, blame
    abuse: bool = False
    escalation_requested: bool = False
    heat: float = 0.0  # 0-100
    customer_agreed: bool = False  # to an offered option
    confirmed: bool = False  # the fix works
    thanked: bool = False  # the customer thanked the agent

    def __post_init__(self) -> None:
        if not 0 <= self.severity <= 4:
            raise ValueError(f"severity must be 0-4, got {self.severity}")
        if not 0 <= self.heat <= 100:
            raise ValueError(f"heat must be 0-100, got {self.heat}")


class Condition(BaseModel):
    """All given criteria must hold (and, with ``any_of``, at least one of those)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    min_severity: Severity | None = None
    min_heat: Heat | None = None
    abuse: bool | None = None
    escalation_requested: bool | None = None
    customer_agreed: bool | None = None
    confirmed: bool | None = None
    thanked: bool | None = None
    any_of: list[Condition] | None = None

    @model_validator(mode="after")
    def _not_empty(self) -> Condition:
        criteria = [value for name, value in self if name != "any_of" and value is not None]
        if not criteria and not self.any_of:
            raise ValueError("an empty condition always holds; leave it out instead")
        return self

    def facts(self, ctx: CaseContext) -> list[str] | None:
        """The facts that make the condition hold, worded for a reason; ``None`` if it fails."""
        found: list[str] = []
        for name, value in self:
            if value is None or name == "any_of":
                continue
            fact = _FACTS[name](ctx, value)
            if fact is None:
                return None
            found.append(fact)
        if self.any_of:
            options = [f for f in (c.facts(ctx) for c in self.any_of) if f is not None]
            if not options:
                return None
            found.extend(options[0])
        return found

    def holds(self, ctx: CaseContext) -> bool:
        return self.facts(ctx) is not None


_Fact = Callable[[CaseContext, object], str | None]


def _flag(name: str, yes: str, no: str) -> _Fact:
    def fact(ctx: CaseContext, wanted: object) -> str | None:
        actual = bool(getattr(ctx, name))
        if actual != wanted:
            return None
        return yes if actual else no

    return fact


def _at_least_severity(ctx: CaseContext, wanted: object) -> str | None:
    assert isinstance(wanted, int)
    if ctx.severity < wanted:
        return None
    return f"customer is at severity {ctx.severity}"


def _at_least_heat(ctx: CaseContext, wanted: object) -> str | None:
    assert isinstance(wanted, int | float)
    return f"heat is {ctx.heat:.0f}/100" if ctx.heat >= wanted else None


_FACTS: dict[str, _Fact] = {
    "min_severity": _at_least_severity,
    "min_heat": _at_least_heat,
    "abuse": _flag("abuse", "the customer has been abusive", "the customer is not abusive"),
    "escalation_requested": _flag(
        "escalation_requested", "the customer asked to escalate", "nobody asked to escalate"
    ),
    "customer_agreed": _flag(
        "customer_agreed", "the customer agreed to an option", "no option is agreed yet"
    ),
    "confirmed": _flag("confirmed", "the customer confirmed the fix", "the fix is not confirmed"),
    "thanked": _flag("thanked", "the customer thanked you", "the customer has not thanked you"),
}


class Step(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)
    title: str = Field(min_length=1)
    why: str = Field(min_length=1)
    order: int
    advice: str = Field(min_length=1)
    pending: str | None = None  # e.g. "no apology yet"; defaults to "'<title>' is still open"
    completed_by: list[str] = []  # empty: only an agent's tick completes it
    when: Condition | None = None
    urgent_when: Condition | None = None
    satisfied_when: Condition | None = None

    @field_validator("completed_by")
    @classmethod
    def _known_sources(cls, value: list[str]) -> list[str]:
        for source in value:
            if source not in COMPLETION_SOURCES:
                close = difflib.get_close_matches(source, sorted(COMPLETION_SOURCES), n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                raise ValueError(
                    f"unknown completion source {source!r}{hint}; "
                    f"known sources: {', '.join(sorted(COMPLETION_SOURCES))}"
                )
        return value

    @property
    def pending_phrase(self) -> str:
        return self.pending or f"'{self.title}' is still open"


class AppliesTo(BaseModel):
    """Which cases a playbook is for; an empty set means any."""

    model_config = ConfigDict(frozen=True, extra="forbid", coerce_numbers_to_str=True)

    teams: frozenset[str] = frozenset()
    topics: frozenset[str] = frozenset()
    min_severity: Severity = 0

    def fits(self, team: str | None, topic: str | None, severity: int) -> bool:
        return (
            (not self.teams or team in self.teams)
            and (not self.topics or topic in self.topics)
            and severity >= self.min_severity
        )

    @property
    def specificity(self) -> int:
        return bool(self.teams) + bool(self.topics) + bool(self.min_severity)


class Playbook(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z][a-z0-9_-]*$", max_length=64)
    name: str = Field(min_length=1)
    version: int = Field(default=1, ge=1)
    applies_to: AppliesTo = AppliesTo()
    steps: list[Step] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Playbook:
        for attribute in ("id", "order"):
            seen: dict[object, str] = {}
            for step in self.steps:
                value = getattr(step, attribute)
                if value in seen:
                    raise ValueError(
                        f"steps {seen[value]!r} and {step.id!r} share the {attribute} {value!r}"
                    )
                seen[value] = step.id
        return self

    @property
    def ordered_steps(self) -> list[Step]:
        return sorted(self.steps, key=lambda s: s.order)

    @property
    def step_ids(self) -> frozenset[str]:
        return frozenset(s.id for s in self.steps)

    def step(self, step_id: str) -> Step:
        for step in self.steps:
            if step.id == step_id:
                return step
        raise ValidationFailed(f"playbook {self.id!r} has no step {step_id!r}", step=step_id)


def parse_playbook(text: str) -> Playbook:
    """Validate playbook YAML; every problem is reported with its path (``steps.3.order``)."""
    return load_model(text, Playbook, "playbook", shape="with id, name and steps")


@cache
def default_playbook() -> Playbook:
    """The playbook shipped with Accord, following the conflict-resolution seeds."""
    text = resources.files("accord.cases.playbook").joinpath("default.yaml").read_text("utf-8")
    return parse_playbook(text)


def select_playbook(
    playbooks: Sequence[Playbook], *, team: str | int | None, topic: str | None, severity: int
) -> Playbook:
    """The most specific playbook that fits; among equals, the first one given."""
    team_key = None if team is None else str(team)
    fitting = [p for p in playbooks if p.applies_to.fits(team_key, topic, severity)]
    if not fitting:
        raise NotFound(f"no playbook fits team {team!r}, topic {topic!r}, severity {severity}")
    return max(fitting, key=lambda p: p.applies_to.specificity)
