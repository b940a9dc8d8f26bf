"""`accord coach "draft"` and `accord bench coach`: the reply coach in the shell.
Registered by `accord.cli.main`."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

if TYPE_CHECKING:  # the coach loads the analysis engine: only when a command runs
    from accord.coach.types import Review

P99_GOAL_MS = 10.0
_COLOUR = {"met": "green", "missing": "yellow", "violated": "red"}


def register(app: typer.Typer, bench_app: typer.Typer) -> None:
    from accord.cli.main import friendly

    app.command("coach")(friendly(coach))
    bench_app.command("coach")(friendly(bench_coach))


def coach(
    draft: Annotated[str, typer.Argument(help="The reply draft to review.")],
    conversation: Annotated[
        int | None, typer.Option("--conversation", help="Review it as a reply in this one.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Review a reply draft: score 0-100 and findings (met, missing, violated) in colour."""
    from accord.coach import review
    from accord.coach.service import require_analysis
    from accord.settings import get_settings

    require_analysis(get_settings())

    result = review(draft) if conversation is None else _in_conversation(draft, conversation)
    if as_json:
        typer.echo(json.dumps(result.to_dict(), indent=2))
        return
    _print(result)


def _in_conversation(draft: str, conversation_id: int) -> Review:
    from accord.cli.main import _database
    from accord.coach.service import review_draft
    from accord.core.principal import SYSTEM
    from accord.settings import get_settings

    db = _database(get_settings())
    try:
        with db.read() as session:
            return review_draft(session, actor=SYSTEM, conversation_id=conversation_id, text=draft)
    finally:
        db.dispose()


def _print(result: Review) -> None:
    from accord.cli.main import console

    colour = "green" if result.score >= 80 else "yellow" if result.score >= 50 else "red"
    console.print(f"score [bold {colour}]{result.score}[/]/100   tone {result.tone:.0f}/100")
    console.print(f"[dim]situation: {escape('; '.join(result.situation))}[/dim]")
    for f in result.findings:
        quote = f' "{escape(f.evidence[0].text)}"' if f.evidence else ""
        c = _COLOUR[f.status]
        console.print(f"  [{c}]{f.status:<8}[/{c}] {f.criterion}{quote}", highlight=False)
        if f.suggestion:
            console.print(f"      [cyan]-> {escape(f.suggestion)}[/cyan]", highlight=False)


def bench_coach(
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    samples: Annotated[int, typer.Option(hidden=True, min=10)] = 2000,
) -> None:
    """Latency of a review of a 150-word draft (p50, p99; goal p99 <= 10 ms)."""
    from accord.cli.main import console
    from accord.coach import bench

    figures = bench.run(samples)
    if as_json:
        typer.echo(json.dumps(figures, indent=2))
        return
    p50, p99 = figures["latency_ms"]["p50"], figures["latency_ms"]["p99"]
    met = "yes" if p99 <= P99_GOAL_MS else "[red]no[/red]"
    console.print(f"accord bench coach: {figures['words']}-word draft, {samples} reviews")
    console.print(
        f"  latency p50 {p50:.2f} ms, p99 {p99:.2f} ms (goal <= {P99_GOAL_MS:.0f} ms: {met})"
    )
