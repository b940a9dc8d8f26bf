"""The migration history builds the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from accord.db.base import Base
from accord.db.engine import Database, make_engine
from accord.db.migrate import current_revision, upgrade
from accord.models import load_all_models


def _drift(url: str) -> list[object]:
    load_all_models()
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            return list(compare_metadata(context, Base.metadata))
    finally:
        engine.dispose()


def test_upgrade_on_an_empty_sqlite_file_has_no_drift(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    assert current_revision(url) is None
    upgrade(url)
    assert current_revision(url) is not None
    assert _drift(url) == []
    upgrade(url)  # running it again is a no-op


def test_the_test_database_is_at_head_without_drift(db: Database) -> None:
    """`db` was built by the migrations (SQLite copy or PostgreSQL clone)."""
    assert current_revision(db.url) is not None
    assert _drift(db.url) == []
