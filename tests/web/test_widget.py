"""In Chromium: a customer writes through the chat widget on a company's own site (another
origin, with a strict CSP) and the agent's open conversation updates without a reload; the
agent's reply reaches the widget the same way. The customer portal is walked too."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from tests.web.conftest import LiveServer, browser_login, open_page, screenshot

SUPERVISOR = "helen@northwind.example"


@contextmanager
def serve_shop(base: str, code: str | None) -> Iterator[str]:
    """The company's site: another origin (its own loopback port) under its own strict CSP,
    which allows Accord's origin only for scripts and connections. Without a code the tag is
    the one for anonymous visitors."""
    code_attribute = f"data-accord-code='{code}' " if code is not None else ""
    html = (
        "<!doctype html><html lang='en'><head><title>Shop</title></head><body><h1>Shop</h1>"
        f"<script src='{base}/static/widget.js' {code_attribute}"
        "data-title='Chat with us' defer></script></body></html>"
    ).encode()
    csp = f"default-src 'none'; script-src {base}; connect-src {base}"

    class Shop(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Security-Policy", csp)
            self.end_headers()
            self.wfile.write(html)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Shop)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def shop(demo_server: LiveServer, customer: tuple[int, str, int]) -> Iterator[str]:
    with serve_shop(demo_server.base_url, customer[1]) as url:
        yield url


def test_widget_message_reaches_the_open_conversation(
    browser: Any,
    demo_server: LiveServer,
    api: httpx.Client,
    customer: tuple[int, str, int],
    shop: str,
) -> None:
    conversation = customer[2]
    agent, agent_watch = open_page(browser, demo_server.base_url)
    browser_login(agent, SUPERVISOR, demo_server.password)
    agent.goto(f"/conversations/{conversation}")
    agent.locator("#conversation[data-live]").wait_for()
    agent.evaluate("() => { window.__same_page = true; }")

    site, site_watch = open_page(browser, shop)
    site.goto(shop)
    site.get_by_role("button", name="Chat with us").click()
    site.get_by_label("Your message").fill("<b>Still</b> flickering after the new bulb")
    site.get_by_role("button", name="Send").click()
    site.locator("li.accord-mine", has_text="<b>Still</b> flickering").wait_for()

    agent.locator(".msg-inbound", has_text="<b>Still</b> flickering").wait_for()
    assert agent.evaluate("() => window.__same_page === true"), "updated without a reload"
    screenshot(agent, "10-agent-sees-widget-message")

    reply = "Sorry about that! A replacement lamp ships today."
    sent = api.post(f"/api/v1/conversations/{conversation}/messages", json={"text": reply})
    assert sent.status_code == 201, sent.text
    site.locator("li.accord-theirs", has_text="replacement lamp").wait_for()
    assert site.locator("li.accord-mine b").count() == 0, "customer text stays text"
    screenshot(site, "11-widget")
    for page, watch in ((agent, agent_watch), (site, site_watch)):
        assert not page.evaluate("() => window.__xss === 1")
        page.context.close()
        assert not watch.csp_violations(), watch.console
        assert not watch.errors and not watch.dialogs


def test_customer_portal(
    browser: Any, demo_server: LiveServer, api: httpx.Client, customer: tuple[int, str, int]
) -> None:
    _who, code, conversation = customer
    page, watch = open_page(browser, demo_server.base_url)
    page.goto("/portal")
    page.wait_for_url(re.compile(r"/portal/login"))
    page.get_by_label("Access code").fill(code)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/portal$"))
    assert "Widget <img" in page.locator("header.top").inner_text(), "the name reads as text"
    screenshot(page, "12-portal")
    page.get_by_role("link", name="Widget: lamp flickers").click()
    page.get_by_label("Your reply").fill("Thanks, <i>waiting</i> for it.")
    page.get_by_role("button", name="Send reply").click()
    page.locator(".msg-inbound", has_text="<i>waiting</i>").wait_for()
    assert page.url.endswith(f"/portal/conversations/{conversation}")
    # Support answers while the page is open: it shows up without a reload; a note does not.
    page.evaluate("() => { window.__same_page = true; }")
    note = {"text": "Internal: customer is a VIP", "direction": "note"}
    assert api.post(f"/api/v1/conversations/{conversation}/messages", json=note).is_success
    answer = {"text": "Your replacement is on its way."}
    assert api.post(f"/api/v1/conversations/{conversation}/messages", json=answer).is_success
    page.locator(".msg-outbound", has_text="replacement is on its way").wait_for()
    assert page.evaluate("() => window.__same_page === true"), "updated without a reload"
    assert "VIP" not in page.content()
    screenshot(page, "13-portal-conversation")
    page.get_by_role("link", name="New request").click()
    page.get_by_label("Subject").fill("A second lamp")
    page.get_by_label("How can we help?").fill("Can I order a second one?")
    page.get_by_role("button", name="Send request").click()
    page.locator(".msg-inbound", has_text="second one").wait_for()
    screenshot(page, "14-portal-new-request")
    assert not page.evaluate("() => window.__xss === 1")
    page.context.close()
    assert not watch.csp_violations(), watch.console
    assert not watch.errors and not watch.dialogs
