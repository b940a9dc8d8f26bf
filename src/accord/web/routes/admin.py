"""Administration (admins only): users and teams. The policy editors are in admin_policies."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import ValidationError

from accord.auth import queries as auth_queries
from accord.auth import service as auth_service
from accord.auth.access import load_user, require_admin
from accord.auth.schemas import TeamCreate, TeamUpdate, UserCreate, UserUpdate
from accord.core.errors import AccordError
from accord.core.ids import IdParam
from accord.core.principal import Role
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
    team_ids: Annotated[list[IdParam] | None, Form()] = None,
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
                "skills": _skills(skills),
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


def _status(exc: Exception) -> int:
    return exc.status if isinstance(exc, AccordError) else 422


def _skills(text: str) -> list[str]:
    return [s.strip() for s in text.split(",") if s.strip()]


def _user_page(
    request: Request,
    viewer: Viewer,
    db: Db,
    user_id: int,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    require_admin(viewer.principal)
    with db.read() as session:
        user = load_user(session, viewer.principal, user_id)
        context = {
            "viewer": viewer,
            "nav": "admin",
            "user": user,
            "teams": auth_queries.list_teams(session, viewer.principal),
            "roles": [r.value for r in Role],
            "error": error,
        }
        return page(request, "admin_user.html", context, status_code=status_code)


@router.get("/admin/users/{user_id}")
def admin_user(user_id: IdParam, request: Request, viewer: CurrentViewer, db: Db) -> Response:
    return _user_page(request, viewer, db, user_id)


@router.post("/admin/users/{user_id}")
def admin_update_user(
    user_id: IdParam,
    request: Request,
    viewer: CurrentViewer,
    db: Db,
    name: Text,
    role: Text,
    capacity: Annotated[int, Form(ge=0, le=1000)],
    skills: Text = "",
    trainee: Annotated[bool, Form()] = False,
    team_ids: Annotated[list[IdParam] | None, Form()] = None,
) -> Response:
    """The edit form sends every field, so no team ticked means no teams."""
    require_admin(viewer.principal)
    try:
        data = UserUpdate.model_validate(
            {
                "name": name,
                "role": role,
                "capacity": capacity,
                "skills": _skills(skills),
                "trainee": trainee,
                "team_ids": team_ids or [],
            }
        )
        with db.write() as session:
            auth_service.update_user(session, actor=viewer.principal, user_id=user_id, data=data)
    except (ValidationError, AccordError) as exc:
        message = f"The user was not changed: {_problem(exc)}"
        return _user_page(request, viewer, db, user_id, message, _status(exc))
    return RedirectResponse("/admin", status_code=303)


@router.post("/admin/users/{user_id}/active")
def admin_user_active(
    user_id: IdParam,
    request: Request,
    viewer: CurrentViewer,
    db: Db,
    active: Annotated[bool, Form()],
) -> Response:
    """Deactivate (ends the user's sessions and tokens) or reactivate an account."""
    require_admin(viewer.principal)
    try:
        with db.write() as session:
            data = UserUpdate(is_active=active)
            auth_service.update_user(session, actor=viewer.principal, user_id=user_id, data=data)
    except AccordError as exc:
        return _people(request, viewer, db, f"The user was not changed: {exc.detail}", exc.status)
    return RedirectResponse("/admin", status_code=303)


@router.post("/admin/teams/{team_id}")
def admin_update_team(
    team_id: IdParam, request: Request, viewer: CurrentViewer, db: Db, name: Text
) -> Response:
    require_admin(viewer.principal)
    try:
        data = TeamUpdate.model_validate({"name": name})
        with db.write() as session:
            auth_service.update_team(session, actor=viewer.principal, team_id=team_id, data=data)
    except (ValidationError, AccordError) as exc:
        message = f"The team was not renamed: {_problem(exc)}"
        return _people(request, viewer, db, message, _status(exc))
    return RedirectResponse("/admin", status_code=303)
