"""Build real RFC 5322 mail as bytes for the email-channel tests."""

from __future__ import annotations

import io
import random
import struct
import zipfile
import zlib
from collections.abc import Sequence
from email.message import EmailMessage
from email.policy import default

SUPPORT = "support@accord.example"


def mail(
    *,
    sender: str = "Dana Customer <dana@customer.example>",
    to: str = SUPPORT,
    subject: str = "My order is late",
    body: str = "Where is my order? It is two weeks late.",
    message_id: str | None = "<m1@customer.example>",
    extra: dict[str, str] | None = None,
    html: str | None = None,
) -> bytes:
    lines = [f"From: {sender}", f"To: {to}", f"Subject: {subject}"]
    lines.append("Date: Mon, 02 Nov 2026 10:00:00 +0000")
    if message_id is not None:
        lines.append(f"Message-ID: {message_id}")
    lines += [f"{k}: {v}" for k, v in (extra or {}).items()]
    lines.append("MIME-Version: 1.0")
    if html is None:
        lines += ["Content-Type: text/plain; charset=utf-8", "", body]
    else:
        lines += [
            'Content-Type: multipart/alternative; boundary="b1"',
            "",
            "--b1",
            "Content-Type: text/plain; charset=utf-8",
            "",
            body,
            "--b1",
            "Content-Type: text/html; charset=utf-8",
            "",
            html,
            "--b1--",
        ]
    return ("\r\n".join(lines) + "\r\n").encode()


def malformed_corpus(count: int, seed: int = 4) -> list[bytes]:
    """Broken, hostile and odd mail: truncations, bit flips, bad charsets, huge headers, bad
    MIME, missing senders, nested multiparts, NULs, and plain good mail mixed in."""
    rng = random.Random(seed)
    out: list[bytes] = []
    for n in range(count):
        base = mail(message_id=f"<c{n}@corpus.example>", body=f"corpus mail {n}")
        kind = n % 10
        if kind == 0:
            base = base[: rng.randrange(1, len(base))]
        elif kind == 1:
            data = bytearray(base)
            for _ in range(rng.randrange(1, 20)):
                data[rng.randrange(len(data))] = rng.randrange(256)
            base = bytes(data)
        elif kind == 2:
            base = base.replace(b"charset=utf-8", b"charset=x-no-such-charset") + b"\xff\xfe\x80"
        elif kind == 3:
            base = base.replace(
                b"Subject:", b"Content-Type: text/plain; " + b"a=" * 6000 + b"\r\nX:"
            )
        elif kind == 4:
            base = base.replace(b"From: Dana Customer <dana@customer.example>", b"From: nobody")
        elif kind == 5:
            nested = b"".join(
                b"--b\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n" for _ in range(300)
            )
            base = (
                base.replace(
                    b"Content-Type: text/plain; charset=utf-8",
                    b"Content-Type: multipart/mixed; boundary=b",
                )
                + nested
            )
        elif kind == 6:
            base = bytes(rng.randrange(256) for _ in range(rng.randrange(0, 600)))
        elif kind == 7:
            base = base.replace(
                b"Subject: My order is late", b"Subject: =?utf-8?b?!!!?= =?x?q?=ZZ?=\x00"
            )
        elif kind == 8:
            base = (
                base.replace(
                    b"Content-Type: text/plain; charset=utf-8",
                    b"Content-Type: text/plain\r\nContent-Transfer-Encoding: base64",
                )
                + b"@@@not base64==="
            )
        out.append(base)
    return out


def with_attachments(
    files: list[tuple[str, str, bytes]],
    *,
    sender: str = "Dana Customer <dana@customer.example>",
    subject: str = "Files",
    message_id: str = "<files@customer.example>",
) -> bytes:
    """A real multipart mail: a text part, then one base64 part per (filename, MIME type,
    bytes), built with the stdlib as a mail client would."""
    message = EmailMessage(policy=default)
    message["From"] = sender
    message["To"] = SUPPORT
    message["Subject"] = subject
    message["Date"] = "Mon, 02 Nov 2026 10:00:00 +0000"
    message["Message-ID"] = message_id
    message.set_content("Please see the attached files.")
    for filename, mime, data in files:
        maintype, subtype = mime.split("/", 1)
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return message.as_bytes()


def pdf_file(text: str = "Invoice 1042") -> bytes:
    """A small valid PDF 1.4: one page showing `text`, with a correct cross-reference table."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def png_file(width: int = 2, height: int = 2) -> bytes:
    """A valid RGB PNG of one colour."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\x20\x80\xc0" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)


def docx_file(
    document: bytes | None = None, extra: Sequence[tuple[zipfile.ZipInfo | str, bytes]] = ()
) -> bytes:
    """A minimal Word document (Office Open XML package); `document` replaces the body part,
    `extra` adds entries (a zip bomb, a symbolic link)."""
    body = document or (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body><w:p><w:r><w:t>Order 1042 arrived damaged.</w:t></w:r></w:p></w:body>"
        b"</w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("word/document.xml", body)
        for name, data in extra:
            archive.writestr(name, data)
    return buffer.getvalue()
