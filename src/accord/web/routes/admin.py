"""Administration (admins only): users and teams, and the policy editors."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import ValidationError

from accord.auth import queries as auth_queries
from accord.auth import service as auth_service
from accord.auth.access import require_admin
from accord.auth.schemas import TeamCreate, UserCreate
from accord.core.errors import AccordError
from accord.core.principal import Role
from accord.settings import Settings
from accord.web import admin_data
from accord.web.errors import WebRoute
from accord.web.render import page
from accord.web.security import CurrentViewer, Db, Viewer

router = APIRouter(route_class=WebRoute, include_in_schema=False)
Text = Annotated[str, Form(max_length=1024)]


def _people(
    request: Request, viewer: Viewer, db: Db, error: str | None = None, status_code: int = 200
) -> Response:
    require_admin(viewer.principal)
    with db.read() as session:
        teams = auth_queries.list_teams(session, viewer.principal)
        names = {t.id: t.name for t in teams}
        users = [
            (u, ", ".join(names.get(t, "") for t in u.team_ids))
            for u in auth_queries.list_users(session, viewer.principal)
        ]
        context = {
            "viewer": viewer,
            "nav": "admin",
            "users": users,
            "teams": teams,
            "roles": [r.value for r in Role],
            "error": error,
        }
        return page(request, "admin_people.html", context, status_code=status_code)


def _problem(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(
            f"{'.'.join(map(str, e['loc'])) or 'form'}: {e['msg']}" for e in exc.errors()
        )
    assert isinstance(exc, AccordError)
    return exc.detail


@router.get("/admin")
def admin_home(request: Request, viewer: CurrentViewer, db: Db) -> Response:
    return _people(request, viewer, db)


@router.post("/admin/users")
def admin_create_user(
    request: Request,
    viewer: CurrentViewer,
    db: Db,
    email: Text,
    name: Text,
    role: Text,
    password: Text,
    capacity: Annotated[int, Form(ge=0, le=1000)] = 10,
    skills: Text = "",
    trainee: Annotated[bool, Form()] = False,
    team_ids: Annotated[list[int] | None, Form()] = None,
) -> Response:
    require_admin(viewer.principal)
    try:
        data = UserCreate.model_validate(
            {
                "email": email,
                "name": name,
                "role": role,
                "password": password,
                "capacity": capacity,
                "trainee": trainee,
                "team_ids": team_ids or [],
                "skills": [s.strip() for s in skills.split(",") if s.strip()],
            }
        )
        with db.write() as session:
            auth_service.create_user(session, actor=viewer.principal, data=data)
    except (ValidationError, AccordError) as exc:
        return _people(request, viewer, db, f"The user was not created: {_problem(exc)}", 422)
    return RedirectResponse("/admin", status_code=303)


@router.post("/admin/teams")
def admin_create_team(
    request: Request, viewer: CurrentViewer, db: Db, slug: Text, name: Text
) -> Response:
    require_admin(viewer.principal)
    try:
        data = TeamCreate.model_validate({"slug": slug, "name": name})
        with db.write() as session:
            auth_service.create_team(session, actor=viewer.principal, data=data)
    except (ValidationError, AccordError) as exc:
        return _people(request, viewer, db, f"The team was not created: {_problem(exc)}", 422)
    return RedirectResponse("/admin", status_code=303)


def _policy_page(
    request: Request,
    viewer: Viewer,
    slug: str,
    text: str | None = None,
    verdict: admin_data.Verdict | None = None,
) -> Response:
    require_admin(viewer.principal)
    policy = admin_data.kind(slug)
    settings: Settings = request.app.state.settings
    current, where = policy.source(settings)
    context = {
        "viewer": viewer,
        "nav": "admin",
        "policy": policy,
        "kinds": admin_data.KINDS.values(),
        "text": current if text is None else text,
        "where": where,
        "verdict": verdict,
    }
    status_code = 422 if verdict is not None and not verdict.ok else 200
    return page(request, "admin_policy.html", context, status_code=status_code)


@router.get("/admin/policies/{slug}")
def admin_policy(slug: str, request: Request, viewer: CurrentViewer) -> Response:
    return _policy_page(request, viewer, slug)


@router.post("/admin/policies/{slug}")
def admin_policy_check(
    slug: str,
    request: Request,
    viewer: CurrentViewer,
    text: Annotated[str, Form(max_length=admin_data.MAX_POLICY_CHARS)],
) -> Response:
    """Validate (nothing is saved: see accord.web.admin_data)."""
    require_admin(viewer.principal)
    verdict = admin_data.check(admin_data.kind(slug), text)
    return _policy_page(request, viewer, slug, text, verdict)
