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
            "torn",
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
            "account",
            "login",
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
        topics = [
            Topic(
                str(t["name"]),
                tuple(str(k) for k in t.get("keywords", ())),
                tuple(str(k) for k in t.get("model_labels", ())),
                str(t.get("cause", "product-service")),
            )
            for t in data["topics"]
        ]
        return cls(topics, float(data.get("threshold", 0.4)), str(data.get("fallback", OTHER)))

    @classmethod
    def from_file(cls, path: Path) -> Taxonomy:
        return cls.from_dict(json.loads(path.read_text(encoding="utf-8")))

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
