"""Coverage of the OWASP ASVS 5.0 checklist (docs/security/asvs/V*.yaml), overall and per chapter.

    .venv/bin/python benchmarks/asvs_coverage.py                 # a table
    .venv/bin/python benchmarks/asvs_coverage.py --json          # the same figures as JSON
    .venv/bin/python benchmarks/asvs_coverage.py --chapters V1-V7,V9

Levels are cumulative, as in ASVS: "L2" counts the level-1 and level-2 requirements, "L3" all
of them. For each: requirements, met, not applicable, not met, and
coverage = met / (requirements - not applicable). tests/unit/test_asvs_checklist.py checks the
files themselves (ids, levels, evidence).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
CHECKLIST = ROOT / "docs" / "security" / "asvs"
LEVELS = {"L1": 1, "L2": 2, "L3": 3}


def load(directory: Path) -> dict[str, dict[str, Any]]:
    files = sorted(directory.glob("V*.yaml"), key=lambda p: int(p.stem[1:]))
    return {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in files}


def figures(requirements: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    out = {}
    for name, top in LEVELS.items():
        chosen = [r for r in requirements if int(r["level"]) <= top]
        met = sum(r["status"] == "met" for r in chosen)
        na = sum(r["status"] == "not_applicable" for r in chosen)
        applicable = len(chosen) - na
        out[name] = {
            "requirements": len(chosen),
            "met": met,
            "not_applicable": na,
            "not_met": applicable - met,
            "coverage": round(met / applicable, 4) if applicable else None,
        }
    return out


def select(chapters: dict[str, dict[str, Any]], spec: str | None) -> dict[str, dict[str, Any]]:
    """`V1-V7,V9` -> those chapters (the ones that have a file)."""
    if not spec:
        return chapters
    wanted: set[int] = set()
    for part in spec.split(","):
        bounds = re.fullmatch(r"\s*V?(\d+)\s*(?:-\s*V?(\d+))?\s*", part)
        if bounds is None:
            raise SystemExit(f"not a chapter or range: {part!r} (e.g. V1-V7,V9)")
        low = int(bounds.group(1))
        wanted.update(range(low, int(bounds.group(2) or low) + 1))
    return {name: data for name, data in chapters.items() if int(name[1:]) in wanted}


def report(chapters: dict[str, dict[str, Any]]) -> dict[str, Any]:
    every = [r for data in chapters.values() for r in data["requirements"]]
    return {
        "standard": "OWASP ASVS 5.0.0",
        "levels_are_cumulative": True,
        "levels": figures(every),
        "chapters": {
            name: {"title": data["title"], "levels": figures(data["requirements"])}
            for name, data in chapters.items()
        },
    }


def _cells(numbers: dict[str, Any]) -> str:
    coverage = numbers["coverage"]
    shown = "-" if coverage is None else f"{coverage * 100:5.1f} %"
    return (
        f"{numbers['requirements']:>4} {numbers['met']:>4} {numbers['not_applicable']:>4} "
        f"{numbers['not_met']:>4} {shown:>8}"
    )


def table(result: dict[str, Any]) -> str:
    head = f"{'':<42}{'':<4}{'req':>4} {'met':>4} {'n/a':>4} {'not':>4} {'coverage':>8}"
    lines = [f"{result['standard']} checklist (levels cumulative: L2 = L1 + L2)", head]
    for name, data in result["chapters"].items():
        label = f"{name} {data['title']}"[:41]
        for level, numbers in data["levels"].items():
            lines.append(f"{label:<42}{level:<4}{_cells(numbers)}")
            label = ""
    lines.append("")
    for level, numbers in result["levels"].items():
        lines.append(f"{'All chapters above':<42}{level:<4}{_cells(numbers)}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--chapters", help="only these chapters, e.g. V1-V7,V9")
    parser.add_argument("--dir", type=Path, default=CHECKLIST, help="the checklist folder")
    args = parser.parse_args(argv)
    chapters = select(load(args.dir), args.chapters)
    if not chapters:
        wanted = f" for {args.chapters}" if args.chapters else ""
        print(f"no chapter file in {args.dir}{wanted}", file=sys.stderr)
        return 1
    result = report(chapters)
    print(json.dumps(result, indent=2) if args.json else table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
