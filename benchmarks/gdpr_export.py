"""Time of the GDPR export of one customer with many conversations (goal: 1,000 in <= 5 min).

    python benchmarks/gdpr_export.py [--conversations 1000] [--database-url URL] [--json]

The customer is made through the real write paths: each conversation is a mail they sent (raw
mail stored, html part, a 4 KB attachment, analysed on arrival) and an agent's reply (queued as
outbound mail), so the export reads every kind of row and file. Then `accord customer export`'s
path (`accord.gdpr.export_to_path`) writes the zip, timed, and the customer is erased, timed
too. Prints {"seconds", "bytes", "conversations", "messages", "files", "erase_seconds",
"generate_seconds", "backend"}. SQLite in a temporary
directory by default; `--database-url` takes an empty PostgreSQL database instead (migrated here).
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from email.message import EmailMessage
from pathlib import Path

from sqlalchemy import select

from accord.core.principal import SYSTEM
from accord.db.engine import Database
from accord.db.migrate import upgrade
from accord.gdpr import erase, export_to_path
from accord.inbox import service as inbox
from accord.inbox.channels.email.config import MailConfig
from accord.inbox.channels.email.ingest import Ingestor
from accord.inbox.channels.email.store import MailStore
from accord.inbox.models import Conversation
from accord.inbox.schemas import MessageCreate
from accord.settings import get_settings

SUPPORT = "support@accord.example"
SENDER = "Pat Example <pat@customer.example>"
BODY = (
    "Order {n} arrived broken, the second time this month. I have attached the receipt. "
    "I want a refund today, or I will take this further."
)


def _mail(n: int) -> bytes:
    mail = EmailMessage()
    mail["From"], mail["To"] = SENDER, SUPPORT
    mail["Subject"] = f"Order {n} problem"
    mail["Date"] = "Mon, 02 Nov 2026 10:00:00 +0000"
    mail["Message-ID"] = f"<gdpr-bench-{n}@customer.example>"
    mail.set_content(BODY.format(n=n))
    mail.add_alternative(f"<p>{BODY.format(n=n)}</p>", subtype="html")
    receipt = (f"receipt {n} " * 400)[:4096].encode()
    mail.add_attachment(receipt, maintype="text", subtype="plain", filename=f"receipt-{n}.txt")
    return mail.as_bytes()


def generate(db: Database, data_dir: Path, conversations: int) -> int:
    """The customer and their conversations; returns the customer's id."""
    ingest = Ingestor(db, MailStore(data_dir), MailConfig(address=SUPPORT))
    for first in range(0, conversations, 50):
        group = [_mail(n) for n in range(first, min(first + 50, conversations))]
        ingest.receive_many([(f"bench:{first + i}", raw) for i, raw in enumerate(group)])
    outcome = ingest.process_pending()
    assert outcome["processed"] == conversations, outcome
    with db.read() as s:
        ids = list(s.scalars(select(Conversation.id).order_by(Conversation.id)))
        customer_id = s.scalar(select(Conversation.customer_id).limit(1))
    for first in range(0, len(ids), 100):
        with db.write() as s:
            for conversation_id in ids[first : first + 100]:
                reply = MessageCreate(text="Sorry about this: a refund is on its way today.")
                inbox.add_message(s, actor=SYSTEM, conversation_id=conversation_id, data=reply)
    assert customer_id is not None
    return int(customer_id)


def run(conversations: int, database_url: str | None) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="accord-gdpr-bench-") as tmp:
        root = Path(tmp)
        # The outbox hook reads the settings: replies are queued from our test address.
        os.environ.setdefault("ACCORD_MAIL_ADDRESS", SUPPORT)
        get_settings.cache_clear()
        url = database_url or f"sqlite:///{root / 'bench.db'}"
        upgrade(url)
        db = Database(url)
        started = time.perf_counter()
        customer_id = generate(db, root / "data", conversations)
        generated = time.perf_counter() - started
        out = root / "export.zip"
        started = time.perf_counter()
        summary = export_to_path(
            db, actor=SYSTEM, customer_id=customer_id, path=out, data_dir=root / "data", via="cli"
        )
        seconds = time.perf_counter() - started
        started = time.perf_counter()  # and then the erasure of the same customer
        erase(db, actor=SYSTEM, customer_id=customer_id, data_dir=root / "data", via="cli")
        erased = time.perf_counter() - started
        db.dispose()
    return {
        "seconds": round(seconds, 2),
        "bytes": summary.bytes,
        "conversations": summary.counts["conversations"],
        "messages": summary.counts["messages"],
        "files": len(summary.files),
        "goal_seconds": 300,
        "erase_seconds": round(erased, 2),
        "generate_seconds": round(generated, 1),
        "backend": "postgresql" if database_url else "sqlite",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--conversations", type=int, default=1000)
    parser.add_argument("--database-url", default=None, help="an empty database to use")
    parser.add_argument("--json", action="store_true", help="one line of JSON (the default)")
    args = parser.parse_args()
    print(json.dumps(run(args.conversations, args.database_url)))


if __name__ == "__main__":
    main()
