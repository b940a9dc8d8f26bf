"""``accord eval`` for the second stage and the cascade (shared/EVALUATION.md, as the first stage).

For every task the same folds / official split as the first-stage task; inside each training
fold (or on the training split) both stages are refit: stage 1 = tf-idf + LR, stage 2 = tf-idf +
frozen all-MiniLM-L6-v2 embeddings (:mod:`accord.analysis.stage2`) + LR, each with its C and
class weighting chosen on inner folds of the training fold (or on the dev split / an inner split
of train), never on the test rows. The cascade lets stage 1 answer and hands the rows it is
unsure about to stage 2; its uncertainty bands are fixed in advance (below) and all are reported,
so the curve shows the trade-off rather than a band picked on the test data. Embeddings come from
the on-disk cache (:mod:`accord.analysis.embed_cache`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from accord.analysis import datasets as ds
from accord.analysis import learn
from accord.analysis.embed_cache import cached
from accord.analysis.evaluate import CV, Metric, _macro_f1, _nested
from accord.analysis.stage2 import dense_block, standardiser

# Route to stage 2 when stage 1's P(complaint) lies in the band (binary tasks) ...
BANDS = ((0.4, 0.6), (0.3, 0.7), (0.25, 0.75), (0.15, 0.85), (0.0, 1.0))
# ... when its top class probability is below the cut (multiclass tasks) ...
CUTS = (0.4, 0.5, 0.6, 0.7, 0.8, 1.01)
# ... or when some label's probability is within the margin of its threshold (multi-label).
MARGINS = (0.05, 0.1, 0.2, 0.3, 1.0)
Array = npt.NDArray[Any]
Result = tuple[float, float | None, str, tuple[Path, ...], dict[str, Any]]


def _pair(feats: Sequence[list[str]], emb: Array, tr: Array, te: Array) -> tuple[Any, ...]:
    """(stage-1 train, test, stage-2 train, test) matrices, fitted on the training rows only."""
    from scipy.sparse import csr_matrix, hstack

    vec = learn.tfidf()
    s_tr = vec.fit_transform([feats[i] for i in tr])
    s_te = vec.transform([feats[i] for i in te])
    mean, sd = standardiser(emb[tr])
    d_tr, d_te = dense_block(emb[tr], mean, sd), dense_block(emb[te], mean, sd)
    return (
        s_tr,
        s_te,
        hstack([s_tr, csr_matrix(d_tr)]).tocsr(),
        hstack([s_te, csr_matrix(d_te)]).tocsr(),
    )


def _choose_both(
    feats: Sequence[list[str]], emb: Array, y: Array, tr: Array, metric: Metric, s: learn.Search
) -> tuple[tuple[float, bool], tuple[float, bool]]:
    """Each stage's (C, balanced) by its mean score over inner folds of the training fold."""
    configs = s.configs()
    if len(configs) == 1:
        return configs[0], configs[0]
    totals = [dict.fromkeys(configs, 0.0), dict.fromkeys(configs, 0.0)]
    for inner_tr, inner_te in learn.inner_folds(y[tr]):
        itr, ite = tr[inner_tr], tr[inner_te]
        x1tr, x1te, x2tr, x2te = _pair(feats, emb, itr, ite)
        for stage, (xtr, xte) in enumerate(((x1tr, x1te), (x2tr, x2te))):
            for c, bal in configs:
                pred = learn.logreg(c, bal).fit(xtr, y[itr]).predict(xte)
                totals[stage][(c, bal)] += metric(y[ite], pred)
    return _best(totals[0], configs), _best(totals[1], configs)


def _best(totals: dict[tuple[float, bool], float], configs: list[tuple[float, bool]]) -> Any:
    best_cfg, best = configs[0], -1.0
    for cfg in configs:  # ties keep the earlier (simpler) config
        if totals[cfg] > best + 1e-9:
            best_cfg, best = cfg, totals[cfg]
    return best_cfg


def _route_binary(p1: Array, band: tuple[float, float]) -> Array:
    return (p1[:, 1] >= band[0]) & (p1[:, 1] <= band[1])


def _route_max(p1: Array, cut: float) -> Array:
    return np.asarray(p1.max(axis=1) < cut)


def _cascade_rows(
    y: Array, p1: Array, p2: Array, classes: Array, metric: Metric
) -> list[dict[str, float]]:
    """Score and routed fraction of the cascade for each fixed band or cut (one test fold)."""
    pred1, pred2 = classes[p1.argmax(axis=1)], classes[p2.argmax(axis=1)]
    binary = p1.shape[1] == 2
    rows = []
    for band in BANDS if binary else CUTS:
        routed = _route_binary(p1, band) if binary else _route_max(p1, band)  # type: ignore[arg-type]
        rows.append({"value": metric(y, np.where(routed, pred2, pred1)), "routed": routed.mean()})
    return rows


def cascade_cv(
    texts: Sequence[str], labels: Sequence[int], emb: Array, k: int, metric: Metric, s: learn.Search
) -> dict[str, Any]:
    """First stage, second stage and cascade scores over ``k`` stratified folds."""
    from sklearn.model_selection import StratifiedKFold

    feats = learn.featurise(texts)
    y = np.asarray(labels, np.int64)
    first, second, cascade = [], [], []
    for tr, te in StratifiedKFold(k, shuffle=True, random_state=0).split(np.zeros(len(y)), y):
        cfg1, cfg2 = _choose_both(feats, emb, y, tr, metric, s)
        x1tr, x1te, x2tr, x2te = _pair(feats, emb, tr, te)
        m1 = learn.logreg(*cfg1).fit(x1tr, y[tr])
        m2 = learn.logreg(*cfg2).fit(x2tr, y[tr])
        p1, p2 = m1.predict_proba(x1te), m2.predict_proba(x2te)
        first.append(metric(y[te], m1.classes_[p1.argmax(axis=1)]))
        second.append(metric(y[te], m2.classes_[p2.argmax(axis=1)]))
        cascade.append(_cascade_rows(y[te], p1, p2, m1.classes_, metric))
    return _summary(first, second, cascade, BANDS if len(set(labels)) == 2 else CUTS)


def _summary(
    first: list[float], second: list[float], cascade: list[list[dict[str, float]]], bands: Any
) -> dict[str, Any]:
    def stat(values: Sequence[float]) -> dict[str, float]:
        return {"value": round(float(np.mean(values)), 4), "sd": round(float(np.std(values)), 4)}

    curve = []
    for j, band in enumerate(bands):
        row = stat([fold[j]["value"] for fold in cascade])
        row["routed"] = round(float(np.mean([fold[j]["routed"] for fold in cascade])), 4)
        curve.append({"route_when": _band_name(band), **row})
    return {"first_stage": stat(first), "second_stage": stat(second), "cascade": curve}


def _band_name(band: Any) -> str:
    if isinstance(band, tuple):
        return f"{band[0]} <= p <= {band[1]}"
    return f"max p < {band}"


def _protocol(base: str, details: dict[str, Any]) -> str:
    curve = "; ".join(
        f"{r['route_when']}: {r['value']:.3f} ({r['routed']:.0%} routed)"
        for r in details["cascade"]
    )
    return (
        f"{base}; stage 2 = tf-idf + frozen int8 all-MiniLM-L6-v2 mean-pooled embeddings + LR, "
        f"both stages refit per fold with their own inner-fold choice; first stage alone "
        f"{details['first_stage']['value']:.3f}; cascade (bands fixed in advance): {curve}"
    )


def _cv_task(
    d: ds.Labelled, name: str, k: int, metric: Metric, search: learn.Search
) -> dict[str, Any]:
    return cascade_cv(d.texts, d.labels, cached(d.texts, name), k, metric, search)


def task_complaint_cascade(root: Path) -> Result:
    d = ds.complaints(root)
    search = learn.SEARCH["complaint"]
    details = _cv_task(d, "complaints_preotiuc", 10, _macro_f1, search)
    second = details["second_stage"]
    protocol = _protocol(f"10-fold {CV}; {_nested(search)}", details)
    return second["value"], second["sd"], protocol, d.files, details


def task_severity_cascade(root: Path) -> Result:
    d = ds.xci(root, min_severity=1)
    search = learn.SEARCH["severity"]
    details = _cv_task(d, "xci_severity", 10, _macro_f1, search)
    second = details["second_stage"]
    protocol = _protocol(f"X-CI severity 1-4, 10-fold {CV}; {_nested(search)}", details)
    return second["value"], second["sd"], protocol, d.files, details


def tasks() -> dict[str, tuple[str, float | None, float | None, Any]]:
    """The cascade tasks, registered beside the first-stage ones by :mod:`evaluate`."""
    from accord.analysis.evaluate_stage2_split import task_banking77_cascade, task_emotion_cascade

    return {
        "complaint_cascade": ("macro_f1", 0.882, 0.89, task_complaint_cascade),
        "severity_cascade": ("macro_f1", 0.557, 0.56, task_severity_cascade),
        "emotion_ekman_cascade": ("macro_f1", 0.624, 0.63, task_emotion_cascade),
        "intent_banking77_cascade": ("accuracy", 0.937, 0.94, task_banking77_cascade),
    }
