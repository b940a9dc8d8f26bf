"""The mail clients check the server's certificate and name when they use TLS.

smtplib's `starttls()` and imaplib's `IMAP4_SSL` both fall back to an unverified context when
given none, so a machine in the middle could present any certificate and read the SMTP or IMAP
password and every mail (ASVS 5.0 12.3.2)."""

from __future__ import annotations

import ssl
from typing import Any

import pytest

from accord.inbox.channels.email import imap, sender
from accord.inbox.channels.email.imap import ImapConfig
from accord.inbox.channels.email.sender import SmtpConfig


def _verifies(context: Any) -> bool:
    return (
        isinstance(context, ssl.SSLContext)
        and context.verify_mode == ssl.CERT_REQUIRED
        and context.check_hostname
    )


def test_smtp_starttls_verifies_the_servers_certificate(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, Any] = {}

    class FakeSmtp:
        def __init__(self, host: str, port: int, timeout: float) -> None:
            seen["host"] = host

        def starttls(self, context: Any = None) -> None:
            seen["context"] = context

        def login(self, user: str, password: str) -> None:
            seen["login"] = user

    monkeypatch.setattr("smtplib.SMTP", FakeSmtp)
    sender._connect(SmtpConfig(host="smtp.example.com", user="u", password="p", starttls=True))
    assert seen["login"] == "u"
    assert _verifies(seen.get("context")), seen


def test_imap_over_tls_verifies_the_servers_certificate(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, Any] = {}

    def fake_mailbox(host: str, port: int, **kwargs: Any) -> object:
        seen.update(kwargs)
        return object()

    monkeypatch.setattr(imap, "MailBox", fake_mailbox)
    imap._open(ImapConfig(host="imap.example.com", port=993, user="u", password="p"))
    assert _verifies(seen.get("ssl_context")), seen


def test_webhooks_and_model_calls_verify_the_servers_certificate() -> None:
    """The egress guard connects to the checked address but keeps the name for SNI and the
    certificate check; its pools use httpx's verifying default context."""
    from accord.core.egress import EgressPolicy, GuardedTransport

    transport = GuardedTransport(EgressPolicy())
    pool = transport._pool("https", "hooks.example.com", 443)
    assert _verifies(pool._pool._ssl_context)
    transport.close()
