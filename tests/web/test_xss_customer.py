"""The stored-XSS vectors on the customer side, the escalation control and the admin pages,
in Chromium with the CSP bypassed (escaping alone must hold): the portal's list and
conversation pages, the chat widget on a company's page, hand-off notes that quote an agent's
escalation reason, user and team names on the admin page, and policy text and its errors.
0 script executions, no active markup in the DOM, each vector reads back as text."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from accord.auth import service as auth
from accord.auth.schemas import TeamCreate, UserCreate
from accord.cases import escalation_service
from accord.core.principal import SYSTEM, Role
from accord.db.engine import Database
from accord.db.migrate import upgrade
from accord.inbox import service as inbox
from accord.inbox.schemas import ConversationCreate, CustomerCreate, MessageCreate, MessageIn
from tests.web.conftest import LiveServer, browser_login, open_page, screenshot, start_server
from tests.web.test_widget import serve_shop
from tests.web.test_xss import _assert_clean
from tests.web.xss_vectors import vectors

PASSWORD = "correct-horse-battery"
ADMIN = "admin@xss-customer.example"
REASONS = 16  # escalation reasons carried into hand-off notes


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, dict[str, Any]]]:
    """A customer named with a vector; a conversation per vector (subject and first message);
    then the latest one holding every vector as a message and escalated with vector reasons."""
    data_dir: Path = tmp_path_factory.mktemp("xss-customer")
    url = f"sqlite:///{data_dir / 'accord.db'}"
    upgrade(url)
    db = Database(url)
    with db.write() as s:
        team = auth.create_team(s, actor=SYSTEM, data=TeamCreate(slug="xss", name="XSS"))
        data = UserCreate(
            email=ADMIN, name="Admin", role=Role.ADMIN, password=PASSWORD, team_ids=[team.id]
        )
        auth.create_user(s, actor=SYSTEM, data=data)
        for i, vector in enumerate(vectors()):  # the admin pages list them
            other = auth.create_team(s, actor=SYSTEM, data=TeamCreate(slug=f"t{i}", name=vector))
            member = UserCreate(
                email=f"u{i}@xss-customer.example",
                name=vector,
                role=Role.AGENT,
                password=PASSWORD,
                team_ids=[other.id],
            )
            auth.create_user(s, actor=SYSTEM, data=member)
        who = inbox.create_customer(s, actor=SYSTEM, data=CustomerCreate(name=vectors()[3]))
        code, _ = auth.issue_token(s, actor=SYSTEM, customer_id=who.id, name="xss")
        made = []
        for vector in vectors():
            row, _ = inbox.create_conversation(
                s,
                actor=SYSTEM,
                data=ConversationCreate(
                    subject=vector, customer_id=who.id, message=MessageIn(text=vector)
                ),
            )
            made.append(row.id)
        last, _ = inbox.create_conversation(
            s,
            actor=SYSTEM,
            data=ConversationCreate(
                subject="All vectors", customer_id=who.id, message=MessageIn(text="start")
            ),
        )
        for vector in vectors():
            inbox.add_message(
                s,
                actor=SYSTEM,
                conversation_id=last.id,
                data=MessageCreate(text=vector, direction="inbound"),
            )
        for vector in vectors()[:REASONS]:
            escalation_service.escalate(s, actor=SYSTEM, conversation_id=last.id, reason=vector)
        world = {"code": code, "made": made, "last": last.id}
    db.dispose()
    server = start_server(data_dir, url, PASSWORD)
    yield server, world
    server.stop()


def test_portal_pages_escape_every_vector(
    browser: Any, seeded: tuple[LiveServer, dict[str, Any]]
) -> None:
    server, world = seeded
    page, watch = open_page(browser, server.base_url, bypass_csp=True)
    page.goto("/portal/login")
    page.get_by_label("Access code").fill(world["code"])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/portal")
    assert vectors()[3] in page.locator("header.top").inner_text()
    listed = 0
    next_url: str | None = "/portal"
    while next_url:
        page.goto(next_url)
        _assert_clean(page, watch, next_url)
        listed += page.locator("a.conv-link").count()
        more = page.locator("a.more")
        next_url = more.get_attribute("href") if more.count() else None
    assert listed == len(vectors()) + 1
    for conversation_id, vector in zip(world["made"], vectors(), strict=True):
        page.goto(f"/portal/conversations/{conversation_id}")
        _assert_clean(page, watch, vector)
        assert page.locator("h1").inner_text() == vector
        assert page.locator(".msg-inbound .msg-text").first.inner_text() == vector.strip()
    page.goto(f"/portal/conversations/{world['last']}")
    _assert_clean(page, watch, "all vectors")
    assert "HAND-OFF" not in page.content(), "internal hand-off notes stay internal"
    screenshot(page, "15-xss-portal")
    page.context.close()


def test_widget_and_handoff_notes_escape_every_vector(
    browser: Any, seeded: tuple[LiveServer, dict[str, Any]]
) -> None:
    server, world = seeded
    with serve_shop(server.base_url, world["code"]) as shop:
        page, watch = open_page(browser, shop, bypass_csp=True)
        page.goto(shop)
        page.get_by_role("button", name="Chat with us").click()
        mine = page.locator("li.accord-mine")
        mine.nth(len(vectors())).wait_for()
        _assert_clean(page, watch, "widget")
        texts = mine.all_inner_texts()
        for vector, text in zip(vectors(), texts[1:], strict=True):
            assert text == f"You: {vector.strip()}", vector
        screenshot(page, "16-xss-widget")
        page.context.close()
    staff, staff_watch = open_page(browser, server.base_url, bypass_csp=True)
    browser_login(staff, ADMIN, PASSWORD)
    staff.goto(f"/conversations/{world['last']}")
    _assert_clean(staff, staff_watch, "hand-off notes")
    notes = staff.locator("section.handoff").inner_text()
    for vector in vectors()[:REASONS]:
        assert f"Why escalated: {vector.strip()}" in notes, vector
    staff.goto("/supervisor")
    _assert_clean(staff, staff_watch, "/supervisor")
    staff.context.close()


def test_admin_pages_escape_every_vector(
    browser: Any, seeded: tuple[LiveServer, dict[str, Any]]
) -> None:
    server, _world = seeded
    page, watch = open_page(browser, server.base_url, bypass_csp=True)
    browser_login(page, ADMIN, PASSWORD)
    page.goto("/admin")
    _assert_clean(page, watch, "/admin")
    names = page.locator("table.admin-teams tbody td:first-child").all_inner_texts()
    assert sorted(v.strip() for v in vectors()) == sorted(n for n in names if n != "XSS")
    for vector in vectors()[:32]:  # as policy text: shown back in the editor and its error
        page.goto("/admin/policies/rules")
        page.get_by_label("Escalation rules (YAML)").fill(f"rules:\n  - name: {vector}\n")
        page.get_by_role("button", name="Check").click()
        page.locator("#policy-verdict").wait_for()
        _assert_clean(page, watch, vector)
        assert page.get_by_label("Escalation rules (YAML)").input_value().endswith(f"{vector}\n")
    screenshot(page, "17-xss-admin-policy")
    page.context.close()
