"""The REST API of a customer's data rights: the export is a zip for admins only and recorded as
an API export; the erasure asks for the id again, answers the tombstone, and refuses a second
time; the customer's credentials stop working."""

from __future__ import annotations

import io
import json
import zipfile

from fastapi.testclient import TestClient

from tests.world import World

API = "/api/v1"


def test_an_admin_downloads_the_export_and_it_is_recorded(client: TestClient, world: World) -> None:
    url = f"{API}/customers/{world.customer_a}/export"
    for who in ("agent_x", "supervisor", "customer_a"):
        assert client.get(url, headers=world.headers(who)).status_code in (403, 404), who
    response = client.get(url, headers=world.headers("admin"))
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/zip"
    assert "accord-customer-" in response.headers["content-disposition"]
    assert response.headers["cache-control"] == "no-store"
    with zipfile.ZipFile(io.BytesIO(response.content)) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        record = json.loads(zf.read("customer.json"))
        (conversation,) = [n for n in zf.namelist() if n.startswith("conversations/")]
        texts = [m["text"] for m in json.loads(zf.read(conversation))["messages"]]
    assert manifest["customer_id"] == world.customer_a
    assert manifest["exported_by"] == f"user:{world.users['admin']}"
    assert record["customer"]["name"] == "Customer A"
    assert "Broken lamp: please help." in texts
    events = client.get(f"{API}/events?limit=500", headers=world.headers("admin")).json()
    kinds = [(e["kind"], e["data"].get("via")) for e in events]
    assert ("customer.exported", "api") in kinds
    missing = client.get(f"{API}/customers/99999/export", headers=world.headers("admin"))
    assert missing.status_code == 404


def test_an_admin_erases_a_customer_once_after_confirming(client: TestClient, world: World) -> None:
    url = f"{API}/customers/{world.customer_a}/erasure"
    admin = world.headers("admin")
    wrong = client.post(url, json={"confirm": world.customer_b}, headers=admin)
    assert wrong.status_code == 422
    assert client.post(url, json={}, headers=admin).status_code == 422
    agent = client.post(url, json={"confirm": world.customer_a}, headers=world.headers("agent_x"))
    assert agent.status_code == 403
    assert (
        client.get(f"{API}/conversations", headers=world.headers("customer_a")).status_code == 200
    )

    done = client.post(url, json={"confirm": world.customer_a}, headers=admin)
    assert done.status_code == 200, done.text
    tombstone = done.json()
    assert tombstone["customer_id"] == world.customer_a and tombstone["via"] == "api"
    assert tombstone["erased_by_user_id"] == world.users["admin"]
    assert tombstone["counts"]["conversations"] == 1 and tombstone["counts"]["messages"] == 3

    again = client.post(url, json={"confirm": world.customer_a}, headers=admin)
    assert again.status_code == 409 and again.json()["code"] == "conflict"
    gone = client.get(f"{API}/conversations", headers=world.headers("customer_a"))
    assert gone.status_code == 401  # their access code went with them
    record = client.get(f"{API}/customers/{world.customer_a}", headers=admin).json()
    assert record["name"] == "Erased customer" and record["identities"] == []
    conversations = client.get(f"{API}/conversations", headers=admin).json()["items"]
    assert [c["id"] for c in conversations] == [world.conv_b]
