"""The cause of a complaint from its meaning, where no cue in the sentence names it.

A linear head over the sentence encoder's embeddings (accord.analysis.embeddings), trained by
``python -m accord.analysis.train_cause`` on the project's own cause labels of X-CI complaints
(``analysis/eval/xci_cause_labels.csv``: two independent annotation passes, adjudicated; see
docs/analysis.md). It answers only for a complaint in which no cue fired (cause.py asks it
through the ``fallback`` seam), so its cost is one sentence embedding for those messages, and
only when the encoder is switched on (ACCORD_ANALYSIS_ENCODER).

The file ``models/cause_head.npz`` (W [384, 3], b [3], labels) is checked against the sha256
in ``models/cause_head.json`` when loaded: a mismatch is an error, never a warning.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from accord.analysis.embeddings import sha256_file
from accord.analysis.model import MODELS_DIR
from accord.analysis.text import Prepared

HEAD_FILE = "cause_head.npz"
CARD_FILE = "cause_head.json"
CAUSES = ("communication", "product-service", "human factors")
FloatArray = npt.NDArray[np.float32]


class CauseHeadError(RuntimeError):
    """The cause head's file is missing or does not match its recorded sha256."""


@dataclass(frozen=True)
class CauseHead:
    weights: FloatArray  # [384, n_causes]
    bias: FloatArray  # [n_causes]
    labels: tuple[str, ...]

    @classmethod
    def load(cls, models_dir: Path = MODELS_DIR) -> CauseHead:
        path, card = models_dir / HEAD_FILE, models_dir / CARD_FILE
        if not path.is_file() or not card.is_file():
            raise CauseHeadError(f"{path} missing: python -m accord.analysis.train_cause")
        expected = json.loads(card.read_text(encoding="utf-8"))["sha256"]
        if sha256_file(path) != expected:
            raise CauseHeadError(f"{path} does not match the sha256 in {card.name}")
        with np.load(path, allow_pickle=False) as data:
            labels = tuple(str(v) for v in data["labels"])
            return cls(data["W"].astype(np.float32), data["b"].astype(np.float32), labels)

    def probabilities(self, vectors: FloatArray) -> FloatArray:
        z = vectors @ self.weights + self.bias
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return np.asarray(e / e.sum(axis=1, keepdims=True), np.float32)

    def predict(self, vectors: FloatArray) -> list[str]:
        return [self.labels[int(i)] for i in self.probabilities(vectors).argmax(axis=1)]


class EncoderCause:
    """The fallback cause.py asks for a complaint with no cue: embed, then the head."""

    def __init__(self, head: CauseHead, threads: int = 1) -> None:
        self.head, self.threads = head, threads

    def __call__(self, prep: Prepared, topic_cause: str) -> str | None:
        return self.batch([prep.clean])[0]

    def batch(self, texts: Sequence[str]) -> list[str]:
        from accord.analysis.embeddings import embed

        if not texts:
            return []
        return self.head.predict(embed(list(texts), threads=self.threads))
