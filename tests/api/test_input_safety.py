"""Bad input gets a clear 4xx problem document, never a 500, and never changes anything."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.world import PASSWORD, World

SNEAKY_FIELDS = ("role", "is_admin", "owner_id", "created_at", "id", "customer_id_override")

WRITE_BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/api/v1/conversations"): {"subject": "s", "message": {"text": "t"}},
    ("POST", "/api/v1/conversations/{conv}/messages"): {"text": "t"},
    ("PATCH", "/api/v1/conversations/{conv}"): {"priority": "high", "version": 1},
    ("POST", "/api/v1/customers"): {"name": "n"},
    ("PATCH", "/api/v1/customers/{customer}"): {"tier": "vip"},
    ("PATCH", "/api/v1/users/{user}"): {"name": "n"},
    ("POST", "/api/v1/teams"): {"slug": "t", "name": "n"},
    ("POST", "/api/v1/tokens"): {"name": "n"},
}


def _url(path: str, w: World) -> str:
    return path.format(conv=w.conv_a, customer=w.customer_a, user=w.users["agent_x"])


# Changing a user's role is what the admin's PATCH /users/{id} is for; everywhere else it is
# an attempt at privilege escalation.
SNEAKY_CASES = [
    (method, path, field)
    for method, path in sorted(WRITE_BODIES)
    for field in SNEAKY_FIELDS
    if (path, field) != ("/api/v1/users/{user}", "role")
]


@pytest.mark.parametrize(("method", "path", "field"), SNEAKY_CASES)
def test_unknown_fields_are_rejected(
    client: TestClient, world: World, method: str, path: str, field: str
) -> None:
    body = {**WRITE_BODIES[(method, path)], field: "admin"}
    response = client.request(method, _url(path, world), json=body, headers=world.headers("admin"))
    assert response.status_code == 422, response.text
    problem = response.json()
    assert response.headers["content-type"] == "application/problem+json"
    assert problem["code"] == "validation_failed" and field in problem["detail"]


def test_nested_unknown_fields_are_rejected(client: TestClient, world: World) -> None:
    body = {"subject": "s", "message": {"text": "t", "author_user_id": 1}}
    response = client.post("/api/v1/conversations", json=body, headers=world.headers("customer_a"))
    assert response.status_code == 422


def test_malformed_json_is_400(client: TestClient, world: World) -> None:
    response = client.post(
        "/api/v1/conversations",
        content=b'{"subject": ',
        headers={**world.headers("admin"), "content-type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"


def test_oversized_body_is_413_and_nothing_is_stored(client: TestClient, world: World) -> None:
    body = {"subject": "big", "customer_id": world.customer_a, "message": {"text": "x" * 2_000_000}}
    response = client.post("/api/v1/conversations", json=body, headers=world.headers("admin"))
    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"
    listed = client.get("/api/v1/conversations", headers=world.headers("admin")).json()["items"]
    assert "big" not in {c["subject"] for c in listed}


@pytest.mark.parametrize(
    "path", ["/api/v1/conversations/abc", "/api/v1/conversations/1.5", "/api/v1/users/-"]
)
def test_bad_path_ids_are_422(client: TestClient, world: World, path: str) -> None:
    assert client.get(path, headers=world.headers("admin")).status_code == 422


@pytest.mark.parametrize("value", ['"abc"', "W/", "1,2", '"-1"'])
def test_bad_if_match_is_400(client: TestClient, world: World, value: str) -> None:
    response = client.patch(
        f"/api/v1/conversations/{world.conv_a}",
        json={"priority": "low"},
        headers={**world.headers("admin"), "If-Match": value},
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    "header", ["Basic YWRtaW46YWRtaW4=", "Bearer", "Bearer ", "Bearer nope", "Token abc"]
)
def test_bad_authorization_headers_are_401(client: TestClient, header: str) -> None:
    response = client.get("/api/v1/conversations", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_control_characters_and_newlines_are_cleaned(client: TestClient, world: World) -> None:
    body = {
        "subject": "Refund\r\nBcc: evil@example.com\x00",
        "customer_id": world.customer_a,
        "message": {"text": "line one\nline two\x07"},
    }
    out = client.post("/api/v1/conversations", json=body, headers=world.headers("admin")).json()
    assert out["subject"] == "Refund Bcc: evil@example.com"
    assert out["messages"][0]["text"] == "line one\nline two"


def test_wrong_password_and_unknown_email_look_the_same(client: TestClient, world: World) -> None:
    wrong = client.post(
        "/api/v1/auth/login", json={"email": world.emails["admin"], "password": "x"}
    )
    unknown = client.post("/api/v1/auth/login", json={"email": "no@one.example", "password": "x"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json()["detail"] == unknown.json()["detail"]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)
bodies = st.dictionaries(
    st.sampled_from(
        ["subject", "customer_id", "message", "priority", "tags", "channel", "team_id"]
    ),
    json_values,
    max_size=7,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=bodies)
def test_random_bodies_never_cause_a_server_error(
    client: TestClient, world: World, body: dict[str, Any]
) -> None:
    response = client.post(
        "/api/v1/conversations",
        content=json.dumps(body),
        headers={**world.headers("agent_x"), "content-type": "application/json"},
    )
    assert response.status_code < 500, response.text
    assert response.status_code in (201, 400, 403, 404, 409, 422)


def test_login_password_is_never_echoed(client: TestClient) -> None:
    response = client.post(
        "/api/v1/auth/login", json={"email": "not-an-email", "password": PASSWORD}
    )
    assert response.status_code == 422
    assert PASSWORD not in response.text
