"""What the whole app (API + web) must not give away, over HTTP: source-control metadata,
directory listings, TRACE echoes, interactive docs, internal error details, cacheable pages,
credentials in URLs, what a signed-out browser kept (ASVS 5.0 V13.4, V14.2, V14.3, V15.3.7,
V16.5; docs/security/asvs/)."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient

from accord.app import create_app
from accord.db.engine import Database
from accord.settings import Settings
from accord.web.render import STATIC
from tests.web.conftest import portal_login, web_login
from tests.world import PASSWORD, World

# Query-string names that would carry a credential into logs, history and Referer headers.
CREDENTIAL_NAMES = re.compile(r"token|code|passw|secret|credential|key|session|csrf|auth", re.I)


def _query_names(dependant: Dependant) -> Iterator[str]:
    """The query-string names a route reads, its dependencies' included."""
    yield from (param.alias for param in dependant.query_params)
    for sub in dependant.dependencies:
        yield from _query_names(sub)


def _api_routes(app: FastAPI) -> Iterator[APIRoute]:
    for context in iter_route_contexts(app.routes):
        route = getattr(context, "original_route", context)
        if isinstance(route, APIRoute):
            yield route


@pytest.mark.parametrize(
    "path",
    [
        "/.git/config",
        "/.git/HEAD",
        "/static/../.git/config",
        "/static/%2e%2e/%2e%2e/.git/config",
        "/static/..%2f..%2fpyproject.toml",
        "/static/../../../pyproject.toml",
        "/pyproject.toml",
        "/.env",
        "/.svn/entries",
    ],
)
def test_no_source_control_metadata_or_project_file_is_served(web: TestClient, path: str) -> None:
    response = web.get(path)
    assert response.status_code == 404, (path, response.status_code)
    assert "[core]" not in response.text and "[project]" not in response.text


def test_the_static_folder_lists_nothing(web: TestClient) -> None:
    assert web.get("/static/widget.js").status_code == 200  # the folder is served...
    for path in ("/static", "/static/", "/static/.", "/static/./"):
        response = web.get(path)
        assert response.status_code == 404, (path, response.status_code)  # ...never listed
        assert "widget.js" not in response.text


@pytest.mark.parametrize("path", ["/", "/login", "/inbox", "/api/v1/health", "/static/app.js"])
def test_trace_is_not_answered(web: TestClient, path: str) -> None:
    response = web.request("TRACE", path, headers={"X-Probe": "echo-me"})
    assert response.status_code in (404, 405), (path, response.status_code)
    assert "echo-me" not in response.text


def test_no_interactive_docs_or_debug_pages(web: TestClient) -> None:
    for path in ("/docs", "/redoc", "/api/v1/docs", "/api/v1/redoc", "/docs/oauth2-redirect"):
        assert web.get(path).status_code == 404, path
    # The machine-readable document is published on purpose (docs/api.md), and nothing else.
    assert web.get("/api/v1/openapi.json").status_code == 200
    assert web.get("/openapi.json").status_code == 404


def test_an_unexpected_error_is_a_generic_500_and_goes_to_the_log(
    settings: Settings, db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(settings, database=db)

    def explode() -> None:
        raise RuntimeError("SELECT secret FROM users WHERE token='abc'")

    app.add_api_route("/api/v1/explode", explode)
    with TestClient(app, raise_server_exceptions=False) as client, caplog.at_level(logging.ERROR):
        response = client.get("/api/v1/explode")
    assert response.status_code == 500
    assert response.json()["code"] == "internal_error"
    for leaked in ("SELECT", "secret", "Traceback", "RuntimeError", "explode"):
        assert leaked not in response.text, leaked
    logged = [r for r in caplog.records if r.name == "accord.api"]
    assert logged and "SELECT secret" in str(logged[0].exc_info[1])  # type: ignore[index]


def test_every_response_is_no_store(web: TestClient, world: World) -> None:
    """Pages, fragments, API answers and errors: none may be kept by a browser or a proxy."""
    anonymous = ["/login", "/portal/login", "/api/v1/health", "/api/v1/nope", "/nope"]
    for path in anonymous:
        assert "no-store" in web.get(path).headers.get("cache-control", ""), path
    api = web.get(f"/api/v1/conversations/{world.conv_a}", headers=world.headers("agent_x"))
    assert api.status_code == 200 and "no-store" in api.headers["cache-control"]
    web_login(web, world.emails["agent_x"])
    for path in ("/inbox", f"/conversations/{world.conv_a}"):
        page = web.get(path)
        assert page.status_code == 200, path
        assert "no-store" in page.headers.get("cache-control", ""), path
    widget = web.get("/widget/v1/conversation", headers=world.headers("customer_a"))
    assert widget.status_code == 200 and "no-store" in widget.headers["cache-control"]


def test_no_credential_is_read_from_a_url(web: TestClient) -> None:
    """Tokens, codes, passwords and CSRF tokens travel in headers, cookies or bodies only."""
    app = web.app
    assert isinstance(app, FastAPI)
    names = {
        (route.path, name) for route in _api_routes(app) for name in _query_names(route.dependant)
    }
    assert len(names) > 20  # the walk reaches the routes' query parameters
    found = sorted((path, name) for path, name in names if CREDENTIAL_NAMES.search(name))
    assert not found, found
    # The widget reads its stream with fetch and an Authorization header, never ?code=...
    widget = (STATIC / "widget.js").read_text()
    assert "EventSource" not in widget and "?code" not in widget and "&code" not in widget


def test_logout_clears_what_the_browser_kept(web: TestClient, world: World) -> None:
    login = web.post(
        "/api/v1/auth/login", json={"email": world.emails["agent_x"], "password": PASSWORD}
    )
    out = web.post("/api/v1/auth/logout", headers={"X-CSRF-Token": login.json()["csrf_token"]})
    assert out.status_code == 204
    assert out.headers["clear-site-data"] == '"cache", "storage"'
    web.cookies.clear()

    csrf = web_login(web, world.emails["agent_x"])
    out = web.post("/logout", data={"csrf_token": csrf}, follow_redirects=False)
    assert out.status_code == 303 and out.headers["clear-site-data"] == '"cache", "storage"'
    assert web.get("/inbox", follow_redirects=False).status_code in (303, 401)
    web.cookies.clear()

    csrf = portal_login(web, world.tokens["customer_a"])
    out = web.post("/portal/logout", data={"csrf_token": csrf}, follow_redirects=False)
    assert out.status_code == 303 and out.headers["clear-site-data"] == '"cache", "storage"'


def test_a_repeated_query_parameter_cannot_widen_access(web: TestClient, world: World) -> None:
    """HTTP parameter pollution: a second value of a filter never reaches past the caller's
    own scope, and each parameter is read from the one place it is declared in."""
    names = {world.conv_a: "conv_a", world.conv_b: "conv_b"}
    tries = {
        "customer_a": f"customer_id={world.customer_b}&customer_id={world.customer_a}",
        "agent_x": f"team_id={world.team_y}&team_id={world.team_x}",
    }
    for who, query in tries.items():
        response = web.get(f"/api/v1/conversations?{query}", headers=world.headers(who))
        assert response.status_code in (200, 403, 404, 422), (who, response.text)
        if response.status_code == 200:
            assert {names.get(c["id"]) for c in response.json()["items"]} <= {"conv_a"}, who
    # A CSRF token in the query string is not a CSRF token.
    login = web.post(
        "/api/v1/auth/login", json={"email": world.emails["agent_x"], "password": PASSWORD}
    )
    csrf = login.json()["csrf_token"]
    refused = web.post(f"/api/v1/auth/logout?csrf_token={csrf}&x_csrf_token={csrf}")
    assert refused.status_code == 403 and refused.json()["code"] == "csrf_failed"


def test_records_never_carry_password_hashes_or_token_hashes(web: TestClient, world: World) -> None:
    """Responses are built from output schemas: a user, a token or the caller's own record
    never includes the stored hash, whoever asks (ASVS 5.0 15.3.1)."""
    admin, agent = world.headers("admin"), world.headers("agent_x")
    answers = [
        web.get("/api/v1/users", headers=admin),
        web.get(f"/api/v1/users/{world.users['agent_x']}", headers=admin),
        web.get("/api/v1/auth/me", headers=agent),
        web.get("/api/v1/tokens", headers=agent),
        web.post("/api/v1/tokens", json={"name": "x"}, headers=agent),
        web.get(f"/api/v1/customers/{world.customer_a}", headers=admin),
    ]
    for response in answers:
        assert response.status_code in (200, 201), response.text
        for stored in ("password", "$argon2", "token_hash", "session_hash", "csrf_token"):
            assert stored not in response.text, (response.url, stored)


def test_our_scripts_merge_no_untrusted_keys() -> None:
    """Prototype pollution needs a write through a key that came from outside: Accord's own
    scripts assign no computed keys, parse no JSON into merged objects and never touch
    __proto__, constructor or prototype (ASVS 5.0 15.3.6). htmx is vendored and checksummed
    (tests/web/test_pages.py::test_vendored_scripts_match_their_checksums)."""
    for name in ("app.js", "widget.js"):
        script = (STATIC / name).read_text()
        assert not re.search(r"\w\s*\[[^\]]+\]\s*=(?!=)", script), name
        for forbidden in ("__proto__", "prototype", "constructor[", "JSON.parse", "merge("):
            assert forbidden not in script, (name, forbidden)
        merges = re.findall(r"Object\.assign\((\w+)", script)
        assert set(merges) <= {"node"}, (name, merges)  # fresh elements, code-made props only
