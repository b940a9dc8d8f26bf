"""Outbound TLS (ASVS 5.0 12.2.1, 12.3.1, 12.3.3, 12.3.4): webhooks and the language model use
https, plain http only to loopback or to a network the operator lists, and a certificate signed
by an internal CA is trusted only when ACCORD_TLS_CA_FILE names that CA. The receivers are real
HTTPS servers on loopback with certificates of a CA the test makes (trustme)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from pydantic import ValidationError
from sqlalchemy import select

from accord.cases.models import Notification
from accord.cases.notifications import notify
from accord.coach import build_context
from accord.coach.llm import LlmConfig, config_from_settings, llm_draft
from accord.core.egress import EgressPolicy, EgressRefused, guarded_client
from accord.db.engine import Database
from accord.inbox.models import Conversation
from accord.settings import Settings, get_settings
from tests.unit.loopback import CountingServer, connected, socket_events
from tests.unit.tlsfiles import TlsFiles, issue
from tests.world import World

LOCAL = EgressPolicy.parse("127.0.0.1/32")


@pytest.fixture
def tls_files(tmp_path: Path) -> TlsFiles:
    return issue(tmp_path / "certs")


def _pending(db: Database, world: World) -> None:
    with db.write() as s:
        conversation = s.get(Conversation, world.conv_a)
        assert conversation is not None
        notify(s, conversation, "conversation.escalated", {"rule": "x"})


def _retry_now(db: Database) -> str:
    """The last delivery error; the notification is made due again."""
    with db.write() as s:
        row = s.scalars(select(Notification)).one()
        row.next_attempt_at = row.created_at
        return row.last_error or ""


def test_a_webhook_receiver_of_an_internal_ca_is_trusted_only_once_the_ca_file_names_it(
    db: Database,
    world: World,
    jobs_env: None,
    tls_files: TlsFiles,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from accord.jobs.tasks import deliver_webhooks

    _pending(db, world)
    with CountingServer(tls=tls_files.server_context()) as receiver:
        monkeypatch.setenv("ACCORD_WEBHOOK_URL", receiver.url + "/hook")
        monkeypatch.setenv("ACCORD_EGRESS_ALLOWED_NETWORKS", "127.0.0.1/32")
        get_settings.cache_clear()
        assert deliver_webhooks.call_local() == 0
        assert receiver.seen == []
        assert "CERTIFICATE_VERIFY_FAILED" in _retry_now(db)
        monkeypatch.setenv("ACCORD_TLS_CA_FILE", str(tls_files.ca_file))
        get_settings.cache_clear()
        assert deliver_webhooks.call_local() == 1
        assert [s["path"] for s in receiver.seen] == ["/hook"]


def test_the_language_model_of_an_internal_ca_is_reached_only_with_the_ca_file(
    tls_files: TlsFiles,
) -> None:
    ctx = build_context([("customer", "You charged me twice for order 55123!")])
    with CountingServer(tls=tls_files.server_context()) as server:
        url = server.url + "/v1"
        untrusted = llm_draft(ctx, config=LlmConfig(url, egress=LOCAL, timeout_s=5))
        assert untrusted.reason == "provider error: ConnectError" and server.seen == []
        config = LlmConfig(url, egress=LOCAL, timeout_s=5, ca_file=str(tls_files.ca_file))
        llm_draft(ctx, config=config)
        assert [s["path"] for s in server.seen] == ["/v1/chat/completions"]


def test_the_language_model_config_carries_the_ca_file(tls_files: TlsFiles) -> None:
    settings = Settings(
        coach_llm_url="https://llm.example.com/v1", tls_ca_file=str(tls_files.ca_file)
    )
    config = config_from_settings(settings)
    assert config is not None and config.ca_file == str(tls_files.ca_file)


@pytest.mark.parametrize("setting", ["webhook_url", "coach_llm_url"])
@pytest.mark.parametrize(
    ("url", "networks"),
    [
        ("http://hooks.example.com/x", ""),
        ("http://93.184.216.34/x", ""),
        ("http://93.184.216.34/x", "10.0.0.0/8"),
        ("http://10.0.0.5/x", ""),
        ("http://10.0.0.5/x", "192.168.0.0/16"),
        ("http://llm-box:11434/v1", ""),
        ("ftp://hooks.example.com/x", ""),
        ("https:///x", ""),
    ],
)
def test_plain_http_urls_are_refused_when_the_settings_load(
    setting: str, url: str, networks: str
) -> None:
    with pytest.raises(ValidationError, match="https://"):
        Settings.model_validate({setting: url, "egress_allowed_networks": networks})


@pytest.mark.parametrize("setting", ["webhook_url", "coach_llm_url"])
@pytest.mark.parametrize(
    ("url", "networks"),
    [
        ("https://hooks.example.com/x", ""),
        ("https://10.0.0.5/x", ""),
        ("http://127.0.0.1:11434/v1", ""),
        ("http://localhost:11434/v1", ""),
        ("http://[::1]:11434/v1", ""),
        ("http://10.0.0.5/x", "10.0.0.0/8"),
        ("http://llm-box:11434/v1", "10.0.0.0/8"),
    ],
)
def test_https_loopback_and_listed_internal_networks_are_accepted(
    setting: str, url: str, networks: str
) -> None:
    settings = Settings.model_validate({setting: url, "egress_allowed_networks": networks})
    assert getattr(settings, setting) == url


def test_plain_http_to_a_name_that_resolves_to_a_public_address_is_refused_unsent() -> None:
    """A name accepted over http because internal networks are listed must lead inside them
    (or to loopback): the guard checks the address before connecting."""
    policy = EgressPolicy.parse("10.0.0.0/8")
    client = guarded_client(policy, timeout=2, resolve=lambda _h, _p: ["93.184.216.34"])
    with socket_events() as events, client, pytest.raises(EgressRefused, match="plain http"):
        client.post("http://llm-box:11434/v1/chat/completions")
    assert connected(events) == []


def test_plain_http_inside_a_listed_network_still_goes_through(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with CountingServer() as receiver:
        client = guarded_client(LOCAL, timeout=5, resolve=lambda _h, _p: ["127.0.0.1"])
        with client:
            response = client.post(f"http://hooks.internal:{receiver.port}/x")
        assert response.status_code == 200 and receiver.seen[0]["path"] == "/x"


def test_without_the_ca_file_only_the_system_store_is_trusted(tls_files: TlsFiles) -> None:
    with CountingServer(tls=tls_files.server_context()) as server:
        with guarded_client(LOCAL, timeout=5) as client, pytest.raises(httpx.ConnectError):
            client.get(server.url + "/")
        with guarded_client(LOCAL, timeout=5, ca_file=str(tls_files.ca_file)) as client:
            assert client.get(server.url + "/").status_code == 200


@pytest.mark.parametrize(
    ("url", "refused"),
    [
        ("postgresql://accord:pw@db.internal:5432/accord", True),
        ("postgresql+psycopg://accord:pw@10.0.0.2/accord?sslmode=prefer", True),
        ("postgresql+psycopg://accord:pw@10.0.0.2/accord?sslmode=require", True),
        ("postgresql+psycopg://accord:pw@db.internal/accord?sslmode=verify-full", False),
        ("postgresql://accord:pw@10.0.0.2/accord?sslmode=verify-ca&sslrootcert=/ca.pem", False),
        ("postgresql://accord@127.0.0.1:5432/accord", False),
        ("postgresql://accord@localhost/accord", False),
        ("postgresql:///accord?host=/var/run/postgresql", False),
        ("sqlite:////var/lib/accord/accord.db", False),
    ],
)
def test_a_database_beyond_loopback_needs_a_verified_tls_connection(
    url: str, refused: bool
) -> None:
    if refused:
        with pytest.raises(ValidationError, match="sslmode=verify-full") as caught:
            Settings(database_url=url)
        assert "pw" not in str(caught.value)  # the password is never echoed
    else:
        assert Settings(database_url=url).database_url == url


@pytest.mark.parametrize(
    ("url", "refused"),
    [
        ("redis://redis.internal:6379/0", True),
        ("redis://:pw@10.0.0.3:6379/0", True),
        ("rediss://redis.internal:6379/0", False),
        ("redis://127.0.0.1:6379/0", False),
        ("unix:///run/redis.sock", False),
    ],
)
def test_redis_beyond_loopback_needs_rediss(url: str, refused: bool) -> None:
    if refused:
        with pytest.raises(ValidationError, match="rediss://"):
            Settings(jobs_backend="redis", redis_url=url)
    else:
        assert Settings(jobs_backend="redis", redis_url=url).redis_url == url


def test_a_refused_setting_echoes_neither_the_url_nor_other_secrets() -> None:
    with pytest.raises(ValidationError) as caught:
        Settings(webhook_url="http://hooks.example.com/T0KEN", mail_smtp_password="s3cret")
    assert "T0KEN" not in str(caught.value) and "s3cret" not in str(caught.value)
