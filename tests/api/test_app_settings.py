"""`create_app(settings)` configures the domain it serves: the playbooks folder and the coach's
remedy policy come from the settings it is given, not from the process's environment."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from accord.api.app import create_app
from accord.db.engine import Database
from accord.settings import Settings
from tests.world import World

ANGRY = "You charged me twice for order 55123 and nobody answers. I want my money back!"


@pytest.fixture
def configured(settings: Settings, tmp_path: Path) -> Settings:
    playbooks = tmp_path / "playbooks"
    playbooks.mkdir()
    default = resources.files("accord.cases").joinpath("playbook/default.yaml").read_text()
    billing = default.replace("id: default", "id: billing").replace(
        "name: Default conflict resolution", "name: Billing disputes"
    )
    (playbooks / "billing.yaml").write_text(billing, encoding="utf-8")
    policy = tmp_path / "coach.yaml"
    policy.write_text('currency: "€"\nrefund: false\ncredit: true\ncredit_amount: 7\n')
    return settings.model_copy(
        update={"playbooks_dir": str(playbooks), "coach_policy_file": str(policy)}
    )


def test_the_app_s_settings_choose_the_playbooks_and_the_coach_policy(
    configured: Settings, db: Database, world: World
) -> None:
    with TestClient(create_app(configured, database=db)) as client:
        admin = world.headers("admin")
        listed = client.get("/api/v1/policies/playbooks", headers=admin)
        assert listed.status_code == 200, listed.text
        assert {p["id"]: p["name"] for p in listed.json()}["billing"] == "Billing disputes"
        billing = client.get("/api/v1/policies/playbooks/billing", headers=admin).json()
        assert billing["source"] == str(Path(str(configured.playbooks_dir)) / "billing.yaml")

        body = {"subject": "Charged twice", "message": {"text": ANGRY}}
        customer = world.headers("customer_a")
        opened = client.post("/api/v1/conversations", json=body, headers=customer)
        assert opened.status_code == 201, opened.text
        url = f"/api/v1/conversations/{opened.json()['id']}/coach/draft"
        draft = client.post(url, json={}, headers=world.headers("supervisor"))
        assert draft.status_code == 200, draft.text
        assert "€7 credit" in draft.json()["text"] and "$" not in draft.json()["text"]
    assert db.settings.playbooks_dir is None  # the caller's database is left as it was


def test_an_app_with_the_defaults_keeps_the_shipped_playbook_and_policy(
    settings: Settings, db: Database, world: World
) -> None:
    with TestClient(create_app(settings, database=db)) as client:
        listed = client.get("/api/v1/policies/playbooks", headers=world.headers("admin")).json()
        assert [p["id"] for p in listed] == ["default"]
