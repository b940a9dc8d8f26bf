"""Anonymous visitors of the chat widget (`ACCORD_WIDGET_ANONYMOUS`): each visitor becomes a
customer of their own with a credential, a customer API token like any access code (only its
SHA-256 is stored; the secret is shown once), so every guard in `inbox/access.py` applies to
them unchanged: a visitor sees that customer's conversations and nothing else.

Nothing a visitor types is verified. Their email therefore never becomes an `email` identity:
mail from that address would thread into the visitor's conversations, and matching it to an
existing customer would hand a stranger that customer's chats. Agents read it in an internal
note on the conversation instead, marked as not verified.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.auth.models import ApiToken
from accord.core.principal import SYSTEM, Principal, customer
from accord.inbox import service as inbox_service
from accord.inbox.customer_codes import issue_customer_code
from accord.inbox.models import Direction
from accord.inbox.schemas import CustomerCreate, MessageCreate

VISITOR_TAG = "visitor"
# The credential's name marks the customer as a visitor: an agent issuing a code by hand never
# makes a visitor, and the mark goes through the token write path (no extra table).
CREDENTIAL_NAME = "chat widget visitor"


@dataclass(frozen=True)
class NewVisitor:
    principal: Principal
    name: str
    credential: str  # the secret: returned to the widget once, never stored


def create_visitor(session: Session, *, name: str, lifetime_days: int) -> NewVisitor:
    """A new customer for an anonymous visitor and the credential the widget keeps."""
    row = inbox_service.create_customer(session, actor=SYSTEM, data=CustomerCreate(name=name))
    secret, _token = issue_customer_code(
        session,
        actor=SYSTEM,
        customer_id=row.id,
        name=CREDENTIAL_NAME,
        expires_in_days=lifetime_days,
    )
    return NewVisitor(customer(row.id), row.name, secret)


def is_visitor(session: Session, customer_id: int) -> bool:
    found = session.scalar(
        select(ApiToken.id)
        .where(ApiToken.customer_id == customer_id, ApiToken.name == CREDENTIAL_NAME)
        .limit(1)
    )
    return found is not None


def note_for_agents(
    session: Session, *, conversation_id: int, name: str, email: str | None
) -> None:
    """Tells agents, on the conversation itself, that who wrote it is only what they typed."""
    given = f"Email given: {email}" if email else "No email given"
    text = (
        f"Started by an anonymous visitor in the chat widget. Name given: {name}. {given}. "
        "Neither is verified: do not treat this person as a known customer."
    )
    inbox_service.add_message(
        session,
        actor=SYSTEM,
        conversation_id=conversation_id,
        data=MessageCreate(text=text, direction=Direction.NOTE),
    )
