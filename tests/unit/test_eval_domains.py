"""The leave-one-domain-out task (``generalisation_xci``) on a tiny slice, in seconds.

The full task refits three heads on ten domains eleven times (minutes); here the same machinery
runs on a few dozen tweets of three domains with one configuration fixed in advance, and the
fold plan is checked on the whole file.
"""

from __future__ import annotations

import numpy as np
import pytest

from accord.analysis import datasets as ds
from accord.analysis import evaluate, learn
from accord.analysis import evaluate_domains as ed
from accord.analysis.model import LinearHeads

pytest.importorskip("sklearn", reason="the evaluation needs scikit-learn (accord[dev])")

FIXED = {
    "complaint": learn.Search((learn.C_FIXED,), (True,)),
    "severity": learn.Search((1.0,), (True,)),
}
HELD = ("cars", "food", "random_reply")


@pytest.fixture(scope="module")
def xci() -> ed.Xci:
    try:
        return ed.read_xci(ds.data_dir())
    except ds.DataMissingError as exc:
        pytest.skip(f"shared data sets not present: {exc}")


@pytest.fixture(scope="module")
def pool(xci: ed.Xci) -> ed.Pool:
    """25 complaints and 25 other tweets of each held domain, 1,500 GoEmotions comments."""
    rows: list[int] = []
    for name in HELD:
        for label in (0, 1):
            rows += [
                i for i, d in enumerate(xci.domain) if d == name and xci.complaint[i] == label
            ][:25]
    root = ds.data_dir()
    go = ds.goemotions(root, "train", ekman=False)
    from accord.analysis.train import _sentiment_labels

    names = ds.goemotions_labels(root, ekman=False)
    go_y = _sentiment_labels(go.labels[:1500], names)
    return ed.Pool.build(LinearHeads.load(), xci.subset(sorted(rows)), go.texts[:1500], go_y)


def test_the_task_is_registered() -> None:
    metric, _anchor, goal, fn = evaluate.TASKS["generalisation_xci"]
    assert (metric, goal, fn) == ("roc_auc_heat", 0.92, ed.task_generalisation_xci)


def test_every_domain_is_a_fold_and_never_trains_itself(xci: ed.Xci) -> None:
    assert set(xci.domain) == set(ed.BRAND_DOMAINS + ed.RANDOM_DOMAINS)
    plan = ed.fold_plan(xci.domain, ed.BRAND_DOMAINS + ed.RANDOM_DOMAINS)
    assert list(plan) == [*ed.BRAND_DOMAINS, *ed.RANDOM_DOMAINS]
    # Cause labels only from the held-out half of the project's labels, only on complaints.
    from accord.analysis.train_cause import LABELS_FILE

    held_out = [r for r in ds.read_csv(LABELS_FILE) if r["half"] == "held-out"]
    assert sum(1 for c in xci.cause if c) == sum(1 for r in held_out if r["label"] != "unknown")
    assert all(xci.complaint[i] == 1 for i, c in enumerate(xci.cause) if c)
    for name, (train, test) in plan.items():
        assert {xci.domain[i] for i in test} == {name}
        assert name not in {xci.domain[i] for i in train}
        assert sorted([*train, *test]) == list(range(len(xci.texts)))
        held_texts = {xci.texts[i].strip().lower() for i in test}
        assert not held_texts & {xci.texts[i].strip().lower() for i in train}, name


def test_a_fold_refits_only_the_heads_that_learn_from_xci(pool: ed.Pool) -> None:
    train, _ = ed.fold_plan(pool.xci.domain, ["cars"])["cars"]
    heads, chosen = ed.fold_heads(pool, train, FIXED)
    assert set(chosen) == {"sentiment", "complaint", "severity"}
    shipped = pool.shipped
    for name, spec in shipped.heads.items():
        cols = slice(spec.start, spec.end)
        same = np.array_equal(heads.weights[:, cols], shipped.weights[:, cols])
        assert same == (name not in chosen), name
    assert heads.heads == shipped.heads and heads.vectorizer is shipped.vectorizer


def test_leave_one_domain_out_on_a_slice(pool: ed.Pool) -> None:
    folds = ed.leave_one_domain_out(pool, HELD, FIXED)
    assert list(folds) == list(HELD)
    report = ed.summarise(pool, folds)
    for name in HELD:
        fold = report["folds"][name]
        assert fold["n"] == (25 if name in ed.RANDOM_DOMAINS else 50)
        assert fold["train_rows"] == len(pool.xci.texts) - fold["n"]
        if name in ed.RANDOM_DOMAINS:  # no complaint: no AUC, no coverage
            assert fold["auc_heat"] is None and fold["cause_coverage"] is None
            assert 0.0 <= fold["false_positive_rate"] <= 1.0
            continue
        for key in ("auc_heat", "auc_complaint_prob", "cause_coverage", "recall"):
            assert 0.0 <= fold[key] <= 1.0, (name, key, fold[key])
        assert fold["cause_labelled"] > 0 and 0.0 <= fold["cause_macro_f1"] <= 1.0, fold
        # Even 100 training tweets separate complaints better than chance.
        assert fold["auc_complaint_prob"] > 0.6, fold
    mean = report["brand_mean"]["auc_heat"]
    assert mean == pytest.approx(
        np.mean([report["folds"][n]["auc_heat"] for n in HELD[:2]]), abs=1e-4
    )
    assert 0.0 <= report["pooled"]["auc_heat"] <= 1.0
    assert report["pooled"]["cause_labelled"] == sum(1 for c in pool.xci.cause if c)
