"""The quarantine through the API (supervisors and admins) and `accord import mail`."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from accord.cli.main import app
from accord.db.engine import Database
from accord.inbox.channels.email.service import ingestor
from accord.settings import Settings
from tests.unit.mail.factory import mail
from tests.world import World


def test_quarantine_list_and_reprocess_over_the_api(
    client: TestClient, world: World, db: Database, settings: Settings
) -> None:
    ingest = ingestor(db, settings)
    bad = ingest.receive(mail(sender="nobody"), "api-test")
    ingest.process(bad)
    listed = client.get("/api/v1/mail/quarantine", headers=world.headers("supervisor"))
    assert listed.status_code == 200
    body = listed.json()
    assert body["total"] == 1 and body["items"][0]["id"] == bad
    assert "From header" in body["items"][0]["reason"]
    denied = client.get("/api/v1/mail/quarantine", headers=world.headers("agent_x"))
    assert denied.status_code == 403
    again = client.post(
        "/api/v1/mail/quarantine/reprocess",
        json={"ids": [bad]},
        headers=world.headers("admin"),
    )
    assert again.status_code == 200 and again.json() == {"results": {str(bad): "quarantined"}}


def test_import_mail_folder_twice_and_list_quarantine(cli_env: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["migrate"]).exit_code == 0
    folder = cli_env / "mails"
    (folder / "sub").mkdir(parents=True)
    (folder / "one.eml").write_bytes(mail(message_id="<one@customer.example>"))
    (folder / "sub" / "two.eml").write_bytes(mail(message_id="<two@customer.example>"))
    (folder / "bad.eml").write_bytes(b"\x00\x01 not a mail")
    first = runner.invoke(app, ["import", "mail", str(folder)])
    assert first.exit_code == 0, first.output
    assert "2 processed" in first.output and "1 quarantined" in first.output
    second = runner.invoke(app, ["import", "mail", str(folder)])
    assert "2 already_processed" in second.output and " processed" not in second.output.replace(
        "already_processed", ""
    )
    listed = runner.invoke(app, ["mail", "quarantine"])
    assert "1 quarantined" in listed.output and "From header" in listed.output


def test_attachments_download_safely_and_only_for_those_who_see_the_message(
    client: TestClient, world: World, db: Database, settings: Settings
) -> None:
    # A hostile name on a text file declared as HTML (an HTML file itself is no longer kept:
    # test_attachments.py); the download never trusts either.
    raw = (
        b"From: a@customer.example\r\nSubject: evidence\r\nMessage-ID: <att@customer.example>\r\n"
        b'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="x"\r\n\r\n--x\r\n'
        b"Content-Type: text/plain\r\n\r\nSee attached\r\n--x\r\nContent-Type: text/html\r\n"
        b"Content-Disposition: attachment; filename*=UTF-8''..%2F%3Cscript%3E%C3%A9.txt\r\n\r\n"
        b"alert(document.cookie)</script>\r\n--x--\r\n"
    )
    ingest = ingestor(db, settings)
    assert ingest.process(ingest.receive(raw, "t")) == "processed"
    conv = client.get("/api/v1/conversations", headers=world.headers("customer_a")).json()
    mine = next(c for c in conv["items"] if c["subject"] == "evidence")
    messages = client.get(
        f"/api/v1/conversations/{mine['id']}/messages", headers=world.headers("supervisor")
    ).json()
    [meta] = next(m for m in messages if m["direction"] == "inbound")["attachments"]
    url = f"/api/v1/conversations/{mine['id']}/attachments/{meta['id']}"
    got = client.get(url, headers=world.headers("customer_a"))
    assert got.status_code == 200 and got.content.startswith(b"alert(")
    assert got.headers["content-type"] == "application/octet-stream"
    assert got.headers["x-content-type-options"] == "nosniff"
    assert got.headers["content-security-policy"].startswith("sandbox")
    disposition = got.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="..__script__.txt"')
    assert "filename*=UTF-8''..%2F%3Cscript%3E%C3%A9.txt" in disposition
    assert client.get(url, headers=world.headers("customer_b")).status_code == 404
    traversal = f"/api/v1/conversations/{mine['id']}/attachments/..%2F..%2Fetc%2Fpasswd"
    assert client.get(traversal, headers=world.headers("admin")).status_code == 404
