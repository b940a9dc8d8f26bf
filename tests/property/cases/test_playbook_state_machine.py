"""Stateful property test of the playbook machine (hypothesis RuleBasedStateMachine).

Random sequences of observations, ticks and unticks on the default playbook must keep:
completed steps a subset of the playbook's steps; the history append-only and replayable into
the same state; every emitted event a real change; untick-then-tick restoring the state; and
the next best action never pointing at a completed step.
"""

from __future__ import annotations

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from accord.cases.playbook.machine import (
    Observed,
    PlaybookEvent,
    PlaybookState,
    StepUnticked,
    Tick,
    Untick,
    apply,
    initial_state,
    next_best_action,
    replay,
)
from accord.cases.playbook.table import COMPLETION_SOURCES, CaseContext, default_playbook

PLAYBOOK = default_playbook()
STEP_IDS = sorted(PLAYBOOK.step_ids)
PEOPLE = st.sampled_from(["user:1", "user:2", "supervisor:9"])
CONTEXTS = st.builds(
    CaseContext,
    severity=st.integers(0, 4),
    abuse=st.booleans(),
    escalation_requested=st.booleans(),
    heat=st.floats(0, 100, allow_nan=False),
    customer_agreed=st.booleans(),
    confirmed=st.booleans(),
    thanked=st.booleans(),
)
# Fixed contexts checked after every step, on top of the drawn ones.
PROBES = (
    CaseContext(),
    CaseContext(severity=4, heat=90, abuse=True, escalation_requested=True),
    CaseContext(customer_agreed=True, confirmed=True, thanked=True),
)


class PlaybookMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.state = initial_state(PLAYBOOK)

    def _step(self, item: Observed | Tick | Untick) -> tuple[PlaybookEvent, ...]:
        before = self.state
        after, emitted = apply(PLAYBOOK, before, item)
        # Append-only: the old history is a prefix and exactly the emitted events follow it.
        assert after.history[: len(before.history)] == before.history
        assert after.history[len(before.history) :] == emitted
        _assert_each_event_is_a_change(before, emitted)
        if not emitted:
            assert after == before
        self.state = after
        return emitted

    @rule(source=st.sampled_from(sorted(COMPLETION_SOURCES)))
    def observe(self, source: str) -> None:
        emitted = self._step(Observed(source))
        for event in emitted:
            assert source in PLAYBOOK.step(event.step_id).completed_by

    @rule(step=st.sampled_from(STEP_IDS), by=PEOPLE)
    def tick(self, step: str, by: str) -> None:
        was_done = step in self.state.completed
        emitted = self._step(Tick(step, by))
        assert step in self.state.completed
        assert len(emitted) == (0 if was_done else 1)

    @rule(step=st.sampled_from(STEP_IDS), by=PEOPLE)
    def untick(self, step: str, by: str) -> None:
        was_done = step in self.state.completed
        emitted = self._step(Untick(step, by, reason="property test"))
        assert step not in self.state.completed
        assert len(emitted) == (1 if was_done else 0)

    @precondition(lambda self: bool(self.state.completed))
    @rule(data=st.data(), by=PEOPLE)
    def untick_then_tick_restores(self, data: st.DataObject, by: str) -> None:
        step = data.draw(st.sampled_from(sorted(self.state.completed)))
        before = self.state.completed
        self._step(Untick(step, by))
        self._step(Tick(step, by))
        assert self.state.completed == before

    @rule(context=CONTEXTS)
    def next_action_is_open(self, context: CaseContext) -> None:
        _assert_next_action_is_open(self.state, context)

    @invariant()
    def completed_steps_are_defined(self) -> None:
        assert self.state.completed <= PLAYBOOK.step_ids

    @invariant()
    def history_replays_to_the_state(self) -> None:
        assert replay(PLAYBOOK, self.state.history) == self.state

    @invariant()
    def probes_never_suggest_a_completed_step(self) -> None:
        for context in PROBES:
            _assert_next_action_is_open(self.state, context)


def _assert_each_event_is_a_change(
    before: PlaybookState, emitted: tuple[PlaybookEvent, ...]
) -> None:
    completed = set(before.completed)
    for event in emitted:
        if isinstance(event, StepUnticked):
            assert event.step_id in completed
            completed.remove(event.step_id)
        else:
            assert event.step_id not in completed
            completed.add(event.step_id)


def _assert_next_action_is_open(state: PlaybookState, context: CaseContext) -> None:
    action = next_best_action(PLAYBOOK, state, context)
    if action is None:
        # Nothing suggested only when every step that applies is done or satisfied.
        for step in PLAYBOOK.steps:
            applies = step.when is None or step.when.holds(context)
            satisfied = step.satisfied_when is not None and step.satisfied_when.holds(context)
            assert step.id in state.completed or not applies or satisfied
        return
    assert action.step_id not in state.completed
    assert action.reason.endswith(PLAYBOOK.step(action.step_id).advice)


PlaybookMachine.TestCase.settings = settings(
    max_examples=200, stateful_step_count=30, deadline=None, database=None
)
TestPlaybookMachine = PlaybookMachine.TestCase
