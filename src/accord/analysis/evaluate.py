"""``accord eval``: each benchmark measured with its published protocol (shared/EVALUATION.md).

Every task refits the engine's recipe (features -> tf-idf -> logistic regression) inside each
training fold or on the official training split; the shipped heads are never scored on rows
they were trained on. C is fixed in advance or chosen on the official dev split / an inner
80/20 split of the training fold, never on the test data. Needs the ``train`` extra.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from accord.analysis import datasets as ds
from accord.analysis import learn
from accord.analysis.derail import conversation_features, split_comments

CV = "StratifiedKFold(shuffle=True, random_state=0)"
Metric = Callable[[Any, Any], float]


@dataclass(frozen=True, slots=True)
class TaskResult:
    metric: str
    value: float
    sd: float | None
    anchor: float | None
    goal: float | None
    protocol: str
    data_sha256: str
    seconds: float
    details: dict[str, Any] | None = None  # the cascade tasks: both stages and the curve

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _macro_f1(y: Any, p: Any) -> float:
    from sklearn.metrics import f1_score

    return float(f1_score(y, p, average="macro"))


def _accuracy(y: Any, p: Any) -> float:
    from sklearn.metrics import accuracy_score

    return float(accuracy_score(y, p))


def _fit_predict(xtr: Any, ytr: Any, xte: Any, c: float, balanced: bool = True) -> npt.NDArray[Any]:
    return np.asarray(learn.logreg(c, balanced).fit(xtr, ytr).predict(xte))


def _matrices(
    feats: Sequence[list[str]],
    tr: Any,
    te: Any,
    dense: npt.NDArray[np.float64] | None,
    text: bool = True,
) -> tuple[Any, Any]:
    """Tf-idf fitted on the training rows only, optionally with (or only) extra dense columns."""
    from scipy.sparse import csr_matrix, hstack

    parts_tr, parts_te = [], []
    if text or dense is None:
        vec = learn.tfidf()
        parts_tr.append(vec.fit_transform([feats[i] for i in tr]))
        parts_te.append(vec.transform([feats[i] for i in te]))
    if dense is not None:
        mean, sd = dense[tr].mean(axis=0), dense[tr].std(axis=0) + 1e-6
        parts_tr.append(csr_matrix((dense[tr] - mean) / sd))
        parts_te.append(csr_matrix((dense[te] - mean) / sd))
    return hstack(parts_tr).tocsr(), hstack(parts_te).tocsr()


Config = tuple[float, bool, bool]  # C, balanced class weights, tf-idf columns used


def _choose(
    feats: Sequence[list[str]],
    y: npt.NDArray[np.int64],
    tr: Any,
    metric: Metric,
    search: learn.Search,
    dense: npt.NDArray[np.float64] | None,
    text_options: Sequence[bool],
) -> Config:
    """The config with the best mean score over inner folds of the training fold only."""
    configs = [(c, b, t) for t in text_options for c, b in search.configs()]
    if len(configs) == 1:
        return configs[0]
    tr = np.asarray(tr)
    totals = dict.fromkeys(configs, 0.0)
    for inner_tr, inner_te in learn.inner_folds(y[tr]):
        itr, ite = tr[inner_tr], tr[inner_te]
        for text in text_options:
            xtr, xte = _matrices(feats, itr, ite, dense, text)
            for c, bal in search.configs():
                totals[(c, bal, text)] += metric(y[ite], _fit_predict(xtr, y[itr], xte, c, bal))
    best_cfg, best = configs[0], -1.0
    for cfg in configs:  # ties keep the earlier (simpler) config
        if totals[cfg] > best + 1e-9:
            best_cfg, best = cfg, totals[cfg]
    return best_cfg


def cross_validate(
    texts: Sequence[str],
    labels: Sequence[int],
    k: int,
    metric: Metric,
    search: learn.Search,
    dense: npt.NDArray[np.float64] | None = None,
    text_options: Sequence[bool] = (True,),
) -> tuple[float, float]:
    """Mean and sd over ``k`` stratified folds; everything refit inside each training fold."""
    from sklearn.model_selection import StratifiedKFold

    feats = learn.featurise(texts)
    y = np.asarray(labels, np.int64)
    scores = []
    for tr, te in StratifiedKFold(k, shuffle=True, random_state=0).split(np.zeros(len(y)), y):
        c, bal, text = _choose(feats, y, tr, metric, search, dense, text_options)
        xtr, xte = _matrices(feats, tr, te, dense, text)
        scores.append(metric(y[te], _fit_predict(xtr, y[tr], xte, c, bal)))
    return float(np.mean(scores)), float(np.std(scores))


def _nested(search: learn.Search) -> str:
    if len(search.configs()) == 1:
        c, bal = search.configs()[0]
        return f"C={c}, {'balanced' if bal else 'unweighted'} classes, fixed in advance"
    weights = "/".join("balanced" if b else "none" for b in search.balanced)
    return (
        f"C from {list(search.grid)} x class weights {weights} chosen per training fold on "
        f"inner folds ({learn.INNER_FOLDS}-fold stratified, or one 80/20 split above "
        f"{learn.INNER_CV_MAX_ROWS} rows)"
    )


def task_complaint(root: Path) -> tuple[float, float | None, str, tuple[Path, ...]]:
    d = ds.complaints(root)
    search = learn.SEARCH["complaint"]
    mean, sd = cross_validate(d.texts, d.labels, 10, _macro_f1, search)
    return mean, sd, f"10-fold {CV}; tf-idf + LR refit per fold; {_nested(search)}", d.files


def task_severity(root: Path) -> tuple[float, float | None, str, tuple[Path, ...]]:
    d = ds.xci(root, min_severity=1)
    search = learn.SEARCH["severity"]
    mean, sd = cross_validate(d.texts, d.labels, 10, _macro_f1, search)
    return mean, sd, f"X-CI severity 1-4, 10-fold {CV}; {_nested(search)}", d.files


def task_politeness(root: Path) -> tuple[float, float | None, str, tuple[Path, ...]]:
    d = ds.politeness_wiki(root)
    search = learn.SEARCH["politeness"]
    mean, sd = cross_validate(d.texts, d.labels, 10, _accuracy, search)
    return mean, sd, f"top vs bottom quartile, 10-fold {CV}; {_nested(search)}", d.files


def task_abuse(root: Path) -> tuple[float, float | None, str, tuple[Path, ...]]:
    d = ds.davidson(root)
    search = learn.SEARCH["abuse"]
    mean, sd = cross_validate(d.texts, d.labels, 5, _macro_f1, search)
    return mean, sd, f"3-class, 5-fold {CV}; {_nested(search)}", d.files


def task_derailment(root: Path) -> tuple[float, float | None, str, tuple[Path, ...]]:
    d = ds.cga_cmv(root)
    dense = conversation_features(d.texts)
    search = learn.SEARCH["derailment"]
    mean, sd = cross_validate(
        d.texts, d.labels, 10, _accuracy, search, dense=dense, text_options=(True, False)
    )
    protocol = (
        f"10-fold {CV} over conversations; the shipped analyzer's per-comment heat/signal "
        f"trajectory features, with or without tf-idf of the prefix (chosen with C on the inner "
        f"folds), LR refit per fold; {_nested(search)}"
        "; anchors 0.628 (CRAFT) to 0.710 are on the larger CGA-CMV test split"
    )
    return mean, sd, protocol, d.files


def task_forecast(root: Path) -> tuple[float, float | None, str, tuple[Path, ...]]:
    """The escalation-risk forecast exactly as it ships (fixed coefficients, nothing fitted)."""
    from sklearn.metrics import roc_auc_score

    from accord.analysis.analyzer import load_analyzer

    d = ds.cga_cmv(root)
    analyzer = load_analyzer()
    risks = []
    for context in d.texts:
        turns = [("customer", c) for c in split_comments(context)]
        risks.append(analyzer.analyze_conversation(turns).escalation_risk)
    risk, y = np.asarray(risks), np.asarray(d.labels)
    auc = float(roc_auc_score(y, risk))
    protocol = (
        "the shipped escalation_risk of analyze_conversation on every CGA-CMV prefix (every "
        f"comment read as the customer's), derails predicted at risk >= 0.5; nothing fitted, "
        f"no folds; ROC AUC {auc:.3f}"
    )
    return _accuracy(y, risk >= 0.5), None, protocol, d.files


TASKS: dict[str, tuple[str, float | None, float | None, Callable[..., Any]]] = {}


def _register() -> None:
    from accord.analysis.evaluate_split import task_banking77, task_emotion

    TASKS.update(
        {
            "complaint": ("macro_f1", 0.882, 0.89, task_complaint),
            "severity": ("macro_f1", 0.557, 0.56, task_severity),
            "emotion_ekman": ("macro_f1", 0.624, 0.63, task_emotion),
            "politeness_wiki": ("accuracy", 0.867, 0.87, task_politeness),
            "abuse_davidson": ("macro_f1", None, 0.80, task_abuse),
            "intent_banking77": ("accuracy", 0.937, 0.94, task_banking77),
            "derailment_cga_cmv": ("accuracy", 0.628, 0.65, task_derailment),
            "forecast_shipped_cga_cmv": ("accuracy", 0.628, 0.65, task_forecast),
        }
    )
    from accord.analysis.evaluate_domains import task_generalisation_xci

    TASKS["generalisation_xci"] = ("roc_auc_heat", None, 0.92, task_generalisation_xci)
    from accord.analysis.evaluate_cause import task_cause_xci

    TASKS["cause_xci"] = ("macro_f1", None, 0.80, task_cause_xci)
    from accord.analysis.evaluate_stage2 import tasks

    TASKS.update(tasks())


_register()


def register_task(
    name: str, metric: str, anchor: float | None, goal: float | None, fn: Callable[..., Any]
) -> None:
    """The hook for tasks of packages the engine may not import (the reply coach's ``coach``
    task is registered from the CLI). A name already registered keeps its first task."""
    TASKS.setdefault(name, (metric, anchor, goal, fn))


def run_task(name: str, root: Path) -> TaskResult:
    metric, anchor, goal, fn = TASKS[name]
    started = time.perf_counter()
    value, sd, protocol, files, *details = fn(root)
    return TaskResult(
        metric=metric,
        value=round(value, 4),
        sd=None if sd is None else round(sd, 4),
        anchor=anchor,
        goal=goal,
        protocol=protocol,
        data_sha256=ds.sha256_prefix(*files),
        seconds=round(time.perf_counter() - started, 1),
        details=details[0] if details else None,
    )
