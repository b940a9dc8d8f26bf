"""``accord bench analysis``: throughput, latency and memory of the full analysis.

Corpus: the real customer-support tweets in ``shared/datasets/twcs_sample`` (customer and
brand turns with their roles; read for measurement only, never shipped). VADER runs in the
same process on the same texts as the reference ratio. One process, one thread: the figure a
single worker gives; batch engines scale it out per core.
"""

from __future__ import annotations

import csv
import gzip
import resource
import time
from pathlib import Path
from typing import Any

import numpy as np

from accord.analysis import datasets as ds
from accord.analysis.analyzer import Analyzer
from accord.analysis.types import Role

CORPUS = Path("twcs_sample") / "twcs_head_sample.csv.gz"
BATCH = 512


def corpus(root: Path) -> tuple[list[str], list[Role]]:
    path = ds.need(root / CORPUS)
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    roles: list[Role] = ["customer" if r["inbound"] == "True" else "agent" for r in rows]
    return [r["text"] for r in rows], roles


def _throughput(fn: Any, texts: list[str], min_seconds: float) -> float:
    done, started = 0, time.perf_counter()
    while True:
        fn(texts)
        done += len(texts)
        elapsed = time.perf_counter() - started
        if elapsed >= min_seconds:
            return done / elapsed


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # KiB on Linux


def run(
    root: Path, min_seconds: float = 3.0, latency_samples: int = 2000, encoder: bool = False
) -> dict[str, Any]:
    texts, roles = corpus(root)
    started = time.perf_counter()
    analyzer = Analyzer.load()
    load_s = time.perf_counter() - started
    analyzer.analyze_batch(texts[:BATCH], roles[:BATCH])  # warm caches, as a worker would be

    def analyse_all(items: list[str]) -> None:
        for i in range(0, len(items), BATCH):
            analyzer.analyze_batch(items[i : i + BATCH], roles[i : i + BATCH])

    throughput = _throughput(analyse_all, texts, min_seconds)
    latencies = []
    for text, role in zip(texts[:latency_samples], roles[:latency_samples], strict=True):
        t0 = time.perf_counter()
        analyzer.analyze(text, role)
        latencies.append((time.perf_counter() - t0) * 1000.0)
    rss = _rss_mb()  # before VADER is loaded: the engine's own peak
    second: dict[str, Any] = {}
    if encoder:  # after the fast path's figures, so its peak RSS is its own
        from accord.analysis import bench_encoder

        second = bench_encoder.run(texts, roles, min_seconds, min(latency_samples, 500))
    return {
        "corpus": CORPUS.as_posix(),
        "messages": len(texts),
        "throughput_msgs_per_s": round(throughput, 1),
        "latency_ms": {
            "p50": round(float(np.percentile(latencies, 50)), 3),
            "p99": round(float(np.percentile(latencies, 99)), 3),
        },
        "rss_mb": round(rss, 1),
        "load_s": round(load_s, 3),
        "baseline": {"name": "vaderSentiment", "throughput_msgs_per_s": _vader(texts, min_seconds)},
        **({"encoder": second} if second else {}),
    }


def _vader(texts: list[str], min_seconds: float) -> float:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    vader = SentimentIntensityAnalyzer()

    def score(items: list[str]) -> None:
        for text in items:
            vader.polarity_scores(text)

    return round(_throughput(score, texts, min_seconds), 1)
