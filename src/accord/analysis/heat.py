"""The heat score: one 0-100 number an agent can sort a queue by.

A fixed, documented weighted sum (docs/analysis.md) rather than a learned model: no public
data labels "how heated is this message", and a formula whose parts can be read back to the
agent ("high because: legal threat, blame, shouting") is worth more than a few points of fit.
Every weight is non-negative except the closing-gratitude relief, so heat never falls when
severity, negativity or a threat signal rises.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from accord.analysis.types import Signal, SignalName

W_NEGATIVE = 0.20
W_COMPLAINT = 0.15
W_SEVERITY = 0.25
W_ANGER = 0.15
W_SHOUT = 0.10
W_ABUSE = 0.10  # per abuse severity step (profanity 1, insult 2, threat 3)
SIGNAL_CAP = 0.40
CALM_SHARE = 0.3
W_GRATITUDE = 0.15
SIGNAL_WEIGHTS: dict[str, float] = {
    SignalName.ESCALATION_REQUEST: 0.15,
    SignalName.CHURN_THREAT: 0.18,
    SignalName.LEGAL_THREAT: 0.25,
    SignalName.PUBLIC_EXPOSURE: 0.18,
    SignalName.REPEAT_CONTACT: 0.10,
    SignalName.URGENCY: 0.05,
    SignalName.SAFETY_INCIDENT: 0.25,  # someone was hurt, or could have been
    SignalName.SARCASM: 0.08,  # indirect anger: its words read calm, so the heads under-score it
    SignalName.HOSTILE_TONE: 0.20,  # an agent blaming or talking down to the customer
}


@dataclass(frozen=True, slots=True)
class HeatInputs:
    sentiment: float  # polarity in [-1, 1]
    complaint_prob: float
    severity: int  # 0-4
    anger: float  # max of anger, annoyance and 0.7 x disappointment
    shout: float  # 0-1 from capitals and repeated exclamation marks
    abuse_severity: int  # 0-3
    signals: tuple[Signal, ...] = ()
    calm_request: bool = False  # a polite request naming no problem (figurative.py)


def shout_score(caps_ratio: float, exclamations: int) -> float:
    return min(1.0, 1.5 * caps_ratio + 0.15 * max(0, exclamations - 1))


def signal_term(signals: Iterable[Signal]) -> tuple[float, float]:
    """(capped threat-signal weight, closing-gratitude confidence)."""
    threat, gratitude = 0.0, 0.0
    for sig in signals:
        threat += SIGNAL_WEIGHTS.get(sig.name, 0.0) * sig.confidence
        if sig.name == SignalName.CLOSING_GRATITUDE:
            gratitude = max(gratitude, sig.confidence)
    return min(SIGNAL_CAP, threat), gratitude


def heat_parts(x: HeatInputs) -> dict[str, float]:
    """Each term of the formula in heat points (the relief is negative): what made this heat."""
    threat, gratitude = signal_term(x.signals)
    # A polite request that names no problem is not a grievance, whatever the heads read in
    # its words: their grievance and affect terms count only in part.
    share = CALM_SHARE if x.calm_request else 1.0
    terms = {
        "negativity": share * W_NEGATIVE * max(0.0, -x.sentiment),
        "complaint": share * W_COMPLAINT * x.complaint_prob,
        "severity": share * W_SEVERITY * x.severity / 4,
        "anger": share * W_ANGER * x.anger,
        "shouting": W_SHOUT * x.shout,
        "abuse": W_ABUSE * x.abuse_severity,
        "signals": threat,
        "relief": -W_GRATITUDE * gratitude,
    }
    return {name: round(100.0 * value, 1) for name, value in terms.items()}


def heat(x: HeatInputs) -> float:
    """Heat in [0, 100], rounded to one decimal."""
    return total(heat_parts(x))


def total(parts: dict[str, float]) -> float:
    return round(min(100.0, max(0.0, sum(parts.values()))), 1)
