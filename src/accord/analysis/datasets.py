"""Readers for the public data sets in ``../shared/datasets`` (never copied into the project).

Each reader returns plain lists so training and evaluation share one definition of every label.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

ENV_VAR = "ACCORD_DATASETS_DIR"
# The shared data sets sit beside the repository (``<repo>/../shared/datasets``); from a
# checkout that is four levels above this file, from anywhere else relative to the cwd.
_REPO = Path(__file__).resolve().parents[3]
DEFAULT_CANDIDATES = (_REPO.parent / "shared" / "datasets", Path("..") / "shared" / "datasets")


class DataMissingError(FileNotFoundError):
    """A data set the command needs is not where it was looked for."""


@dataclass(frozen=True, slots=True)
class Labelled:
    texts: list[str]
    labels: list[int]
    files: tuple[Path, ...]


@dataclass(frozen=True, slots=True)
class MultiLabelled:
    texts: list[str]
    labels: list[list[int]]


def data_dir(explicit: Path | str | None = None) -> Path:
    """``--data`` wins, then ``$ACCORD_DATASETS_DIR``, then ``../shared/datasets``."""
    if explicit or os.environ.get(ENV_VAR):
        chosen = Path(explicit or os.environ[ENV_VAR])
    else:
        chosen = next((c for c in DEFAULT_CANDIDATES if c.is_dir()), DEFAULT_CANDIDATES[0])
    if not chosen.is_dir():
        raise DataMissingError(
            f"data directory {chosen} not found: pass --data DIR or set {ENV_VAR} "
            "(expected the shared public data sets, e.g. ../shared/datasets)"
        )
    return chosen


def need(path: Path) -> Path:
    if not path.is_file():
        raise DataMissingError(f"data file {path} not found")
    return path


def sha256_prefix(*paths: Path, length: int = 12) -> str:
    digest = hashlib.sha256()
    for p in paths:
        digest.update(p.read_bytes())
    return digest.hexdigest()[:length]


def _open(path: Path) -> IO[str]:
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8", newline="")
    return path.open(encoding="utf-8", newline="")


def read_csv(path: Path) -> Iterator[dict[str, str]]:
    with _open(need(path)) as fh:
        yield from csv.DictReader(fh)


def complaints(root: Path) -> Labelled:
    """Preotiuc-Pietro et al. 2019: evaluation only (no licence stated)."""
    path = root / "complaints_twitter" / "complaints_preotiuc2019.csv"
    rows = list(read_csv(path))
    return Labelled([r["text"] for r in rows], [int(r["complaint"]) for r in rows], (path,))


def xci(root: Path, min_severity: int = 0, label: str = "severity") -> Labelled:
    """X-CI (MIT): severity 0 = not a complaint, 1-4 Jin & Aletras levels; or another column."""
    path = root / "complaints_twitter" / "complaints_xci_severity.csv"
    rows = [r for r in read_csv(path) if int(r["severity"]) >= min_severity]
    if label == "sentiment":
        polarity = {"negative": 0, "neutral": 1, "positive": 2}
        labels = [polarity[r["sentiment"].strip().lower()] for r in rows]
    else:
        labels = [int(r[label]) for r in rows]
    return Labelled([r["text"] for r in rows], labels, (path,))


def goemotions_path(root: Path, split: str, ekman: bool) -> Path:
    base = root / "goemotions" / ("ekman" if ekman else "")
    return need(base / f"{split}.tsv.gz")


def goemotions(root: Path, split: str, ekman: bool) -> MultiLabelled:
    path = goemotions_path(root, split, ekman)
    texts: list[str] = []
    labels: list[list[int]] = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            texts.append(parts[0])
            labels.append([int(x) for x in parts[1].split(",") if x])
    return MultiLabelled(texts, labels)


def goemotions_labels(root: Path, ekman: bool) -> list[str]:
    name = "ekman_labels.txt" if ekman else "emotions.txt"
    return need(root / "goemotions" / name).read_text(encoding="utf-8").split()


def davidson(root: Path) -> Labelled:
    path = root / "hate_offensive_davidson2017" / "labeled_data.csv.gz"
    rows = list(read_csv(path))
    return Labelled([r["tweet"] for r in rows], [int(r["class"]) for r in rows], (path,))


def banking77_path(root: Path, split: str) -> Path:
    return need(root / "banking77" / f"{split}.csv")


def banking77(root: Path, split: str) -> tuple[list[str], list[str]]:
    rows = list(read_csv(banking77_path(root, split)))
    return [r["text"] for r in rows], [r["category"] for r in rows]


def politeness_wiki(root: Path) -> Labelled:
    """Top quartile (1, polite) vs bottom quartile (0) of the normalised score."""
    path = root / "politeness_stanford" / "wikipedia_requests.csv"
    rows = list(read_csv(path))
    scores = sorted(float(r["Normalized Score"]) for r in rows)
    q1, q3 = scores[len(scores) // 4], scores[(3 * len(scores)) // 4]
    texts: list[str] = []
    labels: list[int] = []
    for r in rows:
        s = float(r["Normalized Score"])
        if s >= q3 or s <= q1:
            texts.append(r["Request"])
            labels.append(int(s >= q3))
    return Labelled(texts, labels, (path,))


def cga_cmv(root: Path) -> Labelled:
    path = need(root / "conversations_gone_awry" / "cga_cmv_valid.jsonl.gz")
    texts: list[str] = []
    labels: list[int] = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            texts.append(row["context"])
            labels.append(int(bool(row["derails"])))
    return Labelled(texts, labels, (path,))


def bitext(root: Path) -> tuple[list[str], list[str]]:
    """(customer utterance, intent) pairs; synthetic, used for topic coverage only."""
    rows = read_csv(root / "bitext_customer_support" / "bitext_customer_support_4514.csv.gz")
    pairs = [(r["instruction"], r["intent"]) for r in rows]
    return [p[0] for p in pairs], [p[1] for p in pairs]
