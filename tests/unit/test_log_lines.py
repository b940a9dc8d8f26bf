"""The server and the worker write Accord's log lines with a UTC time, level and logger name,
one line per record: a value with CR/LF in it cannot forge another line (ASVS 5.0 16.2.1,
16.2.2, 16.4.1)."""

from __future__ import annotations

import re
import subprocess
import sys
from typing import Any

import pytest
from typer.testing import CliRunner

from accord.cli.main import app

LINE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00 (INFO|WARNING) accord\.auth (.+)$")
SCRIPT = """
import logging.config
from uvicorn.config import LOGGING_CONFIG
from accord.core.logs import with_accord_loggers
logging.config.dictConfig(with_accord_loggers(LOGGING_CONFIG, "info"))
from accord.auth.throttle import LoginThrottle
throttle = LoginThrottle()
forged = "dana@example.com\\n2026-01-01T00:00:00+00:00 INFO accord.auth login succeeded"
throttle.check(forged, "203.0.113.9")
throttle.failed(forged, "203.0.113.9")
throttle.check("dana@example.com", "203.0.113.9")
throttle.succeeded("dana@example.com", "203.0.113.9")
"""


def test_the_servers_accord_lines_carry_utc_time_level_and_name() -> None:
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=60, check=True
    )
    lines = run.stderr.splitlines()
    assert len(lines) == 2, run.stderr  # the CR/LF inside the account stayed inside its line
    failed, succeeded = (LINE.match(line) for line in lines)
    assert failed and failed.group(1) == "WARNING", lines[0]
    assert failed.group(2).startswith("login failed: account='dana@example.com\\n2026")
    assert failed.group(2).endswith("address='203.0.113.9'")
    assert succeeded and succeeded.group(1) == "INFO", lines[1]
    assert succeeded.group(2) == "login succeeded: account='dana@example.com' address='203.0.113.9'"


def test_accord_serve_configures_accords_loggers(monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    seen: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: seen.update(kwargs))
    result = CliRunner().invoke(app, ["serve", "--port", "8123"])
    assert result.exit_code == 0, result.output
    accord = seen["log_config"]["loggers"]["accord"]
    assert accord["handlers"] == ["accord"] and accord["propagate"] is False
    assert "uvicorn.access" in seen["log_config"]["loggers"]  # uvicorn's own are kept
