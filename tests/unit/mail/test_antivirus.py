"""Attachments scanned by a real ClamAV daemon (ACCORD_CLAMD_SOCKET, antivirus.py).

clamd runs privately on a Unix socket in a temp dir with one signature database written here
(`accord.ndb`: a marker string), because the official databases come only from the internet
(freshclam). The detection path is ClamAV's own: it unpacks the docx and finds the marker in a
deflated entry. Skipped, with the reason, when clamd is not installed (`apt-get install
clamav-daemon`) or does not start.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from accord.db.engine import Database
from accord.inbox.channels.email import antivirus
from accord.inbox.channels.email.config import MailConfig
from accord.inbox.channels.email.ingest import Ingestor
from accord.inbox.channels.email.models import RawMail
from accord.inbox.channels.email.store import MailStore
from accord.inbox.models import Message
from tests.unit.mail.factory import SUPPORT, docx_file, pdf_file, png_file, with_attachments

MARKER = b"ACCORD-TEST-MALWARE-MARKER-7f3a"
SIGNATURE = "Accord.Test.Marker"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(scope="module")
def clamd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    binary = shutil.which("clamd", path="/usr/sbin:/usr/local/sbin:/usr/bin")
    if binary is None:
        pytest.skip("clamd is not installed (apt-get install clamav-daemon)")
    home = tmp_path_factory.mktemp("clamd")
    (home / "db").mkdir()
    (home / "db" / "accord.ndb").write_text(f"{SIGNATURE}:0:*:{MARKER.hex()}\n")
    sock = home / "clamd.sock"
    conf = home / "clamd.conf"
    conf.write_text(
        f"LocalSocket {sock}\nDatabaseDirectory {home / 'db'}\nForeground yes\n"
        f"LogFile {home / 'clamd.log'}\nPidFile {home / 'clamd.pid'}\nStreamMaxLength 30M\n"
    )
    process = subprocess.Popen(
        [binary, "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        _wait_for(sock, process)
        yield str(sock)
    finally:
        process.terminate()
        process.wait(timeout=30)
        if process.stderr is not None:
            process.stderr.close()


def _wait_for(sock: Path, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            error = process.stderr.read().decode()[-500:] if process.stderr else ""
            pytest.skip(f"clamd did not start: {error}")
        try:
            with socket.socket(socket.AF_UNIX) as conn:
                conn.settimeout(2)
                conn.connect(str(sock))
                conn.sendall(b"zPING\0")
                if conn.recv(16).startswith(b"PONG"):
                    return
        except OSError:
            time.sleep(0.2)
    process.kill()
    pytest.skip("clamd did not answer within 60 s")


def _message(ingest: Ingestor, db: Database, raw_id: int) -> Message:
    with db.read() as session:
        row = session.get(RawMail, raw_id)
        assert row is not None and row.message_id is not None
        message = session.get(Message, row.message_id)
        assert message is not None
        return message


def test_the_client_speaks_instream_to_a_real_clamd(clamd: str) -> None:
    assert antivirus.scan(clamd, pdf_file()) is None
    assert antivirus.scan(clamd, b"%PDF-1.4\n" + MARKER) == f"{SIGNATURE}.UNOFFICIAL"
    big = bytes(3 * 1024 * 1024) + MARKER  # many INSTREAM chunks, the marker in the last
    assert antivirus.scan(clamd, big) == f"{SIGNATURE}.UNOFFICIAL"


def test_infected_attachments_are_dropped_and_clean_ones_kept(
    clamd: str, db: Database, tmp_path: Path
) -> None:
    infected_docx = docx_file(extra=[("word/media/payload.bin", b"x" * 5000 + MARKER)])
    raw = with_attachments(
        [
            ("invoice.pdf", "application/pdf", pdf_file()),
            ("scan.pdf", "application/pdf", pdf_file() + MARKER),
            ("photo.png", "image/png", png_file()),
            ("claim.docx", DOCX, infected_docx),
        ]
    )
    ingest = Ingestor(db, MailStore(tmp_path / "data"), MailConfig(address=SUPPORT, clamd=clamd))
    raw_id = ingest.receive(raw, "t")
    assert ingest.process(raw_id) == "processed"
    files = _message(ingest, db, raw_id).attachments
    assert [f["filename"] for f in files if not f.get("dropped")] == ["invoice.pdf", "photo.png"]
    found = f"the antivirus scanner found {SIGNATURE}.UNOFFICIAL"
    assert [(f["filename"], f["reason"]) for f in files if f.get("dropped")] == [
        ("scan.pdf", found),
        ("claim.docx", found),
    ]
    stored = [p for p in (tmp_path / "data" / "mail" / "attachments").rglob("*") if p.is_file()]
    assert len(stored) == 2 and not any(MARKER in p.read_bytes() for p in stored)


def test_a_mail_whose_files_cannot_be_scanned_is_quarantined(db: Database, tmp_path: Path) -> None:
    """Fail closed: clamd configured but down holds the mail back, to be reprocessed later."""
    missing = str(tmp_path / "no-clamd.sock")
    config = MailConfig(address=SUPPORT, clamd=missing)
    ingest = Ingestor(db, MailStore(tmp_path / "data"), config)
    raw_id = ingest.receive(with_attachments([("a.pdf", "application/pdf", pdf_file())]), "t")
    assert ingest.process(raw_id) == "quarantined"
    with db.read() as session:
        row = session.get(RawMail, raw_id)
        assert row is not None and row.reason is not None
        assert row.reason.startswith(f"antivirus scan failed: clamd at {missing} is unreachable")
    assert not (tmp_path / "data" / "mail" / "attachments").exists()
    # Mail without attachments needs no scanner.
    plain = ingest.receive(with_attachments([], message_id="<plain@customer.example>"), "t")
    assert ingest.process(plain) == "processed"
