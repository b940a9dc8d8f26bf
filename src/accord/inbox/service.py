"""The write path for customers, conversations and messages.

Every edge (API, CLI, demo loader, importers, jobs) calls these verbs; each checks access,
validates against the current state and records a timeline event in the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from accord.audit.service import record
from accord.auth.access import load_team, load_user, require_staff
from accord.core.clock import utcnow
from accord.core.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    PreconditionFailed,
    ValidationFailed,
    VersionConflict,
)
from accord.core.events import publish
from accord.core.principal import Principal
from accord.inbox import idempotency
from accord.inbox.access import load_conversation, load_customer
from accord.inbox.events import ConversationChanged, MessageStored
from accord.inbox.models import (
    Conversation,
    ConversationTag,
    Customer,
    CustomerErasure,
    CustomerIdentity,
    Direction,
    IdentityKind,
    Message,
    Status,
)
from accord.inbox.schemas import (
    STAFF_DECIDES,
    ConversationCreate,
    ConversationUpdate,
    CustomerCreate,
    CustomerUpdate,
    MessageContent,
    MessageCreate,
    MessageIn,
)

T = TypeVar("T")


def create_customer(session: Session, *, actor: Principal, data: CustomerCreate) -> Customer:
    require_staff(actor)
    identities = []
    if data.email:
        identities.append((IdentityKind.EMAIL, data.email.lower()))
    if data.external_id:
        identities.append((IdentityKind.EXTERNAL, data.external_id))
    for kind, value in identities:
        if _identity_owner(session, kind, value) is not None:
            raise Conflict(f"a customer with {kind.value} {value!r} already exists")
    customer = Customer(name=data.name, tier=data.tier, blocked=False, created_at=utcnow())
    customer.identities = [CustomerIdentity(kind=k.value, value=v) for k, v in identities]
    session.add(customer)
    session.flush()
    record(session, actor=actor, kind="customer.created", data={"customer_id": customer.id})
    return customer


def _identity_owner(session: Session, kind: IdentityKind, value: str) -> int | None:
    return session.scalar(
        select(CustomerIdentity.customer_id).where(
            CustomerIdentity.kind == kind.value, CustomerIdentity.value == value
        )
    )


def update_customer(
    session: Session, *, actor: Principal, customer_id: int, data: CustomerUpdate
) -> Customer:
    require_staff(actor)
    customer = load_customer(session, actor, customer_id)
    if session.get(CustomerErasure, customer_id) is not None:
        # The emptied row only keeps the id taken: a new customer gets a new record.
        raise Conflict(f"customer {customer_id} was erased; create a new customer instead")
    changes = data.model_dump(exclude_unset=True, exclude_none=True)
    for field, value in changes.items():
        setattr(customer, field, value)
    record(
        session, actor=actor, kind="customer.updated", data={"customer_id": customer.id, **changes}
    )
    return customer


def create_conversation(
    session: Session,
    *,
    actor: Principal,
    data: ConversationCreate,
    idempotency_key: str | None = None,
    content: MessageContent | None = None,
) -> tuple[Conversation, bool]:
    """Open a conversation with the customer's first message. Returns (conversation, created);
    a retry with the same Idempotency-Key returns the first conversation and created=False.
    ``content`` is what a channel keeps beside the text (html, attachments)."""
    if actor.kind == "customer":
        _customer_decides(data)
    request_hash = idempotency.fingerprint(data.model_dump(mode="json"))
    if idempotency_key is not None:
        key = idempotency.check_key(idempotency_key)
        earlier = idempotency.replayed(session, actor, key, "conversation", request_hash)
        if earlier is not None:
            return load_conversation(session, actor, earlier), False
    customer = _customer_for_new_conversation(session, actor, data.customer_id)
    if data.team_id is not None:
        require_staff(actor)
        load_team(session, actor, data.team_id)
    now = utcnow()
    conversation = Conversation(
        channel=data.channel.value,
        subject=data.subject,
        status=Status.NEW.value,
        priority=data.priority.value,
        customer_id=customer.id,
        team_id=data.team_id,
        created_at=now,
        updated_at=now,
        last_message_at=now,
    )
    conversation.tag_rows = [ConversationTag(tag=t) for t in data.tags]
    session.add(conversation)
    session.flush()
    _check_external_id_free(session, data.message.external_id)
    message = _append(
        session,
        conversation,
        Direction.INBOUND,
        data.message,
        content,
        customer_id=customer.id,
        now=now,
    )
    # A new conversation's only message is this one: readers need not query for it.
    set_committed_value(conversation, "messages", [message])
    publish(session, MessageStored(actor, conversation, message, opened=True))
    record(
        session,
        actor=actor,
        kind="conversation.created",
        conversation_id=conversation.id,
        data={"channel": conversation.channel, "subject": conversation.subject},
    )
    if idempotency_key is not None:
        idempotency.remember(session, actor, key, "conversation", request_hash, conversation.id)
    return conversation, True


def _customer_decides(data: ConversationCreate) -> None:
    """A customer sets only what `CustomerConversationCreate` holds: priority, tags and team
    would move their own SLA targets and routing."""
    chosen = sorted(data.model_fields_set & STAFF_DECIDES)
    if chosen:
        raise ValidationFailed(
            f"{', '.join(chosen)}: set by staff, not by customers; send only the subject and "
            "the message"
        )


def _customer_for_new_conversation(
    session: Session, actor: Principal, customer_id: int | None
) -> Customer:
    if actor.kind == "customer":
        assert actor.customer_id is not None
        if customer_id not in (None, actor.customer_id):
            raise PermissionDenied("customers can only open conversations for themselves")
        customer_id = actor.customer_id
    if customer_id is None:
        raise ValidationFailed("customer_id is required")
    customer = load_customer(session, actor, customer_id)
    if customer.blocked:
        raise PermissionDenied(f"customer {customer_id} is blocked")
    return customer


def update_conversation(
    session: Session,
    *,
    actor: Principal,
    conversation_id: int,
    data: ConversationUpdate,
    if_match: int | None = None,
) -> Conversation:
    """Change status, priority, assignee, team, tags or subject of a conversation.

    The caller states the version it last saw (If-Match or `version`); a stale version is
    refused (412 for If-Match, 409 for the body field) instead of silently overwriting.
    """
    require_staff(actor)
    conversation = load_conversation(session, actor, conversation_id)
    _check_expected_version(conversation, data.version, if_match)
    changes = data.model_dump(exclude_unset=True, exclude={"version"})
    before = {field: getattr(conversation, field) for field in changes}
    applied = {}
    for field, value in changes.items():
        if _apply_change(session, actor, conversation, field, value):
            applied[field] = value
    if applied:
        conversation.updated_at = utcnow()
        record(
            session,
            actor=actor,
            kind="conversation.updated",
            conversation_id=conversation.id,
            data={k: (v.value if hasattr(v, "value") else v) for k, v in applied.items()},
        )
        session.flush()
        moved = {field: before[field] for field in applied}
        publish(session, ConversationChanged(actor, conversation, frozenset(applied), moved))
    return conversation


def _check_expected_version(
    conversation: Conversation, body_version: int | None, if_match: int | None
) -> None:
    if if_match is not None and body_version is not None and if_match != body_version:
        raise ValidationFailed("If-Match and version disagree")
    if if_match is not None and if_match != conversation.version:
        raise PreconditionFailed(
            f"conversation is at version {conversation.version}, not {if_match}",
            current_version=conversation.version,
        )
    if body_version is not None and body_version != conversation.version:
        raise VersionConflict(
            f"conversation is at version {conversation.version}, not {body_version}",
            current_version=conversation.version,
        )


def _apply_change(
    session: Session, actor: Principal, conversation: Conversation, field: str, value: object
) -> bool:
    """Apply one field; returns whether anything changed."""
    if value is None and field not in ("assignee_id", "team_id"):
        # Only the assignee and the team may be cleared; the rest always hold a value.
        raise ValidationFailed(f"{field} cannot be null")
    if field == "tags":
        assert isinstance(value, list)
        if value == conversation.tags:
            return False
        conversation.tag_rows = [ConversationTag(tag=t) for t in value]
        return True
    if field == "status":
        return _change_status(conversation, Status(str(value)))
    if field == "assignee_id" and value is not None:
        assert isinstance(value, int)
        if not _referenced(load_user, session, actor, value).is_active:
            raise ValidationFailed(f"user {value} is deactivated")
    if field == "team_id" and value is not None:
        assert isinstance(value, int)
        _referenced(load_team, session, actor, value)
    stored = value.value if hasattr(value, "value") else value
    if getattr(conversation, field) == stored:
        return False
    setattr(conversation, field, stored)
    return True


def _referenced(loader: Callable[[Session, Principal, int], T], *args: Any) -> T:
    """A row named in a request body: missing means the body is invalid (422), not 404."""
    try:
        return loader(*args)
    except NotFound as exc:
        raise ValidationFailed(exc.detail) from exc


def _change_status(conversation: Conversation, status: Status) -> bool:
    if conversation.status == status.value:
        return False
    if conversation.status == Status.CLOSED.value:
        raise Conflict("a closed conversation cannot change status; open a new one")
    conversation.status = status.value
    return True


def add_message(
    session: Session,
    *,
    actor: Principal,
    conversation_id: int,
    data: MessageCreate,
    content: MessageContent | None = None,
) -> tuple[Message, bool]:
    """Append a customer message, an agent reply or an internal note.

    Returns (message, created). A repeated `external_id` (e.g. an email Message-ID) returns the
    message stored the first time, so re-delivery never duplicates; only to a caller who could
    read it, in the same conversation and direction (see `idempotency.replayed_message`).
    """
    direction = data.direction or (
        Direction.INBOUND if actor.kind == "customer" else Direction.OUTBOUND
    )
    if actor.kind == "customer" and direction != Direction.INBOUND:
        raise PermissionDenied("customers can only post inbound messages")
    conversation = _lock_conversation(session, actor, conversation_id)
    if data.external_id is not None:
        existing = idempotency.replayed_message(
            session,
            actor,
            conversation_id=conversation.id,
            direction=direction,
            external_id=data.external_id,
        )
        if existing is not None:
            return existing, False
    if conversation.status == Status.CLOSED.value:
        raise Conflict("the conversation is closed; open a new conversation")
    customer_id, user_id = _author(actor, conversation, direction)
    message = _append(
        session, conversation, direction, data, content, customer_id=customer_id, user_id=user_id
    )
    # The analysis, the status it implies, the case rules and a channel's outbox subscribe.
    publish(session, MessageStored(actor, conversation, message))
    record(
        session,
        actor=actor,
        kind=f"message.{direction.value}",
        conversation_id=conversation.id,
        data={"message_id": message.id},
    )
    return message, True


def _lock_conversation(session: Session, actor: Principal, conversation_id: int) -> Conversation:
    # Loading with FOR UPDATE serialises concurrent appends on PostgreSQL (SQLite already
    # serialises writers with BEGIN IMMEDIATE), so the version bump never races.
    conversation = load_conversation(session, actor, conversation_id)
    if session.get_bind().dialect.name != "sqlite":  # there the row is already current
        session.refresh(conversation, with_for_update=True)
    return conversation


def _check_external_id_free(session: Session, external_id: str | None) -> None:
    if external_id is None:
        return
    if session.scalar(select(Message.id).where(Message.external_id == external_id)) is not None:
        raise idempotency.external_id_taken(external_id)


def _author(
    actor: Principal, conversation: Conversation, direction: Direction
) -> tuple[int | None, int | None]:
    """(customer_id, user_id) of a new message's author."""
    if direction == Direction.INBOUND:
        # Staff may log a customer's message that arrived elsewhere (phone, API integration).
        return conversation.customer_id, None
    return None, actor.user_id


def _append(
    session: Session,
    conversation: Conversation,
    direction: Direction,
    data: MessageIn,
    content: MessageContent | None,
    *,
    customer_id: int | None = None,
    user_id: int | None = None,
    now: datetime | None = None,
) -> Message:
    now = now or utcnow()
    content = content or MessageContent()
    message = Message(
        conversation_id=conversation.id,
        direction=direction.value,
        author_customer_id=customer_id,
        author_user_id=user_id,
        text=data.text,
        html=content.html,
        attachments=list(content.attachments),
        external_id=data.external_id,
        created_at=now,
    )
    session.add(message)
    # Only touch the row when something changes: each UPDATE bumps the version.
    if direction != Direction.NOTE and conversation.last_message_at != now:
        conversation.last_message_at = now
    if conversation.updated_at != now:
        conversation.updated_at = now
    session.flush()
    return message
