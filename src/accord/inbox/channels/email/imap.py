"""IMAP polling with UIDVALIDITY/UID bookkeeping.

Each new UID is stored raw and registered in the same transaction that advances `last_uid`, so a
crash re-fetches at most what was not registered. A new UIDVALIDITY (the folder was rebuilt)
restarts from UID 1; the Message-ID check then keeps already-known mail from duplicating.
"""

from __future__ import annotations

import imaplib
from dataclasses import dataclass

from imap_tools import AND, BaseMailBox, MailBox, MailBoxUnencrypted, U
from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.core.clock import utcnow
from accord.core.tls import client_context, is_loopback_host
from accord.db.engine import Database
from accord.inbox.channels.email.ingest import Ingestor, register_many
from accord.inbox.channels.email.models import MailboxState

REGISTER_EVERY = 50


@dataclass(frozen=True)
class ImapConfig:
    host: str
    port: int
    user: str
    password: str
    folder: str = "INBOX"
    ssl: bool = True  # plain IMAP is refused beyond loopback (see _open)
    timeout: float = 60.0
    ca_file: str | None = None  # an internal CA trusted beside the system's (ACCORD_TLS_CA_FILE)


class PlainImapRefused(ValueError):
    """Plain IMAP was configured for a server that is not on loopback."""


def poll(db: Database, ingest: Ingestor, config: ImapConfig) -> dict[str, int]:
    """Fetch new mail from the folder, then process everything pending."""
    fetched = 0
    with _open(config).login(config.user, config.password, initial_folder=config.folder) as box:
        status = box.folder.status(config.folder, ["UIDVALIDITY"])
        last = _start(db, config, int(status["UIDVALIDITY"]))
        uids = [
            u for u in sorted(int(u) for u in box.uids(AND(uid=U(str(last + 1), "*")))) if u > last
        ]
        for start in range(0, len(uids), REGISTER_EVERY):
            group = uids[start : start + REGISTER_EVERY]
            mails = _fetch_group(box, group)
            _register(db, ingest, config, group[-1], mails)
            fetched += len(mails)
    outcome = ingest.process_pending()
    return {"fetched": fetched, **outcome}


def _open(config: ImapConfig) -> BaseMailBox:
    if config.ssl:
        # imaplib's default context checks neither the certificate nor the host name: verify
        # both, or a machine in the middle reads the password and the mail.
        context = client_context(config.ca_file)
        return MailBox(config.host, config.port, timeout=config.timeout, ssl_context=context)
    if not is_loopback_host(config.host):
        raise PlainImapRefused(
            f"refusing plain IMAP to {config.host}, which is not a loopback address: the "
            "password and the mail would cross the network unencrypted; set "
            "ACCORD_MAIL_IMAP_SSL=true"
        )
    return MailBoxUnencrypted(config.host, config.port, timeout=config.timeout)


def _account(config: ImapConfig) -> str:
    return f"{config.user}@{config.host}:{config.port}"


def _state(session: Session, config: ImapConfig) -> MailboxState | None:
    return session.scalars(
        select(MailboxState).where(
            MailboxState.account == _account(config), MailboxState.folder == config.folder
        )
    ).first()


def _start(db: Database, config: ImapConfig, uidvalidity: int) -> int:
    """The last UID already registered for this UIDVALIDITY (0 after a change)."""
    with db.write() as session:
        state = _state(session, config)
        if state is None:
            state = MailboxState(
                account=_account(config), folder=config.folder, uidvalidity=uidvalidity
            )
            state.last_uid, state.polled_at = 0, utcnow()
            session.add(state)
        elif state.uidvalidity != uidvalidity:
            state.uidvalidity, state.last_uid = uidvalidity, 0
        state.polled_at = utcnow()
        return state.last_uid


def _fetch_raw(box: BaseMailBox, uid: int) -> bytes | None:
    # Raw bytes straight from the server: nothing is parsed before it is stored.
    typ, data = box.client.uid("fetch", str(uid), "(BODY.PEEK[])")
    if typ != "OK":
        raise imaplib.IMAP4.error(f"FETCH of UID {uid} failed: {typ}")
    for item in data:
        if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], bytes):
            return item[1]
    return None


def _fetch_group(box: BaseMailBox, uids: list[int]) -> list[tuple[int, bytes]]:
    """A UID the server no longer has (expunged since SEARCH) is skipped; a failed FETCH
    raises, so `last_uid` never moves past a mail that was not stored."""
    return [(uid, raw) for uid in uids if (raw := _fetch_raw(box, uid)) is not None]


def _register(
    db: Database, ingest: Ingestor, config: ImapConfig, up_to: int, mails: list[tuple[int, bytes]]
) -> None:
    """Store a group of fetched mails and register them in the transaction that moves
    `last_uid` past them (one commit per group)."""
    stored = [(uid, ingest.store.put_raw(raw), len(raw)) for uid, raw in mails]
    with db.write() as session:
        state = _state(session, config)
        assert state is not None
        prefix = f"imap:{config.folder}:{state.uidvalidity}"
        register_many(session, [(f"{prefix}:{uid}", digest, size) for uid, digest, size in stored])
        state.last_uid = max(state.last_uid, up_to)
