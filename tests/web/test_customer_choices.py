"""A customer opens a conversation with a subject and a message; priority and tags are for staff
to decide (they move SLA targets). A customer who sends them is refused with a clear 422, in the
API, the portal and the widget alike, and nothing is created."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import portal_login
from tests.world import World

API = "/api/v1/conversations"


def _count(web: TestClient, w: World) -> int:
    rows = web.get(API, params={"limit": 200}, headers=w.headers("admin")).json()["items"]
    return len(rows)


@pytest.mark.parametrize(
    ("field", "value"), [("priority", "urgent"), ("tags", ["vip"]), ("priority", "normal")]
)
def test_the_api_refuses_a_customers_priority_and_tags(
    web: TestClient, world: World, field: str, value: Any
) -> None:
    before = _count(web, world)
    body = {"subject": "Broken lamp", "message": {"text": "It flickers."}, field: value}
    response = web.post(API, json=body, headers=world.headers("customer_a"))
    assert response.status_code == 422, response.text
    problem = response.json()
    assert field in problem["detail"] and "staff" in problem["detail"]
    assert _count(web, world) == before


def test_staff_still_set_them_and_customers_get_the_defaults(web: TestClient, world: World) -> None:
    staff = {"subject": "Call back", "customer_id": world.customer_a, "message": {"text": "x"}}
    made = web.post(
        API, json={**staff, "priority": "urgent", "tags": ["vip"]}, headers=world.headers("admin")
    )
    assert made.status_code == 201 and made.json()["priority"] == "urgent"
    own = {"subject": "Broken lamp", "message": {"text": "It flickers."}}
    mine = web.post(API, json=own, headers=world.headers("customer_a"))
    assert mine.status_code == 201, mine.text
    assert (mine.json()["priority"], mine.json()["tags"]) == ("normal", [])


def test_the_portal_refuses_a_priority(web: TestClient, world: World) -> None:
    before = _count(web, world)
    csrf = portal_login(web, world.tokens["customer_a"])
    form = {"subject": "Lamp", "text": "Still broken", "priority": "urgent", "csrf_token": csrf}
    response = web.post("/portal/conversations", data=form, follow_redirects=False)
    assert response.status_code == 422, response.status_code
    assert _count(web, world) == before


def test_the_widget_refuses_a_priority(web: TestClient, world: World) -> None:
    body = {"text": "Hello", "priority": "urgent", "tags": ["vip"]}
    response = web.post("/widget/v1/messages", json=body, headers=world.headers("customer_b"))
    assert response.status_code == 422, response.text
