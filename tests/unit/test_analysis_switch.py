"""ACCORD_ANALYSIS_ENABLED=false: no message is analysed (inline, by mail ingest, by the heat
job, by `accord case reanalyse`), the coach refuses and no language-model call is made, and the
inbox, the conversation page and replies keep working. Switched on again, the stored messages
can be analysed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from typer.testing import CliRunner

from accord.analysis.analyzer import Analyzer
from accord.app import create_app
from accord.coach import build_context
from accord.coach.llm import LlmConfig, config_from_settings, llm_draft
from accord.core.egress import EgressPolicy
from accord.core.errors import AnalysisOff
from accord.core.principal import SYSTEM
from accord.db.engine import Database
from accord.inbox import service as inbox
from accord.inbox.channels.email.config import MailConfig
from accord.inbox.channels.email.ingest import Ingestor
from accord.inbox.channels.email.store import MailStore
from accord.inbox.readings import ConversationInsight
from accord.inbox.schemas import ConversationCreate, MessageCreate, MessageIn
from accord.insights.models import MessageInsight
from accord.settings import Settings, get_settings
from tests.unit.coach.fake_llm import FakeLlm
from tests.unit.privacy_world import SUPPORT, raw_mail
from tests.web.conftest import web_login
from tests.world import World

API = "/api/v1/conversations"


@pytest.fixture
def settings(db_and_world: tuple[Database, World], tmp_path: Path) -> Settings:
    """The switch off in the settings the app is built with."""
    url = db_and_world[0].url
    data_dir = tmp_path / "data"
    return Settings(
        data_dir=data_dir, database_url=url, jobs_backend="immediate", analysis_enabled=False
    )


@pytest.fixture
def db(db_and_world: tuple[Database, World], settings: Settings) -> Database:
    """The test's database, handing those settings to the services through its sessions."""
    return db_and_world[0].with_settings(settings)


@pytest.fixture
def switched_off(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[list[int]]:
    """The switch off for the readers of the process's settings too (the jobs, the CLI), the
    services having theirs from the test's database; yields the number of texts the analysis
    engine was asked to read."""
    monkeypatch.setenv("ACCORD_ANALYSIS_ENABLED", "false")
    monkeypatch.setenv("ACCORD_DATABASE_URL", db.url)
    monkeypatch.setenv("ACCORD_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ACCORD_JOBS_BACKEND", "immediate")
    get_settings.cache_clear()
    read: list[int] = []
    real = Analyzer.analyze_batch

    def counted(self: Analyzer, texts: Any, *args: Any, **kwargs: Any) -> Any:
        read.append(len(texts))
        return real(self, texts, *args, **kwargs)

    monkeypatch.setattr(Analyzer, "analyze_batch", counted)
    yield read
    get_settings.cache_clear()


def _analyses(db: Database) -> tuple[int, int]:
    with db.read() as s:
        messages = s.scalar(select(func.count()).select_from(MessageInsight)) or 0
        conversations = s.scalar(select(func.count()).select_from(ConversationInsight)) or 0
    return messages, conversations


def _conversation(db: Database, world: World, text: str) -> int:
    with db.write() as s:
        data = ConversationCreate(
            subject="Broken again",
            customer_id=world.customer_b,
            team_id=world.team_y,
            message=MessageIn(text=text),
        )
        conversation, _ = inbox.create_conversation(s, actor=SYSTEM, data=data)
        reply = MessageCreate(text="Sorry, we are looking into it.")
        inbox.add_message(s, actor=SYSTEM, conversation_id=conversation.id, data=reply)
        return conversation.id


def test_no_message_is_analysed_inline_by_mail_or_by_the_jobs(
    db: Database, world: World, switched_off: list[int], tmp_path: Path
) -> None:
    before = _analyses(db)
    _conversation(db, world, "This is the third time, you idiots. I will sue.")
    ingest = Ingestor(db, MailStore(tmp_path / "data"), MailConfig(address=SUPPORT))
    ingest.receive(raw_mail("new@customer.example", "Refund", "Refund me now!"), "test")
    assert ingest.process_pending()["processed"] == 1

    from accord.jobs import tasks

    tasks._database.cache_clear()
    try:
        assert tasks.cool_heat.call_local() == 0
    finally:
        tasks._database.cache_clear()
    assert _analyses(db) == before
    assert switched_off == []


def test_reanalyse_refuses_and_analyses_once_switched_on(
    db: Database, world: World, switched_off: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    from accord.cli.main import app

    conversation = _conversation(db, world, "Where is my parcel? It is a week late.")
    refused = CliRunner().invoke(app, ["case", "reanalyse"])
    assert refused.exit_code == 1 and "ACCORD_ANALYSIS_ENABLED" in refused.output
    assert switched_off == []

    monkeypatch.setenv("ACCORD_ANALYSIS_ENABLED", "true")
    get_settings.cache_clear()
    done = CliRunner().invoke(app, ["case", "reanalyse"])
    assert done.exit_code == 0, done.output
    with db.read() as s:
        assert s.get(ConversationInsight, conversation) is not None


def test_the_coach_refuses_and_no_language_model_is_called(
    db: Database, world: World, settings: Settings, switched_off: list[int]
) -> None:
    with FakeLlm() as fake:
        configured = settings.model_copy(
            update={"coach_llm_url": fake.url, "egress_allowed_networks": "127.0.0.1/32"}
        )
        on, off = ({"analysis_enabled": flag} for flag in (True, False))
        assert config_from_settings(configured.model_copy(update=on)) is not None
        assert config_from_settings(configured.model_copy(update=off)) is None
        ctx = build_context([("customer", "You charged me twice! Refund me.")])
        switched_off.clear()  # that was the test building its context, not Accord
        with pytest.raises(AnalysisOff):
            local = EgressPolicy.parse("127.0.0.1/32")
            llm_draft(ctx, config=LlmConfig(fake.url, egress=local, analysis_enabled=False))
        with TestClient(create_app(configured, database=db)) as client:
            headers = world.headers("agent_x")
            url = f"{API}/{world.conv_a}/coach"
            for path, body in (
                ("draft", {"provider": "llm"}),
                ("draft", {"tone": "warm"}),
                ("review", {"draft": "Sorry about that, I will check it today."}),
            ):
                response = client.post(f"{url}/{path}", json=body, headers=headers)
                assert response.status_code == 409, response.text
                assert response.json()["code"] == "analysis_off"
        assert fake.requests == []
    assert switched_off == []


def test_the_ui_keeps_working_without_analysis(
    db: Database, world: World, settings: Settings, switched_off: list[int]
) -> None:
    with TestClient(create_app(settings, database=db)) as web:
        csrf = web_login(web, world.emails["agent_x"])
        page = web.get(f"/conversations/{world.conv_a}")
        assert page.status_code == 200
        assert "The coach is off" in page.text and "/coach/review" not in page.text
        sent = web.post(
            f"/conversations/{world.conv_a}/messages",
            data={"text": "We are on it.", "kind": "reply"},
            headers={"X-CSRF-Token": csrf},
            follow_redirects=False,
        )
        assert sent.status_code == 303
        escalated = web.post(
            f"/conversations/{world.conv_a}/escalate",
            data={"reason": "Needs a supervisor"},
            headers={"X-CSRF-Token": csrf},
            follow_redirects=False,
        )
        assert escalated.status_code == 303
        assert web.get(f"/conversations/{world.conv_a}").status_code == 200
        assert web.get("/inbox").status_code == 200
        assert web.get("/inbox?sort=heat").status_code == 200
    assert switched_off == []
