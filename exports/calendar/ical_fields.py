"""What one event of a calendar file says, in docket's words: its title, room, link and
agenda, its attendees' addresses, roles and answers, and when it happens (its zone, start,
length, all day or not).

What docket's own export adds is taken off again (the "Join: URL" line of a description,
the link written as LOCATION when there is no room). An all-day event (a DATE start) lasts
one day; one that spans several days is refused (a meeting lasts one day at most).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Component

from docket.exports.calendar.ical_read import Skip
from docket.exports.calendar.ical_tzid import FileZones
from docket.models.core.inputs import shown
from docket.models.meetings.times import ALL_DAY_MINUTES, whole_day

# iCalendar's words for docket's
ROLES = {"CHAIR": "chair", "OPT-PARTICIPANT": "optional", "NON-PARTICIPANT": "optional"}


RESPONSES = {"ACCEPTED": "accepted", "DECLINED": "declined", "TENTATIVE": "tentative"}


def event_label(event: Component) -> str:
    """How a report names an event: its title, and its UID when it has one."""
    title = str(event.get("SUMMARY", "")).strip() or "(no title)"
    uid = str(event.get("UID", "")).strip()
    return f"'{title}' (UID {uid})" if uid else f"'{title}'"


def all_values(event: Component, name: str) -> list[Any]:
    """Every value of a property an event may have more than once (ATTENDEE, EXDATE)."""
    value = event.get(name)
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def address_of(value: Any) -> str:
    """The e-mail address of an ORGANIZER or ATTENDEE, without ``mailto:``, lower case."""
    return str(value).strip().removeprefix("mailto:").removeprefix("MAILTO:").strip().lower()


def highest_sequence(events: Iterable[Component]) -> int:
    """The highest SEQUENCE of a series' events (0 when none has one)."""
    numbers = [int(event.get("SEQUENCE", 0)) for event in events]
    return max(numbers, default=0)


def place_of(event: Component) -> tuple[str, str]:
    """The room and the online link; docket's export writes the link as LOCATION when
    there is no room, which is no room."""
    location = str(event.get("LOCATION", "")).strip()
    link = str(event.get("URL", "")).strip()
    if link and location == link:
        location = ""
    return location, link


def agenda_of(event: Component, link: str) -> str:
    """The description without the "Join: URL" line docket's export adds for the link."""
    agenda = str(event.get("DESCRIPTION", "")).strip()
    if link:
        join = f"Join: {link}"
        if agenda == join:
            return ""
        if agenda.endswith("\n\n" + join):
            return agenda[: -len(join) - 2].rstrip()
    return agenda


@dataclass(frozen=True)
class Timing:
    """When an event happens: its zone, start (aware, in that zone), length, all day or not."""

    tz: ZoneInfo
    start: datetime
    minutes: int
    all_day: bool


def _aware(moment: datetime, tz: ZoneInfo) -> datetime:
    """A date-time in ``tz``: a floating one is the wall clock there."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=tz)
    return moment.astimezone(tz)


def moment_of(prop: Any, tz: ZoneInfo, what: str) -> datetime:
    """A DTSTART-like value (RECURRENCE-ID, EXDATE) as an aware time in ``tz``: a date is
    midnight that day."""
    value = prop.dt
    if isinstance(value, datetime):
        return _aware(value, tz)
    if isinstance(value, date):
        return whole_day(value, tz)
    raise Skip(f"{what} is {shown(str(value))}, expected a date or a date and time")


def _dt(event: Component, name: str) -> Any:
    """The value of a date-time, date or duration property (icalendar's ``.dt``)."""
    prop: Any = event[name]
    return prop.dt


def timing_of(event: Component, zones: FileZones, all_day_series: bool | None = None) -> Timing:
    """The event's start and length; an all-day event lasts one day."""
    value = _dt(event, "DTSTART")
    if isinstance(value, datetime):
        if all_day_series:
            raise Skip("a timed change of an all-day series")
        tz = zones.of(event["DTSTART"])
        start = _aware(value, tz)
        return Timing(tz, start, _minutes(event, start, tz), False)
    if not isinstance(value, date):
        raise Skip(f"DTSTART is {shown(str(value))}, expected a date or a date and time")
    if all_day_series is False:
        raise Skip("an all-day change of a series that has a start time")
    days = _days(event, value)
    if days != 1:
        raise Skip(
            f"an all-day event of {days} days ({value:%Y-%m-%d} to "
            f"{value + timedelta(days=days - 1):%Y-%m-%d}): docket's meetings last one day "
            "at most; enter it as a meeting on each day"
        )
    tz = zones.default
    return Timing(tz, whole_day(value, tz), ALL_DAY_MINUTES, True)


def _days(event: Component, first: date) -> int:
    """How many days an all-day event lasts (DTEND is the day after its last)."""
    if event.get("DTEND") is not None:
        end = _dt(event, "DTEND")
        if isinstance(end, datetime) or not isinstance(end, date):
            raise Skip("DTSTART is a date but DTEND is not")
        return max(1, (end - first).days)
    duration: Any = event.get("DURATION")
    if duration is not None:
        length = duration.dt
        if not isinstance(length, timedelta) or length % timedelta(days=1):
            raise Skip("an all-day event whose DURATION is not whole days")
        return max(1, length.days)
    return 1


def _minutes(event: Component, start: datetime, tz: ZoneInfo) -> int:
    """The length in minutes: DTEND (an instant, whatever its zone) less DTSTART, or the
    DURATION."""
    if event.get("DTEND") is not None:
        end = _dt(event, "DTEND")
        if not isinstance(end, datetime):
            raise Skip("DTSTART is a date and time but DTEND is not")
        elapsed = _aware(end, tz).astimezone(UTC) - start.astimezone(UTC)
        return int(elapsed.total_seconds() // 60)
    duration: Any = event.get("DURATION")
    if duration is not None:
        length = duration.dt
        if isinstance(length, timedelta):
            return int(length.total_seconds() // 60)
    raise Skip("no end (DTEND) or DURATION")
