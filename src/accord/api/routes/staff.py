"""Users and teams (administration)."""

from __future__ import annotations

from fastapi import APIRouter, Request, status

from accord.api.deps import Actor, Db, presented_credential
from accord.auth import queries, service
from accord.auth.access import load_user
from accord.auth.schemas import TeamCreate, TeamOut, TeamUpdate, UserCreate, UserOut, UserUpdate
from accord.core.ids import IdParam

router = APIRouter(tags=["users and teams"])


@router.get("/users")
def list_users(actor: Actor, db: Db) -> list[UserOut]:
    with db.read() as session:
        return [UserOut.model_validate(u) for u in queries.list_users(session, actor)]


@router.post("/users", status_code=status.HTTP_201_CREATED)
def create_user(body: UserCreate, actor: Actor, db: Db) -> UserOut:
    with db.write() as session:
        return UserOut.model_validate(service.create_user(session, actor=actor, data=body))


@router.get("/users/{user_id}")
def get_user(user_id: IdParam, actor: Actor, db: Db) -> UserOut:
    with db.read() as session:
        return UserOut.model_validate(load_user(session, actor, user_id))


@router.patch("/users/{user_id}")
def update_user(
    user_id: IdParam, body: UserUpdate, request: Request, actor: Actor, db: Db
) -> UserOut:
    """A new password ends the user's other sessions and tokens (see auth.service)."""
    with db.write() as session:
        user = service.update_user(
            session,
            actor=actor,
            user_id=user_id,
            data=body,
            keep_credential=presented_credential(request),
        )
        return UserOut.model_validate(user)


@router.get("/teams")
def list_teams(actor: Actor, db: Db) -> list[TeamOut]:
    with db.read() as session:
        return [TeamOut.model_validate(t) for t in queries.list_teams(session, actor)]


@router.post("/teams", status_code=status.HTTP_201_CREATED)
def create_team(body: TeamCreate, actor: Actor, db: Db) -> TeamOut:
    with db.write() as session:
        return TeamOut.model_validate(service.create_team(session, actor=actor, data=body))


@router.patch("/teams/{team_id}")
def update_team(team_id: IdParam, body: TeamUpdate, actor: Actor, db: Db) -> TeamOut:
    with db.write() as session:
        team = service.update_team(session, actor=actor, team_id=team_id, data=body)
        return TeamOut.model_validate(team)
