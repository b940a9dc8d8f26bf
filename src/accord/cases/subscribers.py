"""The case layer reacts to the inbox's events (see :mod:`accord.core.events`): the status a
message implies, then the playbook, routing, SLA and escalation rules (:mod:`.hooks`)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from accord.cases import hooks
from accord.cases.escalation import routing
from accord.cases.lifecycle import status_after_message
from accord.core.events import subscribe
from accord.inbox.events import ConversationChanged, MessageStored
from accord.inbox.models import Direction

STATUS_ORDER = 200  # after the analysis (it reads "only thanks"), before the SLA clocks
CASE_ORDER = 300


@subscribe(MessageStored, order=STATUS_ORDER)
def update_status(session: Session, event: MessageStored) -> None:
    # Not caught: a status that cannot change must not leave the message looking handled.
    status_after_message(session, event.actor, event.conversation, event.message)


@subscribe(MessageStored, order=CASE_ORDER)
def follow_case(session: Session, event: MessageStored) -> None:
    if event.direction != Direction.NOTE:
        hooks.after_message(session, event.conversation, event.message)


@subscribe(ConversationChanged, order=STATUS_ORDER)
def supervisor_assignment(session: Session, event: ConversationChanged) -> None:
    """A supervisor's choice of assignee is a routing override, whichever way it was made
    (web form or API): automatic routing and escalation keep it."""
    actor, conversation = event.actor, event.conversation
    chosen = "assignee_id" in event.changed and conversation.assignee_id is not None
    if chosen and actor.kind == "staff" and actor.sees_all_conversations:
        previous = event.before.get("assignee_id")
        assert previous is None or isinstance(previous, int)
        routing.record_override(session, actor, conversation, previous, "assigned by a supervisor")


@subscribe(ConversationChanged, order=CASE_ORDER)
def follow_change(session: Session, event: ConversationChanged) -> None:
    hooks.after_update(session, event.conversation, event.changed)
