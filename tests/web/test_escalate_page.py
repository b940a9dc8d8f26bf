"""The conversation page's "Escalate to a supervisor" control (TestClient)."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from tests.world import World

Login = Callable[[str], str]


def test_an_agent_escalates_from_the_conversation_page(
    web: TestClient, world: World, login_as: Login
) -> None:
    csrf = login_as("agent_x")
    base = f"/conversations/{world.conv_a}"
    page = web.get(base).text
    assert '<label for="escalate-reason">' in page and 'id="escalate-reason"' in page
    assert web.post(f"{base}/escalate", data={"reason": "no token"}).status_code == 403
    hx = {"X-CSRF-Token": csrf, "HX-Request": "true"}
    reason = "Wants <b>compensation</b> I cannot approve"
    done = web.post(f"{base}/escalate", data={"reason": reason}, headers=hx)
    assert done.status_code == 200 and 'id="conversation"' in done.text
    assert "escalated, level 1" in done.text
    assert "Why escalated: Wants &lt;b&gt;compensation&lt;/b&gt; I cannot approve" in done.text
    assert "<b>compensation" not in done.text
    empty = web.post(f"{base}/escalate", data={"reason": ""}, headers=hx)
    assert empty.status_code == 422 and empty.headers["hx-retarget"] == "#alerts"
    plain = web.post(
        f"{base}/escalate",
        data={"reason": "again", "csrf_token": csrf},
        follow_redirects=False,
    )
    assert plain.status_code == 303 and plain.headers["location"] == base

    login_as("supervisor")
    board = web.get("/supervisor").text
    assert f'<tr data-conversation="{world.conv_a}">' in board and "L2" in board


def test_a_closed_conversation_offers_no_escalation(
    web: TestClient, world: World, login_as: Login
) -> None:
    admin = world.headers("admin")
    current = web.get(f"/api/v1/conversations/{world.conv_a}", headers=admin)
    web.patch(
        f"/api/v1/conversations/{world.conv_a}",
        json={"status": "closed"},
        headers={**admin, "If-Match": current.headers["ETag"]},
    )
    login_as("agent_x")
    assert "escalate-reason" not in web.get(f"/conversations/{world.conv_a}").text
