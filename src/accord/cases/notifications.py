"""Signed webhook notifications, delivered from an outbox.

A notification is a row committed with the change that caused it; a job posts pending rows to
`ACCORD_WEBHOOK_URL` with an HMAC-SHA256 signature of the body (`X-Accord-Signature:
sha256=<hex>`, key `ACCORD_WEBHOOK_SECRET`) and a stable `X-Accord-Delivery` id so receivers
can drop duplicates. Failures are retried with backoff; nothing is lost if the receiver is down.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

import httpx
from sqlalchemy.orm import Session

from accord.cases.models import Notification
from accord.core.clock import utcnow
from accord.db.due import Queue, succeed
from accord.inbox.channels.email.alerts import alert_supervisors
from accord.inbox.models import Conversation

WEBHOOK_QUEUE = Queue(Notification, owed=(Notification.delivered_at.is_(None),))


def notify(session: Session, conversation: Conversation, kind: str, data: dict[str, Any]) -> None:
    """A signed webhook for every event, and an email to the supervisors for the events in
    `ACCORD_MAIL_ALERTS` when sending mail is configured — both in the caller's transaction."""
    alert_supervisors(session, conversation, kind, data)
    now = utcnow()
    payload = {
        "event": kind,
        "conversation": {
            "id": conversation.id,
            "subject": conversation.subject,
            "priority": conversation.priority,
            "status": conversation.status,
            "team_id": conversation.team_id,
            "assignee_id": conversation.assignee_id,
        },
        "data": data,
        "at": now.isoformat(),
    }
    session.add(
        Notification(
            conversation_id=conversation.id,
            kind=kind,
            payload=payload,
            created_at=now,
            next_attempt_at=now,
            attempts=0,
        )
    )


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def deliver_pending(session: Session, url: str, secret: str, client: httpx.Client) -> int:
    """Post every due notification once; returns how many were delivered."""
    now = utcnow()
    delivered = 0
    for row in WEBHOOK_QUEUE.due(session, now, limit=100):
        body = json.dumps(row.payload, sort_keys=True, separators=(",", ":")).encode()
        headers = {
            "content-type": "application/json",
            "x-accord-signature": sign(secret, body),
            "x-accord-delivery": str(row.id),
            "x-accord-event": row.kind,
        }
        try:
            response = client.post(url, content=body, headers=headers)
            response.raise_for_status()
        except httpx.HTTPError as exc:
            WEBHOOK_QUEUE.fail(row, str(exc), now)  # given up after the last: no longer due
            continue
        succeed(row)
        row.delivered_at = now
        delivered += 1
    return delivered
