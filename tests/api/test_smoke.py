from __future__ import annotations

from fastapi.testclient import TestClient

from tests.world import World


def test_health_answers_without_credentials(client: TestClient) -> None:
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_bearer_token_lists_conversations(client: TestClient, world: World) -> None:
    response = client.get("/api/v1/conversations", headers=world.headers("admin"))
    assert response.status_code == 200
    ids = {c["id"] for c in response.json()["items"]}
    assert ids == {world.conv_a, world.conv_b}
