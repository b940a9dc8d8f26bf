"""Training the second-stage heads (called by ``python -m accord.analysis.train``).

Same shippable sets and the same hyperparameter rules as the first stage (train.py): the Ekman
head takes C and per-label thresholds from GoEmotions' dev split, complaint and severity take C
and class weighting from inner folds of X-CI (``learn.SEARCH``), sentiment and topic use
``learn.C_FIXED``. Inputs are the shipped first-stage tf-idf rows (the runtime vectoriser over
the just-written vocab.txt) beside the standardised embeddings (:func:`stage2.dense_block`);
the standardisation is folded into the weights. Embeddings come from the on-disk cache.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from accord.analysis import embeddings, learn
from accord.analysis.artefacts import quantise, save_npz
from accord.analysis.embed_cache import cached
from accord.analysis.model import LinearHeads, sha256_file
from accord.analysis.stage2 import STAGE2_FILES, dense_block, fold_standardiser, standardiser
from accord.analysis.topics_map import HEAD_TOPICS
from accord.analysis.types import EKMAN_LABELS

if TYPE_CHECKING:
    from accord.analysis.train import Corpora

Head = dict[str, Any]
Log = Callable[[str], None]


class Inputs:
    """Second-stage matrices of the training sets: shipped tf-idf rows + embedding columns."""

    def __init__(self, first: LinearHeads, cache_dir: Path | None) -> None:
        self.first = first
        self.cache_dir = cache_dir
        self._vectors: dict[str, np.ndarray[Any, Any]] = {}

    def embed(self, texts: Sequence[str], name: str) -> np.ndarray[Any, Any]:
        vectors = cached(texts, name, self.cache_dir)
        self._vectors.update(zip(texts, vectors, strict=True))
        return vectors

    def lookup(self, texts: Sequence[str]) -> np.ndarray[Any, Any]:
        """Vectors of texts that were embedded as part of a larger set (the topic mix)."""
        return np.stack([self._vectors[t] for t in texts])

    def sparse(self, texts: Sequence[str]) -> Any:
        from scipy.sparse import csr_matrix

        idx, val, indptr = self.first.vectorizer.rows(texts)
        shape = (len(texts), self.first.weights.shape[0])
        return csr_matrix((val, idx, indptr), shape=shape)

    def matrix(self, texts: Sequence[str], vectors: Any, stats: tuple[Any, Any]) -> Any:
        from scipy.sparse import csr_matrix, hstack

        dense = csr_matrix(dense_block(vectors, *stats))
        return hstack([self.sparse(texts), dense]).tocsr()


def _split(head: Head, stats: tuple[Any, Any], n_sparse: int) -> Head:
    """Cut W into the tf-idf rows and the embedding rows, folding the standardiser into b."""
    w = np.asarray(head["W"], np.float64)
    wd, b = fold_standardiser(w[n_sparse:], np.asarray(head["b"], np.float64), *stats)
    return {**head, "W": w[:n_sparse], "Wd": wd, "b": b}


def _multiclass(x: Any, y: Sequence[int], search: learn.Search | None, log: Log) -> Head:
    from sklearn.metrics import f1_score

    ya = np.asarray(y, np.int64)
    configs = search.configs() if search else [(learn.C_FIXED, True)]
    head: Head = {}
    if len(configs) > 1:
        folds = learn.inner_folds(ya)

        def score(c: float, balanced: bool) -> float:
            fits = [(b, learn.logreg(c, balanced).fit(x[a], ya[a])) for a, b in folds]
            scores = [f1_score(ya[b], m.predict(x[b]), average="macro") for b, m in fits]
            return float(np.mean(scores))

        configs = [learn.select(score, configs)]
        head["inner_macro_f1"] = round(score(*configs[0]), 4)
    c, balanced = configs[0]
    log(f"  stage 2: C={c} balanced={balanced} {head}")
    w, b = learn.multiclass_weights(learn.logreg(c, balanced).fit(x, ya))
    return {**head, "W": w, "b": b, "C": c, "balanced": balanced}


def fit_heads(c: Corpora, inputs: Inputs, log: Log) -> list[Head]:
    from accord.analysis.train import _sentiment_labels

    n_sparse = inputs.first.weights.shape[0]
    heads: list[Head] = []
    log("stage 2: ekman (GoEmotions ekman train, tuned on dev)")
    tr, dev = (
        inputs.embed(c.ek_train.texts, "goemotions_train"),
        inputs.embed(c.ek_dev.texts, "goemotions_dev"),
    )
    stats = standardiser(tr)
    fit = learn.fit_multilabel_tuned(
        inputs.matrix(c.ek_train.texts, tr, stats),
        learn.multilabel_matrix(c.ek_train.labels, 7),
        inputs.matrix(c.ek_dev.texts, dev, stats),
        learn.multilabel_matrix(c.ek_dev.labels, 7),
    )
    log(f"  stage 2: C={fit['C']}: dev macro-F1 {fit['dev_macro_f1']:.4f}")
    ek = {"name": "ekman", "kind": "multilabel", "labels": EKMAN_LABELS, "W": fit["W"]}
    ek |= {"b": fit["b"], "C": fit["C"], "dev_macro_f1": round(fit["dev_macro_f1"], 4)}
    ek["thresholds"] = [round(float(t), 4) for t in fit["thresholds"]]
    heads.append(_split(ek, stats, n_sparse))
    xci = inputs.embed(c.xci.texts, "xci")
    specs: list[tuple[str, tuple[str, ...], list[str], list[int], Any, learn.Search | None]] = [
        ("complaint", ("no", "yes"), c.xci.texts, [int(v > 0) for v in c.xci.labels], xci,
         learn.SEARCH["complaint"]),
        ("severity", ("0", "1", "2", "3", "4"), c.xci.texts, c.xci.labels, xci,
         learn.SEARCH["severity"]),
        ("sentiment", ("negative", "neutral", "positive"), [*c.go_train.texts, *c.xci_sent.texts],
         [*_sentiment_labels(c.go_train.labels, c.go_names), *c.xci_sent.labels], None, None),
        ("topic", HEAD_TOPICS, *c.topic_data(), None, None),
    ]  # fmt: skip
    inputs.embed(c.bitext[0], "bitext")
    inputs.embed(c.bank[0], "banking77_train")
    for name, labels, texts, y, vectors, search in specs:
        log(f"stage 2: {name}")
        vectors = inputs.lookup(texts) if vectors is None else vectors
        stats = standardiser(vectors)
        head = _multiclass(inputs.matrix(texts, vectors, stats), y, search, log)
        head |= {"name": name, "kind": "multiclass", "labels": labels}
        heads.append(_split(head, stats, n_sparse))
    return heads


_RECORDED = ("thresholds", "C", "balanced", "dev_macro_f1", "inner_macro_f1")


def write(
    out: Path, heads: list[Head], vocab_sha256: str, sources: Mapping[str, Path]
) -> dict[str, Any]:
    """Write stage2.npz and stage2.json and record their hashes in the encoder manifest."""
    q, scale = quantise(np.concatenate([h["W"] for h in heads], axis=1))
    arrays: dict[str, np.ndarray[Any, Any]] = {
        "W": q,
        "scale": scale,
        "Wd": np.concatenate([h["Wd"] for h in heads], axis=1).astype(np.float32),
        "b": np.concatenate([h["b"] for h in heads]).astype(np.float32),
    }
    save_npz(out / "stage2.npz", arrays)
    spec, start = [], 0
    for h in heads:
        end = start + h["W"].shape[1]
        entry = {"name": h["name"], "kind": h["kind"], "labels": list(h["labels"])}
        entry |= {"start": start, "end": end} | {k: h[k] for k in _RECORDED if k in h}
        spec.append(entry)
        start = end
    (out / "stage2.json").write_text(json.dumps({"heads": spec}, indent=1), encoding="utf-8")
    manifest = embeddings.manifest(out)
    manifest["files"] = {
        name: {"sha256": sha256_file(out / name), "bytes": (out / name).stat().st_size}
        for name in STAGE2_FILES
    }
    manifest["first_stage_vocab_sha256"] = vocab_sha256
    manifest["training_data"] = {
        rel: hashlib.sha256(p.read_bytes()).hexdigest() for rel, p in sorted(sources.items())
    }
    manifest["command"] = "python -m accord.analysis.train"
    path = out / "manifest.json"
    path.write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return manifest


def train(
    corpora: Corpora,
    first_dir: Path,
    out: Path,
    sources: Mapping[str, Path],
    log: Log,
    cache_dir: Path | None = None,
) -> dict[str, Any]:
    first = LinearHeads.load(first_dir)
    heads = fit_heads(corpora, Inputs(first, cache_dir), log)
    out.mkdir(parents=True, exist_ok=True)
    vocab_sha = first.manifest["files"]["vocab.txt"]["sha256"]
    return write(out, heads, vocab_sha, sources)
