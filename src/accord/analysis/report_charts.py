"""Charts of the analysis report: Altair (Vega-Lite) specs rendered to SVG offline by vl-convert.

SVG is inlined in the page, so the report opens anywhere without a network or a JS runtime.
Data are aggregated before they reach a spec: a million-row file still makes a small chart.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import altair as alt
import vl_convert as vlc
from markupsafe import Markup

WIDTH = 560
HEAT_COLOURS = alt.Scale(domain=[0, 50, 100], range=["#4c9a6a", "#e8b04a", "#c8402f"])
TRAJECTORIES = ["escalating", "stable", "de-escalating"]
TRAJECTORY_COLOURS = alt.Scale(domain=TRAJECTORIES, range=["#c8402f", "#8a8f98", "#4c9a6a"])


def _svg(chart: alt.Chart) -> Markup:
    # vl-convert escapes data-derived labels as XML text, so the SVG is safe to inline
    # (tests/unit/test_report_charts_escape.py renders hostile labels and parses the result).
    svg = vlc.vegalite_to_svg(chart.to_dict())
    return Markup(svg)  # noqa: S704  # nosec B704  # why: vl-convert escapes labels (above)


def heat_histogram(bins: Sequence[int], width: int) -> Markup:
    rows = [
        {"from": i * width, "to": (i + 1) * width, "messages": n, "mid": i * width + width / 2}
        for i, n in enumerate(bins)
    ]
    chart = (
        alt.Chart({"values": rows})
        .mark_bar()
        .encode(
            x=alt.X("from:Q", bin="binned", title="heat (0 calm - 100 hostile)").scale(
                domain=[0, 100]
            ),
            x2="to:Q",
            y=alt.Y("messages:Q", title="messages"),
            color=alt.Color("mid:Q", scale=HEAT_COLOURS, legend=None),
            tooltip=["from:Q", "to:Q", "messages:Q"],
        )
        .properties(width=WIDTH, height=200, title="Heat distribution")
    )
    return _svg(chart)


def counts_bar(counts: Counter[str], title: str, limit: int = 15) -> Markup | None:
    rows: list[dict[str, Any]] = [{"name": k, "n": n} for k, n in counts.most_common(limit)]
    if not rows:
        return None
    chart = (
        alt.Chart({"values": rows})
        .mark_bar(color="#5470a8")
        .encode(
            y=alt.Y("name:N", sort="-x", title=None),
            x=alt.X("n:Q", title="messages"),
            tooltip=["name:N", "n:Q"],
        )
        .properties(width=WIDTH - 160, height=max(40, 18 * len(rows)), title=title)
    )
    return _svg(chart)


def trajectory_counts(counts: Counter[str]) -> Markup | None:
    rows: list[dict[str, Any]] = [{"trajectory": k, "n": n} for k, n in counts.items()]
    if not rows:
        return None
    chart = (
        alt.Chart({"values": rows})
        .mark_bar()
        .encode(
            x=alt.X("trajectory:N", sort=TRAJECTORIES, title=None),
            y=alt.Y("n:Q", title="conversations"),
            color=alt.Color("trajectory:N", scale=TRAJECTORY_COLOURS, legend=None),
        )
        .properties(width=240, height=180, title="Conversation trajectories")
    )
    return _svg(chart)


def heat_lines(series: Mapping[str, Sequence[float]]) -> Markup | None:
    rows: list[dict[str, Any]] = [
        {"conversation": cid, "turn": i + 1, "heat": h}
        for cid, values in series.items()
        for i, h in enumerate(values)
    ]
    if not rows:
        return None
    chart = (
        alt.Chart({"values": rows})
        .mark_line(point=True)
        .encode(
            x=alt.X("turn:O", title="message"),
            y=alt.Y("heat:Q", title="heat").scale(domain=[0, 100]),
            color=alt.Color("conversation:N", title="conversation"),
            tooltip=["conversation:N", "turn:O", "heat:Q"],
        )
        .properties(width=WIDTH, height=240, title="Heat over the hottest conversations")
    )
    return _svg(chart)
