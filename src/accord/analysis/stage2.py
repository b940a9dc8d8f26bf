"""The second stage: linear heads over [the shipped tf-idf features | sentence embeddings].

A second-stage head reads the same sparse tf-idf row as the first stage (the shipped vocabulary
and idf) plus the message's all-MiniLM-L6-v2 embedding (:mod:`accord.analysis.embeddings`),
standardised and scaled by ``1/sqrt(384)`` so that the dense block's row norm is about 1, like
the tf-idf row's (neither block drowns the other under one regularisation constant). The
standardisation is folded into the shipped dense weights, so at run time a head is
``tfidf @ W + embedding @ Wd + b`` in numpy.

Artefacts in ``models/encoder/``: ``stage2.npz`` (``W`` int8 [features x outputs] with a
float32 ``scale`` per column, ``Wd`` float32 [384 x outputs], ``b``), ``stage2.json`` (the heads'
columns, labels, thresholds) and their sha256 in ``manifest.json`` together with the sha256 of
the first stage's ``vocab.txt`` they index. Built by ``python -m accord.analysis.train``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from accord.analysis import embeddings
from accord.analysis.model import (
    FloatArray,
    Head,
    LinearHeads,
    ModelError,
    read_arrays,
    read_heads,
    sha256_file,
)

STAGE2_FILES = ("stage2.npz", "stage2.json")
DENSE_WEIGHT = 1.0 / math.sqrt(embeddings.DIM)
Dense = npt.NDArray[np.float64]


def standardiser(vectors: npt.NDArray[Any]) -> tuple[Dense, Dense]:
    """Mean and sd of the training rows' embeddings (the sd floored so no column explodes)."""
    v = np.asarray(vectors, np.float64)
    return v.mean(axis=0), v.std(axis=0) + 1e-6


def dense_block(vectors: npt.NDArray[Any], mean: Dense, sd: Dense) -> Dense:
    """The embedding columns of a second-stage row (training and evaluation use this)."""
    return (np.asarray(vectors, np.float64) - mean) / sd * DENSE_WEIGHT


def fold_standardiser(wd: Dense, b: Dense, mean: Dense, sd: Dense) -> tuple[Dense, Dense]:
    """Weights that take the raw embedding: ``dense_block(e) @ wd + b == e @ wd' + b'``."""
    factor = DENSE_WEIGHT / sd
    return wd * factor[:, None], b - (mean * factor) @ wd


def verify(directory: Path, first: LinearHeads) -> dict[str, Any]:
    manifest = embeddings.manifest(directory)
    files = manifest.get("files", {})
    for name in STAGE2_FILES:
        path = directory / name
        if not path.is_file():
            raise ModelError(f"missing second-stage artefact {path}")
        if sha256_file(path) != files.get(name, {}).get("sha256"):
            raise ModelError(f"{path} does not match its sha256 in {directory}/manifest.json")
    vocab = first.manifest.get("files", {}).get("vocab.txt", {}).get("sha256")
    if manifest.get("first_stage_vocab_sha256") != vocab:
        raise ModelError("the second-stage heads were trained on another first-stage vocabulary")
    return manifest


class SecondStage:
    """Second-stage heads; the encoder is loaded on first use (and shared in the process)."""

    def __init__(self, sparse: LinearHeads, dense: FloatArray, threads: int = 1) -> None:
        self.sparse = sparse
        self.dense = dense
        self.threads = threads

    @property
    def heads(self) -> dict[str, Head]:
        return self.sparse.heads

    @classmethod
    def load(
        cls, first: LinearHeads, directory: Path = embeddings.ENCODER_DIR, threads: int = 1
    ) -> SecondStage:
        manifest = verify(directory, first)
        arrays = read_arrays(directory / "stage2.npz", ("Wd", "b"))
        weights, dense, bias = arrays["W"], arrays["Wd"], arrays["b"]
        heads = read_heads(directory / "stage2.json")
        if weights.shape[0] != first.weights.shape[0] or dense.shape != (
            embeddings.DIM,
            weights.shape[1],
        ):
            raise ModelError("stage2.npz does not fit the first-stage vocabulary or the encoder")
        sparse = LinearHeads(first.vectorizer, weights, bias, heads, manifest)
        embeddings.get_encoder(threads)  # load and hash-check now, not on the first message
        return cls(sparse, dense, threads)

    def embed(self, texts: Sequence[str]) -> FloatArray:
        return embeddings.get_encoder(self.threads).encode(texts)

    def predict(
        self, texts: Sequence[str], vectors: FloatArray | None = None
    ) -> dict[str, FloatArray]:
        """Probabilities per second-stage head (rows are texts), like LinearHeads.predict."""
        if vectors is None:
            vectors = self.embed(texts)
        z = self.sparse.logits(texts) + vectors @ self.dense
        return self.sparse.activate(z.astype(np.float32))
