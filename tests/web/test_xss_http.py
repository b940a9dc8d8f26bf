"""The whole XSS corpus through every field, at the HTTP level (no browser, so it always runs):
every page that shows a field is fetched and audited (`tests.web.xss_audit`: no element,
attribute or htmx instruction the templates do not write, no event handler, no script but the
static ones, no javascript:/data:/vbscript: URL, no markup inside <title> or <textarea>, the
email HTML in each sandboxed frame audited too), and each stored value must appear escaped
exactly as Jinja escapes it. Input that is echoed back (a login's next page, a policy under
check, a form's field names, an unknown policy editor) is sent once per vector or per chunk.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, unquote

import pytest
from fastapi.testclient import TestClient

from accord.app import create_app
from accord.core.redact import mask_secrets
from accord.db.engine import Database
from accord.settings import Settings
from accord.web.customer import PORTAL_COOKIE
from accord.web.render import label
from tests.web.conftest import ARTIFACTS, portal_login, web_login
from tests.web.xss_audit import audit, escaped, missing
from tests.web.xss_formats import fit, yaml_string
from tests.web.xss_vectors import vectors
from tests.web.xss_world import ADMIN, PASSWORD, Corpus, shared_corpus

ROW = re.compile(r'<tr data-conversation="(\d+)"')


class Site:
    """The app on a private copy of the corpus; counts what it rendered."""

    def __init__(self, client: TestClient, corpus: Corpus, csrf: str) -> None:
        self.client, self.corpus, self.csrf = client, corpus, csrf
        self.renders = 0
        self.fields: set[str] = set()

    def page(self, url: str, *, method: str = "GET", status: int = 200, **kw: Any) -> str:
        response = self.client.request(method, url, **kw)
        assert response.status_code == status, (url, response.status_code, response.text[:300])
        assert response.headers["content-type"].startswith("text/html"), url
        body = response.text
        assert audit(body) == [], (url, audit(body)[:5])
        self.renders += 1
        return body

    def shows(self, body: str, where: str, name: str, values: list[str] | set[str]) -> None:
        """`values` of the field `name` appear escaped on the page at `where`."""
        assert missing(body, values) == [], (where, name, missing(body, values)[:3])
        self.fields.add(name)

    def as_customer(self, code: str) -> str:
        """Sign in to the portal with `code` (the login form); returns the portal's CSRF token."""
        self.client.cookies.delete(PORTAL_COOKIE)
        return portal_login(self.client, code)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    corpus = shared_corpus(tmp_path_factory)
    url, data_dir = corpus.copy_to(tmp_path_factory.mktemp("xss-http"))
    db = Database(url)
    settings = Settings(data_dir=data_dir, database_url=url, jobs_backend="immediate")
    with TestClient(create_app(settings, database=db)) as client:
        client.headers["Accept"] = "text/html"  # as a browser asks for pages
        csrf = web_login(client, ADMIN, PASSWORD)
        yield Site(client, corpus, csrf)
    db.dispose()


def test_the_corpus_is_large_distinct_and_stable() -> None:
    every = vectors()
    assert len(every) >= 500 and len(set(every)) == len(every)
    vectors.cache_clear()
    assert vectors() == every, "the same corpus, in the same order, on every run"
    text = "\n".join(every)
    for needle in (
        "<script",
        "onerror=",
        "javascript:",
        "data:text/html",
        "vbscript:",
        "<svg",
        "<math",
        "<noscript",
        "<template",
        "&#x",
        "\x00",
        "expression(",
        "hx-on",
        "hx-vals",
        "{{7*7}}",
        "{%",
        "](javascript:",
    ):
        assert needle in text, needle
    assert max(map(len, every)) > 5000


def _inbox(site: Site) -> set[int]:
    """Every page of the open inbox: subject, customer and tag of each row; every team and
    user name in the filters."""
    corpus, seen = site.corpus, set()
    first = True
    url: str | None = "/inbox?status=open&sort=recent"
    while url:
        body = site.page(url)
        if first:
            site.shows(body, "inbox filters", "team name", set(corpus.team_names.values()))
            site.shows(body, "inbox filters", "user name", set(corpus.user_names.values()))
            first = False
        rows = [int(r) for r in ROW.findall(body)]
        seen.update(rows)
        site.shows(body, url, "conversation subject", {corpus.subjects[r] for r in rows})
        site.shows(body, url, "customer name", {corpus.customers[r] for r in rows})
        site.shows(body, url, "tag", {"#" + corpus.tags[r] for r in rows if r in corpus.tags})
        more = re.search(r'<a class="more" href="([^"]+)"', body)
        url = more.group(1).replace("&amp;", "&") if more else None
    return seen


def test_every_field_in_the_pages_that_list_it(site: Site) -> None:
    corpus = site.corpus
    seen = _inbox(site)
    assert set(corpus.conversation_ids) <= seen
    board = site.page("/supervisor")
    site.shows(board, "/supervisor", "user name", set(corpus.user_names.values()))
    site.shows(board, "/supervisor", "conversation subject", {"Chunk 0"})
    admin = site.page("/admin")
    site.shows(admin, "/admin", "team name", set(corpus.team_names.values()))
    site.shows(admin, "/admin", "user name", set(corpus.user_names.values()))
    site.shows(admin, "/admin", "user name", {f"Edit {n}" for n in corpus.user_names.values()})
    playbooks = site.page("/admin/policies/playbook")
    site.shows(playbooks, "playbooks", "playbook name", set(corpus.playbook_names.values()))
    for chunk in corpus.chunks:
        _chunk_page(site, chunk.conversation_id, chunk.vectors, chunk.first)
        editor = site.page(f"/admin/policies/playbook?playbook={chunk.playbook_id}")
        site.shows(editor, "playbook editor", "playbook text", {yaml_string(chunk.vectors[1])})


def _chunk_page(site: Site, conversation_id: int, chunk: tuple[str, ...], first: int) -> None:
    body = site.page(f"/conversations/{conversation_id}")
    where = f"chunk from vector {first}"
    site.shows(body, where, "message text", set(chunk))  # the notes and replies: whole
    sample = {first + n for n in range(len(chunk))} & set(site.corpus.sample)
    reasons = {
        f"Why escalated: {mask_secrets(v.strip()) if first + n in sample else v}"
        for n, v in enumerate(chunk)
    }
    site.shows(body, where, "escalation reason (hand-off note)", reasons)
    for vector in chunk:
        a, b = len(vector) // 3, max(len(vector) // 3 + 1, 2 * len(vector) // 3)
        site.shows(body, where, "evidence span", {vector[a:b]})
    site.shows(body, where, "heat evidence", {f"{v}; {v[::-1]}" for v in chunk})
    site.shows(body, where, "heat term", {label(fit(v, 80)) for v in chunk})
    site.shows(body, where, "playbook step", {fit(v, 300) for v in chunk})
    site.shows(body, where, "playbook name", {chunk[0]})
    site.shows(body, where, "user name", set(site.corpus.user_names.values()))
    site.shows(body, where, "email HTML", {f"Vector {first + n}" for n in range(len(chunk))})


def test_each_sample_vector_on_its_own_pages(site: Site) -> None:
    """Where a page shows one record: its <title>, heading, inputs and header."""
    corpus = site.corpus
    for i in corpus.sample:
        conversation = corpus.conversation_ids[i]
        body = site.page(f"/conversations/{conversation}")
        subject, customer = corpus.subjects[conversation], corpus.customers[conversation]
        assert f"<title>{escaped(subject)} · Accord</title>" in body
        site.shows(body, f"vector {i}", "conversation subject", {subject})
        site.shows(body, f"vector {i}", "customer name", {customer})
        site.shows(body, f"vector {i}", "visitor name (note)", {f"Name given: {customer}."})
        site.shows(body, f"vector {i}", "message text", {corpus.first_text[conversation]})
        user = corpus.user_ids[i]
        page = site.page(f"/admin/users/{user}")
        site.shows(page, f"user {user}", "user name", {f"Edit {corpus.user_names[user]}"})
        site.as_customer(corpus.visitor_codes[i])
        home = site.page("/portal")
        site.shows(home, f"visitor {i}", "customer name", {customer})
        mine = site.page(f"/portal/conversations/{conversation}")
        site.shows(mine, f"visitor {i}", "conversation subject", {subject})
    for conversation in corpus.email_conversation_ids:
        body = site.page(f"/conversations/{conversation}")
        site.shows(body, "email", "email display name", {corpus.customers[conversation]})
        site.shows(body, "email", "conversation subject", {corpus.subjects[conversation]})
        assert "<iframe sandbox=" in body


def test_the_portal_and_the_widget_show_every_vector(site: Site) -> None:
    corpus = site.corpus
    site.as_customer(corpus.portal_code)
    url: str | None = "/portal"
    listed = 0
    while url:
        body = site.page(url)
        site.shows(body, "portal", "customer name", {corpus.portal_name})
        rows = [int(r) for r in ROW.findall(body)]
        listed += len(rows)
        site.shows(body, url, "conversation subject", {corpus.subjects[r] for r in rows})
        more = re.search(r'<a class="more" href="([^"]+)"', body)
        url = more.group(1).replace("&amp;", "&") if more else None
    assert listed == len(corpus.vectors) + 1
    body = site.page(f"/portal/conversations/{corpus.widget_conversation_id}")
    site.shows(body, "portal thread", "message text", set(corpus.vectors))
    state = site.client.get(
        "/widget/v1/conversation", headers={"Authorization": f"Bearer {corpus.portal_code}"}
    )
    assert state.headers["content-type"] == "application/json"
    assert state.headers["x-content-type-options"] == "nosniff"
    texts = [m["text"] for m in state.json()["messages"]]
    assert texts == [v for v in corpus.vectors for _ in (0, 1)]
    site.renders += 1


def test_echoed_input_is_escaped(site: Site) -> None:
    """The login pages' next page, an unknown policy editor, inbox filters: once per vector."""
    client = site.client
    for vector in site.corpus.vectors:
        target = _local("/", vector)
        body = site.page(f"/login?next={quote(target, safe='')}")
        site.shows(body, "staff login", "next page (echo)", {target})
        target = _local("/portal/", vector)
        body = site.page(f"/portal/login?next={quote(target, safe='')}")
        site.shows(body, "portal login", "next page (echo)", {target})
        body = site.page(f"/admin/policies/{quote(vector, safe='')}", status=404)
        if "/" not in unquote(vector) and "%" not in vector:  # else no editor's address
            site.shows(body, "policy editor", "unknown policy (error echo)", {repr(vector)})
        site.page(f"/inbox?sort={quote(vector, safe='')}", status=422)
        site.fields.add("inbox filter value (refused)")
    client.cookies.delete(PORTAL_COOKIE)


def _local(prefix: str, vector: str) -> str:
    """The vector as a local path the login pages keep (no backslash, no "//")."""
    path = prefix + vector.replace("\\", "/")
    while "//" in path:
        path = path.replace("//", "/_/")
    return path


def test_policy_checks_echo_every_vector_escaped(site: Site) -> None:
    for chunk in site.corpus.chunks:
        raw = "rules:\n" + "".join(f"  - name: {v}\n" for v in chunk.vectors)
        body = site.page("/admin/policies/rules", method="POST", status=422, data=_form(site, raw))
        site.shows(body, "rules check", "policy text (textarea)", {raw})
        quoted = [yaml_string(v) for v in chunk.vectors]
        keys = "applies_to:\n" + "".join(f"  ? {q}\n  : 1\n" for q in quoted)  # keys > 1 KB
        sources = "    completed_by: [" + ", ".join(quoted) + "]\n"
        text = f"id: p\nname: p\n{keys}steps:\n  - id: a\n    order: 1\n    title: t\n"
        text += f"    why: w\n    advice: a\n{sources}"
        body = site.page(
            "/admin/policies/playbook", method="POST", status=422, data=_form(site, text)
        )
        echoed = {f"applies_to.{v}: Extra inputs are not permitted" for v in chunk.vectors}
        site.shows(body, "playbook check", "policy error (echo)", echoed)


def _form(site: Site, text: str) -> dict[str, str]:
    return {"text": text, "action": "check", "csrf_token": site.csrf}


def test_form_field_names_and_values_echoed_in_errors(site: Site) -> None:
    corpus = site.corpus
    csrf = site.as_customer(corpus.portal_code)
    for i in corpus.sample:
        vector = corpus.vectors[i]
        name = "".join(ch for ch in vector if ch not in "\x00\r\n")[:200] or "x"
        data = {"subject": "s", "text": "t", "csrf_token": csrf, name: "1"}
        body = site.page("/portal/conversations", method="POST", status=422, data=data)
        site.shows(body, "portal form", "form field name (error echo)", {name})
        team = {"slug": f"web{i}", "name": fit(vector, 200), "csrf_token": site.csrf}
        made = site.client.post("/admin/teams", data=team, follow_redirects=False)
        assert made.status_code == 303, made.text[:300]
    site.client.cookies.delete(PORTAL_COOKIE)
    body = site.page("/admin")
    made = [t for t in site.client.get("/api/v1/teams").json() if t["slug"].startswith("web")]
    assert len(made) == len(corpus.sample)
    for team in made:  # its row: the name as stored, escaped, then the slug
        assert f"<td>{escaped(team['name'])}</td><td>{team['slug']}</td>" in body, team
    site.fields.add("team name (admin form)")


def test_attachment_names_only_ever_in_a_safe_download(site: Site) -> None:
    """Attachment names are shown nowhere on a page; the download names them in a header,
    plain ASCII or percent-encoded, always as an attachment."""
    corpus = site.corpus
    for i in corpus.sample:
        conversation = corpus.conversation_ids[i]
        response = site.client.get(
            f"/api/v1/conversations/{conversation}/attachments/{corpus.attachment_id}"
        )
        assert response.status_code == 200
        disposition = response.headers["content-disposition"]
        assert re.fullmatch(
            r'attachment; filename="[A-Za-z0-9._-]+"; filename\*=UTF-8\'\'\S+', disposition
        ), disposition
        assert response.headers["content-type"] == "application/octet-stream"
        assert response.headers["x-content-type-options"] == "nosniff"
    site.fields.add("attachment file name")


REQUIRED = {
    "conversation subject",
    "message text",
    "email HTML",
    "customer name",
    "email display name",
    "tag",
    "team name",
    "user name",
    "playbook name",
    "playbook step",
    "escalation reason (hand-off note)",
    "visitor name (note)",
    "evidence span",
    "heat evidence",
    "attachment file name",
    "next page (echo)",
    "policy text (textarea)",
    "policy error (echo)",
    "form field name (error echo)",
    "unknown policy (error echo)",
    "inbox filter value (refused)",
}


def test_every_field_was_covered(site: Site) -> None:
    """Last in this module: the figures of the run (test-artifacts/web/xss-http.json)."""
    report = {
        "vectors": len(site.corpus.vectors),
        "fields": sorted(site.fields),
        "renders": site.renders,
    }
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "xss-http.json").write_text(json.dumps(report, indent=2))
    assert site.fields >= REQUIRED, REQUIRED - site.fields
