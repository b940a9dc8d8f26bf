"""The XSS corpus in Chromium, customer side: the portal's lists and a thread holding every
vector (as the customer's message and the support team's reply), a sample of visitors on
their own portal pages, the chat widget on a company's page showing every vector, and
anonymous visitors who give a vector as their name (which agents then read).

As on the staff side: the context bypasses the CSP, 0 executions, no active markup in the
DOM, each value reads back as the text it was.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from accord.core.text import single_line
from tests.web.conftest import ARTIFACTS, LiveServer, browser_login, screenshot, start_server
from tests.web.test_widget import serve_shop
from tests.web.xss_browser import Probe, as_attribute, as_text
from tests.web.xss_formats import NAME, fit
from tests.web.xss_world import ADMIN, PASSWORD, Corpus, shared_corpus

VISITORS = 3  # anonymous chats started from the widget (the limit is 10 an hour per address)
# Inside the widget only its own markup: a list item per message, the author in <strong>.
WIDGET_AUDIT = """() => {
  const bad = window.__xss === undefined ? [] : ['window.__xss set'];
  for (const el of document.querySelectorAll('*'))
    for (const a of el.attributes) if (a.name.startsWith('on')) bad.push(el.localName + a.name);
  for (const s of document.scripts) if (!s.src.endsWith('/static/widget.js')) bad.push('script');
  for (const li of document.querySelectorAll('.accord-widget-messages li')) {
    const kids = [...li.children].map((e) => e.localName).join(',');
    if (kids !== 'strong' || li.firstElementChild.children.length) bad.push('markup: ' + kids);
  }
  return bad;
}"""
PROBES: list[Probe] = []


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, Corpus]]:
    corpus = shared_corpus(tmp_path_factory)
    url, data_dir = corpus.copy_to(tmp_path_factory.mktemp("xss-customer"))
    server = start_server(data_dir, url, PASSWORD, {"ACCORD_WIDGET_ANONYMOUS": "true"})
    yield server, corpus
    server.stop()
    report = {
        "renders": sum(p.renders for p in PROBES),
        "executions": sum(p.executions for p in PROBES),
        "probes": [p.report() for p in PROBES],
    }
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "xss-customer.json").write_text(json.dumps(report, indent=2))


def _probe(browser: Any, base_url: str) -> Probe:
    probe = Probe.open(browser, base_url)
    PROBES.append(probe)
    return probe


def _portal_sign_in(probe: Probe, code: str) -> None:
    """Through the login form, as a customer does: the cookie is a session, never the code."""
    probe.page.context.clear_cookies()
    probe.page.goto("/portal/login")
    probe.page.get_by_label("Access code").fill(code)
    probe.page.get_by_role("button", name="Sign in").click()
    probe.page.wait_for_url("**/portal")


def _done(probe: Probe) -> None:
    probe.close()
    assert probe.executions == 0, probe.report()


def test_portal_lists_and_a_thread_of_every_vector(
    browser: Any, live: tuple[LiveServer, Corpus]
) -> None:
    server, corpus = live
    probe = _probe(browser, server.base_url)
    page = probe.page
    _portal_sign_in(probe, corpus.portal_code)
    listed = 0
    url: str | None = "/portal"
    while url:
        probe.goto(url)
        if url == "/portal":
            screenshot(page, "15-xss-portal")
        assert probe.texts("header.top .me span") == [as_text(corpus.portal_name)]
        rows = page.eval_on_selector_all(
            "table.portal-list tr[data-conversation]",
            "rows => rows.map((r) => [Number(r.dataset.conversation), "
            "r.querySelector('a.conv-link').textContent])",
        )
        for conversation, subject in rows:
            assert subject == as_text(corpus.subjects[conversation])
        listed += len(rows)
        more = page.locator("a.more")
        url = more.get_attribute("href") if more.count() else None
    assert listed == len(corpus.vectors) + 1
    probe.goto(f"/portal/conversations/{corpus.widget_conversation_id}")
    texts = probe.texts(".msg-text")
    assert texts == [as_text(v) for v in corpus.vectors for _ in (0, 1)], "and no internal note"
    _done(probe)


def test_visitors_on_their_own_portal_pages(browser: Any, live: tuple[LiveServer, Corpus]) -> None:
    server, corpus = live
    probe = _probe(browser, server.base_url)
    for i in corpus.sample[::2]:
        _portal_sign_in(probe, corpus.visitor_codes[i])
        conversation = corpus.conversation_ids[i]
        probe.goto("/portal")
        assert probe.texts("header.top .me span") == [as_text(corpus.customers[conversation])]
        probe.goto(f"/portal/conversations/{conversation}")
        subject = corpus.subjects[conversation]
        assert probe.texts("title") == [as_attribute(subject) + " · Accord"]
        assert probe.texts("h1") == [as_text(subject)]
        assert probe.texts(".msg-text") == [as_text(corpus.first_text[conversation])]
    _done(probe)


def test_the_widget_shows_every_vector_as_text(
    browser: Any, live: tuple[LiveServer, Corpus]
) -> None:
    server, corpus = live
    with serve_shop(server.base_url, corpus.portal_code) as shop:
        probe = _probe(browser, shop)
        probe.page.goto(shop)
        probe.page.get_by_role("button", name="Chat with us").click()
        mine = probe.page.locator("li.accord-mine")
        mine.nth(len(corpus.vectors) - 1).wait_for()
        assert probe.page.evaluate(WIDGET_AUDIT) == []
        probe.renders += 1
        texts = probe.texts(".accord-widget-messages li")
        expected = [f"{who}: {v}" for v in corpus.vectors for who in ("You", "Support team")]
        assert texts == expected, "set as text nodes: exactly what was stored"
        screenshot(probe.page, "16-xss-widget")
        probe.page.wait_for_timeout(1000)
        assert probe.page.evaluate(WIDGET_AUDIT) == []
        probe.page.context.close()
    assert probe.executions == 0, probe.report()


def test_anonymous_visitors_named_with_vectors(
    browser: Any, live: tuple[LiveServer, Corpus]
) -> None:
    """A visitor types a vector as their name and first message; the agent reads both."""
    server, corpus = live
    chosen = [v for v in (corpus.vectors[i] for i in corpus.sample) if v.isprintable()]
    names = []
    with serve_shop(server.base_url, None) as shop:
        for vector in chosen[:VISITORS]:
            visitor = _probe(browser, shop)
            visitor.page.goto(shop)
            visitor.page.get_by_role("button", name="Chat with us").click()
            visitor.page.get_by_label("Your name").fill(fit(vector, NAME))
            visitor.page.get_by_label("How can we help?").fill(vector)
            visitor.page.get_by_role("button", name="Start chat").click()
            visitor.page.locator("li.accord-mine").first.wait_for()
            assert visitor.page.evaluate(WIDGET_AUDIT) == []
            assert visitor.texts("li.accord-mine") == [f"You: {vector}"]
            visitor.renders += 1
            visitor.page.context.close()
            assert visitor.executions == 0, visitor.report()
            names.append(single_line(fit(vector, NAME)))
    staff = _probe(browser, server.base_url)
    browser_login(staff.page, ADMIN, PASSWORD)
    staff.goto("/inbox?status=all&sort=recent")
    links = staff.page.locator("a.conv-link")
    for n, name in enumerate(reversed(names)):
        staff.goto(links.nth(n).get_attribute("href") or "")
        assert as_text(name) in staff.texts("header.conv-head")[0]
        notes = staff.texts(".msg-note .msg-text")
        assert any(f"Name given: {as_text(name)}." in note for note in notes), notes
        staff.goto("/inbox?status=all&sort=recent")
    _done(staff)
