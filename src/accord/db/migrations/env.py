"""Alembic environment: one migration history for SQLite and PostgreSQL.

Batch mode (`render_as_batch`) lets ALTERs run on SQLite by copying the table; the naming
convention on Base.metadata makes constraint names identical on both backends.
"""

from __future__ import annotations

from alembic import context

from accord.db.base import Base
from accord.db.engine import make_engine
from accord.models import load_all_models
from accord.settings import get_settings

load_all_models()
config = context.config
url = config.get_main_option("sqlalchemy.url") or get_settings().database_url


def run_offline() -> None:
    context.configure(
        url=url, target_metadata=Base.metadata, literal_binds=True, render_as_batch=True
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            _run(conn)
    finally:
        engine.dispose()


def _run(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=Base.metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
