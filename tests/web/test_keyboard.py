"""Every page can be used from the keyboard, and every control has a label."""

from __future__ import annotations

import re
from typing import Any

from tests.web.conftest import LiveServer, Watch, browser_login

SUPERVISOR = "helen@northwind.example"
MAX_TABS = 80
UNLABELLED = """() => {
  const out = [];
  for (const el of document.querySelectorAll('input, select, textarea, button, a[href]')) {
    if (el.type === 'hidden') continue;
    const name = (el.labels && el.labels.length ? el.labels[0].textContent : '')
      || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')
      || (el.textContent || '').trim();
    if (!name.trim()) out.push(el.outerHTML.slice(0, 120));
  }
  return out;
}"""


def _tab_to(page: Any, predicate: str) -> bool:
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const el = document.activeElement; return {predicate}; }}"):
            return True
    return False


def test_every_control_is_labelled(page: tuple[Any, Watch], demo_server: LiveServer) -> None:
    p, _watch = page
    p.goto("/login")
    assert p.evaluate(UNLABELLED) == []
    browser_login(p, SUPERVISOR, demo_server.password)
    first = p.locator("a.conv-link").first.get_attribute("href")
    for path in ("/inbox", "/supervisor", first):
        p.goto(path)
        assert p.evaluate(UNLABELLED) == [], path
        assert p.locator("main#main h1").count() == 1, path


def test_inbox_and_conversation_by_keyboard(
    page: tuple[Any, Watch], demo_server: LiveServer
) -> None:
    p, _watch = page
    browser_login(p, SUPERVISOR, demo_server.password)
    p.keyboard.press("Tab")
    assert p.evaluate("() => document.activeElement.textContent") == "Skip to content"
    p.keyboard.press("/")
    assert p.evaluate("() => document.activeElement.id") == "f-sort"
    p.locator("body").click(position={"x": 5, "y": 300})
    p.keyboard.press("j")
    assert p.evaluate("() => document.activeElement.className") == "conv-link"
    p.keyboard.press("j")
    second = p.evaluate("() => document.activeElement.getAttribute('href')")
    p.keyboard.press("Enter")
    p.wait_for_url(re.compile(re.escape(second) + "$"))
    assert _tab_to(p, "el.id === 'c-status'"), "the status control is reachable by Tab"
    assert _tab_to(p, "el.classList.contains('tick')"), "playbook steps are reachable by Tab"
    assert _tab_to(p, "el.id === 'composer-text'"), "the composer is reachable by Tab"
    p.keyboard.type("Noted: checking with the warehouse.")
    assert _tab_to(p, "el.name === 'kind'"), "the reply/note choice is reachable by Tab"
    p.keyboard.press("ArrowRight")  # a radio group: arrows choose, Tab leaves
    assert p.evaluate("() => document.activeElement.value") == "note"
    assert _tab_to(p, "el.textContent === 'Send'")
    p.keyboard.press("Enter")
    p.locator(".msg-note", has_text="checking with the warehouse").wait_for()
