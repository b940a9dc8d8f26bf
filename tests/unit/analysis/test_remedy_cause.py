"""What the customer wants (remedy) and why the conflict arose (cause): curated cues."""

from __future__ import annotations

import pytest

from accord.analysis import Analyzer
from accord.analysis.remedy import CAUSES, REMEDIES, cause, remedy
from accord.analysis.text import prepare
from tests.unit.analysis.conftest import spans_index_text


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("Just give me my money back.", "refund"),
        ("The kettle arrived cracked, send me a new one.", "replacement"),
        ("Can you send a technician to fix the boiler?", "repair"),
        ("Can you explain why I was charged twice?", "explanation"),
        ("I don't need a refund, just an explanation.", "explanation"),
        ("I demand an apology from the driver.", "apology"),
        ("I expect a voucher for the trouble.", "compensation"),
        ("Please unsubscribe me from everything.", "cancellation"),
        ("Get me a supervisor.", "escalation"),
        ("When will my order arrive?", "information"),
        ("I want a replacement, not a repair.", "replacement"),
        ("You won't give me a refund??", "refund"),  # the company's refusal, not the writer's
        ("No refund needed, just tell me what happened.", "explanation"),
    ],
)
def test_remedy_wanted(analyzer: Analyzer, text: str, wanted: str) -> None:
    result = analyzer.analyze(text)
    assert result.remedy == wanted
    assert result.remedy_evidence and spans_index_text(text, result)


@pytest.mark.parametrize(
    "text",
    [
        "I don't want to cancel, I just want it to work.",
        "I'm not going to cancel.",
        "No need to escalate, you've been great.",
        'You said "we will refund you" and then nothing happened.',
        "Hello, good morning.",
    ],
)
def test_no_remedy(analyzer: Analyzer, text: str) -> None:
    assert analyzer.analyze(text).remedy is None


def test_remedy_vocabulary_is_the_documented_one() -> None:
    assert REMEDIES == (
        "refund",
        "replacement",
        "repair",
        "explanation",
        "apology",
        "compensation",
        "cancellation",
        "escalation",
        "information",
    )
    for text in ("refund me", "send a replacement", "what happened?", "hi"):
        assert remedy(prepare(text))[0] in (*REMEDIES, None)


@pytest.mark.parametrize(
    ("text", "conflict", "expected"),
    [
        ("Your agent was rude and hung up on me.", True, "human factors"),
        ("The driver was condescending.", False, "human factors"),  # conduct counts regardless
        ("Nobody told me about the cancellation fee.", True, "communication"),
        ("I was left on hold for an hour.", True, "communication"),
        ("The agent was not rude at all, she was lovely.", False, "unknown"),
        ("I was not rude to anyone, the screen just froze.", True, "product-service"),
        ("The agent took forty minutes to find my booking.", True, "human factors"),
        ("Your agent fixed it in two minutes, thank you!", False, "unknown"),
        ("My blender stopped working.", True, "product-service"),
        ("Hello there.", False, "unknown"),
    ],
)
def test_cause_cues(text: str, conflict: bool, expected: str) -> None:
    found, evidence = cause(prepare(text), "product-service", conflict)
    assert found == expected
    assert found in CAUSES
    assert all(text[e.start : e.end] == e.text for e in evidence)


def test_topic_default_cause_applies_without_cues() -> None:
    assert cause(prepare("The price went up."), "communication", True) == ("communication", ())


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("Fix it today or I am cancelling. I want to speak to a manager.", "escalation"),
        ("Refund me or I will cancel.", "refund"),
        ("Fix it or else I'll cancel everything.", None),
        ("Please fix my sofa leg, it snapped.", "repair"),
        ("Fix the charge on my card, it is wrong.", None),
    ],
)
def test_a_threat_or_a_plain_fix_it_is_not_the_remedy_wanted(
    analyzer: Analyzer, text: str, wanted: str | None
) -> None:
    assert analyzer.analyze(text).remedy == wanted
