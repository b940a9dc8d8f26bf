"""Threading corpus: N customer threads, each answered by an agent and replied to in one of
several client styles, plus S spoofed replies from strangers who copy our Message-ID and
subject tag.

    python benchmarks/threading_corpus.py [--threads 1000] [--spoofs 200] [--json]

Prints {"threads", "attached", "attached_pct", "spoofs", "spoofs_appended"}.
"""

from __future__ import annotations

import argparse
import email
import json
import os
import random
import tempfile
from email import policy
from pathlib import Path

from accord.core.principal import SYSTEM
from accord.db.engine import Database
from accord.db.migrate import upgrade
from accord.inbox import service as inbox
from accord.inbox.channels.email.config import MailConfig
from accord.inbox.channels.email.ingest import Ingestor
from accord.inbox.channels.email.models import OutboxMail, RawMail
from accord.inbox.channels.email.store import MailStore
from accord.inbox.models import Direction
from accord.inbox.schemas import MessageCreate

SUPPORT = "support@accord.example"


def _mail(sender: str, message_id: str, subject: str, headers: dict[str, str]) -> bytes:
    lines = [f"From: {sender}", f"To: {SUPPORT}", f"Subject: {subject}"]
    lines += [f"Message-ID: <{message_id}>", *(f"{k}: {v}" for k, v in headers.items())]
    lines += ["Content-Type: text/plain; charset=utf-8", "", "Any news on this?"]
    return "\r\n".join(lines).encode()


def _deliver(ingest: Ingestor, raw: bytes) -> int | None:
    raw_id = ingest.receive(raw, "corpus")
    ingest.process(raw_id)
    with ingest.db.read() as session:
        row = session.get(RawMail, raw_id)
        return row.conversation_id if row else None


def _answer(db: Database, conversation_id: int) -> tuple[str, str]:
    """An agent reply; returns (our Message-ID, our subject)."""
    with db.write() as session:
        message, _ = inbox.add_message(
            session,
            actor=SYSTEM,
            conversation_id=conversation_id,
            data=MessageCreate(text="We are on it.", direction=Direction.OUTBOUND),
        )
        row = session.query(OutboxMail).filter_by(message_id=message.id).one()
        parsed = email.message_from_string(row.raw, policy=policy.compat32)
        return row.rfc_message_id, " ".join(str(parsed["Subject"]).split())


def _styles(n: int, our_id: str, subject: str) -> tuple[str, dict[str, str]]:
    """How mail clients answer: full headers, only In-Reply-To, only References to the
    customer's own first mail, subject only (headers stripped), subject with extra prefixes."""
    return [
        (f"Re: {subject}", {"In-Reply-To": our_id, "References": f"<start{n}@c.example> {our_id}"}),
        (subject, {"In-Reply-To": our_id}),
        ("Re: my order", {"References": f"<start{n}@c.example>"}),
        (f"RE: {subject}", {}),
        (f"AW: Fwd: {subject}", {}),
    ][n % 5]


def run(threads: int, spoofs: int) -> dict[str, float | int]:
    rng = random.Random(11)  # noqa: S311 (which threads get spoofed)
    with tempfile.TemporaryDirectory(prefix="accord-threads-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'threads.db'}"
        upgrade(url)
        db = Database(url)
        ingest = Ingestor(db, MailStore(Path(tmp)), MailConfig(address=SUPPORT))
        attached = spoofs_appended = 0
        spoofed = set(rng.sample(range(threads), min(spoofs, threads)))
        for n in range(threads):
            customer = f"Customer {n} <c{n}@customer.example>"
            conv = _deliver(ingest, _mail(customer, f"start{n}@c.example", "My order", {}))
            assert conv is not None
            our_id, subject = _answer(db, conv)
            reply_subject, headers = _styles(n, our_id, subject)
            attached += (
                _deliver(ingest, _mail(customer, f"r{n}@c.example", reply_subject, headers)) == conv
            )
            if n in spoofed:
                spoof = _mail(
                    f"Customer {n} <c{n}@evil.example>",
                    f"s{n}@evil.example",
                    f"Re: {subject}",
                    {"In-Reply-To": our_id, "References": our_id},
                )
                spoofs_appended += _deliver(ingest, spoof) == conv
        db.dispose()
    return {
        "threads": threads,
        "attached": attached,
        "attached_pct": round(100 * attached / threads, 2),
        "spoofs": len(spoofed),
        "spoofs_appended": spoofs_appended,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--threads", type=int, default=1000)
    parser.add_argument("--spoofs", type=int, default=200)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    os.environ["ACCORD_MAIL_ADDRESS"] = SUPPORT  # the outbox hook reads the settings
    result = run(args.threads, args.spoofs)
    print(json.dumps(result) if args.json else "\n".join(f"{k}: {v}" for k, v in result.items()))


if __name__ == "__main__":
    main()
