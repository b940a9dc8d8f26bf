"""The reply coach over the REST API (SQLite, and PostgreSQL with ACCORD_TEST_POSTGRES_URL)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from accord.api.app import create_app
from accord.cases.playbook.detectors import sentences
from accord.coach import service
from accord.core.principal import SYSTEM
from accord.db.engine import Database
from accord.settings import Settings
from tests.unit.coach.fake_llm import FakeLlm
from tests.unit.coach.test_llm import PAYLOADS
from tests.world import World

BASE = "/api/v1/conversations"
ANGRY = "You idiots charged me twice for order 55123 and nobody answers. Refund me today!"
GOOD = (
    "Hi, thank you for writing. I can imagine how frustrating it is to be charged twice for "
    "order 55123, and I'm so sorry - that was our mistake. Please keep this conversation "
    "respectful so I can help you. I can offer you a full refund of the second charge or a $20 "
    "credit. Would you prefer the refund or the credit? I will process it today and you will "
    "see it within 2 business days. If there is anything else I can help with, just reply here."
)


def _open(client: TestClient, w: World, text: str = ANGRY) -> int:
    body = {"subject": "Charged twice", "message": {"text": text}}
    response = client.post(BASE, json=body, headers=w.headers("customer_a"))
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def _review(client: TestClient, w: World, conv: int, draft: str, who: str = "supervisor") -> Any:
    return client.post(f"{BASE}/{conv}/coach/review", json={"draft": draft}, headers=w.headers(who))


def test_review_scores_a_draft_in_the_conversations_situation(
    client: TestClient, world: World
) -> None:
    conv = _open(client, world)
    good = _review(client, world, conv, GOOD)
    assert good.status_code == 200, good.text
    body = good.json()
    assert body["score"] >= 90
    assert any("abusive" in fact for fact in body["situation"])
    statuses = {f["criterion"]: f["status"] for f in body["findings"]}
    assert statuses["boundary"] == "met" and statuses["apology"] == "met"
    for finding in body["findings"]:
        for span in finding["evidence"]:
            assert GOOD[span["start"] : span["end"]] == span["text"]
    bad = _review(client, world, conv, "Calm down. You should have read the terms.").json()
    assert bad["score"] < 30
    violated = {f["criterion"] for f in bad["findings"] if f["status"] == "violated"}
    assert {"dismissive", "blame"} <= violated
    assert all(f["suggestion"] for f in bad["findings"] if f["status"] != "met")


def test_drafts_score_high_and_the_next_variant_repeats_nothing(
    client: TestClient, world: World
) -> None:
    conv = _open(client, world)
    url, headers = f"{BASE}/{conv}/coach/draft", world.headers("supervisor")
    first = client.post(url, json={"tone": "formal"}, headers=headers)
    assert first.status_code == 200, first.text
    one = first.json()
    assert one["review"]["score"] >= 90 and "55123" in one["text"]
    assert one["text"].startswith("Dear Customer A,")  # the world's customer has no first name
    two = client.post(
        url, json={"tone": "formal", "variant": one["next_variant"]}, headers=headers
    ).json()
    assert two["review"]["score"] >= 90
    first_sentences = {s.text for s in sentences(one["text"])}
    assert not first_sentences & {s.text for s in sentences(two["text"])}


def test_the_coach_is_for_staff_who_can_see_the_conversation(
    client: TestClient, world: World
) -> None:
    conv = world.conv_b  # team Y's
    assert _review(client, world, conv, GOOD, who="agent_y").status_code == 200
    assert _review(client, world, conv, GOOD, who="agent_x").status_code == 404
    assert _review(client, world, conv, GOOD, who="customer_b").status_code == 403
    anonymous = client.post(f"{BASE}/{conv}/coach/review", json={"draft": GOOD})
    assert anonymous.status_code == 401


def test_bad_requests_are_problems(client: TestClient, world: World) -> None:
    conv = _open(client, world)
    empty = _review(client, world, conv, "")
    assert empty.status_code == 422 and empty.json()["code"] == "validation_failed"
    tone = client.post(
        f"{BASE}/{conv}/coach/draft", json={"tone": "rude"}, headers=world.headers("admin")
    )
    assert tone.status_code == 422
    missing = _review(client, world, 999_999, GOOD)
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"


def test_the_stage_and_the_agents_earlier_replies_shape_the_draft(
    client: TestClient, world: World
) -> None:
    conv = _open(client, world, "My parcel never arrived and the tracking is stuck.")
    reply = "Could you send me your order number so I can check it straight away?"
    sent = client.post(
        f"{BASE}/{conv}/messages", json={"text": reply}, headers=world.headers("agent_x")
    )
    assert sent.status_code == 201, sent.text
    made = client.post(f"{BASE}/{conv}/coach/draft", json={}, headers=world.headers("agent_x"))
    assert made.status_code == 200, made.text
    assert reply not in made.json()["text"]  # never repeats what was already sent
    assert made.json()["review"]["score"] >= 90


def test_llm_drafts_are_refused_while_the_provider_is_off(client: TestClient, world: World) -> None:
    conv = _open(client, world)
    response = client.post(
        f"{BASE}/{conv}/coach/draft", json={"provider": "llm"}, headers=world.headers("admin")
    )
    assert response.status_code == 422 and "ACCORD_COACH_LLM_URL" in response.json()["detail"]


def test_llm_drafts_pass_the_safeguards_and_are_never_sent(
    settings: Settings, db: Database, world: World
) -> None:
    with FakeLlm() as fake:
        configured = settings.model_copy(
            update={"coach_llm_url": fake.url, "egress_allowed_networks": "127.0.0.1/32"}
        )
        with TestClient(create_app(configured, database=db)) as client:
            for payload in PAYLOADS[::10]:
                conv = _open(client, world, payload)
                url, headers = f"{BASE}/{conv}/coach/draft", world.headers("agent_x")
                before = client.get(f"{BASE}/{conv}/messages", headers=headers).json()
                made = client.post(url, json={"provider": "llm"}, headers=headers)
                assert made.status_code == 200, made.text
                body = made.json()
                canary = fake.requests[-1]["body"]["messages"][0]["content"].rsplit(" ", 1)[-1]
                assert canary not in body["text"] and "evil.example" not in body["text"]
                assert body["auto_sent"] is False and body["source"] == "template"
                assert body["fallback_reason"] and body["review"]["score"] >= 90
                after = client.get(f"{BASE}/{conv}/messages", headers=headers).json()
                assert after == before  # nothing was sent
            clean = _open(client, world, "You charged me twice for order 55123! Refund me.")
            made = client.post(
                f"{BASE}/{clean}/coach/draft", json={"provider": "llm"}, headers=headers
            ).json()
            assert made["source"] == "llm" and made["review"]["score"] >= 90


def test_the_context_carries_the_playbook_stage(
    client: TestClient, world: World, db: Database
) -> None:
    conv = _open(client, world)
    with db.read() as session:
        ctx = service.conversation_context(session, actor=SYSTEM, conversation_id=conv)
    assert ctx.stage == "set_boundaries"  # abuse makes the boundary the urgent next step
    assert ctx.abuse and ctx.customer_name == "Customer A" and ctx.severity >= 3
    assert ctx.customer_messages == (ANGRY,)
    with db.read() as session:
        calm = service.conversation_context(session, actor=SYSTEM, conversation_id=world.conv_a)
    assert calm.stage != "set_boundaries" and not calm.abuse
    assert calm.agent_messages  # the world's conversation has an agent reply
