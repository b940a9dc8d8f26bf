"""Topic taxonomy: configurable, backed by the shipped topic head where it can be.

A topic is scored as the larger of (a) the shipped topic head's probability summed over the
head labels the topic absorbs (``model_labels``) and (b) a keyword score from its ``keywords``.
A deployment can therefore rename, merge or add topics in a JSON file without retraining:
merged topics list several head labels, new topics bring keywords. Below ``threshold`` the
message gets the fallback topic (``other``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from accord.analysis.remedy import CAUSES

OTHER = "other"


@dataclass(frozen=True, slots=True)
class Topic:
    name: str
    keywords: tuple[str, ...] = ()
    model_labels: tuple[str, ...] = ()
    cause: str = "product-service"


_DEFAULT: tuple[Topic, ...] = (
    Topic(
        "billing and payments",
        (
            "bill",
            "billed",
            "billing",
            "invoice",
            "charged",
            "overcharged",
            "double charged",
            "payment",
            "paid",
            "fee",
            "fees",
            "price",
            "transaction",
            "direct debit",
            "statement",
            "bank account",
            "card",
            "charged twice",
            "charged me",
            "double charge",
        ),
        ("billing and payments",),
    ),
    Topic("refund", ("refund", "refunded", "money back", "reimburse", "chargeback"), ("refund",)),
    Topic(
        "delivery and shipping",
        (
            "delivery",
            "deliver",
            "delivered",
            "shipping",
            "shipped",
            "shipment",
            "package",
            "parcel",
            "courier",
            "tracking",
            "dispatch",
            "dispatched",
            "not arrived",
            "never arrived",
            "hasn't arrived",
            "has not arrived",
        ),
        ("delivery and shipping",),
    ),
    Topic(
        "defective product",
        (
            "broken",
            "defective",
            "faulty",
            "damaged",
            "stopped working",
            "cracked",
            # Not a bare "torn": "I'm torn between two colours" is a choice, not a defect.
            "is torn",
            "was torn",
            "arrived torn",
            "came torn",
            "scratched",
            "scratch",
            "dent",
            "dented",
            "wobble",
            "wobbles",
            "wobbly",
            "flickering",
            "collapsed",
            "malfunction",
            "dead on arrival",
            "leaking",
            "stain",
            "stained",
            "smashed",
            "snapped",
        ),
    ),
    Topic(
        "account and access",
        (
            # Not a bare "account": "my bank account", "on my account" are about money.
            "my account",
            "your account",
            "account locked",
            "account access",
            "login",
            "hacked",
            "log in",
            "password",
            "locked out",
            "sign in",
            "username",
            "verification code",
            "2fa",
            "verify my identity",
        ),
        ("account and access",),
    ),
    Topic(
        "order or booking changes",
        (
            "change my order",
            "modify my order",
            "booking",
            "reservation",
            "reschedule",
            "rebook",
            "change my flight",
            "cancel my order",
            "wrong order",
            "wrong item",
        ),
        ("order or booking changes",),
    ),
    Topic(
        "subscription and cancellation",
        (
            "subscription",
            "subscribe",
            "unsubscribe",
            "membership",
            "renewal",
            "auto-renew",
            "cancel my subscription",
            "cancel my plan",
            "contract",
            "newsletter",
        ),
        ("subscription and cancellation",),
    ),
    Topic(
        "technical problem",
        (
            "app",
            "website",
            "site",
            "crash",
            "crashes",
            "crashing",
            "error",
            "bug",
            "not loading",
            "outage",
            "wifi",
            "internet",
            "connection",
            "glitch",
            "update",
            "server",
            "offline",
            "signal",
            "no service",
        ),
        ("technical problem",),
    ),
    Topic(
        "policy and terms",
        (
            "policy",
            "terms",
            "conditions",
            "warranty",
            "guarantee",
            "not allowed",
            "rules",
            "fine print",
            "eligible",
            "eligibility",
            "restriction",
            "limit",
        ),
        ("policy and terms",),
        cause="communication",
    ),
    Topic(
        "agent conduct",
        (
            "rude",
            "unprofessional",
            "attitude",
            "hung up",
            "your agent",
            "your staff",
            "your employee",
            "customer service rep",
            "representative",
            "disrespectful",
        ),
        cause="human factors",
    ),
)


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


class Taxonomy:
    """Scores topics for a message from head probabilities and keyword hits."""

    def __init__(
        self, topics: Sequence[Topic], threshold: float = 0.4, fallback: str = OTHER
    ) -> None:
        self.topics = tuple(topics)
        self.threshold = threshold
        self.fallback = fallback
        self.names = (*[t.name for t in self.topics], fallback)
        self._patterns = tuple(_keyword_pattern(t.keywords) for t in self.topics)

    @classmethod
    def default(cls) -> Taxonomy:
        return cls(_DEFAULT)

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
        threshold = data.get("threshold", 0.4)
        if isinstance(threshold, bool) or not isinstance(threshold, int | float):
            raise TaxonomyError(f"'threshold' must be a number in [0, 1], not {threshold!r}")
        if not 0.0 <= threshold <= 1.0:
            raise TaxonomyError(f"'threshold' must be in [0, 1], not {threshold}")
        return cls(topics, float(threshold), fallback)

    @classmethod
    def from_file(cls, path: Path) -> Taxonomy:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise TaxonomyError(f"cannot read taxonomy file {path}: {exc.strerror}") from exc
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise TaxonomyError(f"taxonomy file {path} is not valid JSON: {exc}") from exc
        return cls.from_dict(data)

    def to_dict(self) -> dict[str, Any]:
        return {
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

    def score(self, lower: str, head: Mapping[str, float]) -> dict[str, float]:
        """Topic -> score in [0, 1]; the fallback topic gets ``1 - best``."""
        out: dict[str, float] = {}
        for topic, pattern in zip(self.topics, self._patterns, strict=True):
            model = sum(head.get(label, 0.0) for label in topic.model_labels)
            hits = len(pattern.findall(lower)) if pattern is not None else 0
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
    alternatives = sorted((re.escape(k.lower()) for k in keywords), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b")
