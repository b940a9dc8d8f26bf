"""Conversation view: heat over time, trajectory and the escalation-risk forecast."""

from __future__ import annotations

import pytest

from accord.analysis import Analyzer, Message
from accord.analysis.conversation import TREND_POINTS, slope, trajectory

ESCALATING = [
    ("customer", "Hi, my order #4411 has not arrived yet. Could you check on it?"),
    ("agent", "Sorry to hear that, let me look into it for you."),
    ("customer", "This is the second time I am asking. Still nothing. I need it by Friday."),
    ("agent", "I understand, I have raised it with the courier."),
    (
        "customer",
        "This is RIDICULOUS!!! I want a refund NOW or I am calling my lawyer and posting about "
        "you on Twitter. Get me your manager!",
    ),
]
CALMING = [
    (
        "customer",
        "This is the THIRD time I am writing!!! You people are useless, I want my money back NOW "
        "or I go to my bank and dispute it!",
    ),
    ("agent", "I am very sorry. I have issued the refund now; you will see it in 3 days."),
    ("customer", "ok. I will check tomorrow."),
    ("agent", "Thank you for your patience."),
    ("customer", "Thanks, the refund shows already. That solved it, much appreciated!"),
]


def test_escalating_thread(analyzer: Analyzer) -> None:
    result = analyzer.analyze_conversation(ESCALATING)
    assert result.trajectory == "escalating"
    assert result.slope > 0
    assert len(result.heat_series) == len(ESCALATING)
    assert result.heat == result.heat_series[-1] == result.peak_heat
    assert result.escalation_risk > 0.8
    assert {"legal_threat", "public_exposure", "escalation_request"} <= set(result.signals)


def test_calming_thread(analyzer: Analyzer) -> None:
    result = analyzer.analyze_conversation(CALMING)
    assert result.trajectory == "de-escalating"
    assert result.slope < 0
    assert result.heat < result.peak_heat
    assert result.escalation_risk < 0.2


def test_risk_orders_escalating_above_calming(analyzer: Analyzer) -> None:
    up = analyzer.analyze_conversation(ESCALATING).escalation_risk
    down = analyzer.analyze_conversation(CALMING).escalation_risk
    assert 0.0 <= down < up <= 1.0


def test_input_shapes_agree(analyzer: Analyzer) -> None:
    pairs = analyzer.analyze_conversation(ESCALATING)
    dicts = analyzer.analyze_conversation([{"role": r, "text": t} for r, t in ESCALATING])
    messages = analyzer.analyze_conversation([Message(r, t) for r, t in ESCALATING])  # type: ignore[arg-type]
    assert pairs.to_dict() == dicts.to_dict() == messages.to_dict()


def test_agent_turns_do_not_dilute_the_trend(analyzer: Analyzer) -> None:
    customer_only = [m for m in ESCALATING if m[0] == "customer"]
    assert analyzer.analyze_conversation(customer_only).slope == pytest.approx(
        analyzer.analyze_conversation(ESCALATING).slope
    )


def test_empty_and_single_message(analyzer: Analyzer) -> None:
    empty = analyzer.analyze_conversation([])
    assert empty.trajectory == "stable" and empty.heat == 0.0 and empty.escalation_risk == 0.0
    one = analyzer.analyze_conversation([("customer", "Where is my parcel?")])
    assert one.trajectory == "stable" and one.slope == 0.0


def test_bad_role_in_conversation(analyzer: Analyzer) -> None:
    with pytest.raises(ValueError, match="role"):
        analyzer.analyze_conversation([("bot", "hello")])


def test_slope_and_trajectory_rules() -> None:
    assert slope([]) == 0.0 and slope([5.0]) == 0.0
    assert slope([0.0, 10.0, 20.0]) == pytest.approx(10.0)
    assert trajectory([10.0, 10.0 + TREND_POINTS]) == "escalating"
    assert trajectory([50.0, 50.0 - TREND_POINTS]) == "de-escalating"
    assert trajectory([30.0, 32.0, 29.0]) == "stable"
    # A small drop that ends in thanks counts as calming down.
    assert trajectory([30.0, 25.0], closed_with_thanks=True) == "de-escalating"
    assert trajectory([30.0, 25.0]) == "stable"
