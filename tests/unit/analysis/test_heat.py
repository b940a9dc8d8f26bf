"""The heat formula: bounded, monotone in every input, and ordering real messages sensibly."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.analysis import Analyzer, Signal
from accord.analysis.heat import SIGNAL_CAP, SIGNAL_WEIGHTS, HeatInputs, heat, shout_score

CALM = HeatInputs(
    sentiment=0.5, complaint_prob=0.0, severity=0, anger=0.0, shout=0.0, abuse_severity=0
)


def _sig(name: str, conf: float = 0.9) -> Signal:
    return Signal(name, conf, ())


def test_calm_is_zero_and_everything_at_once_is_capped() -> None:
    assert heat(CALM) == 0.0
    hot = HeatInputs(-1.0, 1.0, 4, 1.0, 1.0, 3, tuple(_sig(n) for n in SIGNAL_WEIGHTS))
    assert heat(hot) == 100.0


@pytest.mark.parametrize(
    "field",
    ["sentiment", "complaint_prob", "severity", "anger", "shout", "abuse_severity"],
)
def test_each_input_raises_heat(field: str) -> None:
    base = HeatInputs(0.0, 0.3, 1, 0.2, 0.1, 0)
    worse = {
        "sentiment": -0.8,
        "complaint_prob": 0.9,
        "severity": 3,
        "anger": 0.9,
        "shout": 0.8,
        "abuse_severity": 2,
    }[field]
    changes: dict[str, Any] = {field: worse}
    changed = replace(base, **changes)
    assert heat(changed) > heat(base)


@pytest.mark.parametrize("name", sorted(SIGNAL_WEIGHTS))
def test_threat_signals_raise_heat_and_gratitude_lowers_it(name: str) -> None:
    base = HeatInputs(-0.3, 0.6, 2, 0.4, 0.0, 0)
    with_signal = HeatInputs(-0.3, 0.6, 2, 0.4, 0.0, 0, (_sig(name),))
    thanked = HeatInputs(-0.3, 0.6, 2, 0.4, 0.0, 0, (_sig("closing_gratitude"),))
    assert heat(with_signal) > heat(base) > heat(thanked)


def test_signal_term_is_capped() -> None:
    many = tuple(_sig(n, 0.99) for n in SIGNAL_WEIGHTS for _ in range(3))
    assert heat(HeatInputs(0.0, 0.0, 0, 0.0, 0.0, 0, many)) == round(100 * SIGNAL_CAP, 1)


def test_shout_score() -> None:
    assert shout_score(0.0, 0) == 0.0 and shout_score(0.0, 1) == 0.0
    assert shout_score(1.0, 0) == 1.0 and shout_score(0.2, 3) == pytest.approx(0.6)


@given(
    st.floats(-1, 1),
    st.floats(0, 1),
    st.integers(0, 4),
    st.floats(0, 1),
    st.floats(0, 1),
    st.integers(0, 3),
    st.lists(st.sampled_from([*SIGNAL_WEIGHTS, "closing_gratitude", "abuse"]), max_size=8),
)
def test_heat_is_bounded(
    sentiment: float,
    complaint: float,
    severity: int,
    anger: float,
    shout: float,
    abuse: int,
    names: list[str],
) -> None:
    inputs = HeatInputs(
        sentiment, complaint, severity, anger, shout, abuse, tuple(_sig(n) for n in names)
    )
    assert 0.0 <= heat(inputs) <= 100.0


def test_real_messages_order_by_heat(analyzer: Analyzer) -> None:
    polite = analyzer.analyze("Hi, could you tell me when my order will ship? Thanks!")
    annoyed = analyzer.analyze("This is the third time I'm asking. Where is my order?")
    furious = analyzer.analyze(
        "You useless idiots!!! THIRD TIME I'M ASKING. I'm calling my lawyer and leaving a "
        "one-star review everywhere."
    )
    assert polite.heat < annoyed.heat < furious.heat
    assert furious.heat >= 60


def test_abusive_message_is_hotter_than_polite_one(analyzer: Analyzer) -> None:
    abusive = analyzer.analyze("You're a pathetic moron, fix my account.")
    polite = analyzer.analyze("Could you please have a look at my account? Thank you.")
    assert abusive.heat > polite.heat + 20


def test_threat_adds_heat_to_the_same_complaint(analyzer: Analyzer) -> None:
    plain = analyzer.analyze("My refund still has not arrived.")
    threat = analyzer.analyze("My refund still has not arrived. My lawyer will hear about it.")
    assert threat.heat > plain.heat
