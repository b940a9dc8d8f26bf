"""Configuration from the environment (`ACCORD_*`), with embedded defaults.

The defaults run everything in-process: a SQLite file and a SQLite job queue in the
per-user data directory, so `accord up` works on a fresh machine with nothing else.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

import platformdirs
from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("accord", appauthor=False))


class Settings(BaseSettings):
    """Every setting is documented in docs/settings.md; a test checks that list."""

    model_config = SettingsConfigDict(env_prefix="ACCORD_", extra="ignore")

    data_dir: Path = Field(
        default_factory=_default_data_dir,
        description="Directory for the SQLite database, job queue and attachments.",
    )
    database_url: str = Field(
        default="",
        description="SQLAlchemy URL; empty means a SQLite file `accord.db` in the data dir.",
    )
    host: str = Field(default="127.0.0.1", description="Address `accord serve` binds to.")
    port: int = Field(default=8000, ge=1, le=65535, description="Port `accord serve` binds to.")
    jobs_backend: Literal["sqlite", "redis", "immediate"] = Field(
        default="sqlite",
        description="Job queue storage: embedded SQLite, Redis, or run tasks inline.",
    )
    redis_url: str = Field(
        default="redis://127.0.0.1:6379/0", description="Redis URL when jobs_backend=redis."
    )
    max_body_bytes: int = Field(
        default=1_048_576, ge=1024, description="Largest request body the API accepts."
    )
    session_ttl_hours: int = Field(
        default=12, ge=1, description="Lifetime of a browser login session."
    )
    cookie_secure: bool = Field(
        default=False, description="Send the session cookie only over HTTPS (set behind TLS)."
    )
    log_level: str = Field(default="info", description="Log level of the server.")
    playbooks_dir: str | None = Field(
        default=None, description="Folder of extra playbook YAML files (beside the default)."
    )
    sla_policy_file: str | None = Field(
        default=None, description="SLA policy YAML; empty means the shipped default policy."
    )
    escalation_rules_file: str | None = Field(
        default=None, description="Escalation and routing rules YAML; empty means the default."
    )
    webhook_url: str | None = Field(
        default=None, description="Where signed notifications (escalations, alerts) are POSTed."
    )
    webhook_secret: str = Field(
        default="", description="HMAC-SHA256 key for the X-Accord-Signature header of webhooks."
    )

    @model_validator(mode="after")
    def _fill_database_url(self) -> Settings:
        if not self.database_url:
            self.database_url = f"sqlite:///{self.data_dir / 'accord.db'}"
        return self

    def ensure_data_dir(self) -> Path:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        return self.data_dir


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
