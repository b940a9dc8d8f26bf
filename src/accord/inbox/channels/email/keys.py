"""The stored reply-token keys and their rotation.

`reply_token` signs; `reply_token.1`, `reply_token.2`, ... (newest first) are the keys it
replaced. They still verify, so a customer who answers a mail sent before a rotation stays in
their conversation; after `keep` further rotations a key is deleted and its tokens are refused.
Rotate when a key may have leaked (a backup, a log), or on a schedule.
"""

from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.audit.service import record
from accord.core.errors import ValidationFailed
from accord.core.principal import SYSTEM
from accord.inbox.channels.email.models import MailKey

CURRENT = "reply_token"
_RETIRED = f"{CURRENT}."
MAX_KEEP = 10


def previous(session: Session) -> list[bytes]:
    """The retired keys that still verify, newest first."""
    return [row.value.encode() for row in _retired(session)]


def rotate(session: Session, *, keep: int = 1) -> int:
    """Make a new signing key; the one it replaces and up to `keep` - 1 older ones go on
    verifying. Returns how many retired keys remain."""
    if not 0 <= keep <= MAX_KEEP:
        raise ValidationFailed(f"keep must be between 0 and {MAX_KEEP}, not {keep}")
    current = session.get(MailKey, CURRENT)
    if current is None:
        raise ValidationFailed("no reply-token key: run `accord migrate`")
    retired = _retired(session)
    values = [current.value, *(row.value for row in retired)][:keep]
    for row in retired:
        session.delete(row)
    session.flush()  # the deletes first: the kept keys come back under new names
    session.add_all(MailKey(name=f"{_RETIRED}{n}", value=v) for n, v in enumerate(values, 1))
    current.value = secrets.token_hex(32)
    record(session, actor=SYSTEM, kind="mail.reply_key_rotated", data={"kept": len(values)})
    return len(values)


def _retired(session: Session) -> list[MailKey]:
    rows = session.scalars(select(MailKey).where(MailKey.name.startswith(_RETIRED))).all()
    return sorted(rows, key=lambda row: int(row.name.removeprefix(_RETIRED)))
