"""Reply detectors on realistic agent replies: what must fire, what must not, and the evidence."""

from __future__ import annotations

import pytest

from accord.cases.playbook.detectors import DETECTORS, detect_reply, observations, sentences
from accord.cases.playbook.machine import StepCompleted, apply, initial_state
from accord.cases.playbook.table import default_playbook

POSITIVES: dict[str, list[str]] = {
    "apology": [
        "Hi Maria, I'm so sorry for the double charge on your March invoice.",
        "We apologise for the inconvenience this has caused.",
        "Please accept our sincere apologies for the delay.",
        "Sorry about the mix-up with your order!",
        "Apologies for the late reply, we had a backlog over the weekend.",
        "That was entirely our mistake, and I want to put it right.",
        "We got this wrong and we take full responsibility.",
        "I am truly sorry that your package arrived damaged.",
    ],
    "clarifying_question": [
        "Could you please send me the order number from your confirmation email?",
        "Which card was charged twice?",
        "When did you first notice the error on your statement?",
        "Just to clarify, were you charged on both the 3rd and the 4th?",
        "Did the courier leave a note at your door?",
        "Thanks, and what name is the account under?",
    ],
    "options_offered": [
        "I can offer you a full refund or a replacement - which would you prefer?",
        "Here are two options: we refund the difference, or we upgrade your plan for free.",
        "Option A is a refund to your card; option B is store credit with a 10% bonus.",
        "Alternatively, we can send a technician on Thursday.",
        "You can either keep the item at a discount or return it at our cost.",
        "Would you rather have the credit applied to next month's bill?",
    ],
    "next_steps": [
        "I'll process the refund today and you should see it within 3-5 business days.",
        "We will call you back by 5 p.m. tomorrow with an update.",
        "Your replacement is going to ship on Monday.",
        "I've issued a credit note today.",
        "You can expect an email from our billing team within 24 hours.",
        "I'll update you by the end of the day, whatever the outcome.",
    ],
    "thanks": [
        "Thank you for your patience while we looked into this.",
        "Thanks for flagging this so quickly.",
        "I really appreciate you taking the time to explain it.",
        "We're grateful for your feedback.",
    ],
    "empathy": [
        "I completely understand how frustrating it is to be billed twice.",
        "That must have been really stressful before your trip.",
        "I'm so sorry to hear that the delivery ruined your weekend plans.",
        "I can only imagine how annoying that was.",
        "I hear you, and you have every right to be upset.",
        "I understand you're upset about the fee.",
        "I'd be frustrated too if this happened to me.",
    ],
    "listening": [
        "Please tell me more about what happened when you called.",
        "Take your time, I'm here.",
        "Could you walk me through the steps you took?",
        "If I understand correctly, the app crashes whenever you open the invoice.",
    ],
    "escalation_offered": [
        "Let me connect you to a supervisor who can approve the refund.",
        "I've escalated your case to our billing specialists.",
        "I'm transferring this over to my manager right now.",
        "A supervisor will call you this afternoon.",
    ],
    "boundary_set": [
        "I want to help, but we will not tolerate abusive language.",
        "Please keep this conversation respectful so I can help you.",
        "Please do not use offensive language towards our team.",
        "If the insults continue, I will have to end this chat.",
    ],
}

NEGATIVES: dict[str, list[str]] = {
    "apology": [
        "I'm sorry, but that is our policy.",
        "I'm sorry if you felt that way.",
        "There's no need to apologise!",
        "It's not our fault that the courier lost it.",
        "We don't apologise for enforcing the terms you agreed to.",
        "I'm sorry to hear that.",
    ],
    "clarifying_question": [
        "Is there anything else I can help you with?",
        "Does that sound good to you?",
        "Would you prefer a refund or a credit?",
        "Why didn't you read the terms before ordering?",
        "Did you even read my previous email?",
        "Could you confirm the order number.",
    ],
    "options_offered": [
        "Unfortunately there are no other options.",
        "I can't offer a refund for this order.",
        "We could not offer a discount this time.",
        "Your order contains two items.",
    ],
    "next_steps": [
        "I'll look into it.",
        "You were charged on Monday and again on Tuesday.",
        "It will be fine.",
        "Refunds usually take 5 days.",
        "Last week you told me it would arrive today.",
    ],
    "thanks": [
        "Thanks to a system error, you were charged twice.",
        "No thanks to the courier, it arrived late.",
        "Thanks for nothing, as the customer put it.",
    ],
    "empathy": [
        "I don't understand what you mean.",
        "You must be confused about the dates.",
        "That must be a mistake on your side.",
        "I can't imagine why that would happen.",
    ],
    "listening": [
        "I told you already.",
        "Go read the FAQ.",
    ],
    "escalation_offered": [
        "I can't transfer you to a manager.",
        "There is no supervisor available to escalate to.",
        "Our manager approved the change last week.",
    ],
    "boundary_set": [
        "I understand you are upset and I am here to help.",
        "We accept all major cards.",
    ],
}


def _names(text: str) -> set[str]:
    return {d.name for d in detect_reply(text)}


@pytest.mark.parametrize(
    ("name", "text"), [(n, t) for n, texts in POSITIVES.items() for t in texts]
)
def test_detector_fires(name: str, text: str) -> None:
    assert name in _names(text)


@pytest.mark.parametrize(
    ("name", "text"), [(n, t) for n, texts in NEGATIVES.items() for t in texts]
)
def test_detector_stays_quiet(name: str, text: str) -> None:
    assert name not in _names(text)


def test_every_detector_has_positive_and_negative_examples() -> None:
    assert set(POSITIVES) == set(NEGATIVES) == set(DETECTORS)


BILLING_REPLY = """Hi Maria,

I'm so sorry for the double charge on your March invoice. I completely understand how \
frustrating that is. Could you confirm the last four digits of the card that was charged?

I can offer you a full refund or a 20 EUR credit on your next bill - which would you prefer? \
I'll process it as soon as you reply, and you should see it within 3-5 business days.

Thank you for your patience,
Anna"""


def test_a_full_reply_yields_every_move_with_exact_spans() -> None:
    detections = {d.name: d for d in detect_reply(BILLING_REPLY)}
    assert set(detections) == {
        "apology",
        "empathy",
        "clarifying_question",
        "options_offered",
        "next_steps",
        "thanks",
    }
    for detection in detections.values():
        for span in detection.evidence:
            assert BILLING_REPLY[span.start : span.end] == span.text
    assert detections["apology"].evidence[0].text == (
        "I'm so sorry for the double charge on your March invoice."
    )
    assert detections["next_steps"].source == "agent.next_steps"


def test_sentences_split_on_boundaries_but_not_inside_times_or_numbers() -> None:
    text = "Hi.\n\n  We'll call by 5 p.m. tomorrow. The fee is 3.5 EUR! Ok?  "
    found = list(sentences(text))
    assert [s.text for s in found] == [
        "Hi.",
        "We'll call by 5 p.m. tomorrow.",
        "The fee is 3.5 EUR!",
        "Ok?",
    ]
    assert all(text[s.start : s.end] == s.text for s in found)


def test_empty_and_plain_replies_detect_nothing() -> None:
    assert detect_reply("") == []
    assert detect_reply("Your invoice is attached.") == []


def test_observations_drive_the_playbook() -> None:
    playbook = default_playbook()
    state = initial_state(playbook)
    for observed in observations(BILLING_REPLY, message_id="m9"):
        state, _ = apply(playbook, state, observed)
    assert state.completed == {
        "apologise",
        "empathise",
        "clarify",
        "offer_options",
        "act_and_inform",
        "thank",
    }
    assert all(isinstance(e, StepCompleted) and e.message_id == "m9" for e in state.history)
