"""Train the cause head: ``python -m accord.analysis.train_cause [--data DIR] [--out DIR]``.

Reads the project's cause labels of X-CI complaints (``analysis/eval/xci_cause_labels.csv``:
ids and labels only; the texts come from ``complaints_twitter/complaints_xci_severity.csv`` in
the shared data sets, MIT licence) and fits a logistic regression over the sentence encoder's
embeddings, with C and class weighting chosen on inner folds (macro-F1). Labels "unknown" are
left out: the head names one of the three causes. The shipped head learns from every labelled
complaint; ``accord eval --task cause_xci`` refits it on the tuning half only and scores the
held-out half. Needs the ``train`` extra (scikit-learn).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from accord.analysis.cause_head import CARD_FILE, CAUSES, HEAD_FILE
from accord.analysis.embeddings import sha256_file
from accord.analysis.model import MODELS_DIR

LABELS_FILE = Path(__file__).parent / "eval" / "xci_cause_labels.csv"
XCI = Path("complaints_twitter") / "complaints_xci_severity.csv"
GRID = tuple((c, balanced) for c in (0.1, 0.3, 1.0, 3.0, 10.0) for balanced in (False, True))


@dataclass(frozen=True)
class Labelled:
    ids: list[str]
    texts: list[str]
    labels: list[str]  # the adjudicated label, "unknown" included
    halves: list[str]  # "tuning" or "held-out"
    domains: list[str]
    source: Path


def read_labels(root: Path, labels_file: Path = LABELS_FILE) -> Labelled:
    source = root / XCI
    with source.open(encoding="utf-8", newline="") as fh:
        texts = {row["id"]: row["text"] for row in csv.DictReader(fh)}
    with labels_file.open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["id"] in texts]
    return Labelled(
        ids=[r["id"] for r in rows],
        texts=[texts[r["id"]] for r in rows],
        labels=[r["label"] for r in rows],
        halves=[r["half"] for r in rows],
        domains=[r["domain"] for r in rows],
        source=source,
    )


def _model(c: float, balanced: bool) -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, class_weight="balanced" if balanced else None, max_iter=3000)


def choose(x: npt.NDArray[Any], y: npt.NDArray[Any]) -> tuple[float, bool, float]:
    """(C, balanced, inner macro-F1) by 5 inner stratified folds of the training rows."""
    from sklearn.metrics import f1_score
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    best = (GRID[0][0], GRID[0][1], -1.0)
    for c, balanced in GRID:
        pred = cross_val_predict(_model(c, balanced), x, y, cv=folds)
        score = float(f1_score(y, pred, labels=list(CAUSES), average="macro"))
        if score > best[2]:
            best = (c, balanced, score)
    return best


def fit(x: npt.NDArray[Any], y: npt.NDArray[Any]) -> tuple[Any, dict[str, Any]]:
    c, balanced, inner = choose(x, y)
    model = _model(c, balanced).fit(x, y)
    return model, {"C": c, "balanced": balanced, "inner_macro_f1": round(inner, 4)}


def write_head(model: Any, info: dict[str, Any], out: Path, data: Labelled) -> dict[str, Any]:
    order = [list(model.classes_).index(label) for label in CAUSES]
    w = np.asarray(model.coef_, np.float32)[order].T
    b = np.asarray(model.intercept_, np.float32)[order]
    path = out / HEAD_FILE
    np.savez(path, W=w, b=b, labels=np.asarray(CAUSES))
    card = {
        "sha256": sha256_file(path),
        "labels": list(CAUSES),
        "trained_on": {
            "labels_sha256": sha256_file(LABELS_FILE),
            "texts": data.source.name,
            "texts_sha256": sha256_file(data.source),
            "rows": int(sum(label != "unknown" for label in data.labels)),
        },
        **info,
    }
    (out / CARD_FILE).write_text(json.dumps(card, indent=1) + "\n", encoding="utf-8")
    return card


def main(argv: list[str] | None = None) -> int:
    from accord.analysis.embed_cache import cached

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/datasets"))
    parser.add_argument("--out", type=Path, default=MODELS_DIR)
    args = parser.parse_args(argv)
    data = read_labels(args.data)
    keep = [i for i, label in enumerate(data.labels) if label != "unknown"]
    vectors = cached(data.texts, name="xci-cause")
    y = np.asarray([data.labels[i] for i in keep])
    model, info = fit(vectors[keep], y)
    card = write_head(model, info, args.out, data)
    digest = hashlib.sha256(json.dumps(card, sort_keys=True).encode()).hexdigest()[:12]
    print(json.dumps({"out": str(args.out / HEAD_FILE), "card": digest, **info}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
