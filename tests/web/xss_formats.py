"""How a vector is written into the formats that carry it: fitted to a field's length, inside
an email's HTML part, as a YAML string of a playbook, as a real mail (RFC 2047 display name,
subject, HTML part, RFC 2231 attachment name)."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from email import policy as email_policy
from email.message import EmailMessage

from tests.web.xss_vectors import BEACON, JS_MARK

SUPPORT = "support@xss-corpus.example"
NAME = 200  # the longest team, user and customer name the schemas take
SUBJECT = 300
TAG = 64


def fit(value: str, limit: int) -> str:
    return value[:limit]


def hostile_html(i: int, vector: str) -> str:
    """An email's HTML part around the vector, with the usual suspects of HTML mail."""
    return (
        f'<p id="v{i}">Vector {i}</p>{vector}'
        f'<a href="javascript:{JS_MARK}">link</a><img src="x" onerror="{JS_MARK}">'
        f"<style>body{{background:url({BEACON}/email-css)}}</style>"
        f'<form action="{BEACON}/email-form"><button formaction="javascript:{JS_MARK}">b</button>'
        f"</form><script>{JS_MARK}</script>"
    )


def yaml_string(value: str) -> str:
    """A YAML double-quoted scalar holding exactly `value` (every character outside printable
    ASCII escaped, which YAML reads back as the same code point)."""
    out = []
    for ch in value:
        code = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif 0x20 <= code < 0x7F:
            out.append(ch)
        elif code <= 0xFFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    return '"' + "".join(out) + '"'


def playbook_text(playbook_id: str, name: str, steps: Sequence[str], team: str) -> str:
    lines = [
        f"id: {playbook_id}",
        f"name: {yaml_string(name)}",
        f"applies_to: {{teams: [{team}]}}",
        "steps:",
    ]
    for n, step in enumerate(steps):
        text = yaml_string(fit(step, SUBJECT))
        lines += [f"  - id: s{n}", f"    order: {n + 1}"]
        lines += [f"    title: {text}", "    why: w", f"    advice: {text}"]
    return "\n".join(lines) + "\n"


def encoded_words(text: str) -> str:
    """RFC 2047 encoded words (base64, UTF-8), as mail programs write a display name."""
    words, chunk = [], ""
    for ch in text:
        if len((chunk + ch).encode()) > 45:
            words.append(chunk)
            chunk = ""
        chunk += ch
    words.append(chunk)
    return "\r\n ".join(f"=?utf-8?b?{base64.b64encode(w.encode()).decode()}?=" for w in words)


def email_bytes(i: int, vector: str) -> bytes:
    """A real mail: the vector as the sender's display name, the subject, the text, inside
    the HTML part and as an attachment's file name (RFC 2047 and 2231 encoded as needed)."""
    # Header values take no line breaks and no controls.
    clean = "".join(ch for ch in " ".join(vector.splitlines()) if ch >= " " or ch == "\t")
    mail = EmailMessage(policy=email_policy.SMTP)
    mail["From"] = f"placeholder <c{i}@mail.example>"
    mail["To"] = SUPPORT
    mail["Subject"] = fit(clean, SUBJECT) or "x"
    mail["Message-ID"] = f"<xss{i}@mail.example>"
    mail["Date"] = "Mon, 02 Nov 2026 10:00:00 +0000"
    mail.set_content(f"Vector {i}: {vector}")
    mail.add_alternative(hostile_html(i, vector), subtype="html")
    mail.add_attachment(b"data", maintype="text", subtype="html", filename=fit(clean, NAME))
    # Set in the bytes: the email package would decode the words and write the name unquoted.
    name = encoded_words(fit(clean, NAME) or "x").encode()
    return bytes(mail).replace(b"From: placeholder", b"From: " + name, 1)
