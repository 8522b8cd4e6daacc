"""VTIMEZONE components that every calendar client reads the same way, for ever.

A client that does not know a zone's name (or is told not to trust it) places an event only
through the VTIMEZONE sent with it. Clients read those differently: ical.js and dateutil
follow every RRULE and RDATE; Outlook (MS-OXCICAL 2.1.3.1.1.19) keeps only the STANDARD and
the DAYLIGHT with the latest DTSTART and applies their DTSTART time and yearly RRULE to every
year, ignoring RDATE. So a zone is written as:

- its current rule, read from zoneinfo: when the zone changes its clocks on the same
  weekday of the same month every year, a STANDARD and a DAYLIGHT whose DTSTART is the first
  change under that rule and whose RRULE (FREQ=YEARLY, BYMONTH, BYDAY) has no end, so every
  client is right after any number of years; when it no longer changes them, one STANDARD;
- before that, only when the calendar's span reaches back into an earlier rule, one
  observance per change, its DTSTART alone: ical.js reads only the first date of an RDATE
  line (and not the DTSTART beside it), so RDATE is never written. They start earlier
  than the current ones, so a reader that keeps the latest DTSTART keeps the current rule.
  In a zone that has stopped changing its clocks they are all written as STANDARD, or such
  a reader would apply the old daylight time to every year.

DTSTART and RDATE are local times in the offset before the change (RFC 5545 3.6.5: New York
springs forward at 02:00, not 03:00). DAYLIGHT is the observance with the larger offset, as
clients read it: Europe/Dublin's summer (IST, +01:00) is DAYLIGHT though tzdata says its
winter is the negative saving. They are written directly (exports/calendar/ical_order.py), as
icalendar writes them.
"""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import NamedTuple
from zoneinfo import ZoneInfo

from docket.exports.calendar.ical_order import observance, rrule_text, vtimezone_text

# zoneinfo is read from this year (or the calendar's first year, when earlier) to LAST_YEAR;
# zoneinfo's own rule for the years after its last listed change gives the far years
FIRST_YEAR = 1970
LAST_YEAR = 2100
# how far apart zoneinfo is probed: changes closer together than this are not seen
_STEP = 7 * 86400
# the years at the end that show whether the zone still changes its clocks every year
_TAIL_YEARS = 12
_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_SECOND = timedelta(seconds=1)
_HOUR = 3600


class Change(NamedTuple):
    """One change of a zone's clocks (or of its abbreviation)."""

    at: datetime  # the instant, UTC
    before: timedelta  # UTC offset before it
    after: timedelta  # UTC offset after it
    name: str  # the abbreviation after it
    saving: timedelta  # zoneinfo's dst() after it (negative in Europe/Dublin's winter)

    @property
    def wall(self) -> datetime:
        """The local time it happens at, on the clock before it (naive)."""
        return (self.at + self.before).replace(tzinfo=None)

    @property
    def kind(self) -> tuple[timedelta, timedelta, str]:
        return (self.before, self.after, self.name)


class Yearly(NamedTuple):
    """A change that happens every year: the RRULE parts and the first one under the rule."""

    first: Change
    parts: tuple[tuple[str, str], ...]
    # added to each change's local time: a change at 24:00 (Africa/Cairo's last Thursday of
    # October) is written at 23:59:59 on the day it belongs to, so BYDAY can name that day
    shift: timedelta


class ZoneRules(NamedTuple):
    """What zoneinfo says about a zone from a year on. (This module's records are named
    tuples: a dataclass costs a millisecond to define, at every command's start.)"""

    changes: tuple[Change, ...]
    # the offset and abbreviation in force before the first listed change
    initial: tuple[timedelta, str]
    # index in changes of the first change under the current rule; for a zone that no
    # longer changes its clocks, of its last change (0 when there is none)
    since: int
    # the two yearly changes of the current rule; empty when the clocks no longer change
    yearly: tuple[Yearly, ...]

    @property
    def fixed(self) -> bool:
        return not self.yearly

    @property
    def current_since(self) -> datetime | None:
        """The instant from which the current rule holds (None: all the years read)."""
        return self.changes[self.since].at if self.since < len(self.changes) else None


def _state(zone: ZoneInfo, stamp: int) -> tuple[timedelta, str]:
    local = datetime.fromtimestamp(stamp, zone)
    return (local.utcoffset() or timedelta(0), local.tzname() or "")


def _utc_clock(zone: ZoneInfo, stamp: int) -> datetime:
    """The UTC clock at ``stamp`` labelled with ``zone``: what ``zone.fromutc`` takes. A
    zone is probed thousands of times, and ``fromutc`` of such a clock moved by a timedelta
    is ``datetime.fromtimestamp`` at half its cost."""
    return datetime.fromtimestamp(stamp, UTC).replace(tzinfo=zone)


def _first_other(zone: ZoneInfo, name: str, stamp: int, end: int) -> int | None:
    """The first probe after ``stamp`` (every _STEP seconds, up to the first at or after
    ``end``) whose state is not the one at ``stamp`` (whose abbreviation is ``name``); None
    when there is none. The offset is compared without asking for it: two local times of
    one zone subtract as wall clocks, and probes a week apart are a week apart on the wall
    clock exactly when the offset is the same."""
    fromutc, week = zone.fromutc, timedelta(seconds=_STEP)
    clock = _utc_clock(zone, stamp)
    previous = fromutc(clock)
    probe = stamp
    while probe < end:
        probe += _STEP
        clock += week
        local = fromutc(clock)
        if local - previous != week or (local.tzname() or "") != name:
            return probe
        previous = local
    return None


def _change_second(zone: ZoneInfo, name: str, low: int, high: int) -> int:
    """Halving between ``low`` (in the state whose abbreviation is ``name``) and ``high``
    (not): the second of the change (the offset compared as in :func:`_first_other`).
    Halved by the hour first: most changes happen on one (counted from ``low``, itself a
    whole hour after a change on one), and then the second before it settles it. With one
    change between ``low`` and ``high`` (what probing a week apart assumes) that is the
    second halving by seconds finds; the two agree for every zone of tzdata (checked when
    this was written, from 1900 and from 1970)."""
    fromutc = zone.fromutc
    clock = _utc_clock(zone, low)
    anchor = fromutc(clock)

    def same(seconds: int) -> bool:
        """Whether the state ``seconds`` after ``low`` is the one at ``low``."""
        moved = timedelta(seconds=seconds)
        local = fromutc(clock + moved)
        return local - anchor == moved and (local.tzname() or "") == name

    # seconds after ``low``: the state is the one at ``low`` at ``before``, not at ``after``
    before, after = 0, high - low
    hours_before, hours_after = 0, -(-after // _HOUR)
    while hours_after - hours_before > 1:
        middle = (hours_before + hours_after) // 2
        if same(middle * _HOUR):
            hours_before = middle
        else:
            hours_after = middle
    before, after = hours_before * _HOUR, min(hours_after * _HOUR, after)
    if after - before > 1:  # the second before the hour found: on the hour, or within it
        if same(after - 1):
            before = after - 1
        else:
            after -= 1
    while after - before > 1:
        middle = (before + after) // 2
        if same(middle):
            before = middle
        else:
            after = middle
    return low + after


@lru_cache(maxsize=128)
def zone_changes(name: str, first_year: int = FIRST_YEAR) -> tuple[Change, ...]:
    """Every change of ``name``'s offset or abbreviation from ``first_year`` to LAST_YEAR."""
    zone = ZoneInfo(name)
    stamp = int(datetime(first_year, 1, 1, tzinfo=UTC).timestamp())
    end = int(datetime(LAST_YEAR + 1, 1, 1, tzinfo=UTC).timestamp())
    found: list[Change] = []
    state = _state(zone, stamp)
    while stamp < end:
        probe = _first_other(zone, state[1], stamp, end)
        if probe is None:
            break
        high = _change_second(zone, state[1], probe - _STEP, probe)
        after = _state(zone, high)
        moment = datetime.fromtimestamp(high, UTC)
        saving = moment.astimezone(zone).dst() or timedelta(0)
        found.append(Change(moment, state[0], after[0], after[1], saving))
        state, stamp = after, high
    return tuple(found)


def _nth(day: int, month_length: int) -> set[int]:
    """The ways BYDAY can name a weekday that falls on ``day``: 1st to 4th, or last (-1)."""
    found = {(day - 1) // 7 + 1} if day <= 28 else set()
    if day > month_length - 7:
        found.add(-1)
    return found


def yearly_parts(walls: list[datetime]) -> tuple[tuple[tuple[str, str], ...], timedelta] | None:
    """The RRULE parts (BYMONTH, BYDAY, maybe BYMONTHDAY) that give these local times, one a
    year in consecutive years, and the shift applied to them; None when no rule does."""
    years = [w.year for w in walls]
    if years != list(range(years[0], years[0] + len(years))):
        return None
    shifts = [timedelta(0)]
    if all(w.time() == datetime.min.time() for w in walls):
        shifts.append(-_SECOND)
    for shift in shifts:
        moved = [w + shift for w in walls]
        if len({(w.month, w.weekday(), w.time()) for w in moved}) != 1:
            continue
        month, day_name = moved[0].month, _DAYS[moved[0].weekday()]
        ways = set.intersection(
            *(_nth(w.day, calendar.monthrange(w.year, w.month)[1]) for w in moved)
        )
        if ways:
            nth = min(ways) if min(ways) > 0 else -1
            return (("BYMONTH", str(month)), ("BYDAY", f"{nth}{day_name}")), shift
    # a weekday in a window of days that is not a week of the month (Asia/Jerusalem: the
    # Friday before the last Sunday of March): exact for RFC 5545 readers, not for Outlook
    if len({(w.month, w.weekday(), w.time()) for w in walls}) == 1:
        month, days = walls[0].month, [w.day for w in walls]
        shortest = 28 if month == 2 else calendar.monthrange(2001, month)[1]
        if max(days) - min(days) <= 6 and min(days) + 6 <= shortest:
            window = ",".join(str(d) for d in range(min(days), min(days) + 7))
            day_name = _DAYS[walls[0].weekday()]
            parts = (("BYMONTH", str(month)), ("BYDAY", day_name), ("BYMONTHDAY", window))
            return parts, timedelta(0)
    return None


def _follows(
    change: Change, like: Change, parts: tuple[tuple[str, str], ...], shift: timedelta
) -> bool:
    """Whether ``change`` happens the year before ``like`` as the yearly rule ``parts``
    (which ``like`` follows) says."""
    wall, year = change.wall + shift, like.wall.year - 1
    rule = dict(parts)
    return bool(
        wall.year == year
        and wall.time() == (like.wall + shift).time()
        and wall.month == int(rule["BYMONTH"])
        and "BYMONTHDAY" not in rule
        and rule["BYDAY"] == f"{rule['BYDAY'][:-2]}{_DAYS[wall.weekday()]}"
        and int(rule["BYDAY"][:-2]) in _nth(wall.day, calendar.monthrange(year, wall.month)[1])
    )


def _current_rule(changes: tuple[Change, ...]) -> tuple[int, tuple[Yearly, ...]]:
    """Where the current rule starts in ``changes`` and its two yearly changes (none: the
    clocks no longer change, or not in a yearly pattern)."""
    tail = datetime(LAST_YEAR + 1 - _TAIL_YEARS, 1, 1, tzinfo=UTC)
    fixed: tuple[int, tuple[Yearly, ...]] = (max(len(changes) - 1, 0), ())
    if len(changes) < 4 or changes[-1].at < tail:
        return fixed
    kinds = (changes[-1].kind, changes[-2].kind)
    if kinds[0] == kinds[1] or changes[-1].before != changes[-2].after:
        return fixed
    runs: dict[tuple[timedelta, timedelta, str], list[Change]] = {k: [] for k in kinds}
    rules: dict[tuple[timedelta, timedelta, str], tuple[tuple[tuple[str, str], ...], timedelta]]
    rules = {}
    index = len(changes) - 1
    while index >= 0:
        change = changes[index]
        kind = kinds[(len(changes) - 1 - index) % 2]
        if change.kind != kind:
            break
        run = [change, *runs[kind]]
        found = rules.get(kind)
        if found is None or not _follows(change, run[1], *found):
            found = yearly_parts([c.wall for c in run])
            if found is None:
                break
        runs[kind], rules[kind] = run, found
        index -= 1
    if min(len(r) for r in runs.values()) < _TAIL_YEARS - 2:
        return fixed
    yearly = tuple(
        Yearly(runs[k][0], rules[k][0], rules[k][1])
        for k in sorted(kinds, key=lambda k: runs[k][0].at)
    )
    return index + 1, yearly


@lru_cache(maxsize=128)
def zone_rules(name: str, first_year: int = FIRST_YEAR) -> ZoneRules:
    """The changes of ``name`` from ``first_year`` on and its current rule."""
    changes = zone_changes(name, min(first_year, FIRST_YEAR))
    start = int(datetime(min(first_year, FIRST_YEAR), 1, 1, tzinfo=UTC).timestamp())
    since, yearly = _current_rule(changes)
    return ZoneRules(changes, _state(ZoneInfo(name), start), since, yearly)


def _daylight(change: Change, previous: timedelta, rules: ZoneRules) -> bool:
    """Whether clients should see the time after ``change`` as daylight time: the larger of
    the current rule's two offsets; before it, a positive saving in zoneinfo, or no saving
    right after a negative one (Europe/Dublin's summer). A zone that no longer changes its
    clocks writes every observance as STANDARD (see the module's docstring)."""
    if not rules.yearly:
        return False
    if change.kind in {y.first.kind for y in rules.yearly}:
        return change.after == max(y.first.after for y in rules.yearly)
    return change.saving > timedelta(0) or (
        change.saving == timedelta(0) and previous < timedelta(0)
    )


def vtimezone(name: str, first_year: int, last_year: int | None) -> bytes:
    """The VTIMEZONE of ``name`` for events from ``first_year`` to ``last_year`` (None: no
    end), as iCalendar text; cached, a calendar of thousands of events has a few zones."""
    return _vtimezone(name, first_year, last_year)


@lru_cache(maxsize=256)
def _vtimezone(name: str, first_year: int, last_year: int | None) -> bytes:
    rules = zone_rules(name, min(first_year, FIRST_YEAR))
    changes = rules.changes
    begin = datetime(first_year, 1, 1, tzinfo=UTC)
    current = rules.current_since
    component: list[list[str]] = []
    if current is not None and begin >= current:
        first = stop = rules.since
    else:
        # the earlier rule's changes the span needs: the one in force at its start, and on
        earlier = [i for i in range(rules.since) if changes[i].at <= begin]
        first, stop = (earlier[-1] if earlier else 0), rules.since
        if last_year is not None:
            end = datetime(last_year + 1, 1, 2, tzinfo=UTC)
            stop = next((i for i in range(first, stop) if changes[i].at > end), stop)
        # the time before the first change written, from the first year read. When that
        # change is before the span (it is the one in force at its start), this time is
        # outside the span, and it is the offset after that change when the one before is
        # UTC's: vobject takes a zone that shows UTC's offset on 1 January 2000 and no
        # daylight time in 2000-2020 for UTC itself and drops its TZID (Casablanca, whose
        # Ramadan time is +00 and written as STANDARD, would be)
        offset, abbreviation = rules.initial
        if earlier:
            change = changes[first]
            offset = change.before or change.after
            abbreviation = changes[first - 1].name if first > 0 else abbreviation
            abbreviation = abbreviation if change.before else change.name
        at = datetime(min(first_year, FIRST_YEAR), 1, 1)
        _observance(component, False, at, offset, offset, abbreviation)
    for index in range(first, stop):
        change = changes[index]
        previous = changes[index - 1].saving if index > 0 else timedelta(0)
        daylight = _daylight(change, previous, rules)
        _observance(component, daylight, change.wall, change.before, change.after, change.name)
    top = max((y.first.after for y in rules.yearly), default=timedelta(0))
    for y in rules.yearly:
        rrule = rrule_text(";".join(["FREQ=YEARLY", *(f"{p}={v}" for p, v in y.parts)]))
        wall = y.first.wall + y.shift
        _observance(
            component,
            y.first.after == top,
            wall,
            y.first.before,
            y.first.after,
            y.first.name,
            rrule,
        )
    if not rules.yearly and rules.since < len(changes):
        last = changes[rules.since]
        _observance(component, False, last.wall, last.before, last.after, last.name)
    return vtimezone_text(name, component)


def _observance(
    component: list[list[str]],
    daylight: bool,
    start: datetime,
    before: timedelta,
    after: timedelta,
    abbreviation: str,
    rrule: str = "",
) -> None:
    component.append(observance(daylight, start, before, after, abbreviation, rrule))


def first_change_on_or_after(name: str, day: date) -> Change | None:
    """The zone's first change on or after ``day`` (UTC), for tests and previews."""
    moment = datetime.combine(day, datetime.min.time(), UTC)
    return next((c for c in zone_rules(name).changes if c.at >= moment), None)
