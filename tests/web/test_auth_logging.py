"""Every authentication verdict is logged on `accord.auth`: password and access-code logins
that succeed, fail or are throttled, and every refused bearer token or access code, with the
client address and without the password or the secret (ASVS 5.0 16.3.1, 16.2.5)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import login_csrf, portal_login_csrf
from tests.world import PASSWORD, World

WRONG = "not-the-password-1234"


def _auth_lines(caplog: pytest.LogCaptureFixture) -> list[tuple[int, str]]:
    return [(r.levelno, r.getMessage()) for r in caplog.records if r.name == "accord.auth"]


def test_api_logins_are_logged_without_the_password(
    client: TestClient, world: World, caplog: pytest.LogCaptureFixture
) -> None:
    email = world.emails["agent_x"]
    with caplog.at_level(logging.INFO, logger="accord.auth"):
        wrong = client.post("/api/v1/auth/login", json={"email": email, "password": WRONG})
        right = client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert (wrong.status_code, right.status_code) == (401, 200)
    assert _auth_lines(caplog) == [
        (logging.WARNING, f"login failed: account={email!r} address='testclient'"),
        (logging.INFO, f"login succeeded: account={email!r} address='testclient'"),
    ]
    assert WRONG not in caplog.text and PASSWORD not in caplog.text


def test_throttled_logins_are_logged(
    client: TestClient, world: World, caplog: pytest.LogCaptureFixture
) -> None:
    wrong = {"email": world.emails["agent_y"], "password": WRONG}
    with caplog.at_level(logging.INFO, logger="accord.auth"):
        codes = [client.post("/api/v1/auth/login", json=wrong).status_code for _ in range(11)]
    assert codes[-1] == 429
    lines = _auth_lines(caplog)
    assert sum("login failed" in m for _, m in lines) == 10
    assert lines[-1][1].startswith("login refused, too many failures: account=")


def test_refused_tokens_are_logged_by_prefix_only(
    client: TestClient, world: World, caplog: pytest.LogCaptureFixture
) -> None:
    made = client.post("/api/v1/tokens", json={"name": "t"}, headers=world.headers("agent_x"))
    secret, token_id = made.json()["token"], made.json()["id"]
    client.delete(f"/api/v1/tokens/{token_id}", headers=world.headers("agent_x"))
    with caplog.at_level(logging.INFO, logger="accord.auth"):
        for presented in (secret, "acc_guessed-token-value-0000000000000000000000"):
            me = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {presented}"})
            assert me.status_code == 401
    assert _auth_lines(caplog) == [
        (logging.WARNING, f"token refused (revoked or expired): prefix={secret[:10]!r}"),
        (logging.WARNING, "token refused (unknown): prefix='acc_guesse'"),
    ]
    assert secret not in caplog.text


def test_web_and_portal_logins_are_logged(
    web: TestClient, world: World, caplog: pytest.LogCaptureFixture
) -> None:
    email = world.emails["agent_x"]
    with caplog.at_level(logging.INFO, logger="accord.auth"):
        data = {"email": email, "password": WRONG, "csrf_token": login_csrf(web)}
        assert web.post("/login", data=data, follow_redirects=False).status_code == 401
        data = {"code": "acc_not-a-code", "csrf_token": portal_login_csrf(web)}
        assert web.post("/portal/login", data=data, follow_redirects=False).status_code == 401
    lines = [m for _, m in _auth_lines(caplog)]
    assert f"login failed: account={email!r} address='testclient'" in lines
    assert "login failed: account='portal-access-code' address='testclient'" in lines
    assert "token refused (unknown): prefix='acc_not-a-'" in lines
    assert WRONG not in caplog.text and "acc_not-a-code" not in caplog.text


def test_audit_events_say_when_who_what_and_where_in_utc(client: TestClient, world: World) -> None:
    """The audit trail's entries carry a UTC time, the acting user or customer, the kind and
    the object, so a timeline can be rebuilt (ASVS 5.0 16.2.1, 16.2.2)."""
    login = {"email": world.emails["agent_x"], "password": PASSWORD}
    assert client.post("/api/v1/auth/login", json=login).status_code == 200
    client.cookies.clear()
    events = client.get("/api/v1/events?limit=500", headers=world.headers("admin")).json()
    assert events, events
    for event in events:
        assert datetime.fromisoformat(event["created_at"]).utcoffset() == timedelta(0), event
        assert event["kind"]
    logged_in = [e for e in events if e["kind"] == "user.logged_in"]
    assert logged_in[-1]["actor_user_id"] == world.users["agent_x"]
    assert logged_in[-1]["data"] == {"user_id": world.users["agent_x"]}
