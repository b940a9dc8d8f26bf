"""The policy editors' kinds and verdicts: SLA policy, escalation rules, playbooks.

Checking and saving validate with the same parsers as `accord sla|rules|playbook validate`
(through `accord.cases.policies.store`); a verdict says what is wrong, with the line of a YAML
syntax error, or summarises a valid text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from accord.cases.escalation.rules import parse_rules
from accord.cases.playbook.table import parse_playbook
from accord.cases.policies import store as policy_store
from accord.cases.sla.policy import parse_sla_policy
from accord.core.errors import NotFound, ValidationFailed

MAX_POLICY_CHARS = policy_store.MAX_POLICY_CHARS
REVISIONS_SHOWN = 5


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
    slug: str  # the policy store's kind
    title: str
    command: str
    summarise: Callable[[str], str]  # a valid text in one line


KINDS = {
    k.slug: k
    for k in (
        PolicyKind("sla", "SLA policy", "accord sla validate", _sla),
        PolicyKind("rules", "Escalation rules", "accord rules validate", _rules),
        PolicyKind("playbook", "Playbook", "accord playbook validate", _playbook),
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


def refused(exc: ValidationFailed) -> Verdict:
    line = exc.extra.get("line")
    return Verdict(False, exc.detail, line if isinstance(line, int) else None)


def check(policy: PolicyKind, text: str) -> Verdict:
    try:
        policy_store.validate(policy.slug, text)
    except ValidationFailed as exc:
        return refused(exc)
    return Verdict(True, policy.summarise(text))
