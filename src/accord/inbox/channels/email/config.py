"""The email channel's configuration, read from the settings it is given (`ACCORD_MAIL_*`):
the job's or command's, or a session's (`accord.settings.settings_of`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from accord.core.errors import ValidationFailed
from accord.inbox.channels.email import keys
from accord.inbox.channels.email.limits import Limits
from accord.inbox.channels.email.models import MailKey
from accord.settings import Settings


@dataclass(frozen=True)
class MailConfig:
    address: str
    secret: str = ""
    # Earlier values of ACCORD_MAIL_SECRET: they verify replies but never sign.
    previous_secrets: tuple[str, ...] = ()
    limits: Limits = field(default_factory=Limits)
    auto_ack: bool = False
    auto_replies_per_hour: int = 3
    other_addresses: frozenset[str] = frozenset()
    clamd: str = ""  # ACCORD_CLAMD_SOCKET: scan kept attachments there (antivirus.py)

    @property
    def domain(self) -> str:
        return self.address.rsplit("@", 1)[-1]

    @property
    def own_addresses(self) -> frozenset[str]:
        return frozenset({self.address.lower(), *self.other_addresses})

    def key(self, session: Session) -> bytes:
        """The HMAC key that signs: ACCORD_MAIL_SECRET, or the stored one (the migration
        generates it; `accord mail rotate-key` replaces it)."""
        if self.secret:
            return self.secret.encode()
        row = session.get(MailKey, keys.CURRENT)
        if row is None:
            raise ValidationFailed("no reply-token key: run `accord migrate`")
        return row.value.encode()

    def verifying_keys(self, session: Session) -> tuple[bytes, ...]:
        """The signing key, then the keys it replaced that still verify replies."""
        if self.secret:
            return (self.secret.encode(), *(s.encode() for s in self.previous_secrets))
        return (self.key(session), *keys.previous(session))


def mail_config(settings: Settings) -> MailConfig:
    return MailConfig(
        address=settings.mail_address.lower(),
        secret=settings.mail_secret,
        previous_secrets=tuple(
            s.strip() for s in settings.mail_previous_secrets.split(",") if s.strip()
        ),
        limits=Limits(
            max_bytes=settings.mail_max_bytes,
            max_header_bytes=settings.mail_max_header_bytes,
            max_attachment_bytes=settings.mail_max_attachment_bytes,
            seconds=settings.mail_parse_seconds,
        ),
        auto_ack=settings.mail_auto_ack,
        auto_replies_per_hour=settings.mail_auto_replies_per_hour,
        other_addresses=frozenset(
            a.strip().lower() for a in settings.mail_other_addresses.split(",") if a.strip()
        ),
        clamd=settings.clamd_socket.strip(),
    )
