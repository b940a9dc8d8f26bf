"""On-disk cache of sentence embeddings for training and evaluation (never shipped or committed).

Encoding the evaluation sets takes minutes on two cores; the cache makes every later ``accord
eval`` or training run read them back in a second. A cache file is keyed by the sha256 of the
texts as read from the data file (a changed file is a new key) and of the model file, the
tokenizer and the truncation length (a changed encoder is a new key), so a stale file is never
read. Default folder: the per-user cache directory (``~/.cache/accord/embeddings`` on Linux).
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import platformdirs

from accord.analysis import embeddings

CHUNK = 2_048  # texts encoded between progress lines


def default_dir() -> Path:
    return Path(platformdirs.user_cache_dir("accord", appauthor=False)) / "embeddings"


def key(texts: Sequence[str]) -> str:
    digest = hashlib.sha256()
    for part in (
        embeddings.MODEL_SHA256,
        embeddings.TOKENIZER_SHA256,
        str(embeddings.MAX_TOKENS),
        str(len(texts)),
    ):
        digest.update(part.encode())
    for text in texts:
        digest.update(b"\x00")
        digest.update(text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def cached(
    texts: Sequence[str],
    name: str = "texts",
    cache_dir: Path | None = None,
    threads: int = 2,
    quiet: bool = False,
) -> embeddings.Vectors:
    """Embeddings of ``texts`` (float32 [n, 384]) from the cache, computing what is missing."""
    folder = cache_dir or default_dir()
    path = folder / f"{name}-{key(texts)[:24]}.npy"
    if path.is_file():
        vectors = np.load(path, allow_pickle=False)
        if vectors.shape == (len(texts), embeddings.DIM):
            return np.asarray(vectors, np.float32)
    encoder = embeddings.get_encoder(threads)
    parts, started = [], time.perf_counter()
    for start in range(0, len(texts), CHUNK):
        parts.append(encoder.encode(texts[start : start + CHUNK]))
        if not quiet:
            done = min(start + CHUNK, len(texts))
            rate = done / max(time.perf_counter() - started, 1e-9)
            print(f"[embed {name}] {done}/{len(texts)} ({rate:.0f}/s)", file=sys.stderr, flush=True)
    vectors = (np.vstack(parts) if parts else np.zeros((0, embeddings.DIM), np.float32)).astype(
        np.float32
    )
    folder.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    with tmp.open("wb") as fh:
        np.save(fh, vectors, allow_pickle=False)
    tmp.replace(path)  # atomic: a reader never sees half a file
    return vectors
