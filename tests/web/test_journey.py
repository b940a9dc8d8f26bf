"""The scripted journey in Chromium: an agent works the hottest conversation and escalates
one, a supervisor reads the escalation queue. Screenshots of each page go to test-artifacts/web/."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.web.conftest import LiveServer, Watch, browser_login, open_page, screenshot

AGENT = "sam@northwind.example"
SUPERVISOR = "helen@northwind.example"
DEFENSIVE = "That's not our fault, you should have read the manual. Our policy is clear."
REPLY = (
    "I'm sorry to hear that, that must be frustrating. Could you tell me which order number "
    "this is about, so I can put it right today?"
)


@pytest.fixture
def agent(browser: Any, demo_server: LiveServer) -> Any:
    page, watch = open_page(browser, demo_server.base_url)
    browser_login(page, AGENT, demo_server.password)
    yield page, watch
    page.context.close()
    assert not watch.csp_violations(), watch.console
    assert not watch.errors and not watch.dialogs


def _step_done(page: Any, step: str) -> bool:
    return "done" in (page.locator(f'li[data-step="{step}"]').get_attribute("class") or "")


def test_agent_journey(agent: tuple[Any, Watch]) -> None:
    page, _watch = agent
    screenshot(page, "01-inbox")
    chips = page.locator("table.inbox tbody .chip.heat[data-heat]")
    heats = [int(chips.nth(i).get_attribute("data-heat") or 0) for i in range(chips.count())]
    assert heats == sorted(heats, reverse=True), "the inbox opens sorted by heat"
    first = page.locator("table.inbox tbody tr[data-conversation]").first
    listed = first.locator(".chip.signal").all_inner_texts()
    first.locator("a.conv-link").click()
    page.wait_for_url(re.compile(r"/conversations/\d+$"))
    # The hottest conversation shows the signals the inbox listed, and each customer message
    # its own analysis; heat over time is drawn.
    assert page.locator("header.conv-head .chip.signal").all_inner_texts() == listed
    assert page.locator(".msg-inbound .chips .chip.heat").count() >= 1
    assert page.locator(".msg-inbound .chips .chip.emotion").count() >= 1
    assert page.locator("svg.chart polyline").count() == 1
    screenshot(page, "02-conversation")
    was_done = _step_done(page, "empathise")
    # A defensive draft: the coach flags it as it is typed, one click at a time fixes it.
    draft = page.get_by_label("Your message")
    draft.fill(DEFENSIVE)
    page.locator("#coach li.finding-violated").first.wait_for()
    assert page.locator('#coach li[data-criterion="defensive"].finding-violated').count() == 1
    screenshot(page, "03-coach-flags-draft")
    for _ in range(len(DEFENSIVE.split("."))):
        fixes = page.locator("#coach li.finding-violated button")
        if fixes.count() == 0:
            break
        before = draft.input_value()
        fixes.first.click()
        page.wait_for_function(
            "before => document.getElementById('composer-text').value !== before", arg=before
        )
    assert page.locator("#coach li.finding-violated").count() == 0
    draft.fill(f"Hi, thank you for your message. {draft.input_value()}".strip())
    page.get_by_role("button", name="Add the empathy suggestion").click()
    page.wait_for_function(
        "() => document.getElementById('composer-text').value.includes('frustrating')"
    )
    page.get_by_role("button", name="Send").click()
    page.locator(".msg-outbound", has_text="frustrating").wait_for()
    assert draft.input_value() == ""
    assert _step_done(page, "empathise"), f"empathy step ticked by the reply (was {was_done})"
    screenshot(page, "03-after-reply")


def test_signals_and_their_evidence_are_marked(agent: tuple[Any, Watch]) -> None:
    page, _watch = agent
    page.goto("/inbox?signal=churn_threat")
    page.locator("a.conv-link").first.click()
    page.wait_for_url(re.compile(r"/conversations/\d+$"))
    assert "churn threat" in page.locator("header.conv-head").inner_text()
    marks = page.locator(".msg-text mark[title*='churn_threat']")
    assert marks.count() >= 1
    assert marks.first.inner_text().strip()
    screenshot(page, "02b-evidence")


def test_agent_ticks_and_unticks_a_step(agent: tuple[Any, Watch]) -> None:
    page, _watch = agent
    page.locator("a.conv-link").nth(1).click()
    page.wait_for_url(re.compile(r"/conversations/\d+$"))
    open_steps = page.locator("li.step:not(.done):not(.not-applicable)")
    step = open_steps.first.get_attribute("data-step")
    assert step
    page.locator(f'li[data-step="{step}"] button.tick').click()
    page.locator(f'li.step.done[data-step="{step}"]').wait_for()
    assert page.locator(f'li[data-step="{step}"] button.tick').get_attribute("aria-pressed") == (
        "true"
    )
    page.locator(f'li[data-step="{step}"] button.tick').click()
    page.locator(f'li.step:not(.done)[data-step="{step}"]').wait_for()


def test_filters_swap_the_results(agent: tuple[Any, Watch]) -> None:
    page, _watch = agent
    page.get_by_label("Signal").select_option("churn_threat")
    page.wait_for_url(re.compile(r"signal=churn_threat"))
    page.locator("#results caption").wait_for()
    rows = page.locator("table.inbox tbody tr[data-conversation]")
    for i in range(rows.count()):
        assert "churn threat" in rows.nth(i).inner_text()
    page.get_by_label("Sort by").select_option("sla")
    page.wait_for_url(re.compile(r"sort=sla"))
    assert "sorted by sla due" in page.locator("#results caption").inner_text()
    screenshot(page, "04-inbox-filtered")


def test_session_survives_reload_and_logout_ends_it(agent: tuple[Any, Watch]) -> None:
    page, _watch = agent
    page.reload()
    assert page.url.endswith("/inbox")
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(re.compile(r"/login"))
    page.goto("/inbox")
    assert "/login" in page.url


def test_agent_escalates_and_the_supervisor_sees_it(
    agent: tuple[Any, Watch], browser: Any, demo_server: LiveServer
) -> None:
    boss, watch = open_page(browser, demo_server.base_url)
    browser_login(boss, SUPERVISOR, demo_server.password)
    boss.goto("/supervisor")
    boss.evaluate("() => { window.__same_page = true; }")
    page, _watch = agent
    page.locator("a.conv-link").last.click()  # the calmest: nothing has escalated it yet
    page.wait_for_url(re.compile(r"/conversations/\d+$"))
    conversation = page.url.rsplit("/", 1)[1]
    assert page.locator(".chip.escalated").count() == 0
    assert boss.locator(f'table.queue tr[data-conversation="{conversation}"]').count() == 0
    page.get_by_label("Why does this need a supervisor?").fill("Asks for a refund above my limit")
    page.get_by_role("button", name="Escalate to a supervisor", exact=True).click()
    page.locator(".chip.escalated", has_text="level 1").wait_for()
    assert "Why escalated: Asks for a refund above my limit" in (
        page.locator("section.handoff").inner_text()
    )
    assert _step_done(page, "escalate")
    screenshot(page, "07-agent-escalated")

    # The supervisor's open board picks it up over its live stream, without a reload.
    row = boss.locator(f'table.queue tbody tr[data-conversation="{conversation}"]')
    row.wait_for()
    assert row.locator(".chip.escalated").inner_text() == "L1"
    assert boss.evaluate("() => window.__same_page === true"), "updated without a reload"
    screenshot(boss, "08-supervisor-queue-after-escalation")
    boss.context.close()
    assert not watch.csp_violations(), watch.console
    assert not watch.errors and not watch.dialogs


def test_supervisor_sees_the_escalation_queue(browser: Any, demo_server: LiveServer) -> None:
    page, watch = open_page(browser, demo_server.base_url)
    browser_login(page, SUPERVISOR, demo_server.password)
    page.get_by_role("link", name="Supervisor").click()
    page.wait_for_url(re.compile(r"/supervisor$"))
    queue = page.locator("table.queue tbody tr[data-conversation]")
    assert queue.count() >= 1
    assert page.locator("ol.hottest li[data-conversation]").count() >= 1
    screenshot(page, "05-supervisor")
    queue.first.locator("a").click()
    page.wait_for_url(re.compile(r"/conversations/\d+$"))
    assert page.locator(".chip.escalated").count() >= 1
    screenshot(page, "06-escalated-conversation")
    page.context.close()
    assert not watch.csp_violations(), watch.console
    assert not watch.errors and not watch.dialogs
