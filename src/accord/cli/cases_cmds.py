"""`accord case ...`, `accord playbook validate`, `accord rules validate`, `accord sla validate`:
look at a conversation's case, run the periodic tick by hand, refresh the stored SLA due
moments, and check policy files before deploying them. Registered by `accord.cli.main`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from accord.cases.escalation.rules import parse_rules
from accord.cases.playbook.table import parse_playbook
from accord.cases.service import CaseView
from accord.cases.sla.policy import SlaTimer, parse_sla_policy

FileArg = Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)]


def register(app: typer.Typer, _bench: typer.Typer) -> None:
    from accord.cli.main import friendly

    case_app = typer.Typer(help="Conflict cases: playbook, SLA timers, escalation.")
    playbook_app = typer.Typer(help="Resolution playbooks.")
    rules_app = typer.Typer(help="Escalation, routing and boundary rules.")
    sla_app = typer.Typer(help="SLA policies.")
    case_app.command("show")(friendly(case_show))
    case_app.command("tick")(friendly(case_tick))
    case_app.command("refresh-sla")(friendly(case_refresh_sla))
    case_app.command("reanalyse")(friendly(case_reanalyse))
    playbook_app.command("validate")(friendly(playbook_validate))
    rules_app.command("validate")(friendly(rules_validate))
    sla_app.command("validate")(friendly(sla_validate))
    app.add_typer(case_app, name="case")
    app.add_typer(playbook_app, name="playbook")
    app.add_typer(rules_app, name="rules")
    app.add_typer(sla_app, name="sla")


def case_show(conversation_id: Annotated[int, typer.Argument(help="Conversation id.")]) -> None:
    """Show a conversation's playbook steps, next best action, SLA timers and abuse flags."""
    from accord.cases.service import case_view
    from accord.cases.sla.service import sla_timers
    from accord.cli.main import _database, console
    from accord.core.clock import utcnow
    from accord.core.principal import SYSTEM
    from accord.inbox.queries import get_conversation
    from accord.settings import get_settings

    db = _database(get_settings())
    try:
        with db.read() as session:
            view = case_view(session, SYSTEM, conversation_id)
            conversation = get_conversation(session, SYSTEM, conversation_id)
            timers = sla_timers(session, conversation, utcnow())
    finally:
        db.dispose()
    for line in _case_lines(view, timers):
        console.print(line, highlight=False, markup=False)


def _case_lines(view: CaseView, timers: list[SlaTimer]) -> list[str]:
    lines = [f"playbook: {view.playbook_name} ({view.playbook_id})"]
    lines += [f"escalation level: {view.escalation_level}"]
    for step in view.steps:
        mark = "x" if step.done else ("-" if not step.applies else " ")
        lines.append(f"  [{mark}] {step.id}: {step.title}")
    action = view.next_action
    if action is None:
        lines.append("next action: none (every applicable step is done)")
    else:
        urgent = " (urgent)" if action.urgent else ""
        lines.append(f"next action{urgent}: {action.title} - {action.reason}")
    if view.suggested_reply:
        lines.append(f"suggested reply: {view.suggested_reply}")
    for t in timers:
        due = t.due_at.isoformat() if t.due_at else "paused"
        lines.append(f"sla {t.kind.value}: {t.state.value}, due {due}")
    for flag in view.abuse:
        words = ", ".join(repr(s.text) for s in flag.evidence)
        lines.append(f"abuse in message {flag.message_id} (severity {flag.severity}): {words}")
    return lines


def case_tick() -> None:
    """Run the periodic tick once: fire due SLA warnings and breaches and their rules."""
    from accord.cases.sla.tick import run_tick
    from accord.cli.main import _database, console
    from accord.core.clock import utcnow
    from accord.settings import get_settings

    db = _database(get_settings())
    try:
        with db.write() as session:
            fired = run_tick(session, utcnow())
    finally:
        db.dispose()
    console.print(f"{len(fired)} SLA checks fired", highlight=False)
    for key in fired:
        console.print(f"  {key}", highlight=False, markup=False)


def case_refresh_sla() -> None:
    """Recompute the stored SLA due moment of every open conversation (the inbox's SLA sort)."""
    from accord.cases.sla.due import refresh_all
    from accord.cli.main import _database, console
    from accord.core.clock import utcnow
    from accord.settings import get_settings

    db = _database(get_settings())
    try:
        with db.write() as session:
            moved = refresh_all(session, utcnow())
    finally:
        db.dispose()
    console.print(f"{moved} SLA due moments updated", highlight=False)


def case_reanalyse() -> None:
    """Analyse every conversation's messages again with this engine and cool heat to now.
    Refused while the analysis is switched off (ACCORD_ANALYSIS_ENABLED=false)."""
    from sqlalchemy import select

    from accord.cli.main import _database, console
    from accord.core.clock import utcnow
    from accord.core.errors import AnalysisOff
    from accord.inbox.models import Conversation
    from accord.insights.service import analyse_conversation, cool
    from accord.settings import analyzer_for, get_settings

    settings = get_settings()
    if not settings.analysis_enabled:
        raise AnalysisOff("nothing analysed: ACCORD_ANALYSIS_ENABLED is false")
    db = _database(settings)
    analyzer, done = analyzer_for(settings), 0
    try:
        with db.read() as session:
            ids = list(session.scalars(select(Conversation.id).order_by(Conversation.id)))
        for start in range(0, len(ids), 200):  # one short transaction per 200 conversations
            with db.write() as session:
                for conversation in session.scalars(
                    select(Conversation).where(Conversation.id.in_(ids[start : start + 200]))
                ):
                    analyse_conversation(session, conversation, analyzer, refresh=True)
                    done += 1
        with db.write() as session:
            cool(session, utcnow())
    finally:
        db.dispose()
    console.print(f"{done} conversations analysed again", highlight=False)


def playbook_validate(file: FileArg) -> None:
    """Check a playbook YAML file; prints its steps in order."""
    from accord.cli.main import console

    playbook = parse_playbook(file.read_text(encoding="utf-8"))
    console.print(f"ok: playbook {playbook.id!r} with {len(playbook.ordered_steps)} steps")
    console.print("  " + " -> ".join(s.id for s in playbook.ordered_steps), highlight=False)


def rules_validate(file: FileArg) -> None:
    """Check an escalation rules YAML file; prints its rules by level."""
    from accord.cli.main import console

    rules = parse_rules(file.read_text(encoding="utf-8"))
    console.print(f"ok: {len(rules.rules)} rules, {len(rules.routing.topics)} topic routes")
    for rule in sorted(rules.rules, key=lambda r: r.level):
        console.print(f"  level {rule.level}: {rule.name}", highlight=False, markup=False)


def sla_validate(file: FileArg) -> None:
    """Check an SLA policy YAML file."""
    from accord.cli.main import console

    policy = parse_sla_policy(file.read_text(encoding="utf-8"))
    console.print(f"ok: {len(policy.rules)} SLA rules, {len(policy.calendars)} calendars")
