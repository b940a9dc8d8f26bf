"""A state change is refused when its Origin (or Referer) names another origin than the app's:
scheme and host together, so http://host is another site to an app served on https://host and
the other way round."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from accord.app import create_app
from accord.db.engine import Database
from accord.settings import Settings
from tests.web.conftest import web_login
from tests.world import World


@pytest.mark.parametrize(("served", "other"), [("http", "https"), ("https", "http")])
def test_the_other_scheme_is_another_origin(
    settings: Settings, db: Database, world: World, served: str, other: str
) -> None:
    with TestClient(create_app(settings, database=db), base_url=f"{served}://testserver") as web:
        csrf = web_login(web, world.emails["agent_x"])
        url = f"/conversations/{world.conv_a}/messages"
        for header, value in (
            ("Origin", f"{other}://testserver"),
            ("Referer", f"{other}://testserver/conversations/{world.conv_a}"),
        ):
            sent = {"X-CSRF-Token": csrf, header: value}
            refused = web.post(url, data={"text": "mixed scheme"}, headers=sent)
            assert refused.status_code == 403, (header, refused.status_code)
        same = {"X-CSRF-Token": csrf, "Origin": f"{served}://testserver"}
        response = web.post(url, data={"text": "same origin"}, headers=same)
        assert response.status_code < 400, response.text
