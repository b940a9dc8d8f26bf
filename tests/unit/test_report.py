"""The analysis report's pure parts: evidence highlighting, aggregation, the page itself."""

from __future__ import annotations

import pyarrow as pa

from accord.analysis import load_analyzer
from accord.analysis.batch import OUTPUT_FIELDS, score_batch
from accord.analysis.report import TOP_EXAMPLES, Collector, highlight, render


def _scored(texts: list[str | None]) -> pa.RecordBatch:
    batch = pa.RecordBatch.from_pydict({"text": pa.array(texts, pa.string())})
    return score_batch(batch, load_analyzer()).select([f.name for f in OUTPUT_FIELDS])


def test_highlight_escapes_text_and_marks_only_matching_spans() -> None:
    text = "<b>refund</b> me NOW & fast"
    evidence = {
        "remedy": [[3, 9, "refund"]],
        "shouting": [[17, 20, "NOW"], [0, 2, "xx"]],  # a span not matching the text is dropped
        "overlap": [[4, 8, "efun"]],  # inside an earlier span: the first one wins
    }
    html = str(highlight(text, evidence))
    assert html == (
        '&lt;b&gt;<mark title="remedy">refund</mark>&lt;/b&gt; me '
        '<mark title="shouting">NOW</mark> &amp; fast'
    )


def test_highlight_escapes_markup_inside_a_span() -> None:
    html = str(highlight("say <i>", {"x_y": [[4, 7, "<i>"]]}))
    assert html == 'say <mark title="x y">&lt;i&gt;</mark>'


def test_collector_keeps_the_hottest_rows_and_skips_empty_ones() -> None:
    calm = ["thanks, that works"] * 30
    hot = "This is the THIRD time, I want a refund or I call my lawyer!!"
    texts: list[str | None] = [*calm, hot, "", None]
    collector = Collector()
    collector.add(texts, ["customer"] * len(texts), _scored(texts), ["a"] * len(texts))
    assert collector.rows == 33 and collector.analysed == 31
    hottest = collector.hottest()
    assert len(hottest) == TOP_EXAMPLES
    assert hottest[0].text == hot and hottest[0].row == 31
    assert collector.signals["legal_threat"] == 1
    assert len(collector.conversations["a"]) == 33


def test_render_with_no_rows_still_makes_a_page() -> None:
    html = render(Collector(), None, source="empty.csv", text_col="text")
    assert "No text to analyse." in html and "<svg" not in html
