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
