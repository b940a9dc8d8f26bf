"""The policy editors' sources and validators: SLA policy, escalation rules, playbooks.

Each validates with the same parser `accord sla|rules|playbook validate` uses. The policies
live in files (`ACCORD_SLA_POLICY_FILE`, `ACCORD_ESCALATION_RULES_FILE`,
`ACCORD_PLAYBOOKS_DIR`), read once per process; the editors check a text and show what is
wrong, they do not save it (storing policies in the database needs a schema change).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml

from accord.cases.escalation import parse_rules
from accord.cases.playbook import parse_playbook
from accord.cases.sla_policy import parse_sla_policy
from accord.core.errors import NotFound, ValidationFailed
from accord.settings import Settings

MAX_POLICY_CHARS = 200_000


def _sla(text: str) -> str:
    policy = parse_sla_policy(text)
    return f"ok: {len(policy.rules)} SLA rules, {len(policy.calendars)} calendars"


def _rules(text: str) -> str:
    rules = parse_rules(text)
    by_level = ", ".join(f"{r.name} (level {r.level})" for r in rules.rules)
    return f"ok: {len(rules.rules)} rules, {len(rules.routing.topics)} topic routes: {by_level}"


def _playbook(text: str) -> str:
    playbook = parse_playbook(text)
    steps = " → ".join(s.id for s in playbook.ordered_steps)
    return f"ok: playbook {playbook.id!r} with {len(playbook.ordered_steps)} steps: {steps}"


@dataclass(frozen=True)
class PolicyKind:
    slug: str
    title: str
    command: str
    packaged: str  # the file shipped with Accord, under accord.cases
    validate: Callable[[str], str]

    def source(self, settings: Settings) -> tuple[str, str]:
        """The text in force and where it comes from."""
        configured = {
            "sla": settings.sla_policy_file,
            "rules": settings.escalation_rules_file,
        }.get(self.slug)
        if configured:
            return Path(configured).read_text(encoding="utf-8"), configured
        text = resources.files("accord.cases").joinpath(self.packaged).read_text("utf-8")
        return text, f"the default shipped with Accord ({self.packaged})"


KINDS = {
    k.slug: k
    for k in (
        PolicyKind("sla", "SLA policy", "accord sla validate", "policies/sla.yaml", _sla),
        PolicyKind(
            "rules", "Escalation rules", "accord rules validate", "policies/escalation.yaml", _rules
        ),
        PolicyKind(
            "playbook", "Playbook", "accord playbook validate", "playbooks/default.yaml", _playbook
        ),
    )
}


def kind(slug: str) -> PolicyKind:
    found = KINDS.get(slug)
    if found is None:
        raise NotFound(f"there is no policy editor {slug!r}")
    return found


@dataclass(frozen=True)
class Verdict:
    ok: bool
    message: str
    line: int | None = None  # where a YAML syntax error is, 1-based


def check(policy: PolicyKind, text: str) -> Verdict:
    try:
        return Verdict(True, policy.validate(text))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else None
        return Verdict(False, f"not valid YAML: {exc}", line)
    except yaml.YAMLError as exc:
        return Verdict(False, f"not valid YAML: {exc}")
    except ValidationFailed as exc:
        cause = exc.__cause__
        mark = getattr(cause, "problem_mark", None)
        return Verdict(False, exc.detail, mark.line + 1 if mark is not None else None)
