""" "Why this heat" for the conversation page: the stored explanation (insights.heat_why) as
lines an agent can read, each pointing at the message it names."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class HeatTerm:
    name: str
    points: float


@dataclass(frozen=True)
class HeatWhy:
    heat: float
    driver_id: int | None  # the customer message that sets the heat
    driver_heat: float
    driver_share: float  # its contribution after later turns and time between them
    terms: list[HeatTerm]  # that message's heat terms, largest first, zeros left out
    evidence: list[tuple[str, str]]  # (signal, the words that fired it)
    relief_id: int | None  # the customer message whose thanks cooled it
    decay: float  # what time since the customer's last message kept
    half_life_hours: float


def heat_why_view(why: dict[str, Any] | None) -> HeatWhy | None:
    """None when there is nothing to explain (no customer message yet, or an old row)."""
    if not why or not why.get("driver"):
        return None
    driver = why["driver"]
    parts = driver.get("parts", {})
    terms = [HeatTerm(k, v) for k, v in sorted(parts.items(), key=lambda kv: -abs(kv[1])) if v]
    evidence = [(e["signal"], "; ".join(e["text"])) for e in driver.get("evidence", [])]
    return HeatWhy(
        heat=float(why.get("heat", 0.0)),
        driver_id=driver.get("message_id"),
        driver_heat=float(driver.get("heat", 0.0)),
        driver_share=float(driver.get("contribution", 0.0)),
        terms=terms,
        evidence=evidence,
        relief_id=why.get("relief"),
        decay=float(why.get("decay", 1.0)),
        half_life_hours=float(why.get("half_life_hours", 0.0)),
    )
