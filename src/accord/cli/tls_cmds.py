"""`accord tls-check URL`: is the certificate a public address presents one browsers trust
(ASVS 12.2.2)? For a deployment behind a TLS proxy, whose certificate Accord never sees.
Registered by `accord.cli.main`."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

import typer

WARN_DAYS = 14  # a certificate this close to its end is reported (renewal has likely failed)


def register(app: typer.Typer, _bench: typer.Typer) -> None:
    app.command("tls-check")(tls_check)


def tls_check(
    url: Annotated[str, typer.Argument(help="The public address, e.g. https://help.example.com")],
) -> None:
    """Check the certificate served at URL against the public CAs browsers trust (Mozilla's
    list, as certifi ships it), with the host name: exit 0 when trusted, 1 when not."""
    from rich.markup import escape

    from accord.cli.main import console, errors
    from accord.core.certificates import NotPubliclyTrusted, served_certificate
    from accord.core.clock import utcnow

    parts = urlsplit(url if "://" in url else f"https://{url}")
    if parts.scheme != "https" or not parts.hostname:
        errors.print(f"[red]error:[/red] not an https URL: {escape(url)}", highlight=False)
        raise typer.Exit(2)
    try:
        found = served_certificate(parts.hostname, parts.port or 443)
    except NotPubliclyTrusted as exc:
        message = f"{parts.hostname}: not publicly trusted: {exc}"
        errors.print(f"[red]error:[/red] {escape(message)}", highlight=False, soft_wrap=True)
        raise typer.Exit(1) from exc
    except OSError as exc:
        message = f"{parts.hostname}:{parts.port or 443} did not answer a TLS handshake: {exc}"
        errors.print(f"[red]error:[/red] {escape(message)}", highlight=False, soft_wrap=True)
        raise typer.Exit(1) from exc
    days = found.days_left(utcnow())
    console.print(
        f"{escape(found.host)}: publicly trusted, issued by {escape(found.issuer)}, "
        f"valid for {days} more days",
        highlight=False,
        soft_wrap=True,
    )
    if days < WARN_DAYS:
        errors.print(f"[yellow]warning:[/yellow] it ends in {days} days; renew it", highlight=False)
