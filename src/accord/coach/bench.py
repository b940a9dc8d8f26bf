"""Latency of :func:`accord.coach.review` on a 150-word draft in a heated conversation, and on a
draft that takes the customer up only in other words (listening by paraphrase: the sentence
encoder runs)."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from accord.analysis import load_analyzer
from accord.coach import paraphrase
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
# No word of the customer's on its stem: only the encoder sees that it takes them up.
PARAPHRASE_DRAFT = (
    "Hi Anna, thank you for getting in touch, and I'm so sorry. It looks like you paid for the "
    "same purchase two times, and the light came in pieces. That is not the experience we want "
    "you to have. I will look into this right away and reply within 2 business days. If there "
    "is anything else I can help with, just reply here."
)


def _time(samples: int, call: Callable[[], object], before: Callable[[], object]) -> np.ndarray:
    timings = np.empty(samples)
    for i in range(samples):
        before()
        started = time.perf_counter()
        call()
        timings[i] = (time.perf_counter() - started) * 1000.0
    return timings


def _percentiles(timings: np.ndarray) -> dict[str, float]:
    return {q: round(float(np.percentile(timings, n)), 3) for q, n in (("p50", 50), ("p99", 99))}


def run(samples: int = 2000) -> dict[str, Any]:
    analyzer = load_analyzer()
    ctx = build_context([("customer", CUSTOMER)], customer_name="Anna", analyzer=analyzer)
    for _ in range(50):  # warm caches (and load the encoder) before timing
        review(DRAFT, ctx)
        review(PARAPHRASE_DRAFT, ctx)
    timings = _time(samples, lambda: review(DRAFT, ctx), lambda: None)
    # The encoder costs milliseconds a sentence: fewer samples. "new": every sentence of the
    # draft unseen (the worst pause in typing); "one new": a pause that added a sentence;
    # "seen": the same draft again (cached).
    fewer = max(10, samples // 10)
    new = _time(fewer, lambda: review(PARAPHRASE_DRAFT, ctx), paraphrase.clear_cache)
    added = (f"{PARAPHRASE_DRAFT} Reference {n}." for n in itertools.count(1000))
    one_new = _time(fewer, lambda: review(next(added), ctx), lambda: None)
    seen = _time(fewer, lambda: review(PARAPHRASE_DRAFT, ctx), lambda: None)
    return {
        "words": len(DRAFT.split()),
        "samples": samples,
        "latency_ms": _percentiles(timings),
        "paraphrase": {
            "words": len(PARAPHRASE_DRAFT.split()),
            "samples": fewer,
            "new_draft_ms": _percentiles(new),
            "one_new_sentence_ms": _percentiles(one_new),
            "seen_draft_ms": _percentiles(seen),
        },
    }
