"""At least 100 stored-XSS vectors in subjects, customer names, message bodies and tags render
in Chromium with 0 script executions.

The browser context bypasses the Content-Security-Policy, so escaping alone must hold: a
vector that got through would run (dialog, or `window.__xss` set), or at least leave an
element with an event-handler attribute in the DOM. Each vector must also read back as text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

from accord.auth import service as auth
from accord.auth.schemas import TeamCreate, UserCreate
from accord.core.principal import SYSTEM, Role
from accord.db.engine import Database
from accord.db.migrate import upgrade
from accord.inbox import service as inbox
from accord.inbox.models import ConversationTag
from accord.inbox.schemas import ConversationCreate, CustomerCreate, MessageIn
from tests.web.conftest import LiveServer, browser_login, open_page, screenshot, start_server
from tests.web.xss_vectors import vectors

PASSWORD = "correct-horse-battery"
ADMIN = "admin@xss.example"
# Anything in the DOM that could run: handler attributes, or active elements we never render.
HOSTILE_DOM = """() => {
  const bad = [];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      if (a.name.startsWith('on')) bad.push(el.tagName + ' ' + a.name);
    }
  }
  const active = 'iframe:not([sandbox=""]), object, embed, base, meta[http-equiv]';
  for (const el of document.querySelectorAll(active)) bad.push(el.tagName);
  for (const s of document.scripts)
    if (!s.src.includes('/static/')) bad.push('inline script');
  return bad;
}"""


def _seed(db: Database) -> list[tuple[int, str]]:
    """One conversation per vector: in its subject, its customer's name, its first message
    and (written past the API's tag validation, like a legacy import) its tag."""
    made = []
    with db.write() as s:
        team = auth.create_team(s, actor=SYSTEM, data=TeamCreate(slug="xss", name="XSS"))
        data = UserCreate(
            email=ADMIN, name="Admin", role=Role.ADMIN, password=PASSWORD, team_ids=[team.id]
        )
        auth.create_user(s, actor=SYSTEM, data=data)
        for i, vector in enumerate(vectors()):
            customer = inbox.create_customer(s, actor=SYSTEM, data=CustomerCreate(name=vector))
            conversation, _ = inbox.create_conversation(
                s,
                actor=SYSTEM,
                data=ConversationCreate(
                    subject=vector,
                    customer_id=customer.id,
                    team_id=team.id,
                    tags=["x"],
                    message=MessageIn(text=f"Vector {i}: {vector}"),
                ),
            )
            # An email's HTML part, stored raw as a careless importer might.
            conversation.messages[0].html = f"<p>Vector {i}</p>{vector}"
            s.execute(
                update(ConversationTag)
                .where(ConversationTag.conversation_id == conversation.id)
                .values(tag=vector[:64])
            )
            made.append((conversation.id, vector))
    return made


@pytest.fixture(scope="module")
def xss_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, Any]]:
    data_dir: Path = tmp_path_factory.mktemp("xss")
    url = f"sqlite:///{data_dir / 'accord.db'}"
    upgrade(url)
    db = Database(url)
    made = _seed(db)
    db.dispose()
    server = start_server(data_dir, url, PASSWORD)
    yield server, made
    server.stop()


def _assert_clean(page: Any, watch: Any, where: str) -> None:
    for frame in page.frames:  # the page, and the sandboxed frames of email HTML
        assert frame.evaluate("() => window.__xss === undefined"), where
        assert frame.evaluate(HOSTILE_DOM) == [], (where, frame.url)
    assert not watch.dialogs, (where, watch.dialogs)
    assert not watch.errors, (where, watch.errors)


def test_vectors_are_many_and_cover_every_field() -> None:
    assert len(set(vectors())) >= 100


def test_stored_xss_never_runs(browser: Any, xss_server: tuple[LiveServer, Any]) -> None:
    server, made = xss_server
    page, watch = open_page(browser, server.base_url, bypass_csp=True)
    browser_login(page, ADMIN, PASSWORD)
    next_url: str | None = "/inbox?status=all&sort=recent"
    listed = 0
    while next_url:
        page.goto(next_url)
        _assert_clean(page, watch, next_url)
        listed += page.locator("table.inbox tbody tr[data-conversation]").count()
        more = page.locator("a.more")
        next_url = more.get_attribute("href") if more.count() else None
    assert listed == len(made)
    screenshot(page, "07-xss-inbox")
    for conversation_id, vector in made:
        page.goto(f"/conversations/{conversation_id}")
        _assert_clean(page, watch, vector)
        assert page.locator("h1").inner_text() == vector
        assert vector in page.locator(".msg-inbound .msg-text").first.inner_text()
        assert page.locator('.msg-inbound iframe[sandbox=""]').count() == 1
        assert (
            re.sub(r"\s+", " ", vector[:64]).strip()
            in page.locator("header.conv-head").inner_text()
        )
    screenshot(page, "08-xss-conversation")
    # The coach quotes the draft and the customer's key points back: escaped there too.
    page.get_by_label("Your message").fill(" ".join(vectors()[:8]) + " you should have")
    page.locator("#coach li.finding").first.wait_for()
    _assert_clean(page, watch, "coach")
    page.goto("/supervisor")
    _assert_clean(page, watch, "/supervisor")
    page.context.close()


def test_email_html_is_sanitised_and_sandboxed(
    browser: Any, xss_server: tuple[LiveServer, Any]
) -> None:
    """With the CSP enforced: the frame of an email's HTML holds no script and breaks no
    policy, and the page shows no violation either."""
    server, made = xss_server
    page, watch = open_page(browser, server.base_url)
    browser_login(page, ADMIN, PASSWORD)
    for conversation_id, _vector in made[:8]:
        page.goto(f"/conversations/{conversation_id}")
        page.locator(".email-html summary").first.click()
        frame = page.frame_locator('.msg-inbound iframe[sandbox=""]').first
        assert frame.locator("p").first.inner_text().startswith("Vector")
        assert frame.locator("script, [onerror], [onload]").count() == 0
    page.context.close()
    assert not watch.csp_violations(), watch.console
    assert not watch.dialogs and not watch.errors
