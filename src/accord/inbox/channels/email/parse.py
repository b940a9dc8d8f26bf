"""Raw bytes → a `ParsedMail`: headers decoded, one text body, sanitised HTML, the new text
separated from quoted history and signature, attachments split off with caps.

Parsing uses the compat32 policy: it does not run the slow structured-header parser, and every
header we use is decoded by `headers.py`. Anything that cannot be read raises `Unparseable`.
"""

from __future__ import annotations

import email
import html as html_lib
import re
from dataclasses import dataclass, field
from email import policy
from email.message import Message

import nh3
from mailparser_reply import EmailReplyParser

from accord.core.text import clean_text
from accord.inbox.channels.email import attachments as permitted
from accord.inbox.channels.email import headers as h
from accord.inbox.channels.email.bounces import Bounce, bounce_of
from accord.inbox.channels.email.limits import Limits, Unparseable, check_raw, run_limited

LOOP_HEADERS = (
    "Auto-Submitted",
    "Precedence",
    "List-Id",
    "List-Unsubscribe",
    "X-Auto-Response-Suppress",
    "Return-Path",
    "X-Loop",
)
_BLOCK_END = re.compile(r"(?i)<(br\s*/?|/p|/div|/li|/tr|/h[1-6]|/blockquote)\b[^>]*>")
_RAW_FILENAME = re.compile(r'filename\s*=\s*"?([^";]{1,255})')
_REPLIES = EmailReplyParser(languages=["en", "de", "fr", "es", "it", "nl"])


@dataclass
class Attachment:
    filename: str
    content_type: str
    data: bytes


@dataclass
class ParsedMail:
    message_id: str | None
    references: list[str]
    sender: str
    sender_name: str
    recipients: list[str]
    subject: str
    date: str
    text: str
    html: str | None
    new_text: str
    quoted: str
    signature: str
    is_report: bool
    loop_headers: dict[str, str | None]
    attachments: list[Attachment] = field(default_factory=list)
    dropped: list[dict[str, str | int]] = field(default_factory=list)
    unpacked_bytes: int = 0  # what the kept zip-based office files unpack to, together
    bounce: Bounce | None = None  # a delivery failure report about mail we sent


def parse(raw: bytes, limits: Limits | None = None) -> ParsedMail:
    """Parse one mail. Raises `Unparseable` with a reason; never anything else for bad input."""
    limits = limits or Limits()
    check_raw(raw, limits)
    try:
        return run_limited(_parse, raw, limits)
    except Unparseable:
        raise
    except RecursionError as exc:
        raise Unparseable("message structure is nested too deeply") from exc
    except Exception as exc:  # the stdlib parser's failure modes are not all documented
        raise Unparseable(f"parser error: {type(exc).__name__}: {exc}") from exc


def _parse(raw: bytes, limits: Limits) -> ParsedMail:
    msg = email.message_from_bytes(raw, policy=policy.compat32)
    who = h.single_address(msg, "From")
    if who is None:
        raise Unparseable("the From header holds no single valid address")
    text, html_body, files = _bodies(msg, limits)
    html_clean = _sanitise(html_body) if html_body is not None else None
    if not text.strip() and html_clean:
        text = _html_to_text(html_clean)
    text = clean_text(text.replace("\r\n", "\n").replace("\r", "\n")).strip()
    new_text, quoted, signature = _split_reply(text, limits)
    refs = h.message_ids(h.header_text(msg, "References"))
    refs += h.message_ids(h.header_text(msg, "In-Reply-To"))
    return ParsedMail(
        message_id=h.message_id(msg),
        references=refs,
        sender=who[1],
        sender_name=who[0],
        recipients=h.addresses(msg, "To") + h.addresses(msg, "Cc"),
        subject=h.header_text(msg, "Subject")[:300],
        date=h.header_text(msg, "Date")[:100],
        text=text,
        html=html_clean,
        new_text=new_text,
        quoted=quoted,
        signature=signature,
        is_report=_is_report(msg),
        loop_headers={n: (h.header_text(msg, n) if n in msg else None) for n in LOOP_HEADERS},
        attachments=files.attachments,
        dropped=files.dropped,
        unpacked_bytes=files.unpacked_bytes,
        bounce=bounce_of(msg),
    )


@dataclass
class _Files:
    attachments: list[Attachment] = field(default_factory=list)
    dropped: list[dict[str, str | int]] = field(default_factory=list)
    unpacked_bytes: int = 0


def _bodies(msg: Message, limits: Limits) -> tuple[str, str | None, _Files]:
    text: str | None = None
    html_body: str | None = None
    files = _Files()
    for count, part in enumerate(msg.walk()):
        if count >= limits.max_parts:
            files.dropped.append({"reason": f"more than {limits.max_parts} parts"})
            break
        if part.is_multipart():
            continue
        ctype = part.get_content_type()
        filename = _filename(part)
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        if filename is None and ctype == "text/plain" and text is None:
            text = h.decode_bytes(data, part.get_content_charset())
        elif filename is None and ctype == "text/html" and html_body is None:
            html_body = h.decode_bytes(data, part.get_content_charset())
        elif filename is not None or not ctype.startswith("text/"):
            _attach(files, filename or "attachment", ctype, data, limits)
    return text or "", html_body, files


def _filename(part: Message) -> str | None:
    raw = h.raw_header(part, "Content-Disposition") or ""
    disposition = raw.split(";")[0].strip().lower()
    try:
        name = part.get_filename()
    except Exception:  # malformed RFC 2231 parameters
        name = None
    if name is not None and "\ufffd" in str(name):
        # Raw 8-bit in the header (not RFC 2231): the stdlib lost the bytes; read them as UTF-8.
        found = _RAW_FILENAME.search(h.decode_words(raw))
        name = found.group(1) if found else name
    if name is None and disposition != "attachment":
        return None
    return h.decode_words(str(name or "attachment"))[:200] or "attachment"


def _attach(files: _Files, filename: str, ctype: str, data: bytes, limits: Limits) -> None:
    """Keep the attachment, or list it as dropped with the reason: over the caps, or not a
    permitted type whose content matches its extension (attachments.py)."""
    reason = ""
    if len(data) > limits.max_attachment_bytes:
        reason = f"over {limits.max_attachment_bytes} bytes"
    elif len(files.attachments) >= limits.max_attachments:
        reason = f"more than {limits.max_attachments} attachments"
    else:
        verdict = permitted.check(filename, ctype, data, _budget(files, limits))
        if verdict.content_type is None:
            reason = verdict.reason
        else:
            files.attachments.append(Attachment(filename, verdict.content_type, data))
            files.unpacked_bytes += verdict.unpacked_bytes
    if reason:
        files.dropped.append({"filename": filename, "size": len(data), "reason": reason})


def _budget(files: _Files, limits: Limits) -> permitted.Budget:
    left = limits.max_unpacked_bytes_per_mail - files.unpacked_bytes
    if left < limits.max_unpacked_bytes:
        scope = f" (what is left of {limits.max_unpacked_bytes_per_mail} bytes for this mail)"
        return permitted.Budget(max(left, 0), limits.max_archive_entries, scope)
    return permitted.Budget(limits.max_unpacked_bytes, limits.max_archive_entries)


def _sanitise(html_body: str) -> str:
    return nh3.clean(html_body, link_rel="noopener noreferrer nofollow")


def _html_to_text(clean_html: str) -> str:
    marked = _BLOCK_END.sub("\n", clean_html)
    return html_lib.unescape(nh3.clean(marked, tags=set()))


def _split_reply(text: str, limits: Limits) -> tuple[str, str, str]:
    """(new text, quoted history, signature). Very long bodies skip the regex-based split."""
    if not text or len(text) > limits.max_reply_scan_chars:
        return text, "", ""
    replies = _REPLIES.read(text).replies
    if not replies:
        return text, "", ""
    first = replies[0]
    new_text = (first.body or "").strip()
    quoted = "\n\n".join(r.content or "" for r in replies[1:]).strip()
    if not new_text:
        return text, "", ""
    return new_text, quoted, (first.signatures or "").strip()


def _is_report(msg: Message) -> bool:
    """Delivery status notifications and read receipts (RFC 3464 / RFC 8098)."""
    ctype = msg.get_content_type()
    report = (msg.get_param("report-type") or "") if ctype == "multipart/report" else ""
    return ctype == "multipart/report" or str(report).lower() in (
        "delivery-status",
        "disposition-notification",
    )
