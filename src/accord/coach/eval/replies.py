"""The agent replies of the coach's evaluation set, loaded by id from ``../shared/datasets``.

Ids: ``twcs:<tweet_id>`` (a brand reply of the Customer Support on Twitter sample, CC BY-NC-SA:
evaluation only) and ``bitext:<row>`` (a response of the Bitext sample, row number from 0,
CDLA-Sharing). Tweets come HTML-escaped as Twitter served them ("&amp;"); they are unescaped, as
Accord's channels deliver text. The text is never stored in the project; the sample is drawn
with a fixed seed and split into a tuning half and a held-out half by a hash of the id, fixed in
advance.
"""

from __future__ import annotations

import hashlib
import html
import random
import re
from functools import lru_cache
from pathlib import Path

from accord.analysis.datasets import need, read_csv

TWCS = Path("twcs_sample") / "twcs_head_sample.csv.gz"
BITEXT = Path("bitext_customer_support") / "bitext_customer_support_4514.csv.gz"
SEED = 6
N_TWCS = 250
N_BITEXT = 70
# The second random draw (issue #6): more replies, so that each criterion has enough positives.
EXTRA_SEED = 66
N_EXTRA_TWCS = 200
N_EXTRA_BITEXT = 50
# The third random draw (issue #6): the held-out support of most criteria was still under 60.
THIRD_SEED = 68
N_THIRD_TWCS = 200
N_THIRD_BITEXT = 40
# The fourth random draw (issue #6): more tuning material for the commonest misses.
FOURTH_SEED = 70
N_FOURTH_TWCS = 260
N_FOURTH_BITEXT = 40
# The replies labelled twice, to measure agreement between annotators.
AGREEMENT_SEED = 71
N_AGREEMENT = 120
# The targeted sample: replies a broad keyword prefilter (written independently of the coach's
# phrase lists) picks for the rare criteria, drawn at random among those it picks. Never mixed
# into the random draws' figures; part of the census (all brand replies) with them.
TARGET_SEED = 67
N_TARGETED = 40
PREFILTERS: dict[str, re.Pattern[str]] = {
    # any word of preference, opinion or choice
    "invites_input": re.compile(
        r"\b(?:prefer\w*|would\s+you\s+like|sounds?|thoughts?|think|which|suggest\w*|ideas?)\b",
        re.IGNORECASE,
    ),
    # any refusal or limit: the raw material of a defensive answer
    "defensive": re.compile(
        r"\b(?:policy|policies|unable|can't|cannot|can\s+not|not\s+able|unfortunately|"
        r"responsib\w*|fault|not\s+possible)\b",
        re.IGNORECASE,
    ),
    # any time expression: the raw material of next steps with a time
    "next_steps": re.compile(
        r"\b(?:hours?|days?|weeks?|minutes?|today|tomorrow|tonight|soon|shortly|"
        r"monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b",
        re.IGNORECASE,
    ),
}


def files(root: Path) -> tuple[Path, ...]:
    return need(root / TWCS), need(root / BITEXT)


@lru_cache(maxsize=4)
def _rows(path: Path) -> tuple[dict[str, str], ...]:
    # Read once per process: every draw is taken over the same files.
    return tuple(read_csv(need(path)))


def all_replies(root: Path) -> dict[str, str]:
    """Every candidate reply by id, in file order."""
    out = {
        f"twcs:{r['tweet_id']}": html.unescape(r["text"])
        for r in _rows(root / TWCS)
        if r["inbound"] == "False" and r["text"].strip()
    }
    for i, r in enumerate(_rows(root / BITEXT)):
        out[f"bitext:{i}"] = r["response"]
    return out


def customer_texts(root: Path) -> dict[str, str]:
    """What each reply answers: the customer tweet it responds to (when that tweet is in the
    sample) or the Bitext instruction."""
    tweets = {r["tweet_id"]: r for r in _rows(root / TWCS)}
    out = {}
    for tweet_id, row in tweets.items():
        parent = row["in_response_to_tweet_id"].split(".")[0]
        if row["inbound"] == "False" and parent in tweets:
            out[f"twcs:{tweet_id}"] = html.unescape(tweets[parent]["text"])
    for i, r in enumerate(_rows(root / BITEXT)):
        out[f"bitext:{i}"] = r["instruction"]
    return out


def sample_ids(root: Path) -> list[str]:
    """The evaluation sample: 250 brand tweets and 70 Bitext responses, seed 6."""
    twcs, bitext = _pools(root)
    rng = random.Random(SEED)  # noqa: S311 - a reproducible sample, not a secret
    return rng.sample(twcs, N_TWCS) + rng.sample(bitext, N_BITEXT)


def extra_sample_ids(root: Path) -> list[str]:
    """The second random draw: 200 brand tweets and 50 Bitext responses not in the first,
    seed 66."""
    first = set(sample_ids(root))
    twcs, bitext = _pools(root)
    rng = random.Random(EXTRA_SEED)  # noqa: S311 - a reproducible sample, not a secret
    return rng.sample([k for k in twcs if k not in first], N_EXTRA_TWCS) + rng.sample(
        [k for k in bitext if k not in first], N_EXTRA_BITEXT
    )


def third_sample_ids(root: Path) -> list[str]:
    """The third random draw: 200 brand tweets and 40 Bitext responses that neither earlier
    draw nor the targeted sample took, seed 68."""
    taken = set(sample_ids(root) + extra_sample_ids(root))
    taken.update(i for ids in targeted_ids(root).values() for i in ids)
    twcs, bitext = _pools(root)
    rng = random.Random(THIRD_SEED)  # noqa: S311 - a reproducible sample, not a secret
    return rng.sample([k for k in twcs if k not in taken], N_THIRD_TWCS) + rng.sample(
        [k for k in bitext if k not in taken], N_THIRD_BITEXT
    )


def fourth_sample_ids(root: Path) -> list[str]:
    """The fourth random draw: 260 brand tweets and 40 Bitext responses that no earlier draw
    and neither targeted sample took, seed 70."""
    taken = set(sample_ids(root) + extra_sample_ids(root) + third_sample_ids(root))
    for sample in (targeted_ids(root), second_targeted_ids(root)):
        taken.update(i for ids in sample.values() for i in ids)
    twcs, bitext = _pools(root)
    rng = random.Random(FOURTH_SEED)  # noqa: S311 - a reproducible sample, not a secret
    return rng.sample([k for k in twcs if k not in taken], N_FOURTH_TWCS) + rng.sample(
        [k for k in bitext if k not in taken], N_FOURTH_BITEXT
    )


def random_ids(root: Path) -> list[str]:
    """Every randomly drawn reply (all four draws)."""
    return (
        sample_ids(root) + extra_sample_ids(root) + third_sample_ids(root) + fourth_sample_ids(root)
    )


def agreement_ids(root: Path) -> list[str]:
    """120 replies of the third and fourth draws (seed 71) that a second annotator labelled
    again, blind to the first labels, to measure how far two annotators agree."""
    pool = third_sample_ids(root) + fourth_sample_ids(root)
    return random.Random(AGREEMENT_SEED).sample(pool, N_AGREEMENT)  # noqa: S311 - reproducible


def targeted_ids(root: Path) -> dict[str, list[str]]:
    """Per rare criterion, 40 brand tweets drawn (seed 67) among those its prefilter matches
    that no earlier draw took (a reply goes to the first criterion that draws it)."""
    taken = set(sample_ids(root) + extra_sample_ids(root))  # the draws made before it
    texts = all_replies(root)
    twcs, _ = _pools(root)
    rng = random.Random(TARGET_SEED)  # noqa: S311 - a reproducible sample, not a secret
    out: dict[str, list[str]] = {}
    for criterion, prefilter in PREFILTERS.items():
        pool = [k for k in twcs if k not in taken and prefilter.search(texts[k])]
        out[criterion] = rng.sample(pool, N_TARGETED)
        taken.update(out[criterion])
    return out


def second_targeted_ids(root: Path) -> dict[str, list[str]]:
    """A second targeted sample: every brand tweet that no earlier draw took and that a rare
    criterion's prefilter picks (a reply goes to the first criterion that picks it), in tweet-id
    order. The first targeted sample gave too few positives of each to tune or to measure on,
    and the TWCS sample has no more of them than this."""
    taken = set(sample_ids(root) + extra_sample_ids(root) + third_sample_ids(root))
    taken.update(i for ids in targeted_ids(root).values() for i in ids)
    texts = all_replies(root)
    twcs, _ = _pools(root)
    out: dict[str, list[str]] = {}
    for criterion, prefilter in PREFILTERS.items():
        out[criterion] = [k for k in twcs if k not in taken and prefilter.search(texts[k])]
        taken.update(out[criterion])
    return out


def remainder_ids(root: Path) -> list[str]:
    """Every brand tweet of the TWCS sample that no draw and neither targeted sample took, in
    tweet-id order: labelled so that the whole TWCS sample is (a census, GUIDE.md)."""
    taken = set(random_ids(root))
    for sample in (targeted_ids(root), second_targeted_ids(root)):
        taken.update(i for ids in sample.values() for i in ids)
    twcs, _ = _pools(root)
    return [k for k in twcs if k not in taken]


def _pools(root: Path) -> tuple[list[str], list[str]]:
    replies = all_replies(root)
    twcs = sorted((k for k in replies if k.startswith("twcs:")), key=lambda k: int(k[5:]))
    bitext = sorted((k for k in replies if k.startswith("bitext:")), key=lambda k: int(k[7:]))
    return twcs, bitext


def held_out(reply_id: str) -> bool:
    """The half never used for tuning: the sha256 of the id is even."""
    return int(hashlib.sha256(reply_id.encode()).hexdigest(), 16) % 2 == 0
