"""The policy store against a real database (SQLite, and PostgreSQL when configured): saving
validates and keeps every revision; a saved policy is the one in force, in this process at
once and in another process (another Database on the same URL) at its next transaction; and
it changes what escalation, routing, SLA selection and playbook choice actually do."""

from __future__ import annotations

import logging
from importlib import resources

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.world import PASSWORD, World

from accord.audit.models import Event
from accord.auth import service as auth
from accord.auth.models import User
from accord.auth.schemas import UserCreate
from accord.cases.escalation.routing import route
from accord.cases.escalation.service import evaluate
from accord.cases.models import PolicyDocument
from accord.cases.policies import in_force
from accord.cases.policies import store as policy_store
from accord.cases.service import ensure_case
from accord.cases.sla.policy import select_sla
from accord.core.clock import utcnow
from accord.core.errors import PermissionDenied, ValidationFailed, VersionConflict
from accord.core.principal import SYSTEM, Principal, Role, staff
from accord.db.engine import Database
from accord.inbox.models import Conversation
from accord.inbox.readings import ConversationInsight

WARM_RULES = """
routing: {trainee_max_heat: 10}
rules:
  - name: warm-enough
    level: 1
    when: {min_heat: 30}
    actions: {raise_priority: urgent, notify: true}
"""


def _packaged(name: str) -> str:
    return resources.files("accord.cases").joinpath(name).read_text("utf-8")


def _admin(world: World) -> Principal:
    return staff(world.users["admin"], Role.ADMIN)


def _save(db: Database, world: World, kind: str, text: str, **extra: object) -> int:
    with db.write() as s:
        return policy_store.save(s, actor=_admin(world), kind=kind, text=text, **extra).revision


def _heat(s: Session, conversation_id: int, heat: float) -> Conversation:
    conversation = s.get(Conversation, conversation_id)
    insight = s.get(ConversationInsight, conversation_id)
    assert conversation is not None and insight is not None
    insight.heat, insight.signals = heat, []
    s.flush()
    return conversation


def test_invalid_text_is_refused_with_its_line_and_nothing_is_saved(
    db: Database, world: World
) -> None:
    broken = "rules:\n  - name: x\n    when: {min_heat: [\n"
    with pytest.raises(ValidationFailed) as syntax:
        _save(db, world, "rules", broken)
    assert "not valid YAML" in syntax.value.detail and syntax.value.extra["line"] == 4
    with pytest.raises(ValidationFailed, match=r"rules\.0\.when\.min_heat"):
        _save(db, world, "rules", "rules:\n  - {name: x, when: {min_heat: 900}, actions: {}}\n")
    with pytest.raises(ValidationFailed, match="mapping"):
        _save(db, world, "sla", "- a list")
    with pytest.raises(ValidationFailed, match="unknown policy kind"):
        _save(db, world, "coach", "a: 1")
    with db.read() as s:
        assert s.scalar(select(func.count(PolicyDocument.id))) == 0
        assert s.scalar(select(func.count(Event.id)).where(Event.kind == "policy.saved")) == 0


def test_every_save_is_a_revision_with_history_and_an_audit_event(
    db: Database, world: World
) -> None:
    text = _packaged("policies/sla.yaml")
    assert _save(db, world, "sla", text + "# one\n") == 1
    assert _save(db, world, "sla", text + "# two\n", base_revision=1) == 2
    with pytest.raises(VersionConflict, match="revision 2 was saved after revision 1"):
        _save(db, world, "sla", text + "# stale\n", base_revision=1)
    with db.read() as s:
        history = policy_store.history(s, "sla")
        assert [r.revision for r in history] == [2, 1]
        assert history[0].text.endswith("# two\n") and history[0].saved_by == "admin"
        events = s.scalars(select(Event).where(Event.kind == "policy.saved")).all()
        assert [e.data["revision"] for e in events] == [1, 2]
        assert {e.actor_user_id for e in events} == {world.users["admin"]}
        source = in_force.source(s, "sla")
        assert source.origin == "revision 2" and source.text.endswith("# two\n")


def test_only_admins_save(db: Database, world: World) -> None:
    supervisor = staff(world.users["supervisor"], Role.SUPERVISOR)
    with db.write() as s, pytest.raises(PermissionDenied):
        policy_store.save(s, actor=supervisor, kind="sla", text=_packaged("policies/sla.yaml"))


def test_saved_rules_change_escalation_in_this_process_at_once(db: Database, world: World) -> None:
    with db.write() as s:
        conversation = _heat(s, world.conv_b, 40)
        case = ensure_case(s, conversation)
        assert evaluate(s, conversation, case) == []  # the shipped rules start at heat 75
        policy_store.save(s, actor=_admin(world), kind="rules", text=WARM_RULES)
        assert evaluate(s, conversation, case) == ["warm-enough"]
        assert conversation.priority == "urgent" and case.escalation_level == 1


def test_saved_rules_change_routing_of_trainees(db: Database, world: World) -> None:
    with db.write() as s:
        agent = s.get(User, world.users["agent_x"])
        assert agent is not None
        agent.trainee = True
        data = UserCreate(
            email="senior@accord.example",
            name="Senior",
            role=Role.AGENT,
            password=PASSWORD,
            team_ids=[world.team_x],
        )
        senior = auth.create_user(s, actor=SYSTEM, data=data).id
        conversation = _heat(s, world.conv_a, 20)
        conversation.assignee_id = agent.id
        assert route(s, conversation) == []  # under the shipped limit of 60: the trainee keeps it
    _save(db, world, "rules", WARM_RULES)
    with db.write() as s:
        conversation = s.get(Conversation, world.conv_a)
        assert conversation is not None
        assert route(s, conversation) == [f"assignee:{senior}"]  # over the saved limit of 10


def test_a_save_by_another_process_is_seen_at_the_next_transaction(
    db: Database, world: World
) -> None:
    with db.read() as s:
        assert in_force.rule_set(s).routing.trainee_max_heat == 60  # cached in this process
    other = Database(db.url)  # another process: its own engine and sessions
    try:
        with other.write() as s:
            policy_store.save(s, actor=_admin(world), kind="rules", text=WARM_RULES)
    finally:
        other.dispose()
    with db.read() as s:
        assert in_force.rule_set(s).routing.trainee_max_heat == 10
        assert [r.name for r in in_force.rule_set(s).rules] == ["warm-enough"]


def test_saved_sla_policy_sets_the_targets(db: Database, world: World) -> None:
    text = (
        "calendars: {always: {zone: UTC, hours: {mon-sun: ['00:00-24:00']}}}\n"
        "default_calendar: always\n"
        "default_targets: {first_response: 7, next_response: 8, resolution: 9}\n"
    )
    _save(db, world, "sla", text)
    with db.read() as s:
        sla = select_sla(in_force.sla_policy(s), priority="normal", team=None, tier=None, heat=0)
    assert sla.targets.first_response == 7


def test_saved_playbooks_replace_or_add(db: Database, world: World) -> None:
    default = _packaged("playbook/default.yaml")
    renamed = default.replace("name: Default conflict resolution", "name: Our way")
    _save(db, world, "playbook", renamed, playbook_id="default")
    extra = default.replace("id: default", "id: billing").replace(
        "name: Default conflict resolution", "name: Billing"
    )
    with pytest.raises(ValidationFailed, match="not 'other'"):
        _save(db, world, "playbook", extra, playbook_id="other")
    _save(db, world, "playbook", extra)
    with db.read() as s:
        found = in_force.playbooks(s)
        assert [(p.id, p.name) for p in found] == [("default", "Our way"), ("billing", "Billing")]
        assert in_force.playbook_by_id(s, "gone").name == "Our way"
        assert in_force.source(s, "playbook", "billing").origin == "revision 1"


def test_a_saved_policy_that_no_longer_parses_falls_back(
    db: Database, world: World, caplog: pytest.LogCaptureFixture
) -> None:
    with db.write() as s:  # as if an upgrade made the schema stricter than the stored text
        s.add(
            PolicyDocument(
                kind="rules", playbook_id="", revision=1, text="rules: 3", created_at=utcnow()
            )
        )
    with caplog.at_level(logging.ERROR, logger="accord.cases"), db.read() as s:
        assert in_force.rule_set(s).routing.trainee_max_heat == 60
    assert "does not parse" in caplog.text


def test_a_rolled_back_save_leaves_no_trace_in_the_cache(db: Database, world: World) -> None:
    class Abandon(Exception):
        pass

    with pytest.raises(Abandon), db.write() as s:
        policy_store.save(s, actor=_admin(world), kind="rules", text=WARM_RULES)
        assert in_force.rule_set(s).routing.trainee_max_heat == 10  # this transaction sees it
        raise Abandon
    with db.read() as s:
        assert in_force.rule_set(s).routing.trainee_max_heat == 60
    other = WARM_RULES.replace("trainee_max_heat: 10", "trainee_max_heat: 20")
    _save(db, world, "rules", other)  # on SQLite this may reuse the abandoned row's id
    with db.read() as s:
        assert in_force.rule_set(s).routing.trainee_max_heat == 20


def test_a_save_that_commits_after_a_newer_one_still_moves_the_stamp(
    db: Database, world: World
) -> None:
    """PostgreSQL hands out ids at insert: the save holding the lower id may commit last."""
    if db.is_sqlite:
        pytest.skip("SQLite write transactions start with BEGIN IMMEDIATE: they cannot interleave")
    slow, fast = db.writer(), db.writer()
    try:
        slow.begin()
        policy_store.save(slow, actor=_admin(world), kind="rules", text=WARM_RULES)  # lower id
        with fast.begin():
            sla = resources.files("accord.cases.policies").joinpath("sla.yaml").read_text()
            policy_store.save(fast, actor=_admin(world), kind="sla", text=sla)
        with db.read() as s:
            before = policy_store.stamp(s)
        slow.commit()
        with db.read() as s:
            assert policy_store.stamp(s) != before
            assert in_force.rule_set(s).routing.trainee_max_heat == 10
    finally:
        slow.close()
        fast.close()
