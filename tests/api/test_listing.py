"""Filters, sorting and cursor pagination of the conversation list."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from accord.core.clock import FixedClock, get_clock, set_clock
from tests.world import World

BASE = "/api/v1/conversations"


@pytest.fixture
def many(client: TestClient, world: World) -> list[int]:
    """Nine more conversations, one minute apart, some tagged and some for team Y."""
    previous = get_clock()
    clock = FixedClock(previous.now() + timedelta(hours=1))
    set_clock(clock)
    ids = []
    try:
        for i in range(9):
            clock.advance(timedelta(minutes=1))
            body = {
                "subject": f"Case {i}",
                "customer_id": world.customer_b if i % 3 == 0 else world.customer_a,
                "team_id": world.team_y if i % 3 == 0 else world.team_x,
                "priority": "high" if i % 2 else "normal",
                "tags": ["refund"] if i % 4 == 0 else [],
                "message": {"text": f"message {i}"},
            }
            response = client.post(BASE, json=body, headers=world.headers("admin"))
            ids.append(response.json()["id"])
    finally:
        set_clock(previous)
    return ids


@pytest.mark.parametrize("sort", ["created_at", "-created_at", "-last_message_at", "updated_at"])
def test_cursor_pages_cover_everything_once_in_order(
    client: TestClient, world: World, many: list[int], sort: str
) -> None:
    seen, cursor = [], None
    while True:
        params = {"sort": sort, "limit": 4, **({"cursor": cursor} if cursor else {})}
        page = client.get(BASE, params=params, headers=world.headers("admin")).json()
        seen += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    ids = [c["id"] for c in seen]
    assert sorted(ids) == sorted({*many, world.conv_a, world.conv_b})
    key = sort.lstrip("-")
    values = [(c[key], c["id"]) for c in seen]
    assert values == sorted(values, reverse=sort.startswith("-"))


def test_filters_combine(client: TestClient, world: World, many: list[int]) -> None:
    h = world.headers("admin")
    high_x = client.get(BASE, params={"priority": "high", "team_id": world.team_x}, headers=h)
    assert {c["subject"] for c in high_x.json()["items"]} == {"Case 1", "Case 5", "Case 7"}
    tagged = client.get(BASE, params={"tag": "REFUND"}, headers=h).json()["items"]
    assert {c["subject"] for c in tagged} == {"Case 0", "Case 4", "Case 8"}
    statuses = client.get(BASE, params=[("status", "new"), ("status", "open")], headers=h)
    assert len(statuses.json()["items"]) == 11
    mine = client.get(BASE, params={"customer_id": world.customer_b}, headers=h).json()["items"]
    assert all(c["customer_id"] == world.customer_b for c in mine) and len(mine) == 4


def test_agents_only_page_through_what_they_may_see(
    client: TestClient, world: World, many: list[int]
) -> None:
    items = client.get(BASE, params={"limit": 200}, headers=world.headers("agent_y")).json()
    assert {c["team_id"] for c in items["items"]} == {world.team_y}


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        "e30",
        "eyJzIjoiY3JlYXRlZF9hdCJ9",
        "W10",
        "%%%",
        "eyJzIjoiLWxhc3RfbWVzc2FnZV9hdCIsInYiOjEsImlkIjoieCJ9",
    ],
)
def test_bad_cursors_are_400(client: TestClient, world: World, cursor: str) -> None:
    response = client.get(BASE, params={"cursor": cursor}, headers=world.headers("admin"))
    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"


def test_unknown_sort_and_filter_values_are_422(client: TestClient, world: World) -> None:
    h = world.headers("admin")
    assert client.get(BASE, params={"sort": "id; drop table"}, headers=h).status_code == 422
    assert client.get(BASE, params={"status": "bogus"}, headers=h).status_code == 422
    assert client.get(BASE, params={"limit": 0}, headers=h).status_code == 422
