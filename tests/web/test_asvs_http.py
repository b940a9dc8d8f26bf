"""HTTP-level evidence for the ASVS checklist (docs/security/asvs/V3.yaml, V4, V6, V7): the
headers every response carries, how passwords are taken, and how browser sessions begin and
end. Each test names the ASVS 5.0 requirements it proves."""

from __future__ import annotations

import re
import socket
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from pwdlib import PasswordHash
from pydantic import ValidationError
from sqlalchemy import func, select

from accord.app import create_app
from accord.auth.models import ApiToken, User
from accord.auth.schemas import LoginIn, UserCreate, UserUpdate
from accord.core.clock import FixedClock
from accord.db.engine import Database
from accord.db.migrate import upgrade
from accord.settings import Settings
from tests.web.conftest import LiveServer, login_csrf, portal_login, start_server
from tests.world import PASSWORD, World

YEAR = 365 * 24 * 3600
SESSION = "accord_session"
LOGOUT_FORM = '<form method="post" action="/logout">'
Login = Callable[[str], str]


def _policy(value: str) -> dict[str, str]:
    directives = (part.strip().split(None, 1) for part in value.split(";") if part.strip())
    return {d[0]: (d[1] if len(d) > 1 else "") for d in directives}


def _samples(web: TestClient, world: World, login_as: Login) -> dict[str, dict[str, str]]:
    """Headers of a page, a fragment, an API answer, an error, a static file, per kind."""
    out = {
        "login page": web.get("/login"),
        "unknown page": web.get("/no/such/page", headers={"Accept": "text/html"}),
        "static script": web.get("/static/app.js"),
        "static style": web.get("/static/app.css"),
        "api health": web.get("/api/v1/health"),
        "api error": web.get("/api/v1/no/such/thing"),
        "openapi": web.get("/api/v1/openapi.json"),
    }
    login_as("supervisor")
    out["inbox"] = web.get("/inbox")
    out["conversation"] = web.get(f"/conversations/{world.conv_a}")
    out["fragment"] = web.get("/inbox?sort=recent", headers={"HX-Request": "true"})
    out["api me"] = web.get("/api/v1/auth/me")
    return {name: dict(response.headers) for name, response in out.items()}


def test_every_response_sets_hsts_for_a_year_and_subdomains(
    web: TestClient, world: World, login_as: Login
) -> None:
    """3.4.1: Strict-Transport-Security, max-age of at least a year, includeSubDomains (L2)."""
    for name, headers in _samples(web, world, login_as).items():
        hsts = headers.get("strict-transport-security", "")
        found = re.fullmatch(r"max-age=(\d+); includeSubDomains", hsts)
        assert found and int(found.group(1)) >= YEAR, name


def test_every_response_sets_the_browser_security_headers(
    web: TestClient, world: World, login_as: Login
) -> None:
    """3.4.3 (CSP: default-src 'none', so object-src is 'none'; base-uri 'none' on pages; an
    allowlist of 'self' only), 3.4.4 (nosniff), 3.4.5 (Referrer-Policy), 3.4.6
    (frame-ancestors 'none'), 3.4.8 (Cross-Origin-Opener-Policy: same-origin)."""
    for name, headers in _samples(web, world, login_as).items():
        policy = _policy(headers["content-security-policy"])
        assert policy["default-src"] == "'none'", name
        assert policy.get("object-src", "'none'") == "'none'", name
        assert policy["frame-ancestors"] == "'none'", name
        assert headers["x-content-type-options"] == "nosniff", name
        assert headers["cross-origin-opener-policy"] == "same-origin", name
        assert headers["referrer-policy"] in {"no-referrer", "same-origin"}, name
        if headers["content-type"].startswith("text/html"):
            assert policy["base-uri"] == "'none'", name
            sources = " ".join(v for k, v in policy.items() if k.endswith("-src"))
            assert set(sources.split()) <= {"'none'", "'self'", "data:"}, name


def test_text_responses_name_their_charset(web: TestClient, world: World, login_as: Login) -> None:
    """4.1.1: every text response says its charset; JSON is application/json (UTF-8 by
    RFC 8259) or application/problem+json."""
    for name, headers in _samples(web, world, login_as).items():
        kind = headers["content-type"]
        if kind.startswith("text/"):
            assert kind.endswith("; charset=utf-8"), (name, kind)
        else:
            assert kind in {"application/json", "application/problem+json"}, (name, kind)


def test_methods_a_route_does_not_offer_are_refused(web: TestClient) -> None:
    """4.1.4: only the methods a route declares are served (TRACE included: 405)."""
    for method, path in [
        ("TRACE", "/api/v1/health"),
        ("PUT", "/api/v1/health"),
        ("DELETE", "/api/v1/auth/login"),
        ("PATCH", "/login"),
        ("TRACE", "/login"),
        ("PUT", "/static/app.css"),
    ]:
        assert web.request(method, path).status_code == 405, (method, path)


def _create_user(client: TestClient, world: World, email: str, password: str) -> None:
    body = {"email": email, "name": "New", "role": "agent", "password": password}
    created = client.post("/api/v1/users", json=body, headers=world.headers("admin"))
    assert created.status_code == 201, created.text


def _api_login(client: TestClient, email: str, password: str) -> int:
    client.cookies.clear()
    status = client.post("/api/v1/auth/login", json={"email": email, "password": password})
    client.cookies.clear()
    return status.status_code


def test_passwords_are_checked_exactly_as_typed(web: TestClient, world: World) -> None:
    """6.2.8: no trimming or case change, on the API and on the login form alike (the API
    used to strip the spaces around a password, at creation and at login, but the form did
    not, so such a password only worked on one of them)."""
    email, password = "spaces@accord.example", "  spaces round it  "
    _create_user(web, world, email, password)
    assert _api_login(web, email, password) == 200
    assert _api_login(web, email, password.strip()) == 401
    assert _api_login(web, email, password.upper()) == 401
    form = {"email": email, "password": password, "csrf_token": login_csrf(web)}
    assert web.post("/login", data=form, follow_redirects=False).status_code == 303


def test_long_passwords_of_any_characters_are_accepted(client: TestClient, world: World) -> None:
    """6.2.1 (at least 10 characters), 6.2.5 (no composition rules), 6.2.9 (64 and more)."""
    passwords = {
        "long@accord.example": "correct horse battery staple, " * 4 + "é 🔑",
        "lower@accord.example": "onlylowercase",
        "digits@accord.example": "0123456789",
    }
    for email, password in passwords.items():
        _create_user(client, world, email, password)
        assert _api_login(client, email, password) == 200, email
    assert len(passwords["long@accord.example"]) > 64
    short = {"email": "s@accord.example", "name": "S", "role": "agent", "password": "nine-char"}
    assert (
        client.post("/api/v1/users", json=short, headers=world.headers("admin")).status_code == 422
    )


def test_a_password_stays_valid_without_rotation(
    client: TestClient, world: World, clock: FixedClock
) -> None:
    """6.2.10: no periodic rotation: a password set years ago still signs in."""
    clock.advance(timedelta(days=3 * 365))
    assert _api_login(client, world.emails["agent_x"], PASSWORD) == 200


def _session(client: TestClient, world: World, who: str = "agent_x") -> tuple[str, str]:
    """Log in through the API; returns (cookie secret, the whole Set-Cookie header)."""
    client.cookies.clear()
    response = client.post(
        "/api/v1/auth/login", json={"email": world.emails[who], "password": PASSWORD}
    )
    assert response.status_code == 200, response.text
    secret = client.cookies[SESSION]
    client.cookies.clear()
    return secret, response.headers["set-cookie"]


def _me(client: TestClient, secret: str) -> int:
    client.cookies.clear()
    client.cookies.set(SESSION, secret)
    status = client.get("/api/v1/auth/me").status_code
    client.cookies.clear()
    return status


def test_session_secrets_are_random_long_unique_and_small(client: TestClient, world: World) -> None:
    """7.2.3 (256 random bits, unique per login), 3.3.4 (HttpOnly; the secret travels only in
    Set-Cookie, never in a body), 3.3.5 (cookie well under 4096 bytes)."""
    seen = set()
    for _ in range(3):
        secret, header = _session(client, world)
        assert re.fullmatch(r"[A-Za-z0-9_-]{43,}", secret)
        assert "HttpOnly" in header and len(header) < 4096
        seen.add(secret)
    assert len(seen) == 3
    body = client.post(
        "/api/v1/auth/login", json={"email": world.emails["agent_x"], "password": PASSWORD}
    ).text
    assert client.cookies[SESSION] not in body


def test_a_session_ends_at_its_absolute_lifetime(
    client: TestClient, world: World, settings: Settings, clock: FixedClock
) -> None:
    """7.3.2: a session lasts ACCORD_SESSION_TTL_HOURS from login, whatever its activity
    (here a request every 20 minutes, within the inactivity timeout)."""
    secret, _ = _session(client, world)
    lifetime = timedelta(hours=settings.session_ttl_hours)
    step = timedelta(minutes=20)
    used = timedelta(0)
    while used + step < lifetime:
        clock.advance(step)
        used += step
        assert _me(client, secret) == 200, used
    clock.advance(lifetime - used - timedelta(minutes=1))
    assert _me(client, secret) == 200
    clock.advance(timedelta(minutes=1))
    assert _me(client, secret) == 401


def test_a_session_unused_for_the_idle_timeout_ends(
    web: TestClient, world: World, settings: Settings, clock: FixedClock
) -> None:
    """7.3.1: a session unused for ACCORD_SESSION_IDLE_MINUTES ends (log in again); any
    request counts as use, on the API and the pages alike."""
    idle = timedelta(minutes=settings.session_idle_minutes)
    secret, _ = _session(web, world)
    clock.advance(idle - timedelta(minutes=2))
    assert _me(web, secret) == 200  # used: the timeout starts again
    clock.advance(idle - timedelta(minutes=2))
    web.cookies.set(SESSION, secret)
    assert web.get("/inbox").status_code == 200  # a page counts too
    web.cookies.clear()
    clock.advance(idle - timedelta(minutes=2))
    assert _me(web, secret) == 200
    clock.advance(idle)
    assert _me(web, secret) == 401
    clock.advance(timedelta(minutes=1))
    assert _me(web, secret) == 401  # ended for good, not revived by the attempt


def test_the_idle_timeout_is_bounded() -> None:
    """7.1.1: the documented bounds (docs/settings.md, after NIST SP 800-63B-4 AAL2): 5 to
    60 minutes idle, a day at most in all."""
    for minutes in (4, 61):
        with pytest.raises(ValidationError):
            Settings(session_idle_minutes=minutes)
    with pytest.raises(ValidationError):
        Settings(session_ttl_hours=25)
    assert Settings().session_idle_minutes == 30 and Settings().session_ttl_hours == 12


def test_a_cookie_replayed_after_logout_is_refused(client: TestClient, world: World) -> None:
    """7.4.1: logout ends the session on the server, not just in the browser's jar."""
    client.cookies.clear()
    login = client.post(
        "/api/v1/auth/login", json={"email": world.emails["agent_x"], "password": PASSWORD}
    )
    mine = client.cookies[SESSION]
    assert client.get("/api/v1/auth/me").status_code == 200
    out = client.post("/api/v1/auth/logout", headers={"X-CSRF-Token": login.json()["csrf_token"]})
    assert out.status_code == 204
    assert _me(client, mine) == 401


def test_logging_in_again_ends_the_session_the_browser_had(web: TestClient, world: World) -> None:
    """7.2.4: a new session secret at every login, and the session the browser came with
    ends, on the API's login and on the login form."""
    first, _ = _session(web, world)
    body = {"email": world.emails["agent_x"], "password": PASSWORD}
    again = web.post("/api/v1/auth/login", json=body, headers={"Cookie": f"{SESSION}={first}"})
    assert again.status_code == 200
    second = again.cookies[SESSION]
    assert second != first
    assert _me(web, first) == 401 and _me(web, second) == 200
    form = {**body, "csrf_token": login_csrf(web)}
    cookie = f"{SESSION}={second}; accord_login_csrf={web.cookies['accord_login_csrf']}"
    web.cookies.clear()
    signed_in = web.post("/login", data=form, headers={"Cookie": cookie}, follow_redirects=False)
    assert signed_in.status_code == 303, signed_in.text
    third = signed_in.cookies[SESSION]
    assert third != second
    assert _me(web, second) == 401 and _me(web, third) == 200


def test_staff_pages_offer_log_out_and_mask_passwords(
    web: TestClient, world: World, login_as: Login
) -> None:
    """7.4.4 (log out on every signed-in page), 6.2.6 (type=password), 6.2.7 (autocomplete
    names the password, so password managers fill it; nothing blocks paste)."""
    login = web.get("/login").text
    assert re.search(r'<input[^>]*type="password"[^>]*autocomplete="current-password"', login)
    assert not re.search(r"onpaste|oncopy|readonly", login, re.IGNORECASE)
    portal = web.get("/portal/login").text
    assert re.search(r'<input[^>]*type="password"[^>]*autocomplete="current-password"', portal)
    login_as("admin")
    pages = ["/inbox", f"/conversations/{world.conv_a}", "/supervisor", "/admin"]
    pages += [f"/admin/users/{world.users['agent_x']}", "/admin/customers"]
    for path in pages:
        response = web.get(path)
        assert response.status_code == 200, path
        assert LOGOUT_FORM in response.text, path
    people = web.get("/admin").text
    assert re.search(r'<input[^>]*type="password"[^>]*autocomplete="new-password"', people)


def test_a_fresh_install_has_no_account_to_guess(tmp_path: Path) -> None:
    """6.3.2: migrating a new database creates no user at all (no admin/admin): the first
    account is made with `accord user create` and a password the operator chooses, and the
    demo's accounts share one generated password (tests/unit/test_demo.py)."""
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    upgrade(url)
    database = Database(url)
    try:
        with database.read() as session:
            assert session.scalar(select(func.count(User.id))) == 0
            assert session.scalar(select(func.count(ApiToken.id))) == 0
    finally:
        database.dispose()


def test_no_password_hints_or_secret_questions() -> None:
    """6.4.2: nothing stores or asks for a password hint or a secret question."""
    names = set(User.__table__.columns.keys())
    for model in (UserCreate, UserUpdate, LoginIn):
        names |= set(model.model_fields)
    assert not {n for n in names if re.search(r"hint|question|answer|secret", n)}
    assert names >= {"email", "password", "password_hash"}


def test_deactivation_ends_every_browser_session_for_good(client: TestClient, world: World) -> None:
    """7.4.2: deactivating a user deletes their sessions, so reactivating them later does
    not bring an old cookie back to life."""
    secret, _ = _session(client, world, "agent_y")
    url = f"/api/v1/users/{world.users['agent_y']}"
    admin = world.headers("admin")
    assert client.patch(url, json={"is_active": False}, headers=admin).status_code == 200
    assert _me(client, secret) == 401
    assert client.patch(url, json={"is_active": True}, headers=admin).status_code == 200
    assert _me(client, secret) == 401


def test_portal_pages_offer_log_out(web: TestClient, world: World) -> None:
    """7.4.4 on the customer side: every portal page has its log-out form."""
    web.cookies.clear()
    portal_login(web, world.tokens["customer_a"])
    for path in ("/portal", "/portal/new", f"/portal/conversations/{world.conv_a}"):
        response = web.get(path)
        assert response.status_code == 200, path
        assert '<form method="post" action="/portal/logout">' in response.text, path


def test_an_unknown_email_costs_the_same_password_check(
    client: TestClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """6.3.8: an unknown email and a wrong password answer alike, in status, body and work:
    both run exactly one Argon2 verification, so timing does not tell them apart."""
    checks: list[str] = []
    original = PasswordHash.verify

    def counted(self: PasswordHash, password: str | bytes, hash: str | bytes) -> bool:
        checks.append(str(hash)[:9])
        return original(self, password, hash)

    monkeypatch.setattr(PasswordHash, "verify", counted)
    answers = []
    for email in (world.emails["admin"], "nobody@accord.example"):
        checks.clear()
        answers.append(_api_login(client, email, "not-the-password"))
        assert len(checks) == 1 and checks[0].startswith("$argon2"), email
    assert answers == [401, 401]


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The server as `accord serve` runs it (uvicorn), on an empty migrated database."""
    data_dir = tmp_path_factory.mktemp("framing")
    url = f"sqlite:///{data_dir / 'accord.db'}"
    upgrade(url)
    server = start_server(data_dir, url, password="unused")
    yield server
    server.stop()


def _exchange(server: LiveServer, raw: bytes) -> list[int]:
    """Send raw bytes on one connection; the status codes of every response read back."""
    host, port = server.base_url.removeprefix("http://").split(":")
    received = b""
    with socket.create_connection((host, int(port)), timeout=3) as sock:
        sock.sendall(raw)
        try:
            while data := sock.recv(65536):
                received += data
        except TimeoutError:
            pass
    return [int(code) for code in re.findall(rb"HTTP/1\.1 (\d{3}) ", received)]


@pytest.mark.slow
def test_the_server_frames_requests_unambiguously(live: LiveServer) -> None:
    """4.2.1: with both Transfer-Encoding and Content-Length, Content-Length is never the one
    that frames the body: the request is refused, or read as chunked so that what follows is
    a request of its own (never swallowed as body, never a desync inside Accord). Conflicting
    lengths and unknown transfer codings are refused."""
    smuggled = b"GET /api/v1/smuggled HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    body = b"0\r\n\r\n" + smuggled
    both = (
        b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Content-Length: " + str(len(body)).encode() + b"\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n" + body
    )
    codes = _exchange(live, both)
    assert codes in ([400], [422, 404]), codes
    conflicting = (
        b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
        b"Content-Length: 40\r\nConnection: close\r\n\r\n{}"
    )
    assert _exchange(live, conflicting) == [400]
    for coding in (b"xchunked", b"chunked, identity", b"gzip"):
        odd = (
            b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: "
            + coding
            + b"\r\nConnection: close\r\n\r\n0\r\n\r\n"
        )
        assert _exchange(live, odd) in ([400], [501]), coding


@pytest.mark.slow
def test_forwarded_headers_from_a_client_are_not_believed(tmp_path: Path) -> None:
    """4.1.3: X-Forwarded-For and X-Forwarded-Proto count only from the trusted proxy
    (FORWARDED_ALLOW_IPS, here an address that is not the test's): a client that sends them
    itself neither escapes the login throttle with a new address per attempt nor passes for
    HTTPS in the Origin check."""
    url = f"sqlite:///{tmp_path / 'accord.db'}"
    upgrade(url)
    server = start_server(tmp_path, url, "unused", {"FORWARDED_ALLOW_IPS": "192.0.2.1"})
    try:
        login = f"{server.base_url}/api/v1/auth/login"
        body = {"email": "someone@accord.example", "password": "not-the-password"}
        codes = [
            httpx.post(login, json=body, headers={"X-Forwarded-For": f"203.0.113.{i}"}).status_code
            for i in range(11)
        ]
        assert codes == [401] * 10 + [429]
        host = server.base_url.removeprefix("http://")
        forged = {"X-Forwarded-Proto": "https", "Origin": f"https://{host}"}
        form = {"email": "a@accord.example", "password": "x", "csrf_token": "x"}
        page = httpx.post(f"{server.base_url}/login", data=form, headers=forged)
        assert page.status_code == 403  # still http: an https Origin is another site
    finally:
        server.stop()


def test_staff_change_their_own_password_giving_the_current_one(
    client: TestClient, world: World
) -> None:
    """6.2.2 (users change their password), 6.2.3 (with the current and the new one), 7.4.3
    (every other session and token ends; the one making the change stays)."""
    email, new = world.emails["agent_x"], "a brand new passphrase"
    mine, _ = _session(client, world)
    other, _ = _session(client, world)
    client.cookies.clear()
    login = client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    making = client.cookies[SESSION]
    csrf = {"X-CSRF-Token": login.json()["csrf_token"]}
    url = "/api/v1/auth/password"
    wrong = client.post(url, json={"current_password": "guess", "new_password": new}, headers=csrf)
    assert wrong.status_code == 403
    body = {"current_password": PASSWORD, "new_password": new}
    short = client.post(url, json={**body, "new_password": "short"}, headers=csrf)
    assert short.status_code == 422
    assert client.post(url, json=body, headers=csrf).status_code == 204
    assert _me(client, making) == 200
    assert _me(client, mine) == 401 and _me(client, other) == 401
    token = {"Authorization": f"Bearer {world.tokens['agent_x']}"}
    assert client.get("/api/v1/auth/me", headers=token).status_code == 401
    assert _api_login(client, email, PASSWORD) == 401
    assert _api_login(client, email, new) == 200
    customer = world.headers("customer_a")
    assert client.post(url, json=body, headers=customer).status_code == 403


def test_wrong_current_passwords_are_throttled(client: TestClient, world: World) -> None:
    """6.3.1 on the password change: guessing the current password is throttled like logins."""
    body = {"current_password": "not-it", "new_password": "a brand new passphrase"}
    headers = world.headers("agent_y")
    codes = [
        client.post("/api/v1/auth/password", json=body, headers=headers).status_code
        for _ in range(11)
    ]
    assert codes == [403] * 10 + [429]


def test_passwords_of_only_context_words_are_refused(client: TestClient, world: World) -> None:
    """6.1.2 (the documented list, accord.auth.passwords.CONTEXT_WORDS and docs/api.md) and
    6.2.11 (used at creation, an admin's reset and one's own change): a password made only of
    Accord's words and the account's own email and name is refused; one that merely contains
    such a word is not."""
    admin = world.headers("admin")
    user = {"email": "dana.smith@accord.example", "name": "Dana Smith", "role": "agent"}
    for weak in ("Accord-Support-2025!", "helpdesk.admin.99", "dana.smith!dana", "SmithSmith12"):
        refused = client.post("/api/v1/users", json={**user, "password": weak}, headers=admin)
        assert refused.status_code == 422, weak
        assert "words tied to Accord" in refused.json()["detail"], weak
    fine = "my accord with the night owls"
    created = client.post("/api/v1/users", json={**user, "password": fine}, headers=admin)
    assert created.status_code == 201
    reset = client.patch(
        f"/api/v1/users/{world.users['agent_y']}", json={"password": "agent-agent-1"}, headers=admin
    )
    assert reset.status_code == 422
    change = {"current_password": PASSWORD, "new_password": "Supervisor2025!"}
    mine = client.post("/api/v1/auth/password", json=change, headers=world.headers("agent_x"))
    assert mine.status_code == 422


def test_common_passwords_are_refused_padded_or_not(client: TestClient, world: World) -> None:
    """6.2.4: new passwords are checked against the 30,000 most common ones (zxcvbn's ranked
    list), with the digits and symbols people pad them with to reach a length rule taken off,
    at creation, an admin's reset and one's own change."""
    admin = world.headers("admin")
    user = {"email": "lee.park@accord.example", "name": "Lee Park", "role": "agent"}
    for common in ("qwertyuiop", "1234567890", "Dragon2024!", "iloveyou2024", "Manchester2024!"):
        refused = client.post("/api/v1/users", json={**user, "password": common}, headers=admin)
        assert refused.status_code == 422, common
        assert "most common passwords" in refused.json()["detail"], common
    fine = "tangerine lighthouse 47"
    assert client.post("/api/v1/users", json={**user, "password": fine}, headers=admin).is_success
    reset = client.patch(
        f"/api/v1/users/{world.users['agent_y']}", json={"password": "baseball2023"}, headers=admin
    )
    assert reset.status_code == 422
    change = {"current_password": PASSWORD, "new_password": "sunshine!!12"}
    mine = client.post("/api/v1/auth/password", json=change, headers=world.headers("agent_x"))
    assert mine.status_code == 422


def test_an_admin_ends_every_browser_session_at_once(client: TestClient, world: World) -> None:
    """7.4.5 for all users (one user: deactivation or a password reset): DELETE
    /api/v1/sessions ends every browser session but the admin's own; tokens stay."""
    agent, _ = _session(client, world, "agent_x")
    supervisor, _ = _session(client, world, "supervisor")
    client.cookies.clear()
    login = client.post(
        "/api/v1/auth/login", json={"email": world.emails["admin"], "password": PASSWORD}
    )
    own = client.cookies[SESSION]
    csrf = {"X-CSRF-Token": login.json()["csrf_token"]}
    refused = client.delete("/api/v1/sessions", headers=world.headers("supervisor"))
    assert refused.status_code == 403
    ended = client.delete("/api/v1/sessions", headers=csrf)
    assert ended.status_code == 200 and ended.json()["ended"] >= 2
    assert _me(client, agent) == 401 and _me(client, supervisor) == 401
    assert _me(client, own) == 200
    token = {"Authorization": f"Bearer {world.tokens['agent_x']}"}
    assert client.get("/api/v1/auth/me", headers=token).status_code == 200


def _set_cookies(response: httpx.Response) -> dict[str, str]:
    """name -> the whole Set-Cookie header of each cookie a response sets."""
    headers = response.headers.get_list("set-cookie")
    return {header.split("=", 1)[0]: header for header in headers}


def _attributes(header: str) -> set[str]:
    return {part.strip().split("=", 1)[0].lower() for part in header.split(";")[1:]}


def test_over_https_every_cookie_is_secure_and_prefixed(
    settings: Settings, db: Database, world: World
) -> None:
    """3.3.1 (Secure, and the __Host- or __Secure- prefix) and 3.3.3 (__Host- on the session
    cookie: Path=/, no Domain), on the staff login form, the API's login, the portal's."""
    with TestClient(create_app(settings, database=db), base_url="https://testserver") as https:
        form = _set_cookies(https.get("/login"))
        csrf = _attributes(form["__Secure-accord_login_csrf"])
        assert {"secure", "httponly", "path"} <= csrf and "domain" not in csrf
        body = {"email": world.emails["agent_x"], "password": PASSWORD}
        api = _set_cookies(https.post("/api/v1/auth/login", json=body))
        session = api["__Host-accord_session"]
        assert {"secure", "httponly"} <= _attributes(session) and "domain" not in session.lower()
        assert "path=/;" in session.lower() + ";"
        assert https.get("/api/v1/auth/me").status_code == 200
        https.cookies.clear()
        https.get("/portal/login")
        data = {
            "code": world.tokens["customer_a"],
            "csrf_token": https.cookies["__Secure-accord_portal_login"],
        }
        portal = https.post("/portal/login", data=data, follow_redirects=False)
        assert portal.status_code == 303, portal.text
        cookies = _set_cookies(portal)
        assert "secure" in _attributes(cookies["__Secure-accord_portal"])
        assert "secure" in _attributes(cookies["__Secure-accord_portal_login"])  # the spent token


def test_over_https_a_cookie_without_the_prefix_is_not_ours(
    settings: Settings, db: Database, world: World, client: TestClient
) -> None:
    """3.3.1: a valid session secret tossed in under the bare name (as a sibling host or a
    plain-HTTP page could set it) opens nothing over HTTPS; under its own name it does."""
    secret, _ = _session(client, world)
    with TestClient(create_app(settings, database=db), base_url="https://testserver") as https:
        https.cookies.set(SESSION, secret)
        assert https.get("/api/v1/auth/me").status_code == 401
        https.cookies.clear()
        https.cookies.set(f"__Host-{SESSION}", secret)
        assert https.get("/api/v1/auth/me").status_code == 200


def test_a_tls_proxy_makes_every_cookie_secure() -> None:
    """3.3.1: behind a TLS-terminating proxy (ACCORD_TLS_PROXY) cookies are Secure and
    prefixed even when the proxy reaches Accord over plain HTTP."""
    assert Settings(tls_proxy=True).cookie_secure is True
    assert Settings().cookie_secure is False  # plain HTTP on loopback: browsers drop Secure


def test_users_see_their_sessions_and_end_one_after_re_authenticating(
    web: TestClient, world: World
) -> None:
    """7.5.2: a user lists their live browser sessions (which is this one, the browser, where
    from, when last used) and ends another after giving their password again; someone else's
    session is not theirs to see or end."""
    elsewhere, _ = _session(web, world)
    other_user, _ = _session(web, world, "agent_y")
    body = {"email": world.emails["agent_x"], "password": PASSWORD}
    here = web.post("/api/v1/auth/login", json=body, headers={"User-Agent": "Firefox/140"})
    headers = {"X-CSRF-Token": here.json()["csrf_token"]}
    listed = web.get("/api/v1/auth/sessions").json()
    assert len(listed) == 2 and sum(s["current"] for s in listed) == 1
    current = next(s for s in listed if s["current"])
    assert current["user_agent"] == "Firefox/140" and current["address"]
    assert "session_hash" not in current and "csrf_token" not in current
    other = next(s for s in listed if not s["current"])
    end = f"/api/v1/auth/sessions/{other['id']}/end"
    wrong = web.post(end, json={"password": "not it"}, headers=headers)
    assert wrong.status_code == 403 and _me_keeping(web, elsewhere) == 200
    assert web.post(end, json={"password": PASSWORD}, headers=headers).status_code == 204
    assert _me_keeping(web, elsewhere) == 401
    assert len(web.get("/api/v1/auth/sessions").json()) == 1
    theirs = web.post("/api/v1/auth/logout", headers=headers)  # sign out, then as agent_y
    assert theirs.status_code == 204
    web.cookies.set(SESSION, other_user)
    mine = web.get("/api/v1/auth/sessions").json()
    assert [s["id"] for s in mine] != [current["id"]]
    csrf = {"X-CSRF-Token": web.get("/inbox").text.split('"X-CSRF-Token": "')[1].split('"')[0]}
    foreign = web.post(
        f"/api/v1/auth/sessions/{current['id']}/end", json={"password": PASSWORD}, headers=csrf
    )
    assert foreign.status_code == 404


def _me_keeping(web: TestClient, secret: str) -> int:
    """`/auth/me` with `secret`, then the client's own cookies as they were."""
    kept = dict(web.cookies)
    status = _me(web, secret)
    for name, value in kept.items():
        web.cookies.set(name, value)
    return status
