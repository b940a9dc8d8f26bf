"""The policies in force: the newest saved revision (`accord.cases.policies.store`), else the
configured file (`ACCORD_SLA_POLICY_FILE`, `ACCORD_ESCALATION_RULES_FILE`,
`ACCORD_PLAYBOOKS_DIR`, as the session's settings say: `accord.settings.settings_of`), else the
default shipped with Accord.

Parsing is cached per process, keyed on the store's stamp (how many revisions are saved and the
newest id, read once per transaction) and the configured source. A save therefore takes effect
at once in the process that made it and, in every other process (web workers, the job
worker), at its next transaction, without re-parsing YAML for every message.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar, cast

import yaml
from sqlalchemy.orm import Session

from accord.cases.escalation.rules import RuleSet, parse_rules
from accord.cases.playbook.table import Playbook, default_playbook, parse_playbook
from accord.cases.policies import store
from accord.cases.policies.store import Revision
from accord.cases.sla.policy import SlaPolicy, parse_sla_policy
from accord.core.errors import NotFound, ValidationFailed
from accord.settings import settings_of

log = logging.getLogger("accord.cases")
T = TypeVar("T")
PACKAGED = {
    "sla": "policies/sla.yaml",
    "rules": "policies/escalation.yaml",
    "playbook": "playbook/default.yaml",
}
_parsed: dict[str, tuple[Hashable, Any]] = {}


@dataclass(frozen=True)
class Source:
    """A policy's text in force and where it comes from."""

    text: str
    origin: str  # in words: "revision 3", a file path, or the default shipped with Accord
    saved: Revision | None  # the saved revision in force, if any


def _cached(name: str, key: Hashable | None, build: Callable[[], T]) -> T:
    # One entry per policy: an older stamp is never asked for again once a newer is seen.
    if key is None:
        return build()
    hit = _parsed.get(name)
    if hit is not None and hit[0] == key:
        return cast(T, hit[1])
    value = build()
    _parsed[name] = (key, value)
    return value


def _packaged(kind: str) -> Source:
    text = resources.files("accord.cases").joinpath(PACKAGED[kind]).read_text("utf-8")
    return Source(text, f"the default shipped with Accord ({PACKAGED[kind]})", None)


def _configured_file(session: Session, kind: str) -> str | None:
    settings = settings_of(session)
    return {"sla": settings.sla_policy_file, "rules": settings.escalation_rules_file}.get(kind)


def _unsaved(session: Session, kind: str) -> Source:
    """What is in force when nothing was saved: the configured file, else the default."""
    path = _configured_file(session, kind)
    if path:
        return Source(Path(path).read_text(encoding="utf-8"), path, None)
    return _packaged(kind)


def _saved(text: str, parse: Callable[[str], T], what: str) -> T | None:
    """A saved revision parsed, or None when it no longer parses (say, after an upgrade made a
    rule stricter): falling back beats failing every message until an admin notices."""
    try:
        return parse(text)
    except (ValidationFailed, yaml.YAMLError):
        log.exception("the saved %s does not parse; using the file or default instead", what)
        return None


def _single(session: Session, kind: str, parse: Callable[[str], T]) -> T:
    saved = store.latest(session, kind)
    if saved is not None:
        parsed = _saved(saved.text, parse, f"{kind} policy revision {saved.revision}")
        if parsed is not None:
            return parsed
    return parse(_unsaved(session, kind).text)


def _key(session: Session, configured: str | None) -> Hashable | None:
    """The cache key of a policy as this transaction sees it; None: do not cache."""
    if store.uncommitted(session):
        return None
    # The database is part of the key: one process may serve several (tests do).
    bind = session.get_bind()
    return (str(bind.engine.url), store.stamp(session), configured)


def sla_policy(session: Session) -> SlaPolicy:
    key = _key(session, _configured_file(session, "sla"))
    return _cached("sla", key, lambda: _single(session, "sla", parse_sla_policy))


def rule_set(session: Session) -> RuleSet:
    """Escalation rules, routing and the boundaries policy."""
    key = _key(session, _configured_file(session, "rules"))
    return _cached("rules", key, lambda: _single(session, "rules", parse_rules))


@cache
def _playbook_files(directory: str | None) -> tuple[tuple[Playbook, Source], ...]:
    """The shipped default first, then the folder's playbooks in file-name order."""
    found = [(default_playbook(), _packaged("playbook"))]
    if directory:
        for path in sorted(Path(directory).glob("*.yaml")):
            text = path.read_text(encoding="utf-8")
            found.append((parse_playbook(text), Source(text, str(path), None)))
    return tuple(found)


def _build_playbooks(session: Session) -> tuple[Playbook, ...]:
    found = [p for p, _ in _playbook_files(settings_of(session).playbooks_dir)]
    for saved in store.latest_playbooks(session):
        what = f"playbook {saved.playbook_id!r} revision {saved.revision}"
        parsed = _saved(saved.text, parse_playbook, what)
        if parsed is None:
            continue
        ids = [p.id for p in found]
        if parsed.id in ids:
            found[ids.index(parsed.id)] = parsed  # a saved version replaces the file's
        else:
            found.append(parsed)
    return tuple(found)


def playbooks(session: Session) -> tuple[Playbook, ...]:
    """Every playbook in force; the case layer picks the most specific that fits."""
    key = _key(session, settings_of(session).playbooks_dir)
    return _cached("playbooks", key, lambda: _build_playbooks(session))


def playbook_by_id(session: Session, playbook_id: str) -> Playbook:
    """A case's playbook; the default one when its playbook is no longer in force."""
    in_force = {p.id: p for p in reversed(playbooks(session))}  # the first of an id wins
    return in_force.get(playbook_id) or in_force[default_playbook().id]


def policy_key(kind: str, playbook_id: str = "") -> str:
    """The store's key of a policy: the playbook id (the default playbook's when none is
    given) for playbooks, "" for the others."""
    if kind not in PACKAGED:
        raise NotFound(f"there is no policy {kind!r}")
    return (playbook_id or default_playbook().id) if kind == "playbook" else ""


def source(session: Session, kind: str, playbook_id: str = "") -> Source:
    """The text in force for an editor, and where it comes from."""
    key = policy_key(kind, playbook_id)
    saved = store.latest(session, kind, key)
    if saved is not None:
        return Source(saved.text, f"revision {saved.revision}", saved)
    if kind != "playbook":
        return _unsaved(session, kind)
    for playbook, found in _playbook_files(settings_of(session).playbooks_dir):
        if playbook.id == key:
            return found
    raise NotFound(f"there is no playbook {key!r}")
