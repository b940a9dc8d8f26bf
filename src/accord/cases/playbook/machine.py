"""The playbook state machine: pure, driven by the table of a
:class:`~accord.cases.playbook.table.Playbook`.

A case's playbook state is the set of completed steps plus the append-only history of the
events that got it there. :func:`apply` takes a state and one input (an observation from a
detector or the analysis, or an agent ticking/unticking a step) and returns the new state and
the events it emitted; the service layer persists those events, and :func:`replay` rebuilds the
state from them. Redundant inputs (ticking a done step, an observation nothing waits for) emit
nothing, so the history only records changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from accord.analysis.types import Span
from accord.cases.playbook.table import COMPLETION_SOURCES, CaseContext, Playbook, Step
from accord.core.errors import Conflict, ValidationFailed

__all__ = [
    "Evidence",
    "NextAction",
    "Observed",
    "PlaybookEvent",
    "PlaybookState",
    "StepCompleted",
    "StepTicked",
    "StepUnticked",
    "Tick",
    "Untick",
    "apply",
    "event_from_dict",
    "event_to_dict",
    "initial_state",
    "next_best_action",
    "replay",
]


# Where in a message something was seen: ``text == message[start:end]``.
Evidence = Span


# --- inputs -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Observed:
    """A detector or analysis result, e.g. ``source="agent.apology"`` for an agent reply."""

    source: str
    evidence: tuple[Evidence, ...] = ()
    message_id: str | None = None
    at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Tick:
    step_id: str
    by: str  # who ticked it, for the audit trail
    at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Untick:
    step_id: str
    by: str
    reason: str | None = None
    at: datetime | None = None


PlaybookInput = Observed | Tick | Untick


# --- emitted events ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StepCompleted:
    """A step completed itself from the conversation (``auto`` is always true)."""

    step_id: str
    source: str
    evidence: tuple[Evidence, ...] = ()
    message_id: str | None = None
    at: datetime | None = None
    auto: bool = True
    type: str = field(default="step_completed", init=False)


@dataclass(frozen=True, slots=True)
class StepTicked:
    step_id: str
    by: str
    at: datetime | None = None
    type: str = field(default="step_ticked", init=False)


@dataclass(frozen=True, slots=True)
class StepUnticked:
    step_id: str
    by: str
    reason: str | None = None
    at: datetime | None = None
    type: str = field(default="step_unticked", init=False)


PlaybookEvent = StepCompleted | StepTicked | StepUnticked


@dataclass(frozen=True, slots=True)
class PlaybookState:
    playbook_id: str
    completed: frozenset[str] = frozenset()
    history: tuple[PlaybookEvent, ...] = ()


def initial_state(playbook: Playbook) -> PlaybookState:
    return PlaybookState(playbook_id=playbook.id)


def apply(
    playbook: Playbook, state: PlaybookState, event: PlaybookInput
) -> tuple[PlaybookState, tuple[PlaybookEvent, ...]]:
    """One transition. Raises ``ValidationFailed`` for an unknown step or source."""
    if state.playbook_id != playbook.id:
        raise Conflict(f"state belongs to playbook {state.playbook_id!r}, not {playbook.id!r}")
    emitted = _transition(playbook, state.completed, event)
    if not emitted:
        return state, ()
    return _fold(state, emitted), emitted


def _transition(
    playbook: Playbook, completed: frozenset[str], event: PlaybookInput
) -> tuple[PlaybookEvent, ...]:
    if isinstance(event, Observed):
        if event.source not in COMPLETION_SOURCES:
            raise ValidationFailed(f"unknown completion source {event.source!r}")
        return tuple(
            StepCompleted(s.id, event.source, event.evidence, event.message_id, event.at)
            for s in playbook.ordered_steps
            if event.source in s.completed_by and s.id not in completed
        )
    step = playbook.step(event.step_id)  # raises for an unknown id
    if isinstance(event, Tick):
        return () if step.id in completed else (StepTicked(step.id, event.by, event.at),)
    if step.id not in completed:
        return ()
    return (StepUnticked(step.id, event.by, event.reason, event.at),)


def _fold(state: PlaybookState, events: tuple[PlaybookEvent, ...]) -> PlaybookState:
    completed = set(state.completed)
    for event in events:
        if isinstance(event, StepUnticked):
            completed.discard(event.step_id)
        else:
            completed.add(event.step_id)
    return replace(state, completed=frozenset(completed), history=state.history + events)


def replay(playbook: Playbook, events: tuple[PlaybookEvent, ...]) -> PlaybookState:
    """Rebuild a state from its persisted history (steps since removed from the playbook are
    dropped from ``completed`` but stay in the history)."""
    state = _fold(initial_state(playbook), events)
    return replace(state, completed=state.completed & playbook.step_ids)


def event_to_dict(event: PlaybookEvent) -> dict[str, Any]:
    """A JSON-ready form for the append-only event table."""
    out: dict[str, Any] = {name: getattr(event, name) for name in event.__slots__}
    if isinstance(event, StepCompleted):
        out["evidence"] = [[e.start, e.end, e.text] for e in event.evidence]
    if out.get("at") is not None:
        out["at"] = out["at"].isoformat()
    return out


def event_from_dict(data: dict[str, Any]) -> PlaybookEvent:
    fields = {k: v for k, v in data.items() if k != "type"}
    if fields.get("at") is not None:
        fields["at"] = datetime.fromisoformat(fields["at"])
    kind = data.get("type")
    if kind == "step_completed":
        fields["evidence"] = tuple(Evidence(*e) for e in fields.get("evidence", ()))
        return StepCompleted(**fields)
    if kind == "step_ticked":
        return StepTicked(**fields)
    if kind == "step_unticked":
        return StepUnticked(**fields)
    raise ValidationFailed(f"unknown playbook event type {kind!r}")


# --- next best action -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NextAction:
    step_id: str
    title: str
    reason: str
    urgent: bool


def next_best_action(
    playbook: Playbook, state: PlaybookState, context: CaseContext
) -> NextAction | None:
    """The step to take now and why; ``None`` when every applicable step is done.

    Urgent steps (their ``urgent_when`` holds) come first, then the playbook order. Steps whose
    ``when`` fails, or whose ``satisfied_when`` holds, are skipped: they are not needed now.
    """
    open_steps = [s for s in playbook.ordered_steps if _is_open(s, state, context)]
    if not open_steps:
        return None
    for step in open_steps:
        facts = step.urgent_when.facts(context) if step.urgent_when else None
        if facts is not None:
            return NextAction(step.id, step.title, _reason(facts, step), urgent=True)
    step = open_steps[0]
    return NextAction(step.id, step.title, _reason(_situation(context), step), urgent=False)


def _is_open(step: Step, state: PlaybookState, ctx: CaseContext) -> bool:
    if step.id in state.completed:
        return False
    if step.when is not None and not step.when.holds(ctx):
        return False
    return step.satisfied_when is None or not step.satisfied_when.holds(ctx)


def _situation(ctx: CaseContext) -> list[str]:
    facts = [f"customer is at severity {ctx.severity}"]
    if ctx.heat >= 50:
        facts.append(f"heat is {ctx.heat:.0f}/100")
    return facts


def _reason(facts: list[str], step: Step) -> str:
    """E.g. 'customer is at severity 4 and no apology yet: acknowledge and apologise before
    proposing options'."""
    return f"{', '.join(facts)} and {step.pending_phrase}: {step.advice}"
