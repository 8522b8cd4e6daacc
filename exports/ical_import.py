"""Meetings in from calendar files: Outlook and Google exports, and attendees' replies.

A calendar file is read whole before anything is written, then imported in one transaction:
each series goes in with its moved, relocated and cancelled occurrences, or not at all (a
savepoint per series), so nothing is half-imported; what cannot be imported is reported
with the reason. A file that is not iCalendar imports nothing.

Times keep the instant the file means: a TZID is read through the file's own VTIMEZONE and
the meeting gets the IANA zone with the same rules, found by name (IANA, Windows names such
as ``W. Europe Standard Time``, ``/vendor/Area/City``) or, for a custom zone, by comparing
offsets over the year. A METHOD:REPLY file updates the answering attendees' responses.

The imported meeting keeps the file's UID and SEQUENCE, so docket's later invites update
the events already in attendees' calendars instead of duplicating them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from icalendar import Calendar, Component
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

from docket.models.context import Context
from docket.models.database import write
from docket.models.errors import DocketError, NotFoundError, ValidationError
from docket.models.meetings import (
    AGENDA_MAX,
    add_meeting,
    cancel_occurrence,
    find_occurrence,
    get_meeting,
    meeting_by_uid,
    meeting_zone,
    move_occurrence,
    raise_sequence,
    relocate_occurrence,
    set_response,
    zone_name_of,
)
from docket.models.people import people_by_email
from docket.models.schema import Person

# iCalendar's words for docket's
ROLES = {"CHAIR": "chair", "OPT-PARTICIPANT": "optional", "NON-PARTICIPANT": "optional"}
RESPONSES = {"ACCEPTED": "accepted", "DECLINED": "declined", "TENTATIVE": "tentative"}
# calendar user types that are not people (rooms and equipment in Outlook exports)
NOT_PEOPLE = {"ROOM", "RESOURCE"}


@dataclass(frozen=True)
class Skipped:
    """An event of the file that was not imported, and why."""

    what: str
    why: str


@dataclass
class ImportReport:
    """What an import did (or, with ``dry_run``, would do)."""

    method: str
    dry_run: bool
    meetings: list[int] = field(default_factory=list)
    # occurrences moved, relocated or cancelled
    changes: int = 0
    responses: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    # things worth knowing that did not stop an event (a zone read as another name,
    # attendees not in the directory)
    notes: list[str] = field(default_factory=list)

    def facts(self) -> dict[str, Any]:
        """The report as plain data (``--format json``)."""
        return {
            "method": self.method,
            "dry_run": self.dry_run,
            "meetings": self.meetings,
            "changes": self.changes,
            "responses": self.responses,
            "skipped": [{"event": s.what, "why": s.why} for s in self.skipped],
            "notes": self.notes,
        }


class _Skip(Exception):
    """This event cannot be imported, for the reason given."""


class _DryRun(Exception):
    """Roll the whole import back: it was only a rehearsal."""


def read_calendar(data: bytes) -> Calendar:
    """The calendar in ``data``; a file that is not one is a ValidationError."""
    try:
        calendars = Calendar.from_ical(data, multiple=True)
    except (ValueError, IndexError, KeyError) as exc:
        raise ValidationError("file", f"expected an iCalendar file (.ics): {exc}") from None
    if not calendars or calendars[0].name != "VCALENDAR":
        raise ValidationError("file", "expected an iCalendar file (.ics) with a VCALENDAR")
    return calendars[0]


def import_calendar(
    ctx: Context, data: bytes, *, program: str | None = None, dry_run: bool = False
) -> ImportReport:
    """Import the meetings of a calendar file (or the replies of a METHOD:REPLY one)."""
    calendar = read_calendar(data)
    method = str(calendar.get("METHOD", "PUBLISH")).strip().upper()
    report = ImportReport(method=method, dry_run=dry_run)
    try:
        with write():
            if method == "REPLY":
                _replies(ctx, calendar, report)
            else:
                _meetings(ctx, calendar, program, report)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return report


# --- what an event says ---------------------------------------------------------------


def _label(event: Component) -> str:
    title = str(event.get("SUMMARY", "")).strip() or "(no title)"
    uid = str(event.get("UID", "")).strip()
    return f"'{title}' (UID {uid})" if uid else f"'{title}'"


def _all(event: Component, name: str) -> list[Any]:
    value = event.get(name)
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _address(value: Any) -> str:
    return str(value).strip().removeprefix("mailto:").removeprefix("MAILTO:").strip().lower()


def _sequence(events: Iterable[Component]) -> int:
    numbers = []
    for event in events:
        try:
            numbers.append(int(str(event.get("SEQUENCE", 0))))
        except ValueError:
            continue
    return max(numbers, default=0)


class _Zones:
    """The IANA zone for each TZID of one file, found once per TZID."""

    def __init__(self, calendar: Calendar, ctx: Context) -> None:
        default = str(calendar.get("X-WR-TIMEZONE", "")).strip()
        try:
            self.default = meeting_zone(default) if default else meeting_zone(zone_name_of(ctx))
        except ValidationError:
            self.default = meeting_zone(zone_name_of(ctx))
        self.found: dict[str, ZoneInfo] = {}
        self.notes: list[str] = []

    def of(self, prop: Any) -> ZoneInfo:
        """The zone a DTSTART (or RECURRENCE-ID) is in."""
        tzid = prop.params.get("TZID")
        moment = prop.dt
        if not tzid:
            # UTC (Google's single events) or floating: the calendar's zone, else yours
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
            raise _Skip(f"time zone '{tzid}' is not a known zone and the file has no VTIMEZONE")
        match = _zone_like(written, moment.year)
        if match is None:
            raise _Skip(f"time zone '{tzid}' matches no IANA zone's offsets in {moment.year}")
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


def _instant(prop: Any, tz: ZoneInfo, what: str) -> datetime:
    """A DTSTART-like property as an aware time in ``tz``."""
    moment = prop.dt
    if not isinstance(moment, datetime):
        raise _Skip(f"an all-day {what}: docket's meetings have a start time")
    if moment.tzinfo is None:
        # floating time: the wall clock in the meeting's zone
        return moment.replace(tzinfo=tz)
    return moment.astimezone(tz)


def _minutes(event: Component, start: datetime, tz: ZoneInfo) -> int:
    if event.get("DTEND") is not None:
        end = _instant(event["DTEND"], tz, "end")
        return int((end - start).total_seconds() // 60)
    duration: Any = event.get("DURATION")
    if duration is not None:
        length = duration.dt
        if isinstance(length, timedelta):
            return int(length.total_seconds() // 60)
    raise _Skip("no end (DTEND) or DURATION")


# --- meetings -------------------------------------------------------------------------


def _meetings(ctx: Context, calendar: Calendar, program: str | None, report: ImportReport) -> None:
    zones = _Zones(calendar, ctx)
    masters: dict[str, Component] = {}
    overrides: dict[str, list[Component]] = {}
    for event in calendar.walk("VEVENT"):
        uid = str(event.get("UID", "")).strip()
        if not uid:
            report.skipped.append(Skipped(_label(event), "no UID"))
        elif event.get("RECURRENCE-ID") is not None:
            overrides.setdefault(uid, []).append(event)
        elif uid in masters:
            report.skipped.append(Skipped(_label(event), "a second event with the same UID"))
        else:
            masters[uid] = event
    others = [str(c.name) for c in calendar.subcomponents if c.name not in ("VEVENT", "VTIMEZONE")]
    if others:
        report.notes.append(f"left out {len(others)} {', '.join(sorted(set(others)))} (not events)")
    for uid, master in masters.items():
        try:
            with write():  # a savepoint: the series with all its changes, or nothing
                _series(ctx, master, overrides.pop(uid, []), zones, program, report)
        except _Skip as why:
            report.skipped.append(Skipped(_label(master), str(why)))
        except DocketError as error:
            report.skipped.append(Skipped(_label(master), str(error)))
    for events in overrides.values():
        report.skipped.append(
            Skipped(_label(events[0]), "changed occurrences of a series that is not in the file")
        )
    report.notes.extend(zones.notes)


def _people(event: Component, report: ImportReport) -> tuple[list[tuple[Person, str, str]], Any]:
    """The attendees docket knows (person, role, response) and the organizer's address."""
    attendees = [a for a in _all(event, "ATTENDEE") if a.params.get("CUTYPE") not in NOT_PEOPLE]
    organizer = event.get("ORGANIZER")
    known = people_by_email([_address(a) for a in attendees] + [_address(organizer or "")])
    found: list[tuple[Person, str, str]] = []
    unknown: list[str] = []
    for attendee in attendees:
        person = known.get(_address(attendee))
        if person is None:
            unknown.append(_address(attendee))
            continue
        role = ROLES.get(str(attendee.params.get("ROLE", "")).upper(), "required")
        response = RESPONSES.get(str(attendee.params.get("PARTSTAT", "")).upper(), "needs action")
        found.append((person, role, response))
    if unknown:
        report.notes.append(
            f"{_label(event)}: left out, not in the directory: {', '.join(sorted(unknown))}"
        )
    chair = known.get(_address(organizer)) if organizer is not None else None
    if organizer is not None and chair is None:
        report.notes.append(
            f"{_label(event)}: organizer {_address(organizer)} is not in the directory; "
            "you are the organizer"
        )
    return found, chair


def _series(
    ctx: Context,
    master: Component,
    changed: list[Component],
    zones: _Zones,
    program: str | None,
    report: ImportReport,
) -> None:
    uid = str(master["UID"]).strip()
    existing = meeting_by_uid(uid)
    if existing is not None:
        raise _Skip(f"already in docket as meeting {existing.id}")
    if str(master.get("STATUS", "")).upper() == "CANCELLED":
        raise _Skip("cancelled in the calendar")
    if master.get("DTSTART") is None:
        raise _Skip("no start (DTSTART)")
    if master.get("RDATE") is not None:
        raise _Skip("extra dates (RDATE) are not supported; docket repeats by RRULE only")
    rules = _all(master, "RRULE")
    if len(rules) > 1:
        raise _Skip("more than one RRULE")
    tz = zones.of(master["DTSTART"])
    start = _instant(master["DTSTART"], tz, "event")
    attendees, chair = _people(master, report)
    agenda = str(master.get("DESCRIPTION", "")).strip()
    if len(agenda) > AGENDA_MAX:
        agenda = agenda[:AGENDA_MAX]
        report.notes.append(f"{_label(master)}: description cut to {AGENDA_MAX} characters")
    meeting = add_meeting(
        ctx,
        str(master.get("SUMMARY", "")).strip(),
        start=start,
        duration=_minutes(master, start, tz),
        timezone=tz.key,
        repeat=rules[0].to_ical().decode() if rules else None,
        attendees=[f"#{person.id}:{role}" for person, role, _ in attendees],
        program=program,
        location=str(master.get("LOCATION", "")).strip(),
        link=str(master.get("URL", "")).strip(),
        organizer=f"#{chair.id}" if chair is not None else None,
        agenda=agenda,
        uid=uid,
    )
    for person, _, response in attendees:
        if response != "needs action" and (chair is None or person.id != chair.id):
            set_response(ctx, meeting.id, person.id, response)
    if meeting.rrule:
        report.changes += _exdates(ctx, meeting.id, master, tz, report)
        for event in changed:
            report.changes += _override(ctx, meeting.id, master, event, tz)
    elif changed:
        raise _Skip("changed occurrences of a meeting that does not repeat")
    raise_sequence(ctx, meeting.id, _sequence([master, *changed]))
    report.meetings.append(meeting.id)


def _exdates(
    ctx: Context, meeting_id: int, master: Component, tz: ZoneInfo, report: ImportReport
) -> int:
    cancelled = 0
    for exdate in _all(master, "EXDATE"):
        for value in exdate.dts:
            moment = _instant(value, tz, "excluded date")
            try:
                cancel_occurrence(ctx, meeting_id, moment)
            except NotFoundError:
                report.notes.append(
                    f"{_label(master)}: the excluded {moment:%Y-%m-%d %H:%M} is not an occurrence"
                )
                continue
            except ValidationError:  # the same date excluded twice
                continue
            cancelled += 1
    return cancelled


def _override(
    ctx: Context, meeting_id: int, master: Component, event: Component, tz: ZoneInfo
) -> int:
    """Apply one changed occurrence (RECURRENCE-ID); how many changes that made."""
    original_at = _instant(event["RECURRENCE-ID"], tz, "occurrence")
    try:
        original = find_occurrence(ctx, get_meeting(meeting_id), original_at)
    except NotFoundError:
        raise _Skip(
            f"its change of {original_at:%Y-%m-%d %H:%M} names no occurrence of the series"
        ) from None
    if str(event.get("STATUS", "")).upper() == "CANCELLED":
        cancel_occurrence(ctx, meeting_id, original)
        return 1
    made = 0
    meeting = get_meeting(meeting_id)
    start, minutes = original, meeting.duration_minutes
    if event.get("DTSTART") is not None:
        start = _instant(event["DTSTART"], tz, "occurrence")
        minutes = _minutes(event, start, tz)
    if start != original or minutes != meeting.duration_minutes:
        move_occurrence(ctx, meeting_id, original, start, duration=minutes)
        made += 1
    location = str(event.get("LOCATION", master.get("LOCATION", ""))).strip()
    if location != str(master.get("LOCATION", "")).strip():
        relocate_occurrence(ctx, meeting_id, original, location=location)
        made += 1
    return made


# --- replies --------------------------------------------------------------------------


def _replies(ctx: Context, calendar: Calendar, report: ImportReport) -> None:
    for event in calendar.walk("VEVENT"):
        try:
            with write():
                report.responses += _reply(ctx, event)
        except _Skip as why:
            report.skipped.append(Skipped(_label(event), str(why)))
        except DocketError as error:
            report.skipped.append(Skipped(_label(event), str(error)))


def _reply(ctx: Context, event: Component) -> int:
    uid = str(event.get("UID", "")).strip()
    meeting = meeting_by_uid(uid) if uid else None
    if meeting is None:
        raise _Skip("a reply to a meeting docket does not have")
    if event.get("RECURRENCE-ID") is not None:
        raise _Skip("a reply for one occurrence; docket keeps one answer per attendee")
    attendees = _all(event, "ATTENDEE")
    known = people_by_email(_address(a) for a in attendees)
    answered = 0
    for attendee in attendees:
        person = known.get(_address(attendee))
        if person is None:
            raise _Skip(f"{_address(attendee)} is not in the directory")
        partstat = str(attendee.params.get("PARTSTAT", "")).upper()
        set_response(ctx, meeting.id, person.id, RESPONSES.get(partstat, "needs action"))
        answered += 1
    if not answered:
        raise _Skip("no ATTENDEE answers in the reply")
    return answered
