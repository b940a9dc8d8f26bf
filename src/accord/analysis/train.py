"""Rebuild the shipped models: ``python -m accord.analysis.train [--data DIR] [--out DIR]``.

Needs the ``train`` extra (scikit-learn). Only sets whose PROVENANCE.md allows shipped heads
are read: GoEmotions (Apache-2.0), X-CI (MIT), Davidson et al. (MIT), Banking77 (CC BY 4.0)
and Bitext (CDLA-Sharing; the weights are not the data). The Preoţiuc-Pietro file, the
politeness corpus, Conversations Gone Awry and TWCS are evaluation-only and never read here.
Hyperparameters: the emotion heads' C and thresholds are chosen on GoEmotions' official dev
split; the complaint, severity and abuse heads take C and class weighting from the same per-task
grids (``learn.SEARCH``) as ``accord eval``, chosen on inner folds of their training data; the
others are fixed in advance. Output: vocab.txt, heads.npz, heads.json, manifest.json.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from accord.analysis import datasets as ds
from accord.analysis import learn
from accord.analysis.artefacts import write_artefacts
from accord.analysis.model import MODELS_DIR
from accord.analysis.topics_map import (
    BANKING_TOPICS,
    BITEXT_TOPICS,
    HEAD_TOPICS,
    OTHER_FROM_GOEMOTIONS,
)
from accord.analysis.types import EKMAN_LABELS, EXTRA_EMOTIONS

MAX_FEATURES = 60_000
MIN_DF = 3
# GoEmotions' own sentiment grouping of its 27 emotions, except "desire": GoEmotions counts
# wanting as positive, but in a support queue "I want a refund NOW" is a demand, not a good
# mood, so desire-only comments train the neutral class here.
SENTIMENT_GROUPS = {
    "positive": "admiration amusement approval caring excitement gratitude joy love "
    "optimism pride relief",
    "negative": "anger annoyance disappointment disapproval disgust embarrassment fear grief "
    "nervousness remorse sadness",
}
Head = dict[str, Any]


def _log(msg: str) -> None:
    print(f"[train {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def _sentiment_labels(labels: list[list[int]], names: list[str]) -> list[int]:
    """Negative 0 / neutral (incl. ambiguous and mixed) 1 / positive 2."""
    pos = {names.index(n) for n in SENTIMENT_GROUPS["positive"].split()}
    neg = {names.index(n) for n in SENTIMENT_GROUPS["negative"].split()}
    out = []
    for row in labels:
        p, n = any(i in pos for i in row), any(i in neg for i in row)
        out.append(2 if p and not n else 0 if n and not p else 1)
    return out


class Corpora:
    """Every shippable text and label, read once."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.ek_train = ds.goemotions(root, "train", ekman=True)
        self.ek_dev = ds.goemotions(root, "dev", ekman=True)
        self.go_train = ds.goemotions(root, "train", ekman=False)
        self.go_dev = ds.goemotions(root, "dev", ekman=False)
        self.go_names = ds.goemotions_labels(root, ekman=False)
        self.xci = ds.xci(root)
        self.xci_sent = ds.xci(root, label="sentiment")
        self.davidson = ds.davidson(root)
        self.bank = ds.banking77(root, "train")
        self.bitext = ds.bitext(root)

    def vocabulary_texts(self) -> list[str]:
        return [
            *self.go_train.texts,
            *self.xci.texts,
            *self.davidson.texts,
            *self.bank[0],
            *self.bitext[0],
        ]

    def topic_data(self) -> tuple[list[str], list[int]]:
        texts, labels = [], []
        for text, intent in zip(*self.bitext, strict=True):
            if intent in BITEXT_TOPICS:
                texts.append(text)
                labels.append(HEAD_TOPICS.index(BITEXT_TOPICS[intent]))
        for text, intent in zip(*self.bank, strict=True):
            texts.append(text)
            labels.append(HEAD_TOPICS.index(BANKING_TOPICS.get(intent, "billing and payments")))
        # Everyday chatter (GoEmotions' Reddit comments) teaches the head what "no topic" is.
        other = HEAD_TOPICS.index("other")
        texts.extend(self.go_train.texts[:OTHER_FROM_GOEMOTIONS])
        labels.extend([other] * OTHER_FROM_GOEMOTIONS)
        return texts, labels


def _multiclass(vec: Any, texts: list[str], y: list[int], c: float) -> tuple[Any, Any]:
    model = learn.logreg(c, balanced=True).fit(vec.transform(learn.featurise(texts)), y)
    return learn.multiclass_weights(model)


def _selected(vec: Any, texts: list[str], y: list[int], search: learn.Search) -> Head:
    """Multiclass head whose C and class weighting are chosen on inner folds (macro-F1)."""
    from sklearn.metrics import f1_score

    x = vec.transform(learn.featurise(texts))
    ya = np.asarray(y, np.int64)
    folds = learn.inner_folds(ya)

    def score(c: float, balanced: bool) -> float:
        preds = [(b, learn.logreg(c, balanced).fit(x[a], ya[a]).predict(x[b])) for a, b in folds]
        return float(np.mean([f1_score(ya[b], p, average="macro") for b, p in preds]))

    configs = search.configs()
    c, balanced = learn.select(score, configs) if len(configs) > 1 else configs[0]
    inner = score(c, balanced) if len(configs) > 1 else None
    _log(f"  C={c} balanced={balanced} inner macro-F1 {inner}")
    w, b = learn.multiclass_weights(learn.logreg(c, balanced).fit(x, ya))
    head: Head = {"W": w, "b": b, "C": c, "balanced": balanced}
    if inner is not None:
        head["inner_macro_f1"] = round(inner, 4)
    return head


def _multilabel_tuned(vec: Any, train: Any, dev: Any, cols: list[int], n: int) -> Head:
    """Per-label sigmoids; C and thresholds chosen on the dev split (macro-F1)."""
    xtr, xdev = (
        vec.transform(learn.featurise(train.texts)),
        vec.transform(learn.featurise(dev.texts)),
    )
    ytr = learn.multilabel_matrix(train.labels, n)[:, cols]
    ydev = learn.multilabel_matrix(dev.labels, n)[:, cols]
    fit = learn.fit_multilabel_tuned(xtr, ytr, xdev, ydev)
    _log(f"  C={fit['C']}: dev macro-F1 {fit['dev_macro_f1']:.4f}")
    return {
        "W": fit["W"],
        "b": fit["b"],
        "thresholds": [round(float(t), 4) for t in fit["thresholds"]],
        "dev_macro_f1": round(fit["dev_macro_f1"], 4),
        "C": fit["C"],
    }


def fit_heads(c: Corpora, vec: Any) -> list[Head]:
    heads: list[Head] = []
    _log("ekman (GoEmotions ekman train, tuned on dev)")
    ek = _multilabel_tuned(vec, c.ek_train, c.ek_dev, list(range(7)), 7)
    heads.append({"name": "ekman", "kind": "multilabel", "labels": EKMAN_LABELS, **ek})
    _log("extra emotions (GoEmotions 28-label train, tuned on dev)")
    cols = [c.go_names.index(e) for e in EXTRA_EMOTIONS]
    ex = _multilabel_tuned(vec, c.go_train, c.go_dev, cols, len(c.go_names))
    heads.append({"name": "extra", "kind": "multilabel", "labels": EXTRA_EMOTIONS, **ex})
    _log("sentiment (GoEmotions sentiment groups + X-CI sentiment)")
    texts = [*c.go_train.texts, *c.xci_sent.texts]
    y = [*_sentiment_labels(c.go_train.labels, c.go_names), *c.xci_sent.labels]
    w, b = _multiclass(vec, texts, y, learn.C_FIXED)
    heads.append(
        {
            "name": "sentiment",
            "kind": "multiclass",
            "labels": ("negative", "neutral", "positive"),
            "W": w,
            "b": b,
        }
    )
    _log("complaint and severity (X-CI)")
    binary = [int(v > 0) for v in c.xci.labels]
    head = _selected(vec, c.xci.texts, binary, learn.SEARCH["complaint"])
    heads.append({"name": "complaint", "kind": "multiclass", "labels": ("no", "yes"), **head})
    head = _selected(vec, c.xci.texts, c.xci.labels, learn.SEARCH["severity"])
    heads.append(
        {"name": "severity", "kind": "multiclass", "labels": ("0", "1", "2", "3", "4"), **head}
    )
    _log("abuse (Davidson et al.)")
    head = _selected(vec, c.davidson.texts, c.davidson.labels, learn.SEARCH["abuse"])
    heads.append(
        {"name": "abuse", "kind": "multiclass", "labels": ("hate", "offensive", "neither"), **head}
    )
    _log("topic (Bitext + Banking77 intents mapped to the default taxonomy)")
    w, b = _multiclass(vec, *c.topic_data(), learn.C_FIXED)
    heads.append({"name": "topic", "kind": "multiclass", "labels": HEAD_TOPICS, "W": w, "b": b})
    return heads


def _sources(root: Path, corpora: Corpora) -> dict[str, Path]:
    paths = [
        corpora.xci.files[0],
        corpora.davidson.files[0],
        ds.goemotions_path(root, "train", True),
        ds.goemotions_path(root, "dev", True),
        ds.goemotions_path(root, "train", False),
        ds.goemotions_path(root, "dev", False),
        ds.banking77_path(root, "train"),
        root / "bitext_customer_support" / "bitext_customer_support_4514.csv.gz",
    ]
    return {p.relative_to(root).as_posix(): p for p in paths}


def train(root: Path, out: Path, stages: str = "all") -> dict[str, Any]:
    """Rebuild the first stage (``stages`` "1" or "all") and the second ("2" or "all")."""
    started = time.perf_counter()
    corpora = Corpora(root)
    manifest: dict[str, Any] = {}
    if stages in ("1", "all"):
        _log("vocabulary (tf-idf over every shippable text)")
        vec = learn.tfidf(min_df=MIN_DF, max_features=MAX_FEATURES)
        vec.fit(learn.featurise(corpora.vocabulary_texts()))
        heads = fit_heads(corpora, vec)
        manifest = write_artefacts(out, vec, heads, _sources(root, corpora))
    if stages in ("2", "all"):
        from accord.analysis import train_stage2
        from accord.analysis.embeddings import ENCODER_DIR

        encoder_out = out / "encoder"
        if encoder_out.resolve() != ENCODER_DIR.resolve():
            shutil.copytree(ENCODER_DIR, encoder_out, dirs_exist_ok=True)
        stage2 = train_stage2.train(corpora, out, encoder_out, _sources(root, corpora), _log)
        manifest.setdefault("files", {}).update(
            {f"encoder/{k}": v for k, v in stage2["files"].items()}
        )
    _log(f"done in {time.perf_counter() - started:.0f} s -> {out}")
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m accord.analysis.train", description=__doc__)
    parser.add_argument("--data", type=Path, default=None, help="shared data sets directory")
    parser.add_argument("--out", type=Path, default=MODELS_DIR, help="artefact directory")
    parser.add_argument(
        "--stage",
        choices=("all", "1", "2"),
        default="all",
        help="1: the linear heads; 2: the encoder's heads (over the vocab.txt in --out)",
    )
    args = parser.parse_args(argv)
    try:
        root = ds.data_dir(args.data)
    except ds.DataMissingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    manifest = train(root, args.out, args.stage)
    print(json.dumps({k: v["sha256"] for k, v in manifest["files"].items()}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
