"""Replaying a message's `external_id` returns only what the caller could read, and a clash
with anything else answers one generic 409 that says nothing about what holds the id."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.world import World

BASE = "/api/v1/conversations"
NOTE_TEXT = "Internal: the customer is on the fraud watch list."


def _post(client: TestClient, w: World, who: str, conv: int, **body: Any) -> Any:
    return client.post(f"{BASE}/{conv}/messages", json=body, headers=w.headers(who))


def _created(client: TestClient, w: World, who: str, conv: int, **body: Any) -> None:
    response = _post(client, w, who, conv, **body)
    assert response.status_code == 201, response.text


def _note(client: TestClient, w: World, external_id: str) -> None:
    _created(
        client, w, "agent_x", w.conv_a, text=NOTE_TEXT, direction="note", external_id=external_id
    )


def _taken(response: Any, external_id: str) -> None:
    """A 409 that names the caller's own value and nothing else."""
    assert response.status_code == 409, response.text
    problem = response.json()
    assert problem["detail"] == f"external_id {external_id!r} is already in use"
    assert NOTE_TEXT not in response.text and "conversation" not in problem["detail"]


def test_a_customer_cannot_read_an_internal_note_by_replaying_its_external_id(
    client: TestClient, world: World
) -> None:
    _note(client, world, "n1")
    replay = _post(client, world, "customer_a", world.conv_a, text="hello", external_id="n1")
    _taken(replay, "n1")


def test_a_customer_cannot_replay_an_agent_reply_as_their_own_message(
    client: TestClient, world: World
) -> None:
    _created(client, world, "agent_x", world.conv_a, text="On its way.", external_id="r1")
    _taken(_post(client, world, "customer_a", world.conv_a, text="ok", external_id="r1"), "r1")


def test_an_external_id_of_another_conversation_is_not_disclosed(
    client: TestClient, world: World
) -> None:
    _created(client, world, "customer_b", world.conv_b, text="My sofa", external_id="b1")
    _taken(_post(client, world, "customer_a", world.conv_a, text="x", external_id="b1"), "b1")
    # Staff who cannot see conversation A learn nothing about what holds its ids either.
    _note(client, world, "n2")
    _taken(_post(client, world, "agent_y", world.conv_b, text="x", external_id="n2"), "n2")


def test_a_replay_of_ones_own_message_still_returns_it(client: TestClient, world: World) -> None:
    first = _post(client, world, "customer_a", world.conv_a, text="Any news?", external_id="c1")
    again = _post(client, world, "customer_a", world.conv_a, text="Any news?", external_id="c1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert again.headers["Idempotent-Replayed"] == "true"
    note = {"text": NOTE_TEXT, "direction": "note", "external_id": "n3"}
    staff = [_post(client, world, who, world.conv_a, **note) for who in ("agent_x", "supervisor")]
    assert [r.status_code for r in staff] == [201, 200]
    assert staff[1].json()["text"] == NOTE_TEXT


def test_a_new_conversation_with_a_taken_external_id_gets_the_same_answer(
    client: TestClient, world: World
) -> None:
    _note(client, world, "n4")
    body = {"subject": "Hi", "message": {"text": "hello", "external_id": "n4"}}
    response = client.post(BASE, json=body, headers=world.headers("customer_b"))
    _taken(response, "n4")
