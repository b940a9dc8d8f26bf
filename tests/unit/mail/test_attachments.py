"""The attachment policy (inbox/channels/email/attachments.py, docs/email.md "Attachments"):
only permitted types whose content matches their extension are kept, zip-based office files
unpack within a budget, and everything else is listed on the message as dropped with a reason."""

from __future__ import annotations

import io
import re
import stat
import zipfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.db.engine import Database
from accord.inbox.channels.email import attachments
from accord.inbox.channels.email.ingest import Ingestor
from accord.inbox.channels.email.limits import Limits
from accord.inbox.channels.email.models import RawMail
from accord.inbox.channels.email.parse import parse
from accord.inbox.channels.email.service import ingestor
from accord.inbox.models import Message
from accord.settings import Settings
from tests.unit.mail.factory import docx_file, pdf_file, png_file, with_attachments
from tests.world import World

ROOT = Path(__file__).resolve().parents[3]
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MIB = 1024 * 1024


def _reasons(raw: bytes, limits: Limits | None = None) -> dict[str, str]:
    return {str(d["filename"]): str(d["reason"]) for d in parse(raw, limits).dropped}


def test_a_pdf_renamed_exe_is_dropped() -> None:
    parsed = parse(with_attachments([("invoice.exe", "application/octet-stream", pdf_file())]))
    assert parsed.attachments == []
    assert parsed.dropped == [
        {
            "filename": "invoice.exe",
            "size": len(pdf_file()),
            "reason": "files of type .exe are not accepted",
        }
    ]


def test_a_png_that_is_really_html_is_dropped() -> None:
    html = b"<html><body><script>alert(document.cookie)</script></body></html>"
    raw = with_attachments([("photo.png", "image/png", html), ("notes.txt", "text/plain", html)])
    assert parse(raw).attachments == []
    assert _reasons(raw) == {
        "photo.png": "content does not match .png (wrong signature)",
        "notes.txt": "content does not match .txt (markup, not plain text)",
    }


def test_real_documents_and_images_are_kept_with_their_own_type() -> None:
    files = [
        ("Invoice 1042.PDF", "application/octet-stream", pdf_file()),
        ("photo.png", "image/png", png_file()),
        ("damage.docx", DOCX, docx_file()),
        ("orders.csv", "text/csv", "id;name\n1;Jürgen\n".encode("cp1252")),
        ("signed.pdf.", "application/pdf", pdf_file("signed")),  # trailing dot, as Windows
    ]
    parsed = parse(with_attachments(files))
    assert parsed.dropped == []
    assert [(a.filename, a.content_type, a.data) for a in parsed.attachments] == [
        ("Invoice 1042.PDF", "application/pdf", pdf_file()),
        ("photo.png", "image/png", png_file()),
        ("damage.docx", DOCX, docx_file()),
        ("orders.csv", "text/csv", "id;name\n1;Jürgen\n".encode("cp1252")),
        ("signed.pdf.", "application/pdf", pdf_file("signed")),
    ]


def test_a_file_without_extension_is_checked_as_its_declared_type() -> None:
    raw = with_attachments([("scan", "image/png", png_file()), ("blob", "image/png", b"MZ\x90")])
    assert [a.filename for a in parse(raw).attachments] == ["scan"]
    assert _reasons(raw) == {"blob": "content does not match .png (wrong signature)"}


def test_a_zip_bomb_docx_is_dropped() -> None:
    """101 MiB of zeros deflate to about 100 KB: refused from the sizes the archive declares,
    before anything is inflated."""
    bomb = docx_file(extra=[("word/media/image1.bin", bytes(101 * MIB))])
    assert len(bomb) < 200_000
    raw = with_attachments([("report.docx", DOCX, bomb), ("ok.docx", DOCX, docx_file())])
    parsed = parse(raw)
    assert [a.filename for a in parsed.attachments] == ["ok.docx"]
    assert _reasons(raw) == {
        "report.docx": "content does not match .docx (unpacks to more than 104857600 bytes)"
    }


def test_a_docx_that_lies_about_its_sizes_is_dropped() -> None:
    """Sizes patched down in both headers: zipfile stops at the declared size and the CRC
    check fails, so the real 5 MiB are never inflated past the budget."""
    honest = docx_file(extra=[("word/media/image1.bin", bytes(5 * MIB))])
    lying = honest.replace(
        (5 * MIB).to_bytes(4, "little"), (1000).to_bytes(4, "little")
    )  # the uncompressed size, in the local header and the central directory
    assert lying != honest
    raw = with_attachments([("lying.docx", DOCX, lying)])
    assert _reasons(raw, Limits(max_unpacked_bytes=1 * MIB)) == {
        "lying.docx": "content does not match .docx (damaged zip archive (BadZipFile))"
    }


def test_archive_entry_count_symlinks_and_the_per_mail_budget() -> None:
    many = docx_file(extra=[(f"word/media/{n}.xml", b"<a/>") for n in range(1001)])
    link = zipfile.ZipInfo("word/media/link")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    linked = docx_file(extra=[(link, b"/etc/passwd")])
    half = docx_file(extra=[("word/media/big.bin", bytes(3 * MIB))])
    raw = with_attachments(
        [
            ("many.docx", DOCX, many),
            ("linked.docx", DOCX, linked),
            ("first.docx", DOCX, half),
            ("second.docx", DOCX, half),
        ]
    )
    limits = Limits(max_unpacked_bytes=4 * MIB, max_unpacked_bytes_per_mail=5 * MIB)
    parsed = parse(raw, limits)
    assert [a.filename for a in parsed.attachments] == ["first.docx"]
    assert _reasons(raw, limits) == {
        "many.docx": "content does not match .docx (more than 1000 entries in the archive)",
        "linked.docx": "content does not match .docx (a symbolic link in the archive)",
        "second.docx": "content does not match .docx (unpacks to more than "
        f"{5 * MIB - parsed.unpacked_bytes} bytes (what is left of {5 * MIB} bytes for this mail))",
    }


def _documented(section: str) -> str:
    text = (ROOT / "docs" / "email.md").read_text()
    start = text.index(f"### {section}")
    end = text.find("\n#", start + 1)
    return text[start : end if end > 0 else None]


def test_the_documented_types_and_limits_are_the_enforced_ones() -> None:
    """docs/email.md lists the permitted types and the limits; the code enforces exactly those."""
    rows = re.findall(r"^\| `\.(\w+)` \| `([^`]+)` \| (.+?) \|$", _documented("Permitted"), re.M)
    assert [(ext, mime) for ext, mime, _ in rows] == [
        (t.extension, t.mime) for t in attachments.PERMITTED
    ]
    assert [sig.strip().strip("`") for *_, sig in rows] == [
        t.signature for t in attachments.PERMITTED
    ]
    limits_doc = dict(re.findall(r"^\| ([^|`]+?) \| `(\d+)`", _documented("Limits"), re.M))
    limits, defaults = Limits(), Settings.model_fields
    assert {k: int(v) for k, v in limits_doc.items()} == {
        "One attachment": defaults["mail_max_attachment_bytes"].default,
        "One mail, attachments included": defaults["mail_max_bytes"].default,
        "Attachments per mail": limits.max_attachments,
        "Entries in one office file": limits.max_archive_entries,
        "Unpacked size of one office file": limits.max_unpacked_bytes,
        "Unpacked size of the office files of one mail": limits.max_unpacked_bytes_per_mail,
    }
    assert defaults["mail_max_attachment_bytes"].default == limits.max_attachment_bytes
    assert defaults["mail_max_bytes"].default == limits.max_bytes


_SIGNATURES = [b"%PDF-", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF89a", b"RIFF\0\0\0\0WEBP"]
_SIGNATURES += [b"PK\x03\x04", b"\xff\xfe", b"From: a@b\r\n", docx_file()[:200], docx_file()]
_NAMES = st.one_of(
    st.text(max_size=80),
    st.sampled_from([t.extension for t in attachments.PERMITTED] + ["exe", "", "PDF."]).map(
        lambda ext: f"file.{ext}"
    ),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    filename=_NAMES,
    declared=st.one_of(st.text(max_size=40), st.sampled_from(["image/png", DOCX, "text/plain"])),
    data=st.one_of(
        st.binary(max_size=2000),
        st.builds(bytes.__add__, st.sampled_from(_SIGNATURES), st.binary(max_size=2000)),
    ),
)
def test_the_policy_never_raises_and_keeps_only_permitted_types(
    filename: str, declared: str, data: bytes
) -> None:
    verdict = attachments.check(filename, declared, data, attachments.Budget(10 * MIB, 1000))
    if verdict.content_type is None:
        assert verdict.reason and "\n" not in verdict.reason and len(verdict.reason) < 300
    else:
        extension = attachments.extension_of(filename)
        permitted = {t.extension: t.mime for t in attachments.PERMITTED}
        assert verdict.content_type == permitted.get(extension, verdict.content_type)
        assert verdict.content_type in permitted.values()


def test_kept_files_are_stored_and_dropped_ones_listed_on_the_message(
    ingest: Ingestor, db: Database
) -> None:
    raw = with_attachments(
        [("photo.png", "image/png", png_file()), ("setup.exe", "application/x-msdownload", b"MZ")]
    )
    raw_id = ingest.receive(raw, "t")
    assert ingest.process(raw_id) == "processed"
    with db.read() as session:
        row = session.get(RawMail, raw_id)
        assert row is not None
        message = session.get(Message, row.message_id)
        assert message is not None
    kept, dropped = message.attachments
    assert kept["filename"] == "photo.png" and kept["content_type"] == "image/png"
    assert ingest.store.attachment_path(kept["id"]).read_bytes() == png_file()
    assert dropped == {
        "dropped": True,
        "filename": "setup.exe",
        "size": 2,
        "reason": "files of type .exe are not accepted",
    }
    assert len(list(ingest.store.root.joinpath("attachments").rglob("*"))) == 2  # dir + file


def test_a_kept_pdf_is_still_served_only_as_a_download(
    client: TestClient, world: World, db: Database, settings: Settings
) -> None:
    raw = with_attachments(
        [("Rechnung.pdf", "application/pdf", pdf_file())],
        sender="a@customer.example",
        subject="invoice",
        message_id="<pdf@customer.example>",
    )
    ingest = ingestor(db, settings)
    assert ingest.process(ingest.receive(raw, "t")) == "processed"
    conversations = client.get("/api/v1/conversations", headers=world.headers("customer_a"))
    mine = next(c for c in conversations.json()["items"] if c["subject"] == "invoice")
    messages = client.get(
        f"/api/v1/conversations/{mine['id']}/messages", headers=world.headers("customer_a")
    ).json()
    [meta] = next(m for m in messages if m["direction"] == "inbound")["attachments"]
    assert meta["content_type"] == "application/pdf"
    got = client.get(
        f"/api/v1/conversations/{mine['id']}/attachments/{meta['id']}",
        headers=world.headers("customer_a"),
    )
    assert got.status_code == 200 and got.content == pdf_file()
    assert got.headers["content-type"] == "application/octet-stream"
    assert got.headers["content-disposition"].startswith('attachment; filename="Rechnung.pdf"')
    assert got.headers["x-content-type-options"] == "nosniff"
    assert io.BytesIO(got.content).read(5) == b"%PDF-"


def test_entry_paths_in_an_office_file_are_never_used(
    ingest: Ingestor, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A docx whose entries climb out of any folder (zip slip) is checked in memory: nothing
    is written but the raw mail and the attachment itself, under their own names."""
    work = tmp_path / "a" / "b" / "c"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    slip = docx_file(extra=[("../../../slipped.txt", b"x"), ("/tmp/files/abs.txt", b"y")])
    raw_id = ingest.receive(with_attachments([("slip.docx", DOCX, slip)]), "t")
    assert ingest.process(raw_id) == "processed"
    with db.read() as session:
        row = session.get(RawMail, raw_id)
        assert row is not None
        message = session.get(Message, row.message_id)
        assert message is not None
    [meta] = message.attachments
    assert ingest.store.attachment_path(meta["id"]).read_bytes() == slip
    written = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert not any(p.name in ("slipped.txt", "abs.txt") for p in written)
    assert [p.parts[:3] for p in written if p.parts[0] == "data"] == [
        ("data", "mail", "attachments"),
        ("data", "mail", "raw"),
    ]
    assert not Path("/tmp/files/abs.txt").exists()
