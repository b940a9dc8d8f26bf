"""Are the installed dependencies within the remediation time frames (ASVS 15.2.1)?

    .venv/bin/python benchmarks/dependency_audit.py                  # a table, exit 1 on a breach
    .venv/bin/python benchmarks/dependency_audit.py --json
    .venv/bin/python benchmarks/dependency_audit.py -r requirements.lock --frame-days 14

pip-audit asks PyPI (or OSV) about each installed *version*; where only PyPI's project pages
are reachable (this development machine), that gives no answer. This check needs only the
project page (`/pypi/NAME/json`): the releases with their upload times, and the known
vulnerabilities of the latest release. It is conservative: a component passes only when

- it is at its latest release, or every newer release it could be raised to is younger than
  the shortest remediation frame (14 days for critical, docs/security/inventory.md): a
  vulnerability fixed in such a release has then been fixed for less time than any frame
  allows; and
- its latest release has no known vulnerability (one with no fixed release yet must be
  replaced or mitigated: listed, and the run fails).

A release counts as newer when it is a final release (no pre-release), not yanked, for the
Python in use; it is one the component "could be raised to" when every installed
distribution that requires the component allows it. Newer releases that a dependent's pin
excludes are reported as "held_back", naming the pin: they pass, because raising them means
replacing the dependent, and this check cannot see whether the held version is vulnerable
(pip-audit, where it can run, can). A project page that cannot be read fails the run
("unknown"), never passes.

What is checked: Accord's runtime dependencies, their own dependencies in turn (markers
evaluated, no extras), as installed here; `--all` checks every distribution of the
environment (development tools too); `-r FILE` a pip freeze file instead.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import httpx
from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

INDEX = "https://pypi.org"
FRAME_DAYS = 14  # the shortest remediation frame: critical (docs/security/inventory.md)
PYTHON = Version(".".join(map(str, sys.version_info[:3])))


@dataclass
class Component:
    name: str
    installed: str
    latest: str = ""
    oldest_newer_days: int | None = None  # age of the oldest release newer than installed
    vulnerabilities: list[str] = field(default_factory=list)  # of the latest release
    verdict: str = "unknown"  # current | within_frame | held_back | stale | vulnerable | unknown
    reason: str = ""


def installed_from_lock(path: Path) -> dict[str, str]:
    """name -> version of each `name==version` line of a pip freeze file."""
    found: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        text = line.split("#", 1)[0].strip()
        if not text or text.startswith("-"):
            continue
        try:
            requirement = Requirement(text)
        except InvalidRequirement as exc:
            raise SystemExit(f"{path}:{number}: not a requirement: {text!r} ({exc})") from exc
        pinned = [s.version for s in requirement.specifier if s.operator == "=="]
        if len(pinned) != 1:
            raise SystemExit(f"{path}:{number}: pin one exact version (name==version): {text!r}")
        found[canonicalize_name(requirement.name)] = pinned[0]
    return found


def installed_here(skip: Iterable[str] = ("accord",)) -> dict[str, str]:
    """name -> version of every distribution of the running environment, Accord itself left out."""
    left_out = {canonicalize_name(name) for name in skip}
    found = {}
    for dist in metadata.distributions():
        name = canonicalize_name(dist.metadata["Name"])
        if name not in left_out:
            found[name] = dist.version
    return found


def runtime_closure(root: str = "accord") -> dict[str, str]:
    """name -> installed version of `root`'s runtime dependencies, recursively (no extras)."""
    found: dict[str, str] = {}
    pending = [root]
    while pending:
        dist = metadata.distribution(pending.pop())
        for text in dist.requires or []:
            requirement = Requirement(text)
            if requirement.marker and not requirement.marker.evaluate({"extra": ""}):
                continue
            name = canonicalize_name(requirement.name)
            if name not in found:
                found[name] = metadata.version(name)
                pending.append(name)
    return found


Pins = dict[str, list[tuple[str, SpecifierSet]]]


def installed_pins() -> Pins:
    """name -> (dependent, specifier) of every installed distribution that requires it (markers
    evaluated, no extras); read once for the whole run."""
    pins: Pins = {}
    for dist in metadata.distributions():
        for text in dist.requires or []:
            try:
                requirement = Requirement(text)
            except InvalidRequirement:
                continue
            if requirement.marker and not requirement.marker.evaluate({"extra": ""}):
                continue
            if str(requirement.specifier):
                entry = (dist.metadata["Name"], requirement.specifier)
                pins.setdefault(canonicalize_name(requirement.name), []).append(entry)
    return pins


def _release_time(files: list[dict[str, Any]]) -> datetime | None:
    """When a release became installable here: its first file not yanked and for our Python."""
    times = []
    for file in files:
        if file.get("yanked"):
            continue
        requires = file.get("requires_python")
        try:
            if requires and PYTHON not in SpecifierSet(requires):
                continue
        except InvalidSpecifier:
            continue
        stamp = file.get("upload_time_iso_8601") or file.get("upload_time")
        if stamp:
            times.append(datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone(UTC))
    return min(times) if times else None


def judge(
    component: Component,
    page: dict[str, Any],
    now: datetime,
    frame_days: int,
    pins: Sequence[tuple[str, SpecifierSet]] = (),
) -> None:
    """Fill in latest, the age of the oldest newer release it could be raised to, the
    vulnerabilities of the latest release, and the verdict."""
    installed = Version(component.installed)
    newer: list[tuple[Version, datetime]] = []
    for text, files in (page.get("releases") or {}).items():
        try:
            version = Version(text)
        except InvalidVersion:
            continue
        released = _release_time(files)
        if version > installed and not version.is_prerelease and released is not None:
            newer.append((version, released))
    component.latest = str(page.get("info", {}).get("version", ""))
    component.vulnerabilities = sorted(v.get("id", "?") for v in page.get("vulnerabilities") or [])
    held = [(v, when) for v, when in newer if not all(v in spec for _, spec in pins)]
    newer = [(v, when) for v, when in newer if all(v in spec for _, spec in pins)]
    if held and not newer and not component.vulnerabilities:
        component.verdict = "held_back"
        stops = "; ".join(f"{who} {spec}" for who, spec in pins if max(held)[0] not in spec)
        component.reason = f"{max(held)[0]} excluded by {stops}"
        return
    if newer:
        component.oldest_newer_days = (now - min(when for _, when in newer)).days
    if component.vulnerabilities and not newer:
        component.verdict = "vulnerable"
        component.reason = "known vulnerabilities and no fixed release: replace or mitigate"
    elif component.oldest_newer_days is None:
        component.verdict = "current"
    elif component.oldest_newer_days < frame_days:
        component.verdict = "within_frame"
    else:
        newest = max(v for v, _ in newer)
        component.verdict = "stale"
        component.reason = (
            f"{newest} available; a newer release is {component.oldest_newer_days} days old"
        )


def audit(
    installed: dict[str, str],
    *,
    index: str = INDEX,
    now: datetime | None = None,
    frame_days: int = FRAME_DAYS,
    client: httpx.Client | None = None,
    pins: Pins | None = None,
) -> list[Component]:
    """Judge each installed component from its project page on `index`; `pins` holds what the
    dependents allow (default: read from this environment)."""
    now = now or datetime.now(UTC)
    pins = installed_pins() if pins is None else pins
    own = client is None
    client = client or httpx.Client(timeout=30.0, follow_redirects=True)
    components = []
    try:
        for name, version in sorted(installed.items()):
            component = Component(name, version)
            components.append(component)
            try:
                response = client.get(f"{index.rstrip('/')}/pypi/{name}/json")
                response.raise_for_status()
                allowed = pins.get(name, [])
                judge(component, response.json(), now, frame_days, allowed)
            except (httpx.HTTPError, ValueError, InvalidVersion) as exc:
                component.reason = f"project page unreadable: {exc}"
    finally:
        if own:
            client.close()
    return components


def summary(components: list[Component], frame_days: int) -> dict[str, Any]:
    verdicts = ("current", "within_frame", "held_back", "stale", "vulnerable", "unknown")
    counts = dict.fromkeys(verdicts, 0)
    for component in components:
        counts[component.verdict] += 1
    failing = [asdict(c) for c in components if c.verdict in ("stale", "vulnerable", "unknown")]
    held = [asdict(c) for c in components if c.verdict == "held_back"]
    return {
        "components": len(components),
        "frame_days": frame_days,
        **counts,
        "failing": failing,
        "held_back_detail": held,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "-r", "--requirements", type=Path, help="a pip freeze file (default: this environment)"
    )
    parser.add_argument("--all", action="store_true", help="every distribution installed here")
    parser.add_argument("--index", default=INDEX, help="the index serving /pypi/NAME/json")
    parser.add_argument("--frame-days", type=int, default=FRAME_DAYS)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if args.requirements:
        installed = installed_from_lock(args.requirements)
    else:
        installed = installed_here() if args.all else runtime_closure()
    components = audit(installed, index=args.index, frame_days=args.frame_days)
    result = summary(components, args.frame_days)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for c in components:
            print(f"{c.verdict:13} {c.name:32} {c.installed:14} latest {c.latest:14} {c.reason}")
        left_out = ("failing", "held_back_detail", "frame_days")
        counts = {k: v for k, v in result.items() if k not in left_out}
        print(f"frame {args.frame_days} days: {counts}")
    return 1 if result["failing"] else 0


if __name__ == "__main__":
    sys.exit(main())
