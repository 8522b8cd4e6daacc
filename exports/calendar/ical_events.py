"""The VEVENTs of docket's calendars: a meeting's series with its changed occurrences.

What every client relies on: one UID per series, never changed; the meeting's SEQUENCE;
DTSTAMP on every VEVENT; ORGANIZER and ATTENDEE as ``mailto:`` with CN, ROLE, PARTSTAT and
RSVP; local DTSTART/DTEND with TZID, and one VTIMEZONE per zone (exports/calendar/ical_zones.py)
that every client reads the same way for the whole span of the calendar, a series without
end included; a moved or relocated occurrence is a VEVENT with the series UID and
RECURRENCE-ID equal to its original start; a cancelled occurrence is an EXDATE of the series
(REQUEST, PUBLISH) or a VEVENT of its own (CANCEL). Invites
(:mod:`docket.exports.calendar.ical_invite`) and feeds (:mod:`docket.exports.calendar.ical_feed`)
are written from these.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import lru_cache
from typing import NamedTuple
from zoneinfo import ZoneInfo

from docket.exports.calendar.ical_order import rrule_text
from docket.exports.calendar.ical_text import (
    UTC_ZONES,
    ContentLines,
    folded,
    line,
    moment_line,
    param,
    span_lines,
    text_line,
    utc_stamp,
)
from docket.exports.calendar.ical_text import day as date_value
from docket.exports.calendar.ical_times import (
    naming_time,
    steady_between,
    unsteady_starts,
    until_day,
)
from docket.exports.calendar.ical_zones import vtimezone
from docket.models.core.errors import ValidationError
from docket.models.core.schema import (
    Attendee,
    Meeting,
    OccurrenceChange,
)
from docket.models.meetings.occurrences import (
    Occurrence,
    changed_occurrence,
)
from docket.models.meetings.recurrence import end_of
from docket.models.meetings.times import series_start

PRODID = "-//docket//docket meetings//EN"


ROLES = {"chair": "CHAIR", "required": "REQ-PARTICIPANT", "optional": "OPT-PARTICIPANT"}


PARTSTATS = {
    "needs action": "NEEDS-ACTION",
    "accepted": "ACCEPTED",
    "declined": "DECLINED",
    "tentative": "TENTATIVE",
}


class Zones:
    """The zones a calendar uses and the years each must cover (None: without end)."""

    def __init__(self) -> None:
        self.years: dict[str, tuple[int, int | None]] = {}

    def use(self, name: str, first: datetime, last: datetime | None) -> None:
        y0, y1 = first.year, last.year if last is not None else None
        known = self.years.get(name)
        if known is not None:
            y0 = min(y0, known[0])
            y1 = None if y1 is None or known[1] is None else max(y1, known[1])
        self.years[name] = (y0, y1)

    def write(self, out: ContentLines) -> None:
        for name in sorted(self.years):
            if name not in UTC_ZONES:
                out.block(vtimezone(name, *self.years[name]))


def begin_calendar(method: str, name: str | None = None) -> ContentLines:
    """A VCALENDAR opened with its header (``name``: the X-WR-CALNAME a feed shows)."""
    out = ContentLines()
    out.begin("VCALENDAR")
    out.add("VERSION", "2.0")
    out.text("PRODID", PRODID)
    out.add("CALSCALE", "GREGORIAN")
    out.add("METHOD", method)
    if name is not None:
        out.text("X-WR-CALNAME", name)
    return out


class Guest(NamedTuple):
    """An attendee as an ATTENDEE line needs it: light, since a feed has tens of thousands."""

    person_id: int
    name: str
    email: str
    role: str
    response: str


def guests_of(attendees: Iterable[Attendee]) -> list[Guest]:
    """Attendee records as the light guests an event's roster is written from."""
    return [
        Guest(a.person.id, a.person.name, a.person.email or "", a.role, a.response)
        for a in attendees
    ]


@lru_cache(maxsize=16384)
def _common_name(name: str) -> str:
    """A person's CN parameter value, once per name: a person attends with several roles
    and answers, each line with its own parameters."""
    return param(name, quote_also=" '")


@lru_cache(maxsize=16384)
def _address_params(name: str, *params: tuple[str, str]) -> str:
    """``;CN=...`` and the given parameters, in name order; one string per distinct line, so
    thousands of events share their attendees' parameters."""
    pairs = sorted([("CN", _common_name(name)), *params])
    return "".join(f";{key}={value}" for key, value in pairs)


class Roster(NamedTuple):
    """A meeting's ORGANIZER and ATTENDEE lines as (parameters, value), written into each of
    its events; or its ATTENDEE lines written already (``lines``: a feed writes each
    guest's line once, and tens of thousands of times). A named tuple: a feed makes one
    per meeting."""

    organizer: tuple[str, str] | None
    attendees: list[tuple[str, str]]
    lines: list[str] | None = None


def chair_of(meeting: Meeting, method: str) -> tuple[str, str] | None:
    """The ORGANIZER of a meeting's events as (parameters, value); None for a published
    one without an e-mail address. An invite needs an organizer who can receive the
    replies."""
    organizer = meeting.organizer if meeting.__data__.get("organizer") else None
    if organizer is not None and organizer.email:
        return (_address_params(organizer.name), f"mailto:{organizer.email}")
    if method != "PUBLISH":
        name = organizer.name if organizer is not None else "nobody"
        raise ValidationError(
            "organizer",
            f"an invite needs an organizer with an e-mail address; meeting {meeting.id} has {name}",
        )
    return None


def published_line(guest: Guest) -> str | None:
    """A guest's ATTENDEE line in a published calendar, folded; None without an e-mail."""
    if not guest.email:
        return None
    params, address = _published(guest)
    return folded(f"ATTENDEE{params}:{address}")


def roster_of(meeting: Meeting, guests: list[Guest], method: str) -> Roster:
    """Who an event names (attendees without an e-mail address are left out); an invite
    needs an organizer who can receive the replies."""
    organizer = meeting.organizer if meeting.__data__.get("organizer") else None
    chair = chair_of(meeting, method)
    lines = []
    for guest in guests:
        if not guest.email:
            continue
        if method == "PUBLISH":  # the same guest's line in every meeting of a feed: once
            lines.append(_published(guest))
            continue
        params = [("ROLE", ROLES[guest.role])]
        if organizer is not None and guest.person_id == organizer.id:
            params.append(("PARTSTAT", "ACCEPTED"))
        else:
            params += [("PARTSTAT", "NEEDS-ACTION"), ("RSVP", "TRUE")]
        lines.append((_address_params(guest.name, *params), f"mailto:{guest.email}"))
    return Roster(chair, lines)


@lru_cache(maxsize=16384)
def _published(guest: Guest) -> tuple[str, str]:
    """A guest's ATTENDEE line in a published calendar, as (parameters, value)."""
    params = (("ROLE", ROLES[guest.role]), ("PARTSTAT", PARTSTATS[guest.response]))
    return _address_params(guest.name, *params), f"mailto:{guest.email}"


def _description(meeting: Meeting, agenda: str | None = None, link: str | None = None) -> str:
    """The agenda, then a "Join: URL" line for the link, a blank line between them."""
    data = meeting.__data__
    text = (agenda if agenda is not None else data["agenda"]).strip()
    url = link if link is not None else data["link"]
    if not url:
        return text
    return f"{text}\n\nJoin: {url}" if text else f"Join: {url}"


_STATUSES = {"confirmed": "CONFIRMED", "tentative": "TENTATIVE"}


def _status(meeting_status: str) -> str:
    return _STATUSES.get(meeting_status, "CANCELLED")


class Event(NamedTuple):
    """What one VEVENT of a meeting says beyond the meeting's own title, UID and SEQUENCE.
    A named tuple: a feed makes one for each of thousands of meetings, and a frozen
    dataclass is several times slower to make."""

    start: datetime
    minutes: int
    status: str
    location: str = ""
    link: str = ""
    description: str = ""
    recurrence_id: datetime | None = None
    rrule: str = ""
    exdates: tuple[datetime, ...] = ()
    # an occurrence's own title ("": the meeting's)
    title: str = ""


@lru_cache(maxsize=4096)
def _repeated_text(name: str, value: str) -> str:
    """:func:`text_line` of a value many events share (a title, a room), made once."""
    return text_line(name, value)


def write_event(
    out: ContentLines, meeting: Meeting, stamp: str, roster: Roster, event: Event
) -> None:
    """One VEVENT; its properties in the order calendar files usually have them (SUMMARY,
    times, DTSTAMP, UID, RECURRENCE-ID, SEQUENCE, recurrence, then by name). A feed writes
    thousands: the meeting's columns are read from its data (not through its fields), and
    each line is appended as it is made."""
    data = meeting.__data__
    zone, all_day = data["timezone"], data["all_day"]
    add = out.lines.append
    add("BEGIN:VEVENT")
    add(_repeated_text("SUMMARY", event.title or data["title"]))
    if all_day:
        _write_days(out, zone, event)
    else:
        _write_times(out, zone, event)
    add(f"DTSTAMP:{stamp}")
    add(text_line("UID", data["uid"]))
    recurrence_id = event.recurrence_id
    if recurrence_id is not None and all_day:
        out.day("RECURRENCE-ID", recurrence_id.astimezone(ZoneInfo(zone)).date())
    elif recurrence_id is not None:
        add(moment_line("RECURRENCE-ID", zone, naming_time(meeting, recurrence_id)))
    add(f"SEQUENCE:{data['sequence']}")
    if event.rrule:
        rule = rrule_text(event.rrule)
        out.add("RRULE", until_day(rule, zone) if all_day else rule)
    if event.exdates and all_day:
        days = (date_value(e.astimezone(ZoneInfo(zone)).date()) for e in event.exdates)
        out.add("EXDATE", ",".join(days), ";VALUE=DATE")
    elif event.exdates:
        out.moments("EXDATE", zone, *(naming_time(meeting, e) for e in event.exdates))
    if roster.lines is not None:
        out.lines.extend(roster.lines)
    for params, address in roster.attendees:
        out.repeated("ATTENDEE", address, params)
    if event.description:
        add(text_line("DESCRIPTION", event.description))
    if event.location or event.link:
        add(_repeated_text("LOCATION", event.location or event.link))
    if roster.organizer is not None:
        out.repeated("ORGANIZER", roster.organizer[1], roster.organizer[0])
    add(f"STATUS:{event.status}")  # an iCalendar word: nothing to escape, never folded
    if event.link:
        add(line("URL", event.link))
    add("END:VEVENT")


def _write_times(out: ContentLines, zone: str, event: Event) -> None:
    """DTSTART and DTEND (or DURATION) of a timed event, so every reader places it at the
    instants docket does. Local times with TZID, except where readers differ: a local time
    that happens twice (the hour repeated when daylight saving ends: ical.js takes the
    second, RFC 5545 and docket the first) or a meeting the clocks change during (vobject and
    recurring-ical-events add its length to the wall clock): such an occurrence is written
    in UTC. A series keeps its local DTSTART, which anchors its rule; when its first
    occurrence is such a one, its length is a DURATION (exact, RFC 5545 3.8.2.5) and that
    occurrence is also written on its own
    (:func:`docket.exports.calendar.ical_times.unsteady_starts`)."""
    add = out.lines.append
    start = event.start
    end = end_of(start, event.minutes)
    # the event's start is the wall time that names it: steady_occurrence(start, start, ...)
    steady = zone in UTC_ZONES or steady_between(start, end)
    if event.rrule:
        add(moment_line("DTSTART", zone, start))
        if steady:
            add(moment_line("DTEND", zone, end))
        else:
            hours, minutes = divmod(event.minutes, 60)
            length = (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
            add(line("DURATION", f"PT{length}"))
    elif steady:
        out.lines.extend(span_lines(zone, start, end))
    else:
        add(line("DTSTART", utc_stamp(start)))
        add(line("DTEND", utc_stamp(end)))


def _write_days(out: ContentLines, zone: str, event: Event) -> None:
    """An all-day event's DTSTART and DTEND as dates (VALUE=DATE): its day in the meeting's
    zone, and the day after its last."""
    first = event.start.astimezone(ZoneInfo(zone)).date()
    out.day("DTSTART", first)
    out.day("DTEND", first + timedelta(days=max(1, -(-event.minutes // 1440))))


def series_events(meeting: Meeting, changes: list[OccurrenceChange]) -> list[Event]:
    """The master VEVENT (with RRULE and EXDATEs) and one VEVENT per changed occurrence.
    (The meeting's columns are read from its data: a feed has thousands of meetings.)"""
    data = meeting.__data__
    rule = data["rrule"]
    master = Event(
        series_start(meeting),
        data["duration_minutes"],
        _STATUSES.get(data["status"], "CANCELLED"),
        data["location"],
        data["link"],
        _description(meeting),
        None,
        rule,
        tuple(c.original_start for c in changes if c.cancelled) if rule else (),
    )
    if not rule:  # a single meeting (most of a feed's): its one event
        return [master]
    overrides = [
        occurrence_event(meeting, changed_occurrence(meeting, change.original_start, change))
        for change in changes
        if not change.cancelled
    ]
    if not meeting.all_day:
        changed = {c.original_start for c in changes}
        overrides += [
            occurrence_event(meeting, changed_occurrence(meeting, start, None))
            for start in unsteady_starts(meeting)
            if start not in changed
        ]
        overrides.sort(key=lambda e: e.recurrence_id or e.start)
    return [master, *overrides]


def occurrence_event(meeting: Meeting, occurrence: Occurrence, *, cancelled: bool = False) -> Event:
    """The VEVENT of one occurrence of a series (RECURRENCE-ID: its original start)."""
    return Event(
        start=occurrence.start,
        minutes=occurrence.duration_minutes,
        status="CANCELLED" if cancelled else _status(meeting.status),
        location=occurrence.location,
        link=occurrence.link,
        description=_description(meeting, link=occurrence.link),
        recurrence_id=occurrence.original_start,
        title=occurrence.title if occurrence.title != meeting.title else "",
    )


def zone_span(
    meeting: Meeting, changes: list[OccurrenceChange]
) -> tuple[datetime, datetime | None]:
    """The first and last moments a meeting's events need its zone for (None: no end)."""
    first = series_start(meeting)
    data = meeting.__data__
    rule, start = data["rrule"], data["start_utc"]
    if not changes and not rule:  # a single meeting (most of a feed's)
        return first, start
    last = data["until_utc"] if rule else start
    moved = [c.new_start for c in changes if c.new_start is not None]
    if not rule or data["until_utc"] is not None:
        ends = [e for e in (last, *moved) if e is not None]
        return min([first, *moved]), max(ends)
    return min([first, *moved]), None
