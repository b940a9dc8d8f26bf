"""Saving a policy and putting it to work at once. The store (`accord.cases.policies.store`)
keeps the revision; a new SLA policy also moves the stored SLA due moment of every open
conversation, so the inbox's SLA sort follows the save without waiting for the tick."""

from __future__ import annotations

from sqlalchemy.orm import Session

from accord.cases.policies import in_force, store
from accord.cases.policies.store import Revision
from accord.cases.sla import due as sla_due
from accord.core.clock import utcnow
from accord.core.principal import Principal


def save(
    session: Session,
    *,
    actor: Principal,
    kind: str,
    text: str,
    playbook_id: str | None = None,
    base_revision: int | None = None,
) -> Revision:
    """`store.save` (same arguments, checks and errors), then apply an SLA policy."""
    saved = store.save(
        session,
        actor=actor,
        kind=kind,
        text=text,
        playbook_id=playbook_id,
        base_revision=base_revision,
    )
    if kind == "sla":
        # Parsed once here: an uncommitted save is not cached, and every conversation needs it.
        sla_due.refresh_all(session, utcnow(), in_force.sla_policy(session))
    return saved


def add_playbook(session: Session, *, actor: Principal, text: str) -> Revision:
    """A new playbook, by the id in its text; refused (409) when a playbook with that id has
    been saved already, so adding never overwrites."""
    return save(session, actor=actor, kind="playbook", text=text, base_revision=0)


def save_edited(
    session: Session,
    *,
    actor: Principal,
    kind: str,
    text: str,
    opened_as: str,
    base_revision: int | None,
) -> Revision:
    """An editor's save of the policy it was opened on (``opened_as``: a playbook's id, "" for
    the others). A playbook whose text now carries another id is a new playbook: the revision
    the editor started from belongs to the one it was opened on, so it is added instead."""
    if kind == "playbook" and store.validate(kind, text) != opened_as:
        return add_playbook(session, actor=actor, text=text)
    return save(session, actor=actor, kind=kind, text=text, base_revision=base_revision)
