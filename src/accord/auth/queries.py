"""Read models for users, teams and tokens."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from accord.auth.access import require_staff
from accord.auth.models import ApiToken, Team, User
from accord.core.principal import Principal


def list_users(session: Session, actor: Principal) -> Sequence[User]:
    require_staff(actor)
    return session.scalars(
        select(User).options(selectinload(User.memberships)).order_by(User.id)
    ).all()


def list_teams(session: Session, actor: Principal) -> Sequence[Team]:
    require_staff(actor)
    return session.scalars(select(Team).order_by(Team.slug)).all()


def list_own_tokens(session: Session, actor: Principal) -> Sequence[ApiToken]:
    require_staff(actor)
    return session.scalars(
        select(ApiToken).where(ApiToken.user_id == actor.user_id).order_by(ApiToken.id)
    ).all()
