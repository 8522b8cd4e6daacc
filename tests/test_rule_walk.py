"""The fast path of daily and weekly rules (models/meetings/rule_walk.py) against dateutil.

For random rules (interval, weekdays, UNTIL or COUNT), zones, first starts (daylight-saving
days included) and windows, every function of models/meetings/recurrence.py that walks a rule
must give what dateutil's own walk gives: the starts in a window, the next start, the first
and the last, and the wall time that names an occurrence.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rule_strategies import daily_or_weekly

from docket.models.meetings import recurrence
from docket.models.meetings.recurrence import (
    expand,
    first_start,
    instant,
    last_start,
    nominal,
    occurrences_from,
)
from docket.models.meetings.rule_walk import SimpleRule, dates_before, simple_rule, utc_stamp

ZONES = (
    "America/New_York",
    "Europe/London",
    "Australia/Lord_Howe",  # a half-hour change
    "Pacific/Apia",  # skipped a whole day (30 Dec 2011)
    "Asia/Kolkata",
    "UTC",
)


@st.composite
def starts(draw: st.DrawFn) -> datetime:
    # datetime's own UTC too: the communications plan walks its cadences from UTC midnights
    zone = draw(st.sampled_from([*(ZoneInfo(name) for name in ZONES), UTC]))
    base = datetime(2010, 1, 1) + timedelta(days=draw(st.integers(0, 20 * 366)))
    clock = timedelta(minutes=draw(st.sampled_from([0, 30, 59, 90, 120, 150, 180, 540, 1439])))
    wall = base + clock
    return wall.replace(tzinfo=zone, fold=draw(st.integers(0, 1)))


def _walk(rule: str, start: datetime) -> object:
    return rrulestr(rule, dtstart=start, cache=False)


def _windows(start: datetime, offset_days: int, length_hours: int, zoned: bool) -> datetime:
    first = start.astimezone(UTC) + timedelta(days=offset_days, hours=offset_days % 24)
    return first.astimezone(start.tzinfo) if zoned else first


SETTINGS = settings(
    max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)


@SETTINGS
@given(
    daily_or_weekly(),
    starts(),
    st.integers(-40, 900),
    st.integers(1, 24 * 60),
    st.booleans(),
    st.one_of(st.none(), st.integers(1, 6)),
)
def test_the_starts_in_a_window_are_dateutils(
    rule: str, start: datetime, offset: int, hours: int, zoned: bool, limit: int | None
) -> None:
    assert simple_rule(rule) is not None
    window_start = _windows(start, offset, hours, zoned)
    window_end = window_start + timedelta(hours=hours)
    expected = []
    for moment in _walk(rule, start).xafter(window_start, inc=True):  # type: ignore[attr-defined]
        if moment >= window_end or (limit is not None and len(expected) >= limit):
            break
        expected.append(instant(moment))
    found = expand(rule, start, window_start, window_end, limit=limit)
    assert found == expected
    assert [f.tzinfo for f in found] == [e.tzinfo for e in expected]
    assert [f.utcoffset() for f in found] == [e.utcoffset() for e in expected]


@SETTINGS
@given(daily_or_weekly(), starts(), st.integers(-40, 3000), st.booleans())
def test_the_next_first_and_last_starts_are_dateutils(
    rule: str, start: datetime, offset: int, zoned: bool
) -> None:
    walked = _walk(rule, start)
    after = _windows(start, offset, 0, zoned)
    expected = walked.after(after, inc=True)  # type: ignore[attr-defined]
    found = next(iter(occurrences_from(rule, start, after)), None)
    assert found == (instant(expected) if expected is not None else None)
    first = walked.after(start, inc=True)  # type: ignore[attr-defined]
    if first is not None:
        assert first_start(rule, start) == instant(first)
    if "COUNT" in rule or "UNTIL" in rule:
        every = list(walked)  # type: ignore[call-overload]
        assert last_start(rule, start) == (instant(every[-1]) if every else None)
    else:
        assert last_start(rule, start) is None


@SETTINGS
@given(daily_or_weekly(), starts(), st.integers(0, 800))
def test_the_wall_time_naming_an_occurrence_is_dateutils(
    rule: str, start: datetime, offset: int
) -> None:
    found = expand(rule, start, *_span(start, offset))
    for moment in found[:3]:
        there = moment.astimezone(start.tzinfo)
        expected = there
        for wall in _walk(rule, start).xafter(there - timedelta(hours=3), inc=True):  # type: ignore[attr-defined]
            if instant(wall) == moment.astimezone(UTC):
                expected = wall
                break
            if wall.replace(tzinfo=None) > there.replace(tzinfo=None) + timedelta(hours=3):
                break
        assert nominal(rule, start, moment) == expected


def _span(start: datetime, offset: int) -> tuple[datetime, datetime]:
    first = start.astimezone(UTC) + timedelta(days=offset)
    return first, first + timedelta(days=10)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(daily_or_weekly(), starts(), st.integers(-10, 400))
def test_dates_are_counted_as_walking_counts_them(rule: str, start: datetime, days: int) -> None:
    simple = simple_rule(rule)
    assert isinstance(simple, SimpleRule)
    body = ";".join(p for p in rule.split(";") if not p.startswith(("UNTIL", "COUNT")))
    day = start.date() + timedelta(days=days)
    walked = 0
    for moment in _walk(body, start):  # type: ignore[attr-defined]
        if moment.date() >= day:
            break
        walked += 1
    assert dates_before(simple, start.date(), day) == walked


def test_rules_it_does_not_walk_are_left_to_dateutil() -> None:
    for rule in (
        "FREQ=MONTHLY;BYDAY=2WE",
        "FREQ=WEEKLY;BYDAY=1MO",
        "FREQ=WEEKLY;WKST=SU;INTERVAL=2;BYDAY=SU,TU",
        "FREQ=WEEKLY;BYSETPOS=1;BYDAY=MO,TU",
        "FREQ=DAILY;UNTIL=20270630",
        "FREQ=DAILY;UNTIL=20270630T235959",
        "FREQ=DAILY;COUNT=0",
        "FREQ=WEEKLY;BYHOUR=9,15",
        "FREQ=WEEKLY;INTERVAL=0",
        "FREQ=WEEKLY;;BYDAY=MO",
    ):
        assert simple_rule(rule) is None, rule
    # such rules still expand, through dateutil
    start = datetime(2026, 10, 6, 9, tzinfo=ZoneInfo("America/New_York"))
    assert len(expand("FREQ=MONTHLY;BYDAY=2WE", start, start, start + timedelta(days=62))) == 2
    assert recurrence._rule.cache_info().currsize >= 1


def test_a_start_shown_twice_is_taken_as_dateutil_takes_it() -> None:
    # the first start is the second 01:30 of a night the clocks go back; the rule's later
    # starts are wall times without that fold (the first 01:30), as dateutil makes them
    zone = ZoneInfo("America/New_York")
    start = datetime(2025, 11, 2, 1, 30, tzinfo=zone, fold=1)
    rule = "FREQ=WEEKLY;BYDAY=SU"
    between = datetime(2026, 11, 1, 5, 45, tzinfo=UTC)  # after the first 01:30 that night
    walked = _walk(rule, start).xafter(between, count=2, inc=True)  # type: ignore[attr-defined]
    expected = [instant(m) for m in walked]
    assert expand(rule, start, between, between + timedelta(days=15)) == expected
    assert expected[0].date() == datetime(2026, 11, 8).date()


@given(st.text(alphabet="0123456789", min_size=14, max_size=14))
def test_a_utc_stamp_is_read_as_strptime_reads_it(digits: str) -> None:
    value = f"{digits[:8]}T{digits[8:]}Z"
    try:
        expected: datetime | None = datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        expected = None
    try:
        found: datetime | None = utc_stamp(value)
    except ValueError:
        found = None
    assert found == expected
