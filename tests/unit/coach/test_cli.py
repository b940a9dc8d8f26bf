"""`accord coach` and `accord bench coach`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli.main import app
from accord.core.principal import SYSTEM
from accord.db.engine import Database
from accord.db.migrate import upgrade
from accord.inbox import service as inbox
from accord.inbox.schemas import ConversationCreate, CustomerCreate, MessageIn
from accord.settings import Settings, get_settings

runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    monkeypatch.setenv("ACCORD_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ACCORD_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    get_settings.cache_clear()
    yield get_settings()
    get_settings.cache_clear()


def test_coach_prints_findings_and_json() -> None:
    text = "As I already said, you should have read the terms. Thanks."
    shown = runner.invoke(app, ["coach", text])
    assert shown.exit_code == 0, shown.output
    assert "score" in shown.output and "violated" in shown.output and "blame" in shown.output
    result = json.loads(runner.invoke(app, ["coach", text, "--json"]).output)
    statuses = {f["criterion"]: f["status"] for f in result["findings"]}
    assert statuses["blame"] == "violated" and statuses["thanks"] == "met"
    assert result["score"] < 50


def test_coach_in_a_stored_conversation(env: Settings) -> None:
    upgrade(env.database_url)
    db = Database(env.database_url)
    with db.write() as s:
        customer = inbox.create_customer(s, actor=SYSTEM, data=CustomerCreate(name="Anna Smith"))
        message = MessageIn(text="You idiots charged me twice for order 55123. Refund me!")
        data = ConversationCreate(subject="Charged twice", customer_id=customer.id, message=message)
        conv, _ = inbox.create_conversation(s, actor=SYSTEM, data=data)
    db.dispose()
    out = runner.invoke(app, ["coach", "Thanks for writing.", "--conversation", str(conv.id)])
    assert out.exit_code == 0, out.output
    assert "abusive" in out.output and "boundary" in out.output
    missing = runner.invoke(app, ["coach", "Thanks.", "--conversation", "999"])
    assert missing.exit_code == 1 and "not found" in missing.output


def test_bench_coach_json_has_the_latency_keys() -> None:
    out = runner.invoke(app, ["bench", "coach", "--json", "--samples", "20"])
    assert out.exit_code == 0, out.output
    figures = json.loads(out.output)
    assert figures["words"] == 150
    assert 0 < figures["latency_ms"]["p50"] <= figures["latency_ms"]["p99"]
