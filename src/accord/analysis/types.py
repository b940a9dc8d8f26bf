"""Result types of the analysis engine.

Frozen, slotted dataclasses: cheap to build in the hot path (pydantic validation would cost more
than the analysis itself) and trivially serialisable with :meth:`to_dict`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any, Literal

Role = Literal["customer", "agent"]
# Bumped when the engine reads messages differently: stored results of another version are
# analysed again rather than mixed with new ones (MessageAnalysis.from_dict refuses them).
ENGINE_VERSION = 2
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


class SignalName(StrEnum):
    """Every signal the engine reports, declared once; the values are the stored names."""

    ESCALATION_REQUEST = "escalation_request"
    CHURN_THREAT = "churn_threat"
    LEGAL_THREAT = "legal_threat"
    PUBLIC_EXPOSURE = "public_exposure"
    REPEAT_CONTACT = "repeat_contact"
    SAFETY_INCIDENT = "safety_incident"
    URGENCY = "urgency"
    ABUSE = "abuse"
    CLOSING_GRATITUDE = "closing_gratitude"
    HOSTILE_TONE = "hostile_tone"
    SARCASM = "sarcasm"
    NEGATED_PRAISE = "negated_praise"
    CONCESSION = "concession"
    POLITE_REQUEST = "polite_request"


@dataclass(frozen=True, slots=True)
class Signal:
    """A detected conversational signal (escalation request, churn threat, ...)."""

    name: str  # a SignalName's value, kept a plain string for storage and serialisation
    confidence: float
    evidence: tuple[Span, ...]
    severity: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", str(self.name))


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
    heat_parts: dict[str, float] = field(default_factory=dict)  # heat.heat_parts: the why

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

        if data.get("engine") != ENGINE_VERSION:
            raise ValueError("analysed by another engine version")
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
            heat_parts=dict(data["heat_parts"]),
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
        out["engine"] = ENGINE_VERSION
        return out


@dataclass(frozen=True, slots=True)
class Message:
    """One turn of a conversation as given to :func:`analyze_conversation`."""

    role: Role
    text: str


@dataclass(frozen=True, slots=True)
class HeatReason:
    """One customer message's share in the conversation's heat. Its heat splits into stakes
    (threat signals: a lawyer, a review, leaving) and affect (the rest); what the customer says
    later cools the affect, and only time and later turns cool the stakes."""

    index: int  # position of the message in the conversation, agents' turns included
    heat: float
    stakes: float
    affect_weight: float
    stakes_weight: float

    @property
    def contribution(self) -> float:
        affect = self.heat - self.stakes
        return round(affect * self.affect_weight + self.stakes * self.stakes_weight, 1)


@dataclass(frozen=True, slots=True)
class ConversationHeat:
    """The customer's heat now, and why (docs/analysis.md, "Conversation heat")."""

    heat: float  # base x decay: what the inbox sorts by
    base: float  # just after the customer's last message, before time cooled it
    decay: float  # 0.5 ** (hours since the customer's last message / half-life)
    driver: HeatReason | None  # the message that sets the heat
    reasons: tuple[HeatReason, ...]  # the customer's messages, largest contribution first
    relief: int | None = None  # index of the customer message that cooled it most, if any

    def to_dict(self) -> dict[str, Any]:
        def reason(r: HeatReason) -> dict[str, Any]:
            return {**asdict(r), "contribution": r.contribution}

        return {
            "heat": self.heat,
            "base": self.base,
            "decay": self.decay,
            "driver": reason(self.driver) if self.driver else None,
            "reasons": [reason(r) for r in self.reasons],
            "relief": self.relief,
        }


NO_HEAT = ConversationHeat(0.0, 0.0, 1.0, None, ())


@dataclass(frozen=True, slots=True)
class ConversationAnalysis:
    """Per-conversation view: heat over time, its direction and the derailment forecast.

    ``heat_series`` has every message's own heat (an agent's is the tone of the reply);
    ``heat`` is the customer's (:class:`ConversationHeat`), which an agent's reply never moves.
    """

    messages: tuple[MessageAnalysis, ...]
    heat_series: tuple[float, ...]
    trajectory: Trajectory
    slope: float
    peak_heat: float
    escalation_risk: float
    signals: tuple[str, ...] = field(default=())
    customer_heat: ConversationHeat = NO_HEAT

    @property
    def heat(self) -> float:
        """The conversation's current heat: the customer's, with memory, relief and time."""
        return self.customer_heat.heat

    def to_dict(self) -> dict[str, Any]:
        return {
            "messages": [m.to_dict() for m in self.messages],
            "heat": self.heat,
            "heat_why": self.customer_heat.to_dict(),
            "heat_series": list(self.heat_series),
            "trajectory": self.trajectory,
            "slope": self.slope,
            "peak_heat": self.peak_heat,
            "escalation_risk": self.escalation_risk,
            "signals": list(self.signals),
        }
