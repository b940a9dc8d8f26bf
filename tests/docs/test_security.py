"""SECURITY.md says what a reporter needs and README links it; the Makefile's bandit step fails on
a high-severity finding (run here on known-bad code), and `make lock` writes the installed set
for the offline dependency audit."""

from __future__ import annotations

import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SECTIONS = [
    "## Supported versions",
    "## Reporting a vulnerability",
    "## What to include",
    "## What happens next",
    "## Disclosure policy",
    "## Auditing dependencies",
]
HIGH = "import subprocess\n\n\ndef run(cmd: str) -> None:\n    subprocess.call(cmd, shell=True)\n"


def _recipe(target: str, tool: str) -> list[str]:
    """The line of ``target``'s recipe that runs ``tool``, with ``$(BIN)`` resolved."""
    lines = (ROOT / "Makefile").read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{target}:"))
    body = []
    for line in lines[start + 1 :]:
        if not line.startswith("\t"):
            break
        body.append(line.strip())
    found = next(line for line in body if tool in line)
    return shlex.split(found.replace("$(BIN)", str(BIN)))


def test_the_policy_has_every_section_and_readme_links_it() -> None:
    text = (ROOT / "SECURITY.md").read_text()
    assert all(section in text for section in SECTIONS)
    assert "Report a vulnerability" in text and "SECURITY_CONTACT" in text
    assert "pip-audit --strict --no-deps --disable-pip -r requirements.lock" in text
    readme = (ROOT / "README.md").read_text()
    assert "(SECURITY.md)" in readme
    commands = readme.split("```sh\n", 1)[1].split("```", 1)[0].splitlines()
    assert [c.split()[:2] for c in commands[:2]] == [["make", "demo"], ["make", "test"]]


def test_bandit_is_a_dev_dependency_and_a_lint_step() -> None:
    dev = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    assert any(req.startswith("bandit") for req in dev["dev"])
    assert _recipe("lint", "bandit")[1:] == ["-q", "-r", "src", "--severity-level", "high"]


@pytest.mark.parametrize(("code", "fails"), [(HIGH, True), ("VALUE = 1\n", False)])
def test_the_lint_step_fails_on_a_high_severity_finding(
    tmp_path: Path, code: str, fails: bool
) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "module.py").write_text(code)
    done = subprocess.run(_recipe("lint", "bandit"), cwd=tmp_path, capture_output=True, check=False)
    assert (done.returncode != 0) is fails, done.stdout.decode()


def test_make_lock_writes_the_installed_set_without_accord(tmp_path: Path) -> None:
    command = _recipe("lock", "freeze")
    assert command[-2] == ">" and command[-1] == "requirements.lock"
    done = subprocess.run(command[:-2], cwd=tmp_path, capture_output=True, check=True, text=True)
    pins = dict(line.split("==", 1) for line in done.stdout.splitlines() if "==" in line)
    assert "httpx" in pins and "bandit" in pins
    assert not any(name.lower() == "accord" for name in pins)
    assert not any(line.startswith("-e") for line in done.stdout.splitlines())
