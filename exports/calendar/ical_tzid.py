"""The IANA zone each TZID of a calendar file stands for.

A TZID is read through the file's own VTIMEZONE and the meeting gets the IANA zone with the
same rules, found by name (IANA, Windows names such as ``W. Europe Standard Time``,
``/vendor/Area/City``) or, for a custom zone, by comparing offsets over the year. A UTC time
takes the calendar's X-WR-TIMEZONE, else UTC; a floating time and an all-day date take the
calendar's zone, else yours.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from icalendar import Calendar
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

from docket.exports.calendar.ical_read import Skip
from docket.models.core.context import Context
from docket.models.core.errors import ValidationError
from docket.models.meetings.times import meeting_zone, zone_name_of


class FileZones:
    """The IANA zone for each TZID of one file, found once per TZID."""

    def __init__(self, calendar: Calendar, ctx: Context) -> None:
        named = str(calendar.get("X-WR-TIMEZONE", "")).strip()
        self.calendar: ZoneInfo | None = None
        if named:
            try:
                self.calendar = meeting_zone(named)
            except ValidationError:
                self.calendar = None
        # floating times and all-day dates: the calendar's zone, else yours
        self.default = self.calendar or meeting_zone(zone_name_of(ctx))
        self.found: dict[str, ZoneInfo] = {}
        self.notes: list[str] = []

    def of(self, prop: Any) -> ZoneInfo:
        """The zone a DTSTART (or RECURRENCE-ID) is in."""
        tzid = prop.params.get("TZID")
        moment = prop.dt
        if not tzid:
            if isinstance(moment, datetime) and moment.utcoffset() == timedelta(0):
                # UTC (Google's single events, docket's UTC meetings)
                return self.calendar or meeting_zone("UTC")
            return self.default
        tzid = str(tzid)
        if tzid not in self.found:
            self.found[tzid] = self._resolve(tzid, moment)
        return self.found[tzid]

    def _resolve(self, tzid: str, moment: datetime) -> ZoneInfo:
        written = moment.tzinfo if isinstance(moment, datetime) else None
        for name in _names_for(tzid):
            try:
                candidate = ZoneInfo(name)
            except (ValueError, OSError):
                continue
            if written is None or _same_rules(candidate, written, moment.year):
                return candidate
        if written is None:
            raise Skip(f"time zone '{tzid}' is not a known zone and the file has no VTIMEZONE")
        match = _zone_like(written, moment.year)
        if match is None:
            raise Skip(f"time zone '{tzid}' matches no IANA zone's offsets in {moment.year}")
        self.notes.append(f"time zone '{tzid}' read as {match.key} (the same offsets)")
        return match


def _names_for(tzid: str) -> Iterator[str]:
    """IANA names a TZID may stand for: itself, its Windows name's zone, a vendor path's tail."""
    cleaned = tzid.strip().strip('"').strip("/")
    if cleaned in available_zones():
        yield cleaned
    if cleaned in WINDOWS_TO_OLSON:
        yield WINDOWS_TO_OLSON[cleaned]
    parts = cleaned.split("/")
    for start in range(1, len(parts)):
        tail = "/".join(parts[start:])
        if tail in available_zones():
            yield tail


@cache
def available_zones() -> frozenset[str]:
    """The IANA zone names this machine knows."""
    return frozenset(available_timezones())


def _noons(year: int) -> list[datetime]:
    first = date(year, 1, 1)
    return [datetime.combine(first + timedelta(days=d), time(12)) for d in range(365)]


def _offsets(tz: tzinfo, days: Iterable[datetime]) -> tuple[timedelta | None, ...]:
    return tuple(day.replace(tzinfo=tz).utcoffset() for day in days)


def _changes(tz: tzinfo, instants: Iterable[datetime]) -> tuple[timedelta | None, ...]:
    return tuple(moment.astimezone(tz).utcoffset() for moment in instants)


def _same_rules(candidate: ZoneInfo, written: tzinfo, year: int) -> bool:
    days = _noons(year)
    return _offsets(candidate, days) == _offsets(written, days)


# how far back a zone's history decides between zones with the same rules today
HISTORY_YEARS = 30


def _zone_like(written: tzinfo, year: int) -> ZoneInfo | None:
    """An IANA zone with the same offsets as ``written`` every hour of ``year``.

    Several zones share today's rules (America/New_York, America/Detroit, America/Grand_Turk);
    the one that shared them longest wins, then a Windows name's main zone, then the
    shorter name (Area/City before Area/Region/City), then the name.
    """
    noons = _noons(year)
    target = _offsets(written, noons)
    # every hour as an instant around each day the clocks change: the hour they change shows
    changed = [noons[i] for i in range(1, len(noons)) if target[i] != target[i - 1]]
    hours = [
        (day + timedelta(hours=h)).replace(tzinfo=UTC) for day in changed for h in range(-36, 12)
    ]
    hourly = _changes(written, hours)
    # the 1st and the 15th of each month back through the years: rule changes show
    past = [d for y in range(year - HISTORY_YEARS, year) for d in _noons(y) if d.day in (1, 15)]
    history = _offsets(written, [d.replace(year=year) for d in past])
    main = set(WINDOWS_TO_OLSON.values())
    ranked: list[tuple[int, bool, int, str]] = []
    for name in available_zones():
        if "/" not in name or name.startswith(("Etc/", "SystemV/", "posix/", "right/")):
            continue
        candidate = ZoneInfo(name)
        if _offsets(candidate, noons) != target or _changes(candidate, hours) != hourly:
            continue
        kept = sum(a == b for a, b in zip(_offsets(candidate, past), history, strict=True))
        ranked.append((-kept, name not in main, name.count("/"), name))
    return ZoneInfo(min(ranked)[3]) if ranked else None
