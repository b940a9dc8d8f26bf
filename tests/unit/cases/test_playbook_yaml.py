"""Playbook YAML: the shipped default, selection, and validation errors that say what to fix."""

from __future__ import annotations

import textwrap

import pytest
import yaml

from accord.cases.playbook.table import (
    COMPLETION_SOURCES,
    AppliesTo,
    CaseContext,
    Playbook,
    default_playbook,
    parse_playbook,
    select_playbook,
)
from accord.core.errors import NotFound, ValidationFailed

SEED_STEPS = [
    "set_boundaries",
    "identify_cause",
    "listen",
    "clarify",
    "understand_pain",
    "empathise",
    "apologise",
    "offer_options",
    "negotiate",
    "act_and_inform",
    "escalate",
    "confirm",
    "thank",
    "follow_up",
    "learn",
]

MINIMAL = """
id: billing
name: Billing disputes
steps:
  - id: apologise
    order: 10
    title: Apologise
    why: A sincere apology changes how the customer sees the company.
    advice: apologise
    completed_by: [agent.apology]
"""


def test_default_playbook_follows_the_seeds() -> None:
    playbook = default_playbook()
    assert playbook.id == "default"
    assert [s.id for s in playbook.ordered_steps] == SEED_STEPS
    for step in playbook.steps:
        assert step.why.strip() and step.advice.strip()
        assert set(step.completed_by) <= COMPLETION_SOURCES
    assert default_playbook() is playbook  # parsed once


def test_every_completion_source_but_customer_thanks_is_used_by_default() -> None:
    # A customer's thanks feeds CaseContext.thanked (thank them back) rather than completing a
    # step of the default playbook; the source stays available to custom playbooks.
    used = {source for step in default_playbook().steps for source in step.completed_by}
    assert used == COMPLETION_SOURCES - {"customer.thanked"}


def test_conditions_in_the_default_playbook() -> None:
    steps = {s.id: s for s in default_playbook().steps}
    assert steps["set_boundaries"].when is not None
    assert not steps["set_boundaries"].when.holds(CaseContext())
    assert steps["set_boundaries"].when.holds(CaseContext(abuse=True))
    escalate = steps["escalate"].when
    assert escalate is not None
    assert not escalate.holds(CaseContext(severity=3, heat=80))
    assert escalate.holds(CaseContext(severity=4))
    assert escalate.holds(CaseContext(escalation_requested=True))
    assert escalate.holds(CaseContext(heat=85))


def test_minimal_playbook_parses_with_defaults() -> None:
    playbook = parse_playbook(MINIMAL)
    assert playbook.version == 1
    assert playbook.applies_to == AppliesTo()
    assert playbook.steps[0].pending_phrase == "'Apologise' is still open"


def _with(change: str) -> str:
    """MINIMAL with one more step appended to its list of steps."""
    return MINIMAL + textwrap.indent(textwrap.dedent(change).strip(), "  ") + "\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("id: [unclosed", "playbook is not valid YAML"),
        ("- a\n- list\n", "must be a mapping with id, name and steps"),
        ("id: x\nname: X\nsteps: []\n", "steps: List should have at least 1 item"),
        (MINIMAL.replace("id: billing", "id: Billing Team"), "id: String should match pattern"),
        (
            MINIMAL.replace("agent.apology", "agent.apologie"),
            "steps.0.completed_by: unknown completion source 'agent.apologie' "
            "\\(did you mean 'agent.apology'\\?\\); known sources: agent.apology",
        ),
        (
            MINIMAL.replace("    advice: apologise\n", ""),
            "steps.0.advice: Field required",
        ),
        (
            MINIMAL.replace("why:", "wy:"),
            "steps.0.why: Field required; steps.0.wy: Extra inputs are not permitted",
        ),
        (
            _with("""
              - {id: apologise, order: 20, title: T, why: W, advice: A}
            """),
            "steps 'apologise' and 'apologise' share the id 'apologise'",
        ),
        (
            _with("""
              - {id: thank, order: 10, title: T, why: W, advice: A}
            """),
            "steps 'apologise' and 'thank' share the order 10",
        ),
        (
            _with("""
              - {id: thank, order: 20, title: T, why: W, advice: A, when: {}}
            """),
            "steps.1.when: an empty condition always holds; leave it out instead",
        ),
        (
            _with("""
              - {id: thank, order: 20, title: T, why: W, advice: A, when: {min_severity: 5}}
            """),
            "steps.1.when.min_severity: Input should be less than or equal to 4",
        ),
        (
            _with("""
              - {id: thank, order: 20, title: T, why: W, advice: A, urgent_when: {angry: true}}
            """),
            "steps.1.urgent_when.angry: Extra inputs are not permitted",
        ),
    ],
)
def test_invalid_playbooks_explain_themselves(text: str, message: str) -> None:
    with pytest.raises(ValidationFailed, match=message):
        parse_playbook(text)


def test_the_error_names_the_playbook() -> None:
    with pytest.raises(ValidationFailed, match=r"^invalid playbook 'billing': steps\.0\.order"):
        parse_playbook(MINIMAL.replace("order: 10", "order: first"))


def test_validation_failed_carries_the_api_code() -> None:
    with pytest.raises(ValidationFailed) as raised:
        parse_playbook("id: x")
    assert raised.value.code == "validation_failed"
    assert raised.value.status == 422


# --- selection ---------------------------------------------------------------------------------


def _playbook(pid: str, applies_to: dict[str, object]) -> Playbook:
    data = yaml.safe_load(MINIMAL)
    data.update(id=pid, applies_to=applies_to)
    return Playbook.model_validate(data)


def test_the_most_specific_fitting_playbook_is_selected() -> None:
    books = [
        default_playbook(),
        _playbook("billing", {"topics": ["billing"]}),
        _playbook("billing-severe", {"topics": ["billing"], "min_severity": 3}),
        _playbook("team-7", {"teams": [7]}),
    ]

    def pick(team: str | int | None, topic: str, severity: int) -> str:
        return select_playbook(books, team=team, topic=topic, severity=severity).id

    assert pick(team=None, topic="delivery", severity=4) == "default"
    assert pick(team=None, topic="billing", severity=2) == "billing"
    assert pick(team=None, topic="billing", severity=3) == "billing-severe"
    assert pick(team=7, topic="delivery", severity=0) == "team-7"
    assert pick(team="7", topic="billing", severity=0) == "billing"  # tie: first given wins


def test_no_fitting_playbook_is_not_found() -> None:
    with pytest.raises(NotFound, match="no playbook fits team 3, topic 'billing', severity 1"):
        select_playbook([_playbook("x", {"teams": ["1"]})], team=3, topic="billing", severity=1)
