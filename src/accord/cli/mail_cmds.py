"""`accord import mail PATH` and `accord mail ...`: import .eml files, folders and mbox files,
look at the quarantine and put mail back in line, poll IMAP, send the outbox by hand and rotate
the reply-token key.
Registered by `accord.cli.main`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

PathArg = Annotated[Path, typer.Argument(exists=True, readable=True, help=".eml, folder or mbox.")]


def register(app: typer.Typer, _bench: typer.Typer) -> None:
    from accord.cli.main import friendly

    import_app = _group(app, "import", "Import data from files.")
    import_app.command("mail")(friendly(import_mail))
    mail_app = typer.Typer(help="The email channel: quarantine, IMAP polling, outbox.")
    mail_app.command("quarantine")(friendly(quarantine))
    mail_app.command("reprocess")(friendly(reprocess))
    mail_app.command("poll")(friendly(poll))
    mail_app.command("send")(friendly(send))
    mail_app.command("rotate-key")(friendly(rotate_key))
    app.add_typer(mail_app, name="mail")


def _group(app: typer.Typer, name: str, help_text: str) -> typer.Typer:
    # Other plug-ins may add importers to the same `accord import` group.
    for info in app.registered_groups:
        if info.name == name and info.typer_instance is not None:
            return info.typer_instance
    group = typer.Typer(help=help_text, no_args_is_help=True)
    app.add_typer(group, name=name)
    return group


def import_mail(path: PathArg) -> None:
    """Import mail from an .eml file, a folder (recursively) or an mbox; re-importing the same
    mail creates nothing new."""
    from accord.cli.main import _database, console
    from accord.inbox.channels.email.service import import_path, ingestor
    from accord.inbox.channels.email.sources import count_mail
    from accord.settings import get_settings

    settings = get_settings()
    db = _database(settings)
    columns = (TextColumn("importing"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    try:
        with Progress(*columns, console=console) as progress:
            task = progress.add_task("mail", total=count_mail(path))
            outcome = import_path(ingestor(db, settings), path, lambda n: progress.advance(task, n))
    finally:
        db.dispose()
    summary = ", ".join(f"{n} {state}" for state, n in sorted(outcome.items())) or "nothing"
    console.print(f"imported: {summary}", highlight=False)


def quarantine(
    limit: Annotated[int, typer.Option(help="Most rows to list.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List quarantined mail with the reason each was set aside."""
    from accord.cli.main import _database, console
    from accord.core.principal import SYSTEM
    from accord.inbox.channels.email.service import list_quarantined
    from accord.settings import get_settings

    db = _database(get_settings())
    try:
        with db.read() as session:
            rows, total = list_quarantined(session, SYSTEM, limit=limit)
            items = [
                {"id": r.id, "source": r.source, "sender": r.sender, "reason": r.reason}
                for r in rows
            ]
    finally:
        db.dispose()
    if as_json:
        console.print_json(json.dumps({"total": total, "items": items}))
        return
    console.print(f"{total} quarantined", highlight=False)
    for item in items:
        line = f"{item['id']:>6}  {item['source']}  {item['sender'] or '-'}  {item['reason']}"
        console.print(line, highlight=False, markup=False)


def reprocess(ids: Annotated[list[int], typer.Argument(help="Quarantined mail ids.")]) -> None:
    """Process quarantined mail again (after a fix or a raised limit)."""
    from accord.cli.main import _database, console
    from accord.core.principal import SYSTEM
    from accord.inbox.channels.email import service
    from accord.settings import get_settings

    settings = get_settings()
    db = _database(settings)
    try:
        result = service.reprocess(db, service.ingestor(db, settings), SYSTEM, ids)
    finally:
        db.dispose()
    for raw_id, state in result.items():
        console.print(f"{raw_id}: {state}", highlight=False)


def poll() -> None:
    """Poll the IMAP folder once (the worker does it every minute when configured)."""
    from accord.cli.main import console
    from accord.jobs.mail import poll_once

    console.print(json.dumps(poll_once()), highlight=False)


def send() -> None:
    """Send due outbox mail once (the worker does it every minute when configured)."""
    from accord.cli.main import console
    from accord.jobs.mail import send_once

    console.print(json.dumps(send_once()), highlight=False)


def rotate_key(
    keep: Annotated[
        int, typer.Option(help="Retired keys that go on verifying replies (0 to 10).")
    ] = 1,
) -> None:
    """Replace the reply-token signing key. Replies to mail signed with the retired keys still
    find their conversation; a key older than `--keep` rotations no longer verifies."""
    from accord.cli.main import _database, console
    from accord.core.errors import ValidationFailed
    from accord.inbox.channels.email import keys
    from accord.settings import get_settings

    settings = get_settings()
    if settings.mail_secret:
        raise ValidationFailed(
            "the key comes from ACCORD_MAIL_SECRET: set a new value there and move the old one "
            "to ACCORD_MAIL_PREVIOUS_SECRETS"
        )
    db = _database(settings)
    try:
        with db.write() as session:
            kept = keys.rotate(session, keep=keep)
    finally:
        db.dispose()
    message = f"new reply-token key in use; {kept} retired key(s) still verify"
    console.print(message, highlight=False)
