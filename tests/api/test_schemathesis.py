"""Property-based tests of the REST API from its own OpenAPI document (schemathesis).

Every operation is called with generated requests, valid and invalid, as an admin, as an agent
of team X and as customer A; a stateful run follows the document's OpenAPI links (create a
conversation, then read, update, reply to, escalate it; create a customer, then open a
conversation for them ...). Every response must not be a server error, must have the documented
content type and match the documented schema, and:

- customer A never receives customer B's data (B's customer id in any `*customer_id` field,
  B's name, email or conversation subject anywhere);
- agent X never receives conversation B, which is team Y's.

Half the integers generated are drawn from the world's own ids (1-8), so the run keeps asking
for the other customer's and the other team's objects instead of missing them by chance.

Bounded and deterministic for CI: a fixed seed, derandomized generation, no example database,
`MAX_EXAMPLES` per operation and identity, on one backend (PostgreSQL when
ACCORD_TEST_POSTGRES_URL is set, where the id overflow and the NUL characters showed; else
SQLite); `STATEFUL_SCENARIOS` scenarios of up to `STATEFUL_STEPS` calls per identity. The
`slow` run adds schemathesis's coverage phase (boundary values and each kind of invalid input).
What it found is pinned by tests/api/test_api_findings.py.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import hypothesis
import pytest
import schemathesis
from schemathesis import Case, CheckContext, Response
from schemathesis.checks import not_a_server_error
from schemathesis.generation.stateful.state_machine import StepInput
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)
from sqlalchemy import update

from accord.api.app import create_app
from accord.auth.models import ApiToken
from accord.auth.throttle import LoginThrottle
from accord.db.engine import Database
from accord.settings import Settings
from tests.conftest import BACKENDS
from tests.world import World

SEED = 15
MAX_EXAMPLES = 25
STATEFUL_SCENARIOS = 25
STATEFUL_STEPS = 10
IDENTITIES = ("admin", "agent_x", "customer_a")
WORLD_IDS = list(range(1, 9))  # every id a fresh world has: conversations, customers, users...


def _config(*, coverage: bool) -> schemathesis.Config:
    return schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "suppress-health-check": ["all"],
            "dictionaries": {"world_ids": {"values": WORLD_IDS}},
            "generation": {
                "mode": "all",
                "max-examples": MAX_EXAMPLES,
                "deterministic": True,
                "database": "none",
                "dictionaries": {"integer": {"dictionary": "world_ids", "probability": 0.5}},
            },
            "phases": {
                "examples": {"enabled": False},
                "coverage": {"enabled": coverage},
                "fuzzing": {"enabled": not coverage},
                "stateful": {"max-steps": STATEFUL_STEPS},
            },
        }
    )


# One app for the whole module, so schemathesis can read its document while pytest collects;
# each test points it at its identity's database (a copy of the world, see `databases`).
APP = create_app(Settings(database_url="sqlite://"))
OPENAPI = str(APP.openapi_url)
schema = schemathesis.openapi.from_asgi(OPENAPI, APP, config=_config(coverage=False))
coverage_schema = schemathesis.openapi.from_asgi(OPENAPI, APP, config=_config(coverage=True))
CHECKS = [not_a_server_error, content_type_conformance, response_schema_conformance]
REVOKE = ("DELETE", "/api/v1/tokens/{token_id}")
CALLS: Counter[tuple[str, str]] = Counter()  # requests made, by (phase, identity)


@pytest.fixture(scope="module", autouse=True)
def _report_calls() -> Iterator[None]:
    yield
    if CALLS:  # shown with -s: what a run sent
        print("\nschemathesis requests:", dict(sorted(CALLS.items())), sum(CALLS.values()))


def _walk(value: Any) -> Iterator[tuple[str | None, Any]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield key, item
            yield from _walk(item)
    elif isinstance(value, list):
        for item in value:
            yield None, item
            yield from _walk(item)


def no_foreign_data(world: World, who: str) -> Callable[..., bool | None]:
    """A check: `who` never receives another customer's objects, nor (an agent) another
    team's conversation."""
    foreign: set[int] = set()
    markers: list[str] = []
    if who == "customer_a":
        foreign = {world.customer_b}
        markers = ["Late sofa", "b@customer.example", "Customer B"]
    elif who == "agent_x":
        markers = ["Late sofa"]  # conversation B's subject and first message: team Y's

    def no_foreign_data(ctx: CheckContext, response: Response, case: Case) -> bool | None:
        content = response.content  # bytes: an attachment or an export is no text
        for marker in markers:
            assert marker.encode() not in content, f"{who} received {marker!r}: {content[:300]!r}"
        try:
            body = json.loads(content) if foreign else None
        except ValueError:  # not JSON (empty, a file): the markers were its check
            return None
        for key, value in _walk(body):
            if key is not None and key.endswith("customer_id"):
                assert value not in foreign, f"{who} received customer {value}'s data: {body}"
        return None

    return no_foreign_data


class Caller:
    """Calls and checks a case as `who`, and keeps `who` signed in: a generated
    DELETE /tokens/{id} may revoke the very token the run uses, which would turn the rest of
    the run into 401s."""

    def __init__(self, world: World, db: Database, who: str) -> None:
        self.world, self.db, self.who = world, db, who
        self.headers = world.headers(who)
        self.checks = [no_foreign_data(world, who)]
        self.calls = 0

    def __call__(self, case: Case) -> None:
        case.call_and_validate(headers=self.headers, checks=CHECKS, additional_checks=self.checks)
        self.after(case)

    def after(self, case: Case) -> None:
        self.calls += 1
        phase = case.meta.phase.name.value if case.meta is not None else "?"
        CALLS[phase, self.who] += 1
        if (case.method, case.path) == REVOKE:
            with self.db.write() as session:
                token = ApiToken.id == self.world.token_ids[self.who]
                session.execute(update(ApiToken).where(token).values(revoked_at=None))


Target = tuple[Database, Settings, World]


@pytest.fixture(scope="module")
def databases(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[[str], Target]]:
    """One database per identity for all the operations it calls (a clone per operation cost
    more than the calls), on one backend: PostgreSQL when there is one, where the id overflow
    showed, else SQLite."""
    made: dict[str, Target] = {}

    def database(who: str) -> Target:
        if who not in made:
            folder = tmp_path_factory.mktemp(f"schemathesis-{who}")
            if BACKENDS[-1] == "postgresql":
                cluster = request.getfixturevalue("pg_cluster")
                template, world = request.getfixturevalue("pg_template")
                db = Database(cluster.create(f"{cluster.prefix}_st_{who}", template))
            else:
                template, world = request.getfixturevalue("sqlite_template")
                shutil.copyfile(template, folder / "accord.db")
                db = Database(f"sqlite:///{folder / 'accord.db'}")
            data = folder / "data"
            made[who] = (
                db,
                Settings(data_dir=data, database_url=db.url, jobs_backend="immediate"),
                world,
            )
        return made[who]

    yield database
    for db, _, _ in made.values():
        db.dispose()


@pytest.fixture
def caller(who: str, databases: Callable[[str], Target]) -> Caller:
    db, settings, world = databases(who)
    APP.state.settings, APP.state.db = settings, db
    APP.state.login_throttle = LoginThrottle()
    return Caller(world, db, who)


# A pytest parametrization also gives each item its own id under pytest 9, where schemathesis's
# operation label no longer reaches the node id: test_api[GET /api/v1/health][admin].
@pytest.mark.parametrize("who", IDENTITIES)
@schema.parametrize()
def test_api(case: Case, caller: Caller) -> None:
    caller(case)


@pytest.mark.slow
@pytest.mark.parametrize("who", IDENTITIES)
@coverage_schema.parametrize()
def test_api_boundaries(case: Case, caller: Caller) -> None:
    caller(case)


@pytest.mark.parametrize("who", IDENTITIES)
def test_stateful(who: str, sqlite_template: tuple[Path, World], tmp_path: Path) -> None:
    """Scenarios along the OpenAPI links, each from a fresh copy of the world (SQLite, a file
    copy): a scenario's steps depend on earlier answers, so state left by one scenario would
    make the next one's draws differ when Hypothesis replays it. Login is left out: it links
    nowhere and a refused one costs a deliberate half second (tests above cover it)."""
    template, world = sqlite_template
    url = f"sqlite:///{tmp_path / 'stateful.db'}"
    APP.state.settings = Settings(
        data_dir=tmp_path / "data", database_url=url, jobs_backend="immediate"
    )
    run: dict[str, Any] = {"linked": 0, "calls": 0, "db": None}

    class Machine(schema.exclude(path="/api/v1/auth/login").as_state_machine()):  # type: ignore[misc]
        def setup(self) -> None:
            if run["db"] is not None:
                run["db"].dispose()
            shutil.copyfile(template, tmp_path / "stateful.db")
            run["db"] = APP.state.db = Database(url)
            APP.state.login_throttle = LoginThrottle()
            self.caller = Caller(world, run["db"], who)

        def step(self, input: StepInput) -> Any:
            if input.transition is not None and not input.transition.is_inferred:
                run["linked"] += input.is_applied
            return super().step(input)

        def get_call_kwargs(self, case: Case) -> dict[str, Any]:
            return {"headers": self.caller.headers}

        def after_call(self, response: Response, case: Case) -> None:
            super().after_call(response, case)
            self.caller.after(case)
            run["calls"] += 1

        def validate_response(self, response: Response, case: Case, **_: Any) -> None:
            case.validate_response(response, checks=CHECKS, additional_checks=self.caller.checks)

    try:
        Machine.run(
            settings=hypothesis.settings(
                max_examples=STATEFUL_SCENARIOS,
                stateful_step_count=STATEFUL_STEPS,
                derandomize=True,
                database=None,
                deadline=None,
                suppress_health_check=list(hypothesis.HealthCheck),
            )
        )
    finally:
        if run["db"] is not None:
            run["db"].dispose()
    print(f"stateful as {who}: {run['calls']} calls, {run['linked']} along documented links")
    assert run["linked"] > 0, "no step followed a documented OpenAPI link"
