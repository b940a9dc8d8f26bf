"""Signal names are declared once (SignalName): every producer and every consumer uses them."""

from __future__ import annotations

from accord.analysis import conversation, heat, signals
from accord.analysis.analyzer import AGENT_ONLY, CUSTOMER_ONLY, Analyzer
from accord.analysis.types import Signal, SignalName, Span
from accord.web import inbox_data


def test_every_rule_and_every_consumer_names_a_declared_signal() -> None:
    assert {rule.signal for rule in signals.RULES} <= set(SignalName)
    assert all(isinstance(rule.signal, SignalName) for rule in signals.RULES)
    assert set(heat.SIGNAL_WEIGHTS) <= set(SignalName)
    assert set(CUSTOMER_ONLY | AGENT_ONLY) <= set(SignalName)
    assert set(conversation._THREATS) <= set(SignalName)
    assert set(inbox_data.SIGNALS) <= set(SignalName)


def test_a_signal_stores_its_name_as_a_plain_string() -> None:
    made = Signal(SignalName.LEGAL_THREAT, 0.9, (Span(0, 6, "lawyer"),))
    assert type(made.name) is str and made.name == "legal_threat"


def test_what_the_engine_reports_is_declared(analyzer: Analyzer) -> None:
    texts = [
        "I want a manager NOW. My lawyer will hear about this and I'll post it on Twitter.",
        "Oh great, thanks for losing my luggage. Thanks so much, all sorted now!",
        "Please take me off your marketing emails.",
        "You useless idiots.",
    ]
    reported = {s.name for r in analyzer.analyze_batch(texts) for s in r.signals}
    assert reported and reported <= {n.value for n in SignalName}
    assert all(type(name) is str for name in reported)
