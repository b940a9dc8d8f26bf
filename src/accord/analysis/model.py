"""Shipped linear heads: loading (with hash checks) and batched scoring in plain numpy.

Artefacts live in ``accord/analysis/models/``: ``vocab.txt`` (one feature per line),
``heads.npz`` (``idf``; ``W`` int8 [features x outputs] with a float32 ``scale`` per output
column, so the weights cost one byte each; ``b``; loaded with ``allow_pickle=False``),
``heads.json`` (which output columns belong to which head) and ``manifest.json`` (sha256 of
each file and the command that rebuilt them). Nothing is pickled and
nothing is downloaded: a hash mismatch is an error, not a warning.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from accord.analysis.features import Vectorizer

MODELS_DIR = Path(__file__).parent / "models"
ARTEFACTS = ("vocab.txt", "heads.npz", "heads.json")
FloatArray = npt.NDArray[np.float32]


class ModelError(RuntimeError):
    """The shipped artefacts are missing or do not match their manifest."""


@dataclass(frozen=True, slots=True)
class Head:
    name: str
    kind: str  # "multiclass" (softmax) or "multilabel" (independent sigmoids)
    labels: tuple[str, ...]
    start: int
    end: int
    thresholds: tuple[float, ...] = ()


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_arrays(path: Path, names: Sequence[str]) -> dict[str, FloatArray]:
    """The named arrays of an ``.npz`` as float32 (``allow_pickle=False``), and ``W``
    dequantised: its int8 weights times the float32 ``scale`` of their column."""
    with np.load(path, allow_pickle=False) as npz:
        arrays = {name: npz[name].astype(np.float32) for name in names}
        arrays["W"] = npz["W"].astype(np.float32) * npz["scale"].astype(np.float32)
    return arrays


def read_heads(path: Path) -> dict[str, Head]:
    """Which output columns belong to which head, from a ``heads.json``-style file."""
    spec = json.loads(path.read_text(encoding="utf-8"))
    return {
        h["name"]: Head(
            h["name"],
            h["kind"],
            tuple(h["labels"]),
            h["start"],
            h["end"],
            tuple(h.get("thresholds", ())),
        )
        for h in spec["heads"]
    }


def verify(directory: Path) -> dict[str, Any]:
    """Check every artefact against ``manifest.json``; return the manifest."""
    manifest_path = directory / "manifest.json"
    if not manifest_path.is_file():
        raise ModelError(f"no manifest.json in {directory}: run python -m accord.analysis.train")
    manifest: dict[str, Any] = json.loads(manifest_path.read_text(encoding="utf-8"))
    for name in ARTEFACTS:
        path = directory / name
        if not path.is_file():
            raise ModelError(f"missing model artefact {path}")
        expected = manifest.get("files", {}).get(name, {}).get("sha256")
        if sha256_file(path) != expected:
            raise ModelError(f"{path} does not match its sha256 in manifest.json")
    return manifest


class LinearHeads:
    """All heads share one tf-idf vocabulary, so a message is vectorised once."""

    def __init__(
        self,
        vectorizer: Vectorizer,
        weights: FloatArray,
        bias: FloatArray,
        heads: dict[str, Head],
        manifest: dict[str, Any],
    ) -> None:
        self.vectorizer = vectorizer
        self.weights = weights
        self.bias = bias
        self.heads = heads
        self.manifest = manifest

    @classmethod
    def load(cls, directory: Path = MODELS_DIR) -> LinearHeads:
        manifest = verify(directory)
        words = (directory / "vocab.txt").read_text(encoding="utf-8").split("\n")
        arrays = read_arrays(directory / "heads.npz", ("idf", "b"))
        idf, weights, bias = arrays["idf"], arrays["W"], arrays["b"]
        heads = read_heads(directory / "heads.json")
        if len(words) != weights.shape[0] or len(idf) != len(words):
            raise ModelError("vocab.txt and heads.npz disagree on the number of features")
        vocab = {w: i for i, w in enumerate(words)}
        return cls(Vectorizer(vocab, idf), weights, bias, heads, manifest)

    def logits(self, texts: Sequence[str]) -> FloatArray:
        """Sparse tf-idf rows times the dense weight matrix, done as a segmented sum."""
        idx, val, indptr = self.vectorizer.rows(texts)
        out = np.tile(self.bias, (len(texts), 1))
        if len(idx):
            contrib = self.weights[idx] * val[:, None]
            starts = indptr[:-1]
            nonempty = indptr[1:] > starts
            sums = np.add.reduceat(contrib, starts[nonempty], axis=0)
            out[nonempty] += sums
        return out

    def predict(self, texts: Sequence[str]) -> dict[str, FloatArray]:
        """Probabilities per head: rows are texts, columns the head's labels."""
        return self.activate(self.logits(texts))

    def activate(self, z: FloatArray) -> dict[str, FloatArray]:
        """Logits to probabilities per head (softmax for multiclass, sigmoids for multilabel)."""
        result: dict[str, FloatArray] = {}
        for head in self.heads.values():
            part = z[:, head.start : head.end]
            if head.kind == "multiclass":
                e = np.exp(part - part.max(axis=1, keepdims=True))
                result[head.name] = (e / e.sum(axis=1, keepdims=True)).astype(np.float32)
            else:
                sigmoid = 1.0 / (1.0 + np.exp(-np.clip(part, -30.0, 30.0)))
                result[head.name] = sigmoid.astype(np.float32)
        return result
