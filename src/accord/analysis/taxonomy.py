"""Topic taxonomy: configurable, backed by the shipped topic head where it can be.

A topic is scored as the larger of (a) the shipped topic head's probability summed over the
head labels the topic absorbs (``model_labels``) and (b) a keyword score from its ``keywords``.
A deployment can therefore rename, merge or add topics in a JSON or YAML file without
retraining: merged topics list several head labels, new topics bring keywords. Below
``threshold`` the message gets the fallback topic (``other``).

Vocabularies ship as packs, one data file per industry in ``accord/analysis/packs/``: retail
(the default), general, travel, telecom, banking, saas, healthcare. Each names its topics, their
default causes and its own cause phrases; ``Taxonomy.packs(["travel", "general"])`` merges them
(the first pack wins ties; same-named topics pool their keywords). ``ACCORD_ANALYSIS_PACKS``
chooses the packs of a deployment; its caller passes them in (:meth:`Taxonomy.configured`): the
engine reads no settings.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache, reduce
from pathlib import Path
from typing import Any

import yaml

from accord.analysis.cause import BASE_CUES, CAUSES, CauseCues
from accord.analysis.literals import alternation
from accord.core.needles import PatternSet, fold

OTHER = "other"
PACKS_DIR = Path(__file__).parent / "packs"
DEFAULT_PACK = "retail"
# A pack's cause section: staff nouns (with a conduct word: human factors) and phrases that
# give a cause on their own.
_CAUSE_FIELDS = ("staff", "communication", "product-service", "human factors")


@dataclass(frozen=True, slots=True)
class Topic:
    name: str
    keywords: tuple[str, ...] = ()
    model_labels: tuple[str, ...] = ()
    cause: str = "product-service"


class TaxonomyError(ValueError):
    """A custom taxonomy is malformed; the message says which field and why."""


def _strings(where: str, field: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) and v for v in value):
        raise TaxonomyError(f"{where}: {field!r} must be a list of non-empty strings")
    return tuple(value)


def _topic(index: int, raw: Any) -> Topic:
    where = f"topics[{index}]"
    if not isinstance(raw, Mapping):
        raise TaxonomyError(f"{where} must be an object with a 'name'")
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise TaxonomyError(f"{where} needs a non-empty string 'name'")
    where = f"{where} ({name!r})"
    unknown = sorted(set(raw) - {"name", "keywords", "model_labels", "cause"})
    if unknown:
        raise TaxonomyError(f"{where}: unknown field(s) {unknown}")
    keywords = _strings(where, "keywords", raw.get("keywords", []))
    labels = _strings(where, "model_labels", raw.get("model_labels", []))
    if not keywords and not labels:
        raise TaxonomyError(f"{where} needs 'keywords' or 'model_labels' to ever be chosen")
    cause = raw.get("cause", "product-service")
    if cause not in CAUSES:
        raise TaxonomyError(f"{where}: 'cause' must be one of {list(CAUSES)}, not {cause!r}")
    return Topic(name, keywords, labels, cause)


def _cause_cues(raw: Any) -> CauseCues:
    if raw is None:
        return BASE_CUES
    if not isinstance(raw, Mapping):
        raise TaxonomyError("'causes' must be an object of cue lists")
    unknown = sorted(set(raw) - set(_CAUSE_FIELDS))
    if unknown:
        raise TaxonomyError(f"causes: unknown field(s) {unknown}; known: {list(_CAUSE_FIELDS)}")
    lists = {k: _strings("causes", k, v) for k, v in raw.items()}
    return CauseCues(lists.pop("staff", ()), lists)


def _threshold(data: Mapping[str, Any]) -> float:
    threshold = data.get("threshold", 0.4)
    if isinstance(threshold, bool) or not isinstance(threshold, int | float):
        raise TaxonomyError(f"'threshold' must be a number in [0, 1], not {threshold!r}")
    if not 0.0 <= threshold <= 1.0:
        raise TaxonomyError(f"'threshold' must be in [0, 1], not {threshold}")
    return float(threshold)


def _union(a: Iterable[str], b: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys((*a, *b)))


class Taxonomy:
    """Scores topics for a message from head probabilities and keyword hits."""

    def __init__(
        self,
        topics: Sequence[Topic],
        threshold: float = 0.4,
        fallback: str = OTHER,
        cause_cues: CauseCues | None = None,
    ) -> None:
        self.topics = tuple(topics)
        self.threshold = threshold
        self.fallback = fallback
        self.cause_cues = cause_cues or BASE_CUES
        self.names = (*[t.name for t in self.topics], fallback)
        patterns = [(i, _keyword_pattern(t.keywords)) for i, t in enumerate(self.topics)]
        self._keyworded = [(i, p) for i, p in patterns if p is not None]
        # A topic's keywords are searched only when one of their literals is in the text.
        self._index = PatternSet(p for _, p in self._keyworded)

    @classmethod
    def default(cls) -> Taxonomy:
        """The retail pack: Accord's original taxonomy (see :meth:`configured`)."""
        return cls.pack(DEFAULT_PACK)

    @classmethod
    def pack(cls, name: str) -> Taxonomy:
        """One shipped pack by name (:func:`available_packs`)."""
        return cls.from_dict(_pack_data(name))

    @classmethod
    def packs(cls, names: Iterable[str]) -> Taxonomy:
        """Shipped packs merged in order: topics of the first come first and win ties."""
        chosen = [cls.pack(n) for n in dict.fromkeys(names)]
        if not chosen:
            raise TaxonomyError("name at least one pack")
        return chosen[0] if len(chosen) == 1 else cls.merged(chosen)

    @classmethod
    def configured(cls, packs: str | Iterable[str]) -> Taxonomy:
        """The packs a deployment chose (``ACCORD_ANALYSIS_PACKS``, as a comma-separated string
        or names): one shared instance per choice, so treat it as read-only."""
        names = parse_pack_names(packs) if isinstance(packs, str) else tuple(packs)
        return _configured(names or (DEFAULT_PACK,))

    @classmethod
    def merged(cls, parts: Sequence[Taxonomy]) -> Taxonomy:
        """Several taxonomies as one: topics with the same name pool keywords and head labels
        (the first keeps its cause); threshold and fallback are the first's."""
        topics: dict[str, Topic] = {}
        for topic in (t for part in parts for t in part.topics):
            old = topics.get(topic.name)
            topics[topic.name] = (
                topic
                if old is None
                else Topic(
                    old.name,
                    _union(old.keywords, topic.keywords),
                    _union(old.model_labels, topic.model_labels),
                    old.cause,
                )
            )
        cues = reduce(CauseCues.merged, (p.cause_cues for p in parts))
        return cls(tuple(topics.values()), parts[0].threshold, parts[0].fallback, cues)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Taxonomy:
        """Build from the JSON shape of :meth:`to_dict`; a mistake raises :class:`TaxonomyError`."""
        if not isinstance(data, Mapping):
            raise TaxonomyError(f"a taxonomy is a JSON object, not {type(data).__name__}")
        raw = data.get("topics")
        if not isinstance(raw, list) or not raw:
            raise TaxonomyError("a taxonomy needs a non-empty 'topics' list")
        topics = [_topic(i, t) for i, t in enumerate(raw)]
        names = [t.name for t in topics]
        fallback = data.get("fallback", OTHER)
        if not isinstance(fallback, str) or not fallback.strip():
            raise TaxonomyError("'fallback' must be a non-empty string")
        dupes = sorted({n for n in [*names, fallback] if [*names, fallback].count(n) > 1})
        if dupes:
            raise TaxonomyError(
                f"topic names must be unique (and differ from the fallback): {dupes}"
            )
        return cls(topics, _threshold(data), fallback, _cause_cues(data.get("causes")))

    @classmethod
    def from_file(cls, path: Path) -> Taxonomy:
        """A taxonomy file: JSON, or YAML when it ends in ``.yaml``/``.yml``."""
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise TaxonomyError(f"cannot read taxonomy file {path}: {exc.strerror}") from exc
        except UnicodeDecodeError as exc:
            raise TaxonomyError(f"taxonomy file {path} is not valid UTF-8: {exc}") from exc
        if path.suffix.lower() in (".yaml", ".yml"):
            try:
                data = yaml.safe_load(text)
            except yaml.YAMLError as exc:
                raise TaxonomyError(f"taxonomy file {path} is not valid YAML: {exc}") from exc
        else:
            try:
                data = json.loads(text)
            except json.JSONDecodeError as exc:
                raise TaxonomyError(f"taxonomy file {path} is not valid JSON: {exc}") from exc
        return cls.from_dict(data)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "threshold": self.threshold,
            "fallback": self.fallback,
            "topics": [
                {
                    "name": t.name,
                    "keywords": list(t.keywords),
                    "model_labels": list(t.model_labels),
                    "cause": t.cause,
                }
                for t in self.topics
            ],
        }
        causes = self.cause_cues.to_dict()
        return out | ({"causes": causes} if causes else {})

    def score(
        self, lower: str, head: Mapping[str, float], *, folded: str | None = None
    ) -> dict[str, float]:
        """Topic -> score in [0, 1]; the fallback topic gets ``1 - best``. ``folded``: the
        text as the prefilter compares it, when the caller has it already (`Prepared.folded`)."""
        out: dict[str, float] = {}
        hits_of = {}
        for k in self._index.candidate_indices(fold(lower) if folded is None else folded):
            i, pattern = self._keyworded[k]
            hits_of[i] = len(pattern.findall(lower))
        for i, topic in enumerate(self.topics):
            model = sum(head.get(label, 0.0) for label in topic.model_labels)
            hits = hits_of.get(i, 0)
            keyword = min(0.9, 0.65 + 0.1 * (hits - 1)) if hits else 0.0
            out[topic.name] = round(min(1.0, max(model, keyword)), 4)
        best = max(out.values(), default=0.0)
        out[self.fallback] = round(1.0 - best, 4)
        return out

    def pick(self, scores: Mapping[str, float]) -> tuple[str, str]:
        """(topic, default cause of that topic)."""
        best = max(self.topics, key=lambda t: scores.get(t.name, 0.0), default=None)
        if best is None or scores.get(best.name, 0.0) < self.threshold:
            return self.fallback, "unknown"
        return best.name, best.cause


def _keyword_pattern(keywords: Sequence[str]) -> re.Pattern[str] | None:
    if not keywords:
        return None
    return re.compile(r"\b(?:" + alternation(k.lower() for k in keywords) + r")\b")


def available_packs() -> tuple[str, ...]:
    """Names of the shipped packs."""
    return tuple(sorted(p.stem for p in PACKS_DIR.glob("*.yaml")))


@lru_cache(maxsize=16)
def _pack_data(name: str) -> Mapping[str, Any]:
    if name not in available_packs():
        raise TaxonomyError(f"no analysis pack {name!r}; shipped: {list(available_packs())}")
    data = yaml.safe_load((PACKS_DIR / f"{name}.yaml").read_text(encoding="utf-8"))
    if not isinstance(data, Mapping):
        raise TaxonomyError(f"pack {name!r} is not a mapping")
    return data


@lru_cache(maxsize=8)
def _configured(names: tuple[str, ...]) -> Taxonomy:
    return Taxonomy.packs(names)


def parse_pack_names(value: str) -> tuple[str, ...]:
    """``"travel, General"`` -> ``("travel", "general")``; empty means the default pack."""
    names = tuple(dict.fromkeys(n.strip().lower() for n in value.split(",") if n.strip()))
    return names or (DEFAULT_PACK,)
