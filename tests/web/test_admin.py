"""Administration pages (TestClient): users and teams, and the policy editors that validate
with the same parsers as `accord sla|rules|playbook validate`."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from fastapi.testclient import TestClient

from tests.world import PASSWORD, World

Login = Callable[[str], str]


def test_only_admins_see_administration(web: TestClient, login_as: Login) -> None:
    login_as("supervisor")
    assert 'href="/admin"' not in web.get("/inbox").text
    assert web.get("/admin").status_code == 403
    assert web.get("/admin/policies/sla").status_code == 403
    login_as("admin")
    assert 'href="/admin"' in web.get("/inbox").text
    assert web.get("/admin/policies/nope").status_code == 404


def test_admin_creates_a_team_and_a_user(web: TestClient, world: World, login_as: Login) -> None:
    csrf = login_as("admin")
    team = {"slug": "returns", "name": "Returns <desk>", "csrf_token": csrf}
    assert web.post("/admin/teams", data=team, follow_redirects=False).status_code == 303
    assert web.post("/admin/teams", data={"slug": "x", "name": "no token"}).status_code == 403
    page = web.get("/admin").text
    assert "Returns &lt;desk&gt;" in page and "<desk>" not in page
    team_id = re.search(r'value="(\d+)"> Returns &lt;desk&gt;', page)
    assert team_id
    user = {
        "name": "Rita",
        "email": "rita@accord.example",
        "role": "agent",
        "password": PASSWORD,
        "capacity": "4",
        "skills": "de-escalation, returns",
        "trainee": "true",
        "team_ids": [team_id.group(1), str(world.team_x)],
        "csrf_token": csrf,
    }
    assert web.post("/admin/users", data=user, follow_redirects=False).status_code == 303
    users = web.get("/api/v1/users").json()
    rita = next(u for u in users if u["email"] == "rita@accord.example")
    assert rita["trainee"] and rita["capacity"] == 4
    assert rita["skills"] == ["de-escalation", "returns"]
    assert sorted(rita["team_ids"]) == sorted([int(team_id.group(1)), world.team_x])
    again = web.post("/admin/users", data=user)
    assert again.status_code == 422 and "The user was not created" in again.text
    assert 'role="alert"' in again.text
    short = web.post("/admin/users", data={**user, "email": "x@accord.example", "password": "1"})
    assert short.status_code == 422 and "password" in short.text


def test_policy_editors_show_errors_in_place(web: TestClient, login_as: Login) -> None:
    csrf = login_as("admin")
    for slug in ("sla", "rules", "playbook"):
        page = web.get(f"/admin/policies/{slug}")
        assert page.status_code == 200 and '<label for="policy-text">' in page.text
        current = re.search(r'<textarea id="policy-text"[^>]*>(.*?)</textarea>', page.text, re.S)
        assert current and current.group(1).strip(), slug
        text = current.group(1).replace("&#39;", "'").replace("&#34;", '"').replace("&gt;", ">")
        text = text.replace("&lt;", "<").replace("&amp;", "&")
        ok = web.post(f"/admin/policies/{slug}", data={"text": text, "csrf_token": csrf})
        assert ok.status_code == 200 and "verdict-ok" in ok.text, (slug, ok.text[-800:])
    bad_rules = "rules:\n  - name: Bad Name\n    when: {min_heat: 900}\n    actions: {}\n"
    bad = web.post("/admin/policies/rules", data={"text": bad_rules, "csrf_token": csrf})
    assert bad.status_code == 422 and 'aria-invalid="true"' in bad.text
    assert "rules.0.name" in bad.text and "rules.0.when.min_heat" in bad.text
    assert "Bad Name" in bad.text, "the text stays in the editor"
    broken = "id: x\nsteps: [\n  - oops: {\n"
    syntax = web.post("/admin/policies/playbook", data={"text": broken, "csrf_token": csrf})
    assert syntax.status_code == 422 and "not valid YAML" in syntax.text
    assert re.search(r"line \d+: <code>", syntax.text)
    sla = web.post("/admin/policies/sla", data={"text": "- a list", "csrf_token": csrf})
    assert sla.status_code == 422 and "mapping" in sla.text
    xss = "<script>alert(1)</script>: ["
    escaped = web.post("/admin/policies/sla", data={"text": xss, "csrf_token": csrf})
    assert "<script>alert(1)" not in escaped.text and "&lt;script&gt;" in escaped.text


def _editor_text(page: str) -> str:
    found = re.search(r'<textarea id="policy-text"[^>]*>(.*?)</textarea>', page, re.S)
    assert found
    return html.unescape(found.group(1)).lstrip("\n")


def test_policy_editor_saves_revisions(web: TestClient, login_as: Login) -> None:
    csrf = login_as("admin")
    shipped = _editor_text(web.get("/admin/policies/rules").text)
    form = {"csrf_token": csrf, "action": "save", "base_revision": "0"}
    bad = web.post("/admin/policies/rules", data={**form, "text": "rules:\n  - {name: [\n"})
    assert bad.status_code == 422 and "Not saved" in bad.text and 'aria-invalid="true"' in bad.text
    assert "line 3" in bad.text and "{name: [" in bad.text
    assert web.get("/api/v1/policies/rules/revisions").json() == []

    text = shipped + "# tuned\n"
    saved = web.post("/admin/policies/rules", data={**form, "text": text}, follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"].endswith("?saved=1")
    page = web.get(saved.headers["location"]).text
    assert "Saved revision 1 by admin" in page and 'data-revision="1"' in page
    assert _editor_text(page) == text and 'name="base_revision" value="1"' in page
    stale = web.post("/admin/policies/rules", data={**form, "text": text + "# mine\n"})
    assert stale.status_code == 409 and "revision 1 was saved after revision 0" in stale.text
    assert "# mine" in stale.text, "the text stays in the editor"
    assert (
        web.post("/admin/policies/rules", data={"text": text, "action": "save"}).status_code == 403
    )


def test_playbook_editor_saves_a_new_playbook_by_its_id(web: TestClient, login_as: Login) -> None:
    csrf = login_as("admin")
    page = web.get("/admin/policies/playbook").text
    assert 'href="/admin/policies/playbook?playbook=default" aria-current="page"' in page
    text = _editor_text(page).replace("id: default", "id: billing")
    form = {"csrf_token": csrf, "action": "save", "base_revision": "0", "text": text}
    saved = web.post("/admin/policies/playbook?playbook=default", data=form, follow_redirects=False)
    assert saved.headers["location"] == "/admin/policies/playbook?playbook=billing&saved=1"
    page = web.get(saved.headers["location"]).text
    assert "Saved revision 1" in page and "?playbook=billing" in page
    assert 'href="/admin/policies/playbook?playbook=default"' in page
    # Renaming another playbook to an id already saved would overwrite it: refused instead.
    again = {**form, "base_revision": "0"}
    clash = web.post("/admin/policies/playbook?playbook=default", data=again)
    assert clash.status_code == 409 and "revision 1 was saved after revision 0" in clash.text


def test_admin_edits_deactivates_and_reactivates_users(
    web: TestClient, world: World, login_as: Login
) -> None:
    csrf = login_as("admin")
    agent = world.users["agent_x"]
    page = web.get(f"/admin/users/{agent}").text
    assert '<label for="e-capacity">' in page and 'value="agent_x"' in page
    form = {
        "csrf_token": csrf,
        "name": "Agnes <X>",
        "role": "supervisor",
        "capacity": "3",
        "skills": "returns, de-escalation",
        "trainee": "true",
        "team_ids": [str(world.team_y)],
    }
    assert web.post(f"/admin/users/{agent}", data=form, follow_redirects=False).status_code == 303
    user = web.get(f"/api/v1/users/{agent}").json()
    assert (user["name"], user["role"], user["capacity"]) == ("Agnes <X>", "supervisor", 3)
    assert user["skills"] == ["de-escalation", "returns"] and user["trainee"]
    assert user["team_ids"] == [world.team_y]
    assert "Agnes &lt;X&gt;" in web.get("/admin").text
    bad = web.post(f"/admin/users/{agent}", data={**form, "role": "owner"})
    assert bad.status_code == 422 and "The user was not changed" in bad.text

    off = {"csrf_token": csrf, "active": "false"}
    web.post(f"/admin/users/{agent}/active", data=off, follow_redirects=False)
    assert web.get("/api/v1/auth/me", headers=world.headers("agent_x")).status_code == 401
    assert not web.get(f"/api/v1/users/{agent}").json()["is_active"]
    assert "Reactivate Agnes &lt;X&gt;" in web.get("/admin").text
    on = {"csrf_token": csrf, "active": "true"}
    assert web.post(f"/admin/users/{agent}/active", data=on, follow_redirects=False).is_redirect
    assert web.get(f"/api/v1/users/{agent}").json()["is_active"]


def test_an_admin_cannot_deactivate_themself(
    web: TestClient, world: World, login_as: Login
) -> None:
    csrf = login_as("admin")
    me = world.users["admin"]
    page = web.get("/admin").text
    assert f'action="/admin/users/{me}/active"' not in page and "(you)" in page
    refused = web.post(f"/admin/users/{me}/active", data={"csrf_token": csrf, "active": "false"})
    assert refused.status_code == 409 and "cannot deactivate your own account" in refused.text
    assert web.get("/api/v1/auth/me").status_code == 200


def test_admin_renames_a_team(web: TestClient, world: World, login_as: Login) -> None:
    csrf = login_as("admin")
    page = web.get("/admin").text
    assert f'<label class="sr" for="team-name-{world.team_x}">' in page
    renamed = {"csrf_token": csrf, "name": "Escalations"}
    url = f"/admin/teams/{world.team_x}"
    assert web.post(url, data=renamed, follow_redirects=False).status_code == 303
    assert f'value="{world.team_x}"> Escalations' in web.get("/admin").text
    empty = web.post(url, data={"csrf_token": csrf, "name": " "})
    assert empty.status_code == 422 and "The team was not renamed" in empty.text
