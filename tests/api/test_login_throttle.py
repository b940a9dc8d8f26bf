"""Simultaneous wrong passwords cannot outrun the login throttle: the check and the count are
one step, so however many attempts arrive at once, at most the limit reach the password check.
Real concurrency: threads against the whole app on a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from fastapi.testclient import TestClient

from accord.auth.throttle import MAX_FAILURES
from tests.world import PASSWORD, World

PARALLEL = 17


def test_parallel_wrong_passwords_are_throttled_at_the_limit(
    client: TestClient, world: World
) -> None:
    wrong = {"email": world.emails["agent_y"], "password": "not-the-password"}
    barrier = threading.Barrier(PARALLEL)

    def attempt(_: int) -> int:
        barrier.wait()
        return client.post("/api/v1/auth/login", json=wrong).status_code

    with ThreadPoolExecutor(PARALLEL) as pool:
        codes = list(pool.map(attempt, range(PARALLEL)))
    assert sorted(set(codes)) <= [401, 429], codes
    assert codes.count(401) <= MAX_FAILURES, codes
    assert codes.count(429) >= PARALLEL - MAX_FAILURES, codes
    right = {"email": world.emails["agent_y"], "password": PASSWORD}
    assert client.post("/api/v1/auth/login", json=right).status_code == 429
