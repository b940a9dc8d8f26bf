"""The OpenAPI document says what the API does: exact id bounds, errors as problem+json, and
links from each created resource to the operations on it (src/accord/api/openapi.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from accord.api.app import create_app
from accord.core.ids import MAX_ID
from accord.settings import Settings
from tests.world import World


@pytest.fixture(scope="module")
def doc() -> dict[str, Any]:
    return create_app(Settings(database_url="sqlite://")).openapi()


def _bounds(node: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
                yield key, value
            else:
                yield from _bounds(value)
    elif isinstance(node, list):
        for item in node:
            yield from _bounds(item)


def test_id_bounds_are_exact_integers(doc: dict[str, Any]) -> None:
    """FastAPI held bounds as floats: an id's maximum read 9.223372036854776e+18, i.e. 2**63,
    a value every route refuses (422), so a client following the document was told wrong."""
    bounds = list(_bounds(doc))
    assert bounds
    assert all(isinstance(v, int) for _, v in bounds), [b for b in bounds if type(b[1]) is float]
    customer_id = doc["components"]["schemas"]["ConversationCreate"]["properties"]["customer_id"]
    assert customer_id["anyOf"][0]["maximum"] == MAX_ID


def test_errors_are_documented_as_the_problems_they_are(
    doc: dict[str, Any], client: TestClient, world: World
) -> None:
    """Every operation documents its errors as application/problem+json, which is what the API
    sends: FastAPI's default 422 (application/json, {"detail": [...]}) was never sent."""
    problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert responses["default"]["content"] == problem, (method, path)
            if "422" in responses:
                assert responses["422"]["content"] == problem, (method, path)
    assert "HTTPValidationError" not in doc["components"]["schemas"]
    required = set(doc["components"]["schemas"]["Problem"]["required"])
    invalid = client.post(
        "/api/v1/conversations", json={"subject": ""}, headers=world.headers("admin")
    )
    missing = client.get("/api/v1/conversations/999999", headers=world.headers("admin"))
    for response in (invalid, missing):
        assert response.headers["content-type"] == "application/problem+json"
        assert required <= set(response.json())
    assert invalid.json()["errors"][0].keys() == {"loc", "msg", "type"}


def _links(doc: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    found = {}
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            for response in operation["responses"].values():
                for name, link in response.get("links", {}).items():
                    found[(f"{method.upper()} {path}", name)] = link
    return found


def test_links_chain_a_new_conversation_to_the_operations_on_it(doc: dict[str, Any]) -> None:
    links = _links(doc)
    created = {name for (source, name) in links if source == "POST /api/v1/conversations"}
    assert {"GetConversation", "UpdateConversation", "AddMessage", "Escalate"} <= created
    update = links[("POST /api/v1/conversations", "UpdateConversation")]
    assert update["parameters"] == {
        "path.conversation_id": "$response.body#/id",
        "header.if-match": "$response.header.ETag",
    }


def test_every_link_names_a_real_operation_and_its_parameters(doc: dict[str, Any]) -> None:
    operations = {op["operationId"]: op for ops in doc["paths"].values() for op in ops.values()}
    links = _links(doc)
    assert len(links) >= 30
    for key, link in links.items():
        target = operations[link["operationId"]]
        declared = {f"{p['in']}.{p['name']}" for p in target.get("parameters", [])}
        assert set(link.get("parameters", {})) <= declared, key
        if "requestBody" in link:
            assert "requestBody" in target, key
