"""Refused requests are logged on `accord.security` with the caller and the address: denied
authorizations (a 403, or the 404 that hides an object the caller may not see), failed CSRF
checks, rate limits, and input refused by validation (ASVS 5.0 16.3.2, 16.3.3)."""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import web_login
from tests.world import PASSWORD, World


def _lines(caplog: pytest.LogCaptureFixture) -> list[tuple[int, str]]:
    return [(r.levelno, r.getMessage()) for r in caplog.records if r.name == "accord.security"]


def test_api_refusals_name_the_caller(
    client: TestClient, world: World, caplog: pytest.LogCaptureFixture
) -> None:
    agent_y = f"user:{world.users['agent_y']}"
    conv = f"/api/v1/conversations/{world.conv_a}"
    user = f"/api/v1/users/{world.users['agent_x']}"
    with caplog.at_level(logging.INFO, logger="accord.security"):
        assert client.get(conv, headers=world.headers("agent_y")).status_code == 404
        denied = client.patch(user, json={"name": "x"}, headers=world.headers("agent_y"))
        assert denied.status_code == 403
        unknown = client.post(
            "/api/v1/conversations",
            json={"subject": "s", "message": {"text": "t"}, "is_admin": True},
            headers=world.headers("customer_a"),
        )
        assert unknown.status_code == 422
    assert _lines(caplog) == [
        (logging.INFO, f"refused not_found: GET {conv!r} actor={agent_y} address='testclient'"),
        (
            logging.WARNING,
            f"refused permission_denied: PATCH {user!r} actor={agent_y} address='testclient'",
        ),
        (
            logging.INFO,
            "refused validation_failed: POST '/api/v1/conversations' "
            f"actor=customer:{world.customer_a} address='testclient'",
        ),
    ]


def test_csrf_failures_and_rate_limits_are_warnings(
    client: TestClient, world: World, caplog: pytest.LogCaptureFixture
) -> None:
    login = {"email": world.emails["agent_x"], "password": PASSWORD}
    assert client.post("/api/v1/auth/login", json=login).status_code == 200
    with caplog.at_level(logging.INFO, logger="accord.security"):
        url = f"/api/v1/conversations/{world.conv_a}/messages"
        assert client.post(url, json={"text": "no token"}).status_code == 403
        client.cookies.clear()
        wrong = {"email": world.emails["agent_y"], "password": "wrong-password-1"}
        codes = [client.post("/api/v1/auth/login", json=wrong).status_code for _ in range(11)]
        assert codes[-1] == 429
    warnings = [m for level, m in _lines(caplog) if level == logging.WARNING]
    assert warnings[0] == (
        f"refused csrf_failed: POST {url!r} actor=user:{world.users['agent_x']} "
        "address='testclient'"
    )
    assert warnings[-1].startswith(
        "refused rate_limited: POST '/api/v1/auth/login' actor=anonymous"
    )


def test_page_refusals_are_logged_too(
    web: TestClient, world: World, caplog: pytest.LogCaptureFixture
) -> None:
    web_login(web, world.emails["agent_y"])
    with caplog.at_level(logging.INFO, logger="accord.security"):
        assert web.get(f"/conversations/{world.conv_a}").status_code == 404
        assert web.get("/admin").status_code == 403
    lines = [m for _, m in _lines(caplog)]
    who = f"actor=user:{world.users['agent_y']}"
    assert lines[0] == f"refused not_found: GET '/conversations/{world.conv_a}' {who} " + (
        "address='testclient'"
    )
    assert lines[1].startswith("refused permission_denied: GET '/admin' " + who)
