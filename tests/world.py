"""The small world every API test starts from, built through the real services."""

from __future__ import annotations

from dataclasses import dataclass, field

from accord.auth import service as auth
from accord.auth.schemas import TeamCreate, UserCreate
from accord.core.principal import SYSTEM, Principal, Role
from accord.db.engine import Database
from accord.inbox import service as inbox
from accord.inbox.customer_codes import issue_customer_code
from accord.inbox.models import Direction
from accord.inbox.schemas import ConversationCreate, CustomerCreate, MessageCreate, MessageIn

PASSWORD = "correct-horse-battery"
IDENTITIES = ("anonymous", "customer_a", "customer_b", "agent_x", "agent_y", "supervisor", "admin")


@dataclass
class World:
    team_x: int = 0
    team_y: int = 0
    users: dict[str, int] = field(default_factory=dict)
    emails: dict[str, str] = field(default_factory=dict)
    customer_a: int = 0
    customer_b: int = 0
    conv_a: int = 0  # customer A, team X; has a reply and an internal note
    conv_b: int = 0  # customer B, team Y
    tokens: dict[str, str] = field(default_factory=dict)
    token_ids: dict[str, int] = field(default_factory=dict)

    def headers(self, identity: str) -> dict[str, str]:
        if identity == "anonymous":
            return {}
        return {"Authorization": f"Bearer {self.tokens[identity]}"}


def build_world(db: Database) -> World:
    w = World()
    with db.write() as s:
        w.team_x = auth.create_team(s, actor=SYSTEM, data=TeamCreate(slug="team-x", name="X")).id
        w.team_y = auth.create_team(s, actor=SYSTEM, data=TeamCreate(slug="team-y", name="Y")).id
        people = {
            "admin": (Role.ADMIN, []),
            "supervisor": (Role.SUPERVISOR, []),
            "agent_x": (Role.AGENT, [w.team_x]),
            "agent_y": (Role.AGENT, [w.team_y]),
        }
        for key, (role, teams) in people.items():
            email = f"{key.replace('_', '.')}@accord.example"
            data = UserCreate(email=email, name=key, role=role, password=PASSWORD, team_ids=teams)
            user = auth.create_user(s, actor=SYSTEM, data=data)
            w.users[key], w.emails[key] = user.id, email
            secret, token = auth.issue_token(s, actor=SYSTEM, user_id=user.id, name="test")
            w.tokens[key], w.token_ids[key] = secret, token.id
        for key in ("a", "b"):
            data = CustomerCreate(name=f"Customer {key.upper()}", email=f"{key}@customer.example")
            customer = inbox.create_customer(s, actor=SYSTEM, data=data)
            setattr(w, f"customer_{key}", customer.id)
            secret, token = issue_customer_code(s, actor=SYSTEM, customer_id=customer.id)
            w.tokens[f"customer_{key}"], w.token_ids[f"customer_{key}"] = secret, token.id
        w.conv_a = _conversation(s, w.customer_a, w.team_x, "Broken lamp", w.users["agent_x"])
        w.conv_b = _conversation(s, w.customer_b, w.team_y, "Late sofa", w.users["agent_y"])
    return w


def _conversation(s: object, customer_id: int, team_id: int, subject: str, agent: int) -> int:
    from sqlalchemy.orm import Session

    assert isinstance(s, Session)
    data = ConversationCreate(
        subject=subject,
        customer_id=customer_id,
        team_id=team_id,
        message=MessageIn(text=f"{subject}: please help."),
    )
    conv, _ = inbox.create_conversation(s, actor=SYSTEM, data=data)
    agent_actor = Principal(
        kind="staff", user_id=agent, role=Role.AGENT, team_ids=frozenset({team_id})
    )
    reply = MessageCreate(text="Sorry to hear that, looking into it now.")
    inbox.add_message(s, actor=agent_actor, conversation_id=conv.id, data=reply)
    note = MessageCreate(text="Internal: check the warehouse.", direction=Direction.NOTE)
    inbox.add_message(s, actor=agent_actor, conversation_id=conv.id, data=note)
    return conv.id
