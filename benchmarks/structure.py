"""Print the shape of the `accord` package: modules per package, import cycles between the
top-level packages, and names declared in more than one module.

    .venv/bin/python benchmarks/structure.py [--src DIR] [--json]

Issue 19 measures its design steps with it (before/after): the import graph comes from grimp
(import-linter's own graph builder), the declarations from the standard library's ``ast``.
"""

from __future__ import annotations

import argparse
import ast
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import grimp

# Names every module may define for itself without declaring a term twice.
ORDINARY = {"log", "router", "__all__", "T", "E", "M"}


def modules_per_package(src: Path) -> dict[str, int]:
    counts: Counter[str] = Counter()
    for path in (src / "accord").rglob("*.py"):
        parts = path.relative_to(src / "accord").parts
        counts[parts[0] if len(parts) > 1 else "(top)"] += 1
    return dict(sorted(counts.items()))


def package_cycles(graph: Any) -> list[list[str]]:
    """Pairs of top-level packages that import each other (directly, module to module)."""
    edges: set[tuple[str, str]] = set()
    for module in graph.modules:
        parts = module.split(".")
        if len(parts) < 2:
            continue
        for imported in graph.find_modules_directly_imported_by(module):
            other = imported.split(".")
            if len(other) >= 2 and other[1] != parts[1]:
                edges.add((parts[1], other[1]))
    return sorted([a, b] for a, b in edges if a < b and (b, a) in edges)


def declarations(src: Path) -> dict[str, list[str]]:
    """Classes and module-level constants defined under the same name in several modules."""
    where: defaultdict[str, list[str]] = defaultdict(list)
    for path in sorted((src / "accord").rglob("*.py")):
        if "migrations" in path.parts:
            continue
        module = ".".join(path.relative_to(src).with_suffix("").parts)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            for name in _declared(node):
                if name not in ORDINARY and not name.startswith("_"):
                    where[name].append(module)
    return {name: mods for name, mods in sorted(where.items()) if len(mods) > 1}


def _declared(node: ast.stmt) -> list[str]:
    if isinstance(node, ast.ClassDef):
        return [node.name]
    if isinstance(node, ast.Assign):
        return [t.id for t in node.targets if isinstance(t, ast.Name) and t.id.isupper()]
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return [node.target.id] if node.target.id.isupper() else []
    return []


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", type=Path, default=Path(__file__).parent.parent / "src")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(args.src))
    graph = grimp.build_graph("accord")
    figures = {
        "modules_per_package": modules_per_package(args.src),
        "package_cycles": package_cycles(graph),
        "declared_more_than_once": declarations(args.src),
    }
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print("modules per package:", figures["modules_per_package"])
    print(f"package pairs importing each other: {len(figures['package_cycles'])}")
    for a, b in figures["package_cycles"]:
        print(f"  {a} <-> {b}")
    repeated = figures["declared_more_than_once"]
    print(f"names declared in more than one module: {len(repeated)}")
    for name, mods in repeated.items():
        print(f"  {name}: {', '.join(mods)}")


if __name__ == "__main__":
    main()
