"""The hand-off note written on escalation quotes the customer's own words as evidence, but
never a payment card number, an IBAN or a password they wrote: those are masked, as in drafts
and in what the language model is sent."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.world import World

API = "/api/v1"
SAID = (
    "I will dispute 4111 1111 1111 1111 with my bank.",
    "I will dispute DE89 3704 0044 0532 0130 00 with my bank!",
    "I will post my password: hunter2 on twitter",
)


def test_the_hand_off_note_masks_cards_ibans_and_passwords(
    client: TestClient, world: World
) -> None:
    url = f"{API}/conversations/{world.conv_a}"
    for text in SAID:
        sent = client.post(
            f"{url}/messages", json={"text": text}, headers=world.headers("customer_a")
        )
        assert sent.status_code == 201, sent.text
    reason = "Customer pasted card 4111-1111-1111-1111 and wants a supervisor"
    escalated = client.post(
        f"{url}/escalate", json={"reason": reason}, headers=world.headers("agent_x")
    )
    assert escalated.status_code == 200, escalated.text
    messages = client.get(f"{url}/messages", headers=world.headers("supervisor")).json()
    note = [m["text"] for m in messages if m["direction"] == "note"][-1]
    assert note.startswith("HAND-OFF NOTE") and "Evidence:" in note
    for secret in ("4111", "3704 0044", "hunter2"):
        assert secret not in note, note
    assert "[CARD]" in note and "[IBAN]" in note and "password: [SECRET]" in note
