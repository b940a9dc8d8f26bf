"""Regressions for what the property-based API run (tests/api/test_schemathesis.py) found:
each was a 500 or an answer the OpenAPI document did not describe."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from accord.core.ids import MAX_ID
from tests.world import World

TOO_LARGE = MAX_ID + 1  # 2**31: beyond PostgreSQL's INTEGER


def test_the_largest_id_fits_every_id_column() -> None:
    assert MAX_ID == 2**31 - 1


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/conversations/{id}",
        "/api/v1/customers/{id}",
        "/api/v1/users/{id}",
        "/api/v1/conversations?customer_id={id}",
        "/api/v1/events?after_id={id}",
    ],
)
def test_an_id_past_the_integer_columns_is_422_and_the_largest_is_404(
    client: TestClient, world: World, path: str
) -> None:
    """On PostgreSQL any id from 2**31 to 2**63 - 1 was accepted and overflowed the INTEGER
    id columns: 'integer out of range', a 500."""
    headers = world.headers("admin")
    too_large = client.get(path.format(id=TOO_LARGE), headers=headers)
    assert too_large.status_code == 422, too_large.text
    largest = client.get(path.format(id=MAX_ID), headers=headers)
    assert largest.status_code in (200, 404), largest.text


def test_an_id_past_the_integer_columns_in_a_body_is_422(client: TestClient, world: World) -> None:
    body = {"subject": "Hi", "customer_id": TOO_LARGE, "message": {"text": "hello"}}
    response = client.post("/api/v1/conversations", json=body, headers=world.headers("admin"))
    assert response.status_code == 422, response.text


def test_a_user_update_with_nulls_changes_nothing(client: TestClient, world: World) -> None:
    """`"role": null` was a 500 ('None' is not a valid Role), `"is_active": null` one too
    (NOT NULL constraint): null now means 'leave it as it is', as for customers."""
    url = f"/api/v1/users/{world.users['agent_x']}"
    before = client.get(url, headers=world.headers("admin")).json()
    body = {"name": None, "role": None, "is_active": None, "trainee": None, "capacity": None}
    response = client.patch(url, json=body, headers=world.headers("admin"))
    assert response.status_code == 200, response.text
    assert response.json() == before


@pytest.mark.parametrize("field", ["status", "tags", "subject", "priority"])
def test_a_conversation_field_that_always_holds_a_value_cannot_be_nulled(
    client: TestClient, world: World, field: str
) -> None:
    """`"status": null` was a 500 ('None' is not a valid Status), `"tags": null` an
    AssertionError; like subject and priority they are now 422."""
    url = f"/api/v1/conversations/{world.conv_a}"
    headers = world.headers("admin")
    version = client.get(url, headers=headers).json()["version"]
    response = client.patch(url, json={field: None, "version": version}, headers=headers)
    assert response.status_code == 422, response.text
    assert client.get(url, headers=headers).json()["version"] == version


def test_the_assignee_and_the_team_can_still_be_cleared(client: TestClient, world: World) -> None:
    url = f"/api/v1/conversations/{world.conv_a}"
    headers = world.headers("admin")
    version = client.get(url, headers=headers).json()["version"]
    body = {"assignee_id": None, "team_id": None, "version": version}
    response = client.patch(url, json=body, headers=headers)
    assert response.status_code == 200, response.text
    assert (response.json()["assignee_id"], response.json()["team_id"]) == (None, None)


def test_a_replayed_create_is_documented(client: TestClient, world: World) -> None:
    """A repeated create answers 200 with the first result: the document only knew 201."""
    doc = client.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/conversations", "/api/v1/conversations/{conversation_id}/messages"):
        responses = doc["paths"][path]["post"]["responses"]
        assert responses["200"]["content"] == responses["201"]["content"], path
    body = {"text": "Same again", "external_id": "findings-replay-1"}
    url = f"/api/v1/conversations/{world.conv_a}/messages"
    first = client.post(url, json=body, headers=world.headers("customer_a"))
    again = client.post(url, json=body, headers=world.headers("customer_a"))
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()


NUL_BODIES = {
    "team name": ("POST", "/api/v1/teams", lambda w: {"slug": "nul-team", "name": "N\x00ul"}),
    "team rename": ("PATCH", "/api/v1/teams/{team}", lambda w: {"name": "N\x00ul"}),
    "user rename": ("PATCH", "/api/v1/users/{agent}", lambda w: {"name": "N\x00ul"}),
    "token name": ("POST", "/api/v1/tokens", lambda w: {"name": "N\x00ul"}),
    "access code name": ("POST", "/api/v1/customers/{customer}/tokens", lambda w: {"name": "\x00"}),
    "escalation reason": (
        "POST",
        "/api/v1/conversations/{conv}/escalate",
        lambda w: {"reason": "Needs a supervisor\x00 now"},
    ),
    "override reason": (
        "PUT",
        "/api/v1/conversations/{conv}/assignee",
        lambda w: {"user_id": w.users["agent_x"], "reason": "N\x00ul"},
    ),
}


@pytest.mark.parametrize("case", sorted(NUL_BODIES))
def test_a_nul_character_in_a_body_is_dropped(client: TestClient, world: World, case: str) -> None:
    """PostgreSQL stores no NUL in text: each of these was a 500 there (and an override reason,
    kept in an event's JSON, broke every later query over events, the customer export's
    included). A NUL is dropped from every string of a request body."""
    method, path, body = NUL_BODIES[case]
    url = path.format(
        team=world.team_x,
        agent=world.users["agent_x"],
        customer=world.customer_a,
        conv=world.conv_a,
    )
    response = client.request(method, url, json=body(world), headers=world.headers("admin"))
    assert 200 <= response.status_code < 300, response.text
    assert "\\u0000" not in response.text
    export = client.get(
        f"/api/v1/customers/{world.customer_a}/export", headers=world.headers("admin")
    )
    assert export.status_code == 200, export.text


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/conversations?tag=%00",
        "/api/v1/policies/playbooks/%00",
        "/api/v1/policies/playbooks/a%00/revisions",
        "/api/v1/conversations/1%00",
    ],
)
def test_a_nul_character_in_an_api_url_is_a_400(client: TestClient, world: World, url: str) -> None:
    """`?tag=%00` and `/policies/playbooks/%00` were 500s on PostgreSQL (text compared with a
    NUL); the API now refuses such a URL before any route runs."""
    response = client.get(url, headers=world.headers("admin"))
    assert response.status_code == 400, response.text
    assert response.json()["code"] == "bad_request"
