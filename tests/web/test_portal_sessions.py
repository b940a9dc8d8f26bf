"""The portal's cookie holds a server-side session's id, never the access code (ASVS 5.0
7.2.2): signing out ends the session for good, and the session is worth no more than its code."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select

from accord.auth.models import ApiToken, PortalSession
from accord.core.clock import FixedClock
from accord.db.engine import Database
from accord.web.customer import PORTAL_COOKIE
from tests.web.conftest import portal_login
from tests.world import World


def _signed_in(web: TestClient) -> bool:
    return web.get("/portal", follow_redirects=False).status_code == 200


def test_the_cookie_is_a_session_id_not_the_access_code(web: TestClient, world: World) -> None:
    code = world.tokens["customer_a"]
    portal_login(web, code)
    cookie = web.cookies[PORTAL_COOKIE.name]
    assert cookie != code and code not in cookie
    assert _signed_in(web)


def test_signing_out_ends_the_session_even_for_a_copied_cookie(
    web: TestClient, world: World, db: Database
) -> None:
    csrf = portal_login(web, world.tokens["customer_a"])
    copied = web.cookies[PORTAL_COOKIE.name]
    out = web.post("/portal/logout", data={"csrf_token": csrf}, follow_redirects=False)
    assert out.status_code == 303
    web.cookies.set(PORTAL_COOKIE.name, copied, path="/portal")
    assert not _signed_in(web), "the id of a signed-out session opens nothing"
    with db.read() as session:
        assert session.query(PortalSession).count() == 0


def test_a_revoked_code_signs_its_portal_sessions_out(
    web: TestClient, world: World, db: Database
) -> None:
    portal_login(web, world.tokens["customer_a"])
    assert _signed_in(web)
    with db.read() as session:
        token_id = session.scalars(
            select(ApiToken.id).where(ApiToken.customer_id == world.customer_a)
        ).one()
    revoked = web.delete(f"/api/v1/tokens/{token_id}", headers=world.headers("admin"))
    assert revoked.is_success, revoked.text
    assert not _signed_in(web)


def test_a_portal_session_lasts_the_session_lifetime_at_most(
    web: TestClient, world: World, clock: FixedClock
) -> None:
    portal_login(web, world.tokens["customer_a"])
    clock.advance(timedelta(hours=11, minutes=59))
    assert _signed_in(web)
    clock.advance(timedelta(minutes=2))
    assert not _signed_in(web)


def test_signing_in_again_replaces_the_browser_s_earlier_session(
    web: TestClient, world: World, db: Database
) -> None:
    portal_login(web, world.tokens["customer_a"])
    first = web.cookies[PORTAL_COOKIE.name]
    portal_login(web, world.tokens["customer_a"])
    assert web.cookies[PORTAL_COOKIE.name] != first
    with db.read() as session:
        assert session.query(PortalSession).count() == 1
