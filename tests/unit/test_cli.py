"""The `accord` command line against a real SQLite file."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from accord import __version__
from accord.api.app import create_app
from accord.cli.main import app
from accord.settings import Settings, get_settings

runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    monkeypatch.setenv("ACCORD_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ACCORD_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    get_settings.cache_clear()
    yield get_settings()
    get_settings.cache_clear()


def test_version_via_python_dash_m() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "accord", "--version"], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == f"accord {__version__}"


def test_migrate_user_and_token_give_working_api_access(env: Settings) -> None:
    assert runner.invoke(app, ["migrate"]).exit_code == 0
    made = runner.invoke(
        app,
        [
            "user",
            "create",
            "--email",
            "ops@accord.example",
            "--password",
            "long-enough-pw",
            "--role",
            "admin",
        ],
    )
    assert made.exit_code == 0, made.output
    token = runner.invoke(app, ["token", "create", "--email", "ops@accord.example"])
    assert token.exit_code == 0
    secret = token.stdout.strip()
    with TestClient(create_app(env)) as client:
        response = client.get(
            "/api/v1/conversations", headers={"Authorization": f"Bearer {secret}"}
        )
    assert response.status_code == 200 and response.json()["items"] == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--password", "short", "--role", "agent"], "at least 10"),
        (["--password", "long-enough-pw", "--role", "agent", "--team", "nope"], "unknown team"),
    ],
)
def test_user_create_errors_are_one_clear_line(
    env: Settings, args: list[str], message: str
) -> None:
    runner.invoke(app, ["migrate"])
    result = runner.invoke(app, ["user", "create", "--email", "a@accord.example", *args])
    assert result.exit_code == 1
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_duplicate_user_and_unknown_token_email(env: Settings) -> None:
    runner.invoke(app, ["migrate"])
    args = ["user", "create", "--email", "a@accord.example", "--password", "long-enough-pw"]
    assert runner.invoke(app, args).exit_code == 0
    again = runner.invoke(app, args)
    assert again.exit_code == 1 and "already exists" in again.stderr
    missing = runner.invoke(app, ["token", "create", "--email", "ghost@accord.example"])
    assert missing.exit_code == 1 and "no user" in missing.stderr


def test_bad_role_is_rejected_by_the_parser(env: Settings) -> None:
    result = runner.invoke(
        app, ["user", "create", "--email", "a@b.example", "--password", "x" * 12, "--role", "god"]
    )
    assert result.exit_code == 2


def test_demo_creates_the_data_dir_and_loads(env: Settings) -> None:
    assert not env.data_dir.exists()
    result = runner.invoke(app, ["demo"])
    assert result.exit_code == 0, result.output
    assert "loaded" in result.stdout and "admin@northwind.example" in result.stdout
    again = runner.invoke(app, ["demo"])
    assert "already loaded" in again.stdout


def test_unreachable_database_is_one_clear_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ACCORD_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ACCORD_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    get_settings.cache_clear()
    try:
        result = runner.invoke(app, ["migrate"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 1
    assert "database error" in result.stderr and "Traceback" not in result.output


def test_case_reanalyse_reads_every_conversation_again(env: Settings) -> None:
    from sqlalchemy import select, update

    from accord.db.engine import Database
    from accord.demo.loader import load_demo
    from accord.inbox.readings import ConversationInsight
    from accord.insights.models import MessageInsight

    assert runner.invoke(app, ["migrate"]).exit_code == 0
    db = Database(env.database_url)
    try:
        load_demo(db, env.data_dir)
        with db.write() as session:  # readings of an older engine: no version, no heat terms
            session.execute(update(MessageInsight).values(result={"heat": 0}))
            session.execute(update(ConversationInsight).values(heat=0.0, heat_why=None))
        result = runner.invoke(app, ["case", "reanalyse"])
        assert result.exit_code == 0, result.output
        assert "conversations analysed again" in result.output
        with db.read() as session:
            rows = session.scalars(select(MessageInsight.result)).all()
            heats = session.scalars(select(ConversationInsight.heat)).all()
            whys = session.scalars(select(ConversationInsight.heat_why)).all()
    finally:
        db.dispose()
    assert all(r.get("engine") and "heat_parts" in r for r in rows)
    assert max(heats) > 40 and all(w is not None for w in whys)
