"""The write path for users, teams, API tokens and browser sessions."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from accord.audit.service import record
from accord.auth.access import load_team, load_user, require_admin
from accord.auth.models import ApiToken, PortalSession, Team, TeamMembership, User, WebSession
from accord.auth.passwords import (
    common_password_problem,
    context_word_problem,
    hash_password,
    verify_password,
)
from accord.auth.schemas import TeamCreate, TeamUpdate, UserCreate, UserUpdate
from accord.auth.secrets import digest, new_secret
from accord.core.clock import utcnow
from accord.core.errors import (
    Conflict,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from accord.core.principal import Principal, Role, staff

log = logging.getLogger("accord.auth")
# How stale a session's last activity may get before a request writes it again: activity is
# known to the minute, for one write a minute per session instead of one per request.
SEEN_EVERY = timedelta(minutes=1)


def create_user(session: Session, *, actor: Principal, data: UserCreate) -> User:
    require_admin(actor)
    email = data.email.lower()
    if session.scalar(select(User.id).where(func.lower(User.email) == email)) is not None:
        raise Conflict(f"a user with email {email} already exists")
    _refuse_context_words(data.password, email, data.name)
    user = User(
        email=email,
        name=data.name,
        role=data.role.value,
        password_hash=hash_password(data.password),
        is_active=True,
        trainee=data.trainee,
        skills=sorted(set(data.skills)),
        capacity=data.capacity,
        created_at=utcnow(),
    )
    session.add(user)
    session.flush()
    _set_teams(session, user, data.team_ids)
    record(session, actor=actor, kind="user.created", data={"user_id": user.id, "role": user.role})
    return user


def update_user(
    session: Session,
    *,
    actor: Principal,
    user_id: int,
    data: UserUpdate,
    keep_credential: str | None = None,
) -> User:
    """`keep_credential`: the secret (session cookie or bearer token) the request came with; a
    new password ends every other session and token of the user, and this one too unless the
    user is changing their own password."""
    require_admin(actor)
    user = load_user(session, actor, user_id)
    # Every field of a user holds a value, so null means "leave it as it is" (as for customers).
    changes = data.model_dump(exclude_unset=True, exclude_none=True)
    if changes.get("is_active") is False and user.id == actor.user_id:
        raise Conflict("you cannot deactivate your own account; ask another admin")
    _keep_an_admin(session, user, changes)
    if "password" in changes:
        _refuse_context_words(changes["password"], user.email, changes.get("name", user.name))
        user.password_hash = hash_password(changes.pop("password"))
        changes["password"] = "changed"  # noqa: S105 - audit marker, not a secret
    if "team_ids" in changes:
        _set_teams(session, user, changes["team_ids"])
    for field in ("name", "is_active", "trainee", "capacity"):
        if field in changes:
            setattr(user, field, changes[field])
    if "role" in changes:
        user.role = Role(changes["role"]).value
    if "skills" in changes:
        user.skills = sorted(set(changes["skills"]))
    if changes.get("is_active") is False:
        _end_sessions_and_tokens(session, user.id)
    elif "password" in changes:
        # Whoever knew the old password may hold a session or a token opened with it.
        own = user.id == actor.user_id
        _end_sessions_and_tokens(session, user.id, keep=keep_credential if own else None)
    record(session, actor=actor, kind="user.updated", data={"user_id": user.id, **_safe(changes)})
    return user


def change_own_password(
    session: Session,
    *,
    actor: Principal,
    current_password: str,
    new_password: str,
    keep_credential: str | None = None,
) -> User:
    """A staff member sets a new password of their own, giving the current one. Every other
    session and token of theirs ends; `keep_credential`, the one the request came with, stays."""
    if actor.kind != "staff" or actor.user_id is None:
        raise PermissionDenied("only staff accounts have a password")
    user = load_user(session, actor, actor.user_id)
    if not verify_password(current_password, user.password_hash):
        raise PermissionDenied("the current password is not right")
    _refuse_context_words(new_password, user.email, user.name)
    user.password_hash = hash_password(new_password)
    _end_sessions_and_tokens(session, user.id, keep=keep_credential)
    record(session, actor=actor, kind="user.password_changed", data={"user_id": user.id})
    return user


def _refuse_context_words(password: str, email: str, name: str) -> None:
    """A new password made of words tied to Accord or the account, or a common one: refused."""
    problem = context_word_problem(password, (email, name)) or common_password_problem(password)
    if problem:
        raise ValidationFailed(problem)


def _keep_an_admin(session: Session, user: User, changes: dict[str, object]) -> None:
    """Refuse to deactivate or demote the last active admin: nobody could sign in to undo it."""
    demoted = "role" in changes and Role(str(changes["role"])) != Role.ADMIN
    if not (user.role == Role.ADMIN.value and user.is_active):
        return
    if not (demoted or changes.get("is_active") is False):
        return
    others = session.scalar(
        select(func.count(User.id)).where(
            User.role == Role.ADMIN.value, User.is_active.is_(True), User.id != user.id
        )
    )
    if not others:
        raise Conflict("this is the last active admin; make another user an admin first")


def _safe(changes: dict[str, object]) -> dict[str, object]:
    return {k: (v.value if isinstance(v, Role) else v) for k, v in changes.items()}


def _set_teams(session: Session, user: User, team_ids: list[int]) -> None:
    wanted = sorted(set(team_ids))
    found = set(session.scalars(select(Team.id).where(Team.id.in_(wanted))))
    missing = [t for t in wanted if t not in found]
    if missing:
        raise ValidationFailed(f"unknown team ids: {missing}")
    user.memberships = [m for m in user.memberships if m.team_id in found]
    have = {m.team_id for m in user.memberships}
    for team_id in wanted:
        if team_id not in have:
            user.memberships.append(TeamMembership(team_id=team_id, user_id=user.id))
    session.flush()


def create_team(session: Session, *, actor: Principal, data: TeamCreate) -> Team:
    require_admin(actor)
    if session.scalar(select(Team.id).where(Team.slug == data.slug)) is not None:
        raise Conflict(f"a team with slug {data.slug} already exists")
    team = Team(slug=data.slug, name=data.name, created_at=utcnow())
    session.add(team)
    session.flush()
    record(session, actor=actor, kind="team.created", data={"team_id": team.id, "slug": team.slug})
    return team


def update_team(session: Session, *, actor: Principal, team_id: int, data: TeamUpdate) -> Team:
    require_admin(actor)
    team = load_team(session, actor, team_id)
    team.name = data.name
    record(session, actor=actor, kind="team.updated", data={"team_id": team.id, "name": data.name})
    return team


def authenticate(session: Session, *, email: str, password: str) -> User:
    user = session.scalars(select(User).where(func.lower(User.email) == email.lower())).first()
    ok = verify_password(password, user.password_hash if user else None)
    if user is None or not ok or not user.is_active:
        raise NotAuthenticated("wrong email or password")
    return user


def principal_for(user: User) -> Principal:
    return staff(user.id, Role(user.role), frozenset(user.team_ids))


def issue_token(
    session: Session,
    *,
    actor: Principal,
    user_id: int,
    name: str = "",
    expires_in_days: int | None = None,
) -> tuple[str, ApiToken]:
    """Create a bearer token for a user: yourself, or anyone if admin. A customer's access code
    is the inbox's to issue (`accord.inbox.customer_codes.issue_customer_code`). The secret is
    returned once, never stored."""
    if user_id != actor.user_id:
        require_admin(actor)
    return create_token(
        session, actor=actor, user_id=user_id, name=name, expires_in_days=expires_in_days
    )


def create_token(
    session: Session,
    *,
    actor: Principal,
    user_id: int | None = None,
    customer_id: int | None = None,
    name: str = "",
    expires_in_days: int | None = None,
) -> tuple[str, ApiToken]:
    """The token row and its audit record (who issued it, for whom); the secret is returned
    once, never stored. It checks no permission: who may hold a token is the caller's rule
    (`issue_token` for users, `accord.inbox.customer_codes` for customers)."""
    if (user_id is None) == (customer_id is None):
        raise ValidationFailed("a token belongs to exactly one user or one customer")
    secret = new_secret("acc")
    now = utcnow()
    row = ApiToken(
        token_hash=digest(secret),
        prefix=secret[:10],
        name=name,
        user_id=user_id,
        customer_id=customer_id,
        created_at=now,
        expires_at=now + timedelta(days=expires_in_days) if expires_in_days else None,
    )
    session.add(row)
    session.flush()
    record(
        session,
        actor=actor,
        kind="token.created",
        data={"token_id": row.id, "user_id": user_id, "customer_id": customer_id, "name": name},
    )
    return secret, row


def revoke_token(session: Session, *, actor: Principal, token_id: int) -> ApiToken:
    """Revoked by its owner or an admin; anyone else is told it does not exist."""
    row = session.get(ApiToken, token_id)
    if row is None or not (actor.is_admin or _owns(actor, row)):
        raise NotFound(f"token {token_id} not found")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        data = {"token_id": row.id, "user_id": row.user_id, "customer_id": row.customer_id}
        record(session, actor=actor, kind="token.revoked", data=data)
    return row


def _owns(actor: Principal, row: ApiToken) -> bool:
    # Compare the owner column of the actor's own kind only: a customer's user_id and a staff
    # member's customer_id are both None, and None == None must never mean "the same owner".
    if actor.kind == "customer":
        return actor.customer_id is not None and row.customer_id == actor.customer_id
    if actor.kind == "staff":
        return actor.user_id is not None and row.user_id == actor.user_id
    return False


def find_token(session: Session, secret: str) -> ApiToken | None:
    """The token row whose secret is `secret` (looked up by its SHA-256), if any."""
    return session.scalars(select(ApiToken).where(ApiToken.token_hash == digest(secret))).first()


def token_holder(session: Session, row: ApiToken | None, *, shown: str) -> Principal | None:
    """Whom the token `row` names, as far as auth can tell: None if it is revoked, expired or
    its user may not sign in, with a log line naming it by `shown` (its first characters, never
    the secret). A customer's code comes back as that customer whatever their standing: whether
    a blocked or erased customer may sign in is the inbox's rule, so credentials are resolved
    with `accord.inbox.customer_codes.token_principal`, never with this alone."""
    now = utcnow()
    refused: str
    if row is None or row.revoked_at is not None or (row.expires_at and row.expires_at <= now):
        refused = "unknown" if row is None else "revoked or expired"
    elif row.customer_id is not None:
        return Principal(kind="customer", customer_id=row.customer_id)
    else:
        user = session.get(User, row.user_id)
        if user is not None and user.is_active:
            return principal_for(user)
        refused = "user inactive"
    refuse_token(shown, refused)
    return None


def refuse_token(shown: str, reason: str) -> None:
    """The log line of a refused token or code."""
    # The first characters only (what the token list shows as its prefix), %r-quoted: enough to
    # tell tokens apart in an investigation, never enough to use one.
    log.warning("token refused (%s): prefix=%r", reason, shown)


def open_web_session(
    session: Session,
    user: User,
    ttl: timedelta,
    replacing: str | None = None,
    *,
    user_agent: str = "",
    address: str = "",
) -> tuple[str, str]:
    """Returns (cookie secret, CSRF token). `replacing`: the session secret the browser came
    with, if any; a login ends it, so a browser holds one live session at a time.
    `user_agent` and `address` label the session in its owner's list."""
    if replacing:
        close_web_session(session, replacing)
    secret = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(
        WebSession(
            session_hash=digest(secret),
            csrf_token=csrf,
            user_id=user.id,
            created_at=now,
            expires_at=now + ttl,
            last_seen_at=now,
            user_agent=user_agent[:200],
            address=address[:64],
        )
    )
    record(session, actor=principal_for(user), kind="user.logged_in", data={"user_id": user.id})
    return secret, csrf


@dataclass(frozen=True)
class LiveSession:
    """A browser session that is still valid: who (with the name and email the pages show),
    its CSRF token, and whether its last activity is old enough to be written again
    (`touch_web_session`)."""

    principal: Principal
    csrf: str
    session_id: int
    touch_due: bool
    name: str
    email: str


def resolve_web_session(
    session: Session, secret: str, idle_timeout: timedelta
) -> LiveSession | None:
    """The live session whose cookie secret is `secret`: None once past its absolute lifetime,
    or idle for `idle_timeout` (ASVS 7.3.1), or when its user was deactivated."""
    row = session.scalars(
        select(WebSession).where(WebSession.session_hash == digest(secret))
    ).first()
    now = utcnow()
    if row is None or row.expires_at <= now or row.last_seen_at + idle_timeout <= now:
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.is_active:
        return None
    touch_due = now - row.last_seen_at >= SEEN_EVERY
    return LiveSession(
        principal_for(user), row.csrf_token, row.id, touch_due, user.name, user.email
    )


def touch_web_session(session: Session, session_id: int) -> None:
    """Record activity on a session now (the callers do it at most every SEEN_EVERY)."""
    session.execute(
        update(WebSession).where(WebSession.id == session_id).values(last_seen_at=utcnow())
    )


def list_own_sessions(session: Session, *, actor: Principal) -> list[WebSession]:
    """The actor's live browser sessions, the most recently active first (ASVS 7.5.2)."""
    if actor.kind != "staff" or actor.user_id is None:
        raise PermissionDenied("only staff accounts have browser sessions")
    rows = session.scalars(
        select(WebSession)
        .where(WebSession.user_id == actor.user_id, WebSession.expires_at > utcnow())
        .order_by(WebSession.last_seen_at.desc(), WebSession.id.desc())
    )
    return list(rows)


def end_own_session(session: Session, *, actor: Principal, session_id: int, password: str) -> None:
    """End one of the actor's own browser sessions, after the actor's password (ASVS 7.5.2:
    terminating sessions needs re-authentication). Someone else's session is not found."""
    if actor.kind != "staff" or actor.user_id is None:
        raise PermissionDenied("only staff accounts have browser sessions")
    user = load_user(session, actor, actor.user_id)
    if not verify_password(password, user.password_hash):
        raise PermissionDenied("the password is not right")
    row = session.get(WebSession, session_id)
    if row is None or row.user_id != actor.user_id:
        raise NotFound(f"no session {session_id} of yours")
    session.delete(row)
    record(session, actor=actor, kind="user.session_ended", data={"session_id": session_id})


def close_web_session(session: Session, secret: str) -> None:
    session.execute(delete(WebSession).where(WebSession.session_hash == digest(secret)))


def end_all_sessions(session: Session, *, actor: Principal, keep: str | None = None) -> int:
    """An admin signs every browser out (all users), except the session whose secret is
    `keep` (their own, when they ask from a browser). API tokens are not touched: revoke those
    one by one, or deactivate the user. Returns how many sessions ended."""
    require_admin(actor)
    kept = digest(keep) if keep else ""
    result = session.execute(delete(WebSession).where(WebSession.session_hash != kept))
    ended = int(getattr(result, "rowcount", 0) or 0)
    record(session, actor=actor, kind="sessions.ended", data={"count": ended})
    return ended


def purge_expired_sessions(session: Session) -> int:
    """Delete expired staff and portal sessions; returns how many went."""
    removed = 0
    for model in (WebSession, PortalSession):
        result = session.execute(delete(model).where(model.expires_at <= utcnow()))
        removed += int(getattr(result, "rowcount", 0) or 0)
    return removed


def _end_sessions_and_tokens(session: Session, user_id: int, keep: str | None = None) -> None:
    """Sign the user out everywhere, except the session or token whose secret is `keep`."""
    kept = digest(keep) if keep else ""
    session.execute(
        delete(WebSession).where(WebSession.user_id == user_id, WebSession.session_hash != kept)
    )
    for token in session.scalars(select(ApiToken).where(ApiToken.user_id == user_id)):
        if token.token_hash != kept:
            token.revoked_at = token.revoked_at or utcnow()
