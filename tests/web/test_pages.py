"""Fast checks of every page without a browser: status codes, headers, escaping, CSRF."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from accord.api import deps
from accord.core.principal import SYSTEM
from accord.db.engine import Database
from accord.inbox import service as inbox
from accord.inbox.schemas import ConversationCreate, MessageIn
from accord.web import security
from accord.web.render import STATIC
from tests.web.conftest import login_csrf
from tests.world import PASSWORD, World

Login = Callable[[str], str]
# The vendored htmx 4.0.1 (npm package htmx.org, dist/htmx.min.js); update the hash only
# together with the file.
VENDORED = {
    "htmx.min.js": "a0abb04f2f45a1f89d1d4844023245537e5e6014c87b144553e0607b4cc32130",
}
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)


@pytest.mark.parametrize(("name", "digest"), sorted(VENDORED.items()))
def test_vendored_scripts_match_their_checksums(name: str, digest: str) -> None:
    assert hashlib.sha256((STATIC / name).read_bytes()).hexdigest() == digest


def test_the_ui_and_the_api_share_one_session_cookie() -> None:
    assert security.SESSION_COOKIE == deps.SESSION_COOKIE
    assert security.CSRF_HEADER == deps.CSRF_HEADER


def _assert_strict(response_headers: object, body: str) -> None:
    headers = dict(response_headers)  # type: ignore[call-overload]
    csp = headers["content-security-policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert not INLINE_SCRIPT.search(body), "no inline scripts"
    assert " style=" not in body, "no inline styles"
    assert not INLINE_HANDLER.search(body), "no inline event handlers"


def test_login_page_is_strict(web: TestClient) -> None:
    response = web.get("/login")
    assert response.status_code == 200
    _assert_strict(response.headers, response.text)
    assert web.get("/", follow_redirects=False).headers["location"] == "/login"


def test_static_files_are_served(web: TestClient) -> None:
    for name in ("htmx.min.js", "app.js", "app.css", "favicon.svg"):
        assert web.get(f"/static/{name}").status_code == 200


def test_pages_render_for_staff(web: TestClient, world: World, login_as: Login) -> None:
    login_as("supervisor")
    paths = [
        "/inbox",
        "/inbox?sort=sla&status=all",
        "/inbox?sort=recent&status=open&assignee=none&signal=urgency",
        f"/inbox?team={world.team_x}&assignee={world.users['agent_x']}&topic=refund",
        "/inbox?cause=communication",
        f"/conversations/{world.conv_a}",
        "/supervisor",
    ]
    for path in paths:
        response = web.get(path)
        assert response.status_code == 200, (path, response.text[:500])
        _assert_strict(response.headers, response.text)


def test_htmx_requests_get_only_the_fragment(web: TestClient, login_as: Login) -> None:
    login_as("agent_x")
    response = web.get("/inbox?sort=recent", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="results"')
    assert "<html" not in response.text


def test_bad_filters_are_refused_politely(web: TestClient, login_as: Login) -> None:
    login_as("agent_x")
    for query in ("sort=bogus", "team=x", "signal=<script>", "assignee=-1", "status=gone"):
        response = web.get(f"/inbox?{query}")
        assert response.status_code == 422, query
        assert "<script>" not in response.text


def test_login_logout_and_reload(web: TestClient, world: World) -> None:
    data = {"email": world.emails["agent_x"], "password": PASSWORD}
    bad = web.post("/login", data={**data, "csrf_token": "forged"}, follow_redirects=False)
    assert bad.status_code == 400 and deps.SESSION_COOKIE not in web.cookies
    wrong = {**data, "password": "nope", "csrf_token": login_csrf(web)}
    assert web.post("/login", data=wrong).status_code == 401
    ok = web.post("/login", data={**data, "csrf_token": login_csrf(web)}, follow_redirects=False)
    assert ok.status_code == 303 and ok.headers["location"] == "/inbox"
    cookie = ok.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert web.get("/inbox").status_code == 200
    assert web.get("/inbox").status_code == 200  # the session survives reloads
    assert web.get("/api/v1/auth/me").json()["user"]["email"] == world.emails["agent_x"]
    token = re.search(r'name="csrf_token" value="([^"]+)"', web.get("/inbox").text)
    assert token
    out = web.post("/logout", data={"csrf_token": token.group(1)}, follow_redirects=False)
    assert out.status_code == 303
    assert web.get("/inbox", follow_redirects=False).headers["location"].startswith("/login")


def test_login_only_redirects_locally(web: TestClient, world: World) -> None:
    for target in ("https://evil.example/", "//evil.example", "/\\evil.example"):
        data = {"email": world.emails["agent_x"], "password": PASSWORD}
        data |= {"csrf_token": login_csrf(web), "next": target}
        response = web.post("/login", data=data, follow_redirects=False)
        assert response.headers["location"] == "/inbox"


def test_an_api_login_works_in_the_ui(web: TestClient, world: World) -> None:
    body = {"email": world.emails["agent_x"], "password": PASSWORD}
    assert web.post("/api/v1/auth/login", json=body).status_code == 200
    assert web.get("/inbox").status_code == 200


def test_state_changes_need_the_csrf_token(
    web: TestClient, db: Database, world: World, login_as: Login
) -> None:
    csrf = login_as("agent_x")
    url = f"/conversations/{world.conv_a}/messages"
    before = len(web.get(f"/api/v1/conversations/{world.conv_a}/messages").json())
    assert web.post(url, data={"text": "no token"}).status_code == 403
    forged = {"X-CSRF-Token": "forged"}
    assert web.post(url, data={"text": "forged"}, headers=forged).status_code == 403
    other_site = {"X-CSRF-Token": csrf, "Origin": "https://evil.example"}
    assert web.post(url, data={"text": "cross-site"}, headers=other_site).status_code == 403
    step = f"/conversations/{world.conv_a}/steps/clarify"
    assert web.post(step, data={"done": "true"}).status_code == 403
    assert web.post("/logout").status_code == 403
    after = len(web.get(f"/api/v1/conversations/{world.conv_a}/messages").json())
    assert after == before


def test_reply_note_step_and_controls(web: TestClient, world: World, login_as: Login) -> None:
    csrf = login_as("agent_x")
    hx = {"X-CSRF-Token": csrf, "HX-Request": "true"}
    base = f"/conversations/{world.conv_a}"
    sent = web.post(f"{base}/messages", data={"text": "Could you tell me the date?"}, headers=hx)
    assert sent.status_code == 200 and sent.headers["hx-trigger"] == "accord:sent"
    assert 'id="conversation"' in sent.text and "Could you tell me the date?" in sent.text
    note = web.post(f"{base}/messages", data={"text": "psst", "kind": "note"}, headers=hx)
    assert 'class="msg msg-note' in note.text
    ticked = web.post(f"{base}/steps/offer_options", data={"done": "true"}, headers=hx)
    assert re.search(r'class="step done[^"]*" data-step="offer_options"', ticked.text)
    version = web.get(f"/api/v1/conversations/{world.conv_a}").json()["version"]
    form = {"version": version, "status": "pending", "priority": "high", "assignee": ""}
    changed = web.post(f"{base}/update", data=form, headers=hx)
    assert changed.status_code == 200
    assert web.get(f"/api/v1/conversations/{world.conv_a}").json()["priority"] == "high"
    stale = web.post(f"{base}/update", data=form, headers=hx)
    assert stale.status_code == 409 and stale.headers["hx-retarget"] == "#alerts"
    empty = web.post(f"{base}/messages", data={"text": "   "}, headers=hx)
    assert empty.status_code == 422


def test_plain_form_posts_redirect_back(web: TestClient, world: World, login_as: Login) -> None:
    csrf = login_as("agent_x")
    data = {"text": "Sorry to hear that.", "csrf_token": csrf}
    response = web.post(
        f"/conversations/{world.conv_a}/messages", data=data, follow_redirects=False
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/conversations/{world.conv_a}"


def _open_for_a(db: Database, world: World, subject: str, text: str) -> tuple[int, int]:
    """A conversation of customer A in team X; returns its id and its first message's."""
    with db.write() as s:
        data = ConversationCreate(
            subject=subject,
            customer_id=world.customer_a,
            team_id=world.team_x,
            message=MessageIn(text=text),
        )
        row, _ = inbox.create_conversation(s, actor=SYSTEM, data=data)
        return row.id, row.messages[0].id


def test_customer_text_is_escaped(
    web: TestClient, db: Database, login_as: Login, world: World
) -> None:
    hostile = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    conversation_id, _ = _open_for_a(db, world, hostile, hostile)
    login_as("agent_x")
    for path in ("/inbox", f"/conversations/{conversation_id}"):
        body = web.get(path).text
        assert hostile not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body
        assert not INLINE_SCRIPT.search(body)


def test_templates_never_switch_escaping_off() -> None:
    for template in (Path(security.__file__).parent / "templates").glob("*.html"):
        text = template.read_text()
        assert "|safe" not in text and "autoescape false" not in text, template.name


def test_a_supervisor_assignment_is_a_routing_override(
    web: TestClient, world: World, login_as: Login
) -> None:
    csrf = login_as("supervisor")
    version = web.get(f"/api/v1/conversations/{world.conv_a}").json()["version"]
    form = {"version": version, "status": "open", "priority": "normal"}
    form["assignee"] = str(world.users["agent_y"])
    hx = {"X-CSRF-Token": csrf, "HX-Request": "true"}
    assert web.post(f"/conversations/{world.conv_a}/update", data=form, headers=hx).is_success
    events = web.get(f"/api/v1/conversations/{world.conv_a}/events").json()
    assert any(e["kind"] == "conversation.reassigned" and e["data"]["override"] for e in events)
    detail = web.get(f"/api/v1/conversations/{world.conv_a}").json()
    assert detail["assignee_id"] == world.users["agent_y"]


def test_unknown_urls(web: TestClient) -> None:
    page = web.get("/no/such/page", headers={"Accept": "text/html"})
    assert page.status_code == 404 and "<html" in page.text
    assert "unsafe-inline" not in page.headers["content-security-policy"]
    api = web.get("/api/v1/no/such/thing", headers={"Accept": "text/html"})
    assert api.status_code == 404
    assert api.headers["content-type"].startswith("application/problem+json")
    assert web.get("/no/such/page").headers["content-type"].startswith("application/problem")


def test_why_this_heat_names_the_customer_message_and_its_evidence(
    web: TestClient, db: Database, login_as: Login, world: World
) -> None:
    angry = "This is the third time I'm writing. Refund me today or I'm calling my lawyer."
    conversation_id, first = _open_for_a(db, world, "Refund", angry)
    csrf = login_as("agent_x")
    hx = {"X-CSRF-Token": csrf, "HX-Request": "true"}
    web.post(f"/conversations/{conversation_id}/messages", data={"text": "Sorry!"}, headers=hx)
    page = web.get(f"/conversations/{conversation_id}").text
    panel = page[page.index('id="heat-why"') :]
    panel = panel[: panel.index("</section>")]
    assert f'href="#m{first}"' in panel
    assert "legal threat" in panel and "lawyer" in panel
    assert "never changes it" in panel
