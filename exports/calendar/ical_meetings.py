"""Meetings in from a calendar file: each series with its moved, relocated, retitled and
cancelled occurrences, or not at all (a savepoint per series).

The imported meeting keeps the file's UID and SEQUENCE (the highest of the series' events),
so docket's later invites update the events already in attendees' calendars instead of
duplicating them. docket's own milestones are left out: they are not meetings.
"""

from __future__ import annotations

import functools
import re
from collections import OrderedDict
from datetime import datetime
from typing import Any, Protocol

import peewee
from icalendar import Component

from docket.exports.calendar.ical_batch import Batch, Known, Prepared
from docket.exports.calendar.ical_fields import (
    RESPONSES,
    ROLES,
    Timing,
    address_of,
    agenda_of,
    all_values,
    event_label,
    highest_sequence,
    moment_of,
    place_of,
    timing_of,
)
from docket.exports.calendar.ical_read import UNREADABLE, Skip, Source, check_readable
from docket.exports.calendar.ical_report import ImportReport, skipped_event
from docket.exports.calendar.ical_tzid import FileZones
from docket.models.core.context import Context
from docket.models.core.database import write
from docket.models.core.errors import DocketError, NotFoundError, ValidationError
from docket.models.core.schema import Meeting, Person
from docket.models.meetings.changes import (
    NotPlanned,
    PlannedSeries,
    cancel_occurrence,
    move_occurrence,
    relocate_occurrence,
    retitle_occurrence,
)
from docket.models.meetings.occurrences import find_occurrence
from docket.models.meetings.series import (
    AGENDA_MAX,
    get_meeting,
    keep_sequence,
)
from docket.models.people.directory import people_by_email

# calendar user types that are not people (rooms and equipment in Outlook exports)
NOT_PEOPLE = {"ROOM", "RESOURCE"}


# what docket's own export writes (exports/calendar/ical_feed.py): its milestones are not meetings
DOCKET_PRODID = "-//docket//docket meetings//EN"


DOCKET_MILESTONE_UID = re.compile(r"milestone-\d+-[^@]+@docket")


def import_meetings(
    ctx: Context, source: Source, program: str | None, report: ImportReport
) -> None:
    """Import each series of the file, in a savepoint of its own; what cannot be imported
    goes in the report with its line and why."""
    calendar = source.calendar
    zones = FileZones(calendar, ctx)
    own = str(calendar.get("PRODID", "")).strip() == DOCKET_PRODID
    masters: dict[str, Component] = {}
    overrides: dict[str, list[Component]] = {}
    milestones = 0
    for event in calendar.walk("VEVENT"):
        uid = str(event.get("UID", "")).strip()
        if not uid:
            report.skipped.append(skipped_event(event, "no UID", source))
        elif own and DOCKET_MILESTONE_UID.fullmatch(uid):
            milestones += 1
        elif event.get("RECURRENCE-ID") is not None:
            overrides.setdefault(uid, []).append(event)
        elif uid in masters:
            report.skipped.append(skipped_event(event, "a second event with the same UID", source))
        else:
            masters[uid] = event
    others = [str(c.name) for c in calendar.subcomponents if c.name not in ("VEVENT", "VTIMEZONE")]
    if others:
        report.notes.append(f"left out {len(others)} {', '.join(sorted(set(others)))} (not events)")
    if milestones:
        report.notes.append(f"left out {milestones} milestone(s) of docket's calendar")
    known = Known(_directory(calendar), _in_docket(sorted(masters)))
    batch = Batch(ctx, program, report)
    for uid, master in masters.items():
        at_fault = master
        changed = overrides.pop(uid, [])
        try:
            if plain(master, changed):
                # a plain series (most of a calendar): checked now, written with others
                batch.add(master, prepared(master, changed, zones, report, source, known))
                continue
            if _planned(ctx, master, changed, zones, report, source, known, batch):
                continue  # its changes planned, it is written with the others too
            batch.flush()  # the series before it first, so ids and audit keep file order
            with write():  # a savepoint: the series with all its changes, or nothing
                _series(ctx, master, changed, zones, report, source, known, batch)
        except Skip as why:
            at_fault = why.event or master
            reason = str(why)
        except DocketError as error:
            reason = str(error)
        except (*UNREADABLE, peewee.IntegrityError) as error:
            reason = f"cannot be read: {error}"
        else:
            continue
        if at_fault is not master:
            series_at = source.line(master)
            where = f" (line {series_at})" if series_at else ""
            reason += f"; its series{where} is left out with it"
        report.skipped.append(skipped_event(at_fault, reason, source))
    batch.flush()
    for events in overrides.values():
        report.skipped.append(
            skipped_event(
                events[0], "changed occurrences of a series that is not in the file", source
            )
        )
    report.notes.extend(zones.notes)
    report.skipped.sort(key=lambda s: s.line or 0)


def _people(
    event: Component, report: ImportReport, directory: dict[str, Person]
) -> tuple[list[tuple[Person, str, str]], Any]:
    """The attendees docket knows (person, role, response) and the organizer's address
    (``directory``: the people of the file's addresses, read once for the whole file)."""
    # the parameters' keys are upper case as stored: read without the case-blind lookup's
    # conversions (a 50 MB calendar names 800,000 attendees)
    attendees = [
        a for a in all_values(event, "ATTENDEE") if _param(a.params, "CUTYPE") not in NOT_PEOPLE
    ]
    organizer = event.get("ORGANIZER")
    known = directory
    found: list[tuple[Person, str, str]] = []
    unknown: list[str] = []
    for attendee in attendees:
        address = _address(attendee)
        person = known.get(address)
        if person is None:
            unknown.append(address)
            continue
        params = attendee.params
        role = ROLES.get(str(_param(params, "ROLE", "")).upper(), "required")
        response = RESPONSES.get(str(_param(params, "PARTSTAT", "")).upper(), "needs action")
        found.append((person, role, response))
    if unknown:
        report.notes.append(
            f"{event_label(event)}: left out, not in the directory: {', '.join(sorted(unknown))}"
        )
    chair = known.get(address_of(organizer)) if organizer is not None else None
    if organizer is not None and chair is None:
        report.notes.append(
            f"{event_label(event)}: organizer {address_of(organizer)} is not in the directory; "
            "you are the organizer"
        )
    return found, chair


# a parameter by its key in upper case, as parameters store their keys
_param = OrderedDict.get


@functools.lru_cache(maxsize=65_536)
def _address_text(value: str) -> str:
    return address_of(value)


def _address(value: Any) -> str:
    """``address_of`` an attendee, found once for each text (a file names the same people
    on many events)."""
    return _address_text(str(value))


def plain(master: Component, changed: list[Component]) -> bool:
    """Whether a series has no changed occurrence and no excluded date (nothing to plan)."""
    return not changed and master.get("EXDATE") is None


def _directory(calendar: Component) -> dict[str, Person]:
    """The people of every attendee's and organizer's address in the file, by address in
    lower case: one read for the whole file, not one per event."""
    addresses: set[str] = set()
    for event in calendar.walk("VEVENT"):
        addresses.update(map(_address, all_values(event, "ATTENDEE")))
        organizer = event.get("ORGANIZER")
        if organizer is not None:
            addresses.add(address_of(organizer))
    wanted = sorted(a for a in addresses if a)
    found: dict[str, Person] = {}
    for at in range(0, len(wanted), 10_000):  # SQLite's limit on parameters
        found |= people_by_email(wanted[at : at + 10_000])
    return found


def _in_docket(uids: list[str]) -> dict[str, int]:
    """The meetings already in docket with these UIDs: one read for the whole file."""
    found: dict[str, int] = {}
    for at in range(0, len(uids), 10_000):
        chunk = uids[at : at + 10_000]
        query = Meeting.select(Meeting.uid, Meeting.id).where(Meeting.uid.in_(chunk))
        rows: list[tuple[str, int]] = list(query.tuples())  # type: ignore[arg-type]
        found.update((str(uid), int(ident)) for uid, ident in rows)
    return found


def prepared(
    master: Component,
    changed: list[Component],
    zones: FileZones,
    report: ImportReport,
    source: Source,
    known: Known,
) -> Prepared:
    """What a series of the file says, checked (a Skip says why it cannot be imported);
    the notes about it go in the report."""
    uid = str(master["UID"]).strip()
    check_readable(master, source)
    for event in changed:
        check_readable(event, source)
    existing = known.uids.get(uid)
    if existing is not None:
        raise Skip(f"already in docket as meeting {existing}")
    status = str(master.get("STATUS", "")).strip().upper()
    if status == "CANCELLED":
        raise Skip("cancelled in the calendar")
    if master.get("DTSTART") is None:
        raise Skip("no start (DTSTART)")
    if master.get("RDATE") is not None:
        raise Skip("extra dates (RDATE) are not supported; docket repeats by RRULE only")
    rules = all_values(master, "RRULE")
    if len(rules) > 1:
        raise Skip("more than one RRULE")
    timing = timing_of(master, zones)
    attendees, chair = _people(master, report, known.people)
    location, link = place_of(master)
    agenda = agenda_of(master, link)
    if len(agenda) > AGENDA_MAX:
        agenda = agenda[:AGENDA_MAX]
        report.notes.append(f"{event_label(master)}: description cut to {AGENDA_MAX} characters")
    return Prepared(
        uid,
        str(master.get("SUMMARY", "")).strip(),
        timing,
        rules[0].to_ical().decode() if rules else None,
        attendees,
        chair,
        location,
        link,
        agenda,
        "tentative" if status == "TENTATIVE" else "confirmed",
    )


def _series(
    ctx: Context,
    master: Component,
    changed: list[Component],
    zones: FileZones,
    report: ImportReport,
    source: Source,
    known: Known,
    batch: Batch,
) -> None:
    plan = prepared(master, changed, zones, report, source, known)
    timing = plan.timing
    # the meeting, its attendees and their answers, as add_meeting and set_response write
    meeting = get_meeting(batch.write_one(plan))
    if meeting.rrule:
        saved = _Saved(ctx, meeting.id)
        report.changes += _exdates(saved, master, timing, report)
        for event in changed:
            try:
                report.changes += _override(saved, event, timing, zones)
            except Skip as why:
                raise Skip(str(why), event) from None
            except DocketError as error:
                raise Skip(str(error), event) from None
    elif changed:
        raise Skip("changed occurrences of a meeting that does not repeat", changed[0])
    keep_sequence(ctx, meeting.id, highest_sequence([master, *changed]))
    report.meetings.append(meeting.id)


def _planned(
    ctx: Context,
    master: Component,
    changed: list[Component],
    zones: FileZones,
    report: ImportReport,
    source: Source,
    known: Known,
    batch: Batch,
) -> bool:
    """Plan a series with excluded dates or changed occurrences as :func:`_series` would
    write it (the same checks, values, notes and count of changes) and keep it for the
    batch; False when it must go one by one after all (it is refused, or makes a change
    only the operations themselves make): then nothing was kept or noted."""
    noted, counted = len(report.notes), report.changes
    try:
        plan = prepared(master, changed, zones, report, source, known)
        planned = batch.planned(plan)
        values = planned.values
        meeting = Meeting(
            title=values["title"],
            timezone=values["timezone"],
            start_utc=values["start_utc"],
            duration_minutes=values["duration_minutes"],
            location=values["location"],
            link=values["link"],
            rrule=values["rrule"],
            status=values["status"],
        )
        series = PlannedSeries(ctx, meeting, int(values["sequence"]))
        timing = plan.timing
        if meeting.rrule:
            report.changes += _exdates(series, master, timing, report)
            for event in changed:
                report.changes += _override(series, event, timing, zones)
        elif changed:
            raise NotPlanned("changed occurrences of a meeting that does not repeat")
        series.keep_sequence(highest_sequence([master, *changed]))
    except (NotPlanned, Skip, DocketError, *UNREADABLE):
        del report.notes[noted:]
        report.changes = counted
        return False
    planned.series = series
    batch.add_planned(planned)
    return True


class _Series(Protocol):
    """A series whose occurrences an import changes: one saved already (:class:`_Saved`,
    each change its own write) or one planned (:class:`PlannedSeries`, written with the
    batch)."""

    @property
    def meeting(self) -> Meeting: ...

    def find(self, typed: datetime) -> datetime: ...

    def cancel(self, occurrence: datetime) -> object: ...

    def move(self, occurrence: datetime, to: datetime, duration: int) -> None: ...

    def relocate(self, occurrence: datetime, *, location: str | None, link: str | None) -> None: ...

    def retitle(self, occurrence: datetime, title: str | None) -> None: ...


class _Saved:
    """A saved series, changed through the occurrence operations."""

    def __init__(self, ctx: Context, meeting_id: int) -> None:
        self.ctx, self.meeting_id = ctx, meeting_id

    @property
    def meeting(self) -> Meeting:
        return get_meeting(self.meeting_id)

    def find(self, typed: datetime) -> datetime:
        return find_occurrence(self.ctx, self.meeting, typed)

    def cancel(self, occurrence: datetime) -> object:
        return cancel_occurrence(self.ctx, self.meeting_id, occurrence)

    def move(self, occurrence: datetime, to: datetime, duration: int) -> None:
        move_occurrence(self.ctx, self.meeting_id, occurrence, to, duration=duration)

    def relocate(self, occurrence: datetime, *, location: str | None, link: str | None) -> None:
        relocate_occurrence(self.ctx, self.meeting_id, occurrence, location=location, link=link)

    def retitle(self, occurrence: datetime, title: str | None) -> None:
        retitle_occurrence(self.ctx, self.meeting_id, occurrence, title)


def _exdates(series: _Series, master: Component, timing: Timing, report: ImportReport) -> int:
    """Cancel the series' excluded dates (EXDATE); how many."""
    cancelled = 0
    for exdate in all_values(master, "EXDATE"):
        for value in exdate.dts:
            moment = moment_of(value, timing.tz, "an excluded date (EXDATE)")
            try:
                series.cancel(moment)
            except NotFoundError:
                report.notes.append(
                    f"{event_label(master)}: the excluded {moment:%Y-%m-%d %H:%M} "
                    "is not an occurrence"
                )
                continue
            except ValidationError:  # the same date excluded twice
                continue
            cancelled += 1
    return cancelled


def _override(series: _Series, event: Component, timing: Timing, zones: FileZones) -> int:
    """Apply one changed occurrence (RECURRENCE-ID); how many changes that made."""
    original_at = moment_of(event["RECURRENCE-ID"], timing.tz, "its RECURRENCE-ID")
    try:
        original = series.find(original_at)
    except NotFoundError:
        raise Skip(
            f"its change of {original_at:%Y-%m-%d %H:%M} names no occurrence of the series"
        ) from None
    if str(event.get("STATUS", "")).upper() == "CANCELLED":
        series.cancel(original)
        return 1
    made = 0
    meeting = series.meeting
    start, minutes = original.astimezone(timing.tz), meeting.duration_minutes
    if event.get("DTSTART") is not None:
        moved = timing_of(event, zones, all_day_series=timing.all_day)
        start, minutes = moved.start.astimezone(timing.tz), moved.minutes
    if start != original or minutes != meeting.duration_minutes:
        series.move(original, start, minutes)
        made += 1
    location, link = place_of(event)
    if location != meeting.location or link != meeting.link:
        series.relocate(
            original,
            location=location if location != meeting.location else None,
            link=link if link != meeting.link else None,
        )
        made += 1
    title = str(event.get("SUMMARY", "")).strip()
    if title and title != meeting.title:
        series.retitle(original, title)
        made += 1
    return made
