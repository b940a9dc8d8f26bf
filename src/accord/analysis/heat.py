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

from accord.analysis.types import Signal

W_NEGATIVE = 0.20
W_COMPLAINT = 0.15
W_SEVERITY = 0.25
W_ANGER = 0.15
W_SHOUT = 0.10
W_ABUSE = 0.10  # per abuse severity step (profanity 1, insult 2, threat 3)
SIGNAL_CAP = 0.40
W_GRATITUDE = 0.15
SIGNAL_WEIGHTS: dict[str, float] = {
    "escalation_request": 0.15,
    "churn_threat": 0.18,
    "legal_threat": 0.25,
    "public_exposure": 0.18,
    "repeat_contact": 0.10,
    "urgency": 0.05,
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


def shout_score(caps_ratio: float, exclamations: int) -> float:
    return min(1.0, 1.5 * caps_ratio + 0.15 * max(0, exclamations - 1))


def signal_term(signals: Iterable[Signal]) -> tuple[float, float]:
    """(capped threat-signal weight, closing-gratitude confidence)."""
    threat, gratitude = 0.0, 0.0
    for sig in signals:
        threat += SIGNAL_WEIGHTS.get(sig.name, 0.0) * sig.confidence
        if sig.name == "closing_gratitude":
            gratitude = max(gratitude, sig.confidence)
    return min(SIGNAL_CAP, threat), gratitude


def heat(x: HeatInputs) -> float:
    """Heat in [0, 100], rounded to one decimal."""
    threat, gratitude = signal_term(x.signals)
    raw = (
        W_NEGATIVE * max(0.0, -x.sentiment)
        + W_COMPLAINT * x.complaint_prob
        + W_SEVERITY * x.severity / 4
        + W_ANGER * x.anger
        + W_SHOUT * x.shout
        + W_ABUSE * x.abuse_severity
        + threat
        - W_GRATITUDE * gratitude
    )
    return round(100.0 * min(1.0, max(0.0, raw)), 1)
