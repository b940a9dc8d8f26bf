"""The company's remedy policy: which options a draft may offer, and within which limits.

YAML (``ACCORD_COACH_POLICY_FILE``; the defaults below when unset), for example::

    currency: "€"
    refund: true
    refund_limit: 150        # agents refund up to this; above it a supervisor confirms
    replacement: true
    credit: true
    credit_amount: 25
    escalation: true         # offer a supervisor when the customer asks for one
    response_days: 2         # the time frame promised in next steps
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from accord.core.errors import NotFound
from accord.core.yaml_model import load_model

__all__ = ["Policy", "load_policy", "parse_policy"]


class Policy(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    currency: str = Field(default="$", max_length=5)
    refund: bool = True
    refund_limit: float = Field(default=100.0, ge=0)
    replacement: bool = True
    credit: bool = True
    credit_amount: float = Field(default=20.0, ge=0)
    escalation: bool = True
    response_days: int = Field(default=2, ge=1, le=30)

    def money(self, amount: float) -> str:
        value = f"{amount:.2f}".removesuffix(".00")
        return f"{self.currency}{value}"


def parse_policy(text: str) -> Policy:
    return load_model(text, Policy, "coach policy", shape="of settings")


@cache
def _policy_at(path: str | None) -> Policy:
    if not path:
        return Policy()
    file = Path(path)
    if not file.is_file():
        raise NotFound(f"coach policy file {path} not found")
    return parse_policy(file.read_text(encoding="utf-8"))


def load_policy(path: str | None) -> Policy:
    """The policy of the file a deployment configured (``ACCORD_COACH_POLICY_FILE``, passed in
    by the service that drafts), parsed once per path; the defaults above when there is none."""
    return _policy_at(path)
