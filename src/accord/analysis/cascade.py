"""The cascade: the first stage answers when it is sure; the rest go to the encoder's heads.

Every message gets the first stage (linear heads over tf-idf, well under a millisecond). A
message it is unsure about (complaint probability inside :attr:`Bands.complaint`; optionally
the severity of a likely complaint with no clear winner, or an Ekman label near its threshold)
is embedded with all-MiniLM-L6-v2 and re-scored by the second-stage heads
(:mod:`accord.analysis.stage2`), whose outputs replace the first stage's for every head they
have. The bands are fixed in advance; ``accord eval --task complaint_cascade`` (and the other
``*_cascade`` tasks) and ``accord bench analysis --encoder`` measure the trade-off they make.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from accord.analysis import embeddings
from accord.analysis.model import FloatArray, LinearHeads
from accord.analysis.stage2 import SecondStage

Mask = npt.NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class Bands:
    """When a message is routed to the second stage (each criterion alone suffices)."""

    # Chosen for speed on unlabelled traffic (the TWCS tweets), not on any test fold: (0.4, 0.6)
    # routes 19 % of them; (0.25, 0.75) with severity_max 0.5 routed 57 %, which the encoder's
    # 100-200 sentences/s on two cores cannot carry at 800 messages/s.
    complaint: tuple[float, float] = (0.4, 0.6)  # P(complaint) inside: unsure
    severity_max: float = 0.0  # a likely complaint whose top severity share is below this (0: off)
    ekman_margin: float = 0.0  # some Ekman label this close to its threshold (0: off)


@dataclass(slots=True)
class Counts:
    """How many messages the cascade saw and how many it routed (for benchmarks and logs)."""

    seen: int = 0
    routed: int = 0

    @property
    def fraction(self) -> float:
        return self.routed / self.seen if self.seen else 0.0


@dataclass(slots=True)
class Cascade:
    first: LinearHeads
    second: SecondStage
    bands: Bands = field(default_factory=Bands)
    counts: Counts = field(default_factory=Counts)

    @classmethod
    def load(
        cls,
        first: LinearHeads,
        threads: int = 1,
        bands: Bands | None = None,
        directory: Path = embeddings.ENCODER_DIR,
    ) -> Cascade:
        return cls(first, SecondStage.load(first, directory, threads), bands or Bands())

    def route(self, p: dict[str, FloatArray]) -> Mask:
        """Rows of the first stage's output that the second stage should answer."""
        b = self.bands
        complaint = p["complaint"][:, 1]
        routed = (complaint >= b.complaint[0]) & (complaint <= b.complaint[1])
        if b.severity_max > 0:
            top = p["severity"][:, 1:].max(axis=1) / np.maximum(
                p["severity"][:, 1:].sum(axis=1), 1e-9
            )
            routed |= (complaint >= 0.5) & (top < b.severity_max)
        if b.ekman_margin > 0:
            thr = np.asarray(self.first.heads["ekman"].thresholds or [0.5] * 7)
            routed |= (np.abs(p["ekman"] - thr) < b.ekman_margin).any(axis=1)
        return np.asarray(routed, np.bool_)

    def refine(self, texts: Sequence[str], p: dict[str, FloatArray]) -> dict[str, FloatArray]:
        """``p`` with the routed rows re-scored by the second stage (same heads, same labels)."""
        routed = self.route(p)
        self.counts.seen += len(texts)
        self.counts.routed += int(routed.sum())
        if not routed.any():
            return p
        rows = np.flatnonzero(routed)
        q = self.second.predict([texts[int(i)] for i in rows])
        out = dict(p)
        for name, values in q.items():
            if name not in out:
                continue
            merged = out[name].copy()
            merged[rows] = self._on_first_scale(name, values)
            out[name] = merged
        return out

    def _on_first_scale(self, name: str, values: FloatArray) -> FloatArray:
        """Multi-label heads are read relative to their thresholds: keep p / threshold equal."""
        thr2 = self.second.heads[name].thresholds
        thr1 = self.first.heads[name].thresholds
        if not thr1 or not thr2:
            return values
        scaled = values / np.asarray(thr2, np.float32) * np.asarray(thr1, np.float32)
        return scaled.astype(np.float32)
