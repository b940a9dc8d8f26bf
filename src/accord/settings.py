"""Configuration from the environment (`ACCORD_*`), with embedded defaults.

The defaults run everything in-process: a SQLite file and a SQLite job queue in the
per-user data directory, so `accord up` works on a fresh machine with nothing else.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import platformdirs
from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from accord.core.tls import (
    database_url_refusal,
    is_loopback_host,
    plaintext_url_refusal,
    redis_url_refusal,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from accord.analysis import Analyzer

# Where a session carries the settings of the app or job that opened it (accord.db.engine).
SESSION_KEY = "accord.settings"


def _default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("accord", appauthor=False))


# The analysis engine's vocabulary packs (accord.analysis.taxonomy), listed from the files
# themselves so that importing the settings does not load the engine.
_ANALYSIS_PACKS_DIR = Path(__file__).parent / "analysis" / "packs"


class Settings(BaseSettings):
    """Every setting is documented in docs/settings.md; a test checks that list."""

    # hide_input_in_errors: a refused setting must not print the others (passwords, keys).
    model_config = SettingsConfigDict(
        env_prefix="ACCORD_", extra="ignore", hide_input_in_errors=True
    )

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
        default=12,
        ge=1,
        le=24,  # NIST SP 800-63B-4, AAL2: re-authenticate at least once a day
        description="Lifetime of a browser login session.",
    )
    session_idle_minutes: int = Field(
        default=30,
        ge=5,
        le=60,  # NIST SP 800-63B-4, AAL2: re-authenticate after an hour idle at most
        description="A browser session unused this long ends (inactivity timeout).",
    )
    cookie_secure: bool = Field(
        default=False,
        description="Cookies only over HTTPS, with the __Host-/__Secure- name prefix; always on "
        "with built-in TLS or ACCORD_TLS_PROXY.",
    )
    log_level: str = Field(default="info", description="Log level of the server.")

    # TLS (docs/settings.md, SECURITY.md#tls); accord.core.tls.
    tls_cert_file: str | None = Field(
        default=None, description="PEM certificate chain: `accord serve` speaks HTTPS itself."
    )
    tls_key_file: str | None = Field(
        default=None, description="PEM private key of that certificate."
    )
    tls_proxy: bool = Field(
        default=False,
        description="A TLS-terminating reverse proxy is in front: plain HTTP on a non-loopback "
        "address is then allowed.",
    )
    tls_private_ca: bool = Field(
        default=False,
        description="The built-in TLS certificate comes from a private CA on purpose: an "
        "internal deployment no one reaches from the Internet. Otherwise `accord serve` "
        "refuses a certificate that is not publicly trusted.",
    )
    tls_ca_file: str | None = Field(
        default=None,
        description="PEM bundle of an internal CA trusted by every outbound TLS client, beside "
        "the system's CAs.",
    )
    analysis_packs: str = Field(
        default="retail",
        description="Topic and cause vocabulary packs of the analysis, comma-separated; the "
        "first wins ties (retail, general, travel, telecom, banking, saas, healthcare).",
    )
    analysis_enabled: bool = Field(
        default=True,
        description="The global analysis/AI switch: off, no message is analysed (inline, jobs, "
        "`accord case reanalyse`), the coach is off and no language-model call is made.",
    )
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
    egress_allowed_networks: str = Field(
        default="",
        description="Non-public networks (comma-separated CIDR) that webhooks and the language "
        "model may reach; empty: public addresses only.",
    )
    coach_policy_file: str | None = Field(
        default=None, description="Remedy policy YAML for the reply coach's drafts (limits)."
    )
    coach_llm_url: str | None = Field(
        default=None, description="OpenAI-compatible base URL for language-model drafts; off."
    )
    coach_llm_model: str = Field(default="llama3", description="Model name sent to that server.")
    coach_llm_api_key: str = Field(default="", description="Bearer key for that server, if any.")
    coach_llm_timeout_s: float = Field(
        default=20.0, gt=0, le=120, description="Time limit of one language-model call."
    )
    analysis_encoder: Literal["on", "off"] = Field(
        default="off",
        description="Second-stage sentence encoder for messages the fast heads are unsure about.",
    )
    analysis_encoder_threads: int = Field(
        default=1, ge=1, le=64, description="onnxruntime intra-op threads of that encoder."
    )

    # The chat widget (docs/web.md#the-customer-side); docs/settings.md lists each one.
    widget_anonymous: bool = Field(
        default=False, description="Let anonymous visitors start chats in the widget."
    )
    widget_visitors_per_hour: int = Field(
        default=10, ge=1, description="Most visitor chats started per client address per hour."
    )
    widget_messages_per_minute: int = Field(
        default=20, ge=1, description="Most widget messages per client address per minute."
    )
    widget_visitor_days: int = Field(
        default=30, ge=1, le=3650, description="Lifetime of a visitor's widget credential."
    )

    # Email channel (accord.inbox.channels.email); docs/settings.md lists each one.
    mail_address: str = Field(
        default="support@localhost", description="Our support address: From of outbound mail."
    )
    mail_other_addresses: str = Field(
        default="", description="Comma-separated further addresses of ours (loop protection)."
    )
    mail_secret: str = Field(
        default="", description="HMAC key of reply tokens; empty means the generated one."
    )
    mail_previous_secrets: str = Field(
        default="",
        description="Comma-separated earlier ACCORD_MAIL_SECRET values: verify, never sign.",
    )
    mail_max_bytes: int = Field(default=25 * 1024 * 1024, ge=1024, description="Largest mail.")
    mail_max_header_bytes: int = Field(
        default=64 * 1024, ge=1024, description="Largest header block of an inbound mail."
    )
    mail_max_attachment_bytes: int = Field(
        default=10 * 1024 * 1024, ge=0, description="Largest attachment kept."
    )
    mail_parse_seconds: float = Field(default=5.0, gt=0, description="Time limit per mail parse.")
    clamd_socket: str = Field(
        default="",
        description="ClamAV daemon (Unix socket path or host:port) that scans kept attachments.",
    )
    mail_auto_ack: bool = Field(
        default=False, description="Acknowledge new email conversations automatically."
    )
    mail_auto_replies_per_hour: int = Field(
        default=3, ge=0, description="Most automatic mails to one recipient per hour."
    )
    mail_smtp_host: str = Field(default="", description="SMTP server; empty disables sending.")
    mail_alerts: str = Field(
        default="conversation.escalated,abuse.flagged,sla.breached",
        description="Events that email every active supervisor (comma-separated; empty: none).",
    )
    mail_smtp_port: int = Field(default=25, ge=1, le=65535, description="SMTP port.")
    mail_smtp_user: str = Field(default="", description="SMTP login; empty sends without.")
    mail_smtp_password: str = Field(default="", description="SMTP password.")
    mail_smtp_starttls: bool = Field(
        default=False,
        description="STARTTLS to a server on loopback too (beyond loopback it is always used).",
    )
    mail_smtp_ssl: bool = Field(
        default=False, description="SMTP over implicit TLS (port 465) instead of STARTTLS."
    )
    mail_imap_host: str = Field(default="", description="IMAP server; empty disables polling.")
    mail_imap_port: int = Field(default=993, ge=1, le=65535, description="IMAP port.")
    mail_imap_ssl: bool = Field(default=True, description="IMAP over TLS (port 993).")
    mail_imap_user: str = Field(default="", description="IMAP login.")
    mail_imap_password: str = Field(default="", description="IMAP password.")
    mail_imap_folder: str = Field(default="INBOX", description="IMAP folder to poll.")

    @field_validator("analysis_packs")
    @classmethod
    def _known_packs(cls, value: str) -> str:
        names = list(dict.fromkeys(n.strip().lower() for n in value.split(",") if n.strip()))
        shipped = sorted(p.stem for p in _ANALYSIS_PACKS_DIR.glob("*.yaml"))
        unknown = [n for n in names if n not in shipped]
        if unknown:
            raise ValueError(f"unknown analysis pack(s) {unknown}; shipped: {shipped}")
        return ",".join(names) or "retail"

    @field_validator("egress_allowed_networks")
    @classmethod
    def _networks(cls, value: str) -> str:
        # The same parsing as accord.core.egress.parse_networks: a typo stops the settings.
        parts = [p.strip() for p in value.split(",") if p.strip()]
        return ",".join(str(ipaddress.ip_network(p, strict=False)) for p in parts)

    @field_validator("tls_cert_file", "tls_key_file", "tls_ca_file")
    @classmethod
    def _readable_file(cls, value: str | None) -> str | None:
        if value and not Path(value).is_file():
            raise ValueError(f"no such file: {value}")
        return value or None

    @model_validator(mode="after")
    def _tls(self) -> Settings:
        if bool(self.tls_cert_file) != bool(self.tls_key_file):
            raise ValueError("set both ACCORD_TLS_CERT_FILE and ACCORD_TLS_KEY_FILE, or neither")
        if self.tls_cert_file or self.tls_proxy:
            self.cookie_secure = True  # served over HTTPS: the cookie never needs plain HTTP
        networks = [ipaddress.ip_network(p) for p in self.egress_allowed_networks.split(",") if p]
        for name, url in (
            ("ACCORD_WEBHOOK_URL", self.webhook_url),
            ("ACCORD_COACH_LLM_URL", self.coach_llm_url),
        ):
            reason = plaintext_url_refusal(url, networks, name=name) if url else None
            if reason:
                raise ValueError(reason)
        reasons = [
            database_url_refusal(self.database_url),
            redis_url_refusal(self.redis_url) if self.jobs_backend == "redis" else None,
        ]
        for reason in reasons:
            if reason:
                raise ValueError(reason)
        if (
            self.mail_imap_host
            and not self.mail_imap_ssl
            and not is_loopback_host(self.mail_imap_host)
        ):
            raise ValueError(
                "ACCORD_MAIL_IMAP_SSL=false is only for an IMAP server on loopback: "
                f"{self.mail_imap_host} would get the password in plain text"
            )
        return self

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
    """The settings of this process, read once from the environment: for the entry points only
    (`accord.app`, the CLI, the job worker, Alembic's env). Domain code is handed its settings
    (a session's, see :func:`settings_of`, or the values it needs); a test checks that."""
    return Settings()


@lru_cache(maxsize=1)
def embedded_defaults() -> Settings:
    """The defaults embedded here, not the environment's (model_construct reads no source):
    what a database built without settings gives its sessions."""
    return Settings.model_construct()


def settings_of(session: Session) -> Settings:
    """The settings of the app, command or job that opened ``session``: `accord.db.engine.
    Database` hands them to every session it makes (`create_app(settings)` and the CLI and job
    entry points build it so). A database built without settings (a script or a test using the
    library) hands out the embedded defaults, never the environment's."""
    found = session.info.get(SESSION_KEY)
    return found if isinstance(found, Settings) else embedded_defaults()


def analyzer_for(settings: Settings) -> Analyzer:
    """The shared analysis engine as ``settings`` configure it (its packs, the encoder cascade):
    the engine itself reads no settings, its callers pass them."""
    from accord.analysis import load_analyzer  # loaded on first use, not with the settings

    return load_analyzer(
        settings.analysis_packs,
        encoder=settings.analysis_encoder == "on",
        encoder_threads=settings.analysis_encoder_threads,
    )
