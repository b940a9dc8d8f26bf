"""Business-hours maths against a brute-force minute-stepping oracle, around real DST transitions.

The oracle reads the wall clock of every UTC minute in the calendar's zone and asks "is this a
business minute?" -- the definition the interval arithmetic must reproduce exactly. Instants are
drawn within a few days of transitions found programmatically in the system tz database
(2020-2030; zones without any there, e.g. Sao Paulo, fall back to their transitions in 2010-2019;
Apia's skipped 30 December 2011 has its own unit test).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.cases.sla.calendar import (
    WEEKDAYS,
    Calendar,
    add_business_minutes,
    business_minutes_between,
    is_business_instant,
)

ZONES = (
    "Europe/Berlin",
    "America/New_York",
    "America/Sao_Paulo",
    "Australia/Lord_Howe",  # 30-minute DST
    "Asia/Kathmandu",  # +05:45
    "Pacific/Apia",  # DST until 2021, skipped a whole day in 2011
    "Europe/London",
    "Europe/Dublin",  # "negative" DST in tzdb
    "America/Santiago",  # transitions at local midnight
    "Asia/Beirut",  # fall-back folds across midnight
    "America/Havana",  # transitions at 00:00 / 01:00
    "Pacific/Chatham",  # +12:45 / +13:45
    "America/St_Johns",  # -03:30
    "Asia/Tehran",  # DST until 2022
    "Africa/Casablanca",  # DST suspended every Ramadan
    "Antarctica/Troll",  # two-hour DST
    "America/Asuncion",
    "Asia/Gaza",
    "Africa/Cairo",  # DST reintroduced in 2023
    "America/Nuuk",  # changed standard offset in 2023
    "Australia/Adelaide",
    "Pacific/Auckland",
    "America/Los_Angeles",
    "Europe/Chisinau",
    "Asia/Kolkata",  # no DST at all
)

_START = datetime(2020, 1, 1, tzinfo=UTC)
_END = datetime(2031, 1, 1, tzinfo=UTC)
_FALLBACK_START = datetime(2010, 1, 1, tzinfo=UTC)


def _offset(tz: ZoneInfo, at: datetime) -> timedelta | None:
    return at.astimezone(tz).utcoffset()


def _scan(zone: str, start: datetime, end: datetime) -> list[datetime]:
    """Instants at which ``zone``'s UTC offset changes, to the minute: 6-hour steps + bisection."""
    tz, found, step = ZoneInfo(zone), [], timedelta(hours=6)
    t = start
    while t < end:
        if _offset(tz, t) != _offset(tz, t + step):
            lo, hi = t, t + step
            while hi - lo > timedelta(minutes=1):
                mid = lo + (hi - lo) / 2
                lo, hi = (mid, hi) if _offset(tz, mid) == _offset(tz, lo) else (lo, mid)
            found.append(hi.replace(second=0, microsecond=0))
        t += step
    return found


@cache
def transitions(zone: str) -> tuple[datetime, ...]:
    found = _scan(zone, _START, _END) or _scan(zone, _FALLBACK_START, _START)
    return tuple(found) or (datetime(2024, 6, 1, tzinfo=UTC),)


# --- the oracle ------------------------------------------------------------------------------

MINUTE = timedelta(minutes=1)


class Oracle:
    """Brute force: ask every UTC minute's wall clock whether it is business time.

    Deliberately independent of the library's interval maths; it re-parses the ``HH:MM-HH:MM``
    strings itself and only shares the ``Calendar`` as a data holder.
    """

    def __init__(self, calendar: Calendar) -> None:
        self.tz = ZoneInfo(calendar.zone)
        self.holidays = calendar.holidays
        self.week: list[list[tuple[int, int]]] = []
        for day in WEEKDAYS:
            spans = []
            for text in calendar.hours.get(day, []):
                start, end = text.split("-")
                spans.append((_minutes(start), _minutes(end)))
            self.week.append(spans)

    def weekly_minutes(self) -> int:
        return sum(hi - lo for day in self.week for lo, hi in day)

    def is_business(self, at: datetime) -> bool:
        local = at.astimezone(self.tz)
        minute = local.hour * 60 + local.minute
        return any(lo <= minute < hi for lo, hi in self.week[local.weekday()]) and (
            local.date() not in self.holidays
        )

    def counting(self, at: datetime, pauses: list[tuple[datetime, datetime]]) -> bool:
        return self.is_business(at) and not any(a <= at < b for a, b in pauses)

    def between(self, a: datetime, b: datetime, pauses: list[tuple[datetime, datetime]]) -> int:
        count, t = 0, a
        while t < b:
            count += self.counting(t, pauses)
            t += MINUTE
        return count

    def add(
        self, start: datetime, minutes: int, pauses: list[tuple[datetime, datetime]]
    ) -> datetime:
        remaining, t = minutes, start
        while remaining > 0:
            remaining -= self.counting(t, pauses)
            t += MINUTE
        return t


def _minutes(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


Scenario = tuple[Calendar, datetime, list[tuple[datetime, datetime]]]


# --- strategies ------------------------------------------------------------------------------

# Edges near the usual transition hours (00:00-04:00) are over-represented on purpose.
_EDGES = [0, 30, 60, 90, 120, 150, 180, 210, 240, 480, 540, 720, 1020, 1380, 1410, 1440]
edge = st.one_of(st.sampled_from(_EDGES), st.integers(0, 1440))


@st.composite
def day_hours(draw: st.DrawFn) -> list[str]:
    points = sorted(set(draw(st.lists(edge, min_size=0, max_size=6))))
    if len(points) % 2:
        points = points[:-1]
    pairs = zip(points[::2], points[1::2], strict=True)
    return [f"{s // 60:02d}:{s % 60:02d}-{e // 60:02d}:{e % 60:02d}" for s, e in pairs]


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    zone = draw(st.sampled_from(ZONES))
    transition = draw(st.sampled_from(transitions(zone)))
    hours = {day: draw(day_hours()) for day in WEEKDAYS}
    if not any(hours.values()):
        hours["sun"] = ["00:00-24:00"]
    anchor = transition + timedelta(minutes=draw(st.integers(-3 * 1440, 1440)))
    local_day = anchor.astimezone(ZoneInfo(zone)).date()
    holidays = draw(st.lists(st.integers(-2, 3), max_size=2))
    calendar = Calendar(
        zone=zone, hours=hours, holidays={local_day + timedelta(days=d) for d in holidays}
    )
    pauses = []
    for _ in range(draw(st.integers(0, 2))):
        lo = anchor + timedelta(minutes=draw(st.integers(0, 3 * 1440)))
        pauses.append((lo, lo + timedelta(minutes=draw(st.integers(0, 600)))))
    return calendar, anchor, pauses


SETTINGS = settings(
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@SETTINGS
@given(scenarios(), st.integers(0, 5 * 1440))
def test_business_minutes_between_matches_oracle(scenario: Scenario, length: int) -> None:
    calendar, start, pauses = scenario
    end = start + timedelta(minutes=length)
    expected = Oracle(calendar).between(start, end, pauses)
    assert business_minutes_between(calendar, start, end, pauses) == expected


@SETTINGS
@given(scenarios(), st.floats(0, 1))
def test_add_business_minutes_matches_oracle(scenario: Scenario, fraction: float) -> None:
    calendar, start, pauses = scenario
    # Bounded by the calendar's density so the oracle never walks more than about two weeks.
    oracle = Oracle(calendar)
    minutes = int(fraction * min(3000, oracle.weekly_minutes()))
    due = add_business_minutes(calendar, start, minutes, pauses)
    assert due == oracle.add(start, minutes, pauses)
    assert due.tzinfo is UTC


@SETTINGS
@given(scenarios(), st.integers(0, 4000))
def test_is_business_instant_matches_oracle(scenario: Scenario, shift: int) -> None:
    calendar, start, _ = scenario
    at = start + timedelta(minutes=shift)
    assert is_business_instant(calendar, at) == Oracle(calendar).is_business(at)


# A fixed calendar whose hours straddle the usual transition times, swept over every transition.
SWEEP = {
    "mon-fri": ["00:00-01:30", "02:00-03:30", "09:00-17:00", "23:30-24:00"],
    "sat": ["01:00-04:00"],
    "sun": ["00:00-24:00"],
}


def test_every_transition_2020_2030_has_zero_deviations() -> None:
    deviations: list[tuple[str, datetime, str, object]] = []
    checked = 0
    for zone in ZONES:
        calendar = Calendar(zone=zone, hours=SWEEP)
        oracle = Oracle(calendar)
        for transition in transitions(zone):
            start = transition - timedelta(hours=18)
            count, t = 0, start
            # One oracle pass yields every prefix: compare add() where the count grows and
            # between() at every sixth hour.
            for step in range(36 * 60):
                if step % 180 == 0 and business_minutes_between(calendar, start, t) != count:
                    deviations.append((zone, transition, "between", t))
                if oracle.is_business(t):
                    count += 1
                    if count % 37 == 1 and add_business_minutes(calendar, start, count) != (
                        t + MINUTE
                    ):
                        deviations.append((zone, transition, "add", count))
                t += MINUTE
            checked += 1
    assert checked >= 200
    assert deviations == []


def test_zones_cover_the_brief() -> None:
    assert len(set(ZONES)) >= 20
    with_dst = [z for z in ZONES if transitions(z)[0] >= _START]
    assert len(with_dst) >= 15
    assert transitions("Pacific/Apia")[0].date() <= date(2021, 4, 4)
