"""Every request body in the OpenAPI document refuses fields it does not know, nested ones
included, so a typo or a smuggled field is a 422 and never silently ignored."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from accord.api.app import create_app
from accord.settings import Settings
from tests.world import World


def _open_objects(doc: dict[str, Any]) -> tuple[set[str], set[str]]:
    """(request schemas seen, those that accept unknown fields)."""
    components = doc["components"]["schemas"]
    seen: set[str] = set()
    open_: set[str] = set()

    def visit(schema: Any, name: str) -> None:
        if isinstance(schema, list):
            for item in schema:
                visit(item, name)
            return
        if not isinstance(schema, dict):
            return
        ref = schema.get("$ref")
        if isinstance(ref, str):
            target = ref.rsplit("/", 1)[-1]
            if target not in seen:
                seen.add(target)
                visit(components[target], target)
            return
        if schema.get("type") == "object" and schema.get("additionalProperties") is not False:
            open_.add(name)
        for key in ("properties", "$defs"):
            for value in schema.get(key, {}).values():
                visit(value, name)
        for key in ("items", "anyOf", "allOf", "oneOf"):
            visit(schema.get(key), name)

    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            for media in operation.get("requestBody", {}).get("content", {}).values():
                visit(media["schema"], f"{method.upper()} {path}")
    return seen, open_


def test_every_request_schema_forbids_unknown_fields() -> None:
    doc = create_app(Settings(database_url="sqlite://")).openapi()
    seen, open_ = _open_objects(doc)
    assert {"ConversationCreate", "EscalationRequest", "MessageIn"} <= seen
    assert not open_, f"request schemas that accept unknown fields: {sorted(open_)}"


def test_an_escalation_with_an_unknown_field_is_refused(client: TestClient, world: World) -> None:
    response = client.post(
        f"/api/v1/conversations/{world.conv_a}/escalate",
        json={"reason": "Needs a supervisor", "level": 3},
        headers=world.headers("agent_x"),
    )
    assert response.status_code == 422, response.status_code
    events = client.get("/api/v1/escalations", headers=world.headers("admin")).json()
    assert not [e for e in events if e["conversation_id"] == world.conv_a]
