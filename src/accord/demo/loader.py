"""Load the demo workspace through the same services the API uses.

Timestamps are backdated by stepping an injected clock, so the inbox looks lived-in: each
conversation opened `opened_hours_ago` before now, each message at its own minute offset.
All staff share one generated password, written to `demo-credentials.txt` in the data dir.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import yaml
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.auth import service as auth_service
from accord.auth.models import User
from accord.auth.schemas import TeamCreate, UserCreate
from accord.core.clock import FixedClock, get_clock, set_clock, utcnow
from accord.core.errors import ValidationFailed
from accord.core.principal import SYSTEM, Principal, staff
from accord.db.engine import Database
from accord.demo.schema import DemoConversation, Workspace
from accord.inbox import service as inbox
from accord.inbox.models import Channel, Direction, Priority
from accord.inbox.schemas import (
    ConversationCreate,
    ConversationUpdate,
    CustomerCreate,
    MessageCreate,
    MessageIn,
)
from accord.insights import service as insights_service

WORKSPACE = Path(__file__).parent / "workspace.yaml"
CREDENTIALS_FILE = "demo-credentials.txt"
CHANNELS = {"chat": Channel.WEBCHAT}


@dataclass(frozen=True)
class DemoResult:
    loaded: bool
    conversations: int
    logins: list[tuple[str, str]]  # (email, role)
    password: str | None
    credentials_file: Path


@dataclass
class Ids:
    teams: dict[str, int]
    users: dict[str, User]
    customers: dict[str, int]


def read_workspace(path: Path = WORKSPACE) -> Workspace:
    try:
        return Workspace.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (yaml.YAMLError, ValidationError) as exc:
        raise ValidationFailed(f"{path}: {exc}") from exc


def load_demo(db: Database, data_dir: Path, path: Path = WORKSPACE) -> DemoResult:
    """Load the workspace once; a second call reports what is already there."""
    workspace = read_workspace(path)
    credentials = data_dir / CREDENTIALS_FILE
    logins = [(u.email.lower(), u.role.value) for u in workspace.users]
    with db.read() as session:
        already = session.scalar(select(User.id).where(User.email == logins[0][0]))
    if already is not None:
        saved = credentials.read_text().split()[-1] if credentials.exists() else None
        return DemoResult(False, len(workspace.conversations), logins, saved, credentials)
    password = secrets.token_urlsafe(12)
    with db.write() as session:
        ids = _load_people(session, workspace, password)
        now = utcnow()
        for conversation in workspace.conversations:
            _load_conversation(session, ids, conversation, now)
        # Each conversation was analysed at its own messages' times: cool them all to now,
        # as the worker's tick would.
        insights_service.cool(session, now)
    _save_password(credentials, password)
    return DemoResult(True, len(workspace.conversations), logins, password, credentials)


def _save_password(path: Path, password: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(f"Password of every demo staff account: {password}\n")


def _load_people(session: Session, ws: Workspace, password: str) -> Ids:
    teams = {
        t.key: auth_service.create_team(
            session, actor=SYSTEM, data=TeamCreate(slug=t.key, name=t.name)
        ).id
        for t in ws.teams
    }
    users = {}
    for u in ws.users:
        data = UserCreate(
            email=u.email,
            name=u.name,
            role=u.role,
            password=password,
            team_ids=[teams[k] for k in u.teams],
        )
        users[u.key] = auth_service.create_user(session, actor=SYSTEM, data=data)
    customers = {
        c.key: inbox.create_customer(
            session, actor=SYSTEM, data=CustomerCreate(name=c.name, email=c.email)
        ).id
        for c in ws.customers
    }
    return Ids(teams, users, customers)


@contextmanager
def _clock_at(instant: datetime) -> Iterator[None]:
    previous = get_clock()
    set_clock(FixedClock(instant))
    try:
        yield
    finally:
        set_clock(previous)


def _load_conversation(session: Session, ids: Ids, conv: DemoConversation, now: datetime) -> None:
    opened = now - timedelta(hours=conv.opened_hours_ago)
    first, *rest = conv.messages
    team_id = ids.teams[conv.team] if conv.team else None
    data = ConversationCreate(
        subject=conv.subject,
        customer_id=ids.customers[conv.customer],
        channel=CHANNELS.get(conv.channel) or Channel(conv.channel),
        priority=Priority(conv.priority),
        team_id=team_id,
        tags=conv.tags,
        message=MessageIn(text=first.text),
    )
    with _clock_at(opened):
        row, _ = inbox.create_conversation(session, actor=SYSTEM, data=data)
        assignee = ids.users[conv.assignee].id if conv.assignee else None
        if assignee is not None:
            update = ConversationUpdate(assignee_id=assignee)
            inbox.update_conversation(session, actor=SYSTEM, conversation_id=row.id, data=update)
    for message in rest:
        at = opened + timedelta(minutes=message.minutes_after_open)
        actor = _author(ids, message.author, message.direction, team_id)
        body = MessageCreate(text=message.text, direction=Direction(message.direction))
        with _clock_at(at):
            inbox.add_message(session, actor=actor, conversation_id=row.id, data=body)
    last = opened + timedelta(minutes=conv.messages[-1].minutes_after_open)
    with _clock_at(last):
        update = ConversationUpdate(status=conv.status)
        inbox.update_conversation(session, actor=SYSTEM, conversation_id=row.id, data=update)


def _author(ids: Ids, key: str, direction: str, team_id: int | None) -> Principal:
    if direction == Direction.INBOUND.value:
        return SYSTEM  # logged on the customer's behalf; the service credits the customer
    user = auth_service.principal_for(ids.users[key])
    # In the demo story colleagues help across teams; act as a member of this conversation's team.
    extra = frozenset({team_id}) if team_id is not None else frozenset()
    assert user.user_id is not None and user.role is not None
    return staff(user.user_id, user.role, user.team_ids | extra)
