"""The playbook state machine and the next best action, on the default playbook."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from accord.cases.playbook.machine import (
    Evidence,
    Observed,
    PlaybookState,
    StepCompleted,
    StepTicked,
    StepUnticked,
    Tick,
    Untick,
    apply,
    event_from_dict,
    event_to_dict,
    initial_state,
    next_best_action,
    replay,
)
from accord.cases.playbook.table import CaseContext, default_playbook
from accord.core.errors import Conflict, ValidationFailed

PLAYBOOK = default_playbook()
AT = datetime(2024, 6, 10, 9, 0, tzinfo=UTC)


def run(*inputs: Observed | Tick | Untick) -> PlaybookState:
    state = initial_state(PLAYBOOK)
    for item in inputs:
        state, _ = apply(PLAYBOOK, state, item)
    return state


def test_an_observation_completes_its_step_with_evidence() -> None:
    evidence = (Evidence(0, 22, "I'm so sorry about it."),)
    state, emitted = apply(
        PLAYBOOK, initial_state(PLAYBOOK), Observed("agent.apology", evidence, "m1", AT)
    )
    assert emitted == (StepCompleted("apologise", "agent.apology", evidence, "m1", AT),)
    assert emitted[0].auto
    assert state.completed == {"apologise"}
    assert state.history == emitted


def test_repeated_or_unused_observations_emit_nothing() -> None:
    state = run(Observed("agent.apology"))
    again, emitted = apply(PLAYBOOK, state, Observed("agent.apology"))
    assert (again, emitted) == (state, ())
    _, unused = apply(PLAYBOOK, state, Observed("customer.thanked"))
    assert unused == ()


def test_unknown_sources_and_steps_are_rejected() -> None:
    state = initial_state(PLAYBOOK)
    with pytest.raises(ValidationFailed, match=r"unknown completion source 'agent\.sorry'"):
        apply(PLAYBOOK, state, Observed("agent.sorry"))
    with pytest.raises(ValidationFailed, match="playbook 'default' has no step 'dance'"):
        apply(PLAYBOOK, state, Tick("dance", by="user:1"))


def test_state_of_another_playbook_is_a_conflict() -> None:
    with pytest.raises(Conflict, match="state belongs to playbook 'billing'"):
        apply(PLAYBOOK, PlaybookState("billing"), Tick("thank", by="user:1"))


def test_manual_tick_and_untick_are_audited_and_idempotent() -> None:
    state, ticked = apply(PLAYBOOK, initial_state(PLAYBOOK), Tick("listen", by="user:7", at=AT))
    assert ticked == (StepTicked("listen", "user:7", AT),)
    same, nothing = apply(PLAYBOOK, state, Tick("listen", by="user:8"))
    assert (same, nothing) == (state, ())
    state, unticked = apply(PLAYBOOK, state, Untick("listen", by="user:7", reason="misclick"))
    assert unticked == (StepUnticked("listen", "user:7", "misclick"),)
    assert state.completed == frozenset()
    _, nothing = apply(PLAYBOOK, state, Untick("listen", by="user:7"))
    assert nothing == ()
    assert [e.type for e in state.history] == ["step_ticked", "step_unticked"]


def test_an_unticked_step_can_complete_again_from_new_evidence() -> None:
    state = run(Observed("agent.apology"), Untick("apologise", by="user:1"))
    state, emitted = apply(PLAYBOOK, state, Observed("agent.apology"))
    assert "apologise" in state.completed
    assert len(emitted) == 1


def test_one_source_can_complete_several_steps() -> None:
    state = run(Observed("customer.described_issue"))
    assert state.completed == {"listen"}
    state = run(Observed("agent.next_steps"), Observed("case.action_taken"))
    assert state.completed == {"act_and_inform"}


def test_replay_rebuilds_the_state_from_serialised_events() -> None:
    state = run(
        Observed("agent.apology", (Evidence(3, 8, "sorry"),), "m1", AT),
        Tick("listen", by="user:1", at=AT),
        Untick("listen", by="user:2", reason="not yet"),
        Observed("customer.agreed"),
    )
    stored = [event_to_dict(e) for e in state.history]
    assert stored[0]["evidence"] == [[3, 8, "sorry"]]
    assert stored[0]["at"] == AT.isoformat()
    events = tuple(event_from_dict(d) for d in stored)
    assert events == state.history
    assert replay(PLAYBOOK, events) == state


def test_unknown_event_types_are_rejected_on_load() -> None:
    with pytest.raises(ValidationFailed, match="unknown playbook event type 'step_skipped'"):
        event_from_dict({"type": "step_skipped", "step_id": "thank"})


# --- next best action ----------------------------------------------------------------------


def test_issue_example_severity_four_without_apology() -> None:
    state = run(Observed("agent.empathy"))
    action = next_best_action(PLAYBOOK, state, CaseContext(severity=4, heat=60))
    assert action is not None
    assert action.step_id == "apologise"
    assert action.urgent
    assert action.reason == (
        "customer is at severity 4 and no apology yet: "
        "acknowledge and apologise before proposing options"
    )


def test_a_calm_new_case_starts_at_the_top_of_the_playbook() -> None:
    action = next_best_action(PLAYBOOK, initial_state(PLAYBOOK), CaseContext(severity=1))
    assert action is not None
    assert (action.step_id, action.urgent) == ("identify_cause", False)
    assert action.reason.startswith("customer is at severity 1 and the cause is not identified")


@pytest.mark.parametrize(
    ("context", "step", "reason_start"),
    [
        (CaseContext(abuse=True, severity=4), "set_boundaries", "the customer has been abusive"),
        (CaseContext(heat=82), "empathise", "heat is 82/100 and no empathy shown yet"),
        (
            CaseContext(escalation_requested=True),
            "escalate",
            "the customer asked to escalate and nobody has escalated yet",
        ),
        (
            CaseContext(customer_agreed=True),
            "act_and_inform",
            "the customer agreed to an option and no next steps with a time given yet",
        ),
        (
            CaseContext(confirmed=True, thanked=True),
            "thank",
            "the customer confirmed the fix, the customer thanked you and no thanks said yet",
        ),
    ],
)
def test_urgent_steps_jump_the_queue(context: CaseContext, step: str, reason_start: str) -> None:
    action = next_best_action(PLAYBOOK, initial_state(PLAYBOOK), context)
    assert action is not None
    assert (action.step_id, action.urgent) == (step, True)
    assert action.reason.startswith(reason_start)


def test_steps_that_do_not_apply_or_are_satisfied_are_skipped() -> None:
    done_until_options = run(
        *(Tick(s, by="u") for s in ("identify_cause", "listen", "clarify", "understand_pain")),
        *(Tick(s, by="u") for s in ("empathise", "apologise", "offer_options")),
    )
    calm = CaseContext(severity=2)
    action = next_best_action(PLAYBOOK, done_until_options, calm)
    assert action is not None and action.step_id == "negotiate"
    agreed = CaseContext(severity=2, customer_agreed=True)
    action = next_best_action(PLAYBOOK, done_until_options, agreed)
    assert action is not None and action.step_id == "act_and_inform"
    state = run(*(Tick(s.id, by="u") for s in PLAYBOOK.steps if s.id not in {"escalate", "learn"}))
    action = next_best_action(PLAYBOOK, state, calm)
    assert action is not None and action.step_id == "learn"  # escalate does not apply when calm


def test_nothing_left_to_do() -> None:
    state = run(*(Tick(s.id, by="u") for s in PLAYBOOK.steps if s.id != "set_boundaries"))
    assert next_best_action(PLAYBOOK, state, CaseContext()) is None
    action = next_best_action(PLAYBOOK, state, CaseContext(abuse=True))
    assert action is not None and action.step_id == "set_boundaries"


def test_context_is_validated() -> None:
    with pytest.raises(ValueError, match="severity must be 0-4"):
        CaseContext(severity=5)
    with pytest.raises(ValueError, match="heat must be 0-100"):
        CaseContext(heat=-1)
