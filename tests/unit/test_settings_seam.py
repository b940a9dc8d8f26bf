"""Domain code is handed its settings; only the entry points read the process's own.

`accord.settings.get_settings()` reads the environment once per process. Called from a service
it would make `create_app(settings)` configure nothing and tests set environment variables, so
only the shells and entry points may use it: the app factories, the CLI, the job entry points
and Alembic's env. Every other module gets a `Settings` (or the values it needs) from its
caller, or a session's through `accord.settings.settings_of`.

(An import-linter contract cannot say this: the domain may import `accord.settings` for the
`Settings` type and `settings_of`, just not call the process-wide reader.)
"""

from __future__ import annotations

import ast
from pathlib import Path

import accord

SRC = Path(accord.__file__).parent
# The shells and entry points, relative to src/accord: a folder covers what is inside it.
ENTRY_POINTS = (
    "api/",
    "web/",
    "cli/",
    "jobs/",
    "app.py",
    "__main__.py",
    "settings.py",  # where it is defined
    "db/migrations/",
)
READER = "get_settings"


def _uses(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "accord.settings":
            found += [f"imports it (line {node.lineno})" for a in node.names if a.name == READER]
        elif isinstance(node, ast.Attribute) and node.attr == READER:
            found.append(f"uses .{READER} (line {node.lineno})")
    return found


def _domain_modules() -> list[Path]:
    modules = []
    for path in sorted(SRC.rglob("*.py")):
        relative = path.relative_to(SRC).as_posix()
        if not relative.startswith(ENTRY_POINTS):
            modules.append(path)
    return modules


def test_the_domain_never_reads_the_process_settings() -> None:
    offenders = [
        f"accord/{path.relative_to(SRC).as_posix()}: {use}"
        for path in _domain_modules()
        for use in _uses(path)
    ]
    assert offenders == [], "pass the settings in instead:\n" + "\n".join(offenders)


def test_the_check_sees_the_domain_and_finds_a_read(tmp_path: Path) -> None:
    domain = {p.relative_to(SRC).as_posix() for p in _domain_modules()}
    assert {"cases/policies/in_force.py", "coach/policy.py", "analysis/taxonomy.py"} <= domain
    assert "cli/main.py" not in domain and "jobs/tasks.py" not in domain
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from accord.settings import get_settings\n"
        "import accord.settings\n"
        "x = accord.settings.get_settings().playbooks_dir\n"
    )
    assert len(_uses(sample)) == 2
