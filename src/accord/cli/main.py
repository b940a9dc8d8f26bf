"""`accord` — run, migrate, administer and demo Accord from the shell.

Every command reads the same settings as the server (`ACCORD_*`), so `accord demo` and
`accord serve` agree on the database without extra flags. Domain errors print as one red
line and exit with status 1; nothing here writes to the database except through services.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from accord import __version__
from accord.auth import service as auth_service
from accord.auth.models import Team, User
from accord.auth.schemas import UserCreate
from accord.core.certificates import chain_refusal
from accord.core.clock import utcnow
from accord.core.errors import AccordError, NotFound, ValidationFailed
from accord.core.logs import with_accord_loggers
from accord.core.principal import SYSTEM, Role
from accord.core.tls import plain_bind_refusal, server_context
from accord.db.engine import Database
from accord.db.migrate import upgrade
from accord.settings import Settings, get_settings

P = ParamSpec("P")
R = TypeVar("R")

app = typer.Typer(help="Accord: resolve customer conflicts.", no_args_is_help=True)
user_app = typer.Typer(help="Manage staff users.", no_args_is_help=True)
token_app = typer.Typer(help="Manage API tokens.", no_args_is_help=True)
bench_app = typer.Typer(help="Benchmarks that print figures.", no_args_is_help=True)
app.add_typer(user_app, name="user")
app.add_typer(token_app, name="token")
app.add_typer(bench_app, name="bench")
console = Console()
errors = Console(stderr=True)


def friendly(func: Callable[P, R]) -> Callable[P, R]:
    """Turn domain errors into a readable message and exit status 1."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except AccordError as exc:
            # soft_wrap: one line however narrow the terminal; escape: details quote user input
            # (paths, column names) that may contain Rich markup like "[x]".
            detail = escape(exc.detail)
            errors.print(f"[red]error:[/red] {detail}", highlight=False, soft_wrap=True)
            raise typer.Exit(1) from exc
        except OperationalError as exc:
            # Unreachable server, unwritable file: say which database, not a traceback.
            url = _redacted(get_settings().database_url)
            errors.print(f"[red]database error[/red] ({url}): {exc.orig}", highlight=False)
            raise typer.Exit(1) from exc

    return wrapper


def _version(value: bool) -> None:
    if value:
        console.print(f"accord {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """Accord: resolve customer conflicts."""


def _database(settings: Settings) -> Database:
    settings.ensure_data_dir()
    return Database(settings.database_url, settings=settings)


@app.command()
@friendly
def migrate() -> None:
    """Create or upgrade the database schema (ACCORD_DATABASE_URL)."""
    settings = get_settings()
    settings.ensure_data_dir()
    upgrade(settings.database_url)
    console.print(f"database is up to date: {_redacted(settings.database_url)}")


def _redacted(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address [ACCORD_HOST].")] = None,
    port: Annotated[int | None, typer.Option(help="Port [ACCORD_PORT].")] = None,
) -> None:
    """Serve the API (and UI) with uvicorn: HTTPS with ACCORD_TLS_CERT_FILE/ACCORD_TLS_KEY_FILE;
    plain HTTP only on loopback or behind a TLS proxy (ACCORD_TLS_PROXY=true)."""
    import uvicorn
    from uvicorn.config import LOGGING_CONFIG

    settings = get_settings()
    bind = host or settings.host
    _refuse_plain_http(settings, bind)
    uvicorn.run(
        "accord.app:create_app",
        factory=True,
        host=bind,
        port=port or settings.port,
        log_level=settings.log_level,
        log_config=with_accord_loggers(LOGGING_CONFIG, settings.log_level),
        # Live-update streams (Server-Sent Events) stay open; stop waiting for them on exit.
        timeout_graceful_shutdown=5,
        **_tls_options(settings),
    )


def _refuse_plain_http(settings: Settings, host: str) -> None:
    """Stop before listening on plain HTTP beyond loopback, or with a certificate browsers
    would refuse (ASVS 12.2.2) unless the operator declared a private CA."""
    tls = bool(settings.tls_cert_file)
    reason = plain_bind_refusal(host, tls=tls, proxy=settings.tls_proxy)
    if reason is None and settings.tls_cert_file and not settings.tls_private_ca:
        chain = Path(settings.tls_cert_file).read_bytes()
        untrusted = chain_refusal(chain, now=utcnow())
        if untrusted:
            reason = (
                f"{untrusted}. Use a certificate of a public CA (e.g. Let's Encrypt), or set "
                "ACCORD_TLS_PRIVATE_CA=true if no one reaches this server from the Internet."
            )
    if reason:
        errors.print(f"[red]error:[/red] {escape(reason)}", highlight=False, soft_wrap=True)
        raise typer.Exit(2)


def _tls_options(settings: Settings) -> dict[str, Any]:
    """uvicorn's TLS arguments: our context (TLS 1.2/1.3, ECDHE + AEAD), not its default one
    (which allows every TLS 1.2 suite, CBC and RSA key exchange included)."""
    cert, key = settings.tls_cert_file, settings.tls_key_file
    if not cert or not key:
        return {}
    return {
        "ssl_certfile": cert,
        "ssl_keyfile": key,
        "ssl_context_factory": lambda _config, _default: server_context(cert, key),
    }


@app.command()
def worker() -> None:
    """Run the background job worker (huey consumer)."""
    from accord.jobs.worker import run_worker

    run_worker(log_level=get_settings().log_level)


@app.command()
@friendly
def up(
    host: Annotated[str | None, typer.Option(help="Bind address [ACCORD_HOST].")] = None,
    port: Annotated[int | None, typer.Option(help="Port [ACCORD_PORT].")] = None,
) -> None:
    """Migrate, start the worker in a child process, and serve."""
    _refuse_plain_http(get_settings(), host or get_settings().host)
    migrate()
    child = subprocess.Popen([sys.executable, "-m", "accord", "worker"])
    try:
        serve(host=host, port=port)
    finally:
        child.terminate()
        child.wait(timeout=10)


@app.command()
@friendly
def demo() -> None:
    """Load the demo workspace (Northwind Home) into the configured database."""
    from accord.demo.loader import load_demo

    settings = get_settings()
    settings.ensure_data_dir()
    upgrade(settings.database_url)
    result = load_demo(_database(settings), settings.data_dir)
    state = "loaded" if result.loaded else "already loaded"
    console.print(f"demo workspace {state}: {result.conversations} conversations")
    for email, role in result.logins:
        console.print(f"  {role:<10} {email}")
    if result.password:
        console.print(f"password for every account above: [bold]{result.password}[/bold]")
    console.print(f"(saved in {result.credentials_file})")
    scheme = "https" if settings.tls_cert_file else "http"
    settings_url = f"{scheme}://{settings.host}:{settings.port}"
    console.print(f"open {settings_url}/ and log in with an account above", highlight=False)
    console.print(
        f'API: POST {settings_url}/api/v1/auth/login with {{"email", "password"}}, '
        "or `accord token create --email EMAIL` for a bearer token",
        highlight=False,
    )


@user_app.command("create")
@friendly
def user_create(
    email: Annotated[str, typer.Option(help="Login email.")],
    password: Annotated[str, typer.Option(help="At least 10 characters.")],
    role: Annotated[Role, typer.Option(help="agent, supervisor or admin.")] = Role.AGENT,
    name: Annotated[str | None, typer.Option(help="Display name (default: from email).")] = None,
    team: Annotated[list[str] | None, typer.Option(help="Team slug; repeat for several.")] = None,
) -> None:
    """Create a staff user."""
    from pydantic import ValidationError
    from sqlalchemy import select

    db = _database(get_settings())
    with db.write() as session:
        slugs = team or []
        team_ids = list(session.scalars(select(Team.id).where(Team.slug.in_(slugs))))
        if len(team_ids) != len(set(slugs)):
            raise ValidationFailed(f"unknown team among {', '.join(slugs)}")
        try:
            data = UserCreate(
                email=email,
                name=name or email.split("@")[0],
                role=role,
                password=password,
                team_ids=team_ids,
            )
        except ValidationError as exc:
            raise ValidationFailed(_first_error(exc)) from exc
        user = auth_service.create_user(session, actor=SYSTEM, data=data)
        console.print(f"created {user.role} {user.email} (id {user.id})")


def _first_error(exc: Exception) -> str:
    from pydantic import ValidationError

    assert isinstance(exc, ValidationError)
    err = exc.errors()[0]
    return f"{'.'.join(map(str, err['loc']))}: {err['msg']}"


@token_app.command("create")
@friendly
def token_create(
    email: Annotated[str, typer.Option(help="Email of the staff user the token acts as.")],
    name: Annotated[str, typer.Option(help="A label for the token.")] = "cli",
    expires_in_days: Annotated[int | None, typer.Option(min=1, max=3650)] = None,
) -> None:
    """Create a bearer token for a user and print it (shown only once)."""
    from sqlalchemy import func, select

    db = _database(get_settings())
    with db.write() as session:
        user = session.scalars(select(User).where(func.lower(User.email) == email.lower())).first()
        if user is None:
            raise NotFound(f"no user with email {email}")
        secret, _ = auth_service.issue_token(
            session, actor=SYSTEM, user_id=user.id, name=name, expires_in_days=expires_in_days
        )
    print(secret)


def _register_optional() -> None:
    # Plug-in command groups register themselves when their module is present.
    import importlib
    import importlib.util

    for name in (
        "accord.cli.analysis_cmds",
        "accord.cli.cases_cmds",
        "accord.cli.coach_cmds",
        "accord.cli.customer_cmds",
        "accord.cli.mail_cmds",
        "accord.cli.tls_cmds",
    ):
        if importlib.util.find_spec(name) is not None:
            importlib.import_module(name).register(app, bench_app)


_register_optional()


def run() -> None:
    app()
