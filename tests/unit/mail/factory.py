"""Build real RFC 5322 mail as bytes for the email-channel tests."""

from __future__ import annotations

import random

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
