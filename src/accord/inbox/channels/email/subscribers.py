"""The email channel reacts to the inbox's events (see :mod:`accord.core.events`): an agent's
reply on an email conversation is queued in the outbox, in the reply's transaction."""

from __future__ import annotations

from sqlalchemy.orm import Session

from accord.core.events import subscribe
from accord.inbox.channels.email import outbox
from accord.inbox.events import MessageStored

OUTBOX_ORDER = 400  # last: the reply is queued once everything about it is settled


@subscribe(MessageStored, order=OUTBOX_ORDER)
def queue_reply(session: Session, event: MessageStored) -> None:
    outbox.after_message(session, event.conversation, event.message)
