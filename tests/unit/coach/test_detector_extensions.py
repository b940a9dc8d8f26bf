"""What the coach's evaluation added to the case layer's reply detectors (tuning half only)."""

from __future__ import annotations

import pytest

from accord.cases.reply_detectors import detect_reply


def _names(text: str) -> set[str]:
    return {d.name for d in detect_reply(text)}


@pytest.mark.parametrize(
    ("text", "move"),
    [
        ("Hi, sorry about that.", "apology"),
        ("Hello there! Apologies for the wait.", "apology"),
        ("Sincerest apologies.", "apology"),
        ("Hi there, sorry to hear this :(", "empathy"),
        ("We're disappointed to hear your flight was delayed.", "empathy"),
        ("That's very troubling.", "empathy"),
        ("Definitely hear you, Lisa.", "empathy"),
        ("I understand that you are experiencing difficulties with the app.", "empathy"),
        ("To check the timing, could you share your time zone?", "clarifying_question"),
        ("May we have the booking number you are referring to?", "clarifying_question"),
        ("Hi, can you direct message us and explain what happened?", "clarifying_question"),
        ("Could you DM us a number you can be reached at?", "clarifying_question"),
    ],
)
def test_the_extended_patterns_fire(text: str, move: str) -> None:
    assert move in _names(text)


@pytest.mark.parametrize(
    ("text", "move"),
    [
        ("I understand that you need to cancel your order.", "empathy"),
        ("I understand your request to change the address.", "empathy"),
        ("I understand that you would like to speak to an agent.", "empathy"),
        ("Hi, sorry, but that is not possible.", "apology"),
        ("Hi, sorry to hear that.", "apology"),
        ("To be clear, we ship on Mondays.", "clarifying_question"),
    ],
)
def test_restating_a_request_is_not_empathy_and_refusals_are_not_apologies(
    text: str, move: str
) -> None:
    assert move not in _names(text)
