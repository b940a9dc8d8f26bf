"""Every web route × every identity, from the whole app's route table: pages, the portal, the
widget, live streams and static files, everything outside /api/ (the API's matrix in
tests/api/test_access_matrix.py covers the OpenAPI routes; web pages are not in OpenAPI).

A route missing from MATRIX fails the test. Allowed identities get a 2xx or a redirect that is
not to the login page; anonymous browsers are sent to log in; other staff get 403 or 404.
Customers sign in to the portal with their access code and call the widget's endpoints with
it as a bearer token; a staff session does not open the portal and a customer's code opens no
staff page. Rows that name an object run for customer A's and team X's objects and again,
mirrored, for customer B's and team Y's (tests/access.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from accord.app import create_app
from accord.settings import Settings
from accord.web import live
from tests.access import OWNERS, app_routes, as_owner, is_owned, mirror
from tests.web.conftest import login_csrf, portal_login, portal_login_csrf, web_login
from tests.world import PASSWORD, World

IDENTITIES = (
    "anonymous",
    "customer_a",
    "customer_b",
    "agent_x",
    "agent_y",
    "supervisor",
    "admin",
)
EVERYONE = frozenset(IDENTITIES)
STAFF = frozenset({"agent_x", "agent_y", "supervisor", "admin"})
SUPERVISORS = frozenset({"supervisor", "admin"})
ADMIN = frozenset({"admin"})
WORKS_CONV_A = frozenset({"agent_x", "supervisor", "admin"})
CUSTOMERS = frozenset({"customer_a", "customer_b"})
CUSTOMER_A = frozenset({"customer_a"})
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
    ("POST", "/conversations/{conversation_id}/escalate"): (
        WORKS_CONV_A,
        lambda c, w: {"reason": "needs a supervisor"},
    ),
    ("POST", "/conversations/{conversation_id}/coach/review"): (
        WORKS_CONV_A,
        lambda c, w: {"text": "Not our fault."},
    ),
    ("POST", "/conversations/{conversation_id}/coach/apply"): (
        WORKS_CONV_A,
        lambda c, w: {"text": "Not our fault.", "criterion": "empathy"},
    ),
    ("POST", "/conversations/{conversation_id}/coach/draft"): (WORKS_CONV_A, lambda c, w: {}),
    # Customer A's only conversation is conv_a (team X): its viewers may issue A's access code.
    ("POST", "/conversations/{conversation_id}/customer-code"): (
        WORKS_CONV_A,
        lambda c, w: {"days": "30"},
    ),
    ("GET", "/portal/login"): (EVERYONE, None),
    ("POST", "/portal/login"): (
        EVERYONE,
        lambda c, w: {"code": w.tokens["customer_a"], "csrf_token": portal_login_csrf(c)},
    ),
    ("POST", "/portal/logout"): (CUSTOMERS, None),
    ("GET", "/portal"): (CUSTOMERS, None),
    ("GET", "/portal/new"): (CUSTOMERS, None),
    ("POST", "/portal/conversations"): (
        CUSTOMERS,
        lambda c, w: {"subject": "Another question", "text": "Where is my parcel?"},
    ),
    ("GET", "/portal/conversations/{conversation_id}"): (CUSTOMER_A, None),
    ("POST", "/portal/conversations/{conversation_id}/messages"): (
        CUSTOMER_A,
        lambda c, w: {"text": "Any news?"},
    ),
    ("GET", "/portal/conversations/{conversation_id}/stream"): (CUSTOMER_A, None),
    ("GET", "/widget/v1/conversation"): (CUSTOMERS, None),
    ("POST", "/widget/v1/messages"): (CUSTOMERS, lambda c, w: {"text": "Hello from the widget"}),
    ("GET", "/widget/v1/stream"): (CUSTOMERS, None),
    # Off by default (ACCORD_WIDGET_ANONYMOUS): refused for everyone; tests/web/
    # test_widget_visitors.py covers it switched on.
    ("POST", "/widget/v1/visitors"): (
        frozenset(),
        lambda c, w: {"name": "Visitor", "text": "Hello from a visitor"},
    ),
    ("GET", "/admin"): (ADMIN, None),
    ("POST", "/admin/users"): (
        ADMIN,
        lambda c, w: {
            "email": "new.user@accord.example",
            "name": "New",
            "role": "agent",
            "password": PASSWORD,
            "team_ids": [w.team_x],
        },
    ),
    ("POST", "/admin/teams"): (ADMIN, lambda c, w: {"slug": "new-team", "name": "New team"}),
    ("GET", "/admin/users/{user_id}"): (ADMIN, None),
    ("POST", "/admin/users/{user_id}"): (
        ADMIN,
        lambda c, w: {"name": "Agent X", "role": "agent", "capacity": "5", "team_ids": [w.team_x]},
    ),
    ("POST", "/admin/users/{user_id}/active"): (ADMIN, lambda c, w: {"active": "true"}),
    ("POST", "/admin/teams/{team_id}"): (ADMIN, lambda c, w: {"name": "Team X"}),
    ("GET", "/admin/customers"): (ADMIN, None),
    ("GET", "/admin/customers/{customer_id}"): (ADMIN, None),
    ("GET", "/admin/customers/{customer_id}/export"): (ADMIN, None),
    ("POST", "/admin/customers/{customer_id}/erase"): (
        ADMIN,
        lambda c, w: {"confirm": str(w.customer_a)},
    ),
    ("GET", "/admin/policies/{slug}"): (ADMIN, None),
    ("POST", "/admin/policies/{slug}"): (ADMIN, lambda c, w: {"text": "rules: []"}),
    # The stylesheet, scripts and icon every page (and the widget's host page) loads.
    ("GET", "/static/{path}"): (EVERYONE, None),
    ("GET", "/inbox/stream"): (STAFF, None),
    ("GET", "/conversations/{conversation_id}/stream"): (WORKS_CONV_A, None),
}


@pytest.fixture(autouse=True)
def _short_streams(monkeypatch: pytest.MonkeyPatch) -> None:
    """Live streams send their first event and end, so a test can read them whole."""
    monkeypatch.setattr(live, "LIFETIME_POLLS", 0)


def _routes() -> list[tuple[str, str]]:
    """Every route of the whole app outside the API (pages, portal, widget, streams, static
    files), from the app's own route table."""
    app = create_app(Settings(database_url="sqlite://"))
    return [r for r in app_routes(app) if not r[1].startswith("/api/")]


def test_every_web_route_is_classified() -> None:
    unclassified = [r for r in _routes() if r not in MATRIX]
    assert not unclassified, f"add these routes to MATRIX: {unclassified}"
    assert not [r for r in MATRIX if r not in _routes()], "MATRIX names routes that are gone"


def _login(client: TestClient, world: World, who: str, path: str) -> dict[str, str]:
    """Staff log in through the staff login; customers through the portal (with their access
    code) for portal pages, and with the code as a bearer token for the widget."""
    client.cookies.clear()
    if who == "anonymous":
        return {}
    if path.startswith("/widget/"):
        return world.headers(who)
    if who.startswith("customer"):
        if path.startswith("/portal"):
            return {"X-CSRF-Token": portal_login(client, world.tokens[who])}
        return world.headers(who)
    return {"X-CSRF-Token": web_login(client, world.emails[who])}


def _signed_out(response: Any, location: str) -> bool:
    """Refused for want of the right kind of sign-in: 401, or sent to a login page."""
    to_login = location.startswith(("/login", "/portal/login"))
    return response.status_code == 401 or (response.status_code == 303 and to_login)


CASES = [
    (method, path, owner)
    for (method, path), (allowed, _) in sorted(MATRIX.items())
    for owner in (OWNERS if is_owned(path, allowed) else OWNERS[:1])
]


@pytest.mark.parametrize(("method", "path", "owner"), CASES)
def test_web_route_access(
    web: TestClient, world: World, method: str, path: str, owner: str
) -> None:
    allowed, form = MATRIX[(method, path)]
    objects = as_owner(world, owner)  # whose objects the URL and form name
    allowed = allowed if owner == "a" else mirror(allowed)
    url = path.format(
        conversation_id=objects.conv_a,
        step_id="clarify",
        slug="rules",
        user_id=objects.users["agent_x"],
        team_id=objects.team_x,
        customer_id=objects.customer_a,
        path="app.css",
    )
    customer_route = path.startswith(("/portal", "/widget/"))
    for who in IDENTITIES:
        headers = _login(web, world, who, path)
        data = form(web, objects) if form else None
        body = {"json": data} if path.startswith("/widget/") else {"data": data}
        response = web.request(method, url, headers=headers, follow_redirects=False, **body)
        location = response.headers.get("location", "")
        if who in allowed:
            assert response.status_code < 400, (who, response.status_code, response.text[:300])
            assert "/login" not in location or path in ("/", "/logout", "/portal/logout"), (
                who,
                location,
            )
        elif who == "anonymous" or (who.startswith("customer") != customer_route):
            # the wrong kind of identity for this side (a staff session on the portal, a
            # customer on a staff page) is simply not signed in there
            assert _signed_out(response, location) or response.status_code == 403, (
                who,
                response.status_code,
                location,
            )
        else:
            assert response.status_code in (403, 404), (who, response.status_code)
