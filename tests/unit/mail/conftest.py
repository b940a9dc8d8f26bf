"""Fixtures of the email-channel tests: an ingestor over the per-test database, a real SMTP
sink (aiosmtpd) and a real IMAP server (dovecot) on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from accord.db.engine import Database
from accord.inbox.channels.email.config import MailConfig
from accord.inbox.channels.email.ingest import Ingestor
from accord.inbox.channels.email.store import MailStore
from accord.settings import get_settings
from tests.unit.mail.factory import SUPPORT
from tests.unit.mail.servers import Dovecot, SmtpSink, start_dovecot
from tests.world import World


@pytest.fixture
def config() -> MailConfig:
    return MailConfig(address=SUPPORT)


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The CLI's settings pointed at a private SQLite database and data dir."""
    monkeypatch.setenv("ACCORD_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ACCORD_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


@pytest.fixture
def ingest(db: Database, tmp_path: Path, config: MailConfig) -> Ingestor:
    return Ingestor(db, MailStore(tmp_path / "data"), config)


@pytest.fixture
def smtp_sink() -> Iterator[SmtpSink]:
    sink = SmtpSink()
    sink.start()
    yield sink
    sink.stop()


@pytest.fixture
def dovecot(tmp_path: Path) -> Iterator[Dovecot]:
    server = start_dovecot(tmp_path / "dovecot")
    yield server
    server.stop()


@pytest.fixture
def db(db_and_world: tuple[Database, World]) -> Database:
    """The test's database; the inbox's outbox hook reads its sessions' settings: they name the
    test address."""
    plain = db_and_world[0]
    return plain.with_settings(plain.settings.model_copy(update={"mail_address": SUPPORT}))
