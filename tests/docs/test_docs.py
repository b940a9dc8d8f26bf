"""Every setting, error code and CLI command is documented."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import typer

from accord.cli.main import app
from accord.core.errors import ALL_ERRORS
from accord.settings import Settings

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_every_setting_is_documented() -> None:
    text = (DOCS / "settings.md").read_text()
    missing = [
        f"ACCORD_{n.upper()}" for n in Settings.model_fields if f"`ACCORD_{n.upper()}`" not in text
    ]
    assert not missing


def test_every_error_code_is_documented() -> None:
    text = (DOCS / "errors.md").read_text()
    codes = {e.code for e in ALL_ERRORS} | {"internal_error", "method_not_allowed"}
    documented = set(re.findall(r"^\| `([a-z_]+)` \| (\d{3})", text, re.M))
    assert {c for c, _ in documented} >= codes
    by_code = {e.code: str(e.status) for e in ALL_ERRORS}
    assert all(by_code[c] == s for c, s in documented if c in by_code)


def _commands(group: Any, prefix: str = "") -> list[str]:
    names = []
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            names += _commands(command, f"{prefix}{name} ")
        else:
            names.append(f"{prefix}{name}")
    return names


def test_every_cli_command_is_documented() -> None:
    text = (DOCS / "cli.md").read_text()
    root = typer.main.get_command(app)
    missing = [c for c in _commands(root) if f"`accord {c}" not in text]
    assert not missing, f"document these commands in docs/cli.md: {missing}"
