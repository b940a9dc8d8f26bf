"""Latency of :func:`accord.coach.review` on a 150-word draft in a heated conversation."""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from accord.analysis import load_analyzer
from accord.coach.context import build_context
from accord.coach.review import review

CUSTOMER = (
    "This is the third time I'm writing. You charged me twice for order 55123 and the lamp "
    "arrived broken. I want my money back today or I'm cancelling my account."
)
# 150 words: the length of a full reply that makes every move.
_DRAFT_TEXT = """
    Hi Anna, thank you for taking the time to write to us again, and I'm sorry you had to. If
    I understand correctly, you were charged twice for order 55123 and the lamp arrived
    broken. I can imagine how frustrating that is, especially after writing three times. That
    was our mistake and I take full responsibility for it. I can offer you a full refund of
    the second charge and a replacement lamp, or a full refund of the order if you would
    rather not wait. Would you prefer the replacement or the refund, or is there another
    solution you have in mind? As soon as you reply, I will process it and you should see the
    money back within 3 business days. Thank you for your patience while we sort this out. If
    there is anything else I can help with, reply here and I will pick it up.
"""
DRAFT = " ".join(_DRAFT_TEXT.split())


def run(samples: int = 2000) -> dict[str, Any]:
    analyzer = load_analyzer()
    ctx = build_context([("customer", CUSTOMER)], customer_name="Anna", analyzer=analyzer)
    for _ in range(50):  # warm caches before timing
        review(DRAFT, ctx)
    timings = np.empty(samples)
    for i in range(samples):
        started = time.perf_counter()
        review(DRAFT, ctx)
        timings[i] = (time.perf_counter() - started) * 1000.0
    return {
        "words": len(DRAFT.split()),
        "samples": samples,
        "latency_ms": {
            "p50": round(float(np.percentile(timings, 50)), 3),
            "p99": round(float(np.percentile(timings, 99)), 3),
        },
    }
