"""Administration pages (TestClient): users and teams, and the policy editors that validate
with the same parsers as `accord sla|rules|playbook validate`."""

from __future__ import annotations

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
