"""docs/security/inventory.md stays complete: every module that hashes, signs, draws random
secrets or opens TLS is in the cryptographic inventory, every setting holding a secret is in the
secrets table, every logger and every audit event family is in the log inventory, and the
dependency remediation time frames are stated (ASVS 5.0 V11.1, V13.1, V14.1, V15.1, V16.1)."""

from __future__ import annotations

import re
from pathlib import Path

from accord.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "accord"
INVENTORY = ROOT / "docs" / "security" / "inventory.md"
CRYPTO_IMPORT = re.compile(
    r"^\s*(?:import (?:hashlib|hmac|secrets|ssl)\b|from (?:hashlib|hmac|secrets|ssl|pwdlib)\b)",
    re.M,
)
SECRET_SETTING = re.compile(r"secret|password|api_key|database_url|redis_url")


def _section(title: str) -> str:
    text = INVENTORY.read_text()
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def _module(path: Path) -> str:
    return ".".join(path.relative_to(SRC.parent).with_suffix("").parts)


def test_every_cryptographic_module_is_in_the_inventory() -> None:
    section = _section("Cryptography")
    found = []
    for path in sorted(SRC.rglob("*.py")):
        if not CRYPTO_IMPORT.search(path.read_text()):
            continue
        name = _module(path)
        migration = path.parent.name == "versions" and path.stem in section
        if f"`{name}`" not in section and not migration:
            found.append(name)
    assert not found, f"add these modules to the cryptographic inventory: {found}"


def test_every_secret_setting_is_in_the_inventory() -> None:
    section = _section("Cryptography")
    secret = [f"ACCORD_{n.upper()}" for n in Settings.model_fields if SECRET_SETTING.search(n)]
    assert len(secret) >= 7
    missing = [name for name in secret if f"`{name}`" not in section]
    assert not missing, f"add these settings to 'Secrets in the configuration': {missing}"


def test_every_logger_and_audit_event_family_is_in_the_log_inventory() -> None:
    section = _section("Logs")
    loggers = set()
    kinds = set()
    for path in SRC.rglob("*.py"):
        text = path.read_text()
        loggers |= set(re.findall(r'getLogger\("([\w.]+)"\)', text))
        if "getLogger(__name__)" in text:
            loggers.add(_module(path))
        kinds |= set(re.findall(r'kind="([a-z_]+)\.[a-z_.]+"', text))
    assert {"accord.api", "accord.mail"} <= loggers
    missing = sorted(name for name in loggers if f"`{name}`" not in section)
    assert not missing, f"add these loggers to the log inventory: {missing}"
    families = {"conversation", "customer", "mail", "policy", "sessions", "team", "token", "user"}
    assert kinds <= families | {"playbook"}, kinds  # a new family must be written down here
    assert all(f"`{family}." in section or f"{family} events" in section for family in families)


def test_the_data_classes_and_the_costly_functions_are_written_down() -> None:
    data = _section("Data and its protection")
    for kind in ("Credentials", "Customer personal data", "Staff personal data", "Internal"):
        assert f"| {kind}" in data, kind
    costly = _section("Costly functionality")
    settings = (ROOT / "docs" / "settings.md").read_text()
    for setting in re.findall(r"`(ACCORD_[A-Z_]+)`", costly):
        assert f"`{setting}`" in settings, setting
    assert "ACCORD_MAX_BODY_BYTES" in costly and "ACCORD_MAIL_PARSE_SECONDS" in costly


def test_dependency_remediation_time_frames_are_stated() -> None:
    section = " ".join(_section("Third-party components").split())
    for severity, frame in (
        ("critical", "14 days"),
        ("high", "30"),
        ("medium", "90 days"),
        ("low", "next release"),
    ):
        assert re.search(rf"{frame}\*\* for {severity}|{frame}.{{0,20}}{severity}", section), (
            severity,
            frame,
        )
    assert "requirements.lock" in section and "pip-audit" in section
