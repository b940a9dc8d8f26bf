"""The cause head: checked at load, and asked only for a complaint no cue explains."""

from __future__ import annotations

import csv
import shutil
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from accord.analysis.cause_head import CAUSES, CauseHead, CauseHeadError, EncoderCause
from accord.analysis.model import MODELS_DIR
from accord.analysis.text import prepare
from accord.analysis.train_cause import LABELS_FILE


def test_the_shipped_head_loads_and_names_a_cause_from_meaning() -> None:
    head = CauseHead.load()
    assert head.labels == CAUSES and head.weights.shape == (384, 3)
    fallback = EncoderCause(head)
    said = {
        "communication": "Nobody has replied to my four emails and the phone line rings out.",
        "human factors": "The staff at your store were so rude and unhelpful today",
        "product-service": "The screen went black after two days and it will not turn on.",
    }
    for cause, text in said.items():
        assert fallback(prepare(text), "product-service") == cause, text


def test_a_tampered_head_is_refused(tmp_path: Path) -> None:
    for name in ("cause_head.npz", "cause_head.json"):
        shutil.copy(MODELS_DIR / name, tmp_path / name)
    data = bytearray((tmp_path / "cause_head.npz").read_bytes())
    data[-20] ^= 0xFF
    (tmp_path / "cause_head.npz").write_bytes(bytes(data))
    with pytest.raises(CauseHeadError, match="sha256"):
        CauseHead.load(tmp_path)


def test_probabilities_are_distributions() -> None:
    head = CauseHead.load()
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(5, 384)).astype(np.float32)
    probs = head.probabilities(vectors)
    assert probs.shape == (5, 3) and np.allclose(probs.sum(axis=1), 1.0)


def test_the_labels_are_two_passes_adjudicated_and_split_in_halves() -> None:
    with LABELS_FILE.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    allowed = {*CAUSES, "unknown"}
    assert len(rows) == len({r["id"] for r in rows}) >= 1000
    assert all({r["label_a"], r["label_b"], r["label"]} <= allowed for r in rows)
    # Where the passes agree the label is theirs; otherwise it is one of the two or unknown.
    assert all(r["label"] == r["label_a"] for r in rows if r["label_a"] == r["label_b"])
    halves = Counter(r["half"] for r in rows)
    assert set(halves) == {"tuning", "held-out"} and min(halves.values()) > 500


def test_the_cue_rules_ask_the_head_only_when_no_cue_fires() -> None:
    from accord.analysis.cause import cause

    fallback = EncoderCause(CauseHead.load())
    no_cue = prepare("Four emails and not one of them answered. The phone just rings out.")
    guessed, evidence = cause(no_cue, "product-service", True, fallback=fallback)
    assert guessed == "communication" and evidence == ()
    calm = prepare("What time do you open on Sunday?")
    assert cause(calm, "product-service", False, fallback=fallback)[0] == "unknown"
