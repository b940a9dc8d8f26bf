"""The webhook job goes through the egress guard: a receiver on loopback gets no connection until
an operator allows its network, and the refusal is kept on the notification for the retry."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from accord.cases.models import Notification
from accord.cases.notifications import notify
from accord.db.engine import Database
from accord.inbox.models import Conversation
from accord.settings import get_settings
from tests.unit.loopback import CountingServer
from tests.world import World


def _pending(db: Database, world: World) -> None:
    with db.write() as s:
        conversation = s.get(Conversation, world.conv_a)
        assert conversation is not None
        notify(s, conversation, "conversation.escalated", {"rule": "x"})


def test_webhooks_to_a_network_not_allowed_are_refused_then_delivered_once_allowed(
    db: Database, world: World, jobs_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from accord.jobs.tasks import deliver_webhooks

    _pending(db, world)
    with CountingServer() as receiver:
        monkeypatch.setenv("ACCORD_WEBHOOK_URL", receiver.url + "/hook")
        get_settings.cache_clear()
        assert deliver_webhooks.call_local() == 0
        assert receiver.connections == 0
        with db.write() as s:
            row = s.scalars(select(Notification)).one()
            assert row.attempts == 1 and "127.0.0.1 is loopback" in (row.last_error or "")
            row.next_attempt_at = row.created_at
        monkeypatch.setenv("ACCORD_EGRESS_ALLOWED_NETWORKS", "127.0.0.1/32")
        get_settings.cache_clear()
        assert deliver_webhooks.call_local() == 1
        assert receiver.connections == 1 and receiver.seen[0]["path"] == "/hook"


def test_a_webhook_receiver_redirecting_inwards_is_not_followed(
    db: Database, world: World, jobs_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from accord.jobs.tasks import deliver_webhooks

    _pending(db, world)
    metadata = "http://169.254.169.254/latest/meta-data/"
    with CountingServer(status=307, location=metadata) as receiver:
        monkeypatch.setenv("ACCORD_WEBHOOK_URL", receiver.url + "/hook")
        monkeypatch.setenv("ACCORD_EGRESS_ALLOWED_NETWORKS", "127.0.0.1/32")
        get_settings.cache_clear()
        assert deliver_webhooks.call_local() == 0
        assert receiver.connections == 1
    with db.read() as s:
        row = s.scalars(select(Notification)).one()
        assert row.delivered_at is None and "307" in (row.last_error or "")
