"""In Chromium: a supervisor issues a customer's portal access code from a conversation (htmx
swaps only the panel, no CSP violation), and the customer signs in to the portal with it."""

from __future__ import annotations

import re
from typing import Any

import httpx

from tests.web.conftest import ADMIN, LiveServer, Watch, browser_login, open_page, screenshot
from tests.web.test_keyboard import UNLABELLED


def test_a_code_issued_on_the_conversation_page_opens_the_portal(
    page: tuple[Any, Watch], demo_server: LiveServer, browser: Any, api: httpx.Client
) -> None:
    who = api.post("/api/v1/customers", json={"name": "Portal Code Customer"}).json()["id"]
    opened = api.post(
        "/api/v1/conversations",
        json={"subject": "Code: where is my order", "customer_id": who, "message": {"text": "Hi"}},
    )
    assert opened.status_code == 201, opened.text
    p, _watch = page
    browser_login(p, ADMIN, demo_server.password)
    p.goto(f"/conversations/{opened.json()['id']}")
    p.get_by_label("Valid for (days)").fill("30")
    p.get_by_role("button", name="Issue portal access code").click()
    field = p.get_by_label("Access code")
    field.wait_for()
    code = field.input_value()
    assert code.startswith("acc_")
    assert p.locator("#customer-code [role=status]").count() == 1
    assert p.evaluate(UNLABELLED) == []
    screenshot(p, "customer-code-issued")

    portal, portal_watch = open_page(browser, demo_server.base_url)
    try:
        portal.goto("/portal/login")
        portal.get_by_label("Access code").fill(code)
        portal.get_by_role("button", name=re.compile("Sign in", re.I)).click()
        portal.wait_for_url(re.compile(r"/portal$"))
        assert "Code: where is my order" in portal.content()
    finally:
        portal.context.close()
    assert not portal_watch.csp_violations() and not portal_watch.errors
