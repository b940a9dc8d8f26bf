"""Fixtures of the unit tests that run huey tasks."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from accord.db.engine import Database
from accord.settings import get_settings


@pytest.fixture
def jobs_env(db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The tasks' settings point at the test's database, with the immediate backend; the
    tasks' cached database is dropped before and after."""
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
