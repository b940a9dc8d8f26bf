"""Every id the app takes, in a path, a query string, a form or a JSON body, is a whole number
from 1 to 2**31 - 1: a larger one, a boolean or a float is a 4xx (404 or 422), never a 500
(the database overflowing: PostgreSQL's INTEGER id columns end at 2**31 - 1) and never a 200
(`/conversations/1.0` read as 1).

The route walk comes from the app's own route table (API and web, portal and widget
included), so a new route with an id is covered as soon as it exists."""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from accord.api.app import API_PREFIX
from accord.api.app import ROUTERS as API_ROUTERS
from accord.web import ROUTERS as WEB_ROUTERS
from tests.api.test_access_matrix import ATTACHMENT_ID
from tests.api.test_access_matrix import MATRIX as API_MATRIX
from tests.web.conftest import portal_login, web_login
from tests.web.test_web_access import MATRIX as WEB_MATRIX
from tests.world import World

BAD = (str(2**31), str(2**63), str(2**64), "true", "1.0")
PREFERRED = ("admin", "supervisor", "agent_x", "customer_a", "customer_b")


def _has_int(annotation: Any) -> bool:
    if annotation is int:
        return True
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _has_int(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType, list):
        return any(_has_int(a) for a in typing.get_args(annotation))
    return False


def _id_params() -> Iterator[tuple[str, str, str, str]]:
    """(method, path, where, name) of every integer id in a path or query string."""
    for prefix, routers in ((API_PREFIX, API_ROUTERS), ("", WEB_ROUTERS)):
        for router in routers:
            for route in router.routes:
                assert isinstance(route, APIRoute)
                dependant = route.dependant
                for where, params in (
                    ("path", dependant.path_params),
                    ("query", dependant.query_params),
                ):
                    for param in params:
                        if param.name.endswith("_id") and _has_int(param.field_info.annotation):
                            for method in sorted(route.methods or ()):
                                yield method, prefix + route.path, where, param.name


ID_PARAMS = sorted(set(_id_params()))


def test_the_walk_finds_the_ids() -> None:
    found = {(path, name) for _, path, _, name in ID_PARAMS}
    assert ("/api/v1/conversations/{conversation_id}", "conversation_id") in found
    assert ("/api/v1/conversations", "assignee_id") in found
    assert ("/portal/conversations/{conversation_id}", "conversation_id") in found
    assert ("/admin/users/{user_id}", "user_id") in found


def _sign_in(web: TestClient, w: World, path: str, allowed: frozenset[str]) -> dict[str, str]:
    who = next(p for p in PREFERRED if p in allowed)
    web.cookies.clear()
    if path.startswith("/api/") or path.startswith("/widget/"):
        return w.headers(who)
    if path.startswith("/portal"):
        return {"X-CSRF-Token": portal_login(web, w.tokens[who])}
    return {"X-CSRF-Token": web_login(web, w.emails[who])}


def _url(path: str, w: World, **bad: str) -> str:
    values: dict[str, object] = {
        "conversation_id": w.conv_a,
        "user_id": w.users["agent_x"],
        "team_id": w.team_x,
        "customer_id": w.customer_a,
        "token_id": w.token_ids["agent_x"],
        "step_id": "clarify",
        "attachment_id": ATTACHMENT_ID,
        "kind": "rules",
        "playbook_id": "default",
        "slug": "rules",
    }
    return path.format(**{**values, **bad})


@pytest.mark.parametrize(("method", "path", "where", "name"), ID_PARAMS)
def test_no_id_parameter_overflows_or_is_read_loosely(
    web: TestClient, world: World, method: str, path: str, where: str, name: str
) -> None:
    json: dict[str, Any] | None = None
    data: dict[str, Any] | None = None
    if path.startswith(API_PREFIX):
        allowed, make_body = API_MATRIX[(method, path)]
        json = make_body(world, "admin") if make_body else None
    else:
        allowed, make_form = WEB_MATRIX[(method, path)]
        data = make_form(web, world) if make_form else None
    headers = _sign_in(web, world, path, allowed)
    for bad in BAD:
        url = _url(path, world, **({name: bad} if where == "path" else {}))
        params = {name: bad} if where == "query" else None
        response = web.request(
            method,
            url,
            params=params,
            json=json,
            data=data,
            headers=headers,
            follow_redirects=False,
        )
        assert 400 <= response.status_code < 500, (bad, response.status_code, response.text[:200])


NEW_USER = {"email": "n@accord.example", "name": "N", "role": "agent", "password": "x" * 12}
BODY_IDS: dict[str, tuple[str, str, str, Callable[[World], dict[str, Any]]]] = {
    "new conversation's customer": (
        "POST",
        "/api/v1/conversations",
        "customer_id",
        lambda w: {"subject": "s", "message": {"text": "t"}},
    ),
    "new conversation's team": (
        "POST",
        "/api/v1/conversations",
        "team_id",
        lambda w: {"subject": "s", "customer_id": w.customer_a, "message": {"text": "t"}},
    ),
    "assignee": ("PATCH", "/api/v1/conversations/{conv}", "assignee_id", lambda w: {"version": 1}),
    "team": ("PATCH", "/api/v1/conversations/{conv}", "team_id", lambda w: {"version": 1}),
    "override": ("PUT", "/api/v1/conversations/{conv}/assignee", "user_id", lambda w: {}),
    "reprocess": ("POST", "/api/v1/mail/quarantine/reprocess", "ids", lambda w: {}),
    "new user's teams": ("POST", "/api/v1/users", "team_ids", lambda w: dict(NEW_USER)),
    "user's teams": ("PATCH", "/api/v1/users/{user}", "team_ids", lambda w: {}),
}


@pytest.mark.parametrize("case", sorted(BODY_IDS))
@pytest.mark.parametrize("bad", [2**31, 2**63, 2**64, True, 1.0, "1"], ids=repr)
def test_no_id_in_a_body_overflows_or_is_read_loosely(
    web: TestClient, world: World, case: str, bad: Any
) -> None:
    method, path, field, base = BODY_IDS[case]
    url = path.format(conv=world.conv_a, user=world.users["agent_y"])
    value = [bad] if field.endswith("ids") else bad
    body = {**base(world), field: value}
    response = web.request(method, url, json=body, headers=world.headers("admin"))
    assert response.status_code == 422, (bad, response.status_code, response.text[:200])


@pytest.mark.parametrize("bad", [str(2**31), str(2**63), "true", "1.0"])
def test_no_id_in_a_form_overflows(web: TestClient, world: World, bad: str) -> None:
    csrf = web_login(web, world.emails["admin"])
    form = {"name": "Agent Y", "role": "agent", "capacity": "5", "team_ids": [bad]}
    response = web.post(
        f"/admin/users/{world.users['agent_y']}",
        data=form,
        headers={"X-CSRF-Token": csrf},
        follow_redirects=False,
    )
    assert response.status_code == 422, (bad, response.status_code)


def test_an_offset_past_the_largest_id_is_refused(web: TestClient, world: World) -> None:
    response = web.get(
        "/api/v1/mail/quarantine", params={"offset": 2**63}, headers=world.headers("admin")
    )
    assert response.status_code == 422, response.status_code
