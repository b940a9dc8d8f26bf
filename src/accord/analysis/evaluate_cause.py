"""``accord eval --task cause_xci``: the cause of a complaint, on the project's own labels.

Labels: every X-CI complaint labelled communication / product-service / human factors /
unknown under ``analysis/eval/CAUSE_GUIDE.md`` by two independent annotation passes (language
models, neither seeing the other's labels), disagreements adjudicated by a third; Cohen's kappa
between the two passes is printed with the figure. The set is split into a tuning half and a
held-out half by a hash of the tweet id, fixed before any tuning. Everything is tuned on the
tuning half (the head's C and class weighting on its inner folds); the held-out half is scored
once. Reported on held-out complaints whose label is not "unknown":

- coverage: the share given a cause (not "unknown"); macro-F1 over the three causes;
- for the cue rules alone (cause.py, packs retail + general) and for the cascade the engine runs
  with the encoder on: a cue in the sentence first, else the encoder head.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from accord.analysis.cause_head import CAUSES
from accord.analysis.train_cause import LABELS_FILE, fit, read_labels

PACKS = ("retail", "general")


def _scores(gold: list[str], pred: list[str]) -> dict[str, float]:
    from sklearn.metrics import f1_score

    return {
        "coverage": round(sum(p != "unknown" for p in pred) / len(pred), 4),
        "macro_f1": round(float(f1_score(gold, pred, labels=list(CAUSES), average="macro")), 4),
        "accuracy": round(float(np.mean([g == p for g, p in zip(gold, pred, strict=True)])), 4),
    }


def _kappa(root: Path) -> float:
    import csv

    from sklearn.metrics import cohen_kappa_score

    with LABELS_FILE.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return round(
        float(cohen_kappa_score([r["label_a"] for r in rows], [r["label_b"] for r in rows])), 4
    )


def task_cause_xci(root: Path) -> tuple[float, None, str, tuple[Path, ...], dict[str, Any]]:
    from accord.analysis import Analyzer, Taxonomy
    from accord.analysis.embed_cache import cached
    from accord.analysis.model import MODELS_DIR, LinearHeads

    data = read_labels(root)
    vectors = cached(data.texts, name="xci-cause", quiet=True)
    analyzer = Analyzer(LinearHeads.load(MODELS_DIR), Taxonomy.packs(list(PACKS)))
    results = analyzer.analyze_batch(data.texts)
    known = [i for i, label in enumerate(data.labels) if label != "unknown"]
    tune = [i for i in known if data.halves[i] == "tuning"]
    test = [i for i in known if data.halves[i] == "held-out"]
    model, info = fit(vectors[tune], np.asarray([data.labels[i] for i in tune]))
    guesses = model.predict(vectors[test])
    gold = [data.labels[i] for i in test]
    rules = [results[i].cause for i in test]
    cascade = [
        results[i].cause if results[i].cause_evidence else str(guess)
        for i, guess in zip(test, guesses, strict=True)
    ]
    cascade_scores = _scores(gold, cascade)
    details: dict[str, Any] = {
        "held_out": len(test),
        "tuning": len(tune),
        "kappa_between_passes": _kappa(root),
        "rules": _scores(gold, rules),
        "encoder_only": _scores(gold, [str(g) for g in guesses]),
        "cascade": cascade_scores,
        "head": info,
    }
    protocol = (
        "X-CI complaints, cause labels by two independent model passes + adjudication; "
        "head tuned on inner folds of the tuning half, held-out half scored once; "
        "cascade = cue in the sentence, else encoder head"
    )
    return cascade_scores["macro_f1"], None, protocol, (data.source, LABELS_FILE), details
