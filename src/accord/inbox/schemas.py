"""Request and response bodies for customers, conversations, messages and events."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StringConstraints, field_validator

from accord.core.ids import Id
from accord.core.requests import RequestModel
from accord.core.text import required_text, single_line
from accord.inbox.models import Channel, Direction, Priority, Status

MAX_TEXT = 200_000
TagName = Annotated[
    str, StringConstraints(strip_whitespace=True, to_lower=True, pattern=r"^\w[\w.:-]{0,63}$")
]


class WriteModel(RequestModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _optional_line(value: str | None) -> str | None:
    return None if value is None else single_line(value)


def _tags(values: list[str] | None) -> list[str] | None:
    return None if values is None else sorted({v.lower() for v in values})


class CustomerCreate(WriteModel):
    name: str = Field(min_length=1, max_length=200)
    email: EmailStr | None = None
    external_id: str | None = Field(default=None, min_length=1, max_length=200)
    tier: Literal["standard", "plus", "vip"] = "standard"

    _name = field_validator("name")(single_line)


class CustomerUpdate(WriteModel):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    tier: Literal["standard", "plus", "vip"] | None = None
    blocked: bool | None = None

    _name = field_validator("name")(_optional_line)


class IdentityOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    kind: str
    value: str


class CustomerOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    tier: str
    blocked: bool
    identities: list[IdentityOut]
    created_at: datetime


class MessageIn(WriteModel):
    text: str = Field(min_length=1, max_length=MAX_TEXT)
    external_id: str | None = Field(default=None, min_length=1, max_length=512)

    _text = field_validator("text")(required_text)


@dataclass(frozen=True)
class MessageContent:
    """What a channel keeps beside a message's text, written with it in one step: the sender's
    html (shown sanitised) and the stored attachments' metadata. Channels pass it; the public
    write models carry text only."""

    html: str | None = None
    attachments: tuple[dict[str, Any], ...] = field(default_factory=tuple)


class MessageCreate(MessageIn):
    direction: Direction | None = Field(
        default=None,
        description="outbound = agent reply, note = internal note, inbound = customer message "
        "(API channel). Defaults to outbound for staff and inbound for customers, who may only "
        "post inbound messages.",
    )


class CustomerConversationCreate(WriteModel):
    """What a customer decides when opening a conversation: the subject and the first message.
    Priority, tags and team are for staff (they move SLA targets and routing): a customer's
    conversation starts at normal priority, untagged, and the rules route it."""

    subject: str = Field(min_length=1, max_length=300)
    customer_id: Id | None = Field(
        default=None, description="Required for staff; customers always create their own."
    )
    channel: Channel = Channel.API
    message: MessageIn

    _subject = field_validator("subject")(single_line)


class ConversationCreate(CustomerConversationCreate):
    priority: Priority = Field(
        default=Priority.NORMAL, description="Staff only: a customer who sends it gets 422."
    )
    team_id: Id | None = Field(default=None, description="Staff only.")
    tags: list[TagName] = Field(
        default_factory=list,
        max_length=30,
        description="Staff only: a customer who sends them gets 422.",
    )

    _tag_norm = field_validator("tags")(_tags)


# What a customer may not set when opening a conversation, whatever the edge (API, portal,
# widget): refused with 422, never silently applied.
STAFF_DECIDES = frozenset(ConversationCreate.model_fields) - frozenset(
    CustomerConversationCreate.model_fields
)


class ConversationUpdate(WriteModel):
    status: Status | None = None
    priority: Priority | None = None
    assignee_id: Id | None = None
    team_id: Id | None = None
    tags: list[TagName] | None = Field(default=None, max_length=30)
    subject: str | None = Field(default=None, min_length=1, max_length=300)
    version: int | None = Field(
        default=None, ge=1, description="Expected current version (or send If-Match)."
    )

    _tag_norm = field_validator("tags")(_tags)
    _subject = field_validator("subject")(_optional_line)


class MessageOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    conversation_id: int
    direction: Direction
    author_user_id: int | None
    author_customer_id: int | None
    text: str
    html: str | None
    attachments: list[dict[str, Any]]
    external_id: str | None
    created_at: datetime
    masked: bool = Field(
        default=False,
        description="Abusive words are masked in `text` for agents; supervisors and "
        "administrators see the original.",
    )


class ConversationInsightOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    heat: float
    peak_heat: float
    trajectory: str
    escalation_risk: float
    max_severity: int
    topic: str
    cause: str
    signals: list[str]
    heat_series: list[float]
    updated_at: datetime
    heat_base: float | None = None  # before time since the customer's last message cooled it
    heat_at: datetime | None = None  # the customer's last message
    heat_why: dict[str, Any] | None = None  # the driving message, its terms and evidence


class ConversationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    subject: str
    channel: Channel
    status: Status
    priority: Priority
    customer_id: int
    team_id: int | None
    assignee_id: int | None
    tags: list[str]
    version: int
    created_at: datetime
    updated_at: datetime
    last_message_at: datetime
    insight: ConversationInsightOut | None = Field(
        default=None, description="The conflict analysis (staff only)."
    )


class ConversationDetail(ConversationOut):
    messages: list[MessageOut]


class EventOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: str
    conversation_id: int | None
    actor_user_id: int | None
    actor_customer_id: int | None
    data: dict[str, Any]
    created_at: datetime


T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = None
