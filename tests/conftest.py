"""Shared fixtures: a real database per test on SQLite and, when ACCORD_TEST_POSTGRES_URL is
set (as `.ci/run` does), on PostgreSQL too.

The schema is built once per session with the real Alembic migrations, together with a small
"world" (two teams, staff of every role, two customers with conversations, tokens). Each test
then gets a private copy: a copied SQLite file, or a PostgreSQL database cloned from a template.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from accord.api.app import create_app
from accord.core.clock import FixedClock, get_clock, set_clock
from accord.db.engine import Database
from accord.db.migrate import upgrade
from accord.settings import Settings
from tests.world import World, build_world

PG_ADMIN_URL = os.environ.get("ACCORD_TEST_POSTGRES_URL")
BACKENDS = ["sqlite", *(["postgresql"] if PG_ADMIN_URL else [])]


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, World]:
    path = tmp_path_factory.mktemp("template") / "accord.db"
    url = f"sqlite:///{path}"
    upgrade(url)
    db = Database(url)
    world = build_world(db)
    db.dispose()
    return path, world


class PgCluster:
    """Creates and drops throwaway databases on the test PostgreSQL server."""

    def __init__(self, admin_url: str) -> None:
        self.admin_url = make_url(admin_url).set(drivername="postgresql+psycopg")
        self.engine = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        self.prefix = f"accord_t{os.getpid()}_{uuid.uuid4().hex[:6]}"
        self.created: list[str] = []

    def url(self, name: str) -> str:
        return self.admin_url.set(database=name).render_as_string(hide_password=False)

    def create(self, name: str, template: str | None = None) -> str:
        clause = f' TEMPLATE "{template}"' if template else ""
        with self.engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"{clause}'))
        self.created.append(name)
        return self.url(name)

    def drop_all(self) -> None:
        with self.engine.connect() as conn:
            for name in reversed(self.created):
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.engine.dispose()


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PgCluster]:
    if not PG_ADMIN_URL:
        pytest.skip("set ACCORD_TEST_POSTGRES_URL to run PostgreSQL tests")
    cluster = PgCluster(PG_ADMIN_URL)
    yield cluster
    cluster.drop_all()


@pytest.fixture(scope="session")
def pg_template(pg_cluster: PgCluster) -> tuple[str, World]:
    name = f"{pg_cluster.prefix}_tmpl"
    url = pg_cluster.create(name)
    upgrade(url)
    db = Database(url)
    world = build_world(db)
    db.dispose()
    return name, world


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def db_and_world(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[Database, World]]:
    if backend == "sqlite":
        template, world = request.getfixturevalue("sqlite_template")
        path = tmp_path / "accord.db"
        shutil.copyfile(template, path)
        database = Database(f"sqlite:///{path}")
    else:
        cluster: PgCluster = request.getfixturevalue("pg_cluster")
        name, world = request.getfixturevalue("pg_template")
        database = Database(cluster.create(f"{cluster.prefix}_{uuid.uuid4().hex[:8]}", name))
    yield database, world
    database.dispose()


@pytest.fixture
def db(db_and_world: tuple[Database, World]) -> Database:
    return db_and_world[0]


@pytest.fixture
def world(db_and_world: tuple[Database, World]) -> World:
    return db_and_world[1]


@pytest.fixture
def settings(tmp_path: Path, db: Database) -> Settings:
    return Settings(data_dir=tmp_path / "data", database_url=db.url, jobs_backend="immediate")


@pytest.fixture
def client(settings: Settings, db: Database) -> Iterator[TestClient]:
    with TestClient(create_app(settings, database=db)) as test_client:
        yield test_client


@pytest.fixture
def clock() -> Iterator[FixedClock]:
    """The one test clock: stands still (on a whole minute just ahead of now) until the test
    moves it with ``advance``; the real clock comes back afterwards."""
    previous = get_clock()
    fixed = FixedClock(previous.now().replace(second=0, microsecond=0) + timedelta(minutes=1))
    set_clock(fixed)
    try:
        yield fixed
    finally:
        set_clock(previous)


# `make test-fast` leaves these out (`-m "not slow"`); `make test` and CI run everything.
# A real browser, the second database backend, and the modules that measured over a few
# seconds each in `make test --durations` (listed in SLOW_MODULES).
SLOW_FIXTURES = frozenset({"browser", "page", "demo_server"})
SLOW_MODULES = frozenset(
    {
        "test_crash_injection.py",
        "test_schemathesis.py",
        "test_web_access.py",
        "test_access_matrix.py",
        "test_id_params.py",
        "test_xss.py",
        "test_xss_http.py",
        "test_xss_customer.py",
        "test_journey.py",
        "test_widget_visitors.py",
        "test_pattern_gate.py",
        "test_sla_calendar_oracle.py",
        "test_cli.py",
        "test_ingest.py",
        "test_pages.py",
        "test_input_safety.py",
        "test_demo.py",
        "test_auth.py",
        "test_api_findings.py",
    }
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        on_postgres = getattr(item, "callspec", None) and "postgresql" in str(
            item.callspec.params.get("backend", "")  # type: ignore[attr-defined]
        )
        if fixtures & SLOW_FIXTURES or on_postgres or item.path.name in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)
