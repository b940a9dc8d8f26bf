"""Sarcasm, negated praise, concession, laughter, polite requests and agents' courtesy: the
figures the word-level heads misread, each found with its evidence (figurative.py)."""

from __future__ import annotations

import pytest

from accord.analysis import Analyzer
from accord.analysis.figurative import read
from accord.analysis.text import prepare
from tests.unit.analysis.conftest import spans_index_text

SARCASM = [
    "thanks for losing my luggage",
    "Thank you so much for cancelling my flight without telling me",
    "I love being stuck here two extra days",
    "love how you charge me twice for one order",
    "I love waiting at the counter for 15 minutes for my food",
    "Great, another delay. Just what I needed.",
    "Oh wonderful, my flight got cancelled again",
    "Perfect. Now the screen is broken too.",
    "would be nice to get an answer",
    "It would be great if someone actually replied for once",
    "is it too much to ask for a working router?",
    "lol still no refund",
    "Thanks for nothing.",
]
NOT_SARCASM = [
    "Thanks for fixing it so quickly!",
    "Thank you for your patience while we wait for the courier",
    "Great, no delays this time!",
    "I love how easy the app is",
    "Perfect, thanks!",
    "The chair was perfect. It arrived on time.",
    "No rush, just planning around it.",
    "lol my cat loves the new bed",
]
NEGATED_PRAISE = [
    "never disappoints!",
    "no complaints",
    "wasn't frustrating at all",
    "I couldn't be happier with the new rug",
    "Haven't had a single problem since the repair",
    "can't complain",
]


@pytest.mark.parametrize("text", SARCASM)
def test_sarcasm_is_found_with_its_evidence(text: str) -> None:
    figures = read(prepare(text), "customer")
    assert figures.sarcastic, text
    (signal,) = [s for s in figures.signals if s.name == "sarcasm"]
    assert signal.evidence and all(text[e.start : e.end] == e.text for e in signal.evidence)


@pytest.mark.parametrize("text", NOT_SARCASM)
def test_sincere_praise_is_not_sarcasm(text: str) -> None:
    assert not read(prepare(text), "customer").sarcastic, text


@pytest.mark.parametrize("text", SARCASM)
def test_sarcasm_reads_negative_and_warm(analyzer: Analyzer, text: str) -> None:
    result = analyzer.analyze(text)
    assert result.sentiment <= -0.5, (text, result.sentiment)
    assert result.emotion.top != "joy"
    assert result.signal("closing_gratitude") is None
    assert result.heat >= 30, (text, result.heat)
    assert spans_index_text(text, result)


@pytest.mark.parametrize("text", NEGATED_PRAISE)
def test_negated_praise_reads_as_praise(analyzer: Analyzer, text: str) -> None:
    result = analyzer.analyze(text)
    assert result.signal("negated_praise") is not None, text
    assert result.sentiment > 0.3 and result.severity == 0, (text, result.sentiment)
    assert result.heat < 15, (text, result.heat)


def test_negated_praise_keeps_the_problem_told_after_it(analyzer: Analyzer) -> None:
    praise = analyzer.analyze("No complaints about the sofa.")
    mixed = analyzer.analyze("No complaints about the sofa, but the delivery was 3 days late.")
    assert mixed.heat > praise.heat + 10
    assert not read(prepare("Haven't had any issues until now"), "customer").signals


def test_a_concession_lets_the_main_clause_speak(analyzer: Analyzer) -> None:
    text = "I know it's not your fault, but this is the third time my order is late"
    result = analyzer.analyze(text)
    assert result.signal("concession") is not None
    assert result.sentiment < 0 and result.complaint_prob >= 0.5
    assert result.signal("closing_gratitude") is None


def test_laughter_alone_is_neutral(analyzer: Analyzer) -> None:
    for text in ("lol", "haha", "LOL 😂"):
        result = analyzer.analyze(text)
        assert result.heat == 0.0 and result.sentiment == 0.0, text
        assert result.emotion.top == "neutral"


def test_a_polite_request_naming_no_problem_stays_cool(analyzer: Analyzer) -> None:
    calm = analyzer.analyze(
        "Please take me off your marketing emails. I still want order updates, just not the "
        "daily offers."
    )
    assert calm.signal("polite_request") is not None
    assert calm.heat < 20
    problem = analyzer.analyze("Please take me off your marketing emails, I've asked 3 times!!")
    assert problem.signal("polite_request") is None and problem.heat > calm.heat


def test_agents_courtesy_is_not_their_feeling(analyzer: Analyzer) -> None:
    apology = analyzer.analyze(
        "I'm so sorry about this, I have ordered a replacement that arrives Friday.", "agent"
    )
    thanks = analyzer.analyze("Thank you for your patience, we appreciate your business!", "agent")
    for reply in (apology, thanks):
        assert reply.complaint_prob == 0.0 and reply.severity == 0
        assert reply.emotion.top not in ("sadness", "joy")
        assert reply.heat < 15


def test_an_agents_hostile_reply_reads_hot(analyzer: Analyzer) -> None:
    calm = analyzer.analyze("I have booked a collection for Thursday.", "agent")
    hostile = analyzer.analyze(
        "Our records show the kettle was used incorrectly. As I already said, read the manual.",
        "agent",
    )
    assert hostile.signal("hostile_tone") is not None
    assert hostile.heat > calm.heat + 10
    customer = analyzer.analyze("Our records show the kettle was used incorrectly.", "customer")
    assert customer.signal("hostile_tone") is None


def test_a_sign_off_of_initials_is_not_shouting(analyzer: Analyzer) -> None:
    signed = analyzer.analyze("Absolutely! -KB", "agent")
    assert signed.heat_parts["shouting"] == 0.0
    shouted = analyzer.analyze("I WANT MY MONEY BACK NOW -KB")
    assert shouted.heat_parts["shouting"] > 5
