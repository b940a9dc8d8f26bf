"""Business-hours arithmetic for SLA timers. Pure: no I/O, no clock, no database.

An instant counts as business time when its *wall-clock* reading in the calendar's IANA zone falls
on a working weekday, not on a holiday, inside one of that weekday's intervals. Everything
else follows from that one definition, which is also what the brute-force test oracle checks:

* a business interval that contains a spring-forward gap lasts fewer real minutes (the skipped
  wall-clock minutes never happen); one that contains a fall-back fold lasts more (the repeated
  wall-clock minutes happen twice);
* instants go in and come out as aware UTC datetimes; only the calendar test uses local time.

The maths works on whole intervals, never minute by minute: for each local date we compute the
UTC intervals whose wall clock lies inside the business hours (the *preimage*), one piece per
UTC-offset segment of the zone, cached per (zone, hours, date).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from functools import cached_property, lru_cache
from itertools import pairwise
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, field_validator

__all__ = [
    "WEEKDAYS",
    "Calendar",
    "Pause",
    "add_business_minutes",
    "business_minutes_between",
    "business_time_between",
    "is_business_instant",
    "warning_instant",
]

WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_FULL_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAY_S = 86_400
_US = 1_000_000
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
# Offsets are sampled this far apart when looking for transitions. tzdb has never had two
# transitions of one zone within three hours, so none can hide between two samples.
_SAMPLE_S = 3 * 3600
# add_business_minutes walks forward in chunks of this size; the horizon stops a calendar whose
# every working day is a holiday from looping for ever.
_CHUNK_US = 14 * _DAY_S * _US
_HORIZON_CHUNKS = 27 * 20  # about twenty years
_INTERVAL = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")

Pause = tuple[datetime, datetime]
"""A closed interval [start, end) during which the SLA clock stands still (waiting on the
customer). An open-ended pause is the caller's business: pass ``(since, now)``."""

_Span = tuple[int, int]


def _day_names(key: str) -> list[str]:
    """'mon', 'Monday' or a range such as 'mon-fri' -> canonical three-letter names."""
    parts = [p.strip().lower() for p in key.split("-")]
    if len(parts) not in (1, 2):
        raise ValueError(f"{key!r} is not a weekday or a range such as 'mon-fri'")
    indexes = []
    for part in parts:
        if part in WEEKDAYS:
            indexes.append(WEEKDAYS.index(part))
        elif part in _FULL_NAMES:
            indexes.append(_FULL_NAMES.index(part))
        else:
            raise ValueError(f"{part!r} is not a weekday; use one of {', '.join(WEEKDAYS)}")
    first, last = indexes[0], indexes[-1]
    if last < first:
        raise ValueError(f"weekday range {key!r} runs backwards")
    return list(WEEKDAYS[first : last + 1])


def _parse_interval(day: str, text: str) -> tuple[int, int]:
    """'09:00-17:30' -> (540, 1050) minutes after local midnight; '24:00' is allowed as an end."""
    match = _INTERVAL.match(text)
    if match is None:
        raise ValueError(f"{day}: {text!r} is not an interval like '09:00-17:00'")
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if m1 > 59 or m2 > 59 or h1 > 23 or h2 > 24 or (h2 == 24 and m2 != 0):
        raise ValueError(f"{day}: {text!r} has an impossible time of day")
    start, end = h1 * 60 + m1, h2 * 60 + m2
    if start >= end:
        raise ValueError(
            f"{day}: {text!r} must start before it ends (split a night shift into two days)"
        )
    return start, end


def _format(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _normalise_day(day: str, texts: Sequence[str]) -> list[str]:
    spans = sorted(_parse_interval(day, t) for t in texts)
    for (s1, e1), (s2, e2) in pairwise(spans):
        if s2 < e1:
            raise ValueError(
                f"{day}: intervals {_format(s1)}-{_format(e1)} and "
                f"{_format(s2)}-{_format(e2)} overlap"
            )
    return [f"{_format(s)}-{_format(e)}" for s, e in spans]


class Calendar(BaseModel):
    """Weekly business hours in one IANA zone, with holidays (local dates).

    ``hours`` maps weekdays (``mon``, ``Monday`` or ranges like ``mon-fri``) to lists of
    ``HH:MM-HH:MM`` intervals; days not listed are closed. Several intervals per day are fine
    (a lunch break); an interval cannot cross midnight, so a night shift is two entries.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    zone: str = "UTC"
    hours: dict[str, list[str]]
    holidays: frozenset[date] = frozenset()

    @field_validator("zone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown IANA time zone {value!r} (use a name such as 'Europe/Berlin')"
            ) from None
        return value

    @field_validator("hours")
    @classmethod
    def _valid_hours(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        week: dict[str, list[str]] = {}
        for key, texts in value.items():
            for day in _day_names(key):
                if day in week:
                    raise ValueError(f"{day} is given more than once")
                week[day] = _normalise_day(day, texts)
        if not any(week.values()):
            raise ValueError("the calendar has no business hours at all, so no SLA could fall due")
        return {day: week[day] for day in WEEKDAYS if week.get(day)}

    @cached_property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.zone)

    @cached_property
    def week(self) -> tuple[tuple[_Span, ...], ...]:
        """Business intervals per weekday (0 = Monday) in seconds after local midnight.

        Cached on the instance: the hot loops read it once per local date.
        """
        return tuple(
            tuple(
                (s * 60, e * 60)
                for s, e in (_parse_interval(day, t) for t in self.hours.get(day, []))
            )
            for day in WEEKDAYS
        )

    def __hash__(self) -> int:
        # ``hours`` is a dict, so pydantic's frozen hash would fail; the parsed week is equivalent.
        return hash((self.zone, self.week, self.holidays))

    @classmethod
    def always_open(cls, zone: str = "UTC") -> Calendar:
        """A 24/7 calendar: business time equals real time."""
        return cls(zone=zone, hours={"mon-sun": ["00:00-24:00"]})


# --- instants as integers -------------------------------------------------------------------


def _to_us(instant: datetime) -> int:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"instant {instant!r} must be timezone-aware (UTC)")
    return (instant - _EPOCH) // timedelta(microseconds=1)


def _from_us(value: int) -> datetime:
    return _EPOCH + timedelta(microseconds=value)


def _offset_s(tz: ZoneInfo, epoch_s: int) -> int:
    offset = datetime.fromtimestamp(epoch_s, tz).utcoffset()
    assert offset is not None  # a ZoneInfo always knows its offset
    return int(offset.total_seconds())


def _local_ordinal(tz: ZoneInfo, epoch_us: int) -> int:
    return datetime.fromtimestamp(epoch_us // _US, tz).toordinal()


# --- per-day preimages ----------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _offset_segments(zone: str, ordinal: int) -> tuple[tuple[int, int, int], ...]:
    """(start_s, end_s, offset_s) pieces covering every instant whose local date can be ``ordinal``.

    Offsets never exceed a day, so [local midnight - 1 day, local midnight + 2 days) read as UTC
    is wide enough. Transitions are found by sampling and then bisecting to the second.
    """
    tz = ZoneInfo(zone)
    midnight = (ordinal - _EPOCH_ORDINAL) * _DAY_S
    lo, hi = midnight - _DAY_S, midnight + 2 * _DAY_S
    segments: list[tuple[int, int, int]] = []
    seg_start, current = lo, _offset_s(tz, lo)
    t = lo
    while t < hi:
        nxt = min(t + _SAMPLE_S, hi)
        if _offset_s(tz, nxt) == current:
            t = nxt
            continue
        a, b = t, nxt  # invariant: offset(a) == current != offset(b)
        while b - a > 1:
            mid = (a + b) // 2
            a, b = (mid, b) if _offset_s(tz, mid) == current else (a, mid)
        segments.append((seg_start, b, current))
        seg_start, current, t = b, _offset_s(tz, b), b
    segments.append((seg_start, hi, current))
    return tuple(segments)


@lru_cache(maxsize=8192)
def _day_preimage(zone: str, spans: tuple[_Span, ...], ordinal: int) -> tuple[_Span, ...]:
    """UTC seconds whose wall clock on local date ``ordinal`` lies inside ``spans``.

    On a segment with constant offset ``off`` the wall clock is ``t + off``, so the preimage of
    a wall interval is that interval shifted by ``-off`` and clipped to the segment.
    """
    midnight = (ordinal - _EPOCH_ORDINAL) * _DAY_S
    pieces = []
    for start, end in spans:
        for seg_lo, seg_hi, off in _offset_segments(zone, ordinal):
            lo = max(midnight + start - off, seg_lo)
            hi = min(midnight + end - off, seg_hi)
            if lo < hi:
                pieces.append((lo, hi))
    return tuple(_merge(pieces))


def _merge(spans: Iterable[_Span]) -> list[_Span]:
    merged: list[_Span] = []
    for lo, hi in sorted(spans):
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged


def _business_spans(calendar: Calendar, lo: int, hi: int) -> list[_Span]:
    """Merged business intervals (epoch microseconds) inside [lo, hi).

    A fold around midnight can make one local date's minutes come after the next date's, so
    the neighbouring dates are included and the pieces sorted rather than assumed in order.
    """
    tz = calendar.tz
    first = _local_ordinal(tz, lo) - 1
    last = _local_ordinal(tz, hi) + 1
    pieces = []
    for ordinal in range(first, last + 1):
        day = date.fromordinal(ordinal)
        spans = calendar.week[day.weekday()]
        if not spans or day in calendar.holidays:
            continue
        for a, b in _day_preimage(calendar.zone, spans, ordinal):
            clipped = (max(a * _US, lo), min(b * _US, hi))
            if clipped[0] < clipped[1]:
                pieces.append(clipped)
    return _merge(pieces)


def _pause_spans(pauses: Iterable[Pause]) -> list[_Span]:
    spans = []
    for start, end in pauses:
        lo, hi = _to_us(start), _to_us(end)
        if hi < lo:
            raise ValueError(f"pause ends ({end.isoformat()}) before it starts")
        spans.append((lo, hi))
    return _merge(spans)


def _subtract(spans: list[_Span], holes: list[_Span]) -> list[_Span]:
    """Both inputs sorted and merged; returns spans minus holes, still sorted."""
    out: list[_Span] = []
    i = 0
    for lo, hi in spans:
        while i < len(holes) and holes[i][1] <= lo:
            i += 1
        j, cursor = i, lo
        while j < len(holes) and holes[j][0] < hi:
            if holes[j][0] > cursor:
                out.append((cursor, holes[j][0]))
            cursor = max(cursor, holes[j][1])
            j += 1
        if cursor < hi:
            out.append((cursor, hi))
    return out


# --- public API ------------------------------------------------------------------------------


def is_business_instant(calendar: Calendar, instant: datetime) -> bool:
    """Whether the clock runs at ``instant`` (ignoring pauses)."""
    at = _to_us(instant)
    return bool(_business_spans(calendar, at, at + 1))


def business_time_between(
    calendar: Calendar, start: datetime, end: datetime, pauses: Iterable[Pause] = ()
) -> timedelta:
    """Business time in [start, end) minus pauses; zero when ``end <= start``."""
    lo, hi = _to_us(start), _to_us(end)
    if hi <= lo:
        return timedelta(0)
    spans = _subtract(_business_spans(calendar, lo, hi), _pause_spans(pauses))
    return timedelta(microseconds=sum(b - a for a, b in spans))


def business_minutes_between(
    calendar: Calendar, start: datetime, end: datetime, pauses: Iterable[Pause] = ()
) -> float:
    """:func:`business_time_between` in minutes (exact for minute-aligned inputs)."""
    return business_time_between(calendar, start, end, pauses) / timedelta(minutes=1)


def add_business_minutes(
    calendar: Calendar, start: datetime, minutes: float, pauses: Iterable[Pause] = ()
) -> datetime:
    """The earliest UTC instant by which ``minutes`` of business time have elapsed after
    ``start`` (pauses excluded). ``minutes == 0`` returns ``start`` unchanged."""
    if minutes < 0:
        raise ValueError(f"minutes must not be negative, got {minutes}")
    remaining = round(minutes * 60 * _US)
    cursor = _to_us(start)
    if remaining == 0:
        return _from_us(cursor)
    holes = _pause_spans(pauses)
    for _ in range(_HORIZON_CHUNKS):
        chunk_end = cursor + _CHUNK_US
        for lo, hi in _subtract(_business_spans(calendar, cursor, chunk_end), holes):
            if remaining <= hi - lo:
                return _from_us(lo + remaining)
            remaining -= hi - lo
        cursor = chunk_end
    raise ValueError("no business time left within twenty years: check the calendar's holidays")


def warning_instant(
    calendar: Calendar,
    start: datetime,
    target_minutes: float,
    percent: float,
    pauses: Iterable[Pause] = (),
) -> datetime:
    """When ``percent`` of the business-time target has elapsed (the "about to breach" mark)."""
    if not 0 <= percent <= 100:
        raise ValueError(f"warning percentage must be within 0..100, got {percent}")
    return add_business_minutes(calendar, start, target_minutes * percent / 100, pauses)
