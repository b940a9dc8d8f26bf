"""In Chromium: an anonymous visitor on a company's site (another origin, strict CSP) starts a
chat from the widget's start form, keyboard only, and the agent's reply appears in the widget
without a reload; after a reload the chat continues from the credential the widget kept."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from accord.auth import service as auth
from accord.auth.schemas import TeamCreate, UserCreate
from accord.core.principal import SYSTEM, Role
from accord.db.engine import Database
from accord.db.migrate import upgrade
from tests.web.conftest import LiveServer, open_page, screenshot, start_server
from tests.web.test_keyboard import UNLABELLED, _tab_to
from tests.web.test_widget import serve_shop

PASSWORD = "correct-horse-battery"
ADMIN = "admin@visitors.example"
NAME = '<img src=x onerror="window.__xss=1"> Vera'
STORAGE = "accord-widget-visitor:"


@pytest.fixture(scope="module")
def open_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server with anonymous chats on and one admin, who answers through the API."""
    data_dir: Path = tmp_path_factory.mktemp("visitors")
    url = f"sqlite:///{data_dir / 'accord.db'}"
    upgrade(url)
    db = Database(url)
    with db.write() as s:
        team = auth.create_team(s, actor=SYSTEM, data=TeamCreate(slug="chat", name="Chat"))
        data = UserCreate(
            email=ADMIN, name="Admin", role=Role.ADMIN, password=PASSWORD, team_ids=[team.id]
        )
        auth.create_user(s, actor=SYSTEM, data=data)
    db.dispose()
    server = start_server(data_dir, url, PASSWORD, {"ACCORD_WIDGET_ANONYMOUS": "true"})
    yield server
    server.stop()


@contextmanager
def _agent(server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url) as client:
        body = {"email": ADMIN, "password": PASSWORD}
        session = client.post("/api/v1/auth/login", json=body)
        client.headers["X-CSRF-Token"] = session.json()["csrf_token"]
        yield client


def _start_by_keyboard(page: Any) -> None:
    assert _tab_to(page, "el.textContent === 'Chat with us'")
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "accord-widget-name"
    assert page.evaluate(UNLABELLED) == []
    page.keyboard.type(NAME)
    page.keyboard.press("Tab")
    page.keyboard.type("vera@visitor.example")
    page.keyboard.press("Tab")
    page.keyboard.type("Do you ship <b>lamps</b> abroad?")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Start chat"
    page.keyboard.press("Enter")


def test_an_anonymous_visitor_chats_with_an_agent(browser: Any, open_server: LiveServer) -> None:
    with serve_shop(open_server.base_url, None) as shop, _agent(open_server) as agent:
        site, watch = open_page(browser, shop)
        site.goto(shop)
        _start_by_keyboard(site)
        site.locator("li.accord-mine", has_text="<b>lamps</b>").wait_for()
        assert site.locator(".accord-widget-start").is_hidden()
        assert site.evaluate("() => document.activeElement.id") == "accord-widget-text"
        site.evaluate("() => { window.__same_page = true; }")

        listed = agent.get("/api/v1/conversations", params={"tag": "visitor"}).json()["items"]
        assert [c["subject"] for c in listed] == ["Chat: Do you ship <b>lamps</b> abroad?"]
        conversation = listed[0]["id"]
        reply = {"text": "Yes, to 30 countries."}
        sent = agent.post(f"/api/v1/conversations/{conversation}/messages", json=reply)
        assert sent.status_code == 201, sent.text
        site.locator("li.accord-theirs", has_text="30 countries").wait_for()
        assert site.evaluate("() => window.__same_page === true"), "updated without a reload"
        assert site.locator("li.accord-mine b").count() == 0, "the visitor's text stays text"
        screenshot(site, "17-widget-visitor")

        site.reload()  # the credential kept in localStorage continues the same chat
        site.get_by_role("button", name="Chat with us").click()
        site.locator("li.accord-theirs", has_text="30 countries").wait_for()
        assert site.locator(".accord-widget-start").is_hidden()
        site.keyboard.press("Escape")
        assert site.locator("#accord-widget-panel").is_hidden()

        stored = site.evaluate(f"() => localStorage.getItem('{STORAGE}{open_server.base_url}')")
        assert stored and stored.startswith("acc_")
        assert not site.context.cookies(open_server.base_url), "the widget sets no cookie"
        assert not site.evaluate("() => window.__xss === 1")
        site.context.close()
        assert not watch.csp_violations(), watch.console
        assert not watch.errors and not watch.dialogs
