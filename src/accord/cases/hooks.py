"""What the case layer does after the inbox stores a message: advance the playbook, route an
unrouted conversation, and apply escalation rules. Like the analysis, it must never cost the
message itself, so it runs in a savepoint and failures are logged."""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session

from accord.cases.escalation_service import evaluate
from accord.cases.routing import route
from accord.cases.service import on_message
from accord.inbox.models import Conversation, Message

log = logging.getLogger("accord.cases")


def after_message(session: Session, conversation: Conversation, message: Message) -> None:
    try:
        with session.begin_nested():
            case = on_message(session, conversation, message)
            route(session, conversation)
            evaluate(session, conversation, case)
    except Exception:  # the stored message matters more than the guidance around it
        log.exception("case update for conversation %s failed", conversation.id)
