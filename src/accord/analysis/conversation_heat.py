"""The conversation's heat: how heated the customer is now.

Only the customer's messages count: an agent's reply changes nothing about how the customer
feels until the customer answers (the reply gets its own reading, its tone, in the series).
Each customer message keeps a share of the heat of the ones before it, so a calm follow-up
under an outburst does not wipe the outburst out, and it fades with what the customer says
next and with time:

    share_k = (heat_k - stakes_k) * prod(keep_j) * decay(t_last - t_k)
            + stakes_k * MEMORY ** later_k * decay(t_last - t_k)
    keep_j  = MEMORY * (1 - RELIEF * thanks_j)     (thanks_j: closing-gratitude confidence)
    base    = max_k share_k                         (the message with the maximum drives it)
    heat    = base * decay(now - t_last),  decay(h) = 0.5 ** (h / HALF_LIFE_HOURS)

``stakes_k`` is the message's threat-signal term (a lawyer, a review, leaving, an injury):
thanks cool the customer's feelings, not a threat still on the table; later turns and time do.

Every factor is at most 1, so the heat never exceeds the hottest customer message, and a new
customer message can only raise it to at least its own heat. See docs/analysis.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from accord.analysis.types import NO_HEAT, ConversationHeat, HeatReason, MessageAnalysis, SignalName

MEMORY = 0.8  # the share of earlier heat a later customer message keeps
RELIEF = 0.7  # how much of that a closing thanks (confidence 1) takes away
HALF_LIFE_HOURS = 72.0  # heat halves every three days without a word from the customer


def keep_after(message: MessageAnalysis) -> float:
    """The share of earlier heat that survives this customer message."""
    thanks = max(
        (s.confidence for s in message.signals if s.name == SignalName.CLOSING_GRATITUDE), default=0
    )
    return MEMORY * (1.0 - RELIEF * thanks)


def decay(hours: float) -> float:
    return float(0.5 ** (max(0.0, hours) / HALF_LIFE_HOURS))


def hours_between(earlier: datetime, later: datetime) -> float:
    return (later - earlier).total_seconds() / 3600.0


def customer_heat(
    messages: Sequence[MessageAnalysis],
    times: Sequence[datetime] | None = None,
    now: datetime | None = None,
) -> ConversationHeat:
    """The customer's heat after ``messages`` (in order; ``times`` one per message, UTC).

    Without times, time does not cool anything (a conversation given as plain turns).
    """
    turns = [i for i, m in enumerate(messages) if m.role == "customer"]
    if not turns:
        return NO_HEAT
    last = turns[-1]
    reasons, carried, remembered, relief = [], 1.0, 1.0, None
    for i in reversed(turns):
        since = decay(hours_between(times[i], times[last])) if times else 1.0
        message = messages[i]
        stakes = min(message.heat, max(0.0, message.heat_parts.get("signals", 0.0)))
        reasons.append(
            HeatReason(
                i, message.heat, stakes, round(carried * since, 4), round(remembered * since, 4)
            )
        )
        keep = keep_after(message)
        if keep < MEMORY and relief is None:
            relief = i
        carried *= keep
        remembered *= MEMORY
    reasons.sort(key=lambda r: (-r.contribution, -r.index))
    driver = reasons[0]
    base = driver.contribution
    cooling = decay(hours_between(times[last], now)) if times and now else 1.0
    return ConversationHeat(
        heat=round(base * cooling, 1),
        base=base,
        decay=round(cooling, 4),
        driver=driver,
        reasons=tuple(reasons),
        relief=relief if relief is not None and relief > driver.index else None,
    )


def cooled(base: float, since: datetime | None, now: datetime) -> float:
    """A stored base heat cooled to ``now`` (the periodic refresh of the inbox's order)."""
    if since is None:
        return round(base, 1)
    return round(base * decay(hours_between(since, now)), 1)
