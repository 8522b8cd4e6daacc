"""Repeat rules: words and RFC 5545 in, one canonical RRULE out; expansion keeps the wall
clock across daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from docket.models.core.errors import ValidationError
from docket.models.meetings.recurrence import (
    describe,
    expand,
    first_start,
    last_start,
    occurrences_from,
    offset_changes,
    parse_repeat,
)

NY = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")
# a Tuesday
START = datetime(2026, 10, 6, 9, 0, tzinfo=NY)


@pytest.mark.parametrize(
    ("typed", "rule"),
    [
        ("weekly", "FREQ=WEEKLY"),
        ("Weekly on tue,thu", "FREQ=WEEKLY;BYDAY=TU,TH"),
        ("weekly on thu and tue", "FREQ=WEEKLY;BYDAY=TU,TH"),
        ("weekly on mon, wed and fri", "FREQ=WEEKLY;BYDAY=MO,WE,FR"),
        ("every 2 weeks", "FREQ=WEEKLY;INTERVAL=2"),
        ("every other week on tue", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"),
        ("biweekly", "FREQ=WEEKLY;INTERVAL=2"),
        ("daily", "FREQ=DAILY"),
        ("every 3 days", "FREQ=DAILY;INTERVAL=3"),
        ("weekdays", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
        ("every weekday", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
        ("monthly on the 2nd wed", "FREQ=MONTHLY;BYDAY=2WE"),
        ("monthly on the last fri", "FREQ=MONTHLY;BYDAY=-1FR"),
        ("monthly on day 15", "FREQ=MONTHLY;BYMONTHDAY=15"),
        ("monthly on the 1st", "FREQ=MONTHLY;BYMONTHDAY=1"),
        ("quarterly", "FREQ=MONTHLY;INTERVAL=3"),
        ("yearly", "FREQ=YEARLY"),
        ("weekly for 12 times", "FREQ=WEEKLY;COUNT=12"),
        ("weekly 12 times", "FREQ=WEEKLY;COUNT=12"),
        # the end of 30 June in New York (EDT, -4) is 03:59:59 UTC on 1 July
        ("weekly on tue,thu until 2027-06-30", "FREQ=WEEKLY;BYDAY=TU,TH;UNTIL=20270701T035959Z"),
        ("FREQ=WEEKLY;BYDAY=TU;COUNT=12", "FREQ=WEEKLY;BYDAY=TU;COUNT=12"),
        ("RRULE:FREQ=WEEKLY;BYDAY=TU", "FREQ=WEEKLY;BYDAY=TU"),
        ("freq=weekly;byday=tu", "FREQ=WEEKLY;BYDAY=TU"),
        ("BYDAY=TU;FREQ=WEEKLY", "FREQ=WEEKLY;BYDAY=TU"),
        # UNTIL as a date or a local time becomes UTC, as RFC 5545 wants with a TZID start
        ("FREQ=WEEKLY;UNTIL=20261231", "FREQ=WEEKLY;UNTIL=20270101T045959Z"),
        ("FREQ=WEEKLY;UNTIL=20261231T090000", "FREQ=WEEKLY;UNTIL=20261231T140000Z"),
        ("FREQ=WEEKLY;UNTIL=20261231T140000Z", "FREQ=WEEKLY;UNTIL=20261231T140000Z"),
    ],
)
def test_rules_typed_in_words_or_rfc_5545_become_one_canonical_rrule(typed: str, rule: str) -> None:
    assert parse_repeat(typed, START) == rule


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "expected a rule such as"),
        ("sometimes", "'sometimes' is not a rule"),
        ("weekly on funday", "'funday' is not a weekday"),
        ("monthly on the 9th wed", "expected e.g. 'on the 2nd wed'"),
        ("weekly on the 2nd wed", "needs a monthly or yearly rule"),
        ("monthly on day 32", "expected a day of the month"),
        ("weekly until someday", "repeat (until)"),
        ("weekly until 2026-01-01", "no occurrence on or after the start"),
        ("FREQ=HOURLY", "FREQ must be one of DAILY, WEEKLY, MONTHLY, YEARLY"),
        ("FREQ=WEEKLY;COUNT=2;UNTIL=20270101", "not both"),
        ("FREQ=WEEKLY;BYDAY", "is not NAME=VALUE"),
        ("FREQ=WEEKLY;BYDAY=XX", "is not a valid RFC 5545 rule"),
        ("FREQ=WEEKLY;UNTIL=tomorrow", "UNTIL=TOMORROW is not a date"),
        ("weekly 0 times", "at least 1"),
    ],
)
def test_a_bad_rule_is_refused_naming_the_field_and_what_was_expected(
    typed: str, message: str
) -> None:
    with pytest.raises(ValidationError, match="repeat") as caught:
        parse_repeat(typed, START)
    assert message in str(caught.value)


def test_a_weekly_series_keeps_its_wall_clock_across_the_end_of_daylight_saving() -> None:
    rule = parse_repeat("weekly on tue", START)
    starts = expand(rule, START, START, START + timedelta(weeks=6))
    assert [s.strftime("%m-%d %H:%M") for s in starts] == [
        "10-06 09:00", "10-13 09:00", "10-20 09:00", "10-27 09:00", "11-03 09:00", "11-10 09:00",
    ]  # fmt: skip
    # New York leaves daylight saving on 1 November 2026: 13:00 UTC before, 14:00 after
    assert [s.astimezone(UTC).hour for s in starts] == [13, 13, 13, 13, 14, 14]
    # Berlin changed a week earlier (25 October): seen from there the meeting moves twice
    assert offset_changes(starts, BERLIN) == [starts[3]]
    assert offset_changes(starts, NY) == [starts[4]]
    assert offset_changes(starts, UTC) == []


def test_a_start_in_the_spring_gap_falls_after_it() -> None:
    # 02:30 does not exist in New York on 8 March 2026; RFC 5545 reads it with the offset
    # before the gap, which is 03:30 EDT
    start = datetime(2026, 3, 1, 2, 30, tzinfo=NY)
    starts = expand("FREQ=WEEKLY", start, start, start + timedelta(weeks=2))
    assert [s.astimezone(UTC).strftime("%d %H:%M") for s in starts] == ["01 07:30", "08 07:30"]


def test_the_window_is_half_open_and_a_single_meeting_is_its_start() -> None:
    rule = "FREQ=DAILY"
    starts = expand(rule, START, START, START + timedelta(days=3))
    assert len(starts) == 3 and starts[0] == START
    assert expand("", START, START, START + timedelta(hours=1)) == [START]
    assert expand("", START, START + timedelta(minutes=1), START + timedelta(hours=1)) == []
    more = expand(rule, START, START, START + timedelta(days=30), limit=4)
    assert more == [*starts, START + timedelta(days=3)]


@pytest.mark.parametrize(
    "rule",
    ["FREQ=WEEKLY;BYDAY=TU,TH", "FREQ=WEEKLY;INTERVAL=2", "FREQ=DAILY;INTERVAL=3", "FREQ=DAILY"],
)
def test_a_long_running_series_gives_the_same_occurrences_however_far_ahead(rule: str) -> None:
    # expansion skips ahead for daily and weekly rules; it must agree with walking from the
    # first start, across several daylight-saving changes
    far = START + timedelta(days=800)
    window = (far, far + timedelta(days=40))
    walked = [s for s in _walk(rule, START, window[1]) if s >= window[0]]
    assert expand(rule, START, *window) == walked
    assert walked and all(s.hour == 9 for s in walked)
    assert next(occurrences_from(rule, START, far)) == walked[0]


@pytest.mark.parametrize(
    "rule",
    ["FREQ=WEEKLY;BYDAY=TU,TH", "FREQ=WEEKLY", "FREQ=DAILY;BYDAY=MO,WE", "FREQ=WEEKLY;BYDAY=FR"],
)
def test_a_day_long_window_finds_what_walking_the_rule_finds(rule: str) -> None:
    # a short window skips rules whose weekdays it does not hold, in the series' own zone:
    # windows in UTC every 5 hours across three weeks must agree with walking the rule
    walked = _walk(rule, START, START + timedelta(weeks=4))
    for step in range(0, 21 * 24, 5):
        first = START.astimezone(UTC) + timedelta(hours=step)
        window = (first, first + timedelta(days=1))
        inside = [s for s in walked if window[0] <= s < window[1]]
        assert expand(rule, START, *window) == inside, (rule, window)


def _walk(rule: str, start: datetime, end: datetime) -> list[datetime]:
    from dateutil.rrule import rrulestr

    found = []
    for moment in rrulestr(rule, dtstart=start):
        if moment >= end:
            break
        found.append(moment)
    return found


def test_first_and_last_starts() -> None:
    monday = datetime(2026, 10, 5, 9, 0, tzinfo=NY)
    assert first_start("FREQ=WEEKLY;BYDAY=TU", monday) == START
    assert last_start("FREQ=WEEKLY;COUNT=3", START) == START + timedelta(weeks=2)
    assert last_start("FREQ=WEEKLY", START) is None
    until = parse_repeat("weekly until 2026-10-20", START)
    assert last_start(until, START) == datetime(2026, 10, 20, 9, 0, tzinfo=NY)
    assert last_start("", START) == START


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ("", "once"),
        ("FREQ=WEEKLY;BYDAY=TU,TH", "every week on Tue and Thu"),
        ("FREQ=WEEKLY;INTERVAL=2", "every 2 weeks"),
        ("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "every weekday"),
        ("FREQ=MONTHLY;BYDAY=2WE", "every month on the 2nd Wed"),
        ("FREQ=MONTHLY;BYDAY=-1FR", "every month on the last Fri"),
        ("FREQ=MONTHLY;BYMONTHDAY=15", "every month on day 15"),
        ("FREQ=WEEKLY;COUNT=12", "every week, 12 times"),
        ("FREQ=WEEKLY;UNTIL=20270630T235959Z", "every week, until Wed 30 Jun 2027"),
    ],
)
def test_rules_read_back_in_words(rule: str, words: str) -> None:
    assert describe(rule) == words
