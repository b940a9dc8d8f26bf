"""The analysis reacts to the inbox's events (see :mod:`accord.core.events`)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from accord.core.events import subscribe
from accord.inbox.events import MessageStored
from accord.inbox.models import Direction
from accord.insights.service import refresh_after_message

ANALYSIS_ORDER = 100  # first: the status rule and the case rules read what it stores


@subscribe(MessageStored, order=ANALYSIS_ORDER)
def analyse_message(session: Session, event: MessageStored) -> None:
    if event.direction != Direction.NOTE:  # an internal note is no part of the conversation
        refresh_after_message(session, event.conversation)
