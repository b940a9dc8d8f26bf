"""Case services against a real database: routing (capacity, heat, trainees), escalation levels
firing once, the blocking policy, signed webhooks delivered to a real HTTP server, and the
policy-file commands."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any, ClassVar

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.world import PASSWORD, World
from typer.testing import CliRunner

from accord.auth import service as auth
from accord.auth.models import User
from accord.auth.schemas import UserCreate
from accord.cases.escalation.boundaries import Span, mask
from accord.cases.escalation.routing import least_loaded, route
from accord.cases.escalation.rules import Situation, firing, parse_rules
from accord.cases.escalation.service import evaluate
from accord.cases.models import Case, Notification
from accord.cases.notifications import deliver_pending, notify, sign
from accord.cases.playbook.detectors import detect_reply
from accord.cases.policies import in_force
from accord.cases.service import ensure_case
from accord.cases.sla.policy import SlaKind, TimerState, evaluate_timer, timer_checks
from accord.cli.main import app
from accord.core.clock import utcnow
from accord.core.principal import SYSTEM, Role
from accord.db.engine import Database
from accord.inbox import service as inbox
from accord.inbox.models import Conversation, Customer
from accord.inbox.readings import ConversationInsight
from accord.inbox.schemas import ConversationCreate, MessageCreate, MessageIn
from accord.settings import get_settings


def _agent(s: Session, w: World, name: str, **extra: Any) -> int:
    data = UserCreate(
        email=f"{name}@accord.example",
        name=name,
        role=Role.AGENT,
        password=PASSWORD,
        team_ids=[w.team_x],
        **extra,
    )
    return auth.create_user(s, actor=SYSTEM, data=data).id


def _conversation(s: Session, w: World, team: int | None = None) -> Conversation:
    data = ConversationCreate(
        subject="Hello", customer_id=w.customer_b, team_id=team, message=MessageIn(text="Hello")
    )
    conversation, _ = inbox.create_conversation(s, actor=SYSTEM, data=data)
    return conversation


def _heat(s: Session, conversation: Conversation, heat: float, signals: list[str]) -> None:
    insight = s.get(ConversationInsight, conversation.id)
    assert insight is not None
    insight.heat, insight.signals, insight.max_severity = heat, signals, 2
    s.flush()


def test_least_loaded_respects_capacity_and_breaks_ties_by_id(db: Database, world: World) -> None:
    with db.write() as s:
        busy = s.get(User, _agent(s, world, "busy", capacity=1))
        idle = s.get(User, _agent(s, world, "idle", capacity=3))
        spare = s.get(User, _agent(s, world, "spare", capacity=3))
        assert busy and idle and spare
        assert least_loaded(s, [spare, idle, busy]) is busy  # all empty: the lowest id
        _conversation(s, world, world.team_x).assignee_id = busy.id
        s.flush()
        assert least_loaded(s, [busy, idle, spare]) is idle  # busy is at capacity
        _conversation(s, world, world.team_x).assignee_id = idle.id
        s.flush()
        assert least_loaded(s, [busy, idle, spare]) is spare  # the fewest open conversations
        idle.capacity = spare.capacity = 1
        assert least_loaded(s, [busy, idle]) is None


def test_a_hot_conversation_never_lands_with_a_trainee(db: Database, world: World) -> None:
    with db.write() as s:
        trainee = _agent(s, world, "trainee", trainee=True)
        senior = _agent(s, world, "senior", capacity=50)
        rules = in_force.rule_set(s).routing
        conversation = _conversation(s, world)
        conversation.team_id, conversation.assignee_id = world.team_x, None
        _heat(s, conversation, rules.trainee_max_heat - 1, [])
        # agent_x of the world carries two open conversations; the trainee none.
        assert route(s, conversation) == [f"assignee:{trainee}"]
        _heat(s, conversation, rules.trainee_max_heat, [])
        assert route(s, conversation) == [f"assignee:{senior}"]  # moved off the trainee
        assert route(s, conversation) == []  # and left alone after that


def test_escalation_levels_fire_once_each(db: Database, world: World) -> None:
    with db.write() as s:
        conversation = s.get(Conversation, world.conv_b)
        assert conversation is not None
        case = ensure_case(s, conversation)
        _heat(s, conversation, 80, ["legal_threat"])
        fired = evaluate(s, conversation, case)
        assert {"hot-conversation", "legal-or-public-threat"} <= set(fired)
        assert case.escalation_level == 2 and conversation.priority == "urgent"
        assert conversation.assignee_id == world.users["supervisor"]
        assert evaluate(s, conversation, case) == []  # nothing fires twice
        notes = [m for m in conversation.messages if m.direction == "note"]
        assert sum(m.text.startswith("HAND-OFF NOTE") for m in notes) == 1


def test_rule_firing_is_pure_and_skips_fired_rules() -> None:
    rules = parse_rules(
        "rules:\n"
        "  - {name: one, level: 1, when: {min_heat: 50}, actions: {notify: true}}\n"
        "  - {name: two, level: 2, when: {min_heat: 50, sla: breached}, actions: {notify: true}}\n"
    )
    hot = Situation(heat=60)
    assert [r.name for r in firing(rules, hot, frozenset())] == ["one"]
    breached = Situation(heat=60, sla_states=frozenset({"breached"}))
    assert [r.name for r in firing(rules, breached, frozenset({"one"}))] == ["two"]
    with pytest.raises(Exception, match="duplicate rule names"):
        parse_rules("rules:\n" + "  - {name: a, when: {}, actions: {}}\n" * 2)


@pytest.fixture
def blocking_rules(db: Database, tmp_path: Path) -> Database:
    """The test's database, its sessions configured with a blocking escalation policy."""
    path = tmp_path / "rules.yaml"
    path.write_text(
        "boundaries: {abusive_min_severity: 2}\n"
        "rules:\n"
        "  - name: persistent-abuse\n"
        "    level: 3\n"
        "    when: {min_abusive_messages: 2}\n"
        "    actions: {block_customer: true, assign: supervisor}\n"
    )
    return db.with_settings(db.settings.model_copy(update={"escalation_rules_file": str(path)}))


def test_repeated_abuse_blocks_the_contact_under_a_blocking_policy(
    world: World, blocking_rules: Database
) -> None:
    with blocking_rules.write() as s:
        for text in ("You useless idiots.", "Shut up, you pathetic morons."):
            data = MessageCreate(text=text, direction="inbound")
            inbox.add_message(s, actor=SYSTEM, conversation_id=world.conv_b, data=data)
        case = s.get(Case, world.conv_b)
        customer = s.get(Customer, world.customer_b)
        assert case is not None and customer is not None
        assert case.abusive_messages == 2 and case.escalation_level == 3
        assert customer.blocked


def test_masking_keeps_first_letters_and_length() -> None:
    text = "This is fucking ridiculous, you morons"
    spans = [Span(8, 15, "fucking"), Span(28, 38, "you morons"), Span(0, 4, "That")]
    assert mask(text, spans) == "This is f****** ridiculous, y** m*****"


def test_overdue_running_timers_still_schedule_their_breach(db: Database) -> None:
    start = datetime(2026, 3, 2, 9, tzinfo=UTC)
    sla = selected_sla_for_tests(db)
    late = evaluate_timer(sla, SlaKind.FIRST_RESPONSE, started_at=start, now=start + timedelta(7))
    assert late is not None and late.state is TimerState.BREACHED
    assert [c.key.rsplit(":", 1)[1] for c in timer_checks(late, "c")] == ["warning", "breach"]
    stopped = evaluate_timer(
        sla,
        SlaKind.FIRST_RESPONSE,
        started_at=start,
        now=start + timedelta(7),
        stopped_at=start + timedelta(6),
    )
    assert stopped is not None and timer_checks(stopped, "c") == []


def selected_sla_for_tests(db: Database) -> Any:
    from accord.cases.sla.policy import select_sla

    with db.read() as s:
        policy = in_force.sla_policy(s)
    return select_sla(policy, priority="normal", team=None, tier=None, heat=0.0)


def test_hard_wrapped_email_sentences_are_read_whole() -> None:
    text = "Hi,\n\nSeeing that would alarm anyone, and I\ncompletely understand why you're angry."
    found = {d.name: d.evidence for d in detect_reply(text)}
    assert "empathy" in found
    [span] = found["empathy"]
    assert text[span.start : span.end] == span.text and span.text.startswith("Seeing")


class _Receiver(BaseHTTPRequestHandler):
    received: ClassVar[list[tuple[dict[str, str], bytes]]] = []
    status: ClassVar[int] = 200

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["content-length"]))
        type(self).received.append(({k.lower(): v for k, v in self.headers.items()}, body))
        self.send_response(type(self).status)
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, *_: Any) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[str]:
    _Receiver.received, _Receiver.status = [], 200
    server = HTTPServer(("127.0.0.1", 0), _Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook"
    server.shutdown()
    server.server_close()
    thread.join()


def test_webhooks_are_signed_delivered_once_and_retried(
    db: Database, world: World, receiver: str
) -> None:
    secret = "s3cret"
    with db.write() as s:
        conversation = s.get(Conversation, world.conv_a)
        assert conversation is not None
        notify(s, conversation, "conversation.escalated", {"rule": "x"})
    _Receiver.status = 500
    with db.write() as s, httpx.Client(timeout=5) as client:
        assert deliver_pending(s, receiver, secret, client) == 0
        row = s.scalars(select(Notification)).one()
        assert row.attempts == 1 and row.next_attempt_at > utcnow()
        row.next_attempt_at = utcnow()
    _Receiver.status = 200
    with db.write() as s, httpx.Client(timeout=5) as client:
        assert deliver_pending(s, receiver, secret, client) == 1
        assert deliver_pending(s, receiver, secret, client) == 0
    headers, body = _Receiver.received[-1]
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(headers["x-accord-signature"], expected)
    assert headers["x-accord-signature"] == sign(secret, body)
    assert sign("other", body) != expected
    assert json.loads(body)["data"] == {"rule": "x"}
    assert headers["x-accord-event"] == "conversation.escalated"
    assert len({h["x-accord-delivery"] for h, _ in _Receiver.received}) == 1


def test_policy_files_validate_from_the_cli(tmp_path: Path) -> None:
    runner = CliRunner()
    root = Path(in_force.__file__).parent.parent  # accord/cases
    ok = runner.invoke(app, ["rules", "validate", str(root / "policies" / "escalation.yaml")])
    assert ok.exit_code == 0 and "level 2: repeated-abuse" in ok.output
    ok = runner.invoke(app, ["playbook", "validate", str(root / "playbook" / "default.yaml")])
    assert ok.exit_code == 0 and "identify_cause ->" in ok.output
    assert (
        runner.invoke(app, ["sla", "validate", str(root / "policies" / "sla.yaml")]).exit_code == 0
    )
    bad = tmp_path / "bad.yaml"
    bad.write_text("rules:\n  - {name: x, when: {min_heat: 500}, actions: {}}\n")
    failed = runner.invoke(app, ["rules", "validate", str(bad)])
    assert failed.exit_code == 1 and "min_heat" in failed.output


def test_case_show_and_tick_from_the_cli(
    db: Database, world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ACCORD_DATABASE_URL", db.url)
    monkeypatch.setenv("ACCORD_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        shown = runner.invoke(app, ["case", "show", str(world.conv_a)])
        assert shown.exit_code == 0, shown.output
        assert "[x] identify_cause" in shown.output and "next action" in shown.output
        assert "sla first_response: met" in shown.output
        missing = runner.invoke(app, ["case", "show", "999999"])
        assert missing.exit_code == 1 and "not found" in missing.output
        ticked = runner.invoke(app, ["case", "tick"])
        assert ticked.exit_code == 0 and "SLA checks fired" in ticked.output
    finally:
        get_settings.cache_clear()
