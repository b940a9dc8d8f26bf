"""Who is acting: a staff user, a customer, or the system itself (CLI, demo loader, jobs).

Plain data, resolved once per request, so domain code never reaches back into the web layer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal


class Role(StrEnum):
    AGENT = "agent"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


PrincipalKind = Literal["staff", "customer", "system"]


@dataclass(frozen=True)
class Principal:
    kind: PrincipalKind
    user_id: int | None = None
    customer_id: int | None = None
    role: Role | None = None
    team_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def key(self) -> str:
        """A stable identifier, used to scope idempotency keys."""
        if self.kind == "staff":
            return f"user:{self.user_id}"
        if self.kind == "customer":
            return f"customer:{self.customer_id}"
        return "system"

    @property
    def is_staff(self) -> bool:
        return self.kind in ("staff", "system")

    @property
    def is_admin(self) -> bool:
        return self.kind == "system" or self.role == Role.ADMIN

    @property
    def sees_all_conversations(self) -> bool:
        return self.kind == "system" or self.role in (Role.ADMIN, Role.SUPERVISOR)


SYSTEM = Principal(kind="system")


def staff(user_id: int, role: Role, team_ids: frozenset[int] = frozenset()) -> Principal:
    return Principal(kind="staff", user_id=user_id, role=role, team_ids=team_ids)


def customer(customer_id: int) -> Principal:
    return Principal(kind="customer", customer_id=customer_id)
