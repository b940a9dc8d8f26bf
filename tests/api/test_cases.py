"""Cases over the REST API: the demo's irate billing-error customer replayed message by message
(stages, next actions, SLA timers, escalation with a hand-off note, routing to a senior agent),
supervisor override, "thanks, all good" after resolution, and boundaries with abuse."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from accord.auth import service as auth
from accord.cases.models import Notification
from accord.cases.sla.tick import run_tick
from accord.core.clock import FixedClock
from accord.core.principal import SYSTEM
from accord.db.engine import Database
from accord.demo.loader import read_workspace
from tests.world import PASSWORD, World

API = "/api/v1"


@dataclass
class Billing:
    """A billing team with a trainee, a plain agent and a senior with the de-escalation skill."""

    team: int
    users: dict[str, int]
    tokens: dict[str, str] = field(default_factory=dict)

    def headers(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}


@pytest.fixture
def billing(client: TestClient, world: World, db: Database) -> Billing:
    admin = world.headers("admin")
    team = client.post(f"{API}/teams", json={"slug": "billing", "name": "Billing"}, headers=admin)
    people = {
        "tina": {"trainee": True},
        "paul": {},
        "sara": {"skills": ["de-escalation"], "capacity": 5},
    }
    users = {}
    for name, extra in people.items():
        body = {
            "email": f"{name}@northwind.example",
            "name": name,
            "role": "agent",
            "password": PASSWORD,
            "team_ids": [team.json()["id"]],
            **extra,
        }
        created = client.post(f"{API}/users", json=body, headers=admin)
        assert created.status_code == 201, created.text
        users[name] = created.json()["id"]
    out = Billing(team.json()["id"], users)
    with db.write() as s:
        for name, user_id in users.items():
            out.tokens[name], _ = auth.issue_token(s, actor=SYSTEM, user_id=user_id, name="t")
    return out


def _script() -> list[Any]:
    workspace = read_workspace()
    found = [c for c in workspace.conversations if c.key == "conv_billing_irate"]
    return list(found[0].messages)


def _case(client: TestClient, w: World, cid: int, who: str = "supervisor") -> Any:
    response = client.get(f"{API}/conversations/{cid}/case", headers=w.headers(who))
    assert response.status_code == 200, response.text
    return response.json()


def _done(case: Any) -> set[str]:
    return {s["id"] for s in case["steps"] if s["done"]}


def _timer(case: Any, kind: str) -> Any:
    return next(t for t in case["sla"] if t["kind"] == kind)


def _at(value: str) -> datetime:
    parsed = datetime.fromisoformat(value)
    assert parsed.utcoffset() == timedelta(0), value  # every instant is UTC
    return parsed


def _events(client: TestClient, w: World, cid: int) -> list[Any]:
    response = client.get(f"{API}/conversations/{cid}/events", headers=w.headers("admin"))
    return list(response.json())


def _open_irate(client: TestClient, w: World, billing: Billing, customer: int, text: str) -> int:
    body = {
        "subject": "Charged twice for my order",
        "customer_id": customer,
        "channel": "email",
        "team_id": billing.team,
        "message": {"text": text},
    }
    response = client.post(f"{API}/conversations", json=body, headers=w.headers("admin"))
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def test_irate_billing_customer_scenario(
    client: TestClient, world: World, db: Database, billing: Billing, clock: FixedClock
) -> None:
    opened = clock.now()
    first, reply, angry, note, handover, supervisor_reply, _thanks = _script()
    maria = client.post(
        f"{API}/customers", json={"name": "Maria Lopez"}, headers=world.headers("admin")
    ).json()["id"]
    cid = _open_irate(client, world, billing, maria, first.text)

    # Routing: hot, churn threat and a manager request -> a senior with the de-escalation skill.
    conversation = client.get(f"{API}/conversations/{cid}", headers=world.headers("admin")).json()
    assert conversation["team_id"] == billing.team
    assert conversation["assignee_id"] == billing.users["sara"]
    assert conversation["priority"] == "high"
    heat = conversation["insight"]["heat"]
    assert heat >= 75 and {"churn_threat", "escalation_request"} <= set(
        conversation["insight"]["signals"]
    )

    case = _case(client, world, cid)
    assert case["escalation_level"] >= 1
    assert {"identify_cause", "listen"} <= _done(case)
    assert not {"empathise", "apologise", "offer_options"} & _done(case)
    assert "escalate" in _done(case)  # the system escalated it with a hand-off note
    action = case["next_action"]
    assert action["urgent"] and action["step_id"] == "empathise"
    assert action["reason"].startswith(f"heat is {heat:.0f}/100 and no empathy shown yet: ")
    first_response = _timer(case, "first_response")
    assert first_response["state"] == "running"
    assert _at(first_response["started_at"]) == opened
    target = timedelta(minutes=first_response["target_minutes"])
    assert _at(first_response["due_at"]) == opened + target  # the 24/7 default calendar
    assert _at(first_response["warn_at"]) == opened + target * 0.8

    # The escalation: on the supervisors' queue, with a hand-off note and a signed notification.
    queue = client.get(f"{API}/escalations", headers=world.headers("supervisor")).json()
    assert [q["conversation_id"] for q in queue] == [cid]
    events = _events(client, world, cid)
    fired = {e["data"]["rule"] for e in events if e["kind"] == "conversation.escalated"}
    assert {"hot-conversation", "churn-threat", "manager-requested"} <= fired
    messages = client.get(f"{API}/conversations/{cid}/messages", headers=world.headers("admin"))
    notes = [m["text"] for m in messages.json() if m["direction"] == "note"]
    assert len(notes) == 1 and notes[0].startswith("HAND-OFF NOTE")
    assert "Customer wants:" in notes[0] and "escalation_request" in notes[0]
    assert "A manager" in notes[0] or "manager" in notes[0].split("Evidence:", 1)[1]
    with db.read() as s:
        kinds = {n.kind for n in s.scalars(select(Notification))}
    assert "conversation.escalated" in kinds

    _say(client, billing, clock, opened, reply, cid, "sara")
    case = _case(client, world, cid)
    assert {"empathise", "apologise", "offer_options", "act_and_inform", "thank"} <= _done(case)
    assert _timer(case, "first_response")["state"] == "met"
    assert case["next_action"]["step_id"] == "clarify"
    assert not case["next_action"]["urgent"]

    _say(client, billing, clock, opened, angry, cid, "admin", world)
    case = _case(client, world, cid)
    next_response = _timer(case, "next_response")
    assert _at(next_response["started_at"]) == opened + timedelta(minutes=angry.minutes_after_open)
    assert next_response["state"] == "running"
    with db.write() as s:
        assert run_tick(s, clock.now()) == []  # nothing is due yet

    _say(client, billing, clock, opened, note, cid, "sara")
    _say(client, billing, clock, opened, handover, cid, "sara")
    assert not any(t["kind"] == "next_response" for t in _case(client, world, cid)["sla"])

    # The supervisor takes the case over explicitly and writes to the customer.
    clock.advance(timedelta(minutes=5))
    override = client.put(
        f"{API}/conversations/{cid}/assignee",
        json={"user_id": world.users["supervisor"], "reason": "manager contact"},
        headers=world.headers("supervisor"),
    )
    assert override.status_code == 200, override.text
    _say(client, billing, clock, opened, supervisor_reply, cid, "supervisor", world)
    conversation = client.get(f"{API}/conversations/{cid}", headers=world.headers("admin")).json()
    assert conversation["assignee_id"] == world.users["supervisor"]
    kinds = [e["kind"] for e in _events(client, world, cid)]
    assert "conversation.reassigned" in kinds and "conversation.routed" in kinds


def _say(
    client: TestClient,
    billing: Billing,
    clock: FixedClock,
    opened: datetime,
    message: Any,
    cid: int,
    who: str,
    world: World | None = None,
) -> None:
    """Post one scripted message at its minute of the script."""
    at = opened + timedelta(minutes=message.minutes_after_open)
    clock.advance(max(at - clock.now(), timedelta(0)))
    headers = world.headers(who) if world else billing.headers(who)
    body = {"text": message.text, "direction": message.direction}
    response = client.post(f"{API}/conversations/{cid}/messages", json=body, headers=headers)
    assert response.status_code == 201, response.text


def _post(client: TestClient, headers: dict[str, str], cid: int, text: str, **extra: Any) -> Any:
    body = {"text": text, **extra}
    response = client.post(f"{API}/conversations/{cid}/messages", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def _status(client: TestClient, w: World, cid: int) -> str:
    return str(
        client.get(f"{API}/conversations/{cid}", headers=w.headers("admin")).json()["status"]
    )


def _resolve(client: TestClient, w: World, cid: int) -> None:
    current = client.get(f"{API}/conversations/{cid}", headers=w.headers("agent_x"))
    headers = {**w.headers("agent_x"), "If-Match": current.headers["ETag"]}
    body = {"status": "resolved"}
    response = client.patch(f"{API}/conversations/{cid}", json=body, headers=headers)
    assert response.status_code == 200, response.text


def test_thanks_after_resolution_does_not_reopen_but_a_follow_up_does(
    client: TestClient, world: World
) -> None:
    customer = world.headers("customer_a")
    _resolve(client, world, world.conv_a)
    _post(client, customer, world.conv_a, "Thanks, all good now!")
    assert _status(client, world, world.conv_a) == "resolved"
    kinds = [e["kind"] for e in _events(client, world, world.conv_a)]
    assert "conversation.thanked_after_resolution" in kinds
    _post(client, customer, world.conv_a, "The lamp is broken again and now it sparks. Help?")
    assert _status(client, world, world.conv_a) == "open"


def test_supervisor_override_is_kept_by_routing_and_rules(
    client: TestClient, world: World, billing: Billing
) -> None:
    body = {"user_id": billing.users["tina"], "reason": "mentoring"}
    url = f"{API}/conversations/{world.conv_a}/assignee"
    assert client.put(url, json=body, headers=world.headers("agent_x")).status_code == 403
    assert client.put(url, json=body, headers=world.headers("supervisor")).status_code == 200
    # A hot message would take it from a trainee, but a supervisor chose this one explicitly.
    _post(client, world.headers("customer_a"), world.conv_a, _script()[0].text)
    detail = client.get(f"{API}/conversations/{world.conv_a}", headers=world.headers("admin"))
    assert detail.json()["insight"]["heat"] >= 60
    assert detail.json()["assignee_id"] == billing.users["tina"]
    events = _events(client, world, world.conv_a)
    assert events[-1]["kind"] != "conversation.routed"


def test_a_supervisor_assigning_over_the_api_update_is_an_override_too(
    client: TestClient, world: World, billing: Billing
) -> None:
    """Parity with the web form: whichever way a supervisor picks the assignee, routing keeps
    the choice; an agent's assignment stays a plain update."""
    url = f"{API}/conversations/{world.conv_a}"

    def assign(who: str, user_id: int) -> None:
        version = client.get(url, headers=world.headers("admin")).json()["version"]
        body = {"assignee_id": user_id, "version": version}
        reply = client.patch(url, json=body, headers=world.headers(who))
        assert reply.status_code == 200, reply.text

    def overrides() -> list[dict[str, object]]:
        events = _events(client, world, world.conv_a)
        return [e for e in events if e["kind"] == "conversation.reassigned"]

    assign("agent_x", world.users["agent_y"])
    assert overrides() == []
    assign("supervisor", billing.users["tina"])
    [override] = overrides()
    assert override["data"] == {
        "user_id": billing.users["tina"],
        "previous": world.users["agent_y"],
        "reason": "assigned by a supervisor",
        "override": True,
    }
    # Kept: a hot message would take it from a trainee, but a supervisor chose this one.
    _post(client, world.headers("customer_a"), world.conv_a, _script()[0].text)
    detail = client.get(url, headers=world.headers("admin")).json()
    assert detail["insight"]["heat"] >= 60
    assert detail["assignee_id"] == billing.users["tina"]


def test_a_conversation_that_heats_up_leaves_the_trainee(
    client: TestClient, world: World, billing: Billing
) -> None:
    maria = client.post(f"{API}/customers", json={"name": "M"}, headers=world.headers("admin"))
    cid = _open_irate(client, world, billing, maria.json()["id"], "Hello, a quick question.")
    detail = client.get(f"{API}/conversations/{cid}", headers=world.headers("admin")).json()
    # Calm: the least-loaded agent, trainees included (lowest id on a tie).
    assert detail["assignee_id"] == billing.users["tina"]
    hot = (
        "You charged me TWICE. This is absolutely unacceptable and I want a manager. Fix it "
        "today or I am cancelling my membership and I'm done with you for good."
    )
    _post(client, world.headers("admin"), cid, hot, direction="inbound")
    detail = client.get(f"{API}/conversations/{cid}", headers=world.headers("admin")).json()
    assert detail["insight"]["heat"] >= 60
    assert detail["assignee_id"] != billing.users["tina"]
    assert detail["assignee_id"] == billing.users["sara"]


ABUSE = "You useless idiots, this is the third time. Fix my damn sofa."


def test_abuse_is_flagged_masked_for_agents_and_escalated_when_repeated(
    client: TestClient, world: World, db: Database
) -> None:
    message = _post(client, world.headers("customer_a"), world.conv_a, ABUSE)
    agent_view = client.get(
        f"{API}/conversations/{world.conv_a}/messages", headers=world.headers("agent_x")
    ).json()
    masked = next(m for m in agent_view if m["id"] == message["id"])
    assert masked["masked"] and "idiots" not in masked["text"] and "damn" not in masked["text"]
    assert masked["text"].startswith("Y** u****** i*****,") and len(masked["text"]) == len(ABUSE)
    for who in ("supervisor", "admin", "customer_a"):
        view = client.get(f"{API}/conversations/{world.conv_a}", headers=world.headers(who))
        original = next(m for m in view.json()["messages"] if m["id"] == message["id"])
        assert original["text"] == ABUSE and not original["masked"], who

    case = _case(client, world, world.conv_a, "agent_x")
    assert case["abusive_messages"] == 1
    [flag] = case["abuse"]
    assert flag["message_id"] == message["id"] and flag["severity"] >= 2
    assert {e["text"] for e in flag["evidence"]} >= {"You useless idiots"}
    assert all(ABUSE[e["start"] : e["end"]] == e["text"] for e in flag["evidence"])
    assert case["next_action"]["step_id"] == "set_boundaries"
    assert "respectful" in case["suggested_reply"]
    queue = client.get(f"{API}/escalations", headers=world.headers("supervisor")).json()
    assert world.conv_a in [q["conversation_id"] for q in queue]  # the supervisor is alerted
    with db.read() as s:
        assert "abuse.flagged" in {n.kind for n in s.scalars(select(Notification))}

    boundary = "I want to help, but I won't accept abusive language. Please keep it respectful."
    _post(client, world.headers("agent_x"), world.conv_a, boundary)
    case = _case(client, world, world.conv_a, "agent_x")
    assert "set_boundaries" in _done(case) and case["suggested_reply"] is None

    _post(client, world.headers("customer_a"), world.conv_a, "Shut up, you pathetic morons.")
    detail = client.get(f"{API}/conversations/{world.conv_a}", headers=world.headers("admin"))
    assert detail.json()["assignee_id"] == world.users["supervisor"]
    assert _case(client, world, world.conv_a)["escalation_level"] == 2
    customer = client.get(f"{API}/customers/{world.customer_a}", headers=world.headers("admin"))
    assert customer.json()["blocked"] is False  # blocking is off in the default policy


def test_tick_fires_sla_warning_and_breach_once_and_their_rules(
    client: TestClient, world: World, db: Database, clock: FixedClock
) -> None:
    body = {"subject": "Invoice copy", "customer_id": world.customer_b, "message": {"text": "Hi"}}
    created = client.post(f"{API}/conversations", json=body, headers=world.headers("admin"))
    cid = created.json()["id"]
    timer = _timer(_case(client, world, cid), "first_response")
    warn, due = _at(timer["warn_at"]), _at(timer["due_at"])
    with db.write() as s:
        run_tick(s, clock.now())
    clock.advance(warn - clock.now() + timedelta(minutes=1))
    with db.write() as s:
        assert f"conversation:{cid}:first_response:warning" in run_tick(s, clock.now())
    with db.write() as s:
        assert run_tick(s, clock.now()) == []  # the same instant again: nothing fires twice
    assert _timer(_case(client, world, cid), "first_response")["state"] == "warning"
    clock.advance(due - clock.now() + timedelta(minutes=1))
    with db.write() as s:
        assert f"conversation:{cid}:first_response:breach" in run_tick(s, clock.now())
    clock.advance(timedelta(hours=1))
    with db.write() as s:
        assert not [k for k in run_tick(s, clock.now()) if k.startswith(f"conversation:{cid}:")]
    rules = [
        e["data"]["rule"]
        for e in _events(client, world, cid)
        if e["kind"] == "conversation.escalated"
    ]
    assert sorted(rules) == ["sla-about-to-breach", "sla-breached"]
    detail = client.get(f"{API}/conversations/{cid}", headers=world.headers("admin")).json()
    assert detail["priority"] == "high"
