"""Live updates over Server-Sent Events: what arrives shows up without a reload."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from accord.web import live
from tests.web.conftest import LiveServer, Watch, browser_login, open_page, screenshot

SUPERVISOR = "helen@northwind.example"
# `api` (an admin on the REST API, cookie session + CSRF header) comes from tests/web/conftest.py.


@pytest.fixture
def supervisor(browser: Any, demo_server: LiveServer) -> Iterator[tuple[Any, Watch]]:
    page, watch = open_page(browser, demo_server.base_url)
    browser_login(page, SUPERVISOR, demo_server.password)
    yield page, watch
    page.context.close()
    assert not watch.csp_violations(), watch.console
    assert not watch.errors


def test_new_conversations_appear_in_the_open_inbox(
    supervisor: tuple[Any, Watch], api: httpx.Client
) -> None:
    page, _watch = supervisor
    page.goto("/inbox?sort=recent")
    page.evaluate("() => { window.__same_page = true; }")
    customer = api.get("/api/v1/customers").json()["items"][0]["id"]
    subject = "Live: the blender arrived in pieces"
    created = api.post(
        "/api/v1/conversations",
        json={"subject": subject, "customer_id": customer, "message": {"text": "It's broken!"}},
    )
    assert created.status_code == 201, created.text
    page.locator("a.conv-link", has_text=subject).wait_for()
    assert page.evaluate("() => window.__same_page === true"), "updated without a reload"
    screenshot(page, "09-live-inbox")


def test_a_customer_reply_appears_in_the_open_conversation(
    supervisor: tuple[Any, Watch], api: httpx.Client
) -> None:
    page, _watch = supervisor
    page.locator("a.conv-link").first.click()
    page.locator("#conversation[data-live]").wait_for()
    page.evaluate("() => { window.__same_page = true; }")
    conversation = page.url.rstrip("/").rsplit("/", 1)[-1]
    text = "Any news? I am still waiting for an answer."
    sent = api.post(
        f"/api/v1/conversations/{conversation}/messages",
        json={"text": text, "direction": "inbound"},
    )
    assert sent.status_code == 201, sent.text
    page.locator(".msg-inbound", has_text=text).wait_for()
    assert page.evaluate("() => window.__same_page === true"), "updated without a reload"


def test_streams_start_with_a_ready_event(
    web: TestClient, login_as: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(live, "LIFETIME_POLLS", 0)
    login_as("agent_x")
    response = web.get("/inbox/stream")
    assert response.headers["content-type"].startswith("text/event-stream")
    assert response.text.startswith("retry: ") and "event: ready" in response.text
