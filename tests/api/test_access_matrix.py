"""Every route × every identity, generated from the app's own route table.

A route missing from MATRIX fails the test, so a new endpoint cannot ship unclassified. For
each classified route, the identities listed get a 2xx; every other identity must get 401
(anonymous) or 403/404 (authenticated but not allowed) — never an unexpected 2xx. A row is
written for customer A's and team X's objects; each row that names an object runs a second
time on customer B's and team Y's, with A<->B and X<->Y swapped in its allowed identities
(tests/access.py), so access follows the owner. tests/test_route_inventory.py checks that
this matrix and the web one cover every route of the whole app.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from importlib import resources
from typing import Any

import pytest
from fastapi.testclient import TestClient

from accord.api.app import ROUTERS, create_app
from accord.settings import Settings
from tests.access import OWNERS, as_owner, is_owned, mirror
from tests.world import IDENTITIES, PASSWORD, World

EVERYONE = frozenset(IDENTITIES)
SIGNED_IN = EVERYONE - {"anonymous"}
STAFF = frozenset({"agent_x", "agent_y", "supervisor", "admin"})
ADMIN = frozenset({"admin"})
SUPERVISORS = frozenset({"supervisor", "admin"})
# conv_a belongs to customer A and team X.
SEES_CONV_A = frozenset({"customer_a", "agent_x", "supervisor", "admin"})
WORKS_CONV_A = frozenset({"agent_x", "supervisor", "admin"})

Body = Callable[[World, str], dict[str, Any]] | None
ATTACHMENT_ID = "matrix-attachment-0000000001"


def _conversation_body(w: World, who: str) -> dict[str, Any]:
    return {"subject": f"Help from {who}", "customer_id": w.customer_a, "message": {"text": "hi"}}


def _user_body(_w: World, who: str) -> dict[str, Any]:
    return {
        "email": f"new.{who}@accord.example",
        "name": "New",
        "role": "agent",
        "password": PASSWORD,
    }


def _rules_body(_w: World, who: str) -> dict[str, Any]:
    # The shipped rules, so a save by the allowed identity changes no behaviour here.
    return {"text": _packaged("policies/escalation.yaml") + f"# saved by {who}\n"}


def _playbook_body(_w: World, who: str) -> dict[str, Any]:
    return {"text": _packaged("playbook/default.yaml") + f"# saved by {who}\n"}


def _new_playbook_body(_w: World, who: str) -> dict[str, Any]:
    new_id = f"added-{who.replace('_', '-')}"
    return {"text": _packaged("playbook/default.yaml").replace("id: default", f"id: {new_id}")}


def _packaged(name: str) -> str:
    return resources.files("accord.cases").joinpath(name).read_text("utf-8")


MATRIX: dict[tuple[str, str], tuple[frozenset[str], Body]] = {
    ("GET", "/api/v1/openapi.json"): (EVERYONE, None),
    ("GET", "/api/v1/health"): (EVERYONE, None),
    ("POST", "/api/v1/auth/login"): (
        EVERYONE,
        lambda w, _: {"email": w.emails["agent_x"], "password": PASSWORD},
    ),
    ("POST", "/api/v1/auth/logout"): (SIGNED_IN, None),
    ("POST", "/api/v1/auth/password"): (
        STAFF,
        lambda _w, _who: {"current_password": PASSWORD, "new_password": "a-new-long-password"},
    ),
    ("GET", "/api/v1/auth/me"): (SIGNED_IN, None),
    ("DELETE", "/api/v1/sessions"): (ADMIN, None),
    ("GET", "/api/v1/auth/sessions"): (STAFF, None),
    # Only the owner of the browser session ends it (agent_x's here), after their password.
    ("POST", "/api/v1/auth/sessions/{session_id}/end"): (
        frozenset({"agent_x"}),
        lambda _w, _who: {"password": PASSWORD},
    ),
    ("GET", "/api/v1/tokens"): (STAFF, None),
    ("POST", "/api/v1/tokens"): (STAFF, lambda w, who: {"name": who}),
    ("DELETE", "/api/v1/tokens/{token_id}"): (frozenset({"agent_x", "admin"}), None),
    ("GET", "/api/v1/users"): (STAFF, None),
    ("POST", "/api/v1/users"): (ADMIN, _user_body),
    ("GET", "/api/v1/users/{user_id}"): (STAFF, None),
    ("PATCH", "/api/v1/users/{user_id}"): (ADMIN, lambda w, who: {"name": who}),
    ("GET", "/api/v1/teams"): (STAFF, None),
    ("POST", "/api/v1/teams"): (ADMIN, lambda w, who: {"slug": "new-team", "name": who}),
    ("PATCH", "/api/v1/teams/{team_id}"): (ADMIN, lambda w, who: {"name": who}),
    ("GET", "/api/v1/policies/playbooks"): (ADMIN, None),
    ("POST", "/api/v1/policies/playbooks"): (ADMIN, _new_playbook_body),
    ("GET", "/api/v1/policies/playbooks/{playbook_id}"): (ADMIN, None),
    ("PUT", "/api/v1/policies/playbooks/{playbook_id}"): (ADMIN, _playbook_body),
    ("GET", "/api/v1/policies/playbooks/{playbook_id}/revisions"): (ADMIN, None),
    ("GET", "/api/v1/policies/{kind}"): (ADMIN, None),
    ("PUT", "/api/v1/policies/{kind}"): (ADMIN, _rules_body),
    ("GET", "/api/v1/policies/{kind}/revisions"): (ADMIN, None),
    ("GET", "/api/v1/customers"): (STAFF, None),
    ("POST", "/api/v1/customers"): (STAFF, lambda w, who: {"name": who}),
    ("GET", "/api/v1/customers/{customer_id}"): (STAFF | {"customer_a"}, None),
    ("PATCH", "/api/v1/customers/{customer_id}"): (STAFF, lambda w, who: {"tier": "vip"}),
    # An access code opens all of the customer's conversations: customer A's is team X's.
    # A customer's data rights (docs/privacy.md): admins only; the erasure repeats the id.
    ("GET", "/api/v1/customers/{customer_id}/export"): (ADMIN, None),
    ("POST", "/api/v1/customers/{customer_id}/erasure"): (
        ADMIN,
        lambda w, who: {"confirm": w.customer_a},
    ),
    ("POST", "/api/v1/customers/{customer_id}/tokens"): (
        WORKS_CONV_A,
        lambda w, who: {"name": who},
    ),
    ("GET", "/api/v1/conversations"): (SIGNED_IN, None),
    ("POST", "/api/v1/conversations"): (STAFF | {"customer_a"}, _conversation_body),
    ("GET", "/api/v1/conversations/{conversation_id}"): (SEES_CONV_A, None),
    ("PATCH", "/api/v1/conversations/{conversation_id}"): (
        WORKS_CONV_A,
        lambda w, who: {"priority": "high"},
    ),
    ("GET", "/api/v1/conversations/{conversation_id}/messages"): (SEES_CONV_A, None),
    ("POST", "/api/v1/conversations/{conversation_id}/messages"): (
        SEES_CONV_A,
        lambda w, who: {"text": f"message from {who}"},
    ),
    ("GET", "/api/v1/conversations/{conversation_id}/events"): (WORKS_CONV_A, None),
    ("GET", "/api/v1/events"): (SUPERVISORS, None),
    ("GET", "/api/v1/conversations/{conversation_id}/analysis"): (WORKS_CONV_A, None),
    ("GET", "/api/v1/conversations/{conversation_id}/case"): (WORKS_CONV_A, None),
    ("PUT", "/api/v1/conversations/{conversation_id}/case/steps/{step_id}"): (
        WORKS_CONV_A,
        lambda w, who: {"done": who != "admin"},
    ),
    ("PUT", "/api/v1/conversations/{conversation_id}/assignee"): (
        SUPERVISORS,
        lambda w, who: {"user_id": w.users["agent_x"], "reason": f"override by {who}"},
    ),
    ("POST", "/api/v1/conversations/{conversation_id}/escalate"): (
        WORKS_CONV_A,
        lambda w, who: {"reason": f"{who} needs a supervisor here"},
    ),
    ("GET", "/api/v1/escalations"): (SUPERVISORS, None),
    ("GET", "/api/v1/mail/quarantine"): (SUPERVISORS, None),
    ("GET", "/api/v1/conversations/{conversation_id}/attachments/{attachment_id}"): (
        SEES_CONV_A,
        None,
    ),
    ("POST", "/api/v1/mail/quarantine/reprocess"): (SUPERVISORS, lambda w, who: {"ids": [1]}),
    ("POST", "/api/v1/conversations/{conversation_id}/coach/review"): (
        WORKS_CONV_A,
        lambda w, who: {"draft": f"Thanks for waiting, {who} here: I will check it today."},
    ),
    ("POST", "/api/v1/conversations/{conversation_id}/coach/draft"): (
        WORKS_CONV_A,
        lambda w, who: {"tone": "brief"},
    ),
}


def _routes() -> list[tuple[str, str]]:
    # The OpenAPI document is the public route table; routes hidden from it are not allowed
    # (checked below), so nothing escapes classification.
    app = create_app(Settings(database_url="sqlite://"))
    found = [("GET", str(app.openapi_url))]
    for path, operations in app.openapi()["paths"].items():
        found += [(method.upper(), path) for method in operations]
    return sorted(found)


def test_no_route_is_hidden_from_openapi() -> None:
    hidden = [r for router in ROUTERS for r in router.routes if not r.include_in_schema]
    assert not hidden


def test_every_route_is_classified() -> None:
    unclassified = [r for r in _routes() if r not in MATRIX]
    assert not unclassified, f"add these routes to MATRIX: {unclassified}"
    stale = [r for r in MATRIX if r not in _routes()]
    assert not stale, f"MATRIX names routes that no longer exist: {stale}"


def _url(path: str, w: World, session_id: int = 0) -> str:
    return path.format(
        session_id=session_id,
        token_id=w.token_ids["agent_x"],
        user_id=w.users["agent_x"],
        team_id=w.team_x,
        customer_id=w.customer_a,
        conversation_id=w.conv_a,
        step_id="clarify",
        attachment_id=ATTACHMENT_ID,
        kind="rules",
        playbook_id="default",
    )


def _seed_attachment(request: pytest.FixtureRequest, w: World) -> None:
    """An email attachment on conv_a's first customer message, stored where the app looks."""
    from sqlalchemy import select

    from accord.inbox.channels.email.store import MailStore
    from accord.inbox.models import Message

    settings: Settings = request.getfixturevalue("settings")
    path = MailStore(settings.data_dir).attachment_path(ATTACHMENT_ID)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"%PDF-1.4 receipt")
    with request.getfixturevalue("db").write() as session:
        message = session.scalars(
            select(Message)
            .where(Message.conversation_id == w.conv_a, Message.direction == "inbound")
            .order_by(Message.id)
        ).first()
        message.attachments = [{"id": ATTACHMENT_ID, "filename": "receipt.pdf", "size": 16}]


def _seed_browser_session(request: pytest.FixtureRequest, w: World) -> int:
    """A browser session of agent_x (of agent_y when the objects are mirrored); its id."""
    from sqlalchemy import select

    from accord.auth.models import User, WebSession
    from accord.auth.service import open_web_session

    with request.getfixturevalue("db").write() as session:
        user = session.get(User, w.users["agent_x"])
        open_web_session(session, user, timedelta(hours=1))
        newest = select(WebSession.id).where(WebSession.user_id == user.id)
        return int(session.scalars(newest.order_by(WebSession.id.desc())).first() or 0)


CASES = [
    (method, path, owner)
    for (method, path), (allowed, _) in sorted(MATRIX.items())
    for owner in (OWNERS if is_owned(path, allowed) else OWNERS[:1])
]


@pytest.mark.parametrize(("method", "path", "owner"), CASES)
def test_route_access(
    client: TestClient,
    world: World,
    method: str,
    path: str,
    owner: str,
    request: pytest.FixtureRequest,
) -> None:
    allowed, body = MATRIX[(method, path)]
    objects = as_owner(world, owner)  # whose objects the URL and body name
    allowed = allowed if owner == "a" else mirror(allowed)
    if "{attachment_id}" in path:
        _seed_attachment(request, objects)
    session_id = _seed_browser_session(request, objects) if "{session_id}" in path else 0
    for who in IDENTITIES:
        headers = world.headers(who)
        if (method, path) == ("PATCH", "/api/v1/conversations/{conversation_id}"):
            current = client.get(_url(path, objects), headers=world.headers("admin"))
            headers["If-Match"] = current.headers["ETag"]
        payload = body(objects, who) if body else None
        url = _url(path, objects, session_id)
        response = client.request(method, url, headers=headers, json=payload)
        client.cookies.clear()  # a login must not leak into the next identity's request
        if who in allowed:
            assert 200 <= response.status_code < 300, (who, response.status_code, response.text)
        elif who == "anonymous":
            assert response.status_code == 401, (who, response.text)
        else:
            assert response.status_code in (403, 404), (who, response.status_code, response.text)


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("customer_a", {"conv_a"}),
        ("customer_b", {"conv_b"}),
        ("agent_x", {"conv_a"}),
        ("agent_y", {"conv_b"}),
        ("supervisor", {"conv_a", "conv_b"}),
        ("admin", {"conv_a", "conv_b"}),
    ],
)
def test_lists_show_only_visible_conversations(
    client: TestClient, world: World, who: str, expected: set[str]
) -> None:
    names = {world.conv_a: "conv_a", world.conv_b: "conv_b"}
    response = client.get("/api/v1/conversations", headers=world.headers(who))
    assert {names[c["id"]] for c in response.json()["items"]} == expected


def test_customers_never_see_internal_notes(client: TestClient, world: World) -> None:
    staff_view = client.get(
        f"/api/v1/conversations/{world.conv_a}", headers=world.headers("agent_x")
    )
    customer_view = client.get(
        f"/api/v1/conversations/{world.conv_a}", headers=world.headers("customer_a")
    )
    assert "note" in {m["direction"] for m in staff_view.json()["messages"]}
    assert {m["direction"] for m in customer_view.json()["messages"]} == {"inbound", "outbound"}


def test_an_attachment_is_reached_only_through_its_own_conversation(
    client: TestClient, world: World, request: pytest.FixtureRequest
) -> None:
    """Customer B's attachment asked for under conversation A: whoever may read A gets 404."""
    _seed_attachment(request, as_owner(world, "b"))
    path = "/api/v1/conversations/{conversation_id}/attachments/{attachment_id}"
    for who in ("customer_a", "agent_x", "supervisor", "admin"):
        response = client.get(_url(path, world), headers=world.headers(who))
        assert response.status_code == 404, (who, response.status_code)
    own = client.get(_url(path, as_owner(world, "b")), headers=world.headers("customer_b"))
    assert own.status_code == 200, own.text
