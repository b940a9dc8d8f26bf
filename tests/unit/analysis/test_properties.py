"""Property tests: analyze() never raises, heat stays in range, spans index the original."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from accord.analysis import Analyzer, load_analyzer
from tests.unit.analysis.conftest import spans_index_text

# Words that trigger signals, mixed into arbitrary unicode so spans actually get produced.
TRIGGERS = [
    "manager",
    "speak to a supervisor",
    "I'll cancel",
    "lawyer",
    "Twitter",
    "third time",
    "still waiting",
    "urgent",
    "idiot",
    "fuck",
    "thanks, that solved it",
    "refund",
    "rude",
    "not",
    '"',
    "<b>",
    "&nbsp;",
    "İ",
    "\x00",
    "\u202e",
    "\n> ",
]
TEXTS = st.lists(st.one_of(st.text(max_size=40), st.sampled_from(TRIGGERS)), max_size=12).map(
    " ".join
)


def _analyzer() -> Analyzer:
    return load_analyzer()  # cached; a fixture would be shared across hypothesis examples anyway


@settings(max_examples=150, deadline=None)
@given(TEXTS, st.sampled_from(["customer", "agent"]))
def test_analyze_is_total_and_spans_are_exact(text: str, role: str) -> None:
    result = _analyzer().analyze(text, role=role)  # type: ignore[arg-type]
    assert 0.0 <= result.heat <= 100.0
    assert -1.0 <= result.sentiment <= 1.0
    assert spans_index_text(text, result)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["customer", "agent"]), TEXTS), max_size=6))
def test_conversation_is_total(turns: list[tuple[str, str]]) -> None:
    result = _analyzer().analyze_conversation(turns)
    assert len(result.heat_series) == len(turns)
    assert 0.0 <= result.escalation_risk <= 1.0
    assert result.trajectory in ("escalating", "stable", "de-escalating")
    assert all(0.0 <= h <= 100.0 for h in result.heat_series)


@given(st.text(max_size=300), st.sampled_from(["customer", "agent"]))
@settings(max_examples=60, deadline=None)
def test_a_stored_result_reads_back_equal(text: str, role: str) -> None:
    result = load_analyzer().analyze(text, role=role)  # type: ignore[arg-type]
    assert type(result).from_dict(json.loads(json.dumps(result.to_dict()))) == result
