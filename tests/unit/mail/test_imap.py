"""IMAP polling against a real dovecot on loopback: UID bookkeeping, refetches and a
UIDVALIDITY change create no duplicates."""

from __future__ import annotations

import pytest
from imap_tools import MailBoxUnencrypted
from sqlalchemy import func, select

from accord.db.engine import Database
from accord.inbox.channels.email import imap
from accord.inbox.channels.email.imap import ImapConfig, poll
from accord.inbox.channels.email.ingest import Ingestor
from accord.inbox.channels.email.models import MailboxState
from accord.inbox.models import Message
from tests.unit.mail.factory import mail
from tests.unit.mail.servers import Dovecot

FOLDER = "Support"


def _config(server: Dovecot) -> ImapConfig:
    return ImapConfig(
        "127.0.0.1", server.port, server.user, server.password, folder=FOLDER, ssl=False
    )


def _append(server: Dovecot, mails: list[bytes], recreate: bool = False) -> None:
    with MailBoxUnencrypted("127.0.0.1", server.port).login(server.user, server.password) as box:
        if recreate and box.folder.exists(FOLDER):
            box.folder.delete(FOLDER)
        if not box.folder.exists(FOLDER):
            box.folder.create(FOLDER)
        for raw in mails:
            box.append(raw, FOLDER)


def _messages(db: Database) -> int:
    with db.read() as session:
        return int(session.scalar(select(func.count(Message.id))) or 0)


def test_polling_three_times_and_a_uidvalidity_change_create_no_duplicates(
    dovecot: Dovecot, ingest: Ingestor, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(imap, "REGISTER_EVERY", 2)  # several groups per poll
    batch = [mail(message_id=f"<imap{n}@customer.example>", body=f"mail {n}") for n in range(5)]
    _append(dovecot, batch)
    before = _messages(db)
    first = poll(db, ingest, _config(dovecot))
    assert first["fetched"] == 5 and first["processed"] == 5
    for _ in range(2):
        assert poll(db, ingest, _config(dovecot)) == {"fetched": 0}
    with db.read() as session:
        state = session.scalars(select(MailboxState)).one()
        old_validity = state.uidvalidity
        assert state.last_uid == 5
    # The folder is rebuilt (new UIDVALIDITY) and the server added a header to each mail.
    _append(dovecot, [b"X-Rebuilt: yes\r\n" + raw for raw in batch], recreate=True)
    _append(dovecot, [mail(message_id="<imap-new@customer.example>")])
    again = poll(db, ingest, _config(dovecot))
    assert again == {"fetched": 6, "duplicate": 5, "processed": 1}
    with db.read() as session:
        assert session.scalars(select(MailboxState)).one().uidvalidity != old_validity
    assert _messages(db) == before + 6


def test_mail_registered_before_a_crash_is_processed_by_the_next_poll(
    dovecot: Dovecot, ingest: Ingestor, db: Database
) -> None:
    _append(dovecot, [mail(message_id="<crash@customer.example>")])
    raw_id = ingest.receive(mail(message_id="<left-pending@customer.example>"), "imap:old")
    result = poll(db, ingest, _config(dovecot))
    assert result == {"fetched": 1, "processed": 2}
    assert ingest.process(raw_id) == "already_processed"
