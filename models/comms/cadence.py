"""A communication's cadence: a repeat rule (RFC 5545 or words, as meetings take them)
counted from the item's ``starts`` day, or one date for a one-off; and its next due day.

The next due day is counted by date arithmetic: daily and weekly cadences by the rule walk
(:mod:`docket.models.meetings.rule_walk`), monthly ones here (a day of the month or the nth
weekday, every few months), anything else through dateutil. Digests and Today count the due
day of hundreds of items; dateutil took most of their time.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import NamedTuple, Protocol

from docket.models.core.context import Context
from docket.models.core.dates import parse_date
from docket.models.core.errors import ValidationError
from docket.models.core.schema import CommsItem
from docket.models.meetings.recurrence import describe, occurrences_from, parse_repeat
from docket.models.meetings.rule_walk import SimpleRule, rule_parts, simple_rule, walk_dates


def is_date(cadence: str) -> bool:
    try:
        date.fromisoformat(cadence)
    except ValueError:
        return False
    return True


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), UTC)


def cadence_of(ctx: Context, typed: str, starts: date) -> str:
    """A cadence as stored: one ISO date for a one-off (any date form typed), else the
    canonical RRULE of the rule typed."""
    words = (typed or "").strip()
    if not words:
        raise ValidationError("cadence", "expected a rule (weekly on fri, monthly) or a date")
    try:
        return parse_repeat(words, _midnight(starts))
    except ValidationError as rule_error:
        try:
            return parse_date(
                words, ctx.today(), field="cadence", day_first=ctx.day_first
            ).isoformat()
        except ValidationError:
            raise rule_error from None


def cadence_words(cadence: str) -> str:
    """A cadence as a person says it: ``every week on Fri``, ``once, on Fri 04 Dec 2026``."""
    if is_date(cadence):
        return f"once, on {date.fromisoformat(cadence):%a %d %b %Y}"
    return describe(cadence)


class Cadenced(Protocol):
    """What :func:`next_due` reads of an item (a plan item, or a row of one)."""

    @property
    def active(self) -> bool: ...
    @property
    def cadence(self) -> str: ...
    @property
    def starts(self) -> date: ...


def next_due(item: Cadenced | CommsItem, last_sent: datetime | None) -> date | None:
    """The next day the item is due: the cadence's first day after it was last sent (from
    its ``starts`` day when never sent); None for an inactive item or a one-off sent."""
    if not item.active:
        return None
    if is_date(item.cadence):
        return None if last_sent is not None else date.fromisoformat(item.cadence)
    day = item.starts if last_sent is None else max(item.starts, last_sent.date() + _ONE_DAY)
    simple = simple_rule(item.cadence)
    if simple is not None:
        return _simple_on_or_after(simple, item.starts, day)
    monthly = _monthly(item.cadence)
    if monthly is not None:
        found_day = _monthly_on_or_after(monthly, item.starts, day)
        if found_day is not None:
            return found_day
    start = _midnight(item.starts)
    found = next(iter(occurrences_from(item.cadence, start, _midnight(day))), None)
    return found.date() if found is not None else None


_ONE_DAY = timedelta(days=1)


def _simple_on_or_after(rule: SimpleRule, starts: date, day: date) -> date | None:
    """The first day of a daily or weekly cadence from ``starts`` that is on or after
    ``day``, within its COUNT and UNTIL: the dates of the rule's walk
    (:mod:`docket.models.meetings.rule_walk`) without a start time each, as a cadence's
    starts are midnights in UTC."""
    for number, found in walk_dates(rule, starts, day):
        if rule.total is not None and number >= rule.total:
            return None
        if rule.until is not None and datetime.combine(found, time(0), UTC) > rule.until:
            return None
        return found
    return None


_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# the day-of-month and nth-weekday parts of a monthly cadence, as parse_repeat writes them
# (compiled, and cached by re, on first use: most commands read no cadence)
_MONTHDAY = r"-?(?:[1-9]|[12]\d|3[01])"
_NTH_WEEKDAY = r"(-?[1-5])(MO|TU|WE|TH|FR|SA|SU)"
# months walked before leaving a rule to dateutil (a day that few months have, such as 31
# every 12 months from February, may never come)
_MONTHS_WALKED = 240


class _Monthly(NamedTuple):
    """A monthly cadence as numbers: every ``interval`` months from its start's month, on
    day ``monthday`` (negative: from the month's end; None: the start's day) or on the
    ``nth`` ``weekday`` (Monday 0; nth negative: from the month's end)."""

    interval: int
    monthday: int | None
    nth: int
    weekday: int | None


@lru_cache(maxsize=1024)
def _monthly(cadence: str) -> _Monthly | None:
    """``cadence`` as a :class:`_Monthly` when it is FREQ=MONTHLY with at most an INTERVAL
    and one BYMONTHDAY or one nth BYDAY; None for any other rule (dateutil walks it)."""
    parts = rule_parts(cadence)
    if parts is None or parts.pop("FREQ", None) != "MONTHLY":
        return None
    interval = parts.pop("INTERVAL", "1")
    if not (interval.isdecimal() and interval.isascii()) or int(interval) < 1:
        return None
    monthday: int | None = None
    nth, weekday = 0, None
    if "BYMONTHDAY" in parts:
        value = parts.pop("BYMONTHDAY")
        if not re.fullmatch(_MONTHDAY, value):
            return None
        monthday = int(value)
    if "BYDAY" in parts:
        matched = re.fullmatch(_NTH_WEEKDAY, parts.pop("BYDAY"))
        if matched is None or monthday is not None:
            return None
        nth, weekday = int(matched[1]), _WEEKDAYS.index(matched[2])
    if parts:
        return None
    return _Monthly(int(interval), monthday, nth, weekday)


def _month_length(year: int, month: int) -> int:
    """How many days the month has."""
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return (following - _ONE_DAY).day


def _monthly_on_or_after(rule: _Monthly, starts: date, day: date) -> date | None:
    """The first day of a monthly cadence from ``starts`` that is on or after ``day`` (and
    ``starts``), by date arithmetic, as dateutil's walk gives it; None when none comes
    within :data:`_MONTHS_WALKED` months (the caller then asks dateutil)."""
    first = starts.year * 12 + starts.month - 1
    wanted = max(day, starts)
    month = first + max(0, (wanted.year * 12 + wanted.month - 1 - first) // rule.interval) * (
        rule.interval
    )
    for _ in range(_MONTHS_WALKED):
        year, index = divmod(month, 12)
        if year > 9998:
            return None
        length = _month_length(year, index + 1)
        if rule.weekday is None:
            wanted_day = starts.day if rule.monthday is None else rule.monthday
            if wanted_day < 0:
                wanted_day += length + 1
        elif rule.nth > 0:
            opening = date(year, index + 1, 1).weekday()
            wanted_day = 1 + (rule.weekday - opening) % 7 + 7 * (rule.nth - 1)
        else:
            closing = date(year, index + 1, length).weekday()
            wanted_day = length - (closing - rule.weekday) % 7 + 7 * (rule.nth + 1)
        if 1 <= wanted_day <= length:
            found = date(year, index + 1, wanted_day)
            if found >= wanted:
                return found
        month += rule.interval
    return None
