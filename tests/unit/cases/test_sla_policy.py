"""SLA policies: loading, target selection, timer states and scheduled checks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from accord.cases.sla.calendar import Calendar
from accord.cases.sla.policy import (
    Priority,
    ScheduledCheck,
    SelectedSla,
    SlaKind,
    SlaPolicy,
    Targets,
    TimerState,
    checks_due,
    evaluate_timer,
    parse_sla_policy,
    select_sla,
    timer_checks,
)
from accord.core.errors import ValidationFailed

POLICY_YAML = """
calendars:
  berlin:
    zone: Europe/Berlin
    hours: {mon-fri: ["09:00-17:00"]}
    holidays: [2024-12-25, 2024-12-26]
  always:
    zone: UTC
    hours: {mon-sun: ["00:00-24:00"]}
default_calendar: berlin
warn_at_percent: 80
default_targets: {first_response: 240, next_response: 480, resolution: 2400}
rules:
  - name: urgent
    match: {priorities: [urgent]}
    calendar: always
    targets: {first_response: 30, resolution: 480}
    warn_at_percent: 50
  - name: hot-enterprise
    match: {tiers: [enterprise], heat: {min: 70}}
    targets: {first_response: 60}
  - name: billing
    match: {teams: [7, billing], priorities: [high, normal]}
    targets: {next_response: 120}
"""


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0, us: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, us, tzinfo=UTC)


@pytest.fixture
def policy() -> SlaPolicy:
    return parse_sla_policy(POLICY_YAML)


def test_first_matching_rule_wins_and_fills_gaps_from_defaults(policy: SlaPolicy) -> None:
    urgent = select_sla(policy, priority="urgent", tier="enterprise", heat=95)
    assert urgent.rule == "urgent"
    assert urgent.calendar_name == "always"
    assert urgent.targets == Targets(first_response=30, next_response=480, resolution=480)
    assert urgent.warn_at_percent == 50


def test_heat_band_and_tier_select_a_rule(policy: SlaPolicy) -> None:
    hot = select_sla(policy, priority=Priority.NORMAL, tier="enterprise", heat=70)
    assert (hot.rule, hot.targets.first_response, hot.calendar_name) == (
        "hot-enterprise",
        60,
        "berlin",
    )
    assert hot.warn_at_percent == 80
    cool = select_sla(policy, priority="normal", tier="enterprise", heat=69.9)
    assert cool.rule == "default"


def test_team_ids_match_as_strings(policy: SlaPolicy) -> None:
    assert select_sla(policy, priority="high", team=7).rule == "billing"
    assert select_sla(policy, priority="high", team="billing").rule == "billing"
    assert select_sla(policy, priority="low", team=7).rule == "default"


def test_unknown_priority_is_rejected(policy: SlaPolicy) -> None:
    with pytest.raises(ValueError, match="'critical' is not a valid Priority"):
        select_sla(policy, priority="critical")


def test_heat_band_of_100_includes_100() -> None:
    policy = parse_sla_policy(
        {
            "calendars": {"c": {"hours": {"mon": ["09:00-10:00"]}}},
            "default_calendar": "c",
            "default_targets": {},
            "rules": [{"name": "max", "match": {"heat": {"min": 90}}, "targets": {}}],
        }
    )
    assert select_sla(policy, priority="low", heat=100).rule == "max"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"default_calendar": "paris"}, "default_calendar 'paris' is not one of the calendars"),
        (
            {"rules": [{"name": "x", "calendar": "nyc", "targets": {}}]},
            "rule 'x' uses calendar 'nyc'",
        ),
        (
            {"rules": [{"name": "x", "targets": {}}, {"name": "x", "targets": {}}]},
            "rule name 'x' is used twice",
        ),
        (
            {"rules": [{"name": "x", "match": {"heat": {"min": 80, "max": 60}}, "targets": {}}]},
            r"rules\.0\.match\.heat: heat band min \(80\) must be below max \(60\)",
        ),
        (
            {"rules": [{"name": "x", "match": {"priorities": ["asap"]}, "targets": {}}]},
            r"rules\.0\.match\.priorities\.0: Input should be 'low', 'normal', 'high' or 'urgent'",
        ),
        ({"default_targets": {"resolution": 0}}, r"default_targets\.resolution: .*greater than 0"),
        ({"warn_at_percent": 100}, r"warn_at_percent: Input should be less than 100"),
        (
            {"calendars": {"c": {"zone": "Mars/Olympus", "hours": {"mon": ["09:00-10:00"]}}}},
            r"calendars\.c\.zone: unknown IANA time zone 'Mars/Olympus'",
        ),
        ({"default_targets": {"first_reply": 5}}, "first_reply: Extra inputs are not permitted"),
    ],
)
def test_policy_errors_name_the_path_and_the_problem(
    change: dict[str, object], message: str
) -> None:
    data = {
        "calendars": {"c": {"hours": {"mon": ["09:00-10:00"]}}},
        "default_calendar": "c",
        "default_targets": {"first_response": 60},
        **change,
    }
    with pytest.raises(ValidationFailed, match=message) as raised:
        parse_sla_policy(data)
    assert raised.value.detail.startswith("invalid SLA policy: ")


def test_policy_must_be_a_mapping() -> None:
    with pytest.raises(ValidationFailed, match="must be a mapping"):
        parse_sla_policy("- just\n- a list\n")


# --- timers ------------------------------------------------------------------------------------


def _sla(target: int = 60, warn: float = 80) -> SelectedSla:
    calendar = Calendar(hours={"mon-fri": ["09:00-17:00"]})
    return SelectedSla("t", "c", calendar, Targets(first_response=target), warn)


START = utc(2024, 6, 10, 16, 30)  # Monday, half an hour before closing


def test_running_then_warning_then_breached() -> None:
    sla = _sla()
    at = {
        now: evaluate_timer(sla, SlaKind.FIRST_RESPONSE, started_at=START, now=now)
        for now in (utc(2024, 6, 10, 16, 50), utc(2024, 6, 11, 9, 20), utc(2024, 6, 11, 9, 30))
    }
    states = [t.state for t in at.values() if t is not None]
    assert states == [TimerState.RUNNING, TimerState.WARNING, TimerState.BREACHED]
    first = next(iter(at.values()))
    assert first is not None
    assert first.due_at == utc(2024, 6, 11, 9, 30)
    assert first.warn_at == utc(2024, 6, 11, 9, 18)
    assert (first.elapsed_minutes, first.remaining_minutes) == (20, 40)


def test_no_target_means_no_timer() -> None:
    assert evaluate_timer(_sla(), SlaKind.RESOLUTION, started_at=START, now=START) is None


def test_stopped_in_time_is_met_and_late_is_breached() -> None:
    sla = _sla()
    met = evaluate_timer(
        sla,
        SlaKind.FIRST_RESPONSE,
        started_at=START,
        now=utc(2024, 6, 12),
        stopped_at=utc(2024, 6, 11, 9, 0),
    )
    late = evaluate_timer(
        sla,
        SlaKind.FIRST_RESPONSE,
        started_at=START,
        now=utc(2024, 6, 12),
        stopped_at=utc(2024, 6, 11, 10, 0),
    )
    assert met is not None and met.state is TimerState.MET
    assert late is not None and late.state is TimerState.BREACHED


def test_ongoing_pause_has_no_due_instant_and_finished_pauses_push_it_back() -> None:
    sla = _sla()
    paused = evaluate_timer(
        sla,
        SlaKind.FIRST_RESPONSE,
        started_at=START,
        now=utc(2024, 6, 11, 12, 0),
        paused_since=utc(2024, 6, 10, 16, 40),
    )
    assert paused is not None
    assert (paused.state, paused.due_at, paused.elapsed_minutes) == (TimerState.PAUSED, None, 10)
    resumed = evaluate_timer(
        sla,
        SlaKind.FIRST_RESPONSE,
        started_at=START,
        now=utc(2024, 6, 11, 12, 0),
        pauses=[(utc(2024, 6, 10, 16, 40), utc(2024, 6, 11, 11, 0))],
    )
    assert resumed is not None
    assert resumed.due_at == utc(2024, 6, 11, 11, 50)
    assert resumed.state is TimerState.BREACHED


def test_a_timer_breached_before_the_pause_stays_breached() -> None:
    timer = evaluate_timer(
        _sla(),
        SlaKind.FIRST_RESPONSE,
        started_at=START,
        now=utc(2024, 6, 12, 12, 0),
        paused_since=utc(2024, 6, 12, 10, 0),
    )
    assert timer is not None
    assert timer.state is TimerState.BREACHED
    assert timer.due_at == utc(2024, 6, 11, 9, 30)


# --- scheduled checks -------------------------------------------------------------------------


def test_timer_checks_and_the_half_open_tick_window() -> None:
    timer = evaluate_timer(_sla(), SlaKind.FIRST_RESPONSE, started_at=START, now=START)
    assert timer is not None
    checks = timer_checks(timer, "case:42")
    assert [c.key for c in checks] == [
        "case:42:first_response:warning",
        "case:42:first_response:breach",
    ]
    due = checks[1].at
    assert checks_due(checks, None, due) == checks
    assert checks_due(checks, due - timedelta(microseconds=1), due) == [checks[1]]
    assert checks_due(checks, due, due + timedelta(hours=1)) == []


def test_paused_timers_schedule_nothing_and_ticks_must_be_aware() -> None:
    paused = evaluate_timer(
        _sla(), SlaKind.FIRST_RESPONSE, started_at=START, now=START, paused_since=START
    )
    assert paused is not None and timer_checks(paused, "x") == []
    check = ScheduledCheck("k", START)
    with pytest.raises(ValueError, match="timezone-aware"):
        checks_due([check], None, datetime(2024, 1, 1))
    with pytest.raises(ValueError, match="backwards"):
        checks_due([check], START, START - timedelta(seconds=1))
