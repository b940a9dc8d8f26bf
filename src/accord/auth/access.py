"""Who may act on users and teams, and the role checks every service starts with.

Policy: staff only for users and teams; admins change them. Who sees which conversation and
customer is the inbox's rule (`accord.inbox.access`).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from accord.auth.models import Team, User
from accord.core.errors import NotFound, PermissionDenied
from accord.core.principal import Principal


def load_user(session: Session, actor: Principal, user_id: int) -> User:
    require_staff(actor)
    row = session.get(User, user_id)
    if row is None:
        raise NotFound(f"user {user_id} not found")
    return row


def load_team(session: Session, actor: Principal, team_id: int) -> Team:
    require_staff(actor)
    row = session.get(Team, team_id)
    if row is None:
        raise NotFound(f"team {team_id} not found")
    return row


def require_staff(actor: Principal) -> None:
    if not actor.is_staff:
        raise PermissionDenied("staff only")


def require_admin(actor: Principal) -> None:
    if not actor.is_admin:
        raise PermissionDenied("administrators only")


def require_supervisor(actor: Principal) -> None:
    if not actor.sees_all_conversations:
        raise PermissionDenied("supervisors and administrators only")
