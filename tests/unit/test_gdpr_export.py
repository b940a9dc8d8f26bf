"""The GDPR export holds everything stored about the customer (record, identities, token
metadata, conversations, messages with html, analyses, case and audit events, notifications,
attachment bytes, raw mail, outbound mail, quarantined mail) and nothing of anyone else: not
another customer's conversation that mentions them by name, not a supervisor's alert. Each
export is in the audit trail. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
import stat
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from accord.audit.models import Event
from accord.cli.main import app
from accord.core.errors import NotFound, PermissionDenied
from accord.core.principal import SYSTEM, Role, staff
from accord.db.engine import Database
from accord.gdpr import export_to_file, export_to_path
from accord.gdpr.export import FORMAT
from accord.inbox import service as inbox
from accord.inbox.schemas import ConversationCreate, CustomerCreate, MessageIn
from accord.settings import Settings, get_settings
from tests.unit.privacy_world import Planted, plant, with_mail
from tests.world import World

MARKER = "zq7exportmarker"
NEIGHBOUR = "qx5neighbourmarker"  # only in the other customer's own data


@pytest.fixture
def db(db_and_world: tuple[Database, World]) -> Database:
    return with_mail(db_and_world[0])


@pytest.fixture(autouse=True)
def _fresh_settings() -> Iterator[None]:
    yield
    get_settings.cache_clear()  # the CLI tests point the process's settings at this test


def _export(db: Database, settings: Settings, customer_id: int, path: Path) -> dict[str, bytes]:
    summary = export_to_path(
        db, actor=SYSTEM, customer_id=customer_id, path=path, data_dir=settings.data_dir, via="cli"
    )
    assert summary.bytes == path.stat().st_size
    with zipfile.ZipFile(path) as zf:
        assert zf.testzip() is None
        return {name: zf.read(name) for name in zf.namelist()}


def _neighbour(db: Database, world: World, planted: Planted) -> int:
    """Another customer whose own conversation names the planted customer, in words only."""
    with db.write() as s:
        data = CustomerCreate(name=f"Ann {NEIGHBOUR}", email=f"{NEIGHBOUR}@customer.example")
        other = inbox.create_customer(s, actor=SYSTEM, data=data).id
        opened = ConversationCreate(
            subject=f"Sofa {NEIGHBOUR}",
            customer_id=other,
            team_id=world.team_y,
            message=MessageIn(text=f"My neighbour Zed {planted.marker} Jr has the same sofa."),
        )
        inbox.create_conversation(s, actor=SYSTEM, data=opened)
    return other


def _json(members: dict[str, bytes], name: str) -> Any:
    return json.loads(members[name])


def test_the_export_holds_everything_about_the_customer(
    db: Database, world: World, settings: Settings, tmp_path: Path
) -> None:
    planted = plant(db, world, settings.data_dir, MARKER)
    members = _export(db, settings, planted.customer_id, tmp_path / "m.zip")

    manifest = _json(members, "manifest.json")
    assert (manifest["format"], manifest["version"]) == (FORMAT, 1)
    assert manifest["customer_id"] == planted.customer_id
    listed = {f["path"]: f for f in manifest["files"]}
    assert set(listed) == set(members) - {"manifest.json"}
    assert all(f["bytes"] == len(members[p]) for p, f in listed.items())

    record = _json(members, "customer.json")
    assert record["customer"]["name"] == f"Zed {MARKER} Jr"
    assert record["identities"][0]["value"] == planted.email
    token = record["access_tokens"][0]
    assert token["name"] == f"code for {MARKER}" and "token_hash" not in token
    kinds = {e["kind"] for e in record["events"]}
    assert {"customer.created", "customer.updated", "token.created"} <= kinds
    assert [m["id"] for m in record["mail_in_unthreaded"]] == [planted.quarantined]
    assert record["conversation_ids"] == planted.conversation_ids

    api, mail = (_json(members, f"conversations/{c}.json") for c in planted.conversation_ids)
    assert api["subject"] == f"Refund {MARKER}" and api["analysis"]["heat"] >= 0
    said = api["messages"][0]
    assert MARKER in json.dumps(said["analysis"]["result"])  # evidence quoting their words
    assert any(m["direction"] == "note" for m in api["messages"])
    assert api["case"]["escalation_level"] >= 1 and api["case_events"]
    assert {"conversation.created", "conversation.escalated"} <= {e["kind"] for e in api["events"]}
    assert api["notifications"][0]["payload"]["conversation"]["subject"] == f"Refund {MARKER}"

    inbound = mail["messages"][0]
    assert MARKER in inbound["html"]
    attachment = inbound["attachments"][0]
    assert attachment["filename"] == "receipt.txt"
    assert members[attachment["archive_path"]] == f"receipt {MARKER}".encode()
    raw = mail["mail_in"][0]
    assert MARKER.encode() in members[raw["archive_path"]]
    sent = mail["mail_out"]
    assert [m["recipient"] for m in sent] == [planted.email]  # not the supervisors' alerts
    assert b"we are on it" in members[sent[0]["archive_path"]]
    for name, value in (("attachments", 1), ("conversations", 2), ("mail_in_unthreaded", 1)):
        assert manifest["counts"][name] == value


def test_nothing_of_another_customer_is_exported(
    db: Database, world: World, settings: Settings, tmp_path: Path
) -> None:
    planted = plant(db, world, settings.data_dir, MARKER)
    neighbour = _neighbour(db, world, planted)

    theirs = _export(db, settings, planted.customer_id, tmp_path / "m.zip")
    blob = b"\n".join(theirs.values()).lower()
    for other in (NEIGHBOUR, "customer b", "b@customer.example", "late sofa", "supervisor@"):
        assert other.encode() not in blob, other
    assert len([n for n in theirs if n.startswith("conversations/")]) == 2

    # The neighbour's export has their own words about the customer, and nothing of the
    # customer's own: not their conversations, mail or attachments.
    mine = _export(db, settings, neighbour, tmp_path / "n.zip")
    assert set(mine) == {"manifest.json", "customer.json", f"conversations/{_only(mine)}.json"}
    text = b"\n".join(mine.values()).decode()
    assert f"Zed {MARKER} Jr has the same sofa" in text
    for own in (planted.email, f"Refund {MARKER}", f"Parcel {MARKER}", f"code for {MARKER}"):
        assert own not in text, own


def _only(members: dict[str, bytes]) -> int:
    (conversation,) = _json(members, "customer.json")["conversation_ids"]
    return int(conversation)


def test_only_admins_export_and_every_export_is_recorded(
    db: Database, world: World, settings: Settings, tmp_path: Path
) -> None:
    agent = staff(world.users["agent_x"], Role.AGENT, frozenset({world.team_x}))
    supervisor = staff(world.users["supervisor"], Role.SUPERVISOR)
    for who in (agent, supervisor):
        with pytest.raises(PermissionDenied), (tmp_path / "x.zip").open("wb") as out:
            export_to_file(
                db, actor=who, customer_id=world.customer_a, out=out, data_dir=tmp_path, via="api"
            )
    with pytest.raises(NotFound), (tmp_path / "x.zip").open("wb") as out:
        export_to_file(db, actor=SYSTEM, customer_id=99999, out=out, data_dir=tmp_path, via="cli")
    members = _export(db, settings, world.customer_a, tmp_path / "a.zip")
    with db.read() as s:
        (event,) = s.scalars(select(Event).where(Event.kind == "customer.exported")).all()
    counts = _json(members, "manifest.json")["counts"]
    assert event.data["customer_id"] == world.customer_a and event.data["via"] == "cli"
    assert event.data["counts"] == counts and event.data["bytes"] > 0


def test_accord_customer_export_writes_a_private_file(
    db: Database,
    world: World,
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ACCORD_DATABASE_URL", db.url)
    monkeypatch.setenv("ACCORD_DATA_DIR", str(settings.data_dir))
    get_settings.cache_clear()
    out = tmp_path / "a.zip"
    done = CliRunner().invoke(
        app, ["customer", "export", "--id", str(world.customer_a), "--out", str(out)]
    )
    assert done.exit_code == 0, done.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    with zipfile.ZipFile(out) as zf:
        record = json.loads(zf.read("customer.json"))
    assert record["customer"]["name"] == "Customer A"
    missing = CliRunner().invoke(app, ["customer", "export", "--id", "99999", "--out", str(out)])
    assert missing.exit_code == 1 and "not found" in missing.output
    assert not list(tmp_path.glob(".*.partial"))
