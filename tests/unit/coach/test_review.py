"""The coach's review: each criterion and violation on curated drafts, weights by situation."""

from __future__ import annotations

import pytest

from accord.coach import CoachContext, build_context, review
from accord.coach.review import assess

ANGRY_BILLING = [
    (
        "customer",
        "You idiots charged me twice for order 55123 and nobody answers. I want my money back!",
    )
]
GOOD = (
    "Hi Anna, thank you for writing. I can imagine how frustrating it is to be charged twice "
    "for order 55123, and I'm so sorry - that was our mistake. Please keep this conversation "
    "respectful so I can help you. I can offer you a full refund of the second charge or a $20 "
    "credit on your account. Would you prefer the refund or the credit? I will process your "
    "choice today and you will see it within 2 business days. If there is anything else I can "
    "help with, just reply here."
)

PRACTICE_MET: dict[str, str] = {
    "empathy": "That must have been really frustrating for you.",
    "apology": "I'm so sorry for the double charge on your invoice.",
    "clarifying_question": "Could you send me the order number from your confirmation email?",
    "options": "I can offer you a full refund or a replacement.",
    "invites_input": "Would that work for you, or is there another solution you have in mind?",
    "next_steps": "I will process the refund today and you should see it within 3 business days.",
    "thanks": "Thank you for your patience while we looked into this.",
    "further_help": "If there is anything else I can help with, just reply here.",
    "boundary": "Please keep this conversation respectful so I can help you.",
}
VIOLATIONS: dict[str, str] = {
    "blame": "You should have read the delivery instructions before ordering.",
    "defensive": "It's not our fault that the courier lost it.",
    "dismissive": "Calm down. As I already said, the refund is on its way.",
    "jargon": "Your case is with the L2 team under our SLA.",
    "over_promise": "I promise this will never happen again.",
    "mirroring": "Are you stupid? STOP SENDING US THESE MESSAGES.",
}


@pytest.mark.parametrize(("criterion", "draft"), sorted(PRACTICE_MET.items()))
def test_each_practice_is_recognised_with_its_evidence(criterion: str, draft: str) -> None:
    assert assess(draft)[criterion] == "met"
    assert assess("Noted.")[criterion] in ("missing", None)


@pytest.mark.parametrize(("criterion", "draft"), sorted(VIOLATIONS.items()))
def test_each_violation_is_flagged_and_costs_points(criterion: str, draft: str) -> None:
    result = review(draft)
    finding = result.finding(criterion)
    assert finding is not None and finding.status == "violated"
    assert finding.evidence and finding.suggestion
    assert all(draft[s.start : s.end] == s.text for s in finding.evidence)
    assert review(f"{GOOD} {draft}").score < review(GOOD).score


def test_a_policy_quoted_without_a_reason_is_defensive_but_not_with_one() -> None:
    assert assess("Our policy does not allow refunds after 30 days.")["defensive"] == "violated"
    reason = "Our policy does not allow it because the seal protects your health."
    assert assess(reason)["defensive"] is None


def test_a_harsh_boundary_is_a_violated_boundary() -> None:
    ctx = build_context(ANGRY_BILLING)
    result = review("Watch your language and stop being rude.", ctx)
    assert result.status("boundary") == "violated"


def test_a_good_reply_scores_high_and_a_hostile_one_low() -> None:
    ctx = build_context(ANGRY_BILLING, customer_name="Anna")
    good, bad = review(GOOD, ctx), review("As I already said, you should have checked.", ctx)
    assert good.score >= 90 > 20 >= bad.score
    assert good.tone > bad.tone


def test_the_apology_weighs_by_severity() -> None:
    calm = CoachContext(customer_messages=("Where can I change my address?",), key_points=("x",))
    angry = CoachContext(customer_messages=("You lied to me!",), severity=4, heat=90.0)
    no_apology = "Thank you, I will update it today and you'll get a confirmation within 2 days."
    assert review(no_apology, calm).finding("apology") is None  # not needed: not scored
    finding = review(no_apology, angry).finding("apology")
    assert finding is not None and finding.status == "missing" and finding.weight == 3.0


def test_a_boundary_only_counts_with_abuse() -> None:
    draft = "Thank you for your message."
    assert review(draft, CoachContext(customer_messages=("hi",))).finding("boundary") is None
    abusive = review(draft, build_context(ANGRY_BILLING))
    assert abusive.status("boundary") == "missing"


def test_a_clarifying_question_only_counts_while_facts_are_missing() -> None:
    missing = build_context([("customer", "My parcel never arrived and I need it.")])
    assert "order number" in missing.missing_facts
    assert review("Thanks.", missing).status("clarifying_question") == "missing"
    known = build_context(
        [("customer", "Order 77812 placed on Monday never arrived, please refund me.")]
    )
    assert known.missing_facts == ()
    assert review("Thanks.", known).finding("clarifying_question") is None


def test_options_need_two_when_the_remedy_is_negotiable() -> None:
    ctx = build_context([("customer", "The lamp arrived broken, I want a refund for order 88123.")])
    one = review("I can offer you a refund.", ctx)
    two = review("I can offer you a refund or a replacement. Which would you prefer?", ctx)
    assert one.status("options") == "missing" and two.status("options") == "met"


def test_listening_is_measured_against_the_customers_words() -> None:
    ctx = build_context(ANGRY_BILLING)
    echo = review("I see you were charged twice for order 55123.", ctx)
    generic = review("Thanks for your message.", ctx)
    assert echo.status("listening") == "met" and generic.status("listening") == "missing"


def test_echoing_the_customers_insult_is_mirroring() -> None:
    ctx = build_context(ANGRY_BILLING)
    assert "you idiots" in ctx.abusive_terms
    assert review("Well, you idiots should read the terms.", ctx).status("mirroring") == "violated"
    assert review(GOOD, ctx).status("mirroring") is None


def test_a_late_stage_weighs_the_close_more_than_options() -> None:
    ctx = CoachContext(customer_messages=("Thanks, it works now!",), stage="thank")
    result = review("Glad to hear it. Thank you for your patience!", ctx)
    assert result.finding("options") is None
    thanks = result.finding("thanks")
    assert thanks is not None and thanks.status == "met" and thanks.weight == 2.0


def test_situation_explains_the_weights() -> None:
    ctx = build_context(ANGRY_BILLING)
    situation = " ".join(review(GOOD, ctx).situation)
    assert "severity" in situation and "abusive" in situation
    assert review(GOOD).situation == ("no conversation given: general weights",)


def test_twitter_handles_and_signatures_do_not_hide_a_question() -> None:
    draft = "@115954 Can you DM me your address and phone number please? -AG"
    found = assess(draft)
    assert found["clarifying_question"] == "met"
    spans = review(draft).findings
    assert all(draft[s.start : s.end] == s.text for f in spans for s in f.evidence)
