"""benchmarks/dependency_audit.py (ASVS 15.2.1): components judged from their project pages,
served here by a real HTTP server on loopback with pages shaped like PyPI's."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from packaging.specifiers import SpecifierSet

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "dependency_audit.py"
NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("dependency_audit", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["dependency_audit"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


audit = _load()


def _file(days_ago: float, *, yanked: bool = False, requires: str | None = None) -> dict[str, Any]:
    stamp = (NOW - timedelta(days=days_ago)).isoformat().replace("+00:00", "Z")
    return {"upload_time_iso_8601": stamp, "yanked": yanked, "requires_python": requires}


def _page(releases: dict[str, list[dict[str, Any]]], vulns: list[str] = ()) -> dict[str, Any]:  # type: ignore[assignment]
    latest = max(releases, key=lambda v: audit.Version(v))
    return {
        "info": {"version": latest},
        "releases": releases,
        "vulnerabilities": [{"id": v} for v in vulns],
    }


PAGES = {
    "current": _page({"1.0": [_file(400)], "1.1": [_file(30)]}),
    "fresh": _page({"1.0": [_file(400)], "1.1": [_file(3)]}),
    "stale": _page({"1.0": [_file(400)], "1.1": [_file(60)], "1.2": [_file(5)]}),
    "prerelease": _page({"1.0": [_file(400)], "2.0rc1": [_file(100)]}),
    "yanked": _page({"1.0": [_file(400)], "1.1": [_file(100, yanked=True)]}),
    "other-python": _page({"1.0": [_file(400)], "2.0": [_file(100, requires=">=4")]}),
    "unfixed": _page({"1.0": [_file(400)]}, vulns=["GHSA-xxxx"]),
    "pinned": _page({"3.0": [_file(400)], "4.0": [_file(100)]}),
}


def _judge(name: str, installed: str, pins: list[tuple[str, SpecifierSet]] = ()) -> Any:  # type: ignore[assignment]
    component = audit.Component(name, installed)
    audit.judge(component, PAGES[name], NOW, 14, list(pins))
    return component


@pytest.mark.parametrize(
    ("name", "installed", "verdict"),
    [
        ("current", "1.1", "current"),
        ("fresh", "1.0", "within_frame"),  # the fix is 3 days old: within 14
        ("current", "1.0", "stale"),  # a newer release 30 days old
        ("stale", "1.0", "stale"),  # the oldest newer release counts, not the newest
        ("prerelease", "1.0", "current"),
        ("yanked", "1.0", "current"),
        ("other-python", "1.0", "current"),
        ("unfixed", "1.0", "vulnerable"),
    ],
)
def test_verdicts(name: str, installed: str, verdict: str) -> None:
    assert _judge(name, installed).verdict == verdict


def test_a_release_a_dependent_excludes_is_held_back_with_the_pin_named() -> None:
    held = _judge("pinned", "3.0", [("spacy", SpecifierSet("<4"))])
    assert held.verdict == "held_back" and "spacy <4" in held.reason
    assert _judge("pinned", "3.0").verdict == "stale"


def _serve(pages: dict[str, dict[str, Any]]) -> tuple[ThreadingHTTPServer, str]:
    class Index(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = self.path.strip("/").split("/")  # pypi/NAME/json
            page = pages.get(parts[1]) if len(parts) == 3 else None
            body = json.dumps(page).encode() if page else b"not found"
            self.send_response(200 if page else 404)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Index)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture
def index() -> Iterator[str]:
    server, url = _serve(PAGES)
    yield url
    server.shutdown()
    server.server_close()


def test_an_unreadable_page_fails_never_passes(index: str) -> None:
    found = audit.audit({"current": "1.1", "missing": "1.0"}, index=index, now=NOW, pins={})
    verdicts = {c.name: c.verdict for c in found}
    assert verdicts == {"current": "current", "missing": "unknown"}
    result = audit.summary(found, 14)
    assert result["unknown"] == 1 and [f["name"] for f in result["failing"]] == ["missing"]


def test_the_command_exits_1_on_a_breach_and_0_when_all_pass(index: str, tmp_path: Path) -> None:
    lock = tmp_path / "requirements.lock"
    lock.write_text("current==1.1\nstale==1.0\n")
    command = [sys.executable, str(SCRIPT), "-r", str(lock), "--index", index, "--json"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 1, done.stderr
    assert [f["name"] for f in json.loads(done.stdout)["failing"]] == ["stale"]
    lock.write_text("current==1.1\n")
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0 and json.loads(done.stdout)["current"] == 1


def test_a_lock_line_without_one_exact_pin_is_refused(tmp_path: Path) -> None:
    lock = tmp_path / "requirements.lock"
    lock.write_text("fastapi>=0.1\n")
    with pytest.raises(SystemExit, match=r"requirements\.lock:1: pin one exact version"):
        audit.installed_from_lock(lock)


def test_the_runtime_closure_holds_accord_s_direct_dependencies() -> None:
    closure = audit.runtime_closure()
    assert {"fastapi", "sqlalchemy", "cryptography", "certifi"} <= set(closure)
    assert "pytest" not in closure  # a development tool, not part of what runs
