"""A periodic tick fires every SLA check exactly once across spring-forward and fall-back.

Due and warning instants come from the real business-hours maths in zones with 60- and
30-minute transitions; the tick advances an injected clock (FixedClock) in UTC, minute by minute
and in irregular steps drawn by hypothesis.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.cases.sla.calendar import Calendar
from accord.cases.sla.policy import (
    ScheduledCheck,
    SelectedSla,
    SlaKind,
    Targets,
    checks_due,
    evaluate_timer,
    timer_checks,
)
from accord.core.clock import FixedClock

ZONES = ("Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "America/Santiago")
HOURS = {
    "always": {"mon-sun": ["00:00-24:00"]},
    "night": {"mon-sun": ["00:00-04:00", "09:00-17:00", "22:00-24:00"]},
}


def transitions_2024(zone: str) -> list[datetime]:
    """The zone's 2024 offset changes, found by an hourly scan (all fall on the hour here)."""
    tz, found = ZoneInfo(zone), []
    t = datetime(2024, 1, 1, tzinfo=UTC)
    while t.year == 2024:
        nxt = t + timedelta(minutes=30)
        if t.astimezone(tz).utcoffset() != nxt.astimezone(tz).utcoffset():
            found.append(nxt)
        t = nxt
    return found


CASES = [
    (zone, name, transition)
    for zone in ZONES
    for name in HOURS
    for transition in transitions_2024(zone)
]


def schedule(zone: str, hours: str, transition: datetime) -> list[ScheduledCheck]:
    """Warning and breach checks of timers started every 20 minutes around the transition."""
    calendar = Calendar(zone=zone, hours=HOURS[hours])
    checks = []
    for i in range(12):
        started = transition - timedelta(hours=3) + timedelta(minutes=20 * i)
        for target in (15, 60, 150):
            sla = SelectedSla("r", hours, calendar, Targets(resolution=target), 80)
            timer = evaluate_timer(sla, SlaKind.RESOLUTION, started_at=started, now=started)
            assert timer is not None
            checks.extend(timer_checks(timer, f"case:{i}:{target}"))
    return checks


def tick(checks: list[ScheduledCheck], clock: FixedClock, steps: list[timedelta]) -> Counter[str]:
    fired: Counter[str] = Counter()
    last = None
    for step in steps:
        now = clock.now()
        fired.update(c.key for c in checks_due(checks, last, now))
        last = now
        clock.advance(step)
    fired.update(c.key for c in checks_due(checks, last, clock.now()))
    return fired


def test_cases_cover_both_directions() -> None:
    assert len(CASES) == len(ZONES) * len(HOURS) * 2


@pytest.mark.parametrize(("zone", "hours", "transition"), CASES)
def test_minute_ticks_fire_each_check_exactly_once(
    zone: str, hours: str, transition: datetime
) -> None:
    checks = schedule(zone, hours, transition)
    assert any(abs(c.at - transition) <= timedelta(hours=1) for c in checks)
    horizon = max(c.at for c in checks) + timedelta(minutes=1)
    clock = FixedClock(transition - timedelta(hours=4))
    minutes = int((horizon - clock.now()) / timedelta(minutes=1))
    fired = tick(checks, clock, [timedelta(minutes=1)] * minutes)
    assert fired == Counter(c.key for c in checks)
    assert set(fired.values()) == {1}


@settings(max_examples=60, deadline=None, database=None)
@given(
    case=st.sampled_from(CASES),
    steps=st.lists(st.integers(1, 45 * 60), min_size=1, max_size=400),
)
def test_irregular_ticks_fire_each_check_exactly_once(
    case: tuple[str, str, datetime], steps: list[int]
) -> None:
    zone, hours, transition = case
    checks = schedule(zone, hours, transition)
    clock = FixedClock(transition - timedelta(hours=4))
    deltas = [timedelta(seconds=s) for s in steps]
    fired = tick(checks, clock, deltas)
    expected = {c.key for c in checks if c.at <= clock.now()}
    assert set(fired) == expected
    assert all(count == 1 for count in fired.values())


def test_a_wall_clock_scheduler_would_have_fired_twice() -> None:
    """Why checks compare UTC instants: in the fall-back fold the wall clock runs 02:00-03:00
    twice, so a scheduler comparing local readings fires a 02:30 check on both passes."""
    tz = ZoneInfo("Europe/Berlin")
    due_local = datetime(2024, 10, 27, 2, 30)
    clock = FixedClock(datetime(2024, 10, 26, 23, 0, tzinfo=UTC))
    wall_fires = utc_fires = 0
    last: datetime | None = None
    for _ in range(4 * 60):
        now = clock.now()
        if last is not None:
            wall_last, wall_now = (t.astimezone(tz).replace(tzinfo=None) for t in (last, now))
            wall_fires += wall_last < due_local <= wall_now
            due_utc = due_local.replace(tzinfo=tz).astimezone(UTC)
            utc_fires += len(checks_due([ScheduledCheck("k", due_utc)], last, now))
        last = now
        clock.advance(timedelta(minutes=1))
    assert (wall_fires, utc_fires) == (2, 1)
