"""Curated examples for every conversational signal: what must fire, and what must not.

The signals are pattern-based, so these cases pin exact behaviour; the statistical heads are
never consulted here.
"""

from __future__ import annotations

import pytest

from accord.analysis import Analyzer, MessageAnalysis
from tests.unit.analysis.conftest import spans_index_text

# (message, signal, a word the evidence must contain)
POSITIVE: list[tuple[str, str, str]] = [
    # escalation request
    (
        "Let me speak to your manager, this has gone on long enough.",
        "escalation_request",
        "manager",
    ),
    ("I need to talk to a supervisor right now.", "escalation_request", "supervisor"),
    ("Can I get a supervisor on the line please?", "escalation_request", "supervisor"),
    ("Transfer me to your manager.", "escalation_request", "manager"),
    ("I want this escalated today.", "escalation_request", "escalated"),
    ("Put me through to a real person, not a bot.", "escalation_request", "real person"),
    # churn threat
    ("I want a refund now or I will call my lawyer and cancel.", "churn_threat", "cancel"),
    ("If this isn't sorted by Monday I'll cancel.", "churn_threat", "cancel"),
    ("Cancel my subscription, I've had enough.", "churn_threat", "subscription"),
    ("I'm closing my account with you this week.", "churn_threat", "account"),
    ("I'm switching to your competitor.", "churn_threat", "competitor"),
    ("Three years a customer and I'm taking my business elsewhere.", "churn_threat", "elsewhere"),
    ("You have lost a loyal customer.", "churn_threat", "customer"),
    ("I will never order from you again.", "churn_threat", "never order"),
    ("Fine. I'm done. Cancel everything.", "churn_threat", "everything"),
    # legal or regulatory threat
    ("My solicitor will be in touch about this.", "legal_threat", "solicitor"),
    ("I will be filing a complaint with the CFPB.", "legal_threat", "CFPB"),
    ("I'm reporting you to trading standards.", "legal_threat", "trading standards"),
    ("See you in small claims court.", "legal_threat", "small claims"),
    ("I'll be disputing the charge with my bank.", "legal_threat", "bank"),
    # public exposure
    ("I will be posting about this on Twitter tonight.", "public_exposure", "Twitter"),
    ("Expect a one-star review on Trustpilot.", "public_exposure", "review"),
    ("I'm going to leave a scathing review.", "public_exposure", "review"),
    ("Everyone on Facebook is going to hear about this.", "public_exposure", "hear"),
    ("I'll make sure everyone knows how you treat people.", "public_exposure", "everyone"),
    # repeat contact
    ("This is the third time I'm writing about this.", "repeat_contact", "third time"),
    ("I've called four times and nobody helps.", "repeat_contact", "times"),
    ("I'm still waiting for the refund you promised.", "repeat_contact", "still waiting"),
    ("Still no sign of my parcel.", "repeat_contact", "Still no"),
    ("I contacted you last week about this exact same issue.", "repeat_contact", "last week"),
    ("As I said before, the router was never delivered.", "repeat_contact", "before"),
    # urgency / deadline
    ("This is urgent: the visa appointment is on Friday.", "urgency", "urgent"),
    ("I need the documents by Thursday or I lose the flat.", "urgency", "Thursday"),
    ("My flight leaves tomorrow morning, I need this sorted today.", "urgency", "today"),
    ("Please respond ASAP.", "urgency", "ASAP"),
    # abuse toward the agent
    ("You are an idiot.", "abuse", "idiot"),
    ("You're all a bunch of useless clowns.", "abuse", "clowns"),
    ("Your staff are liars.", "abuse", "liars"),
    ("This is fucking ridiculous.", "abuse", "fucking"),
    ("You'll regret this.", "abuse", "regret"),
    ("I'm going to find you.", "abuse", "find you"),
    # closing gratitude
    ("Thanks, that solved it!", "closing_gratitude", "Thanks"),
    ("Perfect, works now. Thank you so much!", "closing_gratitude", "Thank you"),
    ("Much appreciated, all sorted.", "closing_gratitude", "appreciated"),
]

# (message, signal that must NOT fire): negations, reported speech, look-alikes
NEGATIVE: list[tuple[str, str]] = [
    ("I don't want to cancel, I just want it to work.", "churn_threat"),
    ("I'm not going to cancel my subscription over this.", "churn_threat"),
    ("I have no intention of cancelling my membership.", "churn_threat"),
    ("I won't cancel, don't worry.", "churn_threat"),
    ("I'll cancel the order and buy it in store instead.", "churn_threat"),
    ("Please cancel my order #5521, I ordered the wrong size.", "churn_threat"),
    ("We don't plan to switch to another provider.", "churn_threat"),
    ("I'm leaving a review for the technician, he was great.", "churn_threat"),
    ("I'm not going to sue, I just want my money back.", "legal_threat"),
    ("I am not threatening legal action, but I want this fixed.", "legal_threat"),
    ('My friend said "I\'ll sue them" but I just want it fixed.', "legal_threat"),
    ("No need to escalate, you've been great.", "escalation_request"),
    ("I'm not going to speak to a manager about this, don't worry.", "escalation_request"),
    ("I never asked to speak to a manager.", "escalation_request"),
    ("I won't be posting about this on Twitter, relax.", "public_exposure"),
    ("It's not urgent, whenever you get a chance.", "urgency"),
    ("I don't need it today, next week is fine.", "urgency"),
    ("Your app is useless.", "abuse"),
    ("I'm such an idiot, I typed the wrong address.", "abuse"),
    ("I feel like a complete idiot for not reading the terms.", "abuse"),
    ("Thank you, the old charger was useless.", "abuse"),
    ("There's fraud on my account, please block the card.", "abuse"),
    ("Thanks for nothing.", "closing_gratitude"),
    ("Oh great, another week of waiting. Thanks a lot.", "closing_gratitude"),
    ("Can I order fabric swatches for the Malmo sofa?\nThanks!", "closing_gratitude"),
    ("Where is my order? Thanks in advance", "closing_gratitude"),
    ("Thanks for getting back to me, but the chair is still broken.", "closing_gratitude"),
    ('The agent told me "you are an idiot" on the phone.', "abuse"),
]


@pytest.mark.parametrize(("text", "name", "word"), POSITIVE)
def test_signal_fires_with_evidence(analyzer: Analyzer, text: str, name: str, word: str) -> None:
    result = analyzer.analyze(text, role="customer")
    signal = result.signal(name)
    assert signal is not None, f"{name} missed in {text!r}: {result.signal_names}"
    assert 0.0 < signal.confidence <= 1.0
    assert any(word.lower() in e.text.lower() for e in signal.evidence), signal.evidence
    assert spans_index_text(text, result)


@pytest.mark.parametrize(("text", "name"), NEGATIVE)
def test_signal_does_not_fire(analyzer: Analyzer, text: str, name: str) -> None:
    result = analyzer.analyze(text, role="customer")
    assert name not in result.signal_names, result.signal(name)


def test_known_miss_lawyer_and_cancel_is_both_threats(analyzer: Analyzer) -> None:
    text = "I want a refund now or I will call my lawyer and cancel."
    result = analyzer.analyze(text)
    assert {"legal_threat", "churn_threat"} <= set(result.signal_names)
    assert result.remedy == "refund"


@pytest.mark.parametrize(
    ("text", "severity"),
    [
        ("This is such bullshit.", 1),
        ("You useless idiots.", 2),
        ("Your useless staff can't do anything right.", 2),
        ("I know where your office is. You'll regret this.", 3),
    ],
)
def test_abuse_severity(analyzer: Analyzer, text: str, severity: int) -> None:
    result = analyzer.analyze(text)
    assert result.abuse_severity == severity
    assert result.signal("abuse") is not None
    assert result.abuse >= 0.7  # the lexical evidence is a floor under the head's probability


def test_customer_only_signals_are_dropped_for_agents(analyzer: Analyzer) -> None:
    text = "I can escalate this to my supervisor or cancel the subscription for you, still waiting?"
    agent = analyzer.analyze(text, role="agent")
    customer = analyzer.analyze(text, role="customer")
    assert "escalation_request" in customer.signal_names
    assert not {"escalation_request", "churn_threat", "repeat_contact"} & set(agent.signal_names)
    assert agent.remedy is None  # agents do not ask for remedies


def test_agent_abuse_is_still_flagged(analyzer: Analyzer) -> None:
    assert analyzer.analyze("Stop wasting my time, you moron.", role="agent").abuse_severity == 2


def test_resolved_gratitude_is_more_confident_than_polite_thanks(analyzer: Analyzer) -> None:
    solved = analyzer.analyze("Thanks, that solved it!").signal("closing_gratitude")
    polite = analyzer.analyze("Thanks, I will wait for your reply.").signal("closing_gratitude")
    assert solved is not None and polite is not None
    assert solved.confidence > polite.confidence


def test_several_hits_raise_confidence_and_keep_spans_in_order(analyzer: Analyzer) -> None:
    text = "Manager, please. I want a supervisor. Let me talk to your manager."
    signal = analyzer.analyze(text).signal("escalation_request")
    assert signal is not None
    assert signal.confidence > 0.9
    starts = [e.start for e in signal.evidence]
    assert starts == sorted(starts) and len(starts) == 3


def _names(result: MessageAnalysis) -> set[str]:
    return set(result.signal_names)


@pytest.mark.parametrize(
    "text",
    [
        "I WANT TO SPEAK TO YOUR MANAGER NOW!!!",
        "<p>I want to <b>speak</b> to a&nbsp;manager</p>",
        "I want to speak\x00 to a\u200b manager",
        "İSTANBUL trip ruined. I WANT TO SPEAK TO YOUR MANAGER",
    ],
)
def test_formatting_does_not_hide_signals(analyzer: Analyzer, text: str) -> None:
    result = analyzer.analyze(text)
    assert "escalation_request" in _names(result)
    assert spans_index_text(text, result)


def test_quoted_email_history_is_not_the_customers_words(analyzer: Analyzer) -> None:
    text = (
        "Fine, thanks for checking.\n\n"
        "On Mon, 3 Jun 2024, support@example.com wrote:\n"
        "> If you cancel your subscription you will lose your discount.\n"
        "> I can put you through to a supervisor."
    )
    assert _names(analyzer.analyze(text)) == {"closing_gratitude"}
