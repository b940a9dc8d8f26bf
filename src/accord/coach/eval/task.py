"""``accord eval --task coach``: the coach's detectors against the hand labels, and its tone
score against the Stanford politeness scores.

Per criterion: precision, recall and F1 of "the coach sees the move (or the violation)" on the
**held-out half** of the labelled replies (GUIDE.md; the tuning half is reported beside it for
comparison, never instead of it). The labelled replies are a census of the TWCS sample's brand
replies (the four random draws, both keyword-targeted samples and the remainder: every one of
them) and the 200 Bitext responses of the random draws. The headline value is the macro-F1 over
the criteria that have at least one positive label in the held-out half; criteria without one
are listed with their false-positive count. The random draws alone are scored too, as they were
reported before the census. The tone score is fixed, never fitted; its Spearman correlation with
the annotators' normalised politeness (Wikipedia and Stack Exchange requests) is reported as is.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from accord.analysis.datasets import need, read_csv
from accord.coach.context import build_context
from accord.coach.eval import replies
from accord.coach.review import assess
from accord.coach.tone import tone_score

__all__ = [
    "AGREEMENT",
    "LABELS",
    "LISTENING",
    "REMAINDER",
    "TARGETED",
    "Score",
    "agreement",
    "evaluate",
    "register",
    "task_coach",
]

LABELS = Path(__file__).with_name("labels.csv")
# Listening needs the customer's message: labelled on the held-out half of the first draw and on
# both halves of the second (GUIDE.md).
LISTENING = Path(__file__).with_name("listening.csv")
# The keyword-prefiltered samples for the rare criteria, and every other brand reply of the
# TWCS sample: with the random draws, a census of it (GUIDE.md).
TARGETED = Path(__file__).with_name("targeted.csv")
REMAINDER = Path(__file__).with_name("remainder.csv")
# A second annotator's labels of 120 replies of the third and fourth draws (GUIDE.md): how far
# two careful readers agree is the ceiling any detector's F1 can be judged against.
AGREEMENT = Path(__file__).with_name("agreement.csv")
POSITIVE = frozenset({"met", "violated"})
POLITENESS = (
    Path("politeness_stanford") / "wikipedia_requests.csv",
    Path("politeness_stanford") / "stackexchange_requests.csv",
)
GOAL_F1 = 0.85


@dataclass(frozen=True, slots=True)
class Score:
    tp: int
    fp: int
    fn: int

    @property
    def support(self) -> int:
        return self.tp + self.fn

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / self.support if self.support else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if not self.support:
            return None
        return 2 * p * r / (p + r) if p and r else 0.0

    def to_dict(self) -> dict[str, Any]:
        rounded = {k: getattr(self, k) for k in ("precision", "recall", "f1")}
        out: dict[str, Any] = {k: None if v is None else round(v, 3) for k, v in rounded.items()}
        return {**out, "support": self.support, "false_positives": self.fp}


def read_labels(path: Path = LABELS) -> dict[str, dict[str, bool]]:
    """id -> criterion -> positive (met / violated)."""
    out: dict[str, dict[str, bool]] = defaultdict(dict)
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            out[row["id"]][row["criterion"]] = row["label"] in POSITIVE
    return dict(out)


def _scores(
    labels: dict[str, dict[str, bool]], predicted: dict[str, dict[str, bool]], ids: Iterable[str]
) -> dict[str, Score]:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for rid in ids:
        for criterion, truth in labels[rid].items():
            guess = predicted[rid].get(criterion, False)
            c = counts[criterion]
            c[0] += truth and guess
            c[1] += guess and not truth
            c[2] += truth and not guess
    return {k: Score(*v) for k, v in counts.items()}


def politeness_correlation(root: Path) -> dict[str, Any]:
    from scipy.stats import spearmanr

    tones, gold = [], []
    for rel in POLITENESS:
        for row in read_csv(need(root / rel)):
            tones.append(tone_score(row["Request"]))
            gold.append(float(row["Normalized Score"]))
    rho = spearmanr(tones, gold).statistic
    return {"spearman": round(float(rho), 3), "n": len(gold)}


def census_labels() -> dict[str, dict[str, bool]]:
    """Every labelled reply: the random draws, the targeted samples and the remainder."""
    parts = [read_labels(), read_labels(TARGETED), read_labels(REMAINDER)]
    merged = {rid: labels for part in parts for rid, labels in part.items()}
    if len(merged) != sum(len(part) for part in parts):  # a reply in two files counts once
        raise ValueError("a reply is labelled in more than one of the evaluation's label files")
    return merged


def _predict(
    root: Path, labels: dict[str, dict[str, bool]], listening: dict[str, dict[str, bool]]
) -> dict[str, dict[str, bool]]:
    """What the coach sees in each labelled reply; listening judged against the message the
    reply answers, for the replies labelled for it. Once: every subset is scored from this."""
    texts, asked = replies.all_replies(root), replies.customer_texts(root)
    predicted = {rid: {k: v in POSITIVE for k, v in assess(texts[rid]).items()} for rid in labels}
    for rid in listening.keys() & labels.keys():
        ctx = build_context([("customer", asked[rid])])
        predicted[rid]["listening"] = assess(texts[rid], ctx).get("listening") in POSITIVE
    return predicted


def _halves(
    labels: dict[str, dict[str, bool]],
    listening: dict[str, dict[str, bool]],
    predicted: dict[str, dict[str, bool]],
) -> dict[str, Any]:
    """Both halves of ``labels`` scored, listening on the ``listening`` labels of those ids."""
    out: dict[str, Any] = {}
    for name, held in (("held_out", True), ("tuning", False)):
        ids = [rid for rid in labels if replies.held_out(rid) == held]
        scores = _scores(labels, predicted, ids)
        heard = [rid for rid in ids if rid in listening]
        scores["listening"] = _scores(listening, predicted, heard)["listening"]
        out[name] = scores
        out[f"n_{name}"] = len(ids)
    return out


def _macro(scores: dict[str, Score]) -> float:
    f1s = [s.f1 for s in scores.values() if s.f1 is not None]
    return sum(f1s) / len(f1s) if f1s else 0.0


def evaluate(root: Path) -> dict[str, Any]:
    labels, listening = census_labels(), read_labels(LISTENING)
    predicted = _predict(root, labels, listening)
    census = _halves(labels, listening, predicted)
    drawn = _halves(read_labels(), listening, predicted)  # the random draws: a subset
    return {
        "macro_f1": _macro(census["held_out"]),
        "held_out": {k: s.to_dict() for k, s in census["held_out"].items()},
        "tuning": {k: s.to_dict() for k, s in census["tuning"].items()},
        "n_held_out": census["n_held_out"],
        "n_tuning": census["n_tuning"],
        "random_draws": {
            "macro_f1": round(_macro(drawn["held_out"]), 4),
            "held_out": {k: s.to_dict() for k, s in drawn["held_out"].items()},
            "n_held_out": drawn["n_held_out"],
        },
        "agreement": agreement(),
        "politeness": politeness_correlation(root),
    }


def agreement() -> dict[str, Any]:
    """Per criterion, the second annotator scored against the first (precision, recall, F1)
    and Cohen's kappa, over the replies both labelled."""
    from sklearn.metrics import cohen_kappa_score

    second = read_labels(AGREEMENT)
    first, listening = read_labels(), read_labels(LISTENING)
    truth = {
        rid: {c: (listening if c == "listening" else first)[rid][c] for c in labels}
        for rid, labels in second.items()
    }
    out = {}
    for criterion, score in sorted(_scores(truth, second, second).items()):
        a = [truth[rid][criterion] for rid in second]
        b = [second[rid][criterion] for rid in second]
        kappa = cohen_kappa_score(a, b) if len(set(a) | set(b)) > 1 else None
        out[criterion] = {**score.to_dict(), "kappa": None if kappa is None else round(kappa, 3)}
    return {"n": len(second), "criteria": out}


def _summary(report: dict[str, Any]) -> str:
    parts = []
    for name, s in report["held_out"].items():
        if s["f1"] is None:
            parts.append(f"{name} no positives (fp {s['false_positives']})")
        else:
            parts.append(f"{name} P {s['precision']} R {s['recall']} F1 {s['f1']} n {s['support']}")
    pol, agreed, drawn = report["politeness"], report["agreement"], report["random_draws"]
    return (
        f"held-out half of {report['n_held_out'] + report['n_tuning']} hand-labelled agent "
        f"replies, every brand reply of the TWCS sample and 200 random Bitext responses "
        f"(n={report['n_held_out']}; GUIDE.md); "
        + "; ".join(parts)
        + f"; the four random draws alone (n={drawn['n_held_out']}): macro-F1 "
        f"{drawn['macro_f1']}; annotator agreement (a second annotator on n={agreed['n']}, F1 "
        "against the first / kappa): "
        + "; ".join(
            f"{name} {a['f1']}/{a['kappa']}"
            for name, a in agreed["criteria"].items()
            if a["f1"] is not None
        )
        + f"; tone vs Stanford politeness Spearman {pol['spearman']} (n={pol['n']})"
    )


def task_coach(root: Path) -> tuple[float, float | None, str, tuple[Path, ...]]:
    report = evaluate(root)
    files = (
        *replies.files(root),
        *(need(root / p) for p in POLITENESS),
        LABELS,
        LISTENING,
        TARGETED,
        REMAINDER,
        AGREEMENT,
    )
    return report["macro_f1"], None, _summary(report), files


def register(hook: Callable[[str, str, float | None, float | None, Any], None]) -> None:
    """Register with ``accord.analysis.evaluate.register_task`` (called from the CLI)."""
    hook("coach", "macro_f1_criteria", None, GOAL_F1, task_coach)
