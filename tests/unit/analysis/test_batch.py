"""``score_batch``: the Arrow entry point for Spark / Ray / local batch scoring."""

from __future__ import annotations

import json

import pyarrow as pa
import pytest

from accord.analysis import Analyzer, output_schema, score_batch
from accord.analysis.batch import OUTPUT_FIELDS

TEXTS = [
    "I want a refund now or I will call my lawyer and cancel.",
    None,
    "",
    "Thanks, that solved it!",
    "Je voudrais un remboursement pour ma commande.",
    "You useless idiots, this is the third time!!!",
]
ROLES = ["customer", "customer", "agent", "customer", "customer", "bogus"]


def _batch() -> pa.RecordBatch:
    return pa.RecordBatch.from_arrays(
        [pa.array(range(len(TEXTS)), pa.int64()), pa.array(TEXTS, pa.string()), pa.array(ROLES)],
        names=["id", "text", "role"],
    )


def test_schema_and_rows(analyzer: Analyzer) -> None:
    batch = _batch()
    out = score_batch(batch, analyzer=analyzer)
    assert out.schema == output_schema(batch.schema)
    assert out.num_rows == batch.num_rows
    assert out.schema.names[:3] == ["id", "text", "role"]
    assert out.column("id").to_pylist() == list(range(len(TEXTS)))
    assert out.column("text").to_pylist() == TEXTS  # input columns come back untouched
    for field in OUTPUT_FIELDS:
        assert out.schema.field(field.name).type == field.type


def test_rows_equal_analyze(analyzer: Analyzer) -> None:
    out = score_batch(_batch(), analyzer=analyzer).to_pylist()
    for row, text, role in zip(out, TEXTS, ROLES, strict=True):
        one = analyzer.analyze(text or "", role="agent" if role == "agent" else "customer")
        assert row["heat"] == pytest.approx(one.heat, abs=1e-4)
        assert row["sentiment"] == pytest.approx(one.sentiment, abs=1e-4)
        assert row["complaint_prob"] == pytest.approx(one.complaint_prob, abs=1e-4)
        assert row["ekman_anger"] == pytest.approx(one.emotion.ekman["anger"], abs=1e-4)
        assert row["emotion_gratitude"] == pytest.approx(one.emotion.extra["gratitude"], abs=1e-4)
        assert (row["severity"], row["abuse_severity"]) == (one.severity, one.abuse_severity)
        assert (row["topic"], row["cause"], row["remedy"]) == (one.topic, one.cause, one.remedy)
        assert (row["language"], row["non_english"]) == (one.language, one.non_english)
        assert row["emotion_top"] == one.emotion.top
        assert row["signals"] == one.signal_names
        evidence = json.loads(row["evidence_json"])
        assert set(evidence) - {"remedy"} == set(one.signal_names)
        for spans in evidence.values():
            for start, end, snippet in spans:
                assert (text or "")[start:end] == snippet


def test_null_and_empty_text_rows(analyzer: Analyzer) -> None:
    out = score_batch(_batch(), analyzer=analyzer).to_pylist()
    for row in out[1:3]:
        assert row["heat"] == 0.0 and row["signals"] == [] and row["language"] == "und"
    assert out[4]["non_english"] is True
    assert out[0]["signals"] == ["churn_threat", "legal_threat"]


def test_without_role_column_everyone_is_a_customer(analyzer: Analyzer) -> None:
    batch = pa.RecordBatch.from_pydict({"body": ["Let me speak to your manager."]})
    out = score_batch(batch, analyzer=analyzer, text_col="body")
    assert out.column("signals").to_pylist() == [["escalation_request"]]


def test_empty_batch(analyzer: Analyzer) -> None:
    batch = pa.RecordBatch.from_pydict({"text": pa.array([], pa.string())})
    out = score_batch(batch, analyzer=analyzer)
    assert out.num_rows == 0 and out.schema == output_schema(batch.schema)


def test_existing_output_columns_are_replaced(analyzer: Analyzer) -> None:
    batch = pa.RecordBatch.from_pydict({"text": ["hello"], "heat": ["stale"]})
    out = score_batch(batch, analyzer=analyzer)
    assert out.schema.names.count("heat") == 1
    assert out.schema.field("heat").type == pa.float32()


def test_missing_text_column_is_a_clear_error(analyzer: Analyzer) -> None:
    batch = pa.RecordBatch.from_pydict({"body": ["x"]})
    with pytest.raises(KeyError, match="'text' column"):
        score_batch(batch, analyzer=analyzer)


def test_score_batches_is_the_generator_spark_calls() -> None:
    from accord.analysis.batch import score_batches

    batches = [
        pa.RecordBatch.from_pydict({"text": ["Where is my parcel?", "You idiots!!"]}),
        pa.RecordBatch.from_pydict({"text": ["thanks, all sorted"]}),
    ]
    out = list(score_batches(iter(batches)))
    assert [b.num_rows for b in out] == [2, 1]
    assert all(b.schema == output_schema(batches[0].schema) for b in out)
    assert out[0].column("heat")[1].as_py() > out[0].column("heat")[0].as_py()
