"""How much of a complaint set the vocabulary packs cover: the share of complaints whose topic
is "other" and whose cause is "unknown", per domain, for each pack choice.

    python benchmarks/analysis_packs_coverage.py [--data ../shared/datasets] [--json]

Reads complaints_twitter/complaints_xci_severity.csv (evaluation only: nothing here is fitted,
and the packs were written without reading it) and keeps the rows with complaint == 1. Each
domain is scored with the retail pack (the default), the general pack, the pack that matches
the domain (transport: travel, software: saas, services: telecom + banking, the product
domains: retail) and that pack followed by general.
"""

from __future__ import annotations

import argparse
import csv
import json
from collections import defaultdict
from pathlib import Path

from accord.analysis import Analyzer, Taxonomy, load_analyzer

FILE = Path("complaints_twitter") / "complaints_xci_severity.csv"
MATCHING = {"transport": ["travel"], "software": ["saas"], "services": ["telecom", "banking"]}


def _choices(domain: str) -> dict[str, list[str]]:
    matching = MATCHING.get(domain, ["retail"])
    return {
        "retail": ["retail"],
        "general": ["general"],
        "matching": matching,
        "matching+general": [*matching, "general"],
    }


def _rates(engine: Analyzer, texts: list[str]) -> dict[str, float]:
    results = engine.analyze_batch(texts)
    n = len(results)
    return {
        "other": round(sum(r.topic == "other" for r in results) / n, 3),
        "unknown": round(sum(r.cause == "unknown" for r in results) / n, 3),
    }


def measure(data: Path) -> dict[str, dict[str, object]]:
    by_domain: dict[str, list[str]] = defaultdict(list)
    with (data / FILE).open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["complaint"] == "1":
                by_domain[row["domain"]].append(row["text"])
    by_domain["ALL"] = [t for texts in list(by_domain.values()) for t in texts]
    heads = load_analyzer().heads
    engines: dict[tuple[str, ...], Analyzer] = {}
    out: dict[str, dict[str, object]] = {}
    for domain in sorted(by_domain):
        texts = by_domain[domain]
        row: dict[str, object] = {"n": len(texts)}
        for label, packs in _choices(domain).items():
            key = tuple(packs)
            if domain == "ALL" and label.startswith("matching"):
                continue  # no one pack matches every domain
            engine = engines.setdefault(key, Analyzer(heads, Taxonomy.packs(key)))
            row[label] = {"packs": ",".join(packs), **_rates(engine, texts)}
        out[domain] = row
    return out


def _print(table: dict[str, dict[str, object]]) -> None:
    print(f"{'domain':12} {'n':>5}  {'choice':17} {'packs':22} {'other':>6} {'unknown':>8}")
    for domain, row in table.items():
        for label, value in row.items():
            if not isinstance(value, dict):
                continue
            print(
                f"{domain:12} {row['n']:>5}  {label:17} {value['packs']:22} "
                f"{value['other']:>6.1%} {value['unknown']:>8.1%}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=Path("../shared/datasets"))
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    table = measure(args.data)
    if args.json:
        print(json.dumps(table, indent=1))
    else:
        _print(table)


if __name__ == "__main__":
    main()
