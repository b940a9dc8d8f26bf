"""SLA policies: which targets apply to a conversation, and where its timers stand. Pure.

A policy names its calendars, a default set of targets and an ordered list of rules. The first
rule whose match (priority, team, customer tier, heat band) fits the conversation wins; targets
it leaves out fall back to the defaults, so a rule can tighten one timer without restating all
three. Targets are business minutes in the rule's calendar.

Timers never look at a clock: callers pass ``now`` (from :mod:`accord.core.clock`), so the
periodic tick and the tests agree on time. Scheduled checks fire on the half-open window
``(last_tick, now]``, which is what makes each fire exactly once however ticks fall around DST.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, PositiveInt, model_validator

from accord.cases.sla.calendar import (
    Calendar,
    Pause,
    add_business_minutes,
    business_minutes_between,
    warning_instant,
)
from accord.core.yaml_model import load_model
from accord.inbox.terms import Priority

__all__ = [
    "HeatBand",
    "Priority",
    "RuleMatch",
    "ScheduledCheck",
    "SelectedSla",
    "SlaKind",
    "SlaPolicy",
    "SlaRule",
    "SlaTimer",
    "Targets",
    "TimerState",
    "checks_due",
    "evaluate_timer",
    "parse_sla_policy",
    "select_sla",
    "timer_checks",
]


class SlaKind(StrEnum):
    FIRST_RESPONSE = "first_response"
    NEXT_RESPONSE = "next_response"
    RESOLUTION = "resolution"


class TimerState(StrEnum):
    RUNNING = "running"
    WARNING = "warning"  # past the warning percentage, not yet due
    BREACHED = "breached"  # past due, or stopped after the due instant
    PAUSED = "paused"  # waiting on the customer: no due instant until the clock restarts
    MET = "met"  # stopped before the due instant


_STRICT = ConfigDict(frozen=True, extra="forbid", coerce_numbers_to_str=True)


class Targets(BaseModel):
    """Business minutes allowed per timer; ``None`` means no target of that kind."""

    model_config = _STRICT

    first_response: PositiveInt | None = None
    next_response: PositiveInt | None = None
    resolution: PositiveInt | None = None

    def minutes(self, kind: SlaKind) -> int | None:
        value: int | None = getattr(self, kind.value)
        return value

    def over(self, defaults: Targets) -> Targets:
        """These targets, with the ones left out taken from ``defaults``."""
        own = self.model_dump(exclude_none=True)
        return defaults.model_copy(update=own)


class HeatBand(BaseModel):
    """Heat in [min, max); a band ending at 100 includes 100."""

    model_config = _STRICT

    min: float = Field(default=0, ge=0, le=100)
    max: float = Field(default=100, ge=0, le=100)

    @model_validator(mode="after")
    def _ordered(self) -> HeatBand:
        if self.min >= self.max:
            raise ValueError(f"heat band min ({self.min:g}) must be below max ({self.max:g})")
        return self

    def contains(self, heat: float) -> bool:
        return self.min <= heat < self.max or heat == self.max == 100


class RuleMatch(BaseModel):
    """All given criteria must hold; an omitted criterion matches anything."""

    model_config = _STRICT

    priorities: frozenset[Priority] | None = None
    teams: frozenset[str] | None = None
    tiers: frozenset[str] | None = None
    heat: HeatBand | None = None

    def fits(self, priority: Priority, team: str | None, tier: str | None, heat: float) -> bool:
        return (
            (self.priorities is None or priority in self.priorities)
            and (self.teams is None or team in self.teams)
            and (self.tiers is None or tier in self.tiers)
            and (self.heat is None or self.heat.contains(heat))
        )


class SlaRule(BaseModel):
    model_config = _STRICT

    name: str = Field(min_length=1)
    match: RuleMatch = RuleMatch()
    targets: Targets
    calendar: str | None = None
    warn_at_percent: float | None = Field(default=None, gt=0, lt=100)


class SlaPolicy(BaseModel):
    model_config = _STRICT

    calendars: dict[str, Calendar] = Field(min_length=1)
    default_calendar: str
    default_targets: Targets
    warn_at_percent: float = Field(default=80, gt=0, lt=100)
    rules: list[SlaRule] = []

    @model_validator(mode="after")
    def _references(self) -> SlaPolicy:
        known = sorted(self.calendars)
        if self.default_calendar not in self.calendars:
            raise ValueError(
                f"default_calendar {self.default_calendar!r} is not one of the calendars {known}"
            )
        seen: set[str] = set()
        for rule in self.rules:
            if rule.name in seen:
                raise ValueError(f"rule name {rule.name!r} is used twice")
            seen.add(rule.name)
            if rule.calendar is not None and rule.calendar not in self.calendars:
                raise ValueError(
                    f"rule {rule.name!r} uses calendar {rule.calendar!r}, not one of {known}"
                )
        return self


def parse_sla_policy(source: str | Mapping[str, Any]) -> SlaPolicy:
    """Validate a policy given as YAML text or as an already-parsed mapping."""
    return load_model(source, SlaPolicy, "SLA policy")


# --- selection --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SelectedSla:
    rule: str  # the rule that matched, or "default"
    calendar_name: str
    calendar: Calendar
    targets: Targets
    warn_at_percent: float


def select_sla(
    policy: SlaPolicy,
    *,
    priority: Priority | str,
    team: str | int | None = None,
    tier: str | None = None,
    heat: float = 0.0,
) -> SelectedSla:
    """The first rule that fits wins; unset targets, calendar and warning fall back to defaults."""
    wanted = Priority(priority)
    team_key = None if team is None else str(team)
    for rule in policy.rules:
        if rule.match.fits(wanted, team_key, tier, heat):
            name = rule.calendar or policy.default_calendar
            return SelectedSla(
                rule=rule.name,
                calendar_name=name,
                calendar=policy.calendars[name],
                targets=rule.targets.over(policy.default_targets),
                warn_at_percent=rule.warn_at_percent or policy.warn_at_percent,
            )
    return SelectedSla(
        rule="default",
        calendar_name=policy.default_calendar,
        calendar=policy.calendars[policy.default_calendar],
        targets=policy.default_targets,
        warn_at_percent=policy.warn_at_percent,
    )


# --- timers -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SlaTimer:
    kind: SlaKind
    started_at: datetime
    target_minutes: int
    due_at: datetime | None  # None while paused
    warn_at: datetime | None
    elapsed_minutes: float
    remaining_minutes: float  # negative once breached
    state: TimerState
    stopped: bool = False  # by the reply or resolution it measures


def evaluate_timer(
    sla: SelectedSla,
    kind: SlaKind,
    *,
    started_at: datetime,
    now: datetime,
    pauses: Sequence[Pause] = (),
    paused_since: datetime | None = None,
    stopped_at: datetime | None = None,
) -> SlaTimer | None:
    """Where one timer stands at ``now``; ``None`` when the policy sets no such target.

    ``pauses`` are finished waits on the customer; ``paused_since`` an ongoing one. A timer is
    stopped (``stopped_at``) by the event it measures: the reply or the resolution.
    """
    target = sla.targets.minutes(kind)
    if target is None:
        return None
    cal = sla.calendar
    until = stopped_at if stopped_at is not None else now
    spent = [*pauses, (paused_since, until)] if paused_since is not None else list(pauses)
    elapsed = business_minutes_between(cal, started_at, until, spent)
    remaining = target - elapsed
    due = warn = None
    if paused_since is None or remaining <= 0:
        due = add_business_minutes(cal, started_at, target, spent)
        warn = warning_instant(cal, started_at, target, sla.warn_at_percent, spent)
    state = _state(due, warn, until, stopped=stopped_at is not None, paused=paused_since)
    stopped = stopped_at is not None
    return SlaTimer(kind, started_at, target, due, warn, elapsed, remaining, state, stopped)


def _state(
    due: datetime | None,
    warn: datetime | None,
    until: datetime,
    *,
    stopped: bool,
    paused: datetime | None,
) -> TimerState:
    if due is None or warn is None:
        return TimerState.PAUSED
    if until >= due:
        return TimerState.BREACHED
    if stopped:
        return TimerState.MET
    if paused is not None:
        return TimerState.PAUSED
    return TimerState.WARNING if until >= warn else TimerState.RUNNING


# --- scheduled checks -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ScheduledCheck:
    """Something the periodic tick must act on once: ``key`` names it, ``at`` is a UTC instant."""

    key: str
    at: datetime


def timer_checks(timer: SlaTimer, prefix: str) -> list[ScheduledCheck]:
    """The warning and breach checks of a timer still running, overdue ones included (the tick
    that first sees a timer past due must still fire its breach); none while paused or stopped."""
    if timer.stopped or timer.warn_at is None or timer.due_at is None:
        return []
    return [
        ScheduledCheck(f"{prefix}:{timer.kind.value}:warning", timer.warn_at),
        ScheduledCheck(f"{prefix}:{timer.kind.value}:breach", timer.due_at),
    ]


def checks_due(
    checks: Iterable[ScheduledCheck], last_tick: datetime | None, now: datetime
) -> list[ScheduledCheck]:
    """Checks whose instant lies in ``(last_tick, now]``, in time order.

    Comparing aware UTC instants, never wall-clock readings, is what keeps a check from firing
    twice in a fall-back fold or never in a spring-forward gap. Pass the previous tick's ``now``
    as ``last_tick`` (``None`` on the first tick: everything due so far fires).
    """
    zero = timedelta(0)
    for instant in (last_tick, now):
        if instant is not None and instant.utcoffset() is None:
            raise ValueError("tick instants must be timezone-aware")
    if last_tick is not None and now - last_tick < zero:
        raise ValueError("ticks must not go backwards")
    return sorted(
        (c for c in checks if (last_tick is None or c.at > last_tick) and c.at <= now),
        key=lambda c: c.at,
    )
