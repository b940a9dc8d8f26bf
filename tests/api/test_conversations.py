"""Conversation lifecycle over the API: create (idempotent), list, update (versioned), messages."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.world import World

BASE = "/api/v1/conversations"


def _create(client: TestClient, w: World, who: str = "agent_x", **extra: Any) -> Any:
    body = {"subject": "Where is my order?", "customer_id": w.customer_a, "message": {"text": "?"}}
    body.update(extra)
    return client.post(BASE, json=body, headers=w.headers(who))


def test_create_returns_the_conversation_with_its_first_message(
    client: TestClient, world: World
) -> None:
    response = _create(client, world, tags=["Billing", "billing", "vip"])
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "new" and body["version"] == 1
    assert body["tags"] == ["billing", "vip"]
    assert [m["direction"] for m in body["messages"]] == ["inbound"]
    assert body["messages"][0]["author_customer_id"] == world.customer_a
    assert response.headers["ETag"] == '"1"'
    assert response.headers["Location"] == f"{BASE}/{body['id']}"


def test_idempotency_key_replays_the_first_result(client: TestClient, world: World) -> None:
    headers = {**world.headers("customer_a"), "Idempotency-Key": "order-123-retry"}
    body = {"subject": "Refund please", "message": {"text": "Please refund NW-48213."}}
    first = client.post(BASE, json=body, headers=headers)
    second = client.post(BASE, json=body, headers=headers)
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.headers["Idempotent-Replayed"] == "true"
    assert first.json()["id"] == second.json()["id"]
    listed = client.get(BASE, headers=world.headers("customer_a")).json()["items"]
    assert sum(c["subject"] == "Refund please" for c in listed) == 1
    changed = client.post(BASE, json={**body, "subject": "Other"}, headers=headers)
    assert changed.status_code == 422
    assert changed.json()["code"] == "idempotency_key_reused"


def test_idempotency_keys_are_scoped_per_principal(client: TestClient, world: World) -> None:
    body = {"subject": "Same key", "message": {"text": "hello"}}
    key = {"Idempotency-Key": "shared-key"}
    a = client.post(BASE, json=body, headers={**world.headers("customer_a"), **key})
    b = client.post(BASE, json=body, headers={**world.headers("customer_b"), **key})
    assert a.status_code == b.status_code == 201
    assert a.json()["id"] != b.json()["id"]


def test_update_requires_a_version(client: TestClient, world: World) -> None:
    url = f"{BASE}/{world.conv_a}"
    response = client.patch(url, json={"status": "pending"}, headers=world.headers("agent_x"))
    assert response.status_code == 428
    assert response.json()["code"] == "precondition_required"


def test_stale_if_match_gets_412_and_stale_version_409(client: TestClient, world: World) -> None:
    url, h = f"{BASE}/{world.conv_a}", world.headers("agent_x")
    etag = client.get(url, headers=h).headers["ETag"]
    ok = client.patch(url, json={"priority": "urgent"}, headers={**h, "If-Match": etag})
    assert ok.status_code == 200 and ok.headers["ETag"] != etag
    stale = client.patch(url, json={"priority": "low"}, headers={**h, "If-Match": etag})
    assert stale.status_code == 412
    assert stale.json()["current_version"] == ok.json()["version"]
    old_version = int(etag.strip('"'))
    conflict = client.patch(url, json={"priority": "low", "version": old_version}, headers=h)
    assert conflict.status_code == 409
    assert client.get(url, headers=h).json()["priority"] == "urgent"


def test_update_changes_status_assignee_tags_and_records_events(
    client: TestClient, world: World
) -> None:
    url, h = f"{BASE}/{world.conv_a}", world.headers("supervisor")
    version = client.get(url, headers=h).json()["version"]
    body = {
        "status": "on_hold",
        "assignee_id": world.users["agent_x"],
        "tags": ["Refund", "urgent-case"],
        "version": version,
    }
    response = client.patch(url, json=body, headers=h)
    assert response.status_code == 200, response.text
    out = response.json()
    assert (out["status"], out["assignee_id"], out["tags"]) == (
        "on_hold",
        world.users["agent_x"],
        ["refund", "urgent-case"],
    )
    events = client.get(f"{url}/events", headers=h).json()
    assert events[-1]["kind"] == "conversation.updated"
    assert events[-1]["actor_user_id"] == world.users["supervisor"]
    assert events[-1]["data"]["status"] == "on_hold"


def test_assigning_an_unknown_user_is_a_clear_error(client: TestClient, world: World) -> None:
    url, h = f"{BASE}/{world.conv_a}", world.headers("admin")
    version = client.get(url, headers=h).json()["version"]
    response = client.patch(url, json={"assignee_id": 99999, "version": version}, headers=h)
    assert response.status_code == 422
    assert "user 99999" in response.json()["detail"]


def test_closed_conversations_stay_closed(client: TestClient, world: World) -> None:
    url, h = f"{BASE}/{world.conv_a}", world.headers("agent_x")
    version = client.get(url, headers=h).json()["version"]
    assert client.patch(url, json={"status": "closed", "version": version}, headers=h).is_success
    reply = client.post(
        f"{url}/messages", json={"text": "more"}, headers=world.headers("customer_a")
    )
    assert reply.status_code == 409
    version += 1
    reopen = client.patch(url, json={"status": "open", "version": version}, headers=h)
    assert reopen.status_code == 409


def test_customer_reply_reopens_a_pending_conversation(client: TestClient, world: World) -> None:
    url, h = f"{BASE}/{world.conv_a}", world.headers("agent_x")
    version = client.get(url, headers=h).json()["version"]
    client.patch(url, json={"status": "pending", "version": version}, headers=h)
    client.post(f"{url}/messages", json={"text": "Any news?"}, headers=world.headers("customer_a"))
    assert client.get(url, headers=h).json()["status"] == "open"


def test_messages_are_idempotent_by_external_id(client: TestClient, world: World) -> None:
    url = f"{BASE}/{world.conv_a}/messages"
    body = {"text": "Forwarded mail", "external_id": "<abc@mail.example>", "direction": "inbound"}
    first = client.post(url, json=body, headers=world.headers("agent_x"))
    again = client.post(url, json=body, headers=world.headers("agent_x"))
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    elsewhere = client.post(
        f"{BASE}/{world.conv_b}/messages", json=body, headers=world.headers("admin")
    )
    assert elsewhere.status_code == 409


@pytest.mark.parametrize("direction", ["outbound", "note"])
def test_customers_cannot_post_agent_messages(
    client: TestClient, world: World, direction: str
) -> None:
    response = client.post(
        f"{BASE}/{world.conv_a}/messages",
        json={"text": "I am the agent now", "direction": direction},
        headers=world.headers("customer_a"),
    )
    assert response.status_code == 403


def test_agent_reply_and_note_are_attributed(client: TestClient, world: World) -> None:
    url, h = f"{BASE}/{world.conv_a}/messages", world.headers("agent_x")
    reply = client.post(url, json={"text": "On it."}, headers=h).json()
    note = client.post(url, json={"text": "FYI", "direction": "note"}, headers=h).json()
    assert (reply["direction"], note["direction"]) == ("outbound", "note")
    assert reply["author_user_id"] == note["author_user_id"] == world.users["agent_x"]


def test_blocked_customers_cannot_open_conversations(client: TestClient, world: World) -> None:
    blocked = client.patch(
        f"/api/v1/customers/{world.customer_a}",
        json={"blocked": True},
        headers=world.headers("admin"),
    )
    assert blocked.status_code == 200
    assert _create(client, world).status_code == 403
    # and their token no longer works
    own = client.get(BASE, headers=world.headers("customer_a"))
    assert own.status_code == 401


def test_a_message_of_control_characters_only_is_refused(client: TestClient, world: World) -> None:
    url, h = f"{BASE}/{world.conv_a}/messages", world.headers("customer_a")
    before = client.get(f"{BASE}/{world.conv_a}/messages", headers=h).json()
    refused = client.post(url, json={"text": "\x00\x07 \x1b"}, headers=h)
    assert refused.status_code == 422 and "must not be blank" in refused.text
    assert client.get(f"{BASE}/{world.conv_a}/messages", headers=h).json() == before
