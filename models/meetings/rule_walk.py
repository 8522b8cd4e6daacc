"""The fast path of repeat rules: daily and weekly rules walked by date arithmetic.

Almost every series is ``FREQ=WEEKLY`` or ``FREQ=DAILY`` with an INTERVAL, weekdays, and an
UNTIL or a COUNT. dateutil reads such a rule's UNTIL with its general date parser and walks
the rule day by day from the series' first start; an agenda of hundreds of series spent most
of its time there. Here such a rule's dates are counted instead (a week of the rule holds
its weekdays; an occurrence's number follows from the weeks before it), and each date's
start is the series' wall-clock time on that day, compared exactly as dateutil compares it.
Every other rule (monthly, yearly, BYSETPOS, WKST other than Monday, ...) is left to dateutil:
:func:`simple_rule` answers None for it. tests/test_rule_walk.py holds the two equal.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import NamedTuple

_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_UNTIL_UTC = re.compile(r"\d{8}T\d{6}Z")
_ONE_DAY = timedelta(days=1)


class SimpleRule(NamedTuple):
    """A daily or weekly rule as numbers (a named tuple: a tenth of a dataclass's cost to
    define, which every command that lists meetings pays at start-up)."""

    weekly: bool
    interval: int
    # the weekdays it names (Monday 0), in week order; None: not named
    days: tuple[int, ...] | None
    until: datetime | None  # aware, UTC
    total: int | None  # COUNT: how many occurrences in all (None: not limited so)


def utc_stamp(value: str) -> datetime:
    """``20270630T235959Z`` (eight digits, T, six digits, Z: checked by the caller) as an
    aware UTC datetime; ValueError for a date or time that does not exist, as strptime
    gives. Read by slicing: strptime's first use compiles its patterns (an agenda's cost)."""
    return datetime(
        int(value[0:4]),
        int(value[4:6]),
        int(value[6:8]),
        int(value[9:11]),
        int(value[11:13]),
        int(value[13:15]),
        tzinfo=UTC,
    )


def rule_parts(rule: str) -> dict[str, str] | None:
    """An RRULE's parts by name (``FREQ`` to ``WEEKLY``, say); None when a part has no
    value or comes twice."""
    parts: dict[str, str] = {}
    for piece in rule.split(";"):
        name, eq, value = piece.partition("=")
        if not eq or name in parts:
            return None
        parts[name] = value
    return parts


@lru_cache(maxsize=4096)
def simple_rule(rule: str) -> SimpleRule | None:
    """``rule`` as a :class:`SimpleRule`, or None when it says anything this path does not
    walk exactly as dateutil does (then dateutil walks it)."""
    parts = rule_parts(rule)
    if parts is None:
        return None
    freq = parts.pop("FREQ", None)
    if freq not in ("DAILY", "WEEKLY"):
        return None
    interval_text = parts.pop("INTERVAL", "1")
    if not (interval_text.isdecimal() and interval_text.isascii()) or int(interval_text) < 1:
        return None
    if parts.pop("WKST", "MO") != "MO":
        return None
    days: tuple[int, ...] | None = None
    if "BYDAY" in parts:
        named = parts.pop("BYDAY").split(",")
        if not named or any(day not in _DAYS for day in named):
            return None
        days = tuple(sorted({_DAYS.index(day) for day in named}))
    until: datetime | None = None
    if "UNTIL" in parts:
        value = parts.pop("UNTIL")
        if not _UNTIL_UTC.fullmatch(value):
            return None
        try:
            until = utc_stamp(value)
        except ValueError:
            return None
    count: int | None = None
    if "COUNT" in parts:
        value = parts.pop("COUNT")
        if not (value.isdecimal() and value.isascii()) or int(value) < 1:
            return None
        count = int(value)
    if parts or (until is not None and count is not None):
        return None
    return SimpleRule(freq == "WEEKLY", int(interval_text), days, until, count)


def _weekdays(rule: SimpleRule, first: date) -> tuple[int, ...]:
    """The weekdays the rule's dates fall on: those it names, else (weekly) the first
    start's, else (daily) all."""
    if rule.days is not None:
        return rule.days
    return (first.weekday(),) if rule.weekly else tuple(range(7))


def _hits(rule: SimpleRule, first: date) -> tuple[bool, ...]:
    """For a daily rule: whether each of seven consecutive steps from the first date falls
    on one of its weekdays (the pattern repeats every seven steps)."""
    days = _weekdays(rule, first)
    return tuple((first.weekday() + step * rule.interval) % 7 in days for step in range(7))


def dates_before(rule: SimpleRule, first: date, day: date) -> int:
    """How many of the rule's dates (the series starting on ``first``) are before ``day``."""
    if day <= first:
        return 0
    if not rule.weekly:
        steps = -(-(day - first).days // rule.interval)  # steps j >= 0 with a date before day
        hits = _hits(rule, first)
        return (steps // 7) * sum(hits) + sum(hits[: steps % 7])
    days = _weekdays(rule, first)
    monday = first - timedelta(days=first.weekday())
    week = (day - monday).days // 7
    in_first = sum(1 for d in days if d >= first.weekday())
    if week == 0:
        return sum(1 for d in days if first.weekday() <= d < day.weekday())
    active_before = -(-week // rule.interval)  # active weeks 0, I, 2I, ... before this one
    found = in_first + (active_before - 1) * len(days)
    if week % rule.interval == 0:
        found += sum(1 for d in days if d < day.weekday())
    return found


def walk_dates(rule: SimpleRule, first: date, day: date) -> Iterator[tuple[int, date]]:
    """The rule's dates on or after ``day`` (and the first date), in order, each with its
    number in the series (0 for the first)."""
    day = max(day, first)
    number = dates_before(rule, first, day)
    try:
        if rule.weekly:
            days = _weekdays(rule, first)
            monday = first - timedelta(days=first.weekday())
            week = (day - monday).days // 7
            week -= week % rule.interval
            while True:
                base = monday + timedelta(weeks=week)
                for weekday in days:
                    found = base + timedelta(days=weekday)
                    if found >= day:
                        yield number, found
                        number += 1
                week += rule.interval
        else:
            hits = _hits(rule, first)
            if not any(hits):  # a step that never meets one of its weekdays: no date
                return
            step = -(-(day - first).days // rule.interval)
            while True:
                if hits[step % 7]:
                    yield number, first + timedelta(days=step * rule.interval)
                    number += 1
                step += 1
    except OverflowError:  # past the year 9999, where dateutil stops too
        return


def _clock(start: datetime) -> time:
    """The time of day of every start, as dateutil takes it (no microseconds, no fold)."""
    return time(start.hour, start.minute, start.second)


def walls_from(rule: SimpleRule, start: datetime, after: datetime) -> Iterator[datetime]:
    """The rule's starts (wall clock in ``start``'s zone, as dateutil gives them) that are
    on or after ``after``, compared as dateutil compares them (the same zone: by wall
    clock; another: by instant), until its UNTIL or COUNT."""
    zone, clock = start.tzinfo, _clock(start)
    # three days before the window's day there: no zone's offset moves a time further
    there = after.astimezone(zone) if after.tzinfo is not None and zone is not None else after
    from_day = there.date() - 3 * _ONE_DAY
    reached = False
    for number, day in walk_dates(rule, start.date(), from_day):
        if rule.total is not None and number >= rule.total:
            return
        wall = datetime.combine(day, clock, zone)
        if rule.until is not None and wall > rule.until:
            return
        # the same time on a later day is later (no offset moves by a day): once one
        # start is on or after ``after``, every later one is
        if reached or wall >= after:
            reached = True
            yield wall


def last_wall(rule: SimpleRule, start: datetime) -> datetime | None:
    """The rule's last start (wall clock); None when it has no end (or no start)."""
    zone, first, clock = start.tzinfo, start.date(), _clock(start)
    if not rule.weekly and not any(_hits(rule, first)):
        return None
    if rule.total is not None:
        # the first day before which all COUNT dates fall, found by halving
        low, high = first, first + timedelta(weeks=rule.total * rule.interval + 1)
        while (high - low).days > 1:
            middle = low + timedelta(days=(high - low).days // 2)
            if dates_before(rule, first, middle) >= rule.total:
                high = middle
            else:
                low = middle
        return datetime.combine(low, clock, zone)
    if rule.until is None:
        return None
    # the last date on or before UNTIL lies within one period of the rule (plus a week)
    near = rule.until.astimezone(zone).date() if zone is not None else rule.until.date()
    last: datetime | None = None
    span = timedelta(weeks=rule.interval + 1, days=2)
    for _, day in walk_dates(rule, first, near - span):
        wall = datetime.combine(day, clock, zone)
        if wall > rule.until:
            break
        last = wall
    return last
