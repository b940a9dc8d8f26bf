"""The OpenAPI document: what FastAPI generates, plus three things it cannot say by itself.

- Errors. Every error leaves as `application/problem+json` (`accord.api.problems`), 422
  included, so each operation documents its 422 and a `default` response as a Problem, not
  FastAPI's `application/json` HTTPValidationError that is never sent.
- Integer bounds. FastAPI's OpenAPI models hold `minimum`/`maximum` as floats (an id's bounds
  came out as 1.0 and, when ids went to 2**63 - 1, as 9.223372036854776e+18, i.e. 2**63, out of
  range); the integers are put back.
- Links. How the id (and ETag) an operation returns feeds the operations on that resource:
  create a conversation, then read, update, reply to, escalate it ... Clients can follow them,
  and the property-based API tests (tests/api/test_schemathesis.py) chain calls along them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel, ConfigDict, Field

from accord.api.problems import MEDIA_TYPE

__all__ = ["LINKS", "Link", "install"]

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
_BOUNDS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")
_FLOAT_EXACT = 2**53  # above this a float no longer holds every integer


class FieldError(BaseModel):
    loc: list[str | int]
    msg: str
    type: str


class Problem(BaseModel):
    """RFC 9457 problem details, as `accord.api.problems.problem` writes them."""

    model_config = ConfigDict(extra="allow", title="Problem")

    type: str = Field(description="`urn:accord:problem:<code>`.")
    title: str
    status: int
    code: str = Field(description="Stable error code (docs/errors.md).")
    detail: str
    errors: list[FieldError] | None = Field(
        default=None, description="422 validation_failed: what is wrong, field by field."
    )


@dataclass(frozen=True)
class Link:
    """`source` (method, path, status) returns what `target` (method, path) needs."""

    name: str
    source: tuple[str, str, str]
    target: tuple[str, str]
    parameters: dict[str, str]
    request_body: dict[str, Any] = field(default_factory=dict)


CONVERSATION = "/api/v1/conversations/{conversation_id}"
_ON_CONVERSATION = (
    ("GetConversation", "GET", CONVERSATION),
    ("ListMessages", "GET", f"{CONVERSATION}/messages"),
    ("AddMessage", "POST", f"{CONVERSATION}/messages"),
    ("GetAnalysis", "GET", f"{CONVERSATION}/analysis"),
    ("GetEvents", "GET", f"{CONVERSATION}/events"),
    ("GetCase", "GET", f"{CONVERSATION}/case"),
    ("Escalate", "POST", f"{CONVERSATION}/escalate"),
    ("ReviewDraft", "POST", f"{CONVERSATION}/coach/review"),
    ("ComposeDraft", "POST", f"{CONVERSATION}/coach/draft"),
)


def _conversation_links(source: tuple[str, str, str], id_at: str) -> list[Link]:
    by_id = {"path.conversation_id": f"$response.body#{id_at}"}
    return [Link(n, source, (m, p), by_id) for n, m, p in _ON_CONVERSATION]


LINKS: tuple[Link, ...] = (
    *_conversation_links(("POST", "/api/v1/conversations", "201"), "/id"),
    Link(
        "UpdateConversation",
        ("POST", "/api/v1/conversations", "201"),
        ("PATCH", CONVERSATION),
        {"path.conversation_id": "$response.body#/id", "header.if-match": "$response.header.ETag"},
    ),
    Link(
        "UpdateConversation",
        ("GET", CONVERSATION, "200"),
        ("PATCH", CONVERSATION),
        {"path.conversation_id": "$response.body#/id", "header.if-match": "$response.header.ETag"},
    ),
    *_conversation_links(("GET", "/api/v1/conversations", "200"), "/items/0/id"),
    *_conversation_links(("POST", f"{CONVERSATION}/messages", "201"), "/conversation_id"),
    Link(
        "GetCustomer",
        ("POST", "/api/v1/customers", "201"),
        ("GET", "/api/v1/customers/{customer_id}"),
        {"path.customer_id": "$response.body#/id"},
    ),
    Link(
        "UpdateCustomer",
        ("POST", "/api/v1/customers", "201"),
        ("PATCH", "/api/v1/customers/{customer_id}"),
        {"path.customer_id": "$response.body#/id"},
    ),
    Link(
        "IssueCustomerToken",
        ("POST", "/api/v1/customers", "201"),
        ("POST", "/api/v1/customers/{customer_id}/tokens"),
        {"path.customer_id": "$response.body#/id"},
    ),
    Link(
        "OpenConversation",
        ("POST", "/api/v1/customers", "201"),
        ("POST", "/api/v1/conversations"),
        {},
        {"customer_id": "$response.body#/id"},
    ),
    Link(
        "ListConversations",
        ("POST", "/api/v1/customers", "201"),
        ("GET", "/api/v1/conversations"),
        {"query.customer_id": "$response.body#/id"},
    ),
    Link(
        "GetUser",
        ("POST", "/api/v1/users", "201"),
        ("GET", "/api/v1/users/{user_id}"),
        {"path.user_id": "$response.body#/id"},
    ),
    Link(
        "UpdateUser",
        ("POST", "/api/v1/users", "201"),
        ("PATCH", "/api/v1/users/{user_id}"),
        {"path.user_id": "$response.body#/id"},
    ),
    Link(
        "UpdateTeam",
        ("POST", "/api/v1/teams", "201"),
        ("PATCH", "/api/v1/teams/{team_id}"),
        {"path.team_id": "$response.body#/id"},
    ),
    Link(
        "RevokeToken",
        ("POST", "/api/v1/tokens", "201"),
        ("DELETE", "/api/v1/tokens/{token_id}"),
        {"path.token_id": "$response.body#/id"},
    ),
    Link(
        "RevokeToken",
        ("POST", "/api/v1/customers/{customer_id}/tokens", "201"),
        ("DELETE", "/api/v1/tokens/{token_id}"),
        {"path.token_id": "$response.body#/id"},
    ),
)


def install(app: FastAPI) -> None:
    """Serve the completed document at `app.openapi_url` (built once, on first use)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = complete(_generated(app))
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _generated(app: FastAPI) -> dict[str, Any]:
    return get_openapi(
        title=app.title,
        version=app.version,
        openapi_version=app.openapi_version,
        summary=app.summary,
        description=app.description,
        routes=app.routes,
    )


def complete(doc: dict[str, Any]) -> dict[str, Any]:
    _exact_bounds(doc)
    _problems(doc)
    _links(doc)
    return doc


def _exact_bounds(node: Any) -> None:
    if isinstance(node, list):
        for item in node:
            _exact_bounds(item)
        return
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        if key in _BOUNDS and isinstance(value, float) and value.is_integer():
            node[key] = int(value) if abs(value) < _FLOAT_EXACT else value
        else:
            _exact_bounds(value)


def _problems(doc: dict[str, Any]) -> None:
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    schemas.update(_problem_schemas())
    content = {MEDIA_TYPE: {"schema": PROBLEM_REF}}
    for operations in doc["paths"].values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            if "422" in responses:
                responses["422"] = {"description": "Validation failed", "content": content}
            responses["default"] = {"description": "An error (problem details)", "content": content}
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)


def _problem_schemas() -> dict[str, Any]:
    found = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    definitions = found.pop("$defs", {})
    return {"Problem": found, **definitions}


def _links(doc: dict[str, Any]) -> None:
    paths = doc["paths"]

    def operation(method: str, path: str) -> dict[str, Any] | None:
        found: dict[str, Any] | None = paths.get(path, {}).get(method.lower())
        return found

    for link in LINKS:
        method, path, status = link.source
        source, target = operation(method, path), operation(*link.target)
        if source is None or target is None or status not in source["responses"]:
            continue
        body: dict[str, Any] = {"operationId": target["operationId"]}
        if link.parameters:
            body["parameters"] = link.parameters
        if link.request_body:
            body["requestBody"] = link.request_body
        source["responses"][status].setdefault("links", {})[link.name] = body
