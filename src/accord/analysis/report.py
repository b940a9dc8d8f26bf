"""The self-contained HTML report of `accord analyze --report`.

A :class:`Collector` sees every scored chunk once and keeps only aggregates, the hottest
examples and (capped) conversation turns, so the report costs little memory on big files.
:func:`render` turns it into one HTML page: charts inlined as SVG, no external resources, every
piece of user text HTML-escaped by Jinja2's autoescape or :func:`highlight`.
"""

from __future__ import annotations

import heapq
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import jinja2
import pyarrow as pa
from markupsafe import Markup, escape

from accord.analysis import report_charts as charts
from accord.analysis.report_template import TEMPLATE

if TYPE_CHECKING:
    from accord.analysis.analyzer import Analyzer
    from accord.analysis.types import ConversationAnalysis

TOP_EXAMPLES = 20
TOP_CONVERSATIONS = 12
MAX_CONVERSATIONS = 5000  # trajectories beyond this many would not change the picture
MAX_SHOWN_CHARS = 2000
BIN = 5
NO_CAUSE, NO_TOPIC = "unknown", "other"
_COLUMNS = ("heat", "topic", "cause", "signals", "evidence_json", "non_english", "emotion_top")


@dataclass(frozen=True, slots=True)
class Example:
    row: int
    heat: float
    text: str
    topic: str
    cause: str
    signals: tuple[str, ...]
    evidence: dict[str, list[list[Any]]]


@dataclass
class Collector:
    """Aggregates of the scored rows; ``add`` once per chunk, in file order."""

    rows: int = 0
    analysed: int = 0
    non_english: int = 0
    heat_total: float = 0.0
    heat_bins: list[int] = field(default_factory=lambda: [0] * (100 // BIN))
    topics: Counter[str] = field(default_factory=Counter)
    causes: Counter[str] = field(default_factory=Counter)
    signals: Counter[str] = field(default_factory=Counter)
    emotions: Counter[str] = field(default_factory=Counter)
    conversations: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    conversations_capped: bool = False
    _top: list[tuple[float, int, Example]] = field(default_factory=list)

    def add(
        self,
        texts: Sequence[str | None],
        roles: Sequence[str],
        analysis: pa.RecordBatch,
        conversation_ids: Sequence[Any] | None = None,
    ) -> None:
        cols = {name: analysis.column(name).to_pylist() for name in _COLUMNS}
        for i, text in enumerate(texts):
            row = self.rows + i
            if conversation_ids is not None:
                self._keep_turn(conversation_ids[i], roles[i], text or "")
            if not text or not text.strip():
                continue  # empty rows pass through the file but say nothing about conflict
            self.analysed += 1
            heat = float(cols["heat"][i])
            self.heat_total += heat
            self.heat_bins[min(int(heat // BIN), len(self.heat_bins) - 1)] += 1
            self.non_english += bool(cols["non_english"][i])
            self.topics[cols["topic"][i]] += 1
            self.causes[cols["cause"][i]] += 1
            self.emotions[cols["emotion_top"][i]] += 1
            self.signals.update(cols["signals"][i] or [])
            if len(self._top) < TOP_EXAMPLES or heat > self._top[0][0]:
                self._push(row, heat, text, {k: v[i] for k, v in cols.items()})
        self.rows += len(texts)

    def _push(self, row: int, heat: float, text: str, values: dict[str, Any]) -> None:
        example = Example(
            row=row + 1,
            heat=heat,
            text=text,
            topic=values["topic"],
            cause=values["cause"],
            signals=tuple(values["signals"] or ()),
            evidence=json.loads(values["evidence_json"] or "{}"),
        )
        item = (heat, -row, example)  # earlier rows win ties; row numbers are unique
        if len(self._top) < TOP_EXAMPLES:
            heapq.heappush(self._top, item)
        else:
            heapq.heappushpop(self._top, item)

    def _keep_turn(self, conversation: Any, role: str, text: str) -> None:
        if conversation is None:
            return
        key = str(conversation)
        turns = self.conversations.get(key)
        if turns is None:
            if len(self.conversations) >= MAX_CONVERSATIONS:
                self.conversations_capped = True
                return
            turns = self.conversations[key] = []
        turns.append((role, text))

    def hottest(self) -> list[Example]:
        return [e for _, _, e in sorted(self._top, reverse=True)]


def highlight(text: str, evidence: dict[str, list[list[Any]]]) -> Markup:
    """``text`` HTML-escaped, each evidence span wrapped in ``<mark>`` (overlaps: first wins)."""
    shown = text[:MAX_SHOWN_CHARS]
    spans = sorted(
        (int(s), int(e), name)
        for name, items in evidence.items()
        for s, e, quoted in items
        if 0 <= int(s) < int(e) <= len(shown) and shown[int(s) : int(e)] == quoted
    )
    parts: list[Markup] = []
    pos = 0
    for start, end, name in spans:
        if start < pos:
            continue
        parts.append(escape(shown[pos:start]))
        mark = Markup('<mark title="{}">{}</mark>')
        parts.append(mark.format(name.replace("_", " "), shown[start:end]))
        pos = end
    parts.append(escape(shown[pos:]))
    if len(text) > len(shown):
        parts.append(Markup(" &hellip;"))
    return Markup("").join(parts)


@dataclass(frozen=True, slots=True)
class ConversationRow:
    id: str
    messages: int
    trajectory: str
    peak_heat: float
    heat: float
    escalation_risk: float
    signals: tuple[str, ...]


def _trajectories(
    collector: Collector, analyzer: Analyzer
) -> tuple[Counter[str], list[ConversationRow], dict[str, tuple[float, ...]]]:
    results: dict[str, ConversationAnalysis] = {
        cid: analyzer.analyze_conversation(turns) for cid, turns in collector.conversations.items()
    }
    counts = Counter(str(r.trajectory) for r in results.values())
    hottest = sorted(results.items(), key=lambda kv: (-kv[1].peak_heat, kv[0]))
    rows = [
        ConversationRow(
            id=cid,
            messages=len(r.messages),
            trajectory=r.trajectory,
            peak_heat=r.peak_heat,
            heat=r.heat,
            escalation_risk=r.escalation_risk,
            signals=r.signals,
        )
        for cid, r in hottest[:TOP_CONVERSATIONS]
    ]
    series = {row.id: results[row.id].heat_series for row in rows[:8]}
    return counts, rows, series


def _without(counts: Counter[str], name: str) -> Counter[str]:
    # The catch-all bucket dwarfs the rest; the page states its size in words instead.
    return Counter({k: n for k, n in counts.items() if k != name})


def render(collector: Collector, analyzer: Analyzer | None, *, source: str, text_col: str) -> str:
    """The report page as one HTML string; ``analyzer`` is needed only for conversations."""
    trajectory_counts: Counter[str] = Counter()
    conversation_rows: list[ConversationRow] = []
    series: dict[str, tuple[float, ...]] = {}
    if collector.conversations and analyzer is not None:
        trajectory_counts, conversation_rows, series = _trajectories(collector, analyzer)
    has_text = collector.analysed > 0
    examples = [(e, highlight(e.text, e.evidence)) for e in collector.hottest()]
    context = {
        "source": source,
        "text_col": text_col,
        "c": collector,
        "mean_heat": collector.heat_total / collector.analysed if collector.analysed else 0.0,
        "hot": sum(collector.heat_bins[50 // BIN :]),
        "heat_chart": charts.heat_histogram(collector.heat_bins, BIN) if has_text else None,
        "cause_chart": charts.counts_bar(_without(collector.causes, NO_CAUSE), "Causes"),
        "topic_chart": charts.counts_bar(_without(collector.topics, NO_TOPIC), "Topics"),
        "no_cause": collector.causes[NO_CAUSE],
        "no_topic": collector.topics[NO_TOPIC],
        "signal_chart": charts.counts_bar(collector.signals, "Signals", limit=30),
        "signals": collector.signals.most_common(),
        "trajectory_chart": charts.trajectory_counts(trajectory_counts),
        "lines_chart": charts.heat_lines(series),
        "trajectory_counts": trajectory_counts,
        "conversations": conversation_rows,
        "examples": examples,
    }
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    return env.from_string(TEMPLATE).render(context)
