"""Property tests: the review never raises on arbitrary text and every span indexes the draft."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.cases.playbook.detectors import sentences
from accord.coach import build_context, review
from accord.coach.drafts import draft
from accord.coach.types import Tone

CTX = build_context([("customer", "You idiots charged me twice for order 55123. Refund me!")])
WORDS = st.sampled_from(
    ["sorry", "thanks", "you should have", "calm down", "?", "SLA", "I will", "today", "refund",
     "or", "\n\n", "@1234", "^AB", "idiots", "Could you send", "😡", "ß", "\u200b", "."]
)  # fmt: skip
TEXT = st.one_of(st.text(max_size=400), st.lists(WORDS, max_size=40).map(" ".join))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXT)
def test_review_never_raises_and_spans_index_the_draft(text: str) -> None:
    for ctx in (None, CTX):
        result = review(text, ctx)
        assert 0 <= result.score <= 100 and 0 <= result.tone <= 100
        for finding in result.findings:
            for span in finding.evidence:
                assert text[span.start : span.end] == span.text


@settings(max_examples=50, deadline=None)
@given(messages=st.lists(st.tuples(st.sampled_from(["customer", "agent"]), st.text(max_size=200))))
def test_context_and_draft_never_raise(messages: list[tuple[str, str]]) -> None:
    ctx = build_context(messages, customer_name="Zoë")
    made = draft(ctx)
    assert made.text.strip() and 0 <= made.review.score <= 100


@settings(max_examples=60, deadline=None)
@given(
    text=st.lists(WORDS | st.text(max_size=30), min_size=1, max_size=30).map(" ".join),
    variant=st.integers(min_value=0, max_value=50),
    tone=st.sampled_from(["warm", "formal", "brief"]),
)
def test_consecutive_drafts_never_share_a_sentence(text: str, variant: int, tone: Tone) -> None:
    ctx = build_context([("customer", text)], customer_name="Anna")
    one = draft(ctx, tone=tone, variant=variant).text
    two = draft(ctx, tone=tone, variant=variant + 1).text
    assert not {s.text for s in sentences(one)} & {s.text for s in sentences(two)}
