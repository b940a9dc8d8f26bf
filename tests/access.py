"""What the access matrices share: the whole app's route table, and the owner variants.

- `app_routes(app)` lists every (method, path) an app answers, read from `app.routes` itself
  (FastAPI's included routers flattened, mounts included), so a route can be added in no way
  that escapes the matrices. HEAD is answered by the GET handler with the same access, so it
  is folded into GET.
- Owner variants. The world is symmetric: customer A's conversation is team X's and agent X
  works it; customer B's is team Y's and agent Y's. A matrix row is written for A/X's objects;
  `as_owner_b(world)` puts B/Y's objects in their places (A's conversation id becomes B's, agent
  X's user and token ids agent Y's) while every identity keeps its own credentials, and
  `mirror(allowed)` swaps A<->B and X<->Y in the row's allowed identities. Running a row both
  ways shows that access follows the owner, not a fixed identity.
"""

from __future__ import annotations

from dataclasses import replace

from fastapi import FastAPI
from starlette.routing import Mount

from tests.world import World

OWNERS = ("a", "b")
SWAP = {
    "customer_a": "customer_b",
    "customer_b": "customer_a",
    "agent_x": "agent_y",
    "agent_y": "agent_x",
}


def app_routes(app: FastAPI) -> list[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for route in _flat(app):
        if isinstance(getattr(route, "original_route", route), Mount):
            found.add(("GET", f"{route.path}/{{path}}"))
            continue
        methods = set(getattr(route, "methods", None) or ())
        if "GET" in methods:
            methods.discard("HEAD")
        found |= {(method, str(route.path)) for method in methods}
    return sorted(found)


def _flat(app: FastAPI) -> list[object]:
    try:  # FastAPI >= 0.13x keeps included routers as one entry each: open them up
        from fastapi.routing import iter_route_contexts
    except ImportError:  # pragma: no cover - older FastAPI copies the routes in
        return list(app.routes)
    return list(iter_route_contexts(app.routes))


def mirror(identities: frozenset[str]) -> frozenset[str]:
    return frozenset(SWAP.get(who, who) for who in identities)


# The path parameters that name an object with a B/Y counterpart (a step, a policy kind or a
# static file has none).
OWNED_PARAMETERS = (
    "{conversation_id}",
    "{customer_id}",
    "{user_id}",
    "{team_id}",
    "{token_id}",
    "{session_id}",
)


def is_owned(path: str, allowed: frozenset[str]) -> bool:
    """Whether a row names an object (or an owner) that has a B/Y counterpart."""
    return any(p in path for p in OWNED_PARAMETERS) or mirror(allowed) != allowed


def as_owner(world: World, owner: str) -> World:
    return world if owner == "a" else as_owner_b(world)


def as_owner_b(w: World) -> World:
    return replace(
        w,
        team_x=w.team_y,
        team_y=w.team_x,
        customer_a=w.customer_b,
        customer_b=w.customer_a,
        conv_a=w.conv_b,
        conv_b=w.conv_a,
        users={who: w.users[SWAP.get(who, who)] for who in w.users},
        token_ids={who: w.token_ids[SWAP.get(who, who)] for who in w.token_ids},
    )
