"""The pages added for customers, escalation and administration from the keyboard alone,
every control labelled: the portal, the chat widget on a company's page, "Escalate to a
supervisor", users and teams, the policy editors. Screenshots go to test-artifacts/web/."""

from __future__ import annotations

import re
from typing import Any

from tests.web.conftest import ADMIN, LiveServer, Watch, browser_login, open_page, screenshot
from tests.web.test_keyboard import UNLABELLED, _tab_to
from tests.web.test_widget import serve_shop

SUPERVISOR = "helen@northwind.example"


def test_portal_by_keyboard(page: tuple[Any, Watch], customer: tuple[int, str, int]) -> None:
    p, _watch = page
    _who, code, conversation = customer
    p.goto("/portal/login")
    assert p.evaluate(UNLABELLED) == []
    assert _tab_to(p, "el.id === 'code'")
    p.keyboard.type(code)
    p.keyboard.press("Enter")
    p.wait_for_url(re.compile(r"/portal$"))
    for path in ("/portal", "/portal/new", f"/portal/conversations/{conversation}"):
        p.goto(path)
        assert p.evaluate(UNLABELLED) == [], path
        assert p.locator("main#main h1").count() == 1, path
    p.goto("/portal")
    assert _tab_to(p, "el.classList.contains('conv-link')")
    p.keyboard.press("Enter")
    p.wait_for_url(re.compile(rf"/portal/conversations/{conversation}$"))
    assert _tab_to(p, "el.id === 'reply-text'")
    p.keyboard.type("Typed without a mouse.")
    assert _tab_to(p, "el.textContent === 'Send reply'")
    p.keyboard.press("Enter")
    p.locator(".msg-inbound", has_text="Typed without a mouse.").wait_for()


def test_widget_by_keyboard(
    browser: Any, demo_server: LiveServer, customer: tuple[int, str, int]
) -> None:
    with serve_shop(demo_server.base_url, customer[1]) as shop:
        p, watch = open_page(browser, shop)
        p.goto(shop)
        assert _tab_to(p, "el.textContent === 'Chat with us'")
        p.keyboard.press("Enter")
        assert p.evaluate("() => document.activeElement.id") == "accord-widget-text"
        assert p.evaluate(UNLABELLED) == []
        p.keyboard.type("Sent from the keyboard.")
        p.keyboard.press("Tab")
        assert p.evaluate("() => document.activeElement.textContent") == "Send"
        p.keyboard.press("Enter")
        p.locator("li.accord-mine", has_text="Sent from the keyboard.").wait_for()
        p.keyboard.press("Escape")
        assert p.locator("#accord-widget-panel").is_hidden()
        assert p.evaluate("() => document.activeElement.textContent") == "Chat with us"
        p.context.close()
        assert not watch.csp_violations(), watch.console
        assert not watch.errors


def test_escalate_by_keyboard(page: tuple[Any, Watch], demo_server: LiveServer) -> None:
    p, _watch = page
    browser_login(p, SUPERVISOR, demo_server.password)
    p.goto("/inbox?status=open&sort=recent")
    p.locator("a.conv-link").first.click()
    p.wait_for_url(re.compile(r"/conversations/\d+$"))
    level = p.locator(".chip.escalated").count()
    assert _tab_to(p, "el.id === 'escalate-reason'"), "the reason box is reachable by Tab"
    p.keyboard.type("Needs a manager's decision.")
    p.keyboard.press("Tab")
    assert p.evaluate("() => document.activeElement.textContent") == "Escalate to a supervisor"
    p.keyboard.press("Enter")
    p.locator("section.handoff", has_text="Why escalated: Needs a manager's decision.").wait_for()
    assert p.locator(".chip.escalated").count() >= max(level, 1)


def test_admin_pages_by_keyboard(page: tuple[Any, Watch], demo_server: LiveServer) -> None:
    p, _watch = page
    browser_login(p, ADMIN, demo_server.password)
    p.get_by_role("link", name="Admin").click()
    p.wait_for_url(re.compile(r"/admin$"))
    for path in (
        "/admin",
        "/admin/policies/sla",
        "/admin/policies/rules",
        "/admin/policies/playbook",
    ):
        p.goto(path)
        assert p.evaluate(UNLABELLED) == [], path
        assert p.locator("main#main h1").count() == 1, path
    p.goto("/admin")
    screenshot(p, "18-admin-users-teams")
    assert _tab_to(p, "el.id === 't-name'"), "the new team form is reachable by Tab"
    p.keyboard.type("Keyboard team")
    p.keyboard.press("Tab")
    p.keyboard.type("keyboard-team")
    p.keyboard.press("Enter")
    p.locator("table.admin-teams td", has_text="Keyboard team").wait_for()
    p.goto("/admin/policies/rules")
    assert _tab_to(p, "el.id === 'policy-text'")
    p.keyboard.press("Control+a")
    p.keyboard.type("rules:\n  - name: Not A Slug\n    when: {min_heat: 500}\n    actions: {}\n")
    p.keyboard.press("Tab")
    assert p.evaluate("() => document.activeElement.textContent") == "Check"
    p.keyboard.press("Enter")
    verdict = p.locator("#policy-verdict.verdict-error")
    verdict.wait_for()
    assert "rules.0.when.min_heat" in verdict.inner_text()
    assert p.get_by_label("Escalation rules (YAML)").get_attribute("aria-invalid") == "true"
    screenshot(p, "19-admin-policy-error")
