"""Mail travels encrypted beyond loopback (ASVS 5.0 12.3.1, 12.3.4): SMTP to a server that is
not on loopback always uses STARTTLS, so a server that does not offer it gets neither the mail
nor the password; plain IMAP is refused beyond loopback; and a server certificate of an
internal CA is trusted only when ACCORD_TLS_CA_FILE names it.

The servers are real and on loopback (aiosmtpd, a minimal IMAP greeter over TLS); the test
name `smtp.accord.test` / `imap.accord.test` resolves to 127.0.0.1 so that they stand for
servers elsewhere, since loopback itself is allowed plain text."""

from __future__ import annotations

import socket
import ssl
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from pydantic import ValidationError
from sqlalchemy import select

from accord.db.engine import Database
from accord.inbox.channels.email import imap
from accord.inbox.channels.email.imap import ImapConfig, PlainImapRefused
from accord.inbox.channels.email.ingest import Ingestor
from accord.inbox.channels.email.models import OutboxMail
from accord.inbox.channels.email.sender import SmtpConfig, send_due
from accord.jobs.mail import send_once
from accord.settings import Settings
from tests.unit.loopback import connected, socket_events
from tests.unit.mail.factory import mail
from tests.unit.mail.helpers import agent_reply, deliver
from tests.unit.mail.servers import free_port
from tests.unit.tlsfiles import TlsFiles, issue
from tests.world import World

REMOTE_SMTP, REMOTE_IMAP = "smtp.accord.test", "imap.accord.test"


class Sink:
    """An SMTP server that keeps mail and the logins it was given, and whether each came over
    TLS; with ``tls`` it offers STARTTLS and requires it before MAIL and AUTH."""

    def __init__(self, tls: ssl.SSLContext | None = None, *, implicit: bool = False) -> None:
        self.port = free_port()
        self.received: list[bytes] = []
        self.logins: list[tuple[str, bool]] = []
        options: dict[str, Any] = {"authenticator": self._authenticate}
        if tls is None:
            options["auth_require_tls"] = False  # a careless server: AUTH over plain text
        elif implicit:
            options["ssl_context"] = tls  # SMTPS: TLS from the first byte
        else:
            options |= {"tls_context": tls, "require_starttls": True}
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port, **options)

    def _authenticate(self, _server: Any, session: Any, _env: Any, _mech: str, data: Any) -> Any:
        assert isinstance(data, LoginPassword)
        self.logins.append((data.login.decode(), session.ssl is not None))
        return AuthResult(success=True)

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:  # noqa: N802
        self.received.append(envelope.content)
        return "250 OK"


@pytest.fixture
def names(monkeypatch: pytest.MonkeyPatch) -> None:
    """The test names resolve to 127.0.0.1 (nothing else changes)."""
    real = socket.getaddrinfo

    def fake(host: Any, *args: Any, **kwargs: Any) -> Any:
        return real("127.0.0.1" if host in (REMOTE_SMTP, REMOTE_IMAP) else host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake)


@pytest.fixture
def tls_files(tmp_path: Path) -> TlsFiles:
    return issue(tmp_path / "certs")


def _sink(tls: ssl.SSLContext | None = None) -> Iterator[Sink]:
    sink = Sink(tls)
    sink.controller.start()
    yield sink
    sink.controller.stop()


@pytest.fixture
def plain_sink() -> Iterator[Sink]:
    yield from _sink()


@pytest.fixture
def tls_sink(tls_files: TlsFiles) -> Iterator[Sink]:
    yield from _sink(tls_files.server_context())


def _queue_one(ingest: Ingestor, db: Database, world: World) -> None:
    row = deliver(ingest, mail(subject="My order is late"))
    assert row.conversation_id is not None
    agent_reply(db, world, row.conversation_id, "On its way.")


def _last_error(db: Database) -> str:
    with db.read() as session:
        return session.scalars(select(OutboxMail.last_error)).one() or ""


def test_smtp_beyond_loopback_without_starttls_gets_neither_mail_nor_password(
    ingest: Ingestor, db: Database, world: World, names: None, plain_sink: Sink
) -> None:
    _queue_one(ingest, db, world)
    config = SmtpConfig(REMOTE_SMTP, plain_sink.port, user="support", password="secret", timeout=5)
    assert send_due(db, config) == {"sent": 0, "failed": 1}
    assert plain_sink.logins == [] and plain_sink.received == []
    assert "STARTTLS" in _last_error(db)


def test_smtp_on_loopback_may_stay_plain(
    ingest: Ingestor, db: Database, world: World, plain_sink: Sink
) -> None:
    _queue_one(ingest, db, world)
    config = SmtpConfig("127.0.0.1", plain_sink.port, user="support", password="secret")
    assert send_due(db, config) == {"sent": 1, "failed": 0}
    assert plain_sink.logins == [("support", False)]


def test_smtp_starttls_trusts_an_internal_ca_only_when_the_ca_file_names_it(
    ingest: Ingestor,
    db: Database,
    world: World,
    names: None,
    tls_sink: Sink,
    tls_files: TlsFiles,
) -> None:
    _queue_one(ingest, db, world)
    untrusted = SmtpConfig(REMOTE_SMTP, tls_sink.port, user="support", password="p", timeout=5)
    assert send_due(db, untrusted) == {"sent": 0, "failed": 1}
    assert "CERTIFICATE_VERIFY_FAILED" in _last_error(db)
    assert tls_sink.logins == [] and tls_sink.received == []
    with db.write() as session:  # due again at once
        row = session.scalars(select(OutboxMail)).one()
        row.next_attempt_at = row.created_at
    settings = Settings(
        database_url=db.url,
        mail_smtp_host=REMOTE_SMTP,
        mail_smtp_port=tls_sink.port,
        mail_smtp_user="support",
        mail_smtp_password="p",
        tls_ca_file=str(tls_files.ca_file),
    )
    assert send_once(settings) == {"sent": 1, "failed": 0}
    assert tls_sink.logins == [("support", True)] and len(tls_sink.received) == 1


def test_plain_imap_beyond_loopback_is_refused_before_connecting() -> None:
    config = ImapConfig(REMOTE_IMAP, 143, "support", "secret", ssl=False)
    with socket_events() as events, pytest.raises(PlainImapRefused, match="not a loopback"):
        imap._open(config)
    assert connected(events) == []


@pytest.mark.parametrize(("host", "refused"), [("imap.example.com", True), ("127.0.0.1", False)])
def test_plain_imap_settings_beyond_loopback_do_not_load(host: str, refused: bool) -> None:
    if refused:
        with pytest.raises(ValidationError, match="ACCORD_MAIL_IMAP_SSL=false"):
            Settings(mail_imap_host=host, mail_imap_ssl=False)
    else:
        assert Settings(mail_imap_host=host, mail_imap_ssl=False).mail_imap_ssl is False


class ImapGreeter:
    """Just enough IMAP over TLS for a client to connect: a greeting, CAPABILITY, LOGOUT."""

    def __init__(self, tls: ssl.SSLContext) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.listener.getsockname()[1])
        self.tls, self.sessions = tls, 0
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                raw, _ = self.listener.accept()
            except OSError:
                return
            try:
                with self.tls.wrap_socket(raw, server_side=True) as conn:
                    self.sessions += 1
                    self._talk(conn.makefile("rwb"))
            except OSError:
                raw.close()

    @staticmethod
    def _talk(stream: Any) -> None:
        stream.write(b"* OK [CAPABILITY IMAP4rev1] ready\r\n")
        stream.flush()
        for line in stream:
            tag, _, command = line.decode().strip().partition(" ")
            if command.upper() == "CAPABILITY":
                stream.write(b"* CAPABILITY IMAP4rev1\r\n")
            if command.upper() == "LOGOUT":
                stream.write(b"* BYE\r\n")
            stream.write(f"{tag} OK done\r\n".encode())
            stream.flush()
            if command.upper() == "LOGOUT":
                return

    def close(self) -> None:
        self.listener.close()


def test_imap_over_tls_trusts_an_internal_ca_only_when_the_ca_file_names_it(
    names: None, tls_files: TlsFiles
) -> None:
    greeter = ImapGreeter(tls_files.server_context())
    try:
        config = ImapConfig(REMOTE_IMAP, greeter.port, "support", "p", timeout=5)
        with pytest.raises(ssl.SSLCertVerificationError):
            imap._open(config)
        assert greeter.sessions == 0
        trusted = ImapConfig(
            REMOTE_IMAP, greeter.port, "support", "p", timeout=5, ca_file=str(tls_files.ca_file)
        )
        box = imap._open(trusted)
        box.client.logout()
        assert greeter.sessions == 1
    finally:
        greeter.close()


def test_smtps_verifies_the_certificate_against_the_ca_file(
    ingest: Ingestor, db: Database, world: World, names: None, tls_files: TlsFiles
) -> None:
    sink = Sink(tls_files.server_context(), implicit=True)
    sink.controller.start()
    try:
        _queue_one(ingest, db, world)
        config = SmtpConfig(
            REMOTE_SMTP, sink.port, implicit_tls=True, ca_file=str(tls_files.ca_file), timeout=5
        )
        assert send_due(db, config) == {"sent": 1, "failed": 0}
        assert len(sink.received) == 1
    finally:
        sink.controller.stop()
