"""Every web route × every identity, from the web routers' own route table (the API's matrix in
tests/api/test_access_matrix.py covers the OpenAPI routes; web pages are not in OpenAPI).

A route missing from MATRIX fails the test. Allowed identities get a 2xx or a redirect that is
not to the login page; anonymous browsers are sent to log in; other staff get 403 or 404.
Customers have no web login: their bearer token is not a web session.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from accord.web import ROUTERS, live
from tests.web.conftest import login_csrf, web_login
from tests.world import PASSWORD, World

IDENTITIES = ("anonymous", "customer_a", "agent_x", "agent_y", "supervisor", "admin")
EVERYONE = frozenset(IDENTITIES)
STAFF = frozenset({"agent_x", "agent_y", "supervisor", "admin"})
SUPERVISORS = frozenset({"supervisor", "admin"})
WORKS_CONV_A = frozenset({"agent_x", "supervisor", "admin"})
Form = Callable[[TestClient, World], dict[str, Any]] | None


def _version(client: TestClient, w: World) -> dict[str, Any]:
    version = client.get(f"/api/v1/conversations/{w.conv_a}", headers=w.headers("admin"))
    return {"version": version.json()["version"], "status": "open", "priority": "high"}


MATRIX: dict[tuple[str, str], tuple[frozenset[str], Form]] = {
    ("GET", "/"): (EVERYONE, None),
    ("GET", "/login"): (EVERYONE, None),
    ("POST", "/login"): (
        EVERYONE,
        lambda c, w: {
            "email": w.emails["agent_x"],
            "password": PASSWORD,
            "csrf_token": login_csrf(c),
        },
    ),
    ("POST", "/logout"): (STAFF, None),
    ("GET", "/inbox"): (STAFF, None),
    ("GET", "/supervisor"): (SUPERVISORS, None),
    ("GET", "/conversations/{conversation_id}"): (WORKS_CONV_A, None),
    ("POST", "/conversations/{conversation_id}/messages"): (
        WORKS_CONV_A,
        lambda c, w: {"text": "hello"},
    ),
    ("POST", "/conversations/{conversation_id}/steps/{step_id}"): (
        WORKS_CONV_A,
        lambda c, w: {"done": "true"},
    ),
    ("POST", "/conversations/{conversation_id}/update"): (WORKS_CONV_A, _version),
    ("POST", "/conversations/{conversation_id}/coach/review"): (
        WORKS_CONV_A,
        lambda c, w: {"text": "Not our fault."},
    ),
    ("POST", "/conversations/{conversation_id}/coach/apply"): (
        WORKS_CONV_A,
        lambda c, w: {"text": "Not our fault.", "criterion": "empathy"},
    ),
    ("POST", "/conversations/{conversation_id}/coach/draft"): (WORKS_CONV_A, lambda c, w: {}),
    ("GET", "/inbox/stream"): (STAFF, None),
    ("GET", "/conversations/{conversation_id}/stream"): (WORKS_CONV_A, None),
}


@pytest.fixture(autouse=True)
def _short_streams(monkeypatch: pytest.MonkeyPatch) -> None:
    """Live streams send their first event and end, so a test can read them whole."""
    monkeypatch.setattr(live, "LIFETIME_POLLS", 0)


def _routes() -> list[tuple[str, str]]:
    found = []
    for router in ROUTERS:
        for route in router.routes:
            assert isinstance(route, APIRoute)
            found += [(m, route.path) for m in route.methods]
    return sorted(found)


def test_every_web_route_is_classified() -> None:
    unclassified = [r for r in _routes() if r not in MATRIX]
    assert not unclassified, f"add these routes to MATRIX: {unclassified}"
    assert not [r for r in MATRIX if r not in _routes()], "MATRIX names routes that are gone"


def _login(client: TestClient, world: World, who: str) -> dict[str, str]:
    client.cookies.clear()
    if who == "anonymous":
        return {}
    if who.startswith("customer"):
        return world.headers(who)
    return {"X-CSRF-Token": web_login(client, world.emails[who])}


@pytest.mark.parametrize(("method", "path"), sorted(MATRIX))
def test_web_route_access(web: TestClient, world: World, method: str, path: str) -> None:
    allowed, form = MATRIX[(method, path)]
    url = path.format(conversation_id=world.conv_a, step_id="clarify")
    for who in IDENTITIES:
        headers = _login(web, world, who)
        data = form(web, world) if form else None
        response = web.request(method, url, headers=headers, data=data, follow_redirects=False)
        location = response.headers.get("location", "")
        if who in allowed:
            assert response.status_code < 400, (who, response.status_code, response.text[:300])
            assert "/login" not in location or path in ("/", "/logout"), (who, location)
        elif who in ("anonymous", "customer_a"):
            assert response.status_code in (303, 401), (who, response.status_code)
            assert response.status_code == 401 or location.startswith("/login"), (who, location)
        else:
            assert response.status_code in (403, 404), (who, response.status_code)
