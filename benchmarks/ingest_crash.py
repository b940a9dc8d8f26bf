"""Crash injection: `accord import mail` is killed with SIGKILL at random moments while it
ingests an mbox, and restarted until it finishes. Afterwards every generated mail must be
exactly one message, the ledger must hold each raw mail once with nothing pending, and SQLite's
integrity check must pass.

    python benchmarks/ingest_crash.py --runs 5 --messages 2000 [--kills 4] [--json]

Prints {"runs", "messages", "lost", "duplicated", "quarantined", "pending", "unmapped", "kills",
"raw_rows", "integrity", "seconds"}.
"""

from __future__ import annotations

import argparse
import json
import mailbox
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _mailgen import generate

from accord.db.migrate import upgrade


def _mbox(path: Path, mails: list[bytes]) -> None:
    box = mailbox.mbox(path)
    for raw in mails:
        box.add(raw)
    box.flush()
    box.close()


def _import_until_done(
    env: dict[str, str], mbox: Path, kills: int, rng: random.Random, messages: int
) -> int:
    """Run the import, killing it `kills` times at random moments; returns kills done."""
    # The kill window grows with the mailbox so that kills land all through a large import,
    # not only in its first seconds.
    window = max(8.0, messages / 250)
    done = 0
    command = [sys.executable, "-m", "accord", "import", "mail", str(mbox)]
    while True:
        child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)  # noqa: S603
        if done >= kills:
            if child.wait() != 0:
                raise SystemExit("the final, uninterrupted import failed")
            return done
        try:
            if child.wait(timeout=rng.uniform(1.0, window)) == 0:
                return done
        except subprocess.TimeoutExpired:
            child.kill()  # SIGKILL: no cleanup, no rollback handlers
            child.wait()
            done += 1


def _check(db_path: Path, mails: int, seed: int) -> dict[str, Any]:
    expected = {f"mail:bench{n}.{seed}@customer.example" for n in range(mails)}
    with sqlite3.connect(db_path) as conn:
        counts = dict(
            conn.execute(
                "SELECT external_id, count(*) FROM messages WHERE external_id LIKE 'mail:%' "
                "GROUP BY external_id"
            ).fetchall()
        )
        states = dict(
            conn.execute("SELECT state, count(*) FROM mail_raw GROUP BY state").fetchall()
        )
        unmapped = conn.execute(
            "SELECT count(*) FROM mail_raw WHERE state != 'quarantined' AND message_id IS NULL"
        ).fetchone()[0]
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        reasons = [
            r for (r,) in conn.execute("SELECT reason FROM mail_raw WHERE reason IS NOT NULL")
        ]
    return {
        "lost": len(expected - set(counts)),
        "duplicated": sum(c - 1 for c in counts.values()) + max(sum(states.values()) - mails, 0),
        "quarantined": states.get("quarantined", 0),
        "pending": states.get("pending", 0),
        "unmapped": unmapped,
        "raw_rows": sum(states.values()),
        "reasons": sorted(set(reasons)),  # why anything was quarantined, to tell a failure apart
        "integrity": integrity,
    }


def run_once(messages: int, kills: int, seed: int) -> dict[str, Any]:
    rng = random.Random(seed)  # noqa: S311 (timing of the kills, not secrets)
    with tempfile.TemporaryDirectory(prefix="accord-crash-") as tmp:
        root = Path(tmp)
        db_path = root / "crash.db"
        upgrade(f"sqlite:///{db_path}")
        _mbox(root / "in.mbox", generate(messages, seed))
        env = {
            **os.environ,
            "ACCORD_DATABASE_URL": f"sqlite:///{db_path}",
            "ACCORD_DATA_DIR": str(root / "data"),
        }
        done = _import_until_done(env, root / "in.mbox", kills, rng, messages)
        return {**_check(db_path, messages, seed), "kills": done}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--kills", type=int, default=4, help="SIGKILLs per run (at most)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    start = time.perf_counter()
    results = []
    for seed in range(args.runs):
        results.append(run_once(args.messages, args.kills, seed))
        # Progress on stderr: a 20 x 10,000 run takes the better part of an hour.
        print(f"run {seed + 1}/{args.runs}: {json.dumps(results[-1])}", file=sys.stderr)
    total: dict[str, object] = {"runs": args.runs, "messages": args.messages}
    for key in ("lost", "duplicated", "quarantined", "pending", "unmapped", "kills", "raw_rows"):
        total[key] = sum(int(r[key]) for r in results)
    total["integrity"] = "ok" if all(r["integrity"] == "ok" for r in results) else "FAILED"
    total["seconds"] = round(time.perf_counter() - start, 1)
    print(json.dumps(total) if args.json else "\n".join(f"{k}: {v}" for k, v in total.items()))


if __name__ == "__main__":
    main()
