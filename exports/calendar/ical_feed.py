"""Calendar feeds out of docket (METHOD:PUBLISH): meetings, series whole with their changes,
and milestones as all-day events, for a program or all, in a window or not.

The text is written line by line (exports/calendar/ical_text.py), VTIMEZONEs and RRULEs
included (exports/calendar/ical_order.py): a feed does not import icalendar. Commands import
this module when they need it.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any

from peewee import Case

from docket.exports.calendar.ical_events import (
    Guest,
    Roster,
    Zones,
    begin_calendar,
    chair_of,
    published_line,
    series_events,
    write_event,
    zone_span,
)
from docket.exports.calendar.ical_text import ContentLines, text_line, utc_stamp
from docket.exports.calendar.ical_text import day as date_value
from docket.models.core.schema import (
    ATTENDEE_ROLES,
    RESPONSES,
    Attendee,
    Meeting,
    Milestone,
    Person,
    Program,
    database,
)
from docket.models.meetings.occurrences import among, changes_by_meeting


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
    from docket.models.meetings.occurrences import OccurrenceFilter, list_occurrences
    from docket.models.portfolio.programs import get_program

    # the columns the events need, not whole records: thousands of meetings (their
    # programs and organizers, a few, are read apart: joined, each row repeated them)
    query = Meeting.select(
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
        Meeting.program,
    ).where(Meeting.status != "cancelled")
    scoped = get_program(program) if program else None
    if scoped is not None:
        query = query.where(Meeting.program == scoped)
    if window_start is not None and window_end is not None:
        flt = OccurrenceFilter(program=program, include_cancelled=False)
        ids = {o.meeting_id for o in list_occurrences(window_start, window_end, flt)}
        query = query.where(Meeting.id.in_(among(ids)))
    query = query.order_by(Meeting.start_utc, Meeting.id)
    meetings = _meetings(query)
    everything = scoped is None and (window_start is None or window_end is None)
    # each meeting's columns are read from its data, not through its fields: thousands
    meeting_ids = [m.__data__["id"] for m in meetings]
    by_meeting = _attendee_lines(None if everything else meeting_ids)
    changes = changes_by_meeting(meeting_ids)
    zones = Zones()
    for meeting, ident in zip(meetings, meeting_ids, strict=True):
        data = meeting.__data__
        if not data["all_day"]:  # dates need no zone
            zones.use(data["timezone"], *zone_span(meeting, changes.get(ident, [])))
    out = begin_calendar("PUBLISH", f"docket {program}" if program else "docket")
    zones.write(out)
    stamp_text = utc_stamp(stamp)
    # a published ORGANIZER depends on the organizer alone: one per person, not per meeting
    chairs: dict[int | None, tuple[str, str] | None] = {}
    for meeting, ident in zip(meetings, meeting_ids, strict=True):
        organizer_id = meeting.__data__["organizer"]
        if organizer_id in chairs:
            chair = chairs[organizer_id]
        else:
            chair = chairs[organizer_id] = chair_of(meeting, "PUBLISH")
        roster = Roster(chair, [], by_meeting.get(ident, []))
        for event in series_events(meeting, changes.get(ident, [])):
            write_event(out, meeting, stamp_text, roster, event)
    _write_milestones(out, stamp_text, scoped, window_start, window_end)
    out.end("VCALENDAR")
    return out.to_bytes()


# an attendee's role and response as one number (its line is keyed by its person and it)
_PAIRS = tuple((role, response) for role in ATTENDEE_ROLES for response in RESPONSES)


def _attendee_lines(meeting_ids: list[int] | None) -> dict[int, list[str]]:
    """Each meeting's ATTENDEE lines, in the order they were added (``meeting_ids``: only
    these meetings'; None: every meeting's). A calendar of everything has tens of thousands
    of attendees and a few thousand people: the attendees are read alone, in the order of
    their ids, and each person once; each line is written once per person, role and response
    (None: no e-mail address, left out). SQL numbers each attendee's person, role and
    response (one integer, :data:`_PAIRS`): reading two texts a row took longer than the
    rest of the work."""
    # only the people who attend: an office that imported its HR list has a hundred times
    # more people than attendees (200,000 people: 0.2 s more to read them all)
    attending: Any = Attendee.select(Attendee.person)
    if meeting_ids is not None:
        attending = attending.where(Attendee.meeting.in_(among(meeting_ids)))
    people: Any = Person.select(Person.id, Person.name, Person.email).where(
        Person.id.in_(attending)
    )
    # read through the cursor: every column is an integer or text already, and converting
    # tens of thousands of rows value by value took longer than the query
    named = {person_id: (name, email) for person_id, name, email in _rows(people)}
    width = len(_PAIRS)
    pair = Case(
        Attendee.role, [(role, i * len(RESPONSES)) for i, role in enumerate(ATTENDEE_ROLES)]
    ) + Case(Attendee.response, [(response, i) for i, response in enumerate(RESPONSES)])
    attendees: Any = Attendee.select(Attendee.meeting, Attendee.person * width + pair).order_by(
        Attendee.id
    )
    if meeting_ids is not None:
        attendees = attendees.where(Attendee.meeting.in_(among(meeting_ids)))
    lines: dict[int, str | None] = {}
    by_meeting: defaultdict[int, list[str]] = defaultdict(list)
    # a meeting's attendees mostly follow one another: its list is looked up once per run
    last_id, found = None, []
    for meeting_id, key in _rows(attendees):
        try:
            line = lines[key]
        except KeyError:
            person_id, index = divmod(key, width)
            name, email = named[person_id]
            role, response = _PAIRS[index]
            line = lines[key] = published_line(Guest(person_id, name, email or "", role, response))
        if line is not None:
            if meeting_id != last_id:
                last_id, found = meeting_id, by_meeting[meeting_id]
            found.append(line)
    return by_meeting


def _rows(query: Any) -> Any:
    """The rows of ``query`` as SQLite gives them (no conversion of values)."""
    sql, params = query.sql()
    return database.execute_sql(sql, params)


def _meetings(query: Any) -> list[Meeting]:
    """The meetings the feed's query selects, each built straight from its row (what peewee
    does, less its conversion of every value): a calendar of everything has thousands. Only
    the instants and the all-day flag need converting; each program and organizer is one
    shared record, read once."""
    rows = list(_rows(query))
    programs = {
        ident: Program(id=ident, code=code)
        for ident, code in _rows(Program.select(Program.id, Program.code))
    }
    # each row ends with the organizer's id and the program's (the query's last two columns)
    chairs = {organizer for *_, organizer, _ in rows if organizer is not None}
    people = {
        ident: Person(id=ident, name=name, email=email)
        for ident, name, email in _rows(
            Person.select(Person.id, Person.name, Person.email).where(Person.id.in_(among(chairs)))
        )
    }
    found: list[Meeting] = []
    instant = Meeting.start_utc.python_value
    for (
        ident,
        uid,
        sequence,
        title,
        agenda,
        zone,
        start,
        until,
        minutes,
        rule,
        location,
        link,
        status,
        all_day,
        organizer_id,
        program_id,
    ) in rows:
        meeting = Meeting(__no_default__=True)
        meeting.__data__ = {
            "id": ident,
            "uid": uid,
            "sequence": sequence,
            "title": title,
            "agenda": agenda,
            "timezone": zone,
            "start_utc": instant(start),
            "until_utc": None if until is None else instant(until),
            "duration_minutes": minutes,
            "rrule": rule,
            "location": location,
            "link": link,
            "status": status,
            "all_day": bool(all_day),
            "organizer": organizer_id,
        }
        meeting.__rel__["program"] = programs[program_id]
        person = people.get(organizer_id)
        if person is not None:
            meeting.__rel__["organizer"] = person
        found.append(meeting)
    return found


_ONE_DAY = timedelta(days=1)


def _day(value: str | date) -> date:
    """A date column's value as SQLite gives it (ISO text), or as a date already."""
    return value if isinstance(value, date) else date.fromisoformat(value)


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
    )
    if program is not None:
        query = query.where(Milestone.program == program)
    # read through the cursor (thousands of rows): the dates come as ISO text. Each line
    # is appended as it is made; DTSTAMP and TRANSP are the same in every milestone
    add = out.lines.append
    stamp_line = f"DTSTAMP:{stamp}"
    for milestone_id, title, forecast, actual, version, code in _rows(query):
        day = _day(actual or forecast)
        outside = (
            window_start is not None
            and window_end is not None
            and not window_start.date() <= day <= window_end.date()
        )
        if outside:
            continue
        done = " (done)" if actual else ""
        add("BEGIN:VEVENT")
        add(text_line("SUMMARY", f"{code} milestone: {title}{done}"))
        add(f"DTSTART;VALUE=DATE:{date_value(day)}")
        add(f"DTEND;VALUE=DATE:{date_value(day + _ONE_DAY)}")
        add(stamp_line)
        add(text_line("UID", f"milestone-{milestone_id}-{code}@docket"))
        add(f"SEQUENCE:{version - 1}")
        add("TRANSP:TRANSPARENT")
        add("END:VEVENT")
