"""The remedy policy file, the evaluation labels and the eval task's arithmetic."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest

from accord.analysis.datasets import DEFAULT_CANDIDATES
from accord.coach.eval import replies
from accord.coach.eval.task import (
    AGREEMENT,
    LABELS,
    LISTENING,
    REMAINDER,
    TARGETED,
    Score,
    census_labels,
    read_labels,
)
from accord.coach.policy import Policy, parse_policy
from accord.coach.types import CRITERIA
from accord.core.errors import ValidationFailed


def test_a_policy_file_sets_the_limits() -> None:
    policy = parse_policy("currency: '€'\nrefund_limit: 150\ncredit: false\nresponse_days: 3\n")
    assert policy == Policy(currency="€", refund_limit=150, credit=False, response_days=3)
    assert policy.money(150) == "€150" and policy.money(12.5) == "€12.50"


@pytest.mark.parametrize(
    "text", ["refund_limit: -1", "unknown: 1", "- a list", "response_days: 0", "a: [unclosed"]
)
def test_a_bad_policy_is_refused_with_the_reason(text: str) -> None:
    with pytest.raises(ValidationFailed):
        parse_policy(text)


def test_the_labels_cover_300_replies_by_id_only() -> None:
    with LABELS.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    ids = {r["id"] for r in rows}
    assert len(ids) >= 300
    assert all(re.fullmatch(r"(?:twcs|bitext):\d+", i) for i in ids)
    assert {r["label"] for r in rows} <= {"met", "missing", "violated", "absent"}
    per_id = Counter(r["id"] for r in rows)
    assert set(per_id.values()) == {len(CRITERIA) - 1}  # every criterion but listening
    held = sum(replies.held_out(i) for i in ids)
    assert 0.4 < held / len(ids) < 0.6


def test_listening_is_labelled_on_both_halves_of_the_census() -> None:
    labels = read_labels(LISTENING)
    assert len(labels) >= 2000
    assert all(set(c) == {"listening"} for c in labels.values())
    assert set(labels) <= set(census_labels())
    tuning = [i for i in labels if not replies.held_out(i)]
    assert len(tuning) >= 100  # the second draw's tuning half, where listening is tuned


def test_the_targeted_sample_is_apart_from_the_random_one() -> None:
    with TARGETED.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    ids = {r["id"] for r in rows}
    assert len(ids) >= replies.N_TARGETED * len(replies.PREFILTERS)  # and the second sample
    assert not ids & set(read_labels())
    assert set(Counter(r["id"] for r in rows).values()) == {len(CRITERIA) - 1}


def test_the_remainder_completes_the_census_by_id_only() -> None:
    with REMAINDER.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    ids = {r["id"] for r in rows}
    assert all(re.fullmatch(r"twcs:\d+", i) for i in ids)
    assert not ids & (set(read_labels()) | set(read_labels(TARGETED)))
    assert set(Counter(r["id"] for r in rows).values()) == {len(CRITERIA) - 1}


def test_scores_are_precision_recall_and_f1() -> None:
    s = Score(tp=8, fp=2, fn=8)
    assert (s.precision, s.recall, s.support) == (0.8, 0.5, 16)
    assert s.f1 == pytest.approx(2 * 0.8 * 0.5 / 1.3)
    assert Score(0, 3, 0).f1 is None and Score(0, 0, 4).f1 == 0.0


DATA = next((c for c in DEFAULT_CANDIDATES if (c / replies.TWCS).is_file()), None)


@pytest.mark.skipif(DATA is None, reason="needs ../shared/datasets")
def test_the_sample_is_the_labelled_one() -> None:
    assert DATA is not None
    assert set(replies.random_ids(Path(DATA))) == set(read_labels())
    assert set(read_labels(LISTENING)) <= set(replies.customer_texts(Path(DATA)))
    assert set(replies.agreement_ids(Path(DATA))) == set(read_labels(AGREEMENT))
    samples = [replies.targeted_ids(Path(DATA)), replies.second_targeted_ids(Path(DATA))]
    drawn = [i for sample in samples for ids in sample.values() for i in ids]
    assert len(drawn) == len(set(drawn)) and set(drawn) == set(read_labels(TARGETED))
    assert not set(drawn) & set(replies.random_ids(Path(DATA)))
    assert set(replies.remainder_ids(Path(DATA))) == set(read_labels(REMAINDER))
    twcs = {i for i in replies.all_replies(Path(DATA)) if i.startswith("twcs:")}
    assert {i for i in census_labels() if i.startswith("twcs:")} == twcs  # a census
    texts = replies.all_replies(Path(DATA))
    for sample in samples:
        for criterion, ids in sample.items():
            assert all(replies.PREFILTERS[criterion].search(texts[i]) for i in ids)
