"""Escalating by hand over the REST API: one level up, on the supervisors' queue, a hand-off
note with the reason, a timeline event, and the playbook's escalate step done."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from accord.cases.models import Notification
from accord.db.engine import Database
from tests.world import World

API = "/api/v1"


def _escalate(client: TestClient, world: World, who: str, cid: int, reason: str) -> Any:
    return client.post(
        f"{API}/conversations/{cid}/escalate", json={"reason": reason}, headers=world.headers(who)
    )


def test_an_agent_escalates_and_the_supervisor_sees_it(
    client: TestClient, world: World, db: Database
) -> None:
    supervisor = world.headers("supervisor")
    assert client.get(f"{API}/escalations", headers=supervisor).json() == []

    response = _escalate(client, world, "agent_x", world.conv_a, "Wants a refund above my limit")
    assert response.status_code == 200, response.text
    case = response.json()
    assert case["escalation_level"] == 1
    assert next(s for s in case["steps"] if s["id"] == "escalate")["done"]

    queue = client.get(f"{API}/escalations", headers=supervisor).json()
    assert [(q["conversation_id"], q["escalation_level"]) for q in queue] == [(world.conv_a, 1)]
    messages = client.get(f"{API}/conversations/{world.conv_a}/messages", headers=supervisor)
    notes = [m["text"] for m in messages.json() if m["direction"] == "note"]
    assert notes[-1].startswith("HAND-OFF NOTE")
    assert notes[-1].endswith("Why escalated: Wants a refund above my limit")
    events = client.get(f"{API}/conversations/{world.conv_a}/events", headers=supervisor).json()
    escalated = [e for e in events if e["kind"] == "conversation.escalated"]
    assert len(escalated) == 1
    assert escalated[0]["data"]["manual"] is True
    assert escalated[0]["data"]["reason"] == "Wants a refund above my limit"
    assert escalated[0]["data"]["actions"] == ["handoff_note"]
    with db.read() as s:
        assert "conversation.escalated" in {n.kind for n in s.scalars(select(Notification))}

    again = _escalate(client, world, "supervisor", world.conv_a, "Legal needs to look")
    assert again.json()["escalation_level"] == 2


def test_escalation_needs_a_reason_an_open_conversation_and_access(
    client: TestClient, world: World
) -> None:
    assert _escalate(client, world, "agent_x", world.conv_a, "   ").status_code == 422
    assert _escalate(client, world, "agent_y", world.conv_a, "not mine").status_code == 404
    assert _escalate(client, world, "customer_a", world.conv_a, "me").status_code in (403, 404)
    admin = world.headers("admin")
    current = client.get(f"{API}/conversations/{world.conv_a}", headers=admin)
    closed = client.patch(
        f"{API}/conversations/{world.conv_a}",
        json={"status": "closed"},
        headers={**admin, "If-Match": current.headers["ETag"]},
    )
    assert closed.status_code == 200, closed.text
    assert _escalate(client, world, "agent_x", world.conv_a, "too late").status_code == 409
    assert client.get(f"{API}/escalations", headers=world.headers("supervisor")).json() == []
