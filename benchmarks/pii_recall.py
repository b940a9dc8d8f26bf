"""Recall of the personal-data redaction on a generated, labelled corpus, as JSON.

    python benchmarks/pii_recall.py [--messages 2000] [--seed 15] [--misses 10]

Generates customer-service messages with planted personal data of every kind the redactor
handles (and order references, amounts and dates that must stay), redacts each with
`accord.privacy.redact` and prints recall per entity type, overall structured-PII recall,
recall on the customer's own name, e-mail and phone, the false-positive rate on the values
that must stay, and the latency per message (p50/p99). The labels are generated together
with the text, so they agree with it by construction. Exits 1 when a goal is missed
(structured recall >= 0.99, own fields 1.00).
"""

from __future__ import annotations

import argparse
import json
import sys

from accord.privacy.bench import GOALS, measure


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--misses", type=int, default=10, help="examples of misses to print")
    args = parser.parse_args()
    report = measure(args.messages, args.seed, args.misses)
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return 0 if all(report[k] >= goal for k, goal in GOALS.items()) else 1


if __name__ == "__main__":
    sys.exit(main())
