"""The cascade: unsure messages go to the encoder's heads; sure ones keep the fast answer."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from accord.analysis import Analyzer, load_analyzer
from accord.analysis.cascade import Bands, Cascade, Counts
from accord.analysis.embeddings import ENCODER_DIR
from accord.analysis.model import ModelError
from accord.analysis.stage2 import SecondStage

UNSURE = "the package came today, box was a bit damaged"
TEXTS = [
    "Thank you so much, you have been wonderful!",
    "This is the third time my order is late. Unacceptable, I want a refund now.",
    UNSURE,
    "Can I change the delivery address of my order?",
]


@pytest.fixture(scope="module")
def cascading() -> Analyzer:
    return Analyzer.load(encoder=True)


def test_second_stage_heads_match_the_first_stage_labels(cascading: Analyzer) -> None:
    assert cascading.encoder is not None
    second = cascading.encoder.second.heads
    for name in ("complaint", "severity", "ekman", "sentiment", "topic"):
        assert second[name].labels == cascading.heads.heads[name].labels


def test_second_stage_probabilities_are_distributions(cascading: Analyzer) -> None:
    assert cascading.encoder is not None
    p = cascading.encoder.second.predict(TEXTS)
    for name in ("complaint", "severity", "sentiment", "topic"):
        np.testing.assert_allclose(p[name].sum(axis=1), 1.0, atol=1e-4)
    assert p["complaint"][1, 1] > 0.5 > p["complaint"][0, 1]


def test_only_unsure_messages_are_routed(cascading: Analyzer) -> None:
    cascade = cascading.encoder
    assert isinstance(cascade, Cascade)
    p = cascading.heads.predict(TEXTS)
    routed = cascade.route(p)
    complaint = p["complaint"][:, 1]
    band = cascade.bands.complaint
    inside = (complaint >= band[0]) & (complaint <= band[1])
    assert (routed | ~inside).all()  # everything inside the band is routed
    refined = cascade.refine(TEXTS, p)
    for i in np.flatnonzero(~routed):
        assert refined["complaint"][i, 1] == p["complaint"][i, 1]


def test_routing_everything_uses_the_second_stage(cascading: Analyzer) -> None:
    cascade = cascading.encoder
    assert isinstance(cascade, Cascade)
    everything = Cascade(cascade.first, cascade.second, Bands((0.0, 1.0)), Counts())
    p = cascading.heads.predict(TEXTS)
    refined = everything.refine(TEXTS, p)
    q = cascade.second.predict(TEXTS)
    np.testing.assert_allclose(refined["complaint"], q["complaint"], atol=1e-6)
    assert everything.counts.routed == everything.counts.seen == len(TEXTS)


def test_the_cascade_gives_a_full_analysis(cascading: Analyzer) -> None:
    fast = load_analyzer().analyze_batch(TEXTS)
    slow = cascading.analyze_batch([*TEXTS, "", "😡😡", "x" * 1_000_000])
    assert [r.signal_names for r in slow[: len(TEXTS)]] == [r.signal_names for r in fast]
    assert slow[1].complaint_prob > 0.5 and slow[1].heat > slow[0].heat
    assert all(0.0 <= r.heat <= 100.0 for r in slow)


def test_the_setting_turns_the_encoder_on() -> None:
    from accord.settings import Settings, analyzer_for

    assert analyzer_for(Settings(analysis_encoder="on")).encoder is not None
    assert analyzer_for(Settings(analysis_encoder="off")).encoder is None
    assert load_analyzer().encoder is None


def test_tampered_second_stage_weights_are_refused(tmp_path: Path, cascading: Analyzer) -> None:
    folder = tmp_path / "encoder"
    shutil.copytree(ENCODER_DIR, folder)
    data = bytearray((folder / "stage2.npz").read_bytes())
    data[len(data) // 2] ^= 0x01
    (folder / "stage2.npz").write_bytes(bytes(data))
    with pytest.raises(ModelError, match="sha256"):
        SecondStage.load(cascading.heads, folder)
