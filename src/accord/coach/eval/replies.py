"""The agent replies of the coach's evaluation set, loaded by id from ``../shared/datasets``.

Ids: ``twcs:<tweet_id>`` (a brand reply of the Customer Support on Twitter sample, CC BY-NC-SA:
evaluation only) and ``bitext:<row>`` (a response of the Bitext sample, row number from 0,
CDLA-Sharing). The text is never stored in the project; the sample is drawn with a fixed seed
and split into a tuning half and a held-out half by a hash of the id, fixed in advance.
"""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

from accord.analysis.datasets import need, read_csv

TWCS = Path("twcs_sample") / "twcs_head_sample.csv.gz"
BITEXT = Path("bitext_customer_support") / "bitext_customer_support_4514.csv.gz"
SEED = 6
N_TWCS = 250
N_BITEXT = 70


def files(root: Path) -> tuple[Path, ...]:
    return need(root / TWCS), need(root / BITEXT)


def all_replies(root: Path) -> dict[str, str]:
    """Every candidate reply by id, in file order."""
    out = {
        f"twcs:{r['tweet_id']}": r["text"]
        for r in read_csv(need(root / TWCS))
        if r["inbound"] == "False" and r["text"].strip()
    }
    for i, r in enumerate(read_csv(need(root / BITEXT))):
        out[f"bitext:{i}"] = r["response"]
    return out


def customer_texts(root: Path) -> dict[str, str]:
    """What each reply answers: the customer tweet it responds to (when that tweet is in the
    sample) or the Bitext instruction."""
    tweets = {r["tweet_id"]: r for r in read_csv(need(root / TWCS))}
    out = {}
    for tweet_id, row in tweets.items():
        parent = row["in_response_to_tweet_id"].split(".")[0]
        if row["inbound"] == "False" and parent in tweets:
            out[f"twcs:{tweet_id}"] = tweets[parent]["text"]
    for i, r in enumerate(read_csv(need(root / BITEXT))):
        out[f"bitext:{i}"] = r["instruction"]
    return out


def sample_ids(root: Path) -> list[str]:
    """The evaluation sample: 250 brand tweets and 70 Bitext responses, seed 6."""
    replies = all_replies(root)
    twcs = sorted((k for k in replies if k.startswith("twcs:")), key=lambda k: int(k[5:]))
    bitext = sorted((k for k in replies if k.startswith("bitext:")), key=lambda k: int(k[7:]))
    rng = random.Random(SEED)  # noqa: S311 - a reproducible sample, not a secret
    return rng.sample(twcs, N_TWCS) + rng.sample(bitext, N_BITEXT)


def held_out(reply_id: str) -> bool:
    """The half never used for tuning: the sha256 of the id is even."""
    return int(hashlib.sha256(reply_id.encode()).hexdigest(), 16) % 2 == 0
