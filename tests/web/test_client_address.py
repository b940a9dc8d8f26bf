"""The client address behind the rate limits and the security logs is the original one when a
trusted reverse proxy forwards it, and can never be set by the client itself (ASVS 5.0 15.3.4).

`accord serve` runs uvicorn with its defaults: proxy headers on, trusted only from the proxy's
own address (127.0.0.1 and ::1, or FORWARDED_ALLOW_IPS; docs/web.md). The app is driven here
through the same uvicorn middleware, from an outside address and from the proxy's."""

from __future__ import annotations

import logging
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner
from uvicorn.config import Config
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from accord.app import create_app
from accord.cli.main import app as cli
from accord.db.engine import Database
from accord.settings import Settings

WRONG = {"email": "nobody@accord.example", "password": "wrong-password-1"}
FORGED = {"X-Forwarded-For": "198.51.100.7"}


def test_accord_serve_trusts_forwarded_addresses_only_from_the_local_proxy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import uvicorn

    monkeypatch.delenv("FORWARDED_ALLOW_IPS", raising=False)
    seen: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: seen.update(kwargs))
    assert CliRunner().invoke(cli, ["serve", "--port", "8124"]).exit_code == 0
    assert "proxy_headers" not in seen and "forwarded_allow_ips" not in seen
    defaults = Config("accord.app:create_app")
    assert defaults.proxy_headers and defaults.forwarded_allow_ips == "127.0.0.1,::1"


def test_a_forwarded_address_counts_only_from_a_trusted_proxy(
    settings: Settings, db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    app: Any = create_app(settings, database=db)
    served: Any = ProxyHeadersMiddleware(app, "127.0.0.1,::1")
    with caplog.at_level(logging.INFO, logger="accord.auth"):
        for peer in ("203.0.113.5", "127.0.0.1"):
            with TestClient(served, client=(peer, 50000)) as client:
                response = client.post("/api/v1/auth/login", json=WRONG, headers=FORGED)
                assert response.status_code == 401
    addresses = [
        re.search(r"address='([^']*)'", r.getMessage()).group(1)  # type: ignore[union-attr]
        for r in caplog.records
        if r.name == "accord.auth"
    ]
    # The outsider's own X-Forwarded-For is ignored; the proxy's is believed.
    assert addresses == ["203.0.113.5", "198.51.100.7"]
