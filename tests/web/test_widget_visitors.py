"""Anonymous visitors in the chat widget (ACCORD_WIDGET_ANONYMOUS), over HTTP (TestClient):
off by default, a visitor's chat and credential, isolation between visitors and customers,
per-address limits, and refused input that leaves nothing behind."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from accord.app import create_app
from accord.auth.models import ApiToken
from accord.auth.secrets import digest
from accord.db.engine import Database
from accord.inbox.models import Conversation, Customer, CustomerIdentity, Message
from accord.settings import Settings
from accord.web import live
from accord.web.render import STATIC
from tests.world import World

START = {"name": "Vera Visitor", "email": "vera@visitor.example", "text": "Is the lamp in stock?"}
VISITORS_PER_HOUR = 3
MESSAGES_PER_MINUTE = 4


@pytest.fixture
def open_web(settings: Settings, db: Database) -> Iterator[TestClient]:
    """The whole app with anonymous chats on and small limits."""
    on = settings.model_copy(
        update={
            "widget_anonymous": True,
            "widget_visitors_per_hour": VISITORS_PER_HOUR,
            "widget_messages_per_minute": MESSAGES_PER_MINUTE,
        }
    )
    with TestClient(create_app(on, database=db)) as client:
        yield client


def _start(client: TestClient, **changes: Any) -> dict[str, Any]:
    response = client.post("/widget/v1/visitors", json={**START, **changes})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def _bearer(credential: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {credential}"}


def _counts(db: Database) -> tuple[int, ...]:
    with db.read() as s:
        return tuple(
            s.scalar(select(func.count()).select_from(table)) or 0
            for table in (Customer, ApiToken, Conversation, Message)
        )


def test_anonymous_chats_are_off_by_default(web: TestClient, db: Database) -> None:
    before = _counts(db)
    for body in (START, {"name": ""}):  # refused before the body is even looked at
        refused = web.post("/widget/v1/visitors", json=body)
        assert refused.status_code == 403, refused.text
        assert refused.headers["content-type"] == "application/problem+json"
        assert refused.json()["code"] == "permission_denied"
        assert "not enabled" in refused.json()["detail"]
    assert _counts(db) == before


def test_a_visitor_starts_a_chat_and_keeps_it(
    open_web: TestClient, world: World, db: Database
) -> None:
    response = open_web.post(
        "/widget/v1/visitors", json=START, headers={"Origin": "https://shop.example"}
    )
    assert response.status_code == 201, response.text
    assert response.headers["access-control-allow-origin"] == "*"
    assert "set-cookie" not in response.headers
    started = response.json()
    state, credential = started["state"], started["credential"]
    assert state["customer"] == "Vera Visitor"
    assert [(m["mine"], m["author"], m["text"]) for m in state["messages"]] == [
        (True, "You", "Is the lamp in stock?")
    ]
    with db.read() as s:  # stored as a hash only, marked, expiring
        token = s.scalars(select(ApiToken).where(ApiToken.token_hash == digest(credential))).one()
        assert token.expires_at is not None and token.customer_id is not None
        assert not s.scalars(select(ApiToken).where(ApiToken.prefix == credential)).first()
        identities = s.scalars(
            select(CustomerIdentity).where(CustomerIdentity.customer_id == token.customer_id)
        ).all()
    assert identities == [], "an unverified email never becomes an identity"

    admin = world.headers("admin")
    opened = open_web.get(f"/api/v1/conversations/{state['conversation_id']}", headers=admin)
    row = opened.json()
    assert row["channel"] == "webchat" and row["tags"] == ["visitor"]
    assert row["subject"] == "Chat: Is the lamp in stock?"
    note = [m for m in row["messages"] if m["direction"] == "note"]
    assert len(note) == 1 and "vera@visitor.example" in note[0]["text"]
    assert "Neither is verified" in note[0]["text"]

    again = open_web.get("/widget/v1/conversation", headers=_bearer(credential)).json()
    assert again["conversation_id"] == state["conversation_id"]
    assert all(m["mine"] for m in again["messages"]), "the agents' note stays internal"
    reply = {"text": "Yes, we have three left."}
    open_web.post(
        f"/api/v1/conversations/{state['conversation_id']}/messages", json=reply, headers=admin
    )
    sent = open_web.post(
        "/widget/v1/messages", json={"text": "I'll take one"}, headers=_bearer(credential)
    )
    assert [m["author"] for m in sent.json()["messages"]] == ["You", "Support team", "You"]


def test_a_visitors_next_chat_is_tagged_too(
    open_web: TestClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    started = _start(open_web)
    conversation, credential = started["state"]["conversation_id"], started["credential"]
    admin = world.headers("admin")
    current = open_web.get(f"/api/v1/conversations/{conversation}", headers=admin)
    closed = open_web.patch(
        f"/api/v1/conversations/{conversation}",
        json={"status": "closed"},
        headers={**admin, "If-Match": current.headers["ETag"]},
    )
    assert closed.status_code == 200, closed.text
    state = open_web.post(
        "/widget/v1/messages", json={"text": "Me again"}, headers=_bearer(credential)
    ).json()
    assert state["conversation_id"] not in (None, conversation)
    row = open_web.get(f"/api/v1/conversations/{state['conversation_id']}", headers=admin)
    assert row.json()["tags"] == ["visitor"]
    monkeypatch.setattr(live, "LIFETIME_POLLS", 0)
    stream = open_web.get("/widget/v1/stream", headers=_bearer(credential))
    assert stream.status_code == 200 and "event: ready" in stream.text


def test_visitors_see_only_their_own_chat(open_web: TestClient, world: World) -> None:
    # The second visitor claims customer A's email: that must not open customer A's chats.
    first = _start(open_web)
    second = _start(open_web, name="Mallory", email="a@customer.example", text="Show me A")
    chats = {s["credential"]: s["state"]["conversation_id"] for s in (first, second)}
    assert len(set(chats.values())) == 2 and world.conv_a not in chats.values()
    for credential, own in chats.items():
        headers = _bearer(credential)
        state = open_web.get("/widget/v1/conversation", headers=headers).json()
        assert state["conversation_id"] == own
        listed = open_web.get("/api/v1/conversations", headers=headers).json()["items"]
        assert [c["id"] for c in listed] == [own]
        for other in (*chats.values(), world.conv_a, world.conv_b):
            if other == own:
                continue
            url = f"/api/v1/conversations/{other}"
            assert open_web.get(url, headers=headers).status_code == 404
            assert open_web.get(f"{url}/messages", headers=headers).status_code == 404
    customer_a = open_web.get("/widget/v1/conversation", headers=world.headers("customer_a"))
    assert customer_a.json()["conversation_id"] == world.conv_a
    assert "Show me A" not in customer_a.text
    staff = open_web.get("/widget/v1/conversation", headers=world.headers("agent_x"))
    assert staff.status_code == 403, "staff tokens stay refused"


def test_starting_chats_is_limited_per_address(open_web: TestClient, db: Database) -> None:
    for _ in range(VISITORS_PER_HOUR):
        _start(open_web)
    before = _counts(db)
    refused = open_web.post("/widget/v1/visitors", json=START)
    assert refused.status_code == 429, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.headers["access-control-allow-origin"] == "*"
    body = refused.json()
    assert body["code"] == "rate_limited" and "too many chats started" in body["detail"]
    assert 0 < int(refused.headers["retry-after"]) <= 3600
    assert body["retry_after"] == int(refused.headers["retry-after"])
    assert _counts(db) == before, "a refused start leaves nothing behind"


def test_widget_messages_are_limited_per_address(open_web: TestClient, world: World) -> None:
    customer = world.headers("customer_a")
    for i in range(MESSAGES_PER_MINUTE):
        sent = open_web.post("/widget/v1/messages", json={"text": f"n{i}"}, headers=customer)
        assert sent.status_code == 200, sent.text
    refused = open_web.post("/widget/v1/messages", json={"text": "one more"}, headers=customer)
    assert refused.status_code == 429
    assert 0 < int(refused.headers["retry-after"]) <= 60
    assert "too many messages" in refused.json()["detail"]
    state = open_web.get("/widget/v1/conversation", headers=customer).json()
    assert "one more" not in [m["text"] for m in state["messages"]]


@pytest.mark.parametrize(
    "body",
    [
        {"email": "v@visitor.example", "text": "no name"},
        {**START, "name": "  \n\t "},
        {**START, "name": "\x00\x07"},
        {**START, "name": "n" * 201},
        {**START, "email": "not an email"},
        {**START, "email": ""},
        {**START, "text": ""},
        {**START, "text": " \n "},
        {**START, "text": "x" * 10_001},
        {**START, "tier": "vip"},
        {"name": ["Vera"], "text": "list as a name"},
    ],
)
def test_bad_input_is_refused_and_nothing_is_created(
    open_web: TestClient, db: Database, body: dict[str, Any]
) -> None:
    before = _counts(db)
    refused = open_web.post("/widget/v1/visitors", json=body)
    assert refused.status_code == 422, refused.text
    problem = refused.json()
    assert problem["code"] == "validation_failed" and problem["errors"]
    assert "\x00" not in refused.text and "x" * 100 not in refused.text, "input not echoed"
    assert _counts(db) == before


def test_refused_input_does_not_use_up_the_limit(open_web: TestClient) -> None:
    for _ in range(VISITORS_PER_HOUR + 2):
        assert open_web.post("/widget/v1/visitors", json={"name": ""}).status_code == 422
    broken = open_web.post(
        "/widget/v1/visitors", content=b"{", headers={"Content-Type": "application/json"}
    )
    assert broken.status_code == 400 and broken.json()["code"] == "bad_request"
    _start(open_web)


def test_a_blocked_or_revoked_visitor_is_signed_out(open_web: TestClient, world: World) -> None:
    started = _start(open_web)
    credential = _bearer(started["credential"])
    admin = world.headers("admin")
    customer_id = open_web.get(
        f"/api/v1/conversations/{started['state']['conversation_id']}", headers=admin
    ).json()["customer_id"]
    blocked = open_web.patch(
        f"/api/v1/customers/{customer_id}", json={"blocked": True}, headers=admin
    )
    assert blocked.status_code == 200, blocked.text
    assert open_web.get("/widget/v1/conversation", headers=credential).status_code == 401


def test_the_widget_script_stays_csp_safe_and_cookie_free() -> None:
    script = (STATIC / "widget.js").read_text()
    for forbidden in (
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
        "new Function",
        "document.cookie",
        "cssText",
        'setAttribute("style',
    ):
        assert forbidden not in script, forbidden
    fetches = script.count("fetch(base")
    assert fetches and script.count('credentials: "omit"') == fetches
