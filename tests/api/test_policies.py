"""The policy endpoints: the text in force, saving revisions (validated, admins only), the
history, conflicts with a concurrent save, and playbooks by id."""

from __future__ import annotations

from importlib import resources

from fastapi.testclient import TestClient

from tests.world import World


def _packaged(name: str) -> str:
    return resources.files("accord.cases").joinpath(name).read_text("utf-8")


def test_rules_in_force_then_saved(client: TestClient, world: World) -> None:
    admin = world.headers("admin")
    shipped = client.get("/api/v1/policies/rules", headers=admin).json()
    assert shipped["revision"] is None and "default shipped" in shipped["source"]
    assert shipped["text"] == _packaged("policies/escalation.yaml")

    bad = client.put(
        "/api/v1/policies/rules", headers=admin, json={"text": "rules:\n  - {name: [\n"}
    )
    assert bad.status_code == 422, bad.text
    assert bad.json()["code"] == "validation_failed" and bad.json()["line"] == 3
    assert client.get("/api/v1/policies/rules/revisions", headers=admin).json() == []

    text = shipped["text"] + "# tuned\n"
    saved = client.put("/api/v1/policies/rules", headers=admin, json={"text": text})
    assert saved.status_code == 200, saved.text
    body = saved.json()
    assert body["revision"] == 1 and body["saved_by"] == "admin" and body["text"] == text
    assert body["saved_by_user_id"] == world.users["admin"]
    now = client.get("/api/v1/policies/rules", headers=admin).json()
    assert now["revision"] == 1 and now["source"] == "revision 1" and now["text"] == text

    again = {"text": text + "# again\n", "base_revision": 1}
    assert client.put("/api/v1/policies/rules", headers=admin, json=again).status_code == 200
    stale = client.put("/api/v1/policies/rules", headers=admin, json=again)
    assert stale.status_code == 409 and stale.json()["code"] == "version_conflict"
    history = client.get("/api/v1/policies/rules/revisions", headers=admin).json()
    assert [r["revision"] for r in history] == [2, 1]


def test_only_admins_read_or_write_policies(client: TestClient, world: World) -> None:
    text = {"text": _packaged("policies/sla.yaml")}
    for who in ("supervisor", "agent_x", "customer_a"):
        headers = world.headers(who)
        assert client.get("/api/v1/policies/sla", headers=headers).status_code == 403
        assert client.put("/api/v1/policies/sla", headers=headers, json=text).status_code == 403
    assert client.get("/api/v1/policies/sla").status_code == 401
    assert client.get("/api/v1/policies/coach", headers=world.headers("admin")).status_code == 422


def test_playbooks_by_id(client: TestClient, world: World) -> None:
    admin = world.headers("admin")
    listed = client.get("/api/v1/policies/playbooks", headers=admin).json()
    assert listed == [{"id": "default", "name": "Default conflict resolution", "revision": None}]
    assert client.get("/api/v1/policies/playbooks/nope", headers=admin).status_code == 404
    billing = _packaged("playbook/default.yaml").replace("id: default", "id: billing")
    wrong = client.put("/api/v1/policies/playbooks/other", headers=admin, json={"text": billing})
    assert wrong.status_code == 422 and "not 'other'" in wrong.json()["detail"]
    added = client.put("/api/v1/policies/playbooks/billing", headers=admin, json={"text": billing})
    assert added.status_code == 200 and added.json()["playbook_id"] == "billing"
    listed = client.get("/api/v1/policies/playbooks", headers=admin).json()
    assert [(p["id"], p["revision"]) for p in listed] == [("default", None), ("billing", 1)]
    got = client.get("/api/v1/policies/playbooks/billing", headers=admin).json()
    assert got["text"] == billing and got["revision"] == 1


def test_adding_a_playbook_follows_the_editor_s_rule(client: TestClient, world: World) -> None:
    """Parity with the web editor, where a playbook saved under a new id is added: the same
    service adds it over the API, and refuses to overwrite one already saved."""
    admin = world.headers("admin")
    billing = _packaged("playbook/default.yaml").replace("id: default", "id: billing")
    url = "/api/v1/policies/playbooks"
    added = client.post(url, headers=admin, json={"text": billing})
    assert added.status_code == 201, added.text
    assert (added.json()["playbook_id"], added.json()["revision"]) == ("billing", 1)
    again = client.post(url, headers=admin, json={"text": billing})
    assert again.status_code == 409
    assert "revision 1 was saved after revision 0" in again.json()["detail"]
    refused = client.post(url, headers=world.headers("supervisor"), json={"text": billing})
    assert refused.status_code == 403
