"""Raw-first ingest: stored before parsing, exactly one message per mail however often it
arrives, poison quarantined with a reason and never in the way of the rest."""

from __future__ import annotations

import base64
import mailbox
import os
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from accord.core.principal import SYSTEM
from accord.db.engine import Database
from accord.inbox.channels.email import service
from accord.inbox.channels.email.ingest import MAX_ATTEMPTS, Ingestor
from accord.inbox.channels.email.limits import Limits
from accord.inbox.channels.email.models import RawMail
from accord.inbox.models import Conversation, Message
from tests.unit.mail.factory import mail, malformed_corpus, png_file


def _count(db: Database, column: object) -> int:
    with db.read() as session:
        return int(session.scalar(select(func.count(column))) or 0)  # type: ignore[arg-type]


def test_raw_is_stored_and_registered_before_parsing(ingest: Ingestor, db: Database) -> None:
    raw = mail()
    raw_id = ingest.receive(raw, "test")
    with db.read() as session:
        row = session.get(RawMail, raw_id)
        assert row is not None and row.state == "pending"
        assert ingest.store.get_raw(row.sha256) == raw
    assert ingest.process(raw_id) == "processed"
    with db.read() as session:
        row = session.get(RawMail, raw_id)
        assert row is not None and row.message_id is not None
        message = session.get(Message, row.message_id)
        assert message is not None and message.external_id == "mail:m1@customer.example"
        conversation = session.get(Conversation, message.conversation_id)
        assert conversation is not None and conversation.channel == "email"


def test_analysis_sees_only_the_new_text(ingest: Ingestor, db: Database) -> None:
    body = (
        "This is unacceptable.\r\n\r\nOn Mon, 2 Nov 2026, Support <s@accord.example> wrote:\r\n> hi"
    )
    raw_id = ingest.receive(mail(body=body), "test")
    ingest.process(raw_id)
    with db.read() as session:
        row = session.get(RawMail, raw_id)
        assert row is not None and row.quoted_text and "> hi" in row.quoted_text
        message = session.get(Message, row.message_id)
        assert message is not None and message.text == "This is unacceptable."


def test_the_same_mbox_three_times_creates_no_duplicates(
    ingest: Ingestor, db: Database, tmp_path: Path
) -> None:
    box = mailbox.mbox(tmp_path / "in.mbox")
    for n in range(20):
        box.add(mail(message_id=f"<m{n}@customer.example>", body=f"mail {n}"))
    box.add(mail(message_id=None, body="no message id"))
    box.flush()
    box.close()
    messages = _count(db, Message.id)
    first = service.import_path(ingest, tmp_path / "in.mbox")
    assert first["processed"] == 21
    for _ in range(2):
        again = service.import_path(ingest, tmp_path / "in.mbox")
        assert again == {"already_processed": 21}
    assert _count(db, Message.id) == messages + 21
    assert _count(db, RawMail.id) == 21


def test_receive_many_registers_each_distinct_mail_once(ingest: Ingestor, db: Database) -> None:
    known = ingest.receive(mail(message_id="<known@x.example>"), "imap:1")
    batch = [
        ("imap:2", mail(message_id="<known@x.example>")),  # registered before this batch
        ("imap:3", mail(message_id="<new@x.example>")),
        ("imap:4", mail(message_id="<new@x.example>")),  # the same bytes twice in one batch
        ("imap:5", mail(message_id="<other@x.example>")),
    ]
    ids = ingest.receive_many(batch)
    assert ids[0] == known and ids[1] == ids[2] and len(set(ids)) == 3
    assert _count(db, RawMail.id) == 3
    assert ingest.process_pending() == {"processed": 3}


def test_same_message_id_with_other_bytes_is_a_duplicate(ingest: Ingestor, db: Database) -> None:
    first = ingest.receive(mail(), "imap:1")
    second = ingest.receive(mail(extra={"Received": "by relay.example"}), "imap:2")
    assert first != second
    assert [ingest.process(first), ingest.process(second)] == ["processed", "duplicate"]
    with db.read() as session:
        rows = [session.get(RawMail, i) for i in (first, second)]
        assert rows[0] is not None and rows[1] is not None
        assert rows[0].message_id == rows[1].message_id


def test_malformed_corpus_nothing_lost_every_failure_quarantined(
    ingest: Ingestor, db: Database
) -> None:
    corpus = malformed_corpus(int(os.environ.get("ACCORD_MAIL_CORPUS", "300")))
    ids = {ingest.receive(raw, f"corpus:{n}") for n, raw in enumerate(corpus)}
    outcome = ingest.process_pending()
    assert "error" not in outcome
    assert sum(outcome.values()) == len(ids)
    with db.read() as session:
        rows = session.scalars(select(RawMail)).all()
    assert {r.id for r in rows} == ids  # none lost
    assert {r.state for r in rows} <= {"processed", "duplicate", "quarantined"}
    quarantined = [r for r in rows if r.state == "quarantined"]
    assert quarantined and all(r.reason for r in quarantined)
    assert all(r.message_id is not None for r in rows if r.state != "quarantined")


def test_poison_that_breaks_delivery_is_quarantined_and_the_rest_proceeds(
    ingest: Ingestor, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from accord.inbox.channels.email import delivery

    original = delivery.deliver_mail

    def explode_on_poison(*args: object, **kwargs: object) -> str:
        parsed = args[-1]
        if "poison" in getattr(parsed, "subject", ""):
            raise RuntimeError("bug triggered by this mail")
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(delivery, "deliver_mail", explode_on_poison)
    ingest.receive(mail(subject="poison", message_id="<p@x.example>"), "t")
    ingest.receive(mail(message_id="<ok@x.example>"), "t")
    outcome = ingest.process_pending()
    assert outcome == {"quarantined": 1, "processed": 1}
    with db.read() as session:
        reason = session.scalar(select(RawMail.reason).where(RawMail.state == "quarantined"))
    assert reason == "internal error: RuntimeError"


def test_a_mail_that_keeps_killing_the_worker_is_given_up(ingest: Ingestor, db: Database) -> None:
    raw_id = ingest.receive(mail(), "t")
    for _ in range(MAX_ATTEMPTS):  # attempts that never finished (the worker died each time)
        ingest._count_attempt([raw_id])
    assert ingest.process_pending() == {"quarantined": 1}
    with db.read() as session:
        row = session.get(RawMail, raw_id)
        assert row is not None and row.reason == f"gave up after {MAX_ATTEMPTS} attempts"


def test_a_mail_killed_fewer_times_than_the_limit_is_still_delivered(
    ingest: Ingestor, db: Database
) -> None:
    raw_id = ingest.receive(mail(), "t")
    for _ in range(MAX_ATTEMPTS - 1):  # caught by chance in a few random kills
        ingest._count_attempt([raw_id])
    assert ingest.process_pending() == {"processed": 1}


def test_quarantined_mail_is_listed_and_reprocessable(
    db: Database, tmp_path: Path, ingest: Ingestor
) -> None:
    strict = Ingestor(
        db, ingest.store, type(ingest.config)(ingest.config.address, limits=Limits(max_bytes=1024))
    )
    raw_id = strict.receive(mail(body="x" * 2000), "t")
    assert strict.process(raw_id) == "quarantined"
    with db.read() as session:
        rows, total = service.list_quarantined(session, SYSTEM)
        assert total == 1 and "byte cap" in (rows[0].reason or "")
    assert service.reprocess(db, ingest, SYSTEM, [raw_id, 999]) == {
        raw_id: "processed",
        999: "not_quarantined",
    }


def test_attachments_are_stored_under_random_ids(ingest: Ingestor, db: Database) -> None:
    raw = (
        b"From: dana@customer.example\r\nSubject: photo\r\nMessage-ID: <a@x.example>\r\n"
        b'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="x"\r\n\r\n--x\r\n'
        b"Content-Type: text/plain\r\n\r\nSee photo\r\n--x\r\nContent-Type: image/png\r\n"
        b'Content-Disposition: attachment; filename="../../../etc/passwd"\r\n'
        b"Content-Transfer-Encoding: base64\r\n\r\n"
        + base64.b64encode(png_file())
        + b"\r\n--x--\r\n"
    )
    raw_id = ingest.receive(raw, "t")
    ingest.process(raw_id)
    with db.read() as session:
        row = session.get(RawMail, raw_id)
        assert row is not None
        message = session.get(Message, row.message_id)
        assert message is not None
    [meta] = message.attachments
    assert meta["filename"] == "../../../etc/passwd" and meta["size"] == len(png_file())
    path = ingest.store.attachment_path(meta["id"])
    assert path.read_bytes() == png_file()
    assert path.resolve().is_relative_to(ingest.store.root.resolve())


def test_a_failing_analysis_never_costs_the_mail(
    ingest: Ingestor, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from accord.insights import service as insights

    def broken(*_args: object) -> None:
        raise RuntimeError("analysis is down")

    monkeypatch.setattr(insights, "analyse_conversation", broken)
    assert ingest.process(ingest.receive(mail(), "t")) == "processed"


def test_two_workers_on_the_same_mail_store_it_once(
    ingest: Ingestor, db: Database, tmp_path: Path
) -> None:
    """The same mail fetched twice (different bytes, same Message-ID) and two workers racing."""
    from concurrent.futures import ThreadPoolExecutor

    before = _count(db, Message.id)
    for n in range(30):
        for copy in ("a", "b"):
            raw = mail(message_id=f"<race{n}@customer.example>", extra={"X-Copy": copy})
            ingest.receive(raw, f"race:{n}{copy}")
    second = Ingestor(ingest.db, ingest.store, ingest.config)
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda worker: worker.process_pending(), [ingest, second]))
    total = results[0] + results[1]
    assert total["processed"] == 30 and total["duplicate"] == 30
    assert "quarantined" not in total
    assert _count(db, Message.id) == before + 30


def test_a_kill_counts_against_the_group_at_work_not_the_whole_batch(
    ingest: Ingestor, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = [ingest.receive(mail(message_id=f"<k{n}@x.example>"), "t") for n in range(60)]
    original = Ingestor._process_group
    groups: list[list[int]] = []

    def killed_in_the_second_group(self: Ingestor, group: list[int]) -> Counter[str]:
        groups.append(group)
        if len(groups) == 2:
            raise KeyboardInterrupt  # stands for SIGKILL: nothing after this runs
        return original(self, group)

    monkeypatch.setattr(Ingestor, "_process_group", killed_in_the_second_group)
    with pytest.raises(KeyboardInterrupt):
        ingest.process_ids(ids)
    with db.read() as session:
        attempts = {r.id: r.attempts for r in session.execute(select(RawMail.id, RawMail.attempts))}
    assert [attempts[i] for i in groups[1]] == [1] * len(groups[1])  # the group at work
    untouched = [i for i in ids if i not in groups[0] and i not in groups[1]]
    assert untouched and all(attempts[i] == 0 for i in untouched)  # no suspicion on the rest
