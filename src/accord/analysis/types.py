"""Result types of the analysis engine.

Frozen, slotted dataclasses: cheap to build in the hot path (pydantic validation would cost more
than the analysis itself) and trivially serialisable with :meth:`to_dict`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Role = Literal["customer", "agent"]
Trajectory = Literal["escalating", "stable", "de-escalating"]

EKMAN_LABELS: tuple[str, ...] = (
    "anger",
    "disgust",
    "fear",
    "joy",
    "neutral",
    "sadness",
    "surprise",
)
EXTRA_EMOTIONS: tuple[str, ...] = ("anger", "annoyance", "disappointment", "gratitude")
SEVERITY_NAMES: tuple[str, ...] = (
    "none",
    "no explicit reproach",
    "disapproval",
    "accusation",
    "blame",
)


@dataclass(frozen=True, slots=True)
class Span:
    """A piece of evidence: ``text == original[start:end]`` for the analysed message."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Signal:
    """A detected conversational signal (escalation request, churn threat, ...)."""

    name: str
    confidence: float
    evidence: tuple[Span, ...]
    severity: int = 0


@dataclass(frozen=True, slots=True)
class Emotion:
    """Ekman-7 distribution (sums to 1) plus four customer-service emotions (independent)."""

    ekman: dict[str, float]
    extra: dict[str, float]

    @property
    def top(self) -> str:
        return max(self.ekman.items(), key=lambda kv: kv[1])[0]


@dataclass(frozen=True, slots=True)
class MessageAnalysis:
    """Everything the engine says about one message.

    ``sentiment`` is a polarity in [-1, 1] (P(positive) - P(negative)); ``heat`` is the 0-100
    score documented in docs/analysis.md; ``abuse`` is P(hateful or offensive) and
    ``abuse_severity`` 0-3 (none, profanity, insult, threat) from the evidence found.
    """

    role: Role
    language: str
    non_english: bool
    emotion: Emotion
    sentiment: float
    complaint_prob: float
    severity: int
    signals: tuple[Signal, ...]
    topic: str
    topic_scores: dict[str, float]
    cause: str
    cause_evidence: tuple[Span, ...]
    remedy: str | None
    remedy_evidence: tuple[Span, ...]
    abuse: float
    abuse_severity: int
    heat: float
    truncated: bool = False

    @property
    def signal_names(self) -> list[str]:
        return [s.name for s in self.signals]

    @property
    def severity_label(self) -> str:
        return SEVERITY_NAMES[self.severity]

    def signal(self, name: str) -> Signal | None:
        return next((s for s in self.signals if s.name == name), None)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MessageAnalysis:
        """The inverse of :meth:`to_dict` (a stored result, read back without re-analysing)."""

        def spans(items: list[dict[str, Any]]) -> tuple[Span, ...]:
            return tuple(Span(e["start"], e["end"], e["text"]) for e in items)

        emotion = data["emotion"]
        return cls(
            role=data["role"],
            language=data["language"],
            non_english=data["non_english"],
            emotion=Emotion(dict(emotion["ekman"]), dict(emotion["extra"])),
            sentiment=data["sentiment"],
            complaint_prob=data["complaint_prob"],
            severity=data["severity"],
            signals=tuple(
                Signal(s["name"], s["confidence"], spans(s["evidence"]), s["severity"])
                for s in data["signals"]
            ),
            topic=data["topic"],
            topic_scores=dict(data["topic_scores"]),
            cause=data["cause"],
            cause_evidence=spans(data["cause_evidence"]),
            remedy=data["remedy"],
            remedy_evidence=spans(data["remedy_evidence"]),
            abuse=data["abuse"],
            abuse_severity=data["abuse_severity"],
            heat=data["heat"],
            truncated=data.get("truncated", False),
        )

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["emotion"]["top"] = self.emotion.top
        out["severity_label"] = self.severity_label
        out["signals"] = [
            {**asdict(s), "evidence": [asdict(e) for e in s.evidence]} for s in self.signals
        ]
        out["cause_evidence"] = [asdict(e) for e in self.cause_evidence]
        out["remedy_evidence"] = [asdict(e) for e in self.remedy_evidence]
        return out


@dataclass(frozen=True, slots=True)
class Message:
    """One turn of a conversation as given to :func:`analyze_conversation`."""

    role: Role
    text: str


@dataclass(frozen=True, slots=True)
class ConversationAnalysis:
    """Per-conversation view: heat over time, its direction and the derailment forecast."""

    messages: tuple[MessageAnalysis, ...]
    heat_series: tuple[float, ...]
    trajectory: Trajectory
    slope: float
    peak_heat: float
    escalation_risk: float
    signals: tuple[str, ...] = field(default=())

    @property
    def heat(self) -> float:
        """The conversation's current heat: its last message's."""
        return self.heat_series[-1] if self.heat_series else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "messages": [m.to_dict() for m in self.messages],
            "heat_series": list(self.heat_series),
            "trajectory": self.trajectory,
            "slope": self.slope,
            "peak_heat": self.peak_heat,
            "escalation_risk": self.escalation_risk,
            "signals": list(self.signals),
        }
