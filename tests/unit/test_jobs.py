"""The periodic session purge, run through its huey task against a real database."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from accord.auth.models import User, WebSession
from accord.auth.service import open_web_session
from accord.core.clock import FixedClock, get_clock, set_clock
from accord.db.engine import Database
from tests.world import World


def test_purge_sessions_removes_only_expired_ones(
    db: Database, world: World, jobs_env: None
) -> None:
    from accord.jobs.tasks import purge_sessions

    previous = get_clock()
    with db.write() as s:
        user = s.get(User, world.users["agent_x"])
        assert user is not None
        set_clock(FixedClock(previous.now() - timedelta(hours=2)))
        try:
            open_web_session(s, user, timedelta(hours=1))  # expired an hour ago
        finally:
            set_clock(previous)
        open_web_session(s, user, timedelta(hours=1))  # still valid
    assert purge_sessions.call_local() == 1
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(WebSession)) == 1
