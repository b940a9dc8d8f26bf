"""Ingest throughput on SQLite (WAL, synchronous=FULL): raw store + ledger + parse + message
rows + analysis hooks, end to end.

    python benchmarks/ingest_throughput.py [--messages 2000] [--repeat 1] [--without-hooks] [--json]

Prints {"emails_per_s": ..., "messages": N, "seconds": ..., "backlog_10k_minutes": ...}; with
--repeat N the median run's figures and every run's emails/s (a shared machine's speed varies
by a fifth from one run to the next).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _mailgen import generate

from accord.db.engine import Database
from accord.db.migrate import upgrade
from accord.inbox.channels.email.config import MailConfig
from accord.inbox.channels.email.ingest import Ingestor
from accord.inbox.channels.email.store import MailStore


def run(messages: int) -> dict[str, float | int | str]:
    with tempfile.TemporaryDirectory(prefix="accord-bench-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        upgrade(url)
        db = Database(url)
        ingest = Ingestor(db, MailStore(Path(tmp)), MailConfig(address="support@accord.example"))
        mails = generate(messages)
        start = time.perf_counter()
        for first in range(0, len(mails), 50):  # as `accord import mail` registers them
            group = mails[first : first + 50]
            ingest.receive_many([(f"bench:{first + i}", raw) for i, raw in enumerate(group)])
        outcome = ingest.process_pending()
        seconds = time.perf_counter() - start
        db.dispose()
    rate = messages / seconds
    return {
        "emails_per_s": round(rate, 1),
        "messages": messages,
        "seconds": round(seconds, 2),
        "backlog_10k_minutes": round(10_000 / rate / 60, 2),
        "outcome": json.dumps(dict(outcome), sort_keys=True),
        "backend": "sqlite synchronous=FULL",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=1, help="runs; the median one is printed")
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--without-hooks",
        action="store_true",
        help="replace the analysis and case hooks with no-ops: the email channel's own cost",
    )
    args = parser.parse_args()
    if args.without_hooks:
        from accord.cases import hooks
        from accord.insights import service

        service.refresh_after_message = lambda *_a: None  # type: ignore[assignment]
        hooks.after_message = lambda *_a: None  # type: ignore[assignment]
    runs = [run(args.messages) for _ in range(max(1, args.repeat))]
    rates = [float(r["emails_per_s"]) for r in runs]
    result: dict[str, object] = dict(runs[rates.index(statistics.median_low(rates))])
    if len(runs) > 1:
        result = {**result, "runs_emails_per_s": rates, "median_of": len(runs)}
    print(json.dumps(result) if args.json else "\n".join(f"{k}: {v}" for k, v in result.items()))


if __name__ == "__main__":
    main()
