"""Saved policies: the SLA policy, the escalation rules and playbooks, as YAML revisions.

Saving validates with the same parsers as `accord sla|rules|playbook validate` and refuses
invalid text (nothing is stored). Every save adds a revision, so the history stays; the
newest revision is the policy in force (see `accord.cases.policies.in_force`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, get_args

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session, SessionTransaction

from accord.audit.service import record
from accord.auth.access import require_admin
from accord.auth.models import User
from accord.cases.escalation.rules import parse_rules
from accord.cases.models import PolicyDocument
from accord.cases.playbook.table import parse_playbook
from accord.cases.sla.policy import parse_sla_policy
from accord.core.clock import utcnow
from accord.core.errors import ValidationFailed, VersionConflict
from accord.core.principal import Principal

PolicyKind = Literal["sla", "rules", "playbook"]
KINDS: tuple[PolicyKind, ...] = get_args(PolicyKind)
MAX_POLICY_CHARS = 200_000
HISTORY = 10
_STAMP = "accord.policy_stamp"
_UNCOMMITTED = "accord.policy_uncommitted"


@dataclass(frozen=True)
class Revision:
    """A saved revision, with the name of who saved it (None once that user is gone)."""

    id: int
    kind: str
    playbook_id: str
    revision: int
    text: str
    saved_by_user_id: int | None
    saved_by: str | None
    saved_at: datetime


def validate(kind: str, text: str) -> str:
    """Parse `text` as a policy of `kind`; returns the playbook id ("" for other kinds).

    Raises ValidationFailed with the parser's message and, for a YAML syntax error, the
    1-based `line` in its extra fields, so an editor can point at it."""
    if kind not in KINDS:
        raise ValidationFailed(f"unknown policy kind {kind!r}; one of {', '.join(KINDS)}")
    if len(text) > MAX_POLICY_CHARS:
        raise ValidationFailed(f"a policy may have at most {MAX_POLICY_CHARS} characters")
    return _parse(kind, text)  # a syntax error's ValidationFailed carries its line


def _parse(kind: str, text: str) -> str:
    if kind == "sla":
        parse_sla_policy(text)
    elif kind == "rules":
        parse_rules(text)
    else:
        return parse_playbook(text).id
    return ""


def save(
    session: Session,
    *,
    actor: Principal,
    kind: str,
    text: str,
    playbook_id: str | None = None,
    base_revision: int | None = None,
) -> Revision:
    """Store `text` as the next revision of its policy (admins only).

    `playbook_id`, when given, must be the id inside a playbook's text. `base_revision` is the
    revision the editor started from (0: none saved yet): if someone saved meanwhile, the
    save is refused rather than silently overwriting their change."""
    require_admin(actor)
    key = validate(kind, text)
    if playbook_id is not None and playbook_id != key:
        raise ValidationFailed(f"the playbook's id is {key!r}, not {playbook_id!r}")
    newest = _newest_revision(session, kind, key)
    if base_revision is not None and base_revision != newest:
        raise VersionConflict(
            f"revision {newest} was saved after revision {base_revision}; reload and merge"
        )
    row = PolicyDocument(
        kind=kind,
        playbook_id=key,
        revision=newest + 1,
        text=text,
        saved_by_user_id=actor.user_id,
        created_at=utcnow(),
    )
    session.add(row)
    session.flush()
    session.info.pop(_STAMP, None)  # this transaction now sees a new policy
    session.info[_UNCOMMITTED] = True
    data = {"kind": kind, "playbook_id": key, "revision": row.revision, "document_id": row.id}
    record(session, actor=actor, kind="policy.saved", data=data)
    found = revision(session, kind, key, row.revision)
    assert found is not None
    return found


def _newest_revision(session: Session, kind: str, key: str) -> int:
    newest = session.scalar(
        select(func.max(PolicyDocument.revision)).where(
            PolicyDocument.kind == kind, PolicyDocument.playbook_id == key
        )
    )
    return int(newest or 0)


def _revisions(session: Session, kind: str, key: str) -> Any:
    return (
        select(PolicyDocument, User.name)
        .outerjoin(User, User.id == PolicyDocument.saved_by_user_id)
        .where(PolicyDocument.kind == kind, PolicyDocument.playbook_id == key)
        .order_by(PolicyDocument.revision.desc())
    )


def _revision(row: PolicyDocument, name: str | None) -> Revision:
    return Revision(
        id=row.id,
        kind=row.kind,
        playbook_id=row.playbook_id,
        revision=row.revision,
        text=row.text,
        saved_by_user_id=row.saved_by_user_id,
        saved_by=name,
        saved_at=row.created_at,
    )


def latest(session: Session, kind: str, key: str = "") -> Revision | None:
    """The newest saved revision of a policy, or None when none was saved."""
    found = session.execute(_revisions(session, kind, key).limit(1)).first()
    return _revision(*found) if found else None


def revision(session: Session, kind: str, key: str, number: int) -> Revision | None:
    query = _revisions(session, kind, key).where(PolicyDocument.revision == number)
    found = session.execute(query).first()
    return _revision(*found) if found else None


def history(session: Session, kind: str, key: str = "", limit: int = HISTORY) -> list[Revision]:
    """The newest revisions first."""
    rows = session.execute(_revisions(session, kind, key).limit(limit)).all()
    return [_revision(*r) for r in rows]


def latest_playbooks(session: Session) -> list[Revision]:
    """The newest revision of every saved playbook, by playbook id."""
    newest = (
        select(PolicyDocument.playbook_id, func.max(PolicyDocument.revision).label("revision"))
        .where(PolicyDocument.kind == "playbook")
        .group_by(PolicyDocument.playbook_id)
        .subquery()
    )
    query = (
        select(PolicyDocument, User.name)
        .join(
            newest,
            (newest.c.playbook_id == PolicyDocument.playbook_id)
            & (newest.c.revision == PolicyDocument.revision),
        )
        .outerjoin(User, User.id == PolicyDocument.saved_by_user_id)
        .where(PolicyDocument.kind == "playbook")
        .order_by(PolicyDocument.playbook_id)
    )
    return [_revision(*r) for r in session.execute(query).all()]


def stamp(session: Session) -> tuple[int, int]:
    """How many revisions are saved and the newest id ((0, 0): none). Rows are never deleted, so
    the count moves with every committed save, even one whose id is lower than a save that
    committed before it (PostgreSQL hands out ids at insert, not at commit): caches keyed on
    it are fresh in every process. Read once per transaction, since a message's case update
    asks for the policies several times."""
    memo = session.info.get(_STAMP)
    if memo is None:
        count, newest = session.execute(
            select(func.count(PolicyDocument.id), func.max(PolicyDocument.id))
        ).one()
        memo = (int(count), int(newest or 0))
        if not uncommitted(session):
            session.info[_STAMP] = memo
    return (int(memo[0]), int(memo[1]))


def uncommitted(session: Session) -> bool:
    """Whether this transaction saved a policy it has not committed yet. What it reads then
    must not be cached for others: a rollback would leave a cache entry for a revision
    that never existed (and SQLite may give its id to the next save)."""
    return bool(session.info.get(_UNCOMMITTED))


@event.listens_for(Session, "after_transaction_end")
def _forget_stamp(session: Session, transaction: SessionTransaction) -> None:
    # Only when the whole transaction ends (not a savepoint: ingest runs one per message):
    # the next one may see saves committed by other processes meanwhile.
    if transaction.parent is None:
        session.info.pop(_STAMP, None)
        session.info.pop(_UNCOMMITTED, None)
