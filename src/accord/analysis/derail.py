"""Conversation features for the derailment forecast, from the shipped per-message analysis.

Used by ``accord eval --task derailment_cga_cmv``: each conversation prefix is split into its
comments, every comment is analysed by the shipped analyzer (trained on no CGA data), and the
trajectory is summarised in a few numbers the evaluation's per-fold model can weigh.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from accord.analysis.analyzer import load_analyzer
from accord.analysis.conversation import slope
from accord.analysis.types import MessageAnalysis

SEPARATOR = "[SEP]"
FEATURE_NAMES = (
    "n_comments",
    "heat_last",
    "heat_max",
    "heat_mean",
    "heat_slope",
    "neg_last",
    "neg_max",
    "abuse_max",
    "abuse_last",
    "anger_max",
    "complaint_max",
    "signals",
    "questions_last",
)


def _summary(results: Sequence[MessageAnalysis]) -> list[float]:
    heats = [r.heat for r in results]
    neg = [max(0.0, -r.sentiment) for r in results]
    abuse = [r.abuse for r in results]
    anger = [r.emotion.ekman["anger"] for r in results]
    comp = [r.complaint_prob for r in results]
    sig = sum(len(r.signals) for r in results)
    return [
        float(len(results)),
        heats[-1],
        max(heats),
        float(np.mean(heats)),
        slope(heats),
        neg[-1],
        max(neg),
        max(abuse),
        abuse[-1],
        max(anger),
        max(comp),
        float(sig),
        0.0,
    ]


def split_comments(context: str) -> list[str]:
    """The comments of one CGA prefix, in order (one empty comment for an empty prefix)."""
    return [c.strip() for c in context.split(SEPARATOR) if c.strip()] or [""]


def conversation_features(contexts: Sequence[str]) -> npt.NDArray[np.float64]:
    """One row of :data:`FEATURE_NAMES` per conversation prefix."""
    analyzer = load_analyzer()
    comments = [split_comments(ctx) for ctx in contexts]
    flat = [c for convo in comments for c in convo]
    results = analyzer.analyze_batch(flat)
    rows, pos = [], 0
    for convo in comments:
        part = results[pos : pos + len(convo)]
        row = _summary(part)
        row[-1] = float(convo[-1].count("?"))
        rows.append(row)
        pos += len(convo)
    return np.asarray(rows, np.float64)
