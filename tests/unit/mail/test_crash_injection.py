"""Crash injection at CI size (issue #4): `accord import mail` is SIGKILLed at random moments
while it ingests 2,000 generated mails and restarted until done, five times. Nothing may be
lost or duplicated, nothing left pending, every raw mail mapped to exactly one row, and
SQLite's integrity check must pass. `benchmarks/ingest_crash.py` runs the larger sizes."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "benchmarks"))

from ingest_crash import run_once

MESSAGES = int(os.environ.get("ACCORD_CRASH_MESSAGES", "2000"))


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(int(os.environ.get("ACCORD_CRASH_RUNS", "5"))))
def test_killing_the_importer_loses_and_duplicates_nothing(seed: int) -> None:
    result = run_once(MESSAGES, kills=4, seed=seed)
    assert result["kills"] >= 1, "the importer was never killed: the run proves nothing"
    counts = ("lost", "duplicated", "quarantined", "pending", "unmapped")
    assert [result[k] for k in counts] == [0] * len(counts), result  # with the reasons
    assert result["raw_rows"] == MESSAGES
    assert result["integrity"] == "ok"
