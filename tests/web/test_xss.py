"""The XSS corpus (`tests.web.xss_vectors`, over 500 vectors) in Chromium, staff side: every
field a person can put text into, rendered many vectors to a page (the inbox, the supervisors'
board, the admin pages, one conversation per chunk of the corpus with its messages, notes,
email HTML, evidence, hand-off notes, heat explanation and playbook), then a sample on pages
of their own (<title>, heading, inputs) and echoed by the policy editors and the coach.

The context bypasses the Content-Security-Policy: escaping alone must hold. 0 executions
(dialog, script error, `window.__xss`, a request to the loopback marker), no active markup in
the DOM (`tests.web.xss_browser`), and each value reads back as the text it was.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from accord.core.redact import mask_secrets
from accord.web.render import label
from tests.web.conftest import ARTIFACTS, LiveServer, browser_login, screenshot, start_server
from tests.web.xss_browser import Probe, as_attribute, as_text
from tests.web.xss_formats import fit, yaml_string
from tests.web.xss_world import ADMIN, PASSWORD, Corpus, shared_corpus

FIELDS: set[str] = set()


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, Corpus]]:
    corpus = shared_corpus(tmp_path_factory)
    url, data_dir = corpus.copy_to(tmp_path_factory.mktemp("xss-staff"))
    server = start_server(data_dir, url, PASSWORD)
    yield server, corpus
    server.stop()


@pytest.fixture(scope="module")
def staff(browser: Any, live: tuple[LiveServer, Corpus]) -> Iterator[Probe]:
    probe = Probe.open(browser, live[0].base_url)
    browser_login(probe.page, ADMIN, PASSWORD)
    yield probe
    probe.close()
    report = {**probe.report(), "fields": sorted(FIELDS)}
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "xss-staff.json").write_text(json.dumps(report, indent=2))
    assert probe.executions == 0, report


def _shown(name: str, expected: list[str] | set[str], shown: list[str]) -> None:
    """Each expected value is (part of) one of the texts shown."""
    text = "\n\x01".join(shown)
    absent = [v for v in expected if v not in text]
    assert absent == [], (name, absent[:3])
    FIELDS.add(name)


def test_lists_show_every_subject_customer_tag_team_and_user(
    staff: Probe, live: tuple[LiveServer, Corpus]
) -> None:
    corpus = live[1]
    owners = {
        c: as_text(corpus.user_names[u]) + as_text(corpus.team_names[t])
        for c, u, t in zip(corpus.conversation_ids, corpus.user_ids, corpus.team_ids, strict=True)
    }
    url: str | None = "/inbox?status=open&sort=recent"
    seen: set[int] = set()
    while url:
        staff.goto(url)
        rows = staff.page.eval_on_selector_all(
            "table.inbox tbody tr[data-conversation]",
            "rows => rows.map((r) => [Number(r.dataset.conversation), "
            "r.querySelector('a.conv-link').textContent, r.cells[2].textContent, "
            "r.cells[1].textContent, r.cells[5].textContent])",
        )
        for conversation, subject, customer, cell, owner in rows:
            seen.add(conversation)
            assert subject == as_text(corpus.subjects[conversation])
            assert as_text(corpus.customers[conversation]) in customer
            if conversation in corpus.tags:
                assert "#" + as_text(corpus.tags[conversation]) in cell
                assert owner.strip() == owners[conversation].strip()
        more = staff.page.locator("a.more")
        url = more.get_attribute("href") if more.count() else None
    assert set(corpus.conversation_ids) <= seen
    FIELDS.update({"conversation subject", "customer name", "tag"})
    options = staff.texts("#f-team option") + staff.texts("#f-assignee option")
    _shown("team name", {as_text(n) for n in corpus.team_names.values()}, options)
    _shown("user name", {as_text(n) for n in corpus.user_names.values()}, options)
    screenshot(staff.page, "07-xss-inbox")
    staff.goto("/supervisor")
    _shown("user name", {as_text(n) for n in corpus.user_names.values()}, staff.texts("td"))


def test_admin_pages_show_every_team_user_and_playbook_name(
    staff: Probe, live: tuple[LiveServer, Corpus]
) -> None:
    corpus = live[1]
    staff.goto("/admin")
    teams = staff.texts("table.admin-teams tbody td:first-child")
    _shown("team name", {as_text(n) for n in corpus.team_names.values()}, teams)
    values = staff.attributes("table.admin-teams input[name=name]", "value")
    _shown("team name", {as_attribute(n) for n in corpus.team_names.values()}, values)
    users = staff.texts("table.admin-users tbody td:first-child")
    _shown("user name", {as_text(n) for n in corpus.user_names.values()}, users)
    staff.goto("/admin/policies/playbook")
    names = staff.texts("ul.playbook-list a")
    _shown("playbook name", {as_text(n) for n in corpus.playbook_names.values()}, names)
    for chunk in corpus.chunks:
        staff.goto(f"/admin/policies/playbook?playbook={chunk.playbook_id}")
        FIELDS.add("playbook text")


def test_one_conversation_per_chunk_shows_its_vectors_in_every_part(
    staff: Probe, live: tuple[LiveServer, Corpus]
) -> None:
    corpus = live[1]
    for chunk in corpus.chunks:
        staff.goto(f"/conversations/{chunk.conversation_id}")
        wanted = {as_text(v) for v in chunk.vectors}
        _shown("internal note", wanted, staff.texts(".msg-note .msg-text"))
        _shown("message text", wanted, staff.texts(".msg-outbound .msg-text"))
        _shown("message text", wanted, staff.texts(".msg-inbound .msg-text"))
        marks = staff.texts(".msg-inbound mark")
        _shown("evidence span", {as_text(_middle(v)) for v in chunk.vectors}, marks)
        sample = set(corpus.sample)
        reasons = {
            as_text(mask_secrets(v.strip()) if chunk.first + n in sample else v)
            for n, v in enumerate(chunk.vectors)
        }
        _shown("escalation reason (hand-off note)", reasons, staff.texts("section.handoff"))
        why = staff.texts("#heat-why li")
        _shown("heat evidence", {as_text(f"{v}; {v[::-1]}") for v in chunk.vectors}, why)
        _shown("heat term", {as_text(label(fit(v, 80))) for v in chunk.vectors}, why)
        steps = staff.texts(".step-title")
        _shown("playbook step", {as_text(fit(v, 300)) for v in chunk.vectors}, steps)
        _shown("playbook name", {as_text(chunk.vectors[0])}, staff.texts("#playbook-h"))
        options = staff.texts("#c-assignee option")
        _shown("user name", {as_text(n) for n in corpus.user_names.values()}, options)
        frames = [f for f in staff.page.frames if f.url == "about:srcdoc"]
        assert len(frames) == len(chunk.vectors)
        FIELDS.add("email HTML")


def _middle(vector: str) -> str:
    a, b = len(vector) // 3, max(len(vector) // 3 + 1, 2 * len(vector) // 3)
    return vector[a:b]


def test_sample_vectors_on_pages_of_their_own(
    staff: Probe, live: tuple[LiveServer, Corpus]
) -> None:
    corpus = live[1]
    for i in corpus.sample[::2]:  # the HTTP test takes every one of the sample
        conversation = corpus.conversation_ids[i]
        staff.goto(f"/conversations/{conversation}")
        subject = corpus.subjects[conversation]
        assert staff.texts("title") == [as_attribute(subject) + " · Accord"]
        assert staff.texts("h1") == [as_text(subject)]
        header = staff.texts("header.conv-head")[0]
        assert as_text(corpus.customers[conversation]) in header
        assert "#" + as_text(corpus.tags[conversation]) in header
        assert staff.texts(".msg-inbound .msg-text") == [as_text(corpus.first_text[conversation])]
        user = corpus.user_ids[i]
        staff.goto(f"/admin/users/{user}")
        assert staff.texts("h1") == ["Edit " + as_text(corpus.user_names[user])]
        assert staff.attributes("#e-name", "value") == [as_attribute(corpus.user_names[user])]
    screenshot(staff.page, "08-xss-conversation")
    for conversation in corpus.email_conversation_ids[1::2]:
        staff.goto(f"/conversations/{conversation}")
        assert staff.texts("h1") == [as_text(corpus.subjects[conversation])]
        assert as_text(corpus.customers[conversation]) in staff.texts("header.conv-head")[0]
    FIELDS.update({"email display name", "visitor name (note)"})


def test_policy_editors_echo_what_they_were_given(
    staff: Probe, live: tuple[LiveServer, Corpus]
) -> None:
    """The text under check stays in the editor; the errors quote parts of it."""
    corpus = live[1]
    for chunk in corpus.chunks:
        text = "rules:\n" + "".join(f"  - name: {v}\n" for v in chunk.vectors)
        staff.page.goto("/admin/policies/rules")
        staff.page.get_by_label("Escalation rules (YAML)").fill(text)
        staff.page.get_by_role("button", name="Check").click()
        staff.page.locator("#policy-verdict").wait_for()
        staff.check(f"rules check, chunk {chunk.first}")
        value = staff.page.get_by_label("Escalation rules (YAML)").input_value()
        assert value == as_attribute(text), "as typed"
        FIELDS.add("policy text (textarea)")
        if chunk is corpus.chunks[0]:
            screenshot(staff.page, "17-xss-admin-policy")
        keys = "".join(f"  ? {yaml_string(v)}\n  : 1\n" for v in chunk.vectors)
        text = f"id: p\nname: p\napplies_to:\n{keys}steps: []\n"
        staff.page.goto("/admin/policies/playbook")
        staff.page.get_by_label("Playbook (YAML)").fill(text)
        staff.page.get_by_role("button", name="Check").click()
        staff.page.locator("#policy-verdict").wait_for()
        staff.check(f"playbook check, chunk {chunk.first}")
        echoed = {as_text(f"applies_to.{v}: Extra inputs") for v in chunk.vectors}
        _shown("policy error (echo)", echoed, staff.texts(".verdict-message"))


def test_coach_and_escalation_take_vectors_typed_in_the_page(
    staff: Probe, live: tuple[LiveServer, Corpus]
) -> None:
    corpus = live[1]
    conversation = corpus.conversation_ids[corpus.sample[1]]
    staff.goto(f"/conversations/{conversation}")
    draft = " ".join(corpus.vectors[:8]) + " you should have"
    staff.page.get_by_label("Your message").fill(draft)
    staff.page.locator("#coach li.finding").first.wait_for()
    staff.check("coach review")
    FIELDS.add("coach draft (echo)")
    notes = staff.page.locator("section.handoff .msg-text")
    for i in corpus.sample[2:5]:
        reason = corpus.vectors[i][:2000]
        # Counted before each click, so the next reason is typed only once the page shows
        # this escalation's note (typing into a form that is being swapped loses the text).
        before = notes.count()
        staff.page.get_by_label("Why does this need a supervisor?").fill(reason)
        staff.page.get_by_role("button", name="Escalate to a supervisor", exact=True).click()
        staff.page.wait_for_function(
            "(n) => document.querySelectorAll('section.handoff .msg-text').length > n",
            arg=before,
        )
        staff.check(f"escalated with vector {i}")
        shown = staff.texts("section.handoff")
        _shown("escalation reason (hand-off note)", {as_text(mask_secrets(reason.strip()))}, shown)


def test_email_html_is_sanitised_and_sandboxed_under_the_real_policy(
    browser: Any, live: tuple[LiveServer, Corpus]
) -> None:
    """With the CSP enforced: the frames of a chunk's email HTML hold no script, nothing
    runs, and the only refusals are remote images that the sanitiser keeps."""
    server, corpus = live
    probe = Probe.open(browser, server.base_url, bypass_csp=False)
    console: list[str] = []
    probe.page.on("console", lambda m: console.append(m.text))
    browser_login(probe.page, ADMIN, PASSWORD)
    chunk = corpus.chunks[0]
    probe.goto(f"/conversations/{chunk.conversation_id}")
    for n in range(3):
        probe.page.locator(".email-html summary").nth(n).click()
        frame = probe.page.frame_locator('.msg-inbound iframe[sandbox=""]').nth(n)
        assert frame.locator("p").first.inner_text() == f"Vector {chunk.first + n}"
    refused = [m for m in console if "Content Security Policy" in m]
    assert all("img-src" in m for m in refused), refused
    probe.close()
    assert probe.executions == 0, probe.report()
