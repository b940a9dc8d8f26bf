"""Recall, false positives and latency of :func:`accord.privacy.redact` on the generated corpus
(:mod:`accord.privacy.corpus`). ``benchmarks/pii_recall.py`` prints :func:`measure` as JSON.

A planted value counts as redacted when every character of it, spaces aside, lies inside a
redacted span (whatever entity the redactor named it: what matters is that it is gone). A value
that must stay (an order reference, an amount, a date) is a false positive when any character
of it was redacted.
"""

from __future__ import annotations

import statistics
import time
from collections import Counter
from typing import Any

from accord.privacy.corpus import CONTEXTUAL, KEEP, OWN, STRUCTURED, Sample, generate
from accord.privacy.redact import RedactionResult, redact

GOALS = {"structured_recall": 0.99, "own_fields_recall": 1.0}


def _covered(result: RedactionResult, size: int) -> list[bool]:
    mask = [False] * size
    for span in result.spans:
        mask[span.start : span.end] = [True] * (span.end - span.start)
    return mask


def _share(hit: Counter[str], total: Counter[str], kinds: tuple[str, ...]) -> float:
    n = sum(total[k] for k in kinds)
    return round(sum(hit[k] for k in kinds) / n, 4) if n else 1.0


def measure(count: int = 2000, seed: int = 15, misses: int = 10) -> dict[str, Any]:
    """Generate ``count`` messages from ``seed``, redact each and score the result."""
    started = time.perf_counter()
    redact("warm-up: build the engine before timing")
    build_s = time.perf_counter() - started
    samples = generate(count, seed)
    planted: Counter[str] = Counter()
    found: Counter[str] = Counter()
    kept: Counter[str] = Counter()
    lost: Counter[str] = Counter()
    examples: list[dict[str, str]] = []
    timings: list[float] = []
    for sample in samples:
        t0 = time.perf_counter()
        result = redact(sample.text, sample.customer)
        timings.append((time.perf_counter() - t0) * 1000)
        _score(sample, result, (planted, found, kept, lost), examples, misses)
    timings.sort()
    return {
        "messages": count,
        "seed": seed,
        "labels": "generated with the text, so agreement is by construction",
        "recall": {
            k: {"planted": planted[k], "redacted": found[k], "recall": _share(found, planted, (k,))}
            for k in (*STRUCTURED, *CONTEXTUAL, *OWN)
        },
        "structured_recall": _share(found, planted, STRUCTURED),
        "contextual_recall": _share(found, planted, CONTEXTUAL),
        "own_fields_recall": _share(found, planted, OWN),
        "false_positives": {
            **{k: {"values": kept[k], "redacted": lost[k]} for k in KEEP},
            "rate": round(sum(lost.values()) / max(1, sum(kept.values())), 4),
        },
        "latency_ms": {
            "p50": round(statistics.median(timings), 3),
            "p99": round(timings[min(len(timings) - 1, int(len(timings) * 0.99))], 3),
            "mean": round(statistics.fmean(timings), 3),
            "mean_chars": round(statistics.fmean(len(s.text) for s in samples)),
        },
        "engine_build_s": round(build_s, 2),
        "goals": GOALS,
        "misses": examples,
    }


def _score(
    sample: Sample,
    result: RedactionResult,
    counters: tuple[Counter[str], Counter[str], Counter[str], Counter[str]],
    examples: list[dict[str, str]],
    misses: int,
) -> None:
    planted, found, kept, lost = counters
    mask = _covered(result, len(sample.text))
    for start, end, kind in sample.planted:
        planted[kind] += 1
        if all(mask[i] for i in range(start, end) if not sample.text[i].isspace()):
            found[kind] += 1
        elif len(examples) < misses:
            examples.append(_example(sample.text, start, end, kind))
    for start, end, kind in sample.kept:
        kept[kind] += 1
        if any(mask[start:end]):
            lost[kind] += 1
            if len(examples) < misses:
                examples.append(_example(sample.text, start, end, f"redacted {kind}"))


def _example(text: str, start: int, end: int, kind: str) -> dict[str, str]:
    return {"kind": kind, "value": text[start:end], "context": text[max(0, start - 40) : end + 20]}
