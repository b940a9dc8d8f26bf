"""`accord customer export|erase`: a customer's data rights from the shell (docs/privacy.md).
Both act as the system principal (an administrator) and are recorded in the audit trail with
`via: cli`. Registered by `accord.cli.main`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

IdOption = Annotated[int, typer.Option("--id", min=1, help="The customer's id.")]


def register(app: typer.Typer, _bench: typer.Typer) -> None:
    from accord.cli.main import friendly

    customer_app = typer.Typer(help="A customer's data: export and erasure.", no_args_is_help=True)
    customer_app.command("export")(friendly(customer_export))
    customer_app.command("erase")(friendly(customer_erase))
    app.add_typer(customer_app, name="customer")


def customer_export(
    customer_id: IdOption,
    out: Annotated[
        Path, typer.Option("--out", dir_okay=False, help="The zip file to write (replaced).")
    ],
) -> None:
    """Write everything stored about a customer to a zip (manifest.json, JSON and files)."""
    from accord.cli.main import _database, console
    from accord.core.principal import SYSTEM
    from accord.gdpr import export_to_path
    from accord.settings import get_settings

    settings = get_settings()
    db = _database(settings)
    try:
        summary = export_to_path(
            db,
            actor=SYSTEM,
            customer_id=customer_id,
            path=out,
            data_dir=settings.data_dir,
            via="cli",
        )
    finally:
        db.dispose()
    figures = json.dumps(dict(sorted(summary.counts.items())))
    console.print(f"wrote {out} ({summary.bytes} bytes): {figures}", highlight=False, markup=False)


def customer_erase(
    customer_id: IdOption,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Erase a customer's personal data for good, leaving a tombstone without any."""
    from accord.cli.main import _database, console
    from accord.core.principal import SYSTEM
    from accord.gdpr import erase
    from accord.settings import get_settings

    if not yes:
        typer.confirm(
            f"Erase customer {customer_id}: their conversations, messages, attachments and mail, "
            "for good?",
            abort=True,
        )
    settings = get_settings()
    db = _database(settings)
    try:
        tombstone = erase(
            db, actor=SYSTEM, customer_id=customer_id, data_dir=settings.data_dir, via="cli"
        )
    finally:
        db.dispose()
    figures = json.dumps(dict(sorted(tombstone.counts.items())))
    console.print(f"customer {customer_id} erased: {figures}", highlight=False, markup=False)
