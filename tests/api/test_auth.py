"""Browser sessions (cookie + CSRF), bearer tokens, revocation and deactivation."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.world import PASSWORD, World


def _login(client: TestClient, w: World, who: str = "agent_x") -> str:
    response = client.post(
        "/api/v1/auth/login", json={"email": w.emails[who], "password": PASSWORD}
    )
    assert response.status_code == 200, response.text
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    return str(response.json()["csrf_token"])


def test_session_cookie_reads_without_csrf_and_writes_with_it(
    client: TestClient, world: World
) -> None:
    csrf = _login(client, world)
    assert client.get("/api/v1/auth/me").json()["user"]["email"] == world.emails["agent_x"]
    url = f"/api/v1/conversations/{world.conv_a}/messages"
    refused = client.post(url, json={"text": "no csrf"})
    assert refused.status_code == 403 and refused.json()["code"] == "csrf_failed"
    wrong = client.post(url, json={"text": "bad csrf"}, headers={"X-CSRF-Token": "guess"})
    assert wrong.status_code == 403
    ok = client.post(url, json={"text": "with csrf"}, headers={"X-CSRF-Token": csrf})
    assert ok.status_code == 201


def test_logout_ends_the_session(client: TestClient, world: World) -> None:
    csrf = _login(client, world)
    assert client.post("/api/v1/auth/logout", headers={"X-CSRF-Token": csrf}).status_code == 204
    assert client.get("/api/v1/auth/me").status_code == 401


def test_personal_tokens_can_be_created_listed_and_revoked(
    client: TestClient, world: World
) -> None:
    h = world.headers("agent_y")
    created = client.post("/api/v1/tokens", json={"name": "laptop"}, headers=h).json()
    token = {"Authorization": f"Bearer {created['token']}"}
    assert client.get("/api/v1/auth/me", headers=token).status_code == 200
    listed = client.get("/api/v1/tokens", headers=h).json()
    assert created["id"] in {t["id"] for t in listed}
    assert all("token" not in t and "token_hash" not in t for t in listed)
    assert client.delete(f"/api/v1/tokens/{created['id']}", headers=h).status_code == 200
    assert client.get("/api/v1/auth/me", headers=token).status_code == 401


def test_deactivating_a_user_revokes_access(client: TestClient, world: World) -> None:
    url = f"/api/v1/users/{world.users['agent_x']}"
    off = client.patch(url, json={"is_active": False}, headers=world.headers("admin"))
    assert off.status_code == 200
    assert client.get("/api/v1/conversations", headers=world.headers("agent_x")).status_code == 401
    login = client.post(
        "/api/v1/auth/login", json={"email": world.emails["agent_x"], "password": PASSWORD}
    )
    assert login.status_code == 401


def test_customer_tokens_act_as_that_customer(client: TestClient, world: World) -> None:
    made = client.post(
        f"/api/v1/customers/{world.customer_b}/tokens", json={}, headers=world.headers("agent_y")
    ).json()
    h = {"Authorization": f"Bearer {made['token']}"}
    me = client.get("/api/v1/auth/me", headers=h).json()
    assert me == {"kind": "customer", "user": None, "customer_id": world.customer_b}


def test_admin_creates_users_that_can_log_in(client: TestClient, world: World) -> None:
    body = {
        "email": "New.Agent@Accord.example",
        "name": "New Agent",
        "role": "agent",
        "password": "a-long-password",
        "team_ids": [world.team_x],
    }
    created = client.post("/api/v1/users", json=body, headers=world.headers("admin"))
    assert created.status_code == 201 and created.json()["team_ids"] == [world.team_x]
    dup = client.post("/api/v1/users", json=body, headers=world.headers("admin"))
    assert dup.status_code == 409
    login = client.post(
        "/api/v1/auth/login",
        json={"email": "new.agent@accord.example", "password": "a-long-password"},
    )
    assert login.status_code == 200
    short = client.post(
        "/api/v1/users",
        json={**body, "email": "x@accord.example", "password": "short"},
        headers=world.headers("admin"),
    )
    assert short.status_code == 422


def test_security_headers_on_every_response(client: TestClient) -> None:
    for response in (client.get("/api/v1/health"), client.get("/api/v1/nope")):
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
        assert "default-src 'none'" in response.headers["content-security-policy"]


def test_repeated_failed_logins_are_throttled(client: TestClient, world: World) -> None:
    wrong = {"email": world.emails["agent_y"], "password": "not-the-password"}
    codes = [client.post("/api/v1/auth/login", json=wrong).status_code for _ in range(11)]
    assert codes == [401] * 10 + [429]
    right = {"email": world.emails["agent_y"], "password": PASSWORD}
    blocked = client.post("/api/v1/auth/login", json=right)
    assert blocked.status_code == 429 and blocked.json()["code"] == "rate_limited"
    other = {"email": world.emails["agent_x"], "password": PASSWORD}
    assert client.post("/api/v1/auth/login", json=other).status_code == 200


def test_the_last_active_admin_cannot_be_demoted(client: TestClient, world: World) -> None:
    admin = world.users["admin"]
    demoted = client.patch(
        f"/api/v1/users/{admin}", json={"role": "agent"}, headers=world.headers("admin")
    )
    assert demoted.status_code == 409 and "last active admin" in demoted.text
    assert (
        client.get(f"/api/v1/users/{admin}", headers=world.headers("admin")).json()["role"]
        == "admin"
    )


def test_a_customer_cannot_revoke_another_customers_code(client: TestClient, world: World) -> None:
    """Issue 15: customer tokens have no user_id, so None == None passed the owner check."""
    victim = world.token_ids["customer_a"]
    for attacker in ("customer_b", "agent_x", "agent_y", "supervisor"):
        refused = client.delete(f"/api/v1/tokens/{victim}", headers=world.headers(attacker))
        assert refused.status_code == 404, (attacker, refused.text)
        assert "prefix" not in refused.text and world.tokens["customer_a"][:10] not in refused.text
    me = client.get("/api/v1/auth/me", headers=world.headers("customer_a"))
    assert me.status_code == 200 and me.json()["customer_id"] == world.customer_a
    staff_token = world.token_ids["agent_x"]
    assert (
        client.delete(
            f"/api/v1/tokens/{staff_token}", headers=world.headers("customer_b")
        ).status_code
        == 404
    )


def test_a_code_is_revoked_by_its_customer_or_an_admin(client: TestClient, world: World) -> None:
    own = client.delete(
        f"/api/v1/tokens/{world.token_ids['customer_a']}", headers=world.headers("customer_a")
    )
    assert own.status_code == 200 and own.json()["revoked_at"] is not None
    assert client.get("/api/v1/auth/me", headers=world.headers("customer_a")).status_code == 401
    by_admin = client.delete(
        f"/api/v1/tokens/{world.token_ids['customer_b']}", headers=world.headers("admin")
    )
    assert by_admin.status_code == 200
    assert client.get("/api/v1/auth/me", headers=world.headers("customer_b")).status_code == 401


NEW_PASSWORD = "a-brand-new-password"


def _session(client: TestClient, w: World, who: str) -> tuple[str, str]:
    """Log in with a cookie; returns (cookie secret, CSRF token) and leaves the jar empty."""
    csrf = _login(client, w, who)
    secret = client.cookies["accord_session"]
    client.cookies.clear()
    return secret, csrf


def _me(client: TestClient, cookie: str | None = None, token: str | None = None) -> int:
    client.cookies.clear()
    if cookie is not None:
        client.cookies.set("accord_session", cookie)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    status = client.get("/api/v1/auth/me", headers=headers).status_code
    client.cookies.clear()
    return status


def test_an_admin_password_reset_ends_the_users_sessions_and_tokens(
    client: TestClient, world: World
) -> None:
    cookie, _csrf = _session(client, world, "agent_x")
    token = world.tokens["agent_x"]
    assert _me(client, cookie=cookie) == 200 and _me(client, token=token) == 200
    url = f"/api/v1/users/{world.users['agent_x']}"
    reset = client.patch(url, json={"password": NEW_PASSWORD}, headers=world.headers("admin"))
    assert reset.status_code == 200, reset.text
    assert _me(client, cookie=cookie) == 401
    assert _me(client, token=token) == 401
    assert _me(client, token=world.tokens["admin"]) == 200  # the admin's own token is untouched
    login = {"email": world.emails["agent_x"], "password": NEW_PASSWORD}
    assert client.post("/api/v1/auth/login", json=login).status_code == 200


def test_your_own_password_change_keeps_only_the_session_making_it(
    client: TestClient, world: World
) -> None:
    mine, csrf = _session(client, world, "admin")
    other, _ = _session(client, world, "admin")
    client.cookies.set("accord_session", mine)
    url = f"/api/v1/users/{world.users['admin']}"
    changed = client.patch(url, json={"password": NEW_PASSWORD}, headers={"X-CSRF-Token": csrf})
    assert changed.status_code == 200, changed.text
    assert _me(client, cookie=mine) == 200
    assert _me(client, cookie=other) == 401
    assert _me(client, token=world.tokens["admin"]) == 401


def test_a_password_change_made_with_a_token_keeps_that_token(
    client: TestClient, world: World
) -> None:
    cookie, _ = _session(client, world, "admin")
    extra = client.post("/api/v1/tokens", json={"name": "ci"}, headers=world.headers("admin"))
    url = f"/api/v1/users/{world.users['admin']}"
    changed = client.patch(url, json={"password": NEW_PASSWORD}, headers=world.headers("admin"))
    assert changed.status_code == 200, changed.text
    assert _me(client, token=world.tokens["admin"]) == 200
    assert _me(client, token=extra.json()["token"]) == 401
    assert _me(client, cookie=cookie) == 401


def test_renaming_a_user_ends_nothing(client: TestClient, world: World) -> None:
    cookie, _ = _session(client, world, "agent_x")
    url = f"/api/v1/users/{world.users['agent_x']}"
    assert client.patch(url, json={"name": "X"}, headers=world.headers("admin")).status_code == 200
    assert _me(client, cookie=cookie) == 200 and _me(client, token=world.tokens["agent_x"]) == 200
