"""Meetings in from calendar files: Outlook and Google exports, docket's own, and replies.

A calendar file is read whole before anything is written, then imported in one transaction:
each series goes in with its moved, relocated, retitled and cancelled occurrences, or not at
all (a savepoint per series), so nothing is half-imported. An event that cannot be imported
is reported with its UID or title, the line it starts on and the reason: a property that
cannot be read, a line that is not a property, a zone no one knows, a rule docket cannot
keep. A file that is not iCalendar (not UTF-8, no VCALENDAR, a component never closed)
imports nothing and says why in one line.

Times keep the instant the file means: a TZID is read through the file's own VTIMEZONE and
the meeting gets the IANA zone with the same rules, found by name (IANA, Windows names such
as ``W. Europe Standard Time``, ``/vendor/Area/City``) or, for a custom zone, by comparing
offsets over the year. A UTC time takes the calendar's X-WR-TIMEZONE, else UTC; a floating
time and an all-day date take the calendar's zone, else yours. An all-day event (a DATE
start) is an all-day meeting; one that spans several days is refused (a meeting lasts one
day at most). A METHOD:REPLY file updates the answering attendees' responses.

The imported meeting keeps the file's UID and SEQUENCE (the highest of the series' events),
so docket's later invites update the events already in attendees' calendars instead of
duplicating them. What docket's own export adds is taken off again (the "Join: URL" line of
a description, the link written as LOCATION when there is no room), so importing docket's
calendar into another docket and exporting it again gives the same file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

import peewee
from icalendar import Calendar, Component
from icalendar.parser import Contentline
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

from docket.models.core.context import Context
from docket.models.core.database import write
from docket.models.core.errors import DocketError, NotFoundError, ValidationError
from docket.models.core.inputs import file_text, shown
from docket.models.core.schema import Person
from docket.models.meetings.series import (
    AGENDA_MAX,
    ALL_DAY_MINUTES,
    add_meeting,
    cancel_occurrence,
    find_occurrence,
    get_meeting,
    keep_sequence,
    meeting_by_uid,
    meeting_zone,
    move_occurrence,
    program_for_new,
    relocate_occurrence,
    retitle_occurrence,
    set_response,
    whole_day,
    zone_name_of,
)
from docket.models.people.directory import people_by_email

# iCalendar's words for docket's
ROLES = {"CHAIR": "chair", "OPT-PARTICIPANT": "optional", "NON-PARTICIPANT": "optional"}
RESPONSES = {"ACCEPTED": "accepted", "DECLINED": "declined", "TENTATIVE": "tentative"}
# calendar user types that are not people (rooms and equipment in Outlook exports)
NOT_PEOPLE = {"ROOM", "RESOURCE"}
# the properties an import reads: one of them that cannot be read makes its event unreadable
# (others, such as CREATED or X-MICROSOFT-..., are left alone)
READ = frozenset(
    {
        "UID", "SUMMARY", "DESCRIPTION", "LOCATION", "URL", "STATUS", "SEQUENCE", "DTSTART",
        "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID", "ORGANIZER",
        "ATTENDEE",
    }
)  # fmt: skip
# what docket's own export writes (exports/ical.py): its milestones are not meetings
DOCKET_PRODID = "-//docket//docket meetings//EN"
DOCKET_MILESTONE_UID = re.compile(r"milestone-\d+-[^@]+@docket")
# failures of a library reading a value docket did not expect: the event is unreadable
UNREADABLE = (ValueError, TypeError, KeyError, IndexError, AttributeError, OverflowError)


@dataclass(frozen=True)
class Skipped:
    """An event of the file that was not imported, the line it starts on, and why."""

    what: str
    why: str
    line: int | None = None


@dataclass
class ImportReport:
    """What an import did (or, with ``dry_run``, would do)."""

    method: str
    dry_run: bool
    meetings: list[int] = field(default_factory=list)
    # occurrences moved, relocated, retitled or cancelled
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
            "skipped": [{"event": s.what, "line": s.line, "why": s.why} for s in self.skipped],
            "notes": self.notes,
        }


class _Skip(Exception):
    """This event cannot be imported, for the reason given; ``event`` is the one at fault
    when it is not the series' main event (a changed occurrence)."""

    def __init__(self, why: str, event: Component | None = None) -> None:
        super().__init__(why)
        self.event = event


class _DryRun(Exception):
    """Roll the whole import back: it was only a rehearsal."""


# --- reading the file -----------------------------------------------------------------


@dataclass(frozen=True)
class _Line:
    """One content line, unfolded, with the number of its first line in the file."""

    number: int
    text: str

    @property
    def name(self) -> str:
        return re.split(r"[;:]", self.text, maxsplit=1)[0].strip().upper()


@dataclass
class _Span:
    """Where one VEVENT of the calendar is in the file, and a line of it that is not a
    property (None: all are)."""

    begin: int
    lines: list[_Line] = field(default_factory=list)
    unparsable: _Line | None = None


@dataclass
class Source:
    """A calendar file read: the calendar, and where each of its events is in the file."""

    calendar: Calendar
    spans: dict[int, _Span]

    def span(self, event: Component) -> _Span | None:
        return self.spans.get(id(event))

    def line(self, event: Component) -> int | None:
        found = self.span(event)
        return found.begin if found is not None else None

    def property_line(self, event: Component, name: str) -> int | None:
        found = self.span(event)
        if found is None:
            return None
        return next((ln.number for ln in found.lines if ln.name == name.upper()), None)


def _unfolded(text: str) -> Iterator[_Line]:
    """Content lines with folding undone (RFC 5545 3.1), blank lines left out."""
    current: _Line | None = None
    for number, physical in enumerate(text.splitlines(), 1):
        if physical[:1] in (" ", "\t") and current is not None:
            current = _Line(current.number, current.text + physical[1:])
            continue
        if current is not None:
            yield current
        current = _Line(number, physical) if physical.strip() else None
    if current is not None:
        yield current


def _not_calendar(why: str) -> ValidationError:
    return ValidationError("file", f"expected an iCalendar file (.ics): {why}")


def _outline(text: str) -> tuple[list[_Line], list[_Span]]:
    """The lines to parse and the VEVENTs of the first calendar; a file whose components
    do not nest (one never closed, one closed that was not open) is refused, naming the
    line. A line that is not a property is left out: in an event it makes that event
    unreadable, elsewhere the file."""
    kept: list[_Line] = []
    spans: list[_Span] = []
    stack: list[tuple[str, int]] = []
    current: _Span | None = None
    calendars = 0
    for line in _unfolded(text):
        if not kept and line.text.strip().upper() != "BEGIN:VCALENDAR":
            raise _not_calendar(f"it starts with {shown(line.text)}, not BEGIN:VCALENDAR")
        key, _, value = line.text.partition(":")
        key, value = key.strip().upper(), value.strip().upper()
        if calendars and not stack:
            break  # a second calendar in the file: the first is the one imported
        if key == "BEGIN":
            stack.append((value, line.number))
            if value == "VEVENT" and len(stack) == 2:
                current = _Span(line.number)
                spans.append(current)
        elif key == "END":
            if not stack:
                raise _not_calendar(f"line {line.number}: END:{value} closes nothing")
            opened, at = stack[-1]
            if opened != value:
                raise _not_calendar(
                    f"line {line.number}: END:{value} where BEGIN:{opened} of line {at} "
                    f"is still open (an END:{opened} is missing)"
                )
            stack.pop()
            if len(stack) == 1:
                current = None
            if not stack:
                calendars += 1
        else:
            try:
                Contentline(line.text).parts()
            except ValueError:
                if current is None:
                    raise _not_calendar(
                        f"line {line.number} is not a property (NAME:value): {shown(line.text)}"
                    ) from None
                current.unparsable = current.unparsable or line
                continue
        if current is not None:
            current.lines.append(line)
        kept.append(line)
    if stack:
        opened, at = stack[-1]
        raise _not_calendar(
            f"line {at}: BEGIN:{opened} has no END:{opened} (is the file cut short?)"
        )
    if not kept:
        raise _not_calendar("the file is empty")
    return kept, spans


def read_calendar(data: bytes, encoding: str | None = None) -> Source:
    """The calendar in ``data`` and where its events are; a file that is not one is a
    ValidationError naming the line at fault."""
    kept, spans = _outline(file_text(data, encoding))
    try:
        calendar = Calendar.from_ical("\r\n".join(line.text for line in kept) + "\r\n")
    except UNREADABLE as exc:
        raise _not_calendar(str(exc)) from None
    if calendar.name != "VCALENDAR":
        raise _not_calendar("expected a VCALENDAR")
    events = [c for c in calendar.subcomponents if c.name == "VEVENT"]
    by_event = {id(e): s for e, s in zip(events, spans, strict=False)}
    return Source(calendar, by_event if len(events) == len(spans) else {})


def _readable(event: Component, source: Source) -> None:
    """Refuse an event with a line that is not a property or a property it needs that
    cannot be read, naming the property and its line."""
    span = source.span(event)
    if span is not None and span.unparsable is not None:
        bad = span.unparsable
        raise _Skip(f"line {bad.number} is not a property (NAME:value): {shown(bad.text)}", event)
    for name, message in event.errors:
        if name is not None and str(name).upper() not in READ:
            continue
        at = source.property_line(event, str(name)) if name else None
        where = f" (line {at})" if at else ""
        raise _Skip(f"{name or 'a line'}{where} cannot be read: {message}", event)


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
    """The highest SEQUENCE of a series' events (0 when none has one)."""
    numbers = [int(event.get("SEQUENCE", 0)) for event in events]
    return max(numbers, default=0)


def _place(event: Component) -> tuple[str, str]:
    """The room and the online link; docket's export writes the link as LOCATION when
    there is no room, which is no room."""
    location = str(event.get("LOCATION", "")).strip()
    link = str(event.get("URL", "")).strip()
    if link and location == link:
        location = ""
    return location, link


def _agenda(event: Component, link: str) -> str:
    """The description without the "Join: URL" line docket's export adds for the link."""
    agenda = str(event.get("DESCRIPTION", "")).strip()
    if link:
        join = f"Join: {link}"
        if agenda == join:
            return ""
        if agenda.endswith("\n\n" + join):
            return agenda[: -len(join) - 2].rstrip()
    return agenda


class _Zones:
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


@dataclass(frozen=True)
class _Timing:
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


def _moment(prop: Any, tz: ZoneInfo, what: str) -> datetime:
    """A DTSTART-like value (RECURRENCE-ID, EXDATE) as an aware time in ``tz``: a date is
    midnight that day."""
    value = prop.dt
    if isinstance(value, datetime):
        return _aware(value, tz)
    if isinstance(value, date):
        return whole_day(value, tz)
    raise _Skip(f"{what} is {shown(str(value))}, expected a date or a date and time")


def _dt(event: Component, name: str) -> Any:
    """The value of a date-time, date or duration property (icalendar's ``.dt``)."""
    prop: Any = event[name]
    return prop.dt


def _timing(event: Component, zones: _Zones, all_day_series: bool | None = None) -> _Timing:
    """The event's start and length; an all-day event lasts one day."""
    value = _dt(event, "DTSTART")
    if isinstance(value, datetime):
        if all_day_series:
            raise _Skip("a timed change of an all-day series")
        tz = zones.of(event["DTSTART"])
        start = _aware(value, tz)
        return _Timing(tz, start, _minutes(event, start, tz), False)
    if not isinstance(value, date):
        raise _Skip(f"DTSTART is {shown(str(value))}, expected a date or a date and time")
    if all_day_series is False:
        raise _Skip("an all-day change of a series that has a start time")
    days = _days(event, value)
    if days != 1:
        raise _Skip(
            f"an all-day event of {days} days ({value:%Y-%m-%d} to "
            f"{value + timedelta(days=days - 1):%Y-%m-%d}): docket's meetings last one day "
            "at most; enter it as a meeting on each day"
        )
    tz = zones.default
    return _Timing(tz, whole_day(value, tz), ALL_DAY_MINUTES, True)


def _days(event: Component, first: date) -> int:
    """How many days an all-day event lasts (DTEND is the day after its last)."""
    if event.get("DTEND") is not None:
        end = _dt(event, "DTEND")
        if isinstance(end, datetime) or not isinstance(end, date):
            raise _Skip("DTSTART is a date but DTEND is not")
        return max(1, (end - first).days)
    duration: Any = event.get("DURATION")
    if duration is not None:
        length = duration.dt
        if not isinstance(length, timedelta) or length % timedelta(days=1):
            raise _Skip("an all-day event whose DURATION is not whole days")
        return max(1, length.days)
    return 1


def _minutes(event: Component, start: datetime, tz: ZoneInfo) -> int:
    """The length in minutes: DTEND (an instant, whatever its zone) less DTSTART, or the
    DURATION."""
    if event.get("DTEND") is not None:
        end = _dt(event, "DTEND")
        if not isinstance(end, datetime):
            raise _Skip("DTSTART is a date and time but DTEND is not")
        elapsed = _aware(end, tz).astimezone(UTC) - start.astimezone(UTC)
        return int(elapsed.total_seconds() // 60)
    duration: Any = event.get("DURATION")
    if duration is not None:
        length = duration.dt
        if isinstance(length, timedelta):
            return int(length.total_seconds() // 60)
    raise _Skip("no end (DTEND) or DURATION")


# --- meetings -------------------------------------------------------------------------


def _skipped(event: Component, why: str, source: Source) -> Skipped:
    return Skipped(_label(event), why, source.line(event))


def _meetings(ctx: Context, source: Source, program: str | None, report: ImportReport) -> None:
    calendar = source.calendar
    zones = _Zones(calendar, ctx)
    own = str(calendar.get("PRODID", "")).strip() == DOCKET_PRODID
    masters: dict[str, Component] = {}
    overrides: dict[str, list[Component]] = {}
    milestones = 0
    for event in calendar.walk("VEVENT"):
        uid = str(event.get("UID", "")).strip()
        if not uid:
            report.skipped.append(_skipped(event, "no UID", source))
        elif own and DOCKET_MILESTONE_UID.fullmatch(uid):
            milestones += 1
        elif event.get("RECURRENCE-ID") is not None:
            overrides.setdefault(uid, []).append(event)
        elif uid in masters:
            report.skipped.append(_skipped(event, "a second event with the same UID", source))
        else:
            masters[uid] = event
    others = [str(c.name) for c in calendar.subcomponents if c.name not in ("VEVENT", "VTIMEZONE")]
    if others:
        report.notes.append(f"left out {len(others)} {', '.join(sorted(set(others)))} (not events)")
    if milestones:
        report.notes.append(f"left out {milestones} milestone(s) of docket's calendar")
    for uid, master in masters.items():
        at_fault = master
        try:
            with write():  # a savepoint: the series with all its changes, or nothing
                _series(ctx, master, overrides.pop(uid, []), zones, program, report, source)
        except _Skip as why:
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
        report.skipped.append(_skipped(at_fault, reason, source))
    for events in overrides.values():
        report.skipped.append(
            _skipped(events[0], "changed occurrences of a series that is not in the file", source)
        )
    report.notes.extend(zones.notes)
    report.skipped.sort(key=lambda s: s.line or 0)


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
    source: Source,
) -> None:
    uid = str(master["UID"]).strip()
    _readable(master, source)
    for event in changed:
        _readable(event, source)
    existing = meeting_by_uid(uid)
    if existing is not None:
        raise _Skip(f"already in docket as meeting {existing.id}")
    status = str(master.get("STATUS", "")).strip().upper()
    if status == "CANCELLED":
        raise _Skip("cancelled in the calendar")
    if master.get("DTSTART") is None:
        raise _Skip("no start (DTSTART)")
    if master.get("RDATE") is not None:
        raise _Skip("extra dates (RDATE) are not supported; docket repeats by RRULE only")
    rules = _all(master, "RRULE")
    if len(rules) > 1:
        raise _Skip("more than one RRULE")
    timing = _timing(master, zones)
    attendees, chair = _people(master, report)
    location, link = _place(master)
    agenda = _agenda(master, link)
    if len(agenda) > AGENDA_MAX:
        agenda = agenda[:AGENDA_MAX]
        report.notes.append(f"{_label(master)}: description cut to {AGENDA_MAX} characters")
    meeting = add_meeting(
        ctx,
        str(master.get("SUMMARY", "")).strip(),
        start=timing.start,
        duration=timing.minutes,
        timezone=timing.tz.key,
        repeat=rules[0].to_ical().decode() if rules else None,
        attendees=[f"#{person.id}:{role}" for person, role, _ in attendees],
        program=program,
        location=location,
        link=link,
        organizer=f"#{chair.id}" if chair is not None else None,
        agenda=agenda,
        status="tentative" if status == "TENTATIVE" else "confirmed",
        uid=uid,
        all_day=timing.all_day,
    )
    for person, _, response in attendees:
        if response != "needs action" and (chair is None or person.id != chair.id):
            set_response(ctx, meeting.id, person.id, response)
    if meeting.rrule:
        report.changes += _exdates(ctx, meeting.id, master, timing, report)
        for event in changed:
            try:
                report.changes += _override(ctx, meeting.id, master, event, timing, zones)
            except _Skip as why:
                raise _Skip(str(why), event) from None
            except DocketError as error:
                raise _Skip(str(error), event) from None
    elif changed:
        raise _Skip("changed occurrences of a meeting that does not repeat", changed[0])
    keep_sequence(ctx, meeting.id, _sequence([master, *changed]))
    report.meetings.append(meeting.id)


def _exdates(
    ctx: Context, meeting_id: int, master: Component, timing: _Timing, report: ImportReport
) -> int:
    cancelled = 0
    for exdate in _all(master, "EXDATE"):
        for value in exdate.dts:
            moment = _moment(value, timing.tz, "an excluded date (EXDATE)")
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
    ctx: Context,
    meeting_id: int,
    master: Component,
    event: Component,
    series: _Timing,
    zones: _Zones,
) -> int:
    """Apply one changed occurrence (RECURRENCE-ID); how many changes that made."""
    original_at = _moment(event["RECURRENCE-ID"], series.tz, "its RECURRENCE-ID")
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
    start, minutes = original.astimezone(series.tz), meeting.duration_minutes
    if event.get("DTSTART") is not None:
        timing = _timing(event, zones, all_day_series=series.all_day)
        start, minutes = timing.start.astimezone(series.tz), timing.minutes
    if start != original or minutes != meeting.duration_minutes:
        move_occurrence(ctx, meeting_id, original, start, duration=minutes)
        made += 1
    location, link = _place(event)
    if location != meeting.location or link != meeting.link:
        relocate_occurrence(
            ctx,
            meeting_id,
            original,
            location=location if location != meeting.location else None,
            link=link if link != meeting.link else None,
        )
        made += 1
    title = str(event.get("SUMMARY", "")).strip()
    if title and title != meeting.title:
        retitle_occurrence(ctx, meeting_id, original, title)
        made += 1
    return made


# --- replies --------------------------------------------------------------------------


def _replies(ctx: Context, source: Source, report: ImportReport) -> None:
    for event in source.calendar.walk("VEVENT"):
        try:
            with write():
                _readable(event, source)
                report.responses += _reply(ctx, event)
        except _Skip as why:
            report.skipped.append(_skipped(event, str(why), source))
        except DocketError as error:
            report.skipped.append(_skipped(event, str(error), source))
        except UNREADABLE as error:
            report.skipped.append(_skipped(event, f"cannot be read: {error}", source))


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


# --- the import -----------------------------------------------------------------------


def import_calendar(
    ctx: Context,
    data: bytes,
    *,
    program: str | None = None,
    dry_run: bool = False,
    encoding: str | None = None,
) -> ImportReport:
    """Import the meetings of a calendar file (or the replies of a METHOD:REPLY one).

    A file that is not a calendar, and a program that does not exist, are refused before
    anything is read further (ValidationError, NotFoundError); every event that cannot be
    imported is in the report's ``skipped``.
    """
    source = read_calendar(data, encoding)
    method = str(source.calendar.get("METHOD", "PUBLISH")).strip().upper()
    report = ImportReport(method=method, dry_run=dry_run)
    if method != "REPLY" and (program or source.spans):
        program_for_new(program)
    try:
        with write():
            if method == "REPLY":
                _replies(ctx, source, report)
            else:
                _meetings(ctx, source, program, report)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return report
