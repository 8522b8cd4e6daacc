"""iCalendar out of docket: invites (REQUEST, CANCEL) and calendar feeds (PUBLISH).

The rules of DESIGN section 6: one UID per series, never changed; the meeting's SEQUENCE;
DTSTAMP on every VEVENT; ORGANIZER and ATTENDEE as ``mailto:`` with CN, ROLE, PARTSTAT and
RSVP; local DTSTART/DTEND with TZID, and one VTIMEZONE per zone built from zoneinfo for the
years the calendar spans, so a client that does not know the zone's name still places every
occurrence right; a moved or relocated occurrence is a VEVENT with the series UID and
RECURRENCE-ID equal to its original start; a cancelled occurrence is an EXDATE of the series
(REQUEST, PUBLISH) or a VEVENT of its own (CANCEL).

icalendar is imported here only; commands import this module when they need it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, vCalAddress, vText
from peewee import JOIN

from docket.models.errors import ValidationError
from docket.models.meetings import (
    Occurrence,
    attendees_of,
    changed_occurrence,
    changes_by_meeting,
    get_meeting,
    occurrence_at,
    occurrence_changes,
    series_start,
)
from docket.models.schema import Attendee, Meeting, Milestone, OccurrenceChange, Person, Program

PRODID = "-//docket//docket meetings//EN"
ROLES = {"chair": "CHAIR", "required": "REQ-PARTICIPANT", "optional": "OPT-PARTICIPANT"}
PARTSTATS = {
    "needs action": "NEEDS-ACTION",
    "accepted": "ACCEPTED",
    "declined": "DECLINED",
    "tentative": "TENTATIVE",
}
# how many years a VTIMEZONE covers past the start of a series without end
OPEN_ENDED_YEARS = 10


@dataclass(frozen=True)
class Invite:
    """One invite: the calendar text and who it goes to."""

    method: str
    ics: bytes
    meeting: Meeting
    recipients: list[Person]
    # the occurrence it concerns (its original start), or None for the whole series
    occurrence: datetime | None
    # attendees left out because they have no e-mail address
    skipped: list[Person]


@lru_cache(maxsize=256)
def _vtimezone(name: str, first_year: int, last_year: int) -> bytes:
    """A VTIMEZONE for ``name`` whose observances cover ``first_year`` to ``last_year``."""
    component = Timezone.from_tzid(
        name, first_date=date(first_year, 1, 1), last_date=date(last_year + 1, 1, 1)
    )
    return bytes(component.to_ical())


class _Zones:
    """The zones a calendar uses and the years each must cover."""

    def __init__(self) -> None:
        self.years: dict[str, tuple[int, int]] = {}

    def use(self, name: str, first: datetime, last: datetime | None) -> None:
        y0 = first.year
        y1 = last.year if last is not None else first.year + OPEN_ENDED_YEARS
        known = self.years.get(name)
        if known is not None:
            y0, y1 = min(y0, known[0]), max(y1, known[1])
        self.years[name] = (y0, y1)

    def components(self) -> list[Any]:
        return [
            Timezone.from_ical(_vtimezone(name, *self.years[name]))
            for name in sorted(self.years)
            if name != "UTC"
        ]


def _calendar(method: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    return cal


@dataclass(frozen=True)
class _Guest:
    """An attendee as an ATTENDEE line needs it: light, since a feed has tens of thousands."""

    person_id: int
    name: str
    email: str
    role: str
    response: str


def _guests(attendees: Iterable[Attendee]) -> list[_Guest]:
    return [
        _Guest(a.person.id, a.person.name, a.person.email or "", a.role, a.response)
        for a in attendees
    ]


@lru_cache(maxsize=16384)
def _address(email: str, name: str, *params: tuple[str, str]) -> vCalAddress:
    """A ``mailto:`` address with CN and the given parameters; one object per distinct line
    (events only read it), so thousands of events share their attendees' addresses."""
    address = vCalAddress(f"mailto:{email}")
    address.params["CN"] = vText(name)
    for key, value in params:
        address.params[key] = value
    return address


def _description(meeting: Meeting, agenda: str | None = None, link: str | None = None) -> str:
    parts = [p for p in ((agenda if agenda is not None else meeting.agenda).strip(),) if p]
    url = link if link is not None else meeting.link
    if url:
        parts.append(f"Join: {url}")
    return "\n\n".join(parts)


def _people(event: Event, meeting: Meeting, guests: list[_Guest], method: str) -> None:
    """ORGANIZER and ATTENDEE lines (attendees without an e-mail address are left out)."""
    organizer = meeting.organizer if meeting.__data__.get("organizer") else None
    if organizer is not None and organizer.email:
        event.add("organizer", _address(organizer.email, organizer.name))
    elif method != "PUBLISH":
        name = organizer.name if organizer is not None else "nobody"
        raise ValidationError(
            "organizer",
            f"an invite needs an organizer with an e-mail address; meeting {meeting.id} has {name}",
        )
    for guest in guests:
        if not guest.email:
            continue
        params = [("ROLE", ROLES[guest.role])]
        if method == "PUBLISH":
            params.append(("PARTSTAT", PARTSTATS[guest.response]))
        elif organizer is not None and guest.person_id == organizer.id:
            params.append(("PARTSTAT", "ACCEPTED"))
        else:
            params += [("PARTSTAT", "NEEDS-ACTION"), ("RSVP", "TRUE")]
        event.add("attendee", _address(guest.email, guest.name, *params))


def _base_event(meeting: Meeting, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", meeting.uid)
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("sequence", meeting.sequence)
    event.add("summary", meeting.title)
    return event


def _timed(event: Event, start: datetime, minutes: int) -> None:
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=minutes))


def _where(event: Event, location: str, link: str) -> None:
    if location or link:
        event.add("location", location or link)
    if link:
        event.add("url", link)


def _status(meeting_status: str) -> str:
    return {"confirmed": "CONFIRMED", "tentative": "TENTATIVE"}.get(meeting_status, "CANCELLED")


def _series_events(
    meeting: Meeting,
    guests: list[_Guest],
    method: str,
    stamp: datetime,
    changes: list[OccurrenceChange],
) -> list[Event]:
    """The master VEVENT (with RRULE and EXDATEs) and one VEVENT per changed occurrence."""
    tz = ZoneInfo(meeting.timezone)
    start = series_start(meeting)
    master = _base_event(meeting, stamp)
    _timed(master, start, meeting.duration_minutes)
    if meeting.rrule:
        master.add("rrule", _rrule_value(meeting.rrule))
    _where(master, meeting.location, meeting.link)
    description = _description(meeting)
    if description:
        master.add("description", description)
    master.add("status", _status(meeting.status))
    _people(master, meeting, guests, method)
    events = [master]
    changes = changes if meeting.rrule else []
    cancelled = [c.original_start.astimezone(tz) for c in changes if c.cancelled]
    if cancelled:
        master.add("exdate", cancelled)
    for change in changes:
        if change.cancelled:
            continue
        occurrence = changed_occurrence(meeting, change.original_start, change)
        events.append(_override(meeting, occurrence, guests, method, stamp))
    return events


def _rrule_value(rule: str) -> dict[str, list[str]]:
    """An RRULE body as icalendar's value: ``{"FREQ": ["WEEKLY"], ...}``, in the given order."""
    from icalendar import vRecur

    return dict(vRecur.from_ical(rule))


def _override(
    meeting: Meeting,
    occurrence: Occurrence,
    guests: list[_Guest],
    method: str,
    stamp: datetime,
    *,
    cancelled: bool = False,
) -> Event:
    tz = ZoneInfo(meeting.timezone)
    event = _base_event(meeting, stamp)
    event.add("recurrence-id", occurrence.original_start.astimezone(tz))
    _timed(event, occurrence.start, occurrence.duration_minutes)
    _where(event, occurrence.location, occurrence.link)
    description = _description(meeting, link=occurrence.link)
    if description:
        event.add("description", description)
    event.add("status", "CANCELLED" if cancelled else _status(meeting.status))
    _people(event, meeting, guests, method)
    return event


def _span(meeting: Meeting, changes: list[OccurrenceChange]) -> tuple[datetime, datetime | None]:
    """The first and last moments a meeting's events need its zone for (None: no end)."""
    first = series_start(meeting)
    last = meeting.until_utc if meeting.rrule else meeting.start_utc
    moved = [c.new_start for c in changes if c.new_start is not None]
    if not meeting.rrule or meeting.until_utc is not None:
        ends = [e for e in (last, *moved) if e is not None]
        return min([first, *moved]), max(ends)
    return min([first, *moved]), None


def _finish(cal: Calendar, zones: _Zones, events: Iterable[Event]) -> bytes:
    for component in zones.components():
        cal.add_component(component)
    for event in events:
        cal.add_component(event)
    return bytes(cal.to_ical())


def invite(
    meeting_id: int,
    stamp: datetime,
    *,
    occurrence: datetime | None = None,
    cancel: bool = False,
    recipients: list[Person] | None = None,
) -> Invite:
    """The REQUEST (or CANCEL) for a meeting, a series, or one occurrence of it.

    A cancelled meeting or occurrence always gives a CANCEL; ``cancel`` asks for one and is
    refused for what docket does not hold as cancelled. ``recipients`` narrows who the
    message goes to (a CANCEL to removed attendees names only them).
    """
    meeting = get_meeting(meeting_id)
    attendees = attendees_of(meeting_id)
    if recipients is not None:
        # a message to people no longer attending (their cancellation) names them
        attendees = [
            Attendee(person=p, role="required", response="needs action") for p in recipients
        ]
    tz = ZoneInfo(meeting.timezone)
    zones = _Zones()
    events: list[Event]
    if occurrence is not None:
        one = occurrence_at(meeting, occurrence)
        is_cancelled = one.cancelled
        if cancel and not is_cancelled and recipients is None:
            raise ValidationError(
                "cancel",
                "that occurrence is not cancelled; cancel it first with "
                f"'docket meeting cancel {meeting_id} --occurrence DATE'",
            )
        method = "CANCEL" if is_cancelled or cancel else "REQUEST"
        event = _override(
            meeting, one, _guests(attendees), method, stamp, cancelled=method == "CANCEL"
        )
        zones.use(meeting.timezone, min(one.start, one.original_start.astimezone(tz)), one.start)
        events = [event]
    else:
        is_cancelled = meeting.status == "cancelled"
        if cancel and not is_cancelled and recipients is None:
            raise ValidationError(
                "cancel",
                f"meeting {meeting_id} is not cancelled; cancel it first with "
                f"'docket meeting cancel {meeting_id}'",
            )
        method = "CANCEL" if is_cancelled or cancel else "REQUEST"
        changes = occurrence_changes(meeting_id)
        if method == "CANCEL":
            master = _base_event(meeting, stamp)
            _timed(master, series_start(meeting), meeting.duration_minutes)
            if meeting.rrule:
                master.add("rrule", _rrule_value(meeting.rrule))
            master.add("status", "CANCELLED")
            _people(master, meeting, _guests(attendees), method)
            events = [master]
        else:
            events = _series_events(meeting, _guests(attendees), method, stamp, changes)
        zones.use(meeting.timezone, *_span(meeting, changes))
    chosen = [a for a in attendees if a.person.email]
    ics = _finish(_calendar(method), zones, events)
    return Invite(
        method=method,
        ics=ics,
        meeting=meeting,
        recipients=[a.person for a in chosen],
        occurrence=occurrence,
        skipped=[a.person for a in attendees if not a.person.email],
    )


def feed(
    stamp: datetime,
    *,
    program: str | None = None,
    window_start: datetime | None = None,
    window_end: datetime | None = None,
) -> bytes:
    """A METHOD:PUBLISH calendar of meetings (series whole, with their changes) and
    milestones (all-day, on their forecast or actual date), for a program or all.

    With a window, only meetings with an occurrence in it and milestones dated in it.
    """
    from docket.models.meetings import OccurrenceFilter, list_occurrences
    from docket.models.programs import get_program

    organizer = Person.alias()
    # the columns the events need, not whole records: thousands of meetings
    query = (
        Meeting.select(
            Meeting.id,
            Meeting.uid,
            Meeting.sequence,
            Meeting.title,
            Meeting.agenda,
            Meeting.timezone,
            Meeting.start_utc,
            Meeting.until_utc,
            Meeting.duration_minutes,
            Meeting.rrule,
            Meeting.location,
            Meeting.link,
            Meeting.status,
            Meeting.organizer,
            Program.code,
            organizer.id,
            organizer.name,
            organizer.email,
        )
        .join(Program)
        .join_from(Meeting, organizer, JOIN.LEFT_OUTER, on=(Meeting.organizer == organizer.id))
        .where(Meeting.status != "cancelled")
    )
    scoped = get_program(program) if program else None
    if scoped is not None:
        query = query.where(Meeting.program == scoped)
    if window_start is not None and window_end is not None:
        flt = OccurrenceFilter(program=program, include_cancelled=False)
        ids = {o.meeting_id for o in list_occurrences(window_start, window_end, flt)}
        query = query.where(Meeting.id.in_(sorted(ids)))
    query = query.order_by(Meeting.start_utc, Meeting.id)
    meetings = list(query)
    by_meeting: dict[int, list[_Guest]] = {}
    # plain rows, not records: a calendar of everything has tens of thousands of attendees
    people: Any = (  # rows as tuples: meeting, person id, name, e-mail, role, response
        Attendee.select(
            Attendee.meeting,
            Person.id,
            Person.name,
            Person.email,
            Attendee.role,
            Attendee.response,
        )
        .join(Person)
        .where(Attendee.meeting.in_([m.id for m in meetings]))
        .order_by(Attendee.meeting, Attendee.id)
        .tuples()
    )
    for meeting_id, person_id, name, email, role, response in people:
        guest = _Guest(person_id, name, email or "", role, response)
        by_meeting.setdefault(meeting_id, []).append(guest)
    changes = changes_by_meeting([m.id for m in meetings])
    zones = _Zones()
    events: list[Event] = []
    for meeting in meetings:
        changed = changes.get(meeting.id, [])
        zones.use(meeting.timezone, *_span(meeting, changed))
        attending = by_meeting.get(meeting.id, [])
        events.extend(_series_events(meeting, attending, "PUBLISH", stamp, changed))
    events.extend(_milestone_events(stamp, scoped, window_start, window_end))
    cal = _calendar("PUBLISH")
    cal.add("x-wr-calname", f"docket {program}" if program else "docket")
    return _finish(cal, zones, events)


def _milestone_events(
    stamp: datetime,
    program: Program | None,
    window_start: datetime | None,
    window_end: datetime | None,
) -> list[Event]:
    query = (
        Milestone.select(
            Milestone.id,
            Milestone.title,
            Milestone.forecast,
            Milestone.actual,
            Milestone.version,
            Program.code,
        )
        .join(Program)
        .order_by(Milestone.id)
    )
    if program is not None:
        query = query.where(Milestone.program == program)
    events = []
    for milestone in query:
        day: date = milestone.actual or milestone.forecast
        outside = (
            window_start is not None
            and window_end is not None
            and not window_start.date() <= day <= window_end.date()
        )
        if outside:
            continue
        event = Event()
        event.add("uid", f"milestone-{milestone.id}-{milestone.program.code}@docket")
        event.add("dtstamp", stamp.astimezone(UTC))
        event.add("sequence", milestone.version - 1)
        done = " (done)" if milestone.actual else ""
        event.add("summary", f"{milestone.program.code} milestone: {milestone.title}{done}")
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
        event.add("transp", "TRANSPARENT")
        events.append(event)
    return events
