"""Threading: signed token, then known Message-IDs, then the signed subject tag — and a
sender who is not the conversation's customer never speaks in it."""

from __future__ import annotations

from sqlalchemy import select

from accord.audit.models import Event
from accord.db.engine import Database
from accord.inbox.channels.email.ingest import Ingestor
from accord.inbox.channels.email.threads import REVIEW_TAG
from accord.inbox.models import Conversation
from tests.unit.mail.factory import mail
from tests.unit.mail.helpers import agent_reply, deliver, header
from tests.world import World

DANA = "Dana <dana@customer.example>"
MALLORY = "Mallory <mallory@evil.example>"


def _thread(ingest: Ingestor, db: Database, world: World, n: int = 0) -> tuple[int, str, str]:
    """A customer mail answered by an agent: (conversation id, our Message-ID, our subject)."""
    first = deliver(ingest, mail(sender=DANA, message_id=f"<start{n}@customer.example>"))
    assert first.conversation_id is not None
    sent = agent_reply(db, world, first.conversation_id, "We are looking into it.")
    return first.conversation_id, sent.rfc_message_id, header(sent.raw, "Subject")


def _reply(sender: str, n: int, **headers: str) -> bytes:
    subject = headers.pop("Subject", "Re: My order is late")
    return mail(
        sender=sender,
        subject=subject,
        message_id=f"<r{n}-{sender[:3]}@x.example>",
        extra=headers,
        body=f"Still waiting {n}.",
    )


def _conversation_of(ingest: Ingestor, raw: bytes) -> Conversation:
    row = deliver(ingest, raw)
    assert row.state == "processed", row.reason
    with ingest.db.read() as session:
        conversation = session.get(Conversation, row.conversation_id)
        assert conversation is not None
        _ = conversation.tags
        return conversation


def test_reply_with_our_message_id_joins_the_thread(
    ingest: Ingestor, db: Database, world: World
) -> None:
    conv, our_id, _ = _thread(ingest, db, world)
    assert _conversation_of(ingest, _reply(DANA, 1, **{"In-Reply-To": our_id})).id == conv


def test_reply_referencing_the_customers_own_mail_joins_the_thread(
    ingest: Ingestor, db: Database, world: World
) -> None:
    conv, _, _ = _thread(ingest, db, world)
    joined = _conversation_of(ingest, _reply(DANA, 2, References="<start0@customer.example>"))
    assert joined.id == conv


def test_subject_tag_alone_joins_the_thread(ingest: Ingestor, db: Database, world: World) -> None:
    conv, _, subject = _thread(ingest, db, world)
    assert "[#" in subject
    assert _conversation_of(ingest, _reply(DANA, 3, Subject=subject)).id == conv


def test_a_forged_subject_tag_opens_a_new_conversation(
    ingest: Ingestor, db: Database, world: World
) -> None:
    conv, _, subject = _thread(ingest, db, world)
    forged = subject[: subject.index("[#")] + f"[#{conv}-000000000000]"
    assert _conversation_of(ingest, _reply(DANA, 4, Subject=forged)).id != conv


def test_a_stranger_replying_into_a_thread_is_flagged_not_appended(
    ingest: Ingestor, db: Database, world: World
) -> None:
    conv, our_id, subject = _thread(ingest, db, world)
    spoof = _reply(MALLORY, 5, Subject=subject, **{"In-Reply-To": our_id, "References": our_id})
    opened = _conversation_of(ingest, spoof)
    assert opened.id != conv and REVIEW_TAG in opened.tags
    with db.read() as session:
        original = session.get(Conversation, conv)
        assert original is not None and len(original.messages) == 2  # mail + agent reply
        flagged = session.scalars(
            select(Event).where(Event.kind == "mail.sender_not_participant")
        ).one()
        assert flagged.data["claimed_conversation_id"] == conv


def test_threading_corpus(ingest: Ingestor, db: Database, world: World) -> None:
    """40 threads answered by mail in three styles, plus 10 spoofed replies: all attached
    correctly, none of the spoofs in the customer's thread."""
    attached = spoofed_in = 0
    for n in range(40):
        conv, our_id, subject = _thread(ingest, db, world, n)
        style = [
            {"In-Reply-To": our_id},
            {"References": f"<start{n}@customer.example>"},
            {"Subject": subject},
        ][n % 3]
        attached += _conversation_of(ingest, _reply(DANA, 100 + n, **style)).id == conv
        if n % 4 == 0:
            spoof = _reply(MALLORY, 200 + n, **{"In-Reply-To": our_id, "Subject": subject})
            spoofed_in += _conversation_of(ingest, spoof).id == conv
    assert attached == 40
    assert spoofed_in == 0
