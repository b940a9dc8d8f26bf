"""A quick regression check of the evaluation recipe on small stratified samples.

`accord eval` takes minutes; this runs the same cross-validation (features -> tf-idf -> LR, refit
inside each fold) on a fixed sample of three tasks with one fixed configuration, in seconds.
Floors sit about 0.05 under the figures measured when they were set (noted beside each), so a
broken feature, vectoriser or label reader fails here long before anyone runs the full eval.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from accord.analysis import datasets as ds
from accord.analysis import evaluate, learn

pytest.importorskip("sklearn", reason="the evaluation needs scikit-learn (accord[dev])")


@pytest.fixture(scope="module")
def root() -> Path:
    try:
        return ds.data_dir()
    except ds.DataMissingError as exc:
        pytest.skip(f"shared data sets not present: {exc}")


def _sample(d: ds.Labelled, n: int) -> tuple[list[str], list[int]]:
    from sklearn.model_selection import train_test_split

    keep, _ = train_test_split(
        np.arange(len(d.labels)), train_size=n, stratify=d.labels, random_state=0
    )
    rows = sorted(int(i) for i in keep)
    return [d.texts[i] for i in rows], [d.labels[i] for i in rows]


CASES: list[tuple[str, Callable[[Path], ds.Labelled], int, str, float]] = [
    # task, reader, sample size, metric, floor (measured: complaint 0.793 macro-F1,
    # politeness 0.827 accuracy, abuse 0.685 macro-F1 on these samples)
    ("complaint", ds.complaints, 1000, "macro_f1", 0.74),
    ("politeness_wiki", ds.politeness_wiki, 1000, "accuracy", 0.77),
    ("abuse_davidson", ds.davidson, 1500, "macro_f1", 0.63),
]

IDS = [case[0] for case in CASES]


@pytest.mark.parametrize(
    ("task", "reader", "n", "metric", "floor"), CASES, ids=[c[0] for c in CASES]
)
def test_recipe_keeps_its_level_on_a_sample(
    root: Path,
    task: str,
    reader: Callable[[Path], ds.Labelled],
    n: int,
    metric: str,
    floor: float,
) -> None:
    assert evaluate.TASKS[task][0] == metric
    texts, labels = _sample(reader(root), n)
    score = evaluate._macro_f1 if metric == "macro_f1" else evaluate._accuracy
    # One configuration fixed in advance keeps this fast; the full eval selects per fold.
    search = learn.Search((learn.C_FIXED,), (True,))
    mean, sd = evaluate.cross_validate(texts, labels, 3, score, search)
    assert mean >= floor, f"{task}: {mean:.3f} ± {sd:.3f} fell below {floor}"


def test_the_cascade_recipe_on_a_sample(root: Path, tmp_path: Path) -> None:
    """Both stages and the cascade curve, refit per fold, on 600 complaint tweets (3 folds)."""
    from accord.analysis.embed_cache import cached
    from accord.analysis.evaluate_stage2 import BANDS, cascade_cv

    texts, labels = _sample(ds.complaints(root), 600)
    emb = cached(texts, "quick", cache_dir=tmp_path, quiet=True)
    assert cached(texts, "quick", cache_dir=tmp_path, quiet=True).tobytes() == emb.tobytes()
    search = learn.Search((learn.C_FIXED,), (True,))
    out = cascade_cv(texts, labels, emb, 3, evaluate._macro_f1, search)
    first, second = out["first_stage"]["value"], out["second_stage"]["value"]
    assert [row["route_when"] for row in out["cascade"]][-1] == "0.0 <= p <= 1.0"
    assert len(out["cascade"]) == len(BANDS)
    assert out["cascade"][-1]["routed"] == 1.0
    assert out["cascade"][-1]["value"] == pytest.approx(second)
    # Measured when set: first stage 0.765, second 0.823 on this sample.
    assert first >= 0.71 and second >= 0.77, out
    assert second > first, out
