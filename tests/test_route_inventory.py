"""Every route of the whole app (API, pages, portal, widget, attachments, live streams,
exports, static files) is classified in exactly one access matrix.

The route table is read from `accord.app.create_app().routes` itself (tests/access.py), so
neither a new router nor a mount can escape: a route in no matrix fails here, and so does a
matrix row for a route that no longer exists. The matrices then run every route for every
identity (tests/api/test_access_matrix.py, tests/web/test_web_access.py).
"""

from __future__ import annotations

from accord.app import create_app
from accord.settings import Settings
from tests.access import OWNERS, app_routes, is_owned
from tests.api.test_access_matrix import MATRIX as API_MATRIX
from tests.web.test_web_access import IDENTITIES
from tests.web.test_web_access import MATRIX as WEB_MATRIX


def _app_routes() -> list[tuple[str, str]]:
    return app_routes(create_app(Settings(database_url="sqlite://")))


def test_every_route_of_the_app_is_in_a_matrix() -> None:
    routes = set(_app_routes())
    classified = set(API_MATRIX) | set(WEB_MATRIX)
    assert not set(API_MATRIX) & set(WEB_MATRIX), "a route is classified twice"
    assert not routes - classified, f"classify these routes: {sorted(routes - classified)}"
    assert not classified - routes, f"rows for routes that are gone: {classified - routes}"


def test_the_matrices_cover_streams_attachments_portal_widget_and_exports() -> None:
    """The routes the issue named, so a rename cannot quietly drop one of them."""
    paths = {path for _, path in _app_routes()}
    for must in (
        "/conversations/{conversation_id}/stream",
        "/portal/conversations/{conversation_id}/stream",
        "/inbox/stream",
        "/widget/v1/stream",
        "/api/v1/conversations/{conversation_id}/attachments/{attachment_id}",
        "/portal/conversations/{conversation_id}",
        "/widget/v1/messages",
        "/static/{path}",
    ):
        assert must in paths, must


def matrix_counts() -> dict[str, int]:
    """Routes, identities and requests of one backend's run of both matrices."""
    rows = [*API_MATRIX.items(), *WEB_MATRIX.items()]
    variants = sum(
        len(OWNERS) if is_owned(path, allowed) else 1 for (_, path), (allowed, _) in rows
    )
    return {
        "routes": len(rows),
        "owned routes": sum(is_owned(path, allowed) for (_, path), (allowed, _) in rows),
        "identities": len(IDENTITIES),
        "requests": variants * len(IDENTITIES),
    }


def test_counts_are_what_the_matrices_run() -> None:
    counts = matrix_counts()
    assert counts["routes"] == len(_app_routes())
    assert counts["identities"] == 7
    assert counts["requests"] >= counts["routes"] * counts["identities"]
