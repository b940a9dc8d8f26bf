"""A reply token's MAC is bound to its purpose: the MAC of an outbox Message-ID, which anyone
who received our mail can read, never passes as the MAC of a conversation token, even for the
same number under the same key (ASVS 5.0 9.2.2)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from accord.inbox.channels.email import tokens


@given(st.integers(min_value=1, max_value=10**9), st.binary(min_size=1, max_size=32))
def test_an_outbox_mac_is_not_a_conversation_token(number: int, key: bytes) -> None:
    message_id = tokens.outbound_message_id(key, number, number, "support.example")
    outbox_mac = message_id.split("@")[0].rsplit(".", 1)[1]
    assert len(outbox_mac) == 12
    assert tokens.verified_conversation([key], f"Re: [#{number}-{outbox_mac}]") is None
    assert tokens.verified_conversation([key], f"Re: {tokens.subject_tag(key, number)}") == number
