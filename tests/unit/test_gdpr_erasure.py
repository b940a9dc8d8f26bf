"""Erasure leaves nothing of the customer: a marker planted in their name, e-mail address,
messages, html, attachment, raw mail, analysis, escalation reason, audit details and access-code
label is found nowhere afterwards, in any column of any table (read by reflection), in any file
under the data dir, or (SQLite) in the database file and its write-ahead log; the other
customer's data is exactly as it was. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
import logging
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import MetaData, select
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from accord.audit.models import Event
from accord.cli.main import app
from accord.core.errors import Conflict
from accord.core.principal import SYSTEM, Role, staff
from accord.db.engine import Database
from accord.gdpr import erase, export_to_path
from accord.gdpr.erasure import ERASED_NAME
from accord.gdpr.service import checkpoint
from accord.inbox import service as inbox
from accord.inbox.models import Customer, CustomerErasure
from accord.inbox.schemas import CustomerUpdate
from accord.settings import Settings, get_settings
from tests.unit.privacy_world import plant, with_mail
from tests.world import World

MARKER = "zq7erasemarker"


@pytest.fixture
def db(db_and_world: tuple[Database, World]) -> Database:
    return with_mail(db_and_world[0])


@pytest.fixture(autouse=True)
def _fresh_settings() -> Iterator[None]:
    yield
    get_settings.cache_clear()  # the CLI tests point the process's settings at this test


def db_hits(db: Database, marker: str) -> list[str]:
    """Every column of every table, as the database reflects it, with the marker in it."""
    meta = MetaData()
    meta.reflect(bind=db.engine)
    hits = []
    with db.engine.connect() as conn:
        for table in meta.sorted_tables:
            for row in conn.execute(select(table)).mappings():
                hits += [
                    f"{table.name}.{column}" for column, value in row.items() if _has(value, marker)
                ]
    return hits


def _has(value: Any, marker: str) -> bool:
    if value is None:
        return False
    if isinstance(value, bytes | bytearray | memoryview):
        return marker.encode() in bytes(value).lower()
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    return marker in text.lower()


def file_hits(root: Path, marker: str) -> list[str]:
    found = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        if marker.encode() in path.read_bytes().lower():
            found.append(str(path.relative_to(root)))
    return found


def sqlite_files(db: Database) -> list[Path]:
    if not db.is_sqlite:
        return []
    main = Path(str(make_url(db.url).database))
    return [p for p in (main, main.with_name(main.name + "-wal")) if p.exists()]


def other_customer(db: Database, world: World, data_dir: Path, tmp_path: Path) -> dict[str, Any]:
    """Customer B as the export sees them: every member but the manifest, without the audit
    events of the exports made for this comparison."""
    path = tmp_path / f"b-{len(list(tmp_path.glob('b-*.zip')))}.zip"
    export_to_path(
        db, actor=SYSTEM, customer_id=world.customer_b, path=path, data_dir=data_dir, via="cli"
    )
    with zipfile.ZipFile(path) as zf:
        members: dict[str, Any] = {n: zf.read(n) for n in zf.namelist() if n != "manifest.json"}
    record = json.loads(members["customer.json"])
    record["events"] = [e for e in record["events"] if e["kind"] != "customer.exported"]
    members["customer.json"] = record
    return members


def test_erasure_leaves_no_trace_of_the_customer_and_spares_the_other(
    db: Database,
    world: World,
    settings: Settings,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    planted = plant(db, world, settings.data_dir, MARKER)
    before_b = other_customer(db, world, settings.data_dir, tmp_path)
    stored = db_hits(db, MARKER)
    # The scan sees what was planted, everywhere it was planted.
    for place in (
        "customers.name",
        "customer_identities.value",
        "messages.text",
        "messages.html",
        "message_insights.result",
        "conversations.subject",
        "mail_raw.sender",
        "mail_outbox.raw",
        "notifications.payload",
        "case_events.data",
        "events.data",
        "api_tokens.name",
    ):
        assert place in stored, place
    assert {p.split("/")[1] for p in file_hits(settings.data_dir, MARKER)} == {
        "raw",
        "attachments",
    }

    if db.is_sqlite:  # as a long-running database would be: the rows are in the main file
        checkpoint(db)
    admin = staff(world.users["admin"], Role.ADMIN)
    with caplog.at_level(logging.DEBUG):
        tombstone = erase(
            db, actor=admin, customer_id=planted.customer_id, data_dir=settings.data_dir, via="api"
        )

    assert db_hits(db, MARKER) == []
    assert file_hits(settings.data_dir, MARKER) == []
    for path in sqlite_files(db):  # the database file itself keeps no deleted bytes
        assert MARKER.encode() not in path.read_bytes().lower(), path.name
    assert MARKER not in caplog.text.lower()
    assert other_customer(db, world, settings.data_dir, tmp_path) == before_b

    counts = tombstone.counts
    assert counts["conversations"] == 2
    assert counts["mail_in"] == 2  # the threaded mail and the quarantined one
    assert counts["files"] == 3  # two raw mails and the attachment
    assert counts["access_tokens"] == 1 and counts["identities"] == 1
    assert counts["mail_out"] >= 2 and counts["notifications"] >= 1
    assert counts["events_redacted"] >= 2  # customer.updated (name), token.created (label)
    with db.read() as s:
        row = s.get(Customer, planted.customer_id)
        assert row is not None and row.name == ERASED_NAME and row.blocked
        assert s.get(CustomerErasure, planted.customer_id) is not None
        erased = s.scalars(select(Event).where(Event.kind == "customer.erased")).one()
        assert erased.actor_user_id == world.users["admin"]
        assert erased.data == {"customer_id": planted.customer_id, "via": "api", "counts": counts}
        renamed = s.scalars(select(Event).where(Event.kind == "customer.updated")).all()
        assert {"customer_id": planted.customer_id, "name": "[erased]"} in [e.data for e in renamed]


def test_an_erased_customer_cannot_be_erased_again_or_brought_back(
    db: Database, world: World, settings: Settings
) -> None:
    planted = plant(db, world, settings.data_dir, MARKER)
    erase(db, actor=SYSTEM, customer_id=planted.customer_id, data_dir=settings.data_dir, via="cli")
    with pytest.raises(Conflict):
        erase(
            db, actor=SYSTEM, customer_id=planted.customer_id, data_dir=settings.data_dir, via="cli"
        )
    with pytest.raises(Conflict), db.write() as s:
        data = CustomerUpdate(name="Someone else", blocked=False)
        inbox.update_customer(s, actor=SYSTEM, customer_id=planted.customer_id, data=data)


def test_accord_customer_erase_asks_first_and_records_it(
    db: Database,
    world: World,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    planted = plant(db, world, settings.data_dir, MARKER)
    monkeypatch.setenv("ACCORD_DATABASE_URL", db.url)
    monkeypatch.setenv("ACCORD_DATA_DIR", str(settings.data_dir))
    get_settings.cache_clear()
    runner = CliRunner()
    args = ["customer", "erase", "--id", str(planted.customer_id)]
    declined = runner.invoke(app, args, input="n\n")
    assert declined.exit_code == 1 and db_hits(db, MARKER)
    done = runner.invoke(app, [*args, "--yes"])
    assert done.exit_code == 0, done.output
    assert f"customer {planted.customer_id} erased" in done.output
    assert db_hits(db, MARKER) == [] and file_hits(settings.data_dir, MARKER) == []
    with db.read() as s:
        tombstone = s.get(CustomerErasure, planted.customer_id)
        assert tombstone is not None and (tombstone.via, tombstone.erased_by) == ("cli", "system")
    again = runner.invoke(app, [*args, "--yes"])
    assert again.exit_code == 1 and "erased already" in again.output
