"""Second stage and cascade on the tasks with an official split: GoEmotions (Ekman), Banking77.

Same protocol as :mod:`accord.analysis.evaluate_split`: GoEmotions trains on train, chooses C
and per-label thresholds on dev for each stage, and scores test once; Banking77 chooses each
stage's C on an inner 80/20 split of train, refits on train and scores test once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from accord.analysis import datasets as ds
from accord.analysis import learn
from accord.analysis.embed_cache import cached
from accord.analysis.evaluate_split import BANKING_GRID, EMOTION_GRID
from accord.analysis.evaluate_stage2 import CUTS, MARGINS, Array, Result, _band_name, _protocol
from accord.analysis.stage2 import dense_block, standardiser


def _stack(sparse: Any, emb: Array, mean: Array, sd: Array) -> Any:
    from scipy.sparse import csr_matrix, hstack

    return hstack([sparse, csr_matrix(dense_block(emb, mean, sd))]).tocsr()


def _macro(y: Array, pred: Array) -> float:
    return float(np.mean([learn._f1(y[:, j], pred[:, j]) for j in range(y.shape[1])]))


def _emotion_cascade(
    yte: Array, p1: Array, p2: Array, thr1: Array, thr2: Array
) -> list[dict[str, Any]]:
    pred1, pred2 = p1 >= thr1, p2 >= thr2
    curve = []
    for margin in MARGINS:
        routed = (np.abs(p1 - thr1) < margin).any(axis=1)
        value = _macro(yte, np.where(routed[:, None], pred2, pred1))
        curve.append(
            {
                "route_when": f"some label within {margin} of its threshold",
                "value": round(value, 4),
                "sd": None,
                "routed": round(float(routed.mean()), 4),
            }
        )
    return curve


def task_emotion_cascade(root: Path) -> Result:
    n = len(ds.goemotions_labels(root, ekman=True))
    splits = {s: ds.goemotions(root, s, ekman=True) for s in ("train", "dev", "test")}
    emb = {s: cached(splits[s].texts, f"goemotions_{s}") for s in splits}
    vec = learn.tfidf()
    x1 = {"train": vec.fit_transform(learn.featurise(splits["train"].texts))}
    for s in ("dev", "test"):
        x1[s] = vec.transform(learn.featurise(splits[s].texts))
    mean, sd = standardiser(emb["train"])
    x2 = {s: _stack(x1[s], emb[s], mean, sd) for s in splits}
    y = {s: learn.multilabel_matrix(splits[s].labels, n) for s in splits}
    fits = [
        learn.fit_multilabel_tuned(x["train"], y["train"], x["dev"], y["dev"], EMOTION_GRID)
        for x in (x1, x2)
    ]
    p1, p2 = (
        learn.apply_linear(x["test"], f["W"], f["b"]) for x, f in zip((x1, x2), fits, strict=True)
    )
    thr1, thr2 = fits[0]["thresholds"], fits[1]["thresholds"]
    details: dict[str, Any] = {
        "first_stage": {"value": round(_macro(y["test"], p1 >= thr1), 4), "sd": None},
        "second_stage": {"value": round(_macro(y["test"], p2 >= thr2), 4), "sd": None},
        "cascade": _emotion_cascade(y["test"], p1, p2, thr1, thr2),
    }
    base = (
        f"official split: per-label LR on train; C from {list(EMOTION_GRID)} and per-label "
        f"thresholds chosen on dev for each stage (C={fits[0]['C']} / {fits[1]['C']}); "
        "test scored once; macro-F1 over 7"
    )
    files = tuple(ds.goemotions_path(root, s, True) for s in ("train", "dev", "test"))
    second = details["second_stage"]["value"]
    return second, None, _protocol(base, details), files, details


def _banking_c(feats: list[list[str]], emb: Array, y: Array) -> tuple[float, float]:
    """Each stage's C, chosen on one inner 80/20 split of the training set."""
    from sklearn.metrics import accuracy_score

    a, b = learn.inner_split(y)
    vec = learn.tfidf()
    xa = vec.fit_transform([feats[i] for i in a])
    xb = vec.transform([feats[i] for i in b])
    mean, sd = standardiser(emb[a])
    pairs = ((xa, xb), (_stack(xa, emb[a], mean, sd), _stack(xb, emb[b], mean, sd)))
    chosen = []
    for xtr, xte in pairs:

        def score(c: float, balanced: bool, xtr: Any = xtr, xte: Any = xte) -> float:
            model = learn.logreg(c, balanced).fit(xtr, y[a])
            return float(accuracy_score(y[b], model.predict(xte)))

        chosen.append(learn.select(score, [(c, False) for c in BANKING_GRID])[0])
    return chosen[0], chosen[1]


def task_banking77_cascade(root: Path) -> Result:
    from sklearn.metrics import accuracy_score

    texts, intents = ds.banking77(root, "train")
    test_texts, test_intents = ds.banking77(root, "test")
    names = sorted(set(intents))
    y = np.asarray([names.index(i) for i in intents])
    yte = np.asarray([names.index(i) for i in test_intents])
    emb, emb_te = cached(texts, "banking77_train"), cached(test_texts, "banking77_test")
    feats = learn.featurise(texts)
    c1, c2 = _banking_c(feats, emb, y)
    vec = learn.tfidf()
    xtr, xte = vec.fit_transform(feats), vec.transform(learn.featurise(test_texts))
    mean, sd = standardiser(emb)
    m1 = learn.logreg(c1, balanced=False).fit(xtr, y)
    m2 = learn.logreg(c2, balanced=False).fit(_stack(xtr, emb, mean, sd), y)
    p1, p2 = m1.predict_proba(xte), m2.predict_proba(_stack(xte, emb_te, mean, sd))
    pred1, pred2 = m1.classes_[p1.argmax(axis=1)], m2.classes_[p2.argmax(axis=1)]
    curve = []
    for cut in CUTS:
        routed = p1.max(axis=1) < cut
        value = float(accuracy_score(yte, np.where(routed, pred2, pred1)))
        curve.append(
            {"route_when": _band_name(cut), "value": round(value, 4), "sd": None,
             "routed": round(float(routed.mean()), 4)}
        )  # fmt: skip
    details: dict[str, Any] = {
        "first_stage": {"value": round(float(accuracy_score(yte, pred1)), 4), "sd": None},
        "second_stage": {"value": round(float(accuracy_score(yte, pred2)), 4), "sd": None},
        "cascade": curve,
    }
    base = (
        f"official split: C from {list(BANKING_GRID)} for each stage chosen on an inner 80/20 "
        f"split of train (C={c1} / {c2}); test scored once"
    )
    files = (ds.banking77_path(root, "train"), ds.banking77_path(root, "test"))
    second = details["second_stage"]["value"]
    return second, None, _protocol(base, details), files, details
