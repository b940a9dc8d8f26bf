"""The sentence encoder: deterministic, meaningful, robust to odd input, and hash-checked."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from accord.analysis import embeddings
from accord.analysis.embeddings import Encoder, EncoderError


@pytest.fixture(scope="module")
def encoder() -> Encoder:
    return embeddings.get_encoder()


def test_an_embedding_is_deterministic_and_unit_norm(encoder: Encoder) -> None:
    text = "My order never arrived and nobody answers my emails."
    first = encoder.encode([text])
    again = encoder.encode([text, "something else entirely", text])
    assert first.shape == (1, embeddings.DIM)
    assert first.dtype == np.float32
    np.testing.assert_allclose(first[0], again[0], atol=1e-6)
    np.testing.assert_allclose(again[0], again[2], atol=1e-6)
    assert abs(float(np.linalg.norm(first[0])) - 1.0) < 1e-4


def test_paraphrases_are_closer_than_unrelated_sentences() -> None:
    near = embeddings.similarity("I want my money back", "please refund me")
    far = embeddings.similarity("I want my money back", "the weather is nice")
    assert near > far + 0.3, (near, far)
    assert embeddings.similarity("same words", "same words") == pytest.approx(1.0, abs=1e-5)


def test_the_output_keeps_the_input_order_after_length_sorting(encoder: Encoder) -> None:
    texts = ["a much longer sentence about a parcel that was lost in transit", "hi", "refund"]
    together = encoder.encode(texts, sub_batch=2)
    alone = np.vstack([encoder.encode([t]) for t in texts])
    np.testing.assert_allclose(together, alone, atol=2e-3)  # int8 kernels vary a little by width


@pytest.mark.parametrize(
    "text",
    ["", "   ", "😡😡😡", "🙂", "x" * 1_000_000, "a\x00b\x07c\x1b[31m\u200b\ufeff", None],
    ids=["empty", "blank", "emoji", "one-emoji", "one-megabyte", "control", "none"],
)
def test_odd_input_never_errors(encoder: Encoder, text: str | None) -> None:
    vector = encoder.encode([text])
    assert vector.shape == (1, embeddings.DIM)
    assert np.isfinite(vector).all()


def test_an_empty_batch_is_an_empty_matrix(encoder: Encoder) -> None:
    assert encoder.encode([]).shape == (0, embeddings.DIM)


def test_the_process_wide_encoder_is_loaded_once() -> None:
    assert embeddings.get_encoder() is embeddings.get_encoder()


def test_a_tampered_model_file_is_refused(tmp_path: Path) -> None:
    copy = tmp_path / "model.onnx"
    shutil.copyfile(embeddings.default_model_path(), copy)
    data = bytearray(copy.read_bytes())
    data[len(data) // 2] ^= 0x01
    copy.write_bytes(bytes(data))
    with pytest.raises(EncoderError, match="sha256"):
        Encoder.load(model_path=copy)


def test_a_tampered_tokenizer_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "encoder"
    shutil.copytree(embeddings.ENCODER_DIR, folder)
    tokenizer = folder / "tokenizer.json"
    tokenizer.write_text(tokenizer.read_text(encoding="utf-8") + " ", encoding="utf-8")
    with pytest.raises(EncoderError, match="sha256"):
        Encoder.load(directory=folder)


def test_a_missing_model_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(EncoderError, match="not found"):
        Encoder.load(model_path=tmp_path / "absent.onnx")
