"""Churn, public-exposure and safety signals in the forms customers use, and the look-alikes
that are not threats (signals.py)."""

from __future__ import annotations

import pytest

from accord.analysis import Analyzer
from tests.unit.analysis.conftest import spans_index_text

FIRES = [
    ("churn_threat", "I'm never flying with you again"),
    ("churn_threat", "I will never order from Northwind again"),
    ("churn_threat", "Never booking this airline ever again."),
    ("churn_threat", "I'm switching to Verizon"),
    ("churn_threat", "switching to Delta after this"),
    ("churn_threat", "That was the last time I fly with you."),
    ("churn_threat", "You've lost a customer."),
    ("public_exposure", "Unbelievable. Consider it posted."),
    ("public_exposure", "I will leave a review about this"),
    ("public_exposure", "I'm going to post about this everywhere"),
    ("public_exposure", "My next post will be about how you can't match a pair of curtains."),
    ("public_exposure", "I'm writing a review tonight."),
    ("public_exposure", "I will be contacting the local paper."),
    ("public_exposure", "I'll warn other parents about this cot."),
    ("safety_incident", "The chair leg snapped and my husband was hurt."),
    ("safety_incident", "The kettle burned my hand and I had to go to urgent care."),
    ("safety_incident", "The charger caught fire overnight."),
    ("safety_incident", "A piece of glass in one of your cans just sliced my mouth open."),
    ("safety_incident", "I found glass in my food."),
    ("legal_threat", "I'll be speaking to my solicitor."),
]
QUIET = [
    ("churn_threat", "I'm switching to paperless billing"),
    ("churn_threat", "Can I switch to the annual plan?"),
    ("churn_threat", "I never had a problem with you before"),
    ("public_exposure", "I'll post it back to you tomorrow."),
    ("public_exposure", "Where can I read reviews of the Malmo sofa?"),
    ("safety_incident", "Is the crib safe for a newborn?"),
]


@pytest.mark.parametrize(("name", "text"), FIRES)
def test_threat_forms_fire_with_evidence(analyzer: Analyzer, name: str, text: str) -> None:
    result = analyzer.analyze(text)
    assert result.signal(name) is not None, (name, text, result.signal_names)
    assert spans_index_text(text, result)


@pytest.mark.parametrize(("name", "text"), QUIET)
def test_look_alikes_stay_quiet(analyzer: Analyzer, name: str, text: str) -> None:
    assert analyzer.analyze(text).signal(name) is None, (name, text)


def test_an_agent_reporting_an_injury_is_no_threat(analyzer: Analyzer) -> None:
    reply = analyzer.analyze("I'm glad your husband was not badly hurt.", "agent")
    assert reply.signal("safety_incident") is None
