"""Policies (admins only): the SLA policy, the escalation rules and playbooks, as YAML.

A PUT stores a new revision (validated first; an invalid text is refused with 422 and nothing
is stored) and takes effect at once; GET returns the text in force and where it comes from.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path

from accord.api.deps import Actor, Db
from accord.cases import queries
from accord.cases.policies import service as policy_service
from accord.cases.policies.in_force import Source
from accord.cases.policies.store import Revision
from accord.cases.schemas import PlaybookInForceOut, PolicyIn, PolicyOut, PolicyRevisionOut

router = APIRouter(tags=["policies"])
Kind = Literal["sla", "rules"]
PlaybookId = Annotated[str, Path(min_length=1, max_length=64)]


def _out(kind: str, playbook_id: str | None, found: Source) -> PolicyOut:
    saved = found.saved
    return PolicyOut(
        kind=kind,
        playbook_id=playbook_id,
        text=found.text,
        source=found.origin,
        revision=saved.revision if saved else None,
        saved_at=saved.saved_at if saved else None,
        saved_by_user_id=saved.saved_by_user_id if saved else None,
        saved_by=saved.saved_by if saved else None,
    )


def _saved_out(saved: Revision) -> PolicyOut:
    source = Source(saved.text, f"revision {saved.revision}", saved)
    return _out(saved.kind, saved.playbook_id or None, source)


@router.get("/policies/playbooks")
def list_playbooks(actor: Actor, db: Db) -> list[PlaybookInForceOut]:
    with db.read() as session:
        found = queries.playbooks_in_force(session, actor)
    return [
        PlaybookInForceOut(id=p.id, name=p.name, revision=r.revision if r else None)
        for p, r in found
    ]


@router.post("/policies/playbooks", status_code=201)
def add_playbook(body: PolicyIn, actor: Actor, db: Db) -> PolicyOut:
    """Add a playbook by the id in its text (as the web editor does when a playbook is saved
    under a new id); 409 when a playbook with that id exists: PUT a new revision to it instead."""
    with db.write() as session:
        saved = policy_service.add_playbook(session, actor=actor, text=body.text)
    return _saved_out(saved)


@router.get("/policies/playbooks/{playbook_id}")
def get_playbook(playbook_id: PlaybookId, actor: Actor, db: Db) -> PolicyOut:
    with db.read() as session:
        found = queries.policy_source(session, actor, "playbook", playbook_id)
    return _out("playbook", playbook_id, found)


@router.put("/policies/playbooks/{playbook_id}")
def put_playbook(body: PolicyIn, playbook_id: PlaybookId, actor: Actor, db: Db) -> PolicyOut:
    """Save a playbook; its text's `id` must be `playbook_id` (a new id adds a playbook)."""
    with db.write() as session:
        saved = policy_service.save(
            session,
            actor=actor,
            kind="playbook",
            text=body.text,
            playbook_id=playbook_id,
            base_revision=body.base_revision,
        )
    return _saved_out(saved)


@router.get("/policies/playbooks/{playbook_id}/revisions")
def playbook_revisions(playbook_id: PlaybookId, actor: Actor, db: Db) -> list[PolicyRevisionOut]:
    with db.read() as session:
        revisions = queries.policy_history(session, actor, "playbook", playbook_id)
    return [PolicyRevisionOut.model_validate(r) for r in revisions]


@router.get("/policies/{kind}")
def get_policy(kind: Kind, actor: Actor, db: Db) -> PolicyOut:
    with db.read() as session:
        found = queries.policy_source(session, actor, kind)
    return _out(kind, None, found)


@router.put("/policies/{kind}")
def put_policy(kind: Kind, body: PolicyIn, actor: Actor, db: Db) -> PolicyOut:
    with db.write() as session:
        saved = policy_service.save(
            session, actor=actor, kind=kind, text=body.text, base_revision=body.base_revision
        )
    return _saved_out(saved)


@router.get("/policies/{kind}/revisions")
def policy_revisions(kind: Kind, actor: Actor, db: Db) -> list[PolicyRevisionOut]:
    """The newest saved revisions first (at most ten)."""
    with db.read() as session:
        revisions = queries.policy_history(session, actor, kind)
    return [PolicyRevisionOut.model_validate(r) for r in revisions]
