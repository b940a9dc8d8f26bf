"""Delivery status notifications (RFC 3464) about mail we sent.

A bounce names the mail it is about in its returned headers (a `message/rfc822` or
`text/rfc822-headers` part). When that is one of our outbox mails, the agent needs to know
that the customer never got the reply: the outbox row becomes `bounced` and the conversation
gets an internal note, instead of a new conversation from MAILER-DAEMON.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.message import Message
from email.parser import HeaderParser

from accord.inbox.channels.email import headers as h

_FAILED = "failed"


@dataclass(frozen=True)
class Bounce:
    """What a delivery report says: the Message-IDs it returns, and for the recipients whose
    delivery failed, the address, the status code and the remote server's diagnostic."""

    original_ids: tuple[str, ...]
    failed: tuple[tuple[str, str, str], ...]  # (recipient, status, diagnostic)


def bounce_of(msg: Message) -> Bounce | None:
    """The bounce a delivery report describes; None for any other mail, and for a report whose
    every recipient was delivered or only delayed (nothing was lost)."""
    if msg.get_content_type() != "multipart/report":
        return None
    if str(msg.get_param("report-type") or "").lower() != "delivery-status":
        return None
    ids: list[str] = []
    failed: list[tuple[str, str, str]] = []
    for part in msg.walk():
        ctype = part.get_content_type()
        if ctype == "message/delivery-status":
            failed += _failed_recipients(part)
        elif ctype == "message/rfc822":
            ids += _returned_ids(part.get_payload())
        elif ctype == "text/rfc822-headers":
            payload = part.get_payload(decode=True)
            text = h.decode_bytes(payload if isinstance(payload, bytes) else b"", "utf-8")
            ids += _returned_ids([HeaderParser().parsestr(text, headersonly=True)])
    if not failed:
        return None
    return Bounce(tuple(dict.fromkeys(ids)), tuple(failed))


def _returned_ids(returned: object) -> list[str]:
    messages = returned if isinstance(returned, list) else []
    found = [h.message_id(m) for m in messages if isinstance(m, Message)]
    return [f for f in found if f]


def _failed_recipients(part: Message) -> list[tuple[str, str, str]]:
    """Per-recipient blocks (after the per-message one) whose Action is `failed`."""
    blocks = part.get_payload()
    out = []
    for block in blocks if isinstance(blocks, list) else []:
        if not isinstance(block, Message):
            continue
        if h.header_text(block, "Action").strip().lower() != _FAILED:
            continue
        recipient = h.header_text(block, "Final-Recipient") or h.header_text(
            block, "Original-Recipient"
        )
        out.append(
            (
                recipient.split(";")[-1].strip()[:320],
                h.header_text(block, "Status").strip()[:20],
                h.header_text(block, "Diagnostic-Code").split(";")[-1].strip()[:300],
            )
        )
    return out


def describe(bounce: Bounce) -> str:
    """One line per failed recipient, for the agent."""
    lines = [
        f"{recipient or 'the recipient'}: {status or 'failed'}"
        + (f" ({diagnostic})" if diagnostic else "")
        for recipient, status, diagnostic in bounce.failed
    ]
    return "The customer did not receive our email reply. The mail server reported:\n" + (
        "\n".join(f"- {line}" for line in lines)
    )
