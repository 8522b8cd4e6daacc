"""iCalendar out of docket: invites (REQUEST, CANCEL) and calendar feeds (PUBLISH).

The rules of DESIGN section 6: one UID per series, never changed; the meeting's SEQUENCE;
DTSTAMP on every VEVENT; ORGANIZER and ATTENDEE as ``mailto:`` with CN, ROLE, PARTSTAT and
RSVP; local DTSTART/DTEND with TZID, and one VTIMEZONE per zone (exports/ical_zones.py) that
every client reads the same way for the whole span of the calendar, a series without end
included, so a client that does not know the zone's name still places every occurrence
right; a moved or relocated occurrence is a VEVENT with the series UID and
RECURRENCE-ID equal to its original start; a cancelled occurrence is an EXDATE of the series
(REQUEST, PUBLISH) or a VEVENT of its own (CANCEL).

The text is written line by line (exports/ical_text.py); icalendar builds only the VTIMEZONE
of each zone and puts an RRULE's parts in order. Commands import this module when they need
it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import vRecur
from peewee import JOIN

from docket.exports.calendar.ical_text import UTC_ZONES, ContentLines, param, utc_stamp
from docket.exports.calendar.ical_text import day as date_value
from docket.exports.calendar.ical_zones import vtimezone, zone_rules
from docket.models.core.errors import ValidationError
from docket.models.core.schema import (
    Attendee,
    Meeting,
    Milestone,
    OccurrenceChange,
    Person,
    Program,
)
from docket.models.meetings.recurrence import end_of, expand, last_start, nominal
from docket.models.meetings.series import (
    Occurrence,
    attendees_of,
    changed_occurrence,
    changes_by_meeting,
    get_meeting,
    occurrence_at,
    occurrence_changes,
    series_start,
)

PRODID = "-//docket//docket meetings//EN"
ROLES = {"chair": "CHAIR", "required": "REQ-PARTICIPANT", "optional": "OPT-PARTICIPANT"}
PARTSTATS = {
    "needs action": "NEEDS-ACTION",
    "accepted": "ACCEPTED",
    "declined": "DECLINED",
    "tentative": "TENTATIVE",
}


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


class _Zones:
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


def _calendar(method: str, name: str | None = None) -> ContentLines:
    out = ContentLines()
    out.begin("VCALENDAR")
    out.add("VERSION", "2.0")
    out.text("PRODID", PRODID)
    out.add("CALSCALE", "GREGORIAN")
    out.add("METHOD", method)
    if name is not None:
        out.text("X-WR-CALNAME", name)
    return out


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
def _address_params(name: str, *params: tuple[str, str]) -> str:
    """``;CN=...`` and the given parameters, in name order; one string per distinct line, so
    thousands of events share their attendees' parameters."""
    pairs = sorted([("CN", param(name, quote_also=" '")), *params])
    return "".join(f";{key}={value}" for key, value in pairs)


@dataclass(frozen=True)
class _Roster:
    """A meeting's ORGANIZER and ATTENDEE lines as (parameters, value), written into each of
    its events."""

    organizer: tuple[str, str] | None
    attendees: list[tuple[str, str]]


def _roster(meeting: Meeting, guests: list[_Guest], method: str) -> _Roster:
    """Who an event names (attendees without an e-mail address are left out); an invite
    needs an organizer who can receive the replies."""
    organizer = meeting.organizer if meeting.__data__.get("organizer") else None
    chair = None
    if organizer is not None and organizer.email:
        chair = (_address_params(organizer.name), f"mailto:{organizer.email}")
    elif method != "PUBLISH":
        name = organizer.name if organizer is not None else "nobody"
        raise ValidationError(
            "organizer",
            f"an invite needs an organizer with an e-mail address; meeting {meeting.id} has {name}",
        )
    lines = []
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
        lines.append((_address_params(guest.name, *params), f"mailto:{guest.email}"))
    return _Roster(chair, lines)


def _description(meeting: Meeting, agenda: str | None = None, link: str | None = None) -> str:
    parts = [p for p in ((agenda if agenda is not None else meeting.agenda).strip(),) if p]
    url = link if link is not None else meeting.link
    if url:
        parts.append(f"Join: {url}")
    return "\n\n".join(parts)


def _status(meeting_status: str) -> str:
    return {"confirmed": "CONFIRMED", "tentative": "TENTATIVE"}.get(meeting_status, "CANCELLED")


@lru_cache(maxsize=1024)
def _rrule_text(rule: str) -> str:
    """An RRULE body with its parts in the usual order (FREQ, UNTIL, COUNT, INTERVAL, BY...)."""
    return bytes(vRecur.from_ical(rule).to_ical()).decode("ascii")


@dataclass(frozen=True)
class _Event:
    """What one VEVENT of a meeting says beyond the meeting's own title, UID and SEQUENCE."""

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


def _write_event(
    out: ContentLines, meeting: Meeting, stamp: str, roster: _Roster, event: _Event
) -> None:
    """One VEVENT; its properties in the order calendar files usually have them (SUMMARY,
    times, DTSTAMP, UID, RECURRENCE-ID, SEQUENCE, recurrence, then by name)."""
    zone = meeting.timezone
    out.begin("VEVENT")
    out.text("SUMMARY", event.title or meeting.title)
    if meeting.all_day:
        _write_days(out, zone, event)
    else:
        _write_times(out, meeting, event)
    out.add("DTSTAMP", stamp)
    out.text("UID", meeting.uid)
    if event.recurrence_id is not None and meeting.all_day:
        out.day("RECURRENCE-ID", event.recurrence_id.astimezone(ZoneInfo(zone)).date())
    elif event.recurrence_id is not None:
        out.moments("RECURRENCE-ID", zone, _nominal(meeting, event.recurrence_id))
    out.add("SEQUENCE", str(meeting.sequence))
    if event.rrule:
        rule = _rrule_text(event.rrule)
        out.add("RRULE", _until_day(rule, zone) if meeting.all_day else rule)
    if event.exdates and meeting.all_day:
        days = (date_value(e.astimezone(ZoneInfo(zone)).date()) for e in event.exdates)
        out.add("EXDATE", ",".join(days), ";VALUE=DATE")
    elif event.exdates:
        out.moments("EXDATE", zone, *(_nominal(meeting, e) for e in event.exdates))
    for params, address in roster.attendees:
        out.add("ATTENDEE", address, params)
    if event.description:
        out.text("DESCRIPTION", event.description)
    if event.location or event.link:
        out.text("LOCATION", event.location or event.link)
    if roster.organizer is not None:
        out.add("ORGANIZER", roster.organizer[1], roster.organizer[0])
    out.text("STATUS", event.status)
    if event.link:
        out.add("URL", event.link)
    out.end("VEVENT")


def _write_times(out: ContentLines, meeting: Meeting, event: _Event) -> None:
    """DTSTART and DTEND (or DURATION) of a timed event, so every reader places it at the
    instants docket does. Local times with TZID, except where readers differ: a local time
    that happens twice (the hour repeated when daylight saving ends: ical.js takes the
    second, RFC 5545 and docket the first) or a meeting the clocks change during (vobject and
    recurring-ical-events add its length to the wall clock): such an occurrence is written
    in UTC. A series keeps its local DTSTART, which anchors its rule; when its first
    occurrence is such a one, its length is a DURATION (exact, RFC 5545 3.8.2.5) and that
    occurrence is also written on its own (see :func:`_unsteady_starts`)."""
    zone, start = meeting.timezone, event.start
    end = end_of(start, event.minutes)
    steady = zone in UTC_ZONES or _steady(start, start, event.minutes)
    if event.rrule:
        out.moments("DTSTART", zone, start)
        if steady:
            out.moments("DTEND", zone, end)
        else:
            hours, minutes = divmod(event.minutes, 60)
            length = (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
            out.add("DURATION", f"PT{length}")
    elif steady:
        out.moments("DTSTART", zone, start)
        out.moments("DTEND", zone, end)
    else:
        out.add("DTSTART", utc_stamp(start))
        out.add("DTEND", utc_stamp(end))


def _twice(moment: datetime) -> bool:
    """Whether ``moment``'s wall clock shows that time twice (an hour repeated)."""
    wall, zone = moment.replace(tzinfo=None), moment.tzinfo
    return (
        wall.replace(tzinfo=zone, fold=0).utcoffset()
        != wall.replace(tzinfo=zone, fold=1).utcoffset()
    )


def _steady(wall: datetime, start: datetime, minutes: int) -> bool:
    """Whether every reader places an occurrence the rule gives at ``wall`` where docket
    does (``start``, lasting ``minutes``): the wall time exists once, the end's too, and the
    clocks do not change during it."""
    end = end_of(start, minutes)
    return (
        wall.replace(tzinfo=None) == start.replace(tzinfo=None)
        and not _twice(start)
        and not _twice(end)
        and start.utcoffset() == end.utcoffset()
    )


def _nominal(meeting: Meeting, original: datetime) -> datetime:
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


def _unsteady_starts(meeting: Meeting) -> list[datetime]:
    """The original starts (UTC) of a series' occurrences that readers would place other
    than docket (see :func:`_write_times`): each is written as a VEVENT of its own, in UTC.
    Looked for at each change of the zone through its span (to the last year the zone is
    read for, for a series without end)."""
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
            if not _steady(nominal(rule, first, start), start, minutes):
                found.add(start.astimezone(UTC))
    return sorted(found)


def _write_days(out: ContentLines, zone: str, event: _Event) -> None:
    """An all-day event's DTSTART and DTEND as dates (VALUE=DATE): its day in the meeting's
    zone, and the day after its last."""
    first = event.start.astimezone(ZoneInfo(zone)).date()
    out.day("DTSTART", first)
    out.day("DTEND", first + timedelta(days=max(1, -(-event.minutes // 1440))))


_UNTIL = re.compile(r"UNTIL=(\d{8}T\d{6}Z)")


def _until_day(rule: str, zone: str) -> str:
    """An all-day series' UNTIL as a date (RFC 5545: the type of DTSTART): the day of its
    last start in the meeting's zone."""
    found = _UNTIL.search(rule)
    if found is None:
        return rule
    last = datetime.strptime(found[1], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    return rule.replace(found[0], f"UNTIL={date_value(last.astimezone(ZoneInfo(zone)).date())}")


def _series_events(meeting: Meeting, changes: list[OccurrenceChange]) -> list[_Event]:
    """The master VEVENT (with RRULE and EXDATEs) and one VEVENT per changed occurrence."""
    changes = changes if meeting.rrule else []
    master = _Event(
        start=series_start(meeting),
        minutes=meeting.duration_minutes,
        status=_status(meeting.status),
        location=meeting.location,
        link=meeting.link,
        description=_description(meeting),
        rrule=meeting.rrule,
        exdates=tuple(c.original_start for c in changes if c.cancelled),
    )
    overrides = [
        _override(meeting, changed_occurrence(meeting, change.original_start, change))
        for change in changes
        if not change.cancelled
    ]
    if not meeting.all_day:
        changed = {c.original_start for c in changes}
        overrides += [
            _override(meeting, changed_occurrence(meeting, start, None))
            for start in _unsteady_starts(meeting)
            if start not in changed
        ]
        overrides.sort(key=lambda e: e.recurrence_id or e.start)
    return [master, *overrides]


def _override(meeting: Meeting, occurrence: Occurrence, *, cancelled: bool = False) -> _Event:
    return _Event(
        start=occurrence.start,
        minutes=occurrence.duration_minutes,
        status="CANCELLED" if cancelled else _status(meeting.status),
        location=occurrence.location,
        link=occurrence.link,
        description=_description(meeting, link=occurrence.link),
        recurrence_id=occurrence.original_start,
        title=occurrence.title if occurrence.title != meeting.title else "",
    )


def _span(meeting: Meeting, changes: list[OccurrenceChange]) -> tuple[datetime, datetime | None]:
    """The first and last moments a meeting's events need its zone for (None: no end)."""
    first = series_start(meeting)
    last = meeting.until_utc if meeting.rrule else meeting.start_utc
    moved = [c.new_start for c in changes if c.new_start is not None]
    if not meeting.rrule or meeting.until_utc is not None:
        ends = [e for e in (last, *moved) if e is not None]
        return min([first, *moved]), max(ends)
    return min([first, *moved]), None


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
        events = [_override(meeting, one, cancelled=method == "CANCEL")]
        zones.use(meeting.timezone, min(one.start, one.original_start.astimezone(tz)), one.start)
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
        zones.use(meeting.timezone, *_span(meeting, changes))
        if method == "CANCEL":
            whole = _Event(
                start=series_start(meeting),
                minutes=meeting.duration_minutes,
                status="CANCELLED",
                rrule=meeting.rrule,
            )
            events = [whole]
        else:
            events = _series_events(meeting, changes)
    roster = _roster(meeting, _guests(attendees), method)
    out = _calendar(method)
    zones.write(out)
    stamp_text = utc_stamp(stamp)
    for event in events:
        _write_event(out, meeting, stamp_text, roster, event)
    out.end("VCALENDAR")
    chosen = [a for a in attendees if a.person.email]
    return Invite(
        method=method,
        ics=out.to_bytes(),
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
    from docket.models.meetings.series import OccurrenceFilter, list_occurrences
    from docket.models.portfolio.programs import get_program

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
            Meeting.all_day,
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
    for meeting in meetings:
        if not meeting.all_day:  # dates need no zone
            zones.use(meeting.timezone, *_span(meeting, changes.get(meeting.id, [])))
    out = _calendar("PUBLISH", f"docket {program}" if program else "docket")
    zones.write(out)
    stamp_text = utc_stamp(stamp)
    for meeting in meetings:
        roster = _roster(meeting, by_meeting.get(meeting.id, []), "PUBLISH")
        for event in _series_events(meeting, changes.get(meeting.id, [])):
            _write_event(out, meeting, stamp_text, roster, event)
    _write_milestones(out, stamp_text, scoped, window_start, window_end)
    out.end("VCALENDAR")
    return out.to_bytes()


def _write_milestones(
    out: ContentLines,
    stamp: str,
    program: Program | None,
    window_start: datetime | None,
    window_end: datetime | None,
) -> None:
    """Milestones as all-day events on their actual date, or their forecast until done."""
    query: Any = (  # rows as tuples: id, title, forecast, actual, version, program code
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
        .tuples()
    )
    if program is not None:
        query = query.where(Milestone.program == program)
    for milestone_id, title, forecast, actual, version, code in query:
        day: date = actual or forecast
        outside = (
            window_start is not None
            and window_end is not None
            and not window_start.date() <= day <= window_end.date()
        )
        if outside:
            continue
        done = " (done)" if actual else ""
        out.begin("VEVENT")
        out.text("SUMMARY", f"{code} milestone: {title}{done}")
        out.day("DTSTART", day)
        out.day("DTEND", day + timedelta(days=1))
        out.add("DTSTAMP", stamp)
        out.text("UID", f"milestone-{milestone_id}-{code}@docket")
        out.add("SEQUENCE", str(version - 1))
        out.add("TRANSP", "TRANSPARENT")
        out.end("VEVENT")
