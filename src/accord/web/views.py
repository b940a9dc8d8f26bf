"""Shapes for templates: evidence split into marked segments, the heat chart's geometry, and
the chips of a message. Pure functions; the templates escape every string they print."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

CHART_WIDTH = 320
CHART_HEIGHT = 80
CHART_PAD = 6


@dataclass(frozen=True)
class Segment:
    text: str
    label: str | None = None


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    label: str


def evidence_spans(result: dict[str, Any]) -> list[Span]:
    """Every evidence span the engine reported for a message, labelled with what it is for."""
    found: list[Span] = []
    for signal in result.get("signals", []):
        for e in signal.get("evidence", []):
            found.append(Span(e["start"], e["end"], f"signal: {signal['name']}"))
    for key, what in (("cause_evidence", "cause"), ("remedy_evidence", "remedy")):
        for e in result.get(key, []):
            found.append(Span(e["start"], e["end"], f"{what}: {result.get(what) or ''}"))
    return found


def segments(original: str, shown: str, spans: Sequence[Span]) -> list[Segment]:
    """Split `shown` (the text as this viewer sees it, masked words included) at the spans.

    Spans index the original text; one that no longer matches it (the text was edited, or the
    span is malformed) is dropped rather than guessed. Overlapping spans merge into one mark.
    """
    valid = sorted(
        (s for s in spans if 0 <= s.start < s.end <= min(len(original), len(shown))),
        key=lambda s: (s.start, -s.end),
    )
    merged: list[Span] = []
    for span in valid:
        if merged and span.start < merged[-1].end:
            last = merged[-1]
            labels = last.label if span.label in last.label else f"{last.label}; {span.label}"
            merged[-1] = Span(last.start, max(last.end, span.end), labels)
        else:
            merged.append(span)
    out: list[Segment] = []
    cursor = 0
    for span in merged:
        if span.start > cursor:
            out.append(Segment(shown[cursor : span.start]))
        out.append(Segment(shown[span.start : span.end], span.label))
        cursor = span.end
    if cursor < len(shown):
        out.append(Segment(shown[cursor:]))
    return out


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    points: str
    dots: list[tuple[float, float, float]]  # x, y, heat
    summary: str


def heat_chart(series: Sequence[float]) -> Chart | None:
    """Geometry of a small line chart of heat (0-100) over the customer's messages."""
    if not series:
        return None
    inner_w = CHART_WIDTH - 2 * CHART_PAD
    inner_h = CHART_HEIGHT - 2 * CHART_PAD
    step = inner_w / max(1, len(series) - 1)
    dots = []
    for i, value in enumerate(series):
        heat = max(0.0, min(100.0, float(value)))
        x = CHART_PAD + (i * step if len(series) > 1 else inner_w / 2)
        y = CHART_PAD + inner_h * (1 - heat / 100)
        dots.append((round(x, 1), round(y, 1), float(round(heat))))
    points = " ".join(f"{x},{y}" for x, y, _ in dots)
    values = ", ".join(str(int(h)) for _, _, h in dots)
    summary = f"Heat over {len(series)} messages: {values} (0 calm, 100 boiling)"
    return Chart(CHART_WIDTH, CHART_HEIGHT, points, dots, summary)


@dataclass(frozen=True)
class Chips:
    emotion: str | None
    severity: str | None
    signals: list[str]
    heat: float | None


def chips(insight: Any | None) -> Chips:
    """What the analysis says about one message, in the few words a chip holds."""
    if insight is None:
        return Chips(None, None, [], None)
    result: dict[str, Any] = insight.result or {}
    emotion = (result.get("emotion") or {}).get("top")
    severity = result.get("severity_label") if insight.severity else None
    return Chips(emotion, severity, list(insight.signals), insight.heat)
