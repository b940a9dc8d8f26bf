"""Saving a policy and putting it to work at once. The store (`accord.cases.policy_store`)
keeps the revision; a new SLA policy also moves the stored SLA due moment of every open
conversation, so the inbox's SLA sort follows the save without waiting for the tick."""

from __future__ import annotations

from sqlalchemy.orm import Session

from accord.cases import in_force, policy_store, sla_due
from accord.cases.policy_store import Revision
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
    """`policy_store.save` (same arguments, checks and errors), then apply an SLA policy."""
    saved = policy_store.save(
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
