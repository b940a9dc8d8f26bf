"""Conversation-level view: heat over time, its direction and an escalation-risk forecast.

The forecast is a logistic formula with coefficients fixed in advance (docs/analysis.md), not
fitted: the only public data with derailment labels here (Conversations Gone Awry) is
evaluation-only, so nothing shipped may learn from it. ``accord eval --task
derailment_cga_cmv`` measures the same conversation features refitted per fold.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime

from accord.analysis.conversation_heat import customer_heat
from accord.analysis.types import ConversationAnalysis, MessageAnalysis, SignalName, Trajectory

TREND_POINTS = 15.0  # fitted change of heat over the conversation that counts as a trend
_THREATS = frozenset(
    {
        SignalName.ESCALATION_REQUEST,
        SignalName.CHURN_THREAT,
        SignalName.LEGAL_THREAT,
        SignalName.PUBLIC_EXPOSURE,
    }
)


def slope(values: Sequence[float]) -> float:
    """Least-squares slope per step (0 for fewer than two points)."""
    n = len(values)
    if n < 2:
        return 0.0
    mean_x, mean_y = (n - 1) / 2, sum(values) / n
    num = sum((i - mean_x) * (v - mean_y) for i, v in enumerate(values))
    den = sum((i - mean_x) ** 2 for i in range(n))
    return num / den


def trajectory(values: Sequence[float], closed_with_thanks: bool = False) -> Trajectory:
    change = slope(values) * (len(values) - 1)
    if change >= TREND_POINTS:
        return "escalating"
    if change <= -TREND_POINTS or (closed_with_thanks and change < 0):
        return "de-escalating"
    return "stable"


def escalation_risk(customer: Sequence[MessageAnalysis], change: float) -> float:
    """P(the conversation escalates) from the customer's recent turns; fixed coefficients."""
    if not customer:
        return 0.0
    heats = [m.heat for m in customer]
    recent = customer[-3:]
    threats = sum(1 for m in recent for s in m.signals if s.name in _THREATS)
    abuse = any(m.abuse_severity > 0 for m in recent)
    repeat = any(s.name == SignalName.REPEAT_CONTACT for m in recent for s in m.signals)
    thanked = any(s.name == SignalName.CLOSING_GRATITUDE for s in customer[-1].signals)
    z = (
        -3.0
        + 0.035 * heats[-1]
        + 0.015 * max(heats)
        + 0.03 * max(-50.0, min(50.0, change))
        + 0.8 * min(3, threats)
        + 0.6 * abuse
        + 0.4 * repeat
        - 1.5 * thanked
    )
    return round(1.0 / (1.0 + math.exp(-z)), 4)


def summarise(
    messages: Sequence[MessageAnalysis],
    times: Sequence[datetime] | None = None,
    now: datetime | None = None,
) -> ConversationAnalysis:
    """The conversation's view from its messages in order (``times``: one per message, UTC;
    with ``now`` they let time cool the customer's heat)."""
    if times is not None and len(times) != len(messages):
        raise ValueError("times must have one entry per message")
    series = tuple(m.heat for m in messages)
    # The customer's turns carry the conflict; agents' replies would only dilute the trend.
    customer = [m for m in messages if m.role == "customer"]
    values = [m.heat for m in customer]
    change = slope(values) * max(0, len(values) - 1)
    thanked = bool(customer) and any(
        s.name == SignalName.CLOSING_GRATITUDE for s in customer[-1].signals
    )
    names = sorted({s.name for m in messages for s in m.signals})
    return ConversationAnalysis(
        messages=tuple(messages),
        heat_series=series,
        trajectory=trajectory(values, thanked),
        slope=round(slope(values), 3),
        peak_heat=max(values, default=0.0),
        escalation_risk=escalation_risk(customer, change),
        signals=tuple(names),
        customer_heat=customer_heat(messages, times, now),
    )
