"""The periodic session purge, run through its huey task against a real database."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from accord.auth.models import User, WebSession
from accord.auth.service import open_web_session
from accord.core.clock import FixedClock, get_clock, set_clock
from accord.db.engine import Database
from accord.settings import get_settings
from tests.world import World


@pytest.fixture
def jobs_env(db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("ACCORD_DATABASE_URL", db.url)
    monkeypatch.setenv("ACCORD_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ACCORD_JOBS_BACKEND", "immediate")
    get_settings.cache_clear()
    from accord.jobs import tasks

    tasks._database.cache_clear()
    yield
    tasks._database().dispose()
    tasks._database.cache_clear()
    get_settings.cache_clear()


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
