"""``accord eval --task generalisation_xci``: leave-one-domain-out over X-CI (EVALUATION.md,
"generalisation").

Each fold holds out one value of X-CI's ``domain`` column. Every head that learns from X-CI is
refit on the other domains with train.py's recipe: sentiment (GoEmotions train + the X-CI
sentiment labels of the other domains, C fixed in advance), complaint and severity (C and class
weighting chosen on inner folds of the fold's training rows, as :func:`train._selected` does).
The heads that never saw X-CI (ekman, extra emotions, abuse, topic) are kept as shipped, and so is
the tf-idf vocabulary: its idf statistics were counted over every shippable text, the held-out
tweets' words included (unsupervised, no label), because a new vocabulary means refitting every
head, the GoEmotions emotion heads with their dev tuning among them, which takes hours on two
cores. The refit columns are quantised to int8 as shipped columns are, put into an in-memory
:class:`LinearHeads`, and an :class:`Analyzer` (default taxonomy) reads each held-out tweet as a
customer message. Reported per fold: ROC AUC of ``heat`` and of ``complaint_prob`` against
``complaint``; cause coverage (complaints whose cause is not "unknown"); and cause macro-F1 over
the three causes against the project's cause labels (``analysis/eval/xci_cause_labels.csv``,
model-made and adjudicated, see ``cause_xci``), on their held-out half only, labels "unknown"
left out: the cue rules were tuned on the other half. The random_* domains hold no complaint,
so their AUC is undefined: their false-positive rate and heat are reported instead.
"""

from __future__ import annotations

import dataclasses
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from accord.analysis import datasets as ds
from accord.analysis import learn
from accord.analysis.artefacts import quantise
from accord.analysis.model import LinearHeads
from accord.analysis.taxonomy import Taxonomy, available_packs

BRAND_DOMAINS = (
    "services", "software", "electronics", "apparel", "transport", "retail", "other", "food",
    "cars",
)  # fmt: skip
RANDOM_DOMAINS = ("random_reply", "random_tweet")
SEARCHES: dict[str, learn.Search] = {
    "complaint": learn.SEARCH["complaint"],
    "severity": learn.SEARCH["severity"],
}
IntArray = npt.NDArray[np.int64]
Result = tuple[float, float | None, str, tuple[Path, ...], dict[str, Any]]
_POLARITY = {"negative": 0, "neutral": 1, "positive": 2}


@dataclasses.dataclass(frozen=True, slots=True)
class Xci:
    """X-CI's rows with every label the folds need, in file order."""

    texts: list[str]
    domain: list[str]
    complaint: IntArray
    severity: IntArray
    sentiment: IntArray
    cause: list[str]  # the project's label on the held-out half of the cause labels, else ""
    files: tuple[Path, ...]

    def subset(self, rows: Sequence[int]) -> Xci:
        keep = np.asarray(rows, np.int64)
        return Xci(
            [self.texts[i] for i in keep],
            [self.domain[i] for i in keep],
            self.complaint[keep],
            self.severity[keep],
            self.sentiment[keep],
            [self.cause[i] for i in keep],
            self.files,
        )


def read_xci(root: Path) -> Xci:
    from accord.analysis.train_cause import LABELS_FILE

    path = root / "complaints_twitter" / "complaints_xci_severity.csv"
    rows = list(ds.read_csv(path))
    gold = {
        r["id"]: r["label"]
        for r in ds.read_csv(LABELS_FILE)
        if r["half"] == "held-out" and r["label"] != "unknown"
    }
    return Xci(
        [r["text"] for r in rows],
        [r["domain"] for r in rows],
        np.asarray([int(r["complaint"]) for r in rows], np.int64),
        np.asarray([int(r["severity"]) for r in rows], np.int64),
        np.asarray([_POLARITY[r["sentiment"].strip().lower()] for r in rows], np.int64),
        [gold.get(r["id"], "") for r in rows],
        (path, LABELS_FILE),
    )


@dataclasses.dataclass(frozen=True, slots=True)
class Pool:
    """The shipped heads and every training matrix, vectorised once with the shipped vocabulary
    (the numpy vectoriser the analyzer itself uses, so a refit head sees what it will read)."""

    shipped: LinearHeads
    xci: Xci
    x_xci: Any  # csr rows of xci.texts
    x_go: Any  # csr rows of the GoEmotions sentiment texts
    y_go: IntArray

    @classmethod
    def build(
        cls, shipped: LinearHeads, xci: Xci, go_texts: Sequence[str], go_sentiment: Sequence[int]
    ) -> Pool:
        x_xci, x_go = _matrix(shipped, xci.texts), _matrix(shipped, go_texts)
        return cls(shipped, xci, x_xci, x_go, np.asarray(go_sentiment, np.int64))


def _matrix(heads: LinearHeads, texts: Sequence[str]) -> Any:
    from scipy.sparse import csr_matrix

    idx, val, indptr = heads.vectorizer.rows(texts)
    return csr_matrix((val, idx, indptr), shape=(len(texts), len(heads.vectorizer.idf)))


def fold_plan(domains: Sequence[str], held: Sequence[str]) -> dict[str, tuple[IntArray, IntArray]]:
    """(training rows, held-out rows) per held-out domain: the rows of every other domain train."""
    d = np.asarray(domains)
    return {name: (_where(d != name), _where(d == name)) for name in held}


def _where(mask: npt.NDArray[np.bool_]) -> IntArray:
    return np.flatnonzero(mask).astype(np.int64)


def select_head(x: Any, y: IntArray, search: learn.Search) -> dict[str, Any]:
    """train._selected over a ready matrix: (C, balanced) by mean inner-fold macro-F1 of the
    training rows only, then one fit on all of them."""
    from sklearn.metrics import f1_score

    configs = search.configs()
    folds = learn.inner_folds(y) if len(configs) > 1 else []

    def score(c: float, balanced: bool) -> float:
        fits = [(b, learn.logreg(c, balanced).fit(x[a], y[a]).predict(x[b])) for a, b in folds]
        return float(np.mean([f1_score(y[b], p, average="macro") for b, p in fits]))

    c, balanced = learn.select(score, configs) if folds else configs[0]
    w, b = learn.multiclass_weights(learn.logreg(c, balanced).fit(x, y))
    return {"W": w, "b": b, "C": c, "balanced": balanced}


def fold_heads(
    pool: Pool, train: IntArray, searches: Mapping[str, learn.Search] = SEARCHES
) -> tuple[LinearHeads, dict[str, Any]]:
    """The shipped heads with sentiment, complaint and severity refit on ``train`` rows only."""
    from scipy.sparse import vstack

    x = pool.x_xci[train]
    x_sent = vstack([pool.x_go, x]).tocsr()
    y_sent = np.concatenate([pool.y_go, pool.xci.sentiment[train]])
    sent = learn.logreg(learn.C_FIXED, balanced=True).fit(x_sent, y_sent)  # as train.py
    w, b = learn.multiclass_weights(sent)
    complaint = (pool.xci.severity[train] > 0).astype(np.int64)  # as train.py labels it
    refit = {
        "sentiment": {"W": w, "b": b, "C": learn.C_FIXED, "balanced": True},
        "complaint": select_head(x, complaint, searches["complaint"]),
        "severity": select_head(x, pool.xci.severity[train], searches["severity"]),
    }
    return _replaced(pool.shipped, refit), {
        k: {"C": v["C"], "balanced": v["balanced"]} for k, v in refit.items()
    }


def _replaced(shipped: LinearHeads, refit: Mapping[str, Mapping[str, Any]]) -> LinearHeads:
    weights, bias = shipped.weights.copy(), shipped.bias.copy()
    for name, head in refit.items():
        spec = shipped.heads[name]
        width = spec.end - spec.start
        if head["W"].shape[1] != width:
            got = head["W"].shape[1]
            raise ValueError(
                f"refit {name} head has {got} outputs, not {width}: a class is missing"
            )
        q, scale = quantise(np.asarray(head["W"], np.float64))  # as write_artefacts ships it
        weights[:, spec.start : spec.end] = q.astype(np.float32) * scale
        bias[spec.start : spec.end] = np.asarray(head["b"], np.float32)
    manifest = {**shipped.manifest, "refit": sorted(refit)}
    return LinearHeads(shipped.vectorizer, weights, bias, shipped.heads, manifest)


def score_domain(
    heads: LinearHeads,
    texts: Sequence[str],
    complaint: IntArray,
    gold_cause: Sequence[str],
    taxonomies: Mapping[str, Taxonomy],
) -> dict[str, Any]:
    """AUCs (None when the domain has one class), cause coverage and macro-F1 per taxonomy,
    and rates."""
    from sklearn.metrics import roc_auc_score

    from accord.analysis.analyzer import Analyzer

    out: dict[str, Any] = {"n": len(texts), "complaints": int(complaint.sum())}
    is_c = complaint == 1
    labelled = [i for i, g in enumerate(gold_cause) if g]
    out["cause_labelled"], out["_gold"] = len(labelled), [gold_cause[i] for i in labelled]
    readings = {
        key: Analyzer(heads, taxonomy).analyze_batch(list(texts), "customer")
        for key, taxonomy in taxonomies.items()
    }
    for key, found in readings.items():
        known = np.asarray([r.cause != "unknown" for r in found], bool)
        out[f"cause_coverage{key}"] = _share(known[is_c])
        out[f"_cause{key}"] = [found[i].cause for i in labelled]
        out[f"cause_macro_f1{key}"] = _cause_f1(out["_gold"], out[f"_cause{key}"])
    found = next(iter(readings.values()))  # heat and complaint_prob do not depend on topics
    heat = np.asarray([r.heat for r in found])
    prob = np.asarray([r.complaint_prob for r in found])
    two = 0 < is_c.sum() < len(is_c)
    out["auc_heat"] = round(float(roc_auc_score(complaint, heat)), 4) if two else None
    out["auc_complaint_prob"] = round(float(roc_auc_score(complaint, prob)), 4) if two else None
    out["false_positive_rate"] = _share(prob[~is_c] >= 0.5)
    out["recall"] = _share(prob[is_c] >= 0.5)
    out["mean_heat_complaints"] = _mean(heat[is_c])
    out["mean_heat_others"] = _mean(heat[~is_c])
    out["_heat"], out["_prob"] = heat, prob  # for the pooled AUC; dropped from the report
    return out


def _cause_f1(gold: Sequence[str], pred: Sequence[str]) -> float | None:
    """Macro-F1 over the three causes ("unknown" predicted counts as a miss), as cause_xci."""
    from sklearn.metrics import f1_score

    from accord.analysis.cause_head import CAUSES

    if not gold:
        return None
    return round(float(f1_score(gold, pred, labels=list(CAUSES), average="macro")), 4)


def _share(flags: npt.NDArray[np.bool_]) -> float | None:
    return round(float(flags.mean()), 4) if len(flags) else None


def _mean(values: npt.NDArray[np.float64]) -> float | None:
    return round(float(values.mean()), 2) if len(values) else None


def taxonomies() -> dict[str, Taxonomy]:
    """The default taxonomy (the headline, key "") and every shipped pack merged (beside it)."""
    return {"": Taxonomy.default(), "_all_packs": Taxonomy.packs(available_packs())}


def leave_one_domain_out(
    pool: Pool, held: Sequence[str], searches: Mapping[str, learn.Search] = SEARCHES
) -> dict[str, dict[str, Any]]:
    """One fold per held-out domain: refit on the others, score the held-out tweets."""
    folds: dict[str, dict[str, Any]] = {}
    tax = taxonomies()
    for name, (train, test) in fold_plan(pool.xci.domain, held).items():
        started = time.perf_counter()
        heads, chosen = fold_heads(pool, train, searches)
        texts = [pool.xci.texts[i] for i in test]
        gold = [pool.xci.cause[i] for i in test]
        folds[name] = {
            **score_domain(heads, texts, pool.xci.complaint[test], gold, tax),
            "train_rows": len(train),
            "chosen": chosen,
            "_rows": test,
        }
        # A fold takes minutes: say which one ended (stderr, so --json stays one object).
        seconds = time.perf_counter() - started
        print(f"  generalisation_xci {name}: AUC heat {folds[name]['auc_heat']} ({seconds:.0f} s)",
              file=sys.stderr, flush=True)  # fmt: skip
    return folds


MEANS = (
    "auc_heat", "auc_complaint_prob", "cause_coverage", "cause_coverage_all_packs",
    "cause_macro_f1", "cause_macro_f1_all_packs",
)  # fmt: skip


def summarise(pool: Pool, folds: Mapping[str, dict[str, Any]]) -> dict[str, Any]:
    """Means over the brand domains, figures over every held-out prediction pooled, and the
    folds without their arrays."""
    brand = [f for name, f in folds.items() if name in BRAND_DOMAINS]
    means = {k: _mean_of([f[k] for f in brand]) for k in MEANS} if brand else {}
    clean = {n: {k: v for k, v in f.items() if not k.startswith("_")} for n, f in folds.items()}
    return {
        "brand_mean": means,
        "brand_sd_auc_heat": _sd(brand),
        "pooled": _pooled(pool, folds),
        "folds": clean,
    }


def _mean_of(values: Sequence[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return round(float(np.mean(known)), 4) if known else None


def _pooled(pool: Pool, folds: Mapping[str, dict[str, Any]]) -> dict[str, Any]:
    """Every tweet scored by the fold that held it out, as one set (the random_* negatives
    included); the folds' models differ, so this mixes their calibrations."""
    from sklearn.metrics import roc_auc_score

    y = pool.xci.complaint[np.concatenate([f["_rows"] for f in folds.values()])]
    out: dict[str, Any] = {}
    if 0 < y.sum() < len(y):
        for key, part in (("heat", "_heat"), ("complaint_prob", "_prob")):
            score = np.concatenate([f[part] for f in folds.values()])
            out[f"auc_{key}"] = round(float(roc_auc_score(y, score)), 4)
    gold = [g for f in folds.values() for g in f["_gold"]]
    for key in ("", "_all_packs"):
        pred = [c for f in folds.values() for c in f[f"_cause{key}"]]
        out[f"cause_macro_f1{key}"] = _cause_f1(gold, pred)
    out["cause_labelled"] = len(gold)
    return out


def _sd(brand: Sequence[Mapping[str, Any]]) -> float | None:
    return round(float(np.std([f["auc_heat"] for f in brand])), 4) if brand else None


def task_generalisation_xci(root: Path) -> Result:
    from accord.analysis.evaluate import _nested
    from accord.analysis.train import _sentiment_labels

    go = ds.goemotions(root, "train", ekman=False)
    go_sent = _sentiment_labels(go.labels, ds.goemotions_labels(root, ekman=False))
    xci = read_xci(root)
    shipped = LinearHeads.load()
    pool = Pool.build(shipped, xci, go.texts, go_sent)
    report = summarise(pool, leave_one_domain_out(pool, BRAND_DOMAINS + RANDOM_DOMAINS))
    report["shipped_heads_sha256"] = shipped.manifest["files"]["heads.npz"]["sha256"][:12]
    m = report["brand_mean"]
    protocol = (
        "leave-one-domain-out over X-CI's domain column (11 folds; headline = mean ROC AUC of "
        "heat over the 9 brand domains, random_* folds in details); per fold the sentiment "
        f"(GoEmotions train + X-CI sentiment of the other domains, C={learn.C_FIXED} balanced, "
        "fixed), complaint and severity heads refit on the other domains, complaint and "
        f"severity with {_nested(SEARCHES['severity'])} (complaint grid "
        f"{list(SEARCHES['complaint'].grid)}); ekman, extra, abuse, topic heads and the tf-idf "
        "vocabulary as shipped (its idf counted every X-CI tweet, unlabelled); default "
        "taxonomy, encoder off, held-out tweets read as customer messages; brand means: "
        "complaint_prob AUC "
        f"{m['auc_complaint_prob']:.3f}, cause coverage {m['cause_coverage']:.3f} (all packs "
        f"{m['cause_coverage_all_packs']:.3f}), cause macro-F1 {m['cause_macro_f1']:.3f} (all "
        f"packs {m['cause_macro_f1_all_packs']:.3f}) on the held-out half of the project's "
        "cause labels (model-made, adjudicated; 'unknown' left out)"
    )
    files = (*xci.files, ds.goemotions_path(root, "train", False))
    return m["auc_heat"], report["brand_sd_auc_heat"], protocol, files, report
