"""Business-hours calendars: validation messages and hand-checked DST cases."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from accord.cases.sla.calendar import (
    WEEKDAYS,
    Calendar,
    add_business_minutes,
    business_minutes_between,
    business_time_between,
    is_business_instant,
    warning_instant,
)

OFFICE = {"mon-fri": ["09:00-12:00", "13:00-17:00"]}


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0, us: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, us, tzinfo=UTC)


def local(
    zone: str, year: int, month: int, day: int, hour: int = 0, minute: int = 0, *, fold: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(zone), fold=fold)


# --- validation ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"zone": "Europe/Berln", "hours": OFFICE}, "unknown IANA time zone 'Europe/Berln'"),
        ({"hours": {"funday": ["09:00-17:00"]}}, "'funday' is not a weekday"),
        ({"hours": {"fri-mon": ["09:00-17:00"]}}, "weekday range 'fri-mon' runs backwards"),
        ({"hours": {"mon": ["9-17"]}}, "mon: '9-17' is not an interval like '09:00-17:00'"),
        ({"hours": {"mon": ["09:00-25:00"]}}, "impossible time of day"),
        ({"hours": {"mon": ["17:00-09:00"]}}, "split a night shift into two days"),
        (
            {"hours": {"tue": ["09:00-12:00", "11:30-13:00"]}},
            "tue: intervals 09:00-12:00 and 11:30-13:00 overlap",
        ),
        ({"hours": {"mon-fri": ["09:00-17:00"], "wed": []}}, "wed is given more than once"),
        ({"hours": {"mon": []}}, "no business hours at all"),
        ({"hours": OFFICE, "timezone": "UTC"}, "Extra inputs are not permitted"),
    ],
)
def test_invalid_calendars_say_what_is_wrong(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Calendar.model_validate(kwargs)


def test_hours_are_normalised_to_sorted_three_letter_days() -> None:
    calendar = Calendar(hours={"Monday": ["13:00-17:00", "9:00-12:00"], "sat-sun": ["10:00-14:00"]})
    assert calendar.hours == {
        "mon": ["09:00-12:00", "13:00-17:00"],
        "sat": ["10:00-14:00"],
        "sun": ["10:00-14:00"],
    }
    assert calendar.week[0] == ((9 * 3600, 12 * 3600), (13 * 3600, 17 * 3600))
    assert calendar.week[1] == ()


def test_equal_calendars_hash_equal() -> None:
    a = Calendar(zone="Europe/Berlin", hours={"mon-fri": ["09:00-17:00"]})
    b = Calendar(zone="Europe/Berlin", hours={"monday-friday": ["9:00-17:00"]})
    assert a == b
    assert hash(a) == hash(b)


# --- plain arithmetic -------------------------------------------------------------------------


def test_adds_within_a_day_across_lunch_and_over_a_weekend() -> None:
    calendar = Calendar(zone="America/New_York", hours=OFFICE)
    friday_4pm = local("America/New_York", 2024, 6, 7, 16, 0)
    due = add_business_minutes(calendar, friday_4pm, 120)
    assert due == local("America/New_York", 2024, 6, 10, 10, 0)
    assert due.tzinfo is UTC
    assert business_minutes_between(calendar, friday_4pm, due) == 120


def test_start_outside_hours_counts_from_the_next_opening() -> None:
    calendar = Calendar(zone="Europe/Berlin", hours=OFFICE)
    saturday = local("Europe/Berlin", 2024, 6, 8, 20, 0)
    assert add_business_minutes(calendar, saturday, 30) == local(
        "Europe/Berlin", 2024, 6, 10, 9, 30
    )


def test_holidays_are_local_dates() -> None:
    calendar = Calendar(zone="America/New_York", hours=OFFICE, holidays={date(2024, 7, 4)})
    wednesday_4pm = local("America/New_York", 2024, 7, 3, 16, 0)
    due = add_business_minutes(calendar, wednesday_4pm, 120)
    assert due == local("America/New_York", 2024, 7, 5, 10, 0)


def test_zero_minutes_is_the_start_even_outside_hours() -> None:
    calendar = Calendar(hours=OFFICE)
    sunday = utc(2024, 6, 9, 3, 7, 11)
    assert add_business_minutes(calendar, sunday, 0) == sunday


def test_between_is_zero_for_an_empty_or_reversed_range() -> None:
    calendar = Calendar.always_open()
    assert business_minutes_between(calendar, utc(2024, 1, 2), utc(2024, 1, 1)) == 0


def test_sub_minute_precision_is_kept() -> None:
    calendar = Calendar.always_open()
    start = utc(2024, 1, 1, 9, 0, 0, 500_000)
    assert add_business_minutes(calendar, start, 1.5) == utc(2024, 1, 1, 9, 1, 30, 500_000)
    assert business_time_between(calendar, start, start + timedelta(seconds=7)) == timedelta(
        seconds=7
    )


def test_accepts_any_aware_zone_and_rejects_naive_instants() -> None:
    calendar = Calendar.always_open()
    plus_two = datetime(2024, 1, 1, 11, 0, tzinfo=timezone(timedelta(hours=2)))
    assert add_business_minutes(calendar, plus_two, 60) == utc(2024, 1, 1, 10, 0)
    with pytest.raises(ValueError, match="must be timezone-aware"):
        add_business_minutes(calendar, datetime(2024, 1, 1), 60)
    with pytest.raises(ValueError, match="must not be negative"):
        add_business_minutes(calendar, plus_two, -1)


# --- pauses and warnings ------------------------------------------------------------------------


def test_pauses_stop_the_clock_and_overlapping_pauses_count_once() -> None:
    calendar = Calendar(hours={"mon-fri": ["09:00-17:00"]})
    start = utc(2024, 6, 10, 9, 0)
    pauses = [
        (utc(2024, 6, 10, 10, 0), utc(2024, 6, 10, 12, 0)),
        (utc(2024, 6, 10, 11, 0), utc(2024, 6, 10, 13, 0)),
        (utc(2024, 6, 10, 20, 0), utc(2024, 6, 11, 8, 0)),  # outside hours: costs nothing
    ]
    assert business_minutes_between(calendar, start, utc(2024, 6, 10, 17, 0), pauses) == 300
    assert add_business_minutes(calendar, start, 240, pauses) == utc(2024, 6, 10, 16, 0)


def test_a_pause_may_not_end_before_it_starts() -> None:
    calendar = Calendar.always_open()
    backwards = [(utc(2024, 1, 2), utc(2024, 1, 1))]
    with pytest.raises(ValueError, match="before it starts"):
        business_minutes_between(calendar, utc(2024, 1, 1), utc(2024, 1, 3), backwards)


def test_warning_is_a_percentage_of_the_business_target() -> None:
    calendar = Calendar(hours={"mon-fri": ["09:00-17:00"]})
    start = utc(2024, 6, 10, 16, 0)  # Monday, one hour before closing
    assert warning_instant(calendar, start, 240, 75) == utc(2024, 6, 11, 11, 0)
    assert warning_instant(calendar, start, 240, 100) == add_business_minutes(calendar, start, 240)
    with pytest.raises(ValueError, match=r"within 0\.\.100"):
        warning_instant(calendar, start, 240, 120)


# --- daylight saving time -------------------------------------------------------------------


def test_always_open_calendar_is_real_time_across_dst() -> None:
    calendar = Calendar.always_open("Europe/Berlin")
    start = local("Europe/Berlin", 2024, 3, 30, 12, 0)
    end = local("Europe/Berlin", 2024, 10, 28, 12, 0)
    assert business_minutes_between(calendar, start, end) == (end - start) / timedelta(minutes=1)


@pytest.mark.parametrize(
    ("zone", "day", "hours", "expected"),
    [
        # Berlin: 02:00 -> 03:00 on 31 March 2024, 03:00 -> 02:00 on 27 October 2024.
        ("Europe/Berlin", date(2024, 3, 31), "01:00-04:00", 120),
        ("Europe/Berlin", date(2024, 10, 27), "01:00-04:00", 240),
        # New York: 02:00 -> 03:00 on 10 March, 02:00 -> 01:00 on 3 November 2024.
        ("America/New_York", date(2024, 3, 10), "00:00-24:00", 23 * 60),
        ("America/New_York", date(2024, 11, 3), "00:00-24:00", 25 * 60),
        # Lord Howe moves by thirty minutes.
        ("Australia/Lord_Howe", date(2024, 10, 6), "01:00-03:00", 90),
        ("Australia/Lord_Howe", date(2024, 4, 7), "01:00-03:00", 150),
        # Sao Paulo (last DST in 2018) and Santiago jump at local midnight.
        ("America/Sao_Paulo", date(2018, 11, 4), "00:00-02:00", 60),
        ("America/Santiago", date(2024, 9, 8), "00:00-02:00", 60),
        # A business interval entirely inside the gap does not happen at all.
        ("Europe/Berlin", date(2024, 3, 31), "02:00-03:00", 0),
        ("Europe/Berlin", date(2024, 10, 27), "02:00-03:00", 120),
    ],
)
def test_business_day_length_across_transitions(
    zone: str, day: date, hours: str, expected: int
) -> None:
    # Open on that one weekday only, so the 30-hour window sees just that day's hours.
    calendar = Calendar(zone=zone, hours={WEEKDAYS[day.weekday()]: [hours]})
    start = local(zone, day.year, day.month, day.day) - timedelta(hours=3)
    end = start + timedelta(hours=30)
    assert business_minutes_between(calendar, start, end) == expected


def test_fall_back_fold_counts_both_passes_through_the_repeated_hour() -> None:
    calendar = Calendar(zone="Europe/Berlin", hours={"sun": ["02:15-02:45"]})
    first = local("Europe/Berlin", 2024, 10, 27, 2, 15, fold=0)
    second = local("Europe/Berlin", 2024, 10, 27, 2, 15, fold=1)
    assert second - first == timedelta(0)  # wall-clock arithmetic; compare in UTC instead
    assert second.astimezone(UTC) - first.astimezone(UTC) == timedelta(hours=1)
    assert add_business_minutes(calendar, first, 30) == utc(2024, 10, 27, 0, 45)
    assert add_business_minutes(calendar, first, 31) == utc(2024, 10, 27, 1, 16)
    assert is_business_instant(calendar, second)


def test_apia_skipped_thirtieth_of_december_2011() -> None:
    calendar = Calendar(zone="Pacific/Apia", hours={"mon-sun": ["09:00-17:00"]})
    start = local("Pacific/Apia", 2011, 12, 29)
    end = local("Pacific/Apia", 2012, 1, 1)
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(days=2)
    assert business_minutes_between(calendar, start, end) == 2 * 8 * 60
    thursday_5pm = local("Pacific/Apia", 2011, 12, 29, 16, 0)
    assert add_business_minutes(calendar, thursday_5pm, 90) == local(
        "Pacific/Apia", 2011, 12, 31, 9, 30
    )


def test_kathmandu_quarter_hour_offset() -> None:
    calendar = Calendar(zone="Asia/Kathmandu", hours=OFFICE)
    due = add_business_minutes(calendar, utc(2024, 6, 10, 0, 0), 60)
    assert due == utc(2024, 6, 10, 4, 15)  # 10:00 at +05:45


def test_long_targets_stay_fast_and_exact() -> None:
    calendar = Calendar(zone="Europe/Berlin", hours=OFFICE, holidays={date(2025, 12, 25)})
    start = utc(2024, 1, 1)
    due = add_business_minutes(calendar, start, 7 * 60 * 250)  # about a business year
    assert business_minutes_between(calendar, start, due) == 7 * 60 * 250
    assert due.year == 2024
