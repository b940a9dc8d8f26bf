"""The coach's inputs and outputs: frozen dataclasses, cheap in the hot path."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

# Evidence in the draft (text == draft[start:end]): the same span type as the analysis.
from accord.analysis.types import Span as Span

Status = Literal["met", "missing", "violated"]
Kind = Literal["practice", "violation"]
Tone = Literal["warm", "formal", "brief"]
TONES: tuple[Tone, ...] = ("warm", "formal", "brief")

# The practices a reply should show and the violations it must avoid, in display order.
PRACTICES: tuple[str, ...] = (
    "boundary",
    "listening",
    "empathy",
    "apology",
    "clarifying_question",
    "options",
    "invites_input",
    "next_steps",
    "thanks",
    "further_help",
)
VIOLATIONS: tuple[str, ...] = (
    "blame",
    "defensive",
    "dismissive",
    "jargon",
    "over_promise",
    "mirroring",
)
CRITERIA: tuple[str, ...] = PRACTICES + VIOLATIONS


@dataclass(frozen=True, slots=True)
class Finding:
    criterion: str
    kind: Kind
    status: Status
    weight: float  # practices: share of the score; violations: points taken off
    evidence: tuple[Span, ...]
    suggestion: str | None  # None when nothing needs to change


@dataclass(frozen=True, slots=True)
class Review:
    score: int  # 0-100
    tone: float  # 0-100 politeness of the wording alone
    findings: tuple[Finding, ...]
    situation: tuple[str, ...]  # why the weights are what they are, in words

    def finding(self, criterion: str) -> Finding | None:
        return next((f for f in self.findings if f.criterion == criterion), None)

    def status(self, criterion: str) -> Status | None:
        found = self.finding(criterion)
        return found.status if found else None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class CoachContext:
    """What the coach knows about the conversation a draft answers.

    Build one with :func:`accord.coach.context.build_context` (from messages) or
    :func:`accord.coach.service.conversation_context` (from a stored conversation). The empty
    context means "no conversation": the weights fall back to a neutral situation.
    """

    customer_name: str | None = None
    customer_messages: tuple[str, ...] = ()
    agent_messages: tuple[str, ...] = ()
    severity: int = 0
    heat: float = 0.0
    abuse: bool = False
    abusive_terms: tuple[str, ...] = ()
    company_at_fault: bool = False
    missing_facts: tuple[str, ...] = ()
    remedy: str | None = None
    topic: str = "other"
    stage: str | None = None
    key_points: tuple[str, ...] = ()
    facts: dict[str, str] = field(default_factory=dict)
    escalation_requested: bool = False
    # The customer's e-mail addresses and phone numbers from their record: redacted, like their
    # name, from what is sent to a language model.
    customer_contacts: tuple[str, ...] = ()

    @property
    def has_conversation(self) -> bool:
        return bool(self.customer_messages)
