"""Cadences counted by date arithmetic (models/comms/cadence.py) against dateutil.

A plan item's next due day of a monthly cadence (a day of the month, or the nth weekday,
every so many months) and of a daily or weekly one (weekdays, an interval, UNTIL or COUNT)
is worked out without dateutil; for random rules, first days and last sendings it must be
the day dateutil's walk of the same rule gives.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple

from dateutil.rrule import rrulestr
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rule_strategies import DAYS, daily_or_weekly

from docket.models.comms import cadence as cadence_module


class Item(NamedTuple):
    """What next_due reads of a plan item."""

    active: bool
    cadence: str
    starts: date


@st.composite
def monthly_rules(draw: st.DrawFn) -> str:
    parts = ["FREQ=MONTHLY"]
    interval = draw(st.integers(1, 13))
    if interval > 1 or draw(st.booleans()):
        parts.append(f"INTERVAL={interval}")
    on = draw(st.sampled_from(["", "monthday", "nth"]))
    if on == "monthday":
        day = draw(st.integers(1, 31)) * draw(st.sampled_from([1, -1]))
        parts.append(f"BYMONTHDAY={day}")
    elif on == "nth":
        nth = draw(st.integers(1, 5)) * draw(st.sampled_from([1, -1]))
        parts.append(f"BYDAY={nth}{draw(st.sampled_from(DAYS))}")
    order = draw(st.permutations(parts[1:]))
    return ";".join([parts[0], *order])


def _dateutil_due(cadence: str, starts: date, last_sent: datetime | None) -> date | None:
    start = datetime.combine(starts, time(0), UTC)
    after = start
    if last_sent is not None:
        after = max(after, datetime.combine(last_sent.date() + timedelta(days=1), time(0), UTC))
    found = rrulestr(cadence, dtstart=start).after(after, inc=True)
    return found.date() if found is not None else None


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    monthly_rules(),
    st.dates(date(1999, 1, 1), date(2040, 12, 31)),
    st.one_of(st.none(), st.integers(-60, 2500)),
)
def test_a_monthly_cadence_is_due_when_dateutil_says(
    cadence: str, starts: date, sent_after: int | None
) -> None:
    assert cadence_module._monthly(cadence) is not None
    last_sent = None
    if sent_after is not None:
        last_sent = datetime.combine(starts + timedelta(days=sent_after), time(15), UTC)
    item = Item(True, cadence, starts)
    assert cadence_module.next_due(item, last_sent) == _dateutil_due(cadence, starts, last_sent)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    daily_or_weekly(since=2000, years=42, week_start=False),
    st.dates(date(1999, 1, 1), date(2040, 12, 31)),
    st.one_of(st.none(), st.integers(-60, 2500)),
)
def test_a_daily_or_weekly_cadence_is_due_when_dateutil_says(
    cadence: str, starts: date, sent_after: int | None
) -> None:
    last_sent = None
    if sent_after is not None:
        last_sent = datetime.combine(starts + timedelta(days=sent_after), time(15), UTC)
    item = Item(True, cadence, starts)
    assert cadence_module.next_due(item, last_sent) == _dateutil_due(cadence, starts, last_sent)


def test_a_day_few_months_have_is_found_or_left_to_dateutil() -> None:
    # the 31st every 12 months from February never comes: dateutil answers (None)
    assert (
        cadence_module._monthly_on_or_after(
            cadence_module._Monthly(12, 31, 0, None), date(2026, 2, 1), date(2026, 2, 1)
        )
        is None
    )
    # the 31st every 2 months from February: August
    item = Item(True, "FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=31", date(2026, 2, 1))
    assert cadence_module.next_due(item, None) == date(2026, 8, 31)
    # the fifth Monday: the first month that has one
    item = Item(True, "FREQ=MONTHLY;BYDAY=5MO", date(2026, 1, 1))
    assert cadence_module.next_due(item, None) == date(2026, 3, 30)


def test_other_rules_are_left_to_dateutil() -> None:
    for cadence in (
        "FREQ=MONTHLY;BYDAY=MO",
        "FREQ=MONTHLY;BYMONTHDAY=1,15",
        "FREQ=MONTHLY;BYDAY=1MO;BYMONTHDAY=1",
        "FREQ=MONTHLY;COUNT=3",
        "FREQ=MONTHLY;UNTIL=20270101T000000Z",
        "FREQ=MONTHLY;BYSETPOS=1;BYDAY=MO,TU",
        "FREQ=YEARLY",
        "FREQ=WEEKLY;BYDAY=MO",
    ):
        assert cadence_module._monthly(cadence) is None
