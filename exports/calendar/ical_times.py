"""Where readers would place an occurrence other than docket: a local time shown twice,
the clocks changing during a meeting, a rule that names a time the clocks skip; and the
times that name an occurrence in RECURRENCE-ID, EXDATE and an all-day UNTIL.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from docket.exports.calendar.ical_text import UTC_ZONES
from docket.exports.calendar.ical_text import day as date_value
from docket.exports.calendar.ical_zones import zone_rules
from docket.models.core.schema import Meeting
from docket.models.meetings.recurrence import end_of, expand, last_start, nominal
from docket.models.meetings.times import series_start


def steady_occurrence(wall: datetime, start: datetime, minutes: int) -> bool:
    """Whether every reader places an occurrence the rule gives at ``wall`` where docket
    does (``start``, lasting ``minutes``): the wall time exists once, the end's too, and the
    clocks do not change during it."""
    return wall.replace(tzinfo=None) == start.replace(tzinfo=None) and steady_between(
        start, end_of(start, minutes)
    )


def steady_between(start: datetime, end: datetime) -> bool:
    """Whether the clocks keep one offset from ``start`` to ``end`` (both in the meeting's
    zone) and neither wall clock shows its time twice (an hour repeated): then the two
    readings of each (fold 0 and 1) have that offset too. Every event of a calendar asks."""
    offset = start.utcoffset()
    return (
        end.utcoffset() == offset
        and _other_reading(start).utcoffset() == offset
        and _other_reading(end).utcoffset() == offset
    )


def _other_reading(moment: datetime) -> datetime:
    """``moment.replace(fold=1 - moment.fold)``, made by the constructor: three times
    faster than replace, and every event of a calendar makes two."""
    return datetime(
        moment.year,
        moment.month,
        moment.day,
        moment.hour,
        moment.minute,
        moment.second,
        moment.microsecond,
        moment.tzinfo,
        fold=1 - moment.fold,
    )


def naming_time(meeting: Meeting, original: datetime) -> datetime:
    """The local time that names an occurrence in RECURRENCE-ID and EXDATE: the time its
    rule gives (02:30 for the 02:30 that is 03:30 daylight time), which every reader maps
    to the occurrence it generated, whatever it makes of such a time."""
    first = series_start(meeting)
    there = original.astimezone(first.tzinfo)
    if there.time() == first.time() and not _may_shift(meeting.rrule):
        return there
    return nominal(meeting.rrule, first, original)


def _may_shift(rule: str) -> bool:
    """Whether a rule's occurrences may start at other times of day than its first."""
    return any(part in rule for part in ("BYHOUR", "BYMINUTE", "BYSECOND"))


@lru_cache(maxsize=256)
def _change_hours(zone: str) -> tuple[tuple[int, int], ...]:
    """Where on the clock ``zone``'s changes happen: (minute of the day the earlier of its
    local times before and after, minutes to the later one)."""
    spans = set()
    for change in zone_rules(zone).changes:
        before, after = change.wall, (change.at + change.after).replace(tzinfo=None)
        low, high = sorted((before, after))
        spans.add((low.hour * 60 + low.minute, int((high - low).total_seconds() // 60) + 1))
    return tuple(sorted(spans))


def _near_changes(zone: str, start: datetime, minutes: int) -> bool:
    """Whether an occurrence at ``start``'s time of day, lasting ``minutes``, can meet one
    of the zone's changes: most series never do, and need no look at each change."""
    at = start.hour * 60 + start.minute
    return any(
        (low - at) % 1440 <= minutes or (at - low) % 1440 <= length
        for low, length in _change_hours(zone)
    )


def unsteady_starts(meeting: Meeting) -> list[datetime]:
    """The original starts (UTC) of a series' occurrences that readers would place other
    than docket (a local time shown twice, the clocks changing during it): each is written
    as a VEVENT of its own, in UTC. Looked for at each change of the zone through its span
    (to the last year the zone is read for, for a series without end)."""
    zone, rule = meeting.timezone, meeting.rrule
    if not rule or zone in UTC_ZONES:
        return []
    first, minutes = series_start(meeting), meeting.duration_minutes
    if not _may_shift(rule) and not _near_changes(zone, first, minutes):
        return []
    last = meeting.until_utc or last_start(rule, first)
    margin = timedelta(days=1, minutes=minutes)
    found: set[datetime] = set()
    for change in zone_rules(zone).changes:
        if change.at < first - margin or (last is not None and change.at > last + margin):
            continue
        for start in expand(rule, first, change.at - margin, change.at + margin):
            if not steady_occurrence(nominal(rule, first, start), start, minutes):
                found.add(start.astimezone(UTC))
    return sorted(found)


_UNTIL = re.compile(r"UNTIL=(\d{8}T\d{6}Z)")


def until_day(rule: str, zone: str) -> str:
    """An all-day series' UNTIL as a date (RFC 5545: the type of DTSTART): the day of its
    last start in the meeting's zone."""
    found = _UNTIL.search(rule)
    if found is None:
        return rule
    last = datetime.strptime(found[1], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    return rule.replace(found[0], f"UNTIL={date_value(last.astimezone(ZoneInfo(zone)).date())}")
