"""What the admin page of a customer shows before an export or an erasure."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from accord.auth.access import require_admin
from accord.auth.models import ApiToken
from accord.core.principal import Principal
from accord.gdpr import scope
from accord.inbox.access import load_customer
from accord.inbox.models import Customer, CustomerErasure, Message


@dataclass(frozen=True)
class CustomerOverview:
    customer: Customer
    identities: list[tuple[str, str]]
    conversations: int
    messages: int
    access_tokens: int
    erasure: CustomerErasure | None


def overview(session: Session, actor: Principal, customer_id: int) -> CustomerOverview:
    require_admin(actor)
    customer = load_customer(session, actor, customer_id)
    conversations = scope.conversation_ids(customer_id).subquery()
    messages = select(func.count(Message.id)).where(Message.id.in_(scope.message_ids(customer_id)))
    tokens = select(func.count(ApiToken.id)).where(ApiToken.customer_id == customer_id)
    return CustomerOverview(
        customer=customer,
        identities=[(i.kind, i.value) for i in customer.identities],
        conversations=session.scalar(select(func.count()).select_from(conversations)) or 0,
        messages=session.scalar(messages) or 0,
        access_tokens=session.scalar(tokens) or 0,
        erasure=session.get(CustomerErasure, customer_id),
    )
