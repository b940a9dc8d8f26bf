"""Writing the shipped artefacts reproducibly (training side only).

``np.savez`` stamps the current time into its zip entries, so the same weights would hash
differently on every run; entries are written here with a fixed timestamp instead. Weights are
quantised to int8 with one float32 scale per output column (1 byte a weight; the round-off is
far below the models' own error).
"""

from __future__ import annotations

import hashlib
import io
import json
import platform
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from accord.analysis.model import ARTEFACTS, sha256_file

COMMAND = "python -m accord.analysis.train"
_EPOCH = (1980, 1, 1, 0, 0, 0)
_RECORDED = ("thresholds", "C", "balanced", "dev_macro_f1", "inner_macro_f1")


def save_npz(path: Path, arrays: Mapping[str, npt.NDArray[Any]]) -> None:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, array in arrays.items():
            buf = io.BytesIO()
            np.lib.format.write_array(buf, np.ascontiguousarray(array), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, buf.getvalue())


def quantise(w: npt.NDArray[np.float64]) -> tuple[npt.NDArray[np.int8], npt.NDArray[np.float32]]:
    scale = np.abs(w).max(axis=0) / 127.0
    scale[scale == 0] = 1.0
    q = np.clip(np.rint(w / scale), -127, 127).astype(np.int8)
    return q, scale.astype(np.float32)


def write_artefacts(
    out: Path, vec: Any, heads: list[dict[str, Any]], sources: Mapping[str, Path]
) -> dict[str, Any]:
    """Write vocab.txt, heads.npz, heads.json and manifest.json; return the manifest."""
    out.mkdir(parents=True, exist_ok=True)
    vocab = vec.get_feature_names_out().tolist()
    if any("\n" in v for v in vocab):
        raise ValueError("a feature contains a newline; vocab.txt is one feature per line")
    (out / "vocab.txt").write_text("\n".join(vocab), encoding="utf-8")
    weights = np.concatenate([h["W"] for h in heads], axis=1)
    q, scale = quantise(weights)
    bias = np.concatenate([np.asarray(h["b"], np.float64) for h in heads]).astype(np.float32)
    save_npz(
        out / "heads.npz", {"idf": vec.idf_.astype(np.float32), "W": q, "scale": scale, "b": bias}
    )
    spec, start = [], 0
    for h in heads:
        end = start + h["W"].shape[1]
        entry = {
            "name": h["name"],
            "kind": h["kind"],
            "labels": list(h["labels"]),
            "start": start,
            "end": end,
        }
        entry.update({k: h[k] for k in _RECORDED if k in h})
        spec.append(entry)
        start = end
    (out / "heads.json").write_text(json.dumps({"heads": spec}, indent=1), encoding="utf-8")
    manifest = {
        "command": COMMAND,
        "python": platform.python_version(),
        "features": len(vocab),
        "files": {
            name: {"sha256": sha256_file(out / name), "bytes": (out / name).stat().st_size}
            for name in ARTEFACTS
        },
        "training_data": {
            rel: hashlib.sha256(p.read_bytes()).hexdigest() for rel, p in sorted(sources.items())
        },
        "evaluation_only_sets_used": [],
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return manifest
