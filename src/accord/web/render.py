"""Templates: one Jinja2 environment with autoescaping on for every template, whole pages for
ordinary requests and single blocks (jinja2-fragments) for htmx swaps."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context
from jinja2.runtime import Context
from jinja2_fragments import render_blocks

from accord.core.clock import utcnow
from accord.settings import Settings
from accord.web.coach_view import applicable, to_fix
from accord.web.security import CSP

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"

env = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=True,  # every template, whatever its name: customer text is never trusted
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def ago(value: datetime | None) -> str:
    if value is None:
        return ""
    seconds = int((utcnow() - value).total_seconds())
    return f"in {duration(-seconds)}" if seconds < 0 else f"{duration(seconds)} ago"


def duration(seconds: float) -> str:
    minutes = int(abs(seconds)) // 60
    if minutes < 60:
        return f"{minutes}m"
    if minutes < 48 * 60:
        return f"{minutes // 60}h {minutes % 60:02d}m"
    return f"{minutes // (24 * 60)}d"


def stamp(value: datetime | None) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC") if value else ""


def heat_level(heat: float | None) -> str:
    """A word for the colour of a heat chip (and for people who cannot see the colour)."""
    if heat is None or heat < 25:
        return "calm"
    if heat < 50:
        return "warm"
    if heat < 75:
        return "hot"
    return "boiling"


def label(value: str | None) -> str:
    return (value or "").replace("_", " ")


def zip_label(values: Sequence[str]) -> list[tuple[str, str]]:
    return [(v, label(v)) for v in values]


@pass_context
def analysis_enabled(context: Context) -> bool:
    """The running app's analysis switch (`ACCORD_ANALYSIS_ENABLED`); every page has its
    request."""
    settings: Settings = context["request"].app.state.settings
    return settings.analysis_enabled


env.globals.update(
    coach_findings=to_fix, coach_applicable=applicable, analysis_enabled=analysis_enabled
)
env.filters.update(
    ago=ago, stamp=stamp, heat_level=heat_level, label=label, minutes=duration, zip_label=zip_label
)


def is_fragment(request: Request) -> bool:
    """An htmx request that swaps part of the page (not a boosted or history full load)."""
    return request.headers.get("hx-request") == "true" and (
        request.headers.get("hx-request-type", "partial") == "partial"
    )


def html(body: str, status_code: int = 200, headers: dict[str, str] | None = None) -> HTMLResponse:
    response = HTMLResponse(body, status_code=status_code, headers=headers)
    response.headers["Content-Security-Policy"] = CSP
    response.headers["Vary"] = "HX-Request"
    # Same-origin requests keep their Origin header (the CSRF check reads it); other sites
    # still learn nothing of our URLs.
    response.headers["Referrer-Policy"] = "same-origin"
    return response


def page(
    request: Request, template: str, context: dict[str, Any], status_code: int = 200
) -> HTMLResponse:
    """The whole page."""
    body = env.get_template(template).render(request=request, **context)
    return html(body, status_code)


def blocks(
    request: Request,
    template: str,
    names: list[str],
    context: dict[str, Any],
    status_code: int = 200,
) -> HTMLResponse:
    """Only the named blocks of a page, for an htmx swap."""
    body = render_blocks(env, template, names, request=request, **context)
    return html(body, status_code)


def page_or_blocks(
    request: Request, template: str, names: list[str], context: dict[str, Any]
) -> HTMLResponse:
    if is_fragment(request):
        return blocks(request, template, names, context)
    return page(request, template, context)
