"""``accord bench analysis --encoder``: the sentence encoder and the cascade, beside the fast path.

Same corpus as :mod:`accord.analysis.bench` (the real support tweets of ``twcs_sample``). Figures:
the encoder alone in sentences/s with 1 and 2 intra-op threads; the full analysis with the
cascade on (the shipped bands) in messages/s, its single-message latency and the fraction of
messages it routes; and the routing curve (fraction routed and messages/s for a few complaint
bands). The fast path and VADER are measured in the same run by the caller, as the baselines.
"""

from __future__ import annotations

import resource
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from accord.analysis import embeddings
from accord.analysis.analyzer import Analyzer
from accord.analysis.cascade import Bands, Cascade, Counts
from accord.analysis.types import Role

BATCH = 512
CURVE = ((0.45, 0.55), (0.4, 0.6), (0.3, 0.7), (0.25, 0.75), (0.15, 0.85))
GOALS = {"throughput_msgs_per_s": 800.0, "p99_ms": 30.0, "rss_mb": 600.0}


def _rate(fn: Callable[[], int], min_seconds: float) -> float:
    done, started = 0, time.perf_counter()
    while True:
        done += fn()
        elapsed = time.perf_counter() - started
        if elapsed >= min_seconds:
            return done / elapsed


def encoder_rates(texts: list[str], min_seconds: float) -> dict[str, float]:
    """Sentences/s of the encoder alone (length-sorted sub-batches) per thread count."""
    out = {}
    for threads in (1, 2):
        encoder = embeddings.get_encoder(threads)
        encoder.encode(texts[:32])

        def encode_all(e: embeddings.Encoder = encoder) -> int:
            return len(e.encode(texts))

        out[f"threads_{threads}"] = round(_rate(encode_all, min_seconds), 1)
    return out


def _analyse_all(analyzer: Analyzer, texts: list[str], roles: list[Role]) -> int:
    for i in range(0, len(texts), BATCH):
        analyzer.analyze_batch(texts[i : i + BATCH], roles[i : i + BATCH])
    return len(texts)


def cascade_figures(
    analyzer: Analyzer, texts: list[str], roles: list[Role], min_seconds: float, samples: int
) -> dict[str, Any]:
    cascade = analyzer.encoder
    assert cascade is not None
    cascade.counts = Counts()
    rate = _rate(lambda: _analyse_all(analyzer, texts, roles), min_seconds)
    routed = cascade.counts.fraction
    latencies = []
    for text, role in zip(texts[:samples], roles[:samples], strict=True):
        t0 = time.perf_counter()
        analyzer.analyze(text, role)
        latencies.append((time.perf_counter() - t0) * 1000.0)
    return {
        "throughput_msgs_per_s": round(rate, 1),
        "routed_fraction": round(routed, 4),
        "latency_ms": {
            "p50": round(float(np.percentile(latencies, 50)), 3),
            "p99": round(float(np.percentile(latencies, 99)), 3),
        },
    }


def _two_threads(
    analyzer: Analyzer, texts: list[str], roles: list[Role], min_seconds: float
) -> float:
    """The batch path with the encoder on two intra-op threads (a batch job's setting)."""
    cascade = analyzer.encoder
    assert cascade is not None
    kept, cascade.second.threads = cascade.second.threads, 2
    try:
        return round(_rate(lambda: _analyse_all(analyzer, texts, roles), min_seconds), 1)
    finally:
        cascade.second.threads = kept


def curve(
    analyzer: Analyzer, texts: list[str], roles: list[Role], min_seconds: float
) -> list[dict[str, Any]]:
    """Messages/s and fraction routed for each complaint band (severity routing as shipped)."""
    cascade = analyzer.encoder
    assert isinstance(cascade, Cascade)
    shipped = cascade.bands
    rows = []
    for band in CURVE:
        cascade.bands = Bands(band, shipped.severity_max, shipped.ekman_margin)
        cascade.counts = Counts()
        rate = _rate(lambda: _analyse_all(analyzer, texts, roles), min_seconds)
        rows.append(
            {
                "complaint_band": list(band),
                "routed_fraction": round(cascade.counts.fraction, 4),
                "throughput_msgs_per_s": round(rate, 1),
            }
        )
    cascade.bands = shipped
    return rows


def run(
    texts: list[str], roles: list[Role], min_seconds: float, samples: int, threads: int = 1
) -> dict[str, Any]:
    started = time.perf_counter()
    analyzer = Analyzer.load(encoder=True, encoder_threads=threads)
    load_s = time.perf_counter() - started
    _analyse_all(analyzer, texts[:BATCH], roles[:BATCH])  # warm, as a worker would be
    cascade = cascade_figures(analyzer, texts, roles, min_seconds, samples)
    # A worker holds one encoder; the peak is read before the 2-thread one below is loaded.
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    figures = {
        "cascade": cascade,
        "rss_mb": round(rss, 1),
        "encoder_sentences_per_s": encoder_rates(texts[:1000], min_seconds),
        "cascade_threads": threads,
        "cascade_batch_2_threads_msgs_per_s": _two_threads(analyzer, texts, roles, min_seconds),
        "curve": curve(analyzer, texts[:2000], roles[:2000], min_seconds),
        "load_s": round(load_s, 3),
        "goals": GOALS,
    }
    return figures
