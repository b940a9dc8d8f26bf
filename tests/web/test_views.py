"""The pure helpers behind the pages (evidence marks, the heat chart, the coach's one-click
fixes) and the coach's routes."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi.testclient import TestClient

from accord.coach.types import Finding, Span
from accord.web.coach_view import apply_finding, example
from accord.web.views import Segment, heat_chart, segments
from accord.web.views import Span as Mark
from tests.world import World

DEFENSIVE = "That's not our fault, you should have read the manual. Our policy is clear."


def test_segments_mark_evidence_and_keep_every_character() -> None:
    text = "I want a refund or I'm done with you"
    spans = [Mark(9, 15, "remedy: refund"), Mark(23, 36, "signal: churn_threat")]
    out = segments(text, text, spans)
    assert "".join(s.text for s in out) == text
    assert [s.text for s in out if s.label] == ["refund", "done with you"]


def test_segments_merge_overlaps_and_drop_spans_outside_the_text() -> None:
    text = "abcdefghij"
    out = segments(text, text, [Mark(2, 6, "a"), Mark(4, 8, "b"), Mark(5, 99, "c")])
    assert out == [Segment("ab"), Segment("cdefgh", "a; b"), Segment("ij")]


def test_segments_follow_the_masked_text() -> None:
    out = segments("you idiots", "you i*****", [Mark(4, 10, "signal: abuse")])
    assert out[-1] == Segment("i*****", "signal: abuse")


def test_heat_chart_geometry() -> None:
    assert heat_chart([]) is None
    chart = heat_chart([0, 50, 100, 140])
    assert chart is not None
    ys = [y for _, y, _ in chart.dots]
    assert ys[0] > ys[1] > ys[2] == ys[3]  # higher heat is drawn higher, clamped at 100
    assert chart.summary.startswith("Heat over 4 messages: 0, 50, 100, 100")
    single = heat_chart([40])
    assert single is not None and len(single.dots) == 1


def _finding(kind: str, status: str, suggestion: str | None, *spans: Span) -> Finding:
    return Finding("x", kind, status, 1.0, spans, suggestion)  # type: ignore[arg-type]


def test_example_sentences_are_taken_from_suggestions() -> None:
    assert example("Thank them: 'Thank you for bringing this to our attention.'") == (
        "Thank you for bringing this to our attention."
    )
    assert example("Acknowledge it, e.g. 'I can imagine how frustrating this is.'") == (
        "I can imagine how frustrating this is."
    )
    assert example("Restate it, e.g. 'If I understand correctly, ...'.") is None
    assert example(None) is None


def test_applying_findings() -> None:
    missing = _finding("practice", "missing", "Thank them: 'Thank you for writing.'")
    assert apply_finding("Hello.", missing) == "Hello. Thank you for writing."
    blame = _finding("violation", "violated", "Drop it.", Span(0, 21, "That's not our fault,"))
    assert apply_finding("That's not our fault, we will fix it.", blame) == "we will fix it."
    advice_only = _finding("practice", "missing", "Restate it, e.g. 'If I understand, ...'")
    assert apply_finding("Hello.", advice_only) == "Hello."


def test_coach_routes(web: TestClient, world: World, login_as: Callable[[str], str]) -> None:
    csrf = login_as("agent_x")
    hx = {"X-CSRF-Token": csrf, "HX-Request": "true"}
    base = f"/conversations/{world.conv_a}/coach"
    review = web.post(f"{base}/review", data={"text": DEFENSIVE}, headers=hx)
    assert review.status_code == 200 and "Coach:" in review.text
    assert 'data-criterion="defensive"' in review.text
    assert "<html" not in review.text
    empty = web.post(f"{base}/review", data={"text": ""}, headers=hx)
    assert "reviews your draft as you type" in empty.text
    fixed = web.post(f"{base}/apply", data={"text": DEFENSIVE, "criterion": "blame"}, headers=hx)
    assert fixed.status_code == 200 and fixed.text.lstrip().startswith('<div id="composer-body"')
    assert "you should have read the manual" not in fixed.text.split("</textarea>")[0]
    bogus = web.post(f"{base}/apply", data={"text": "x", "criterion": "nope"}, headers=hx)
    assert bogus.status_code == 422
    drafted = web.post(f"{base}/draft", headers=hx)
    textarea = re.search(r"<textarea[^>]*>(.*?)</textarea>", drafted.text, re.S)
    assert textarea and textarea.group(1).strip()
    plain = web.post(f"{base}/draft", data={"csrf_token": csrf})  # no JavaScript: whole page
    assert plain.status_code == 200 and "<html" in plain.text and 'id="composer-text"' in plain.text
