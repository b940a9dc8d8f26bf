"""``score_batch``: the single Arrow entry point for batch engines.

It takes and returns a ``pyarrow.RecordBatch`` so the same function runs unchanged locally,
under Spark's ``mapInArrow`` and under Ray Data's ``map_batches(batch_format="pyarrow")``.
The input columns come back untouched, followed by flat analysis columns (nested evidence as
one JSON string column, which every engine can carry).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from accord.analysis.types import EKMAN_LABELS, EXTRA_EMOTIONS, MessageAnalysis

if TYPE_CHECKING:
    from accord.analysis.analyzer import Analyzer

ROLE_COL = "role"
OUTPUT_FIELDS: tuple[pa.Field, ...] = (
    pa.field("language", pa.string()),
    pa.field("non_english", pa.bool_()),
    pa.field("heat", pa.float32()),
    pa.field("sentiment", pa.float32()),
    pa.field("complaint_prob", pa.float32()),
    pa.field("severity", pa.int8()),
    pa.field("abuse", pa.float32()),
    pa.field("abuse_severity", pa.int8()),
    pa.field("topic", pa.string()),
    pa.field("cause", pa.string()),
    pa.field("remedy", pa.string()),
    pa.field("emotion_top", pa.string()),
    *(pa.field(f"ekman_{e}", pa.float32()) for e in EKMAN_LABELS),
    *(pa.field(f"emotion_{e}", pa.float32()) for e in EXTRA_EMOTIONS),
    pa.field("signals", pa.list_(pa.string())),
    pa.field("evidence_json", pa.string()),
)


def output_schema(input_schema: pa.Schema) -> pa.Schema:
    """Schema of :func:`score_batch`'s result (Spark's ``mapInArrow`` needs it up front)."""
    fields = [f for f in input_schema if f.name not in {o.name for o in OUTPUT_FIELDS}]
    return pa.schema([*fields, *OUTPUT_FIELDS])


def _row(m: MessageAnalysis) -> dict[str, Any]:
    evidence = {s.name: [[e.start, e.end, e.text] for e in s.evidence] for s in m.signals}
    if m.remedy_evidence:
        evidence["remedy"] = [[e.start, e.end, e.text] for e in m.remedy_evidence]
    row: dict[str, Any] = {
        "language": m.language,
        "non_english": m.non_english,
        "heat": m.heat,
        "sentiment": m.sentiment,
        "complaint_prob": m.complaint_prob,
        "severity": m.severity,
        "abuse": m.abuse,
        "abuse_severity": m.abuse_severity,
        "topic": m.topic,
        "cause": m.cause,
        "remedy": m.remedy,
        "emotion_top": m.emotion.top,
        "signals": m.signal_names,
        "evidence_json": json.dumps(evidence, ensure_ascii=False),
    }
    row.update({f"ekman_{k}": v for k, v in m.emotion.ekman.items()})
    row.update({f"emotion_{k}": v for k, v in m.emotion.extra.items()})
    return row


def score_batch(
    batch: pa.RecordBatch, analyzer: Analyzer | None = None, text_col: str = "text"
) -> pa.RecordBatch:
    """Analyse the ``text_col`` column (and ``role`` if present) of one Arrow batch."""
    if analyzer is None:
        from accord.analysis.analyzer import load_analyzer

        analyzer = load_analyzer()
    if text_col not in batch.schema.names:
        raise KeyError(f"score_batch needs a {text_col!r} column; got {batch.schema.names}")
    texts = batch.column(text_col).to_pylist()
    roles: list[Any] = ["customer"] * len(texts)
    if ROLE_COL in batch.schema.names:
        roles = [
            r if r in ("customer", "agent") else "customer"
            for r in batch.column(ROLE_COL).to_pylist()
        ]
    rows = [_row(m) for m in analyzer.analyze_batch(texts, roles)]
    schema = output_schema(batch.schema)
    arrays = [
        batch.column(f.name)
        for f in schema
        if f.name in batch.schema.names and f.name not in {o.name for o in OUTPUT_FIELDS}
    ]
    arrays += [pa.array([r[f.name] for r in rows], type=f.type) for f in OUTPUT_FIELDS]
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


def score_batches(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """The generator shape Spark's ``mapInArrow`` calls (one analyzer per worker process)."""
    for batch in batches:
        yield score_batch(batch)
