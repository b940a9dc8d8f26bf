"""Issue 15: who may issue a customer's access code (a customer API token), and the audit trail.

An access code acts as its customer on every conversation of theirs, so issuing one is only for
staff who already see all of that customer's conversations: admins and supervisors, or an agent
when every conversation of the customer is one they may see (and there is at least one).
"""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.world import World


def _issue(client: TestClient, w: World, who: str, customer_id: int) -> Any:
    url = f"/api/v1/customers/{customer_id}/tokens"
    return client.post(url, json={"name": f"by {who}"}, headers=w.headers(who))


def _audit(client: TestClient, w: World, kind: str) -> list[dict[str, Any]]:
    events = client.get("/api/v1/events?limit=500", headers=w.headers("admin")).json()
    return [e for e in events if e["kind"] == kind]


def test_an_agent_cannot_issue_a_code_for_a_customer_of_another_team(
    client: TestClient, world: World
) -> None:
    refused = _issue(client, world, "agent_x", world.customer_b)  # conv_b is team Y's
    assert refused.status_code in (403, 404), refused.text
    assert "token" not in refused.json()
    assert _issue(client, world, "agent_y", world.customer_a).status_code in (403, 404)
    # and so cannot read or write team Y's conversation as customer B
    assert not [
        e for e in _audit(client, world, "token.created") if e["data"]["name"] == "by agent_x"
    ]


def test_an_agent_who_sees_every_conversation_of_the_customer_may_issue(
    client: TestClient, world: World
) -> None:
    made = _issue(client, world, "agent_x", world.customer_a)
    assert made.status_code == 201, made.text
    # A second conversation of customer A, in team Y: the code would open it, so agent X may
    # no longer issue one; a supervisor and an admin still may.
    body = {"subject": "Refund", "customer_id": world.customer_a, "team_id": world.team_y}
    body["message"] = {"text": "Where is my refund?"}
    opened = client.post("/api/v1/conversations", json=body, headers=world.headers("admin"))
    assert opened.status_code == 201, opened.text
    assert _issue(client, world, "agent_x", world.customer_a).status_code in (403, 404)
    for who in ("supervisor", "admin"):
        assert _issue(client, world, who, world.customer_a).status_code == 201


def test_only_supervisors_and_admins_issue_codes_for_a_customer_without_conversations(
    client: TestClient, world: World
) -> None:
    fresh = client.post(
        "/api/v1/customers", json={"name": "New customer"}, headers=world.headers("agent_x")
    ).json()["id"]
    assert _issue(client, world, "agent_x", fresh).status_code in (403, 404)
    assert _issue(client, world, "supervisor", fresh).status_code == 201
    assert _issue(client, world, "customer_a", fresh).status_code in (403, 404)


def test_issuing_and_revoking_a_code_are_in_the_audit_trail(
    client: TestClient, world: World
) -> None:
    made = _issue(client, world, "agent_x", world.customer_a).json()
    issued = [
        e for e in _audit(client, world, "token.created") if e["data"]["token_id"] == made["id"]
    ]
    assert len(issued) == 1
    assert issued[0]["actor_user_id"] == world.users["agent_x"]
    assert issued[0]["data"]["customer_id"] == world.customer_a
    assert issued[0]["data"]["user_id"] is None
    url = f"/api/v1/tokens/{made['id']}"
    assert client.delete(url, headers=world.headers("admin")).status_code == 200
    revoked = [
        e for e in _audit(client, world, "token.revoked") if e["data"]["token_id"] == made["id"]
    ]
    assert len(revoked) == 1
    assert revoked[0]["actor_user_id"] == world.users["admin"]
    assert revoked[0]["data"]["customer_id"] == world.customer_a
