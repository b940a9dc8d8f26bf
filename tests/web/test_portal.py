"""The customer portal and the chat widget's endpoints (TestClient)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.web.conftest import portal_login, portal_login_csrf
from tests.world import World


def test_a_customer_signs_in_and_sees_only_their_own_conversations(
    web: TestClient, world: World
) -> None:
    assert (
        web.get("/portal", follow_redirects=False).headers["location"].startswith("/portal/login")
    )
    csrf = portal_login(web, world.tokens["customer_a"])
    assert web.cookies.get("accord_portal") is not None
    home = web.get("/portal").text
    assert f'href="/portal/conversations/{world.conv_a}"' in home
    assert f'href="/portal/conversations/{world.conv_b}"' not in home
    page = web.get(f"/portal/conversations/{world.conv_a}").text
    assert "Broken lamp: please help." in page and "looking into it now" in page
    assert "check the warehouse" not in page, "internal notes never reach the customer"
    assert web.get(f"/portal/conversations/{world.conv_b}").status_code == 404
    reply = {"text": "<script>window.__xss=1</script> still broken", "csrf_token": csrf}
    sent = web.post(
        f"/portal/conversations/{world.conv_a}/messages", data=reply, follow_redirects=False
    )
    assert sent.status_code == 303
    page = web.get(f"/portal/conversations/{world.conv_a}").text
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt; still broken" in page
    assert "<script>window.__xss" not in page
    new = {"subject": "Missing screws", "text": "Two screws are missing.", "csrf_token": csrf}
    opened = web.post("/portal/conversations", data=new, follow_redirects=False)
    assert opened.status_code == 303
    assert "Two screws are missing." in web.get(opened.headers["location"]).text
    staff = web.get(
        f"/api/v1/conversations/{world.conv_a}/messages", headers=world.headers("admin")
    )
    assert staff.json()[-1]["direction"] == "inbound"


def test_portal_state_changes_need_the_csrf_token_and_this_site(
    web: TestClient, world: World
) -> None:
    csrf = portal_login(web, world.tokens["customer_a"])
    url = f"/portal/conversations/{world.conv_a}/messages"
    assert web.post(url, data={"text": "no token"}).status_code == 403
    assert web.post(url, data={"text": "forged", "csrf_token": "x" * 64}).status_code == 403
    cross = {"Origin": "https://evil.example", "X-CSRF-Token": csrf}
    assert web.post(url, data={"text": "cross-site"}, headers=cross).status_code == 403
    out = web.post("/portal/logout", data={"csrf_token": csrf}, follow_redirects=False)
    assert out.status_code == 303
    assert web.get("/portal", follow_redirects=False).status_code == 303


def test_only_a_customer_access_code_opens_the_portal(web: TestClient, world: World) -> None:
    for code in ("acc_not-a-real-code", world.tokens["agent_x"]):
        data = {"code": code, "csrf_token": portal_login_csrf(web)}
        refused = web.post("/portal/login", data=data, follow_redirects=False)
        assert refused.status_code == 401 and "not valid" in refused.text
    stale = web.post("/portal/login", data={"code": world.tokens["customer_a"]})
    assert stale.status_code == 400, "no login form token, no sign-in"
    web.cookies.clear()
    data = {"code": world.tokens["customer_a"], "csrf_token": portal_login_csrf(web)}
    data["next"] = "//evil.example/portal"
    response = web.post("/portal/login", data=data, follow_redirects=False)
    assert response.headers["location"] == "/portal"


def test_the_widget_continues_the_open_conversation_over_cors(
    web: TestClient, world: World
) -> None:
    customer = world.headers("customer_a")
    assert web.get("/widget/v1/conversation").status_code == 401
    staff = web.get("/widget/v1/conversation", headers=world.headers("agent_x"))
    assert staff.status_code == 403
    state = web.get("/widget/v1/conversation", headers=customer)
    assert state.headers["access-control-allow-origin"] == "*"
    assert state.json()["conversation_id"] == world.conv_a
    assert [m["mine"] for m in state.json()["messages"]] == [True, False]
    sent = web.post("/widget/v1/messages", json={"text": "Hi from the shop"}, headers=customer)
    assert sent.status_code == 200
    assert sent.json()["messages"][-1] == {
        **sent.json()["messages"][-1],
        "mine": True,
        "author": "You",
        "text": "Hi from the shop",
    }
    preflight = web.options(
        "/widget/v1/messages",
        headers={"Origin": "https://shop.example", "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status_code == 204
    assert "authorization" in preflight.headers["access-control-allow-headers"]
    assert "access-control-allow-origin" not in web.get("/login").headers


def test_the_widget_opens_a_conversation_when_none_is_open(web: TestClient, world: World) -> None:
    admin = world.headers("admin")
    current = web.get(f"/api/v1/conversations/{world.conv_b}", headers=admin)
    web.patch(
        f"/api/v1/conversations/{world.conv_b}",
        json={"status": "closed"},
        headers={**admin, "If-Match": current.headers["ETag"]},
    )
    customer = world.headers("customer_b")
    assert web.get("/widget/v1/conversation", headers=customer).json()["conversation_id"] is None
    state = web.post("/widget/v1/messages", json={"text": "My sofa is late"}, headers=customer)
    opened = state.json()["conversation_id"]
    assert opened not in (None, world.conv_b)
    row = web.get(f"/api/v1/conversations/{opened}", headers=admin).json()
    assert row["channel"] == "webchat" and row["subject"] == "Chat: My sofa is late"
