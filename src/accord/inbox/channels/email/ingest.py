"""Raw-first ingest.

1. `receive`: the raw bytes go to the content-addressed store, then a `pending` ledger row
   commits. Nothing has been parsed yet, so nothing the sender wrote can lose the mail.
2. `process`: one transaction parses the mail, stores the message (with its html and
   attachments) and turns the row `processed` — or `duplicate`, or `quarantined` with a reason.
   A crash before the commit leaves the row `pending`, and the next run does it again.
A row that keeps failing (it killed the worker) is quarantined after `MAX_ATTEMPTS`.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from dataclasses import dataclass

from pydantic import ValidationError
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from accord.core.clock import utcnow
from accord.core.errors import AccordError, Conflict
from accord.db.due import exhausted
from accord.db.engine import Database
from accord.db.keep import keep
from accord.inbox.channels.email import antivirus, delivery
from accord.inbox.channels.email.config import MailConfig
from accord.inbox.channels.email.limits import Unparseable
from accord.inbox.channels.email.models import RawMail, RawState
from accord.inbox.channels.email.parse import ParsedMail, parse
from accord.inbox.channels.email.store import MailStore
from accord.settings import Settings, analyzer_for

log = logging.getLogger("accord.mail")
# A poison mail kills its worker every time; a good one is only ever caught by chance. Three
# was too few: under repeated random SIGKILLs the mail a restarted importer handles first (its
# cold start the slowest) was caught three times in a row about once in a few dozen runs.
MAX_ATTEMPTS = 5
COMMIT_EVERY = 25
_KEYS = "accord.mail.reply_keys"


@dataclass
class Ingestor:
    db: Database
    store: MailStore
    config: MailConfig

    def receive(self, raw: bytes, source: str) -> int:
        """Store and register one raw mail; returns its ledger id (the same id for the same
        bytes however often they arrive)."""
        digest = self.store.put_raw(raw)
        try:
            with self.db.write() as session:
                return register_many(session, [(source, digest, len(raw))])[0]
        except Conflict:  # registered concurrently by another worker
            with self.db.read() as session:
                found = session.scalar(select(RawMail.id).where(RawMail.sha256 == digest))
                assert found is not None
                return int(found)

    def receive_many(self, mails: list[tuple[str, bytes]]) -> list[int]:
        """Store and register several mails with one commit."""
        digests = [(source, self.store.put_raw(raw), len(raw)) for source, raw in mails]
        try:
            with self.db.write() as session:
                return register_many(session, digests)
        except Conflict:  # a concurrent worker registered one of them: go one by one
            return [self.receive(raw, source) for source, raw in mails]

    def process_pending(self, batch: int = 200) -> Counter[str]:
        """Process every pending row, oldest first; returns how many ended in each state."""
        outcome: Counter[str] = Counter()
        after = 0
        while ids := self._pending(batch, after=after):
            outcome.update(self.process_ids(ids))
            after = ids[-1]
        return outcome

    def process_ids(self, ids: list[int]) -> Counter[str]:
        """Process these rows. Mails on their first attempt go in groups (one commit per
        group); a mail that was attempted before — its worker may have died on it — goes
        alone, so only a real poison mail keeps counting attempts until it is quarantined.
        An attempt is counted just before the work it stands for, and only once the process
        is warm: a kill while the engine loads, or while another group is processed, is no
        mail's fault (three kills that happened to land on one mail's cold start used to
        quarantine a good mail)."""
        warm_up(self.db.settings)
        fresh, retried, done = self._claim(ids)
        outcome = Counter(f"already_{state}" for state in done)
        for start in range(0, len(fresh), COMMIT_EVERY):
            group = fresh[start : start + COMMIT_EVERY]
            self._count_attempt(group)
            outcome.update(self._process_group(group))
        for raw_id in retried:
            self._count_attempt([raw_id])
            outcome[self.process(raw_id)] += 1
        return outcome

    def _process_group(self, ids: list[int]) -> Counter[str]:
        """Several mails in one transaction (each still in its own savepoint), which saves a
        commit per mail; if the group fails as a whole, each mail is retried on its own. The
        mails are parsed before the transaction opens: off the main thread a parse is a round
        trip to the parser process, and the write lock need not wait for it."""
        parsed = self._parse_ahead(ids)
        try:
            with self.db.write() as session:
                # One locking read for the group; each mail then finds its row in the session.
                for row in session.scalars(
                    select(RawMail).where(RawMail.id.in_(ids)).with_for_update()
                ):
                    keep(session, row)
                return Counter(
                    self._process(session, raw_id, locked=True, parsed=parsed.get(raw_id))
                    for raw_id in ids
                )
        except Exception:
            log.warning("a group of %d mails failed; processing them one by one", len(ids))
            return Counter(self.process(raw_id) for raw_id in ids)

    def _parse_ahead(self, ids: list[int]) -> dict[int, ParsedMail | Unparseable]:
        """Each mail's parse, or why it cannot be parsed. A mail whose raw bytes cannot be read
        is left out: it is read again in the transaction, which handles that failure."""
        with self.db.read() as session:
            digests = session.execute(
                select(RawMail.id, RawMail.sha256).where(RawMail.id.in_(ids))
            ).all()
        out: dict[int, ParsedMail | Unparseable] = {}
        for raw_id, digest in digests:
            try:
                raw = self.store.get_raw(digest)
            except AccordError:
                continue
            out[raw_id] = _parse(raw, self.config)
        return out

    def _pending(self, batch: int, after: int) -> list[int]:
        with self.db.read() as session:
            return list(
                session.scalars(
                    select(RawMail.id)
                    .where(RawMail.state == RawState.PENDING.value, RawMail.id > after)
                    .order_by(RawMail.id)
                    .limit(batch)
                )
            )

    def _claim(self, ids: list[int]) -> tuple[list[int], list[int], list[str]]:
        """(first attempts; earlier attempts; states of rows already done)."""
        with self.db.read() as session:
            rows = session.execute(
                select(RawMail.id, RawMail.state, RawMail.attempts).where(RawMail.id.in_(ids))
            ).all()
        pending = {r.id: r.attempts for r in rows if r.state == RawState.PENDING.value}
        fresh = [i for i in ids if pending.get(i) == 0]
        retried = [i for i in ids if pending.get(i, 0) > 0]
        return fresh, retried, [r.state for r in rows if r.id not in pending]

    def _count_attempt(self, ids: list[int]) -> None:
        # Counted in its own commit before the work: a mail that kills the worker (kill -9
        # mid-parse, out of memory) is quarantined after MAX_ATTEMPTS instead of looping.
        if ids:
            with self.db.write() as session:
                session.execute(
                    update(RawMail).where(RawMail.id.in_(ids)).values(attempts=RawMail.attempts + 1)
                )

    def process(self, raw_id: int) -> str:
        """Process one ledger row; never raises for anything the mail contains."""
        try:
            try:
                with self.db.write() as session:
                    return self._process(session, raw_id)
            except Conflict:
                # Another worker stored the same Message-ID or created the same customer
                # meanwhile; once more sees its rows and ends as a duplicate or a reply.
                with self.db.write() as session:
                    return self._process(session, raw_id)
        except Exception as exc:  # a bug or a database error: keep going with the rest
            log.exception("ingest of raw mail %s failed", raw_id)
            return self._quarantine_after_error(raw_id, f"internal error: {type(exc).__name__}")

    def _process(
        self,
        session: Session,
        raw_id: int,
        *,
        locked: bool = False,
        parsed: ParsedMail | Unparseable | None = None,
    ) -> str:
        """`locked`: this transaction has already read and locked the ledger row; `parsed`: the
        mail's parse when it was done ahead."""
        row = session.get(RawMail, raw_id, with_for_update=None if locked else True)
        if row is None or row.state != RawState.PENDING.value:
            return f"already_{row.state}" if row is not None else "missing"
        if exhausted(row.attempts - 1, MAX_ATTEMPTS):  # this attempt was counted before the work
            return quarantine(row, f"gave up after {MAX_ATTEMPTS} attempts")
        if parsed is None:
            parsed = _parse(self.store.get_raw(row.sha256), self.config)
        if isinstance(parsed, Unparseable):
            return quarantine(row, parsed.reason)
        _describe(row, parsed)
        try:
            with session.begin_nested():
                return delivery.deliver_mail(
                    session, self.config, self.store, row, parsed, keys=self._reply_keys(session)
                )
        except (AccordError, ValidationError) as exc:
            detail = exc.detail if isinstance(exc, AccordError) else _first_error(exc)
            return quarantine(row, f"rejected: {detail}")

    def _reply_keys(self, session: Session) -> tuple[bytes, ...]:
        # Read once per transaction (a group of mails), so a rotation reaches a running worker
        # by its next group.
        keys = session.info.get(_KEYS)
        if keys is None:
            keys = session.info[_KEYS] = self.config.verifying_keys(session)
        return keys

    def _quarantine_after_error(self, raw_id: int, reason: str) -> str:
        try:
            with self.db.write() as session:
                row = session.get(RawMail, raw_id)
                if row is not None and row.state == RawState.PENDING.value:
                    return quarantine(row, reason)
        except Exception:  # the database itself is failing: the row stays pending for later
            log.exception("could not quarantine raw mail %s", raw_id)
        return "error"


def warm_up(settings: Settings) -> None:
    """Load what the first mail of a process would otherwise load (the analysis engine, about
    half a second, seconds on a loaded machine) before any attempt is counted; nothing while
    the analysis is switched off, since no mail will be analysed."""
    if settings.analysis_enabled:
        analyzer_for(settings)


def _ledger_row(digest: str, size: int, source: str) -> RawMail:
    return RawMail(
        sha256=digest,
        size=size,
        source=source[:300],
        state=RawState.PENDING.value,
        attempts=0,
        received_at=utcnow(),
    )


def register_many(session: Session, digests: list[tuple[str, str, int]]) -> list[int]:
    """Ledger ids of (source, digest, size) triples, registering the new ones as pending: one
    query for those already known, one flush for the new rows. The same bytes get the same id
    however often they arrive."""
    wanted = {digest for _, digest, _ in digests}
    query = select(RawMail.sha256, RawMail.id).where(RawMail.sha256.in_(wanted))
    known: dict[str, int] = {row.sha256: row.id for row in session.execute(query)}
    fresh: dict[str, RawMail] = {}
    for source, digest, size in digests:
        if digest not in known and digest not in fresh:
            fresh[digest] = _ledger_row(digest, size, source)
    session.add_all(fresh.values())
    session.flush()
    return [known[d] if d in known else fresh[d].id for _, d, _ in digests]


def quarantine(row: RawMail, reason: str) -> str:
    row.state, row.reason, row.processed_at = RawState.QUARANTINED.value, reason[:500], utcnow()
    return row.state


def dedupe_key(parsed: ParsedMail) -> str:
    """Message-ID when present; otherwise a hash of what identifies the mail to a person."""
    if parsed.message_id:
        return f"mail:{parsed.message_id}"[:512]
    basis = "\n".join([parsed.sender, parsed.date, parsed.subject, parsed.text, parsed.html or ""])
    return f"mail:sha256:{hashlib.sha256(basis.encode('utf-8', 'replace')).hexdigest()}"


def _parse(raw: bytes, config: MailConfig) -> ParsedMail | Unparseable:
    """The parse, with the kept attachments scanned when clamd is configured (outside the
    parse time limit: a scan may take longer than a parse)."""
    try:
        parsed = parse(raw, config.limits)
        if config.clamd and parsed.attachments:
            parsed = antivirus.scan_attachments(parsed, config.clamd)
        return parsed
    except Unparseable as exc:
        return exc


def _describe(row: RawMail, parsed: ParsedMail) -> None:
    row.dedupe_key = dedupe_key(parsed)
    row.rfc_message_id = parsed.message_id
    row.sender = parsed.sender
    row.subject = parsed.subject[:300]
    row.quoted_text = parsed.quoted or None
    row.signature = parsed.signature or None


def _first_error(exc: ValidationError) -> str:
    first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": str(exc)}
    return f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}"
