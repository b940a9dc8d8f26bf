from __future__ import annotations

import pytest
from sqlalchemy import select

from accord.audit.models import Event
from accord.audit.service import AppendOnlyViolation
from accord.db.engine import Database
from tests.world import World


def test_events_cannot_be_rewritten_or_deleted(db: Database, world: World) -> None:
    with pytest.raises(AppendOnlyViolation), db.write() as s:
        event = s.scalars(select(Event)).first()
        assert event is not None
        event.kind = "rewritten"
    with pytest.raises(AppendOnlyViolation), db.write() as s:
        event = s.scalars(select(Event)).first()
        s.delete(event)
    with db.read() as s:
        assert "rewritten" not in set(s.scalars(select(Event.kind)))
