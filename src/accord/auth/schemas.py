"""Request and response bodies for users, teams, tokens and login."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StringConstraints, field_validator

from accord.auth.passwords import MIN_PASSWORD_LENGTH
from accord.core.ids import Id
from accord.core.principal import Role
from accord.core.requests import RequestModel
from accord.core.text import single_line

Slug = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")
# A password is checked exactly as typed: the write models strip the spaces around every other
# string, never around a password (the login form does not strip them either).
Password = Annotated[str, StringConstraints(strip_whitespace=False)]


class WriteModel(RequestModel):
    """Write bodies reject unknown fields, so `role`, `is_admin`, `owner_id`... cannot sneak in."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class LoginIn(WriteModel):
    email: EmailStr
    password: Password = Field(min_length=1, max_length=1024)


class UserCreate(WriteModel):
    email: EmailStr
    name: str = Field(min_length=1, max_length=200)
    role: Role
    password: Password = Field(min_length=MIN_PASSWORD_LENGTH, max_length=1024)
    team_ids: list[Id] = Field(default_factory=list, max_length=100)
    skills: list[str] = Field(default_factory=list, max_length=50)
    trainee: bool = False
    capacity: int = Field(default=10, ge=0, le=1000)

    _name = field_validator("name")(single_line)


class UserUpdate(WriteModel):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    role: Role | None = None
    password: Password | None = Field(default=None, min_length=MIN_PASSWORD_LENGTH, max_length=1024)
    is_active: bool | None = None
    team_ids: list[Id] | None = Field(default=None, max_length=100)
    skills: list[str] | None = Field(default=None, max_length=50)
    trainee: bool | None = None
    capacity: int | None = Field(default=None, ge=0, le=1000)


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    name: str
    role: Role
    is_active: bool
    trainee: bool
    skills: list[str]
    capacity: int
    team_ids: list[int]
    created_at: datetime


class PasswordChange(WriteModel):
    """A staff member's own password change: the current password and the new one."""

    current_password: Password = Field(min_length=1, max_length=1024)
    new_password: Password = Field(min_length=MIN_PASSWORD_LENGTH, max_length=1024)


class TeamCreate(WriteModel):
    slug: str = Slug
    name: str = Field(min_length=1, max_length=200)


class TeamUpdate(WriteModel):
    name: str = Field(min_length=1, max_length=200)


class TeamOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    slug: str
    name: str
    created_at: datetime


class TokenCreate(WriteModel):
    name: str = Field(default="", max_length=200)
    expires_in_days: int | None = Field(default=None, ge=1, le=3650)


class TokenOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    prefix: str
    name: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None


class TokenCreated(TokenOut):
    token: str = Field(description="The secret; shown only once.")


class SessionEnd(WriteModel):
    """Ending one of your browser sessions asks for your password again (ASVS 7.5.2)."""

    password: Password = Field(min_length=1, max_length=1024)


class WebSessionOut(BaseModel):
    """One of your browser sessions, as its list shows it (never its secret)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    user_agent: str
    address: str
    current: bool = False


class SessionOut(BaseModel):
    user: UserOut
    csrf_token: str
