"""Engines and sessions.

SQLite gets the pragmas that make it a safe embedded default: WAL (readers never block the
writer), a busy timeout, enforced foreign keys, and BEGIN IMMEDIATE for write transactions so
two writers queue on the lock instead of failing late with 'database is locked'.

A database built with the settings of the app, command or job that runs it hands them to each
session it opens (``session.info``, read by `accord.settings.settings_of`): the domain services
are configured through the session they are given, not by a process-wide global.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from accord.core.errors import Conflict, VersionConflict
from accord.settings import SESSION_KEY, Settings, embedded_defaults

IMMEDIATE = "accord_sqlite_immediate"


def make_engine(url: str, **kwargs: Any) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        if parsed.drivername == "postgresql":
            url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
        return create_engine(url, pool_pre_ping=True, **kwargs)
    engine = create_engine(url, connect_args={"check_same_thread": False}, **kwargs)
    _install_sqlite_hooks(engine)
    return engine


def _install_sqlite_hooks(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Take transaction control away from pysqlite so we can issue BEGIN ourselves.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get(IMMEDIATE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class Database:
    """One engine and two session factories: reads (deferred) and writes (immediate)."""

    def __init__(self, url: str, *, settings: Settings | None = None) -> None:
        self.url = url
        # What the domain services read through the sessions (accord.settings.settings_of).
        self.settings = settings or embedded_defaults()
        self.engine = make_engine(url)
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(
            self.engine.execution_options(**{IMMEDIATE: True}), expire_on_commit=False
        )

    def with_settings(self, settings: Settings) -> Database:
        """The same engine and connections, with sessions that carry ``settings``: an app given
        a database serves it with its own settings, and the caller's object is left as it was."""
        bound = copy.copy(self)
        bound.settings = settings
        return bound

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def reader(self) -> Session:
        return self._read(info={SESSION_KEY: self.settings})

    def writer(self) -> Session:
        return self._write(info={SESSION_KEY: self.settings})

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A write transaction: commit on success, roll back on any error.

        Races that the database detects become domain errors: a concurrent update of a
        versioned row (optimistic concurrency) or a unique key taken meanwhile is a 409.
        """
        try:
            with self.writer() as session, session.begin():
                yield session
        except StaleDataError as exc:
            raise VersionConflict("the resource was changed by someone else; reload it") from exc
        except IntegrityError as exc:
            raise Conflict("the change conflicts with existing data") from exc

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self.reader() as session:
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
