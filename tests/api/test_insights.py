"""Every stored message is analysed in the same transaction; staff read it, customers do not."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient

from accord.analysis.conversation_heat import HALF_LIFE_HOURS
from accord.core.clock import FixedClock, utcnow
from accord.db.engine import Database
from accord.insights.service import cool
from tests.world import World

BASE = "/api/v1/conversations"
ANGRY = (
    "This is the THIRD time I'm writing: you charged my card twice for order 4471. "
    "Refund the duplicate today or I cancel my account and tell everyone on Twitter."
)


def _open(client: TestClient, w: World, text: str) -> dict[str, Any]:
    body = {"subject": "Card charged twice", "message": {"text": text}}
    response = client.post(BASE, json=body, headers=w.headers("customer_a"))
    assert response.status_code == 201, response.text
    return dict(response.json())


def _say(client: TestClient, w: World, conv: int, who: str, text: str) -> None:
    response = client.post(f"{BASE}/{conv}/messages", json={"text": text}, headers=w.headers(who))
    assert response.status_code == 201, response.text


def test_an_angry_message_is_analysed_with_its_evidence(client: TestClient, world: World) -> None:
    conv = _open(client, world, ANGRY)["id"]
    analysis = client.get(f"{BASE}/{conv}/analysis", headers=world.headers("supervisor")).json()
    [message] = analysis["messages"]
    result = message["result"]
    assert message["role"] == "customer" and result["heat"] >= 60
    names = {s["name"] for s in result["signals"]}
    assert {"repeat_contact", "churn_threat", "public_exposure"} <= names
    for signal in result["signals"]:
        for span in signal["evidence"]:
            assert ANGRY[span["start"] : span["end"]] == span["text"]
    assert result["remedy"] == "refund"
    summary = analysis["conversation"]
    assert summary["topic"] == "billing and payments"
    assert summary["heat_series"] == [result["heat"]]


def test_the_conversation_keeps_the_topic_the_customer_opened_with(
    client: TestClient, world: World
) -> None:
    conv = _open(client, world, ANGRY)["id"]
    _say(client, world, conv, "agent_x", "I'm sorry, I have refunded the duplicate charge.")
    _say(client, world, conv, "customer_a", "I can log in to my account and see it, thanks.")
    _say(client, world, conv, "customer_a", "My account password works again too.")
    detail = client.get(f"{BASE}/{conv}", headers=world.headers("agent_x")).json()
    insight = detail["insight"]
    assert insight["topic"] == "billing and payments"
    assert len(insight["heat_series"]) == 4
    assert insight["heat"] < insight["peak_heat"]
    assert insight["trajectory"] == "de-escalating"


def test_internal_notes_are_not_analysed(client: TestClient, world: World) -> None:
    conv = _open(client, world, ANGRY)["id"]
    note = {"text": "Customer is furious, handle with care", "direction": "note"}
    response = client.post(f"{BASE}/{conv}/messages", json=note, headers=world.headers("agent_x"))
    assert response.status_code == 201, response.text
    analysis = client.get(f"{BASE}/{conv}/analysis", headers=world.headers("agent_x")).json()
    assert [m["role"] for m in analysis["messages"]] == ["customer"]


def test_listing_filters_on_signals_and_topics(client: TestClient, world: World) -> None:
    hot = _open(client, world, ANGRY)["id"]
    calm = _open(client, world, "Could you tell me your opening hours on Sunday?")["id"]
    staff = world.headers("supervisor")

    def ids(**query: str) -> set[int]:
        response = client.get(BASE, params=query, headers=staff)
        assert response.status_code == 200, response.text
        return {c["id"] for c in response.json()["items"]}

    assert hot in ids(signal="churn_threat") and calm not in ids(signal="churn_threat")
    assert hot in ids(topic="billing and payments") and calm not in ids(
        topic="billing and payments"
    )
    bad = client.get(BASE, params={"signal": "x' OR 1=1 --"}, headers=staff)
    assert bad.status_code == 422


def test_customers_see_neither_the_analysis_nor_the_heat(client: TestClient, world: World) -> None:
    conv = _open(client, world, ANGRY)["id"]
    own = client.get(f"{BASE}/{conv}", headers=world.headers("customer_a")).json()
    assert own.get("insight") is None
    denied = client.get(f"{BASE}/{conv}/analysis", headers=world.headers("customer_a"))
    assert denied.status_code in (403, 404)


def test_a_new_message_reuses_the_stored_analysis_of_earlier_ones(
    client: TestClient, world: World, db: Any
) -> None:
    from sqlalchemy import select

    from accord.inbox.models import Conversation
    from accord.insights.models import MessageInsight
    from accord.insights.service import analyse_conversation

    conv = _open(client, world, ANGRY)["id"]
    with db.write() as session:  # mark the stored result: a recomputation would overwrite it
        row = session.scalars(select(MessageInsight).where(MessageInsight.conversation_id == conv))
        first = row.one()
        first.result = {**first.result, "heat": 12.5}
    _say(client, world, conv, "agent_x", "I'm sorry, I have refunded the duplicate charge.")
    series = client.get(f"{BASE}/{conv}", headers=world.headers("agent_x")).json()["insight"]
    assert series["heat_series"][0] == 12.5
    with db.write() as session:
        refreshed = analyse_conversation(session, session.get(Conversation, conv), refresh=True)
        assert refreshed is not None and refreshed.heat_series[0] > 50


def test_the_agents_reply_never_lowers_the_conversations_heat(
    client: TestClient, world: World, db: Database, clock: FixedClock
) -> None:
    conv = _open(client, world, ANGRY)["id"]
    staff = world.headers("supervisor")
    hot = client.get(f"{BASE}/{conv}", headers=staff).json()["insight"]
    _say(client, world, conv, "agent_x", "Thank you for your patience, I am looking into it now.")
    after = client.get(f"{BASE}/{conv}", headers=staff).json()["insight"]
    assert after["heat"] == hot["heat"] >= 60
    assert len(after["heat_series"]) == 2
    why = client.get(f"{BASE}/{conv}/analysis", headers=staff).json()["conversation"]["heat_why"]
    first = client.get(f"{BASE}/{conv}/analysis", headers=staff).json()["messages"][0]
    assert why["driver"]["message_id"] == first["message_id"]
    assert why["driver"]["parts"]["signals"] > 0
    assert {e["signal"] for e in why["driver"]["evidence"]} >= {"churn_threat", "public_exposure"}
    clock.advance(timedelta(hours=HALF_LIFE_HOURS))
    with db.write() as session:
        assert cool(session, utcnow()) >= 1
    cooled = client.get(f"{BASE}/{conv}", headers=staff).json()["insight"]
    assert abs(cooled["heat"] - hot["heat"] / 2) <= 0.1
    assert cooled["heat_why"]["decay"] == 0.5


def test_the_customers_thanks_cools_the_conversation(client: TestClient, world: World) -> None:
    conv = _open(client, world, ANGRY)["id"]
    staff = world.headers("supervisor")
    hot = client.get(f"{BASE}/{conv}", headers=staff).json()["insight"]["heat"]
    _say(client, world, conv, "customer_a", "Thanks, the refund arrived and that solved it.")
    insight = client.get(f"{BASE}/{conv}", headers=staff).json()["insight"]
    assert insight["heat"] < hot * 0.8
    assert insight["heat_why"]["relief"] is not None
