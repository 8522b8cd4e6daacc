"""Dates as people type them: what each form means, and what is refused and how."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from docket.models.core.dates import describe_date, parse_date, parse_datetime, parse_duration
from docket.models.core.errors import ValidationError

SUNDAY = date(2026, 11, 22)
MONDAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("today", MONDAY),
        ("Tomorrow", date(2026, 11, 24)),
        ("yesterday", date(2026, 11, 22)),
        ("fri", date(2026, 11, 27)),
        ("next tue", date(2026, 11, 24)),
        ("mon", date(2026, 11, 30)),  # the next Monday after today, not today
        ("+3d", date(2026, 11, 26)),
        ("2w", date(2026, 12, 7)),
        ("-1d", date(2026, 11, 22)),
        ("+1m", date(2026, 12, 23)),
        ("in 3 days", date(2026, 11, 26)),
        ("eow", date(2026, 11, 27)),
        ("eom", date(2026, 11, 30)),
        ("2026-12-01", date(2026, 12, 1)),
        ("12/1", date(2026, 12, 1)),
        ("1/5", date(2027, 1, 5)),  # a year-less date that has passed means next year's
        ("1/12/2027", date(2027, 1, 12)),
        ("dec 1", date(2026, 12, 1)),
        ("1 Dec 2026", date(2026, 12, 1)),
        ("December 3rd", date(2026, 12, 3)),
    ],
)
def test_human_forms_mean_the_expected_day(typed: str, meant: date) -> None:
    assert parse_date(typed, MONDAY) == meant


def test_day_first_reads_numeric_dates_the_other_way() -> None:
    assert parse_date("1/12", MONDAY, day_first=True) == date(2026, 12, 1)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("2026-02-30", "due: 2026-02-30 is not a date: February 2026 has 28 days"),
        ("someday", "due: expected a date such as today, fri, +3d, 2w, 2026-12-01; got 'someday'"),
        ("", "due: expected a date, got nothing"),
        ("13/45", "due: 13/45 is not a date: there is no month 13"),
        ("+9999y", "due: +9999y is too far away"),
    ],
)
def test_impossible_or_unknown_dates_are_refused_with_the_field(typed: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_date(typed, MONDAY, field="due")
    assert str(caught.value) == message


def test_date_times_combine_a_day_and_a_time() -> None:
    now = datetime(2026, 11, 23, 9, 0)
    assert parse_datetime("next tue 14:00", now) == datetime(2026, 11, 24, 14, 0)
    assert parse_datetime("tomorrow 9am", now) == datetime(2026, 11, 24, 9, 0)
    assert parse_datetime("2026-12-01T10:30", now) == datetime(2026, 12, 1, 10, 30)
    assert parse_datetime("2pm", now) == datetime(2026, 11, 23, 14, 0)
    assert parse_datetime("fri", now, default_time=time(10)) == datetime(2026, 11, 27, 10, 0)
    with pytest.raises(ValidationError, match="start: expected a time too"):
        parse_datetime("fri", now)
    with pytest.raises(ValidationError, match="25:00 is not a time of day"):
        parse_datetime("fri 25:00", now)


@pytest.mark.parametrize(
    ("typed", "minutes"), [("60m", 60), ("1h", 60), ("1h30m", 90), ("90", 90), ("1:30", 90)]
)
def test_durations(typed: str, minutes: int) -> None:
    assert parse_duration(typed) == timedelta(minutes=minutes)


def test_what_was_understood_is_described() -> None:
    assert describe_date(date(2026, 11, 27), MONDAY) == "Fri 27 Nov 2026 (in 4 days)"
    assert describe_date(SUNDAY, MONDAY) == "Sun 22 Nov 2026 (yesterday)"


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)))
def test_iso_dates_round_trip(day: date) -> None:
    assert parse_date(day.isoformat(), MONDAY) == day


@given(st.integers(min_value=0, max_value=3000))
def test_plus_days_is_that_many_days_later(days: int) -> None:
    assert parse_date(f"+{days}d", MONDAY) == MONDAY + timedelta(days=days)


@given(st.text(max_size=30))
def test_any_text_parses_or_is_a_validation_error(typed: str) -> None:
    outcome: object
    try:
        outcome = parse_date(typed, MONDAY)
    except ValidationError as error:
        outcome = str(error)
    assert isinstance(outcome, date) or str(outcome).startswith("date: ")


@pytest.mark.parametrize("name", ["America", "Not/A_Zone", "../etc"])
def test_a_name_that_is_not_a_zone_is_a_clear_error(name: str) -> None:
    from docket.models.core.clock import zone

    with pytest.raises(ValidationError, match="timezone: expected an IANA zone"):
        zone(name)
