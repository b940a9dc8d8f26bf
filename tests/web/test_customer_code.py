"""Issue 15: "Issue portal access code" on the conversation page (TestClient, real database).

Only staff who see every conversation of the customer get the control (the rule of
`POST /api/v1/customers/{id}/tokens`); the code is shown once, works on the portal, is never
cached, and issuing it is in the audit trail with who issued it for which customer.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi.testclient import TestClient

from tests.web.conftest import portal_login
from tests.world import World

Login = Callable[[str], str]
BUTTON = "Issue portal access code"


def _code(html: str) -> str:
    found = re.search(r'id="issued-code"[^>]*value="(acc_[^"]+)"', html)
    assert found, html
    return found.group(1)


def _team_y_conversation_for_a(web: TestClient, w: World) -> None:
    body = {"subject": "Refund", "customer_id": w.customer_a, "team_id": w.team_y}
    body["message"] = {"text": "Where is my refund?"}
    opened = web.post("/api/v1/conversations", json=body, headers=w.headers("admin"))
    assert opened.status_code == 201, opened.text


def test_an_agent_issues_a_code_that_opens_the_portal_once_shown(
    web: TestClient, world: World, login_as: Login
) -> None:
    csrf = login_as("agent_x")
    base = f"/conversations/{world.conv_a}"
    page = web.get(base).text
    assert BUTTON in page and 'id="issued-code"' not in page
    url = f"{base}/customer-code"
    assert web.post(url, data={"days": "30"}).status_code == 403  # no CSRF token
    hx = {"X-CSRF-Token": csrf, "HX-Request": "true"}
    done = web.post(url, data={"days": "30"}, headers=hx)
    assert done.status_code == 200, done.text
    assert 'id="customer-code"' in done.text and "/portal/login" in done.text
    assert "no-store" in done.headers["cache-control"]
    code = _code(done.text)
    assert 'id="issued-code"' not in web.get(base).text  # shown once, never again

    events = web.get("/api/v1/events?limit=500", headers=world.headers("admin")).json()
    issued = [e for e in events if e["kind"] == "token.created" and e["data"]["customer_id"]]
    assert [(e["actor_user_id"], e["data"]["customer_id"]) for e in issued][-1] == (
        world.users["agent_x"],
        world.customer_a,
    )

    web.cookies.clear()
    portal_login(web, code)
    assert "Broken lamp" in web.get("/portal").text


def test_without_javascript_the_page_shows_the_code(
    web: TestClient, world: World, login_as: Login
) -> None:
    csrf = login_as("supervisor")
    done = web.post(
        f"/conversations/{world.conv_a}/customer-code",
        data={"days": "7", "csrf_token": csrf},
        follow_redirects=False,
    )
    assert done.status_code == 200 and "<html" in done.text
    assert _code(done.text).startswith("acc_")


def test_no_code_for_an_agent_who_does_not_see_all_of_the_customers_conversations(
    web: TestClient, world: World, login_as: Login
) -> None:
    _team_y_conversation_for_a(web, world)
    csrf = login_as("agent_x")
    base = f"/conversations/{world.conv_a}"
    assert BUTTON not in web.get(base).text
    hx = {"X-CSRF-Token": csrf, "HX-Request": "true"}
    refused = web.post(f"{base}/customer-code", data={"days": "30"}, headers=hx)
    assert refused.status_code == 403 and "acc_" not in refused.text
    login_as("supervisor")
    assert BUTTON in web.get(base).text
