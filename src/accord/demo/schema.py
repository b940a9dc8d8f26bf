"""The shape of workspace.yaml, validated before anything is written."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, model_validator

from accord.core.principal import Role
from accord.inbox.models import Priority, Status


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DemoTeam(Strict):
    key: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")
    name: str


class DemoUser(Strict):
    key: str
    name: str
    email: EmailStr
    role: Role
    teams: list[str] = Field(default_factory=list)


class DemoCustomer(Strict):
    key: str
    name: str
    email: EmailStr


class DemoMessage(Strict):
    direction: Literal["inbound", "outbound", "note"]
    author: str
    minutes_after_open: float = Field(ge=0)
    text: str = Field(min_length=1)


class DemoConversation(Strict):
    key: str
    subject: str
    customer: str
    channel: Literal["email", "chat", "webchat", "api", "phone", "import"]
    team: str | None = None
    assignee: str | None = None
    status: Status
    priority: Priority
    tags: list[str] = Field(default_factory=list)
    scenario: str
    opened_hours_ago: float = Field(ge=0)
    messages: list[DemoMessage] = Field(min_length=1)

    @model_validator(mode="after")
    def _ordered(self) -> DemoConversation:
        times = [m.minutes_after_open for m in self.messages]
        if times != sorted(times):
            raise ValueError(f"{self.key}: messages must be in time order")
        if self.messages[0].direction != "inbound":
            raise ValueError(f"{self.key}: the first message must come from the customer")
        return self


class Workspace(Strict):
    company: str
    teams: list[DemoTeam]
    users: list[DemoUser]
    customers: list[DemoCustomer]
    conversations: list[DemoConversation]

    @model_validator(mode="after")
    def _references(self) -> Workspace:
        teams = {t.key for t in self.teams}
        users = {u.key for u in self.users}
        customers = {c.key for c in self.customers}
        problems = [
            f"user {u.key}: unknown team {t}" for u in self.users for t in u.teams if t not in teams
        ]
        for conv in self.conversations:
            problems += _conversation_problems(conv, teams, users, customers)
        keys = [c.key for c in self.conversations]
        problems += [
            f"duplicate conversation key {k}" for k in sorted(set(keys)) if keys.count(k) > 1
        ]
        if problems:
            raise ValueError("; ".join(problems[:10]))
        return self


def _conversation_problems(
    conv: DemoConversation, teams: set[str], users: set[str], customers: set[str]
) -> list[str]:
    found = []
    if conv.customer not in customers:
        found.append(f"{conv.key}: unknown customer {conv.customer}")
    if conv.team is not None and conv.team not in teams:
        found.append(f"{conv.key}: unknown team {conv.team}")
    if conv.assignee is not None and conv.assignee not in users:
        found.append(f"{conv.key}: unknown assignee {conv.assignee}")
    for m in conv.messages:
        expected = customers if m.direction == "inbound" else users
        if m.author not in expected:
            found.append(f"{conv.key}: {m.direction} message by unknown author {m.author}")
    return found
