"""The policy editors (admins only): check or save the SLA policy, the escalation rules and
playbooks. A save stores a new revision through `accord.cases.policies.service`, which takes
effect at once; a refused text stays in the editor with the reason (and line) under it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request, Response
from fastapi.responses import RedirectResponse

from accord.auth.access import require_admin
from accord.cases import queries
from accord.cases.policies import service as policy_service
from accord.cases.policies import store as policy_store
from accord.cases.policies.in_force import policy_key
from accord.core.errors import ValidationFailed, VersionConflict
from accord.web import admin_data
from accord.web.errors import WebRoute
from accord.web.render import page
from accord.web.security import CurrentViewer, Db, Viewer

router = APIRouter(route_class=WebRoute, include_in_schema=False)
PlaybookParam = Annotated[str, Query(max_length=64)]


@dataclass(frozen=True)
class Edit:
    """What the editor shows: the text in force, or what the admin sent with a verdict."""

    text: str
    base_revision: int | None  # the revision the edit started from
    verdict: admin_data.Verdict | None = None
    status_code: int = 200
    saving: bool = False


def _policy_page(
    request: Request,
    viewer: Viewer,
    db: Db,
    slug: str,
    playbook: str = "",
    edit: Edit | None = None,
    saved: int | None = None,
) -> Response:
    require_admin(viewer.principal)
    policy = admin_data.kind(slug)
    with db.read() as session:
        current = queries.policy_source(session, viewer.principal, slug, playbook)
        revisions = queries.policy_history(session, viewer.principal, slug, playbook)
        playbooks = (
            queries.playbooks_in_force(session, viewer.principal) if slug == "playbook" else []
        )
    newest = revisions[0].revision if revisions else 0
    if edit is None:
        edit = Edit(current.text, newest)
    context = {
        "viewer": viewer,
        "nav": "admin",
        "policy": policy,
        "current": current,
        "playbook_id": policy_key(slug, playbook) if slug == "playbook" else "",
        "playbooks": [p for p, _ in playbooks],
        "revisions": revisions[: admin_data.REVISIONS_SHOWN],
        "just_saved": next((r for r in revisions if r.revision == saved), None),
        "text": edit.text,
        "base_revision": newest if edit.base_revision is None else edit.base_revision,
        "verdict": edit.verdict,
        "saving": edit.saving,
    }
    return page(request, "admin_policy.html", context, status_code=edit.status_code)


@router.get("/admin/policies/{slug}")
def admin_policy(
    slug: str,
    request: Request,
    viewer: CurrentViewer,
    db: Db,
    playbook: PlaybookParam = "",
    saved: Annotated[int | None, Query(ge=1)] = None,
) -> Response:
    return _policy_page(request, viewer, db, slug, playbook, saved=saved)


@router.post("/admin/policies/{slug}")
def admin_policy_post(
    slug: str,
    request: Request,
    viewer: CurrentViewer,
    db: Db,
    text: Annotated[str, Form(max_length=admin_data.MAX_POLICY_CHARS)],
    action: Annotated[Literal["check", "save"], Form()] = "check",
    base_revision: Annotated[int | None, Form(ge=0)] = None,
    playbook: PlaybookParam = "",
) -> Response:
    """Check the text, or save it as a new revision (then back to the editor, PRG)."""
    require_admin(viewer.principal)
    policy = admin_data.kind(slug)
    if action == "check":
        verdict = admin_data.check(policy, text)
        edit = Edit(text, base_revision, verdict, 200 if verdict.ok else 422)
        return _policy_page(request, viewer, db, slug, playbook, edit)
    try:
        revision = _save(viewer, db, slug, text, base_revision, playbook)
    except ValidationFailed as exc:
        edit = Edit(text, base_revision, admin_data.refused(exc), 422, saving=True)
        return _policy_page(request, viewer, db, slug, playbook, edit)
    except VersionConflict as exc:
        edit = Edit(text, base_revision, admin_data.Verdict(False, exc.detail), 409, saving=True)
        return _policy_page(request, viewer, db, slug, playbook, edit)
    where = {"playbook": revision.playbook_id} if slug == "playbook" else {}
    query = urlencode({**where, "saved": revision.revision})
    return RedirectResponse(f"/admin/policies/{slug}?{query}", status_code=303)


def _save(
    viewer: Viewer, db: Db, slug: str, text: str, base_revision: int | None, playbook: str
) -> policy_store.Revision:
    with db.write() as session:
        return policy_service.save_edited(
            session,
            actor=viewer.principal,
            kind=slug,
            text=text,
            opened_as=policy_key(slug, playbook),
            base_revision=base_revision,
        )
