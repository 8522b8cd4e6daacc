"""Meetings: single meetings and series, their occurrences, and the changes to one occurrence.

A meeting keeps its wall-clock start in its own IANA zone (``start_local`` + ``timezone``)
and the UTC start of its first occurrence (``start_utc``); a series has an RRULE
(:mod:`docket.models.meetings.recurrence`) and, when it ends, ``until_utc``: the start of its last
occurrence. One occurrence is named by its *original* start in UTC, the RECURRENCE-ID that
invites carry; an :class:`OccurrenceChange` keyed by it moves, relocates or cancels it.

SEQUENCE (what calendar clients compare to apply an update) rises with every significant
change: the time, the duration, the repeat rule, the zone, the location, a cancellation or a
restore, of the series or of one occurrence. Nothing else touches it. A "this and following"
change ends the old series (UNTIL) and starts a new meeting with a new UID, which clients
apply reliably; :class:`MeetingSplit` links them so open actions follow.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from peewee import JOIN, Case, fn

from docket.models.actions.items import add_action, is_open_clause
from docket.models.core import records
from docket.models.core.clock import zone
from docket.models.core.context import Context
from docket.models.core.database import write
from docket.models.core.dates import parse_date, parse_datetime, parse_duration, parse_time
from docket.models.core.errors import NotFoundError, ValidationError
from docket.models.core.inputs import choice, shown, text
from docket.models.core.schema import (
    ATTENDEE_ROLES,
    MEETING_STATUSES,
    RESPONSES,
    ActionItem,
    Agenda,
    Attendee,
    Decision,
    Meeting,
    MeetingSplit,
    Minutes,
    OccurrenceChange,
    Person,
    Program,
)
from docket.models.meetings.recurrence import (
    describe,
    end_of,
    expand,
    first_start,
    last_start,
    parse_repeat,
)
from docket.models.people.directory import find_person, get_group, members
from docket.models.portfolio.programs import get_program, program_and_children

TITLE_MAX = 200
AGENDA_MAX = 20_000
# the largest SEQUENCE (an RFC 5545 INTEGER)
SEQUENCE_MAX = 2**31 - 1
# an all-day meeting lasts its whole day
ALL_DAY_MINUTES = 1440
# the fields whose change makes every copy of an invite out of date
SIGNIFICANT = ("start_local", "timezone", "start_utc", "duration_minutes", "rrule", "location")
# the longest meeting: occurrences starting this long before a window can still be in it
_LONGEST = timedelta(minutes=1440)


def _new_uid() -> str:
    return f"{uuid.uuid4()}@docket"


# Tests set this to make UIDs fixed; everything else calls it once per new meeting.
uid_factory: Callable[[], str] = _new_uid


# --- time helpers ---------------------------------------------------------------------


def meeting_zone(name: str) -> ZoneInfo:
    """The meeting's zone by IANA name (a clear error for a name that is not one)."""
    if not name or not name.strip():
        raise ValidationError("timezone", "expected an IANA zone such as America/Chicago")
    found = zone(name.strip())
    if not isinstance(found, ZoneInfo):  # pragma: no cover - zone() of a name is a ZoneInfo
        raise ValidationError("timezone", f"expected an IANA zone, got {shown(name)}")
    return found


def zone_name_of(ctx: Context) -> str:
    """The acting user's zone as an IANA name (UTC when it has none)."""
    key = getattr(ctx.tz, "key", None)
    return str(key) if key else "UTC"


def wall_time(naive: datetime, tz: ZoneInfo, *, field: str = "start") -> datetime:
    """A wall-clock time in ``tz``, aware; a time skipped by a daylight-saving change is an
    error (it never happens there), a repeated one is its first instance."""
    aware = naive.replace(tzinfo=tz, fold=0)
    if aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != naive:
        raise ValidationError(
            field, f"{naive:%Y-%m-%d %H:%M} does not exist in {tz.key} (daylight saving starts)"
        )
    return aware


def whole_day(day: date, tz: ZoneInfo) -> datetime:
    """Midnight starting ``day`` in ``tz``: where an all-day meeting begins (an error in the
    few zones whose clocks skip midnight that day)."""
    return wall_time(datetime.combine(day, time(0)), tz)


def _day_of(ctx: Context, typed: str | date | datetime, tz: ZoneInfo) -> date:
    """The day an all-day meeting is on: a date as typed (``2026-12-24``, ``fri``), or the
    day of a date and time."""
    if isinstance(typed, datetime):
        return typed.astimezone(tz).date() if typed.tzinfo else typed.date()
    if isinstance(typed, date):
        return typed
    today_there = ctx.now().astimezone(tz).date()
    try:
        return parse_date(typed, today_there, field="start", day_first=ctx.day_first)
    except ValidationError:
        return parse_start(ctx, typed, tz).date()


def series_start(meeting: Meeting) -> datetime:
    """The first occurrence's start, aware, in the meeting's zone."""
    first: datetime = meeting.start_utc
    return first.astimezone(ZoneInfo(meeting.timezone))


def _local_text(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def parse_start(
    ctx: Context, typed: str | datetime, tz: ZoneInfo, field: str = "start"
) -> datetime:
    """A typed start (``next tue 14:00``, ``2026-12-01 10:30``) as wall time in ``tz``."""
    if isinstance(typed, datetime):
        if typed.tzinfo is None:
            return wall_time(typed, tz, field=field)
        return typed.astimezone(tz)
    now_there = ctx.now().astimezone(tz).replace(tzinfo=None)
    return wall_time(parse_datetime(typed, now_there, field=field), tz, field=field)


def _minutes(value: str | int | timedelta, field: str = "duration") -> int:
    if isinstance(value, timedelta):
        minutes = int(value.total_seconds() // 60)
    elif isinstance(value, int):
        minutes = value
    else:
        minutes = int(parse_duration(value, field=field).total_seconds() // 60)
    if not 1 <= minutes <= 1440:
        raise ValidationError(field, f"expected between 1 minute and 24 hours, got {minutes}")
    return minutes


# --- occurrences ----------------------------------------------------------------------


@dataclass(frozen=True)
class Occurrence:
    """One occurrence of a meeting as it will happen, overrides applied."""

    meeting_id: int
    title: str
    program: str
    timezone: str
    # the RECURRENCE-ID: the start the series gives it, in UTC; keys changes, agendas, minutes
    original_start: datetime
    # when it happens, aware, in the meeting's zone
    start: datetime
    duration_minutes: int
    location: str
    link: str
    # confirmed, tentative, or cancelled (the meeting or this occurrence)
    status: str
    moved: bool = False
    series: bool = False
    # an all-day meeting's occurrence: the whole day from midnight, shown as "all day"
    all_day: bool = False

    @property
    def end(self) -> datetime:
        """The end, in the meeting's zone: the start plus the length in absolute time."""
        return end_of(self.start, self.duration_minutes)

    @property
    def cancelled(self) -> bool:
        return self.status == "cancelled"


def _occurrence(
    row: dict[str, Any], original: datetime, change: OccurrenceChange | None, program: str
) -> Occurrence:
    tz = ZoneInfo(row["timezone"])
    start = original.astimezone(UTC).astimezone(tz)
    duration, location, link = row["duration_minutes"], row["location"], row["link"]
    status = row["status"]
    title = row["title"]
    moved = False
    if change is not None:
        if change.new_start is not None:
            start = change.new_start.astimezone(tz)
            moved = change.new_start != original.astimezone(UTC)
        duration = change.new_duration_minutes or duration
        location = change.new_location if change.new_location is not None else location
        link = change.new_link if change.new_link is not None else link
        title = change.new_title or title
        if change.cancelled:
            status = "cancelled"
    return Occurrence(
        meeting_id=row["id"],
        title=title,
        program=program,
        timezone=row["timezone"],
        original_start=original.astimezone(UTC),
        start=start,
        duration_minutes=duration,
        location=location,
        link=link,
        status=status,
        moved=moved,
        series=bool(row["rrule"]),
        all_day=bool(row.get("all_day")),
    )


def _expand_row(
    row: dict[str, Any],
    changes: dict[datetime, OccurrenceChange],
    window_start: datetime,
    window_end: datetime,
    program: str,
    *,
    limit: int | None = None,
) -> list[Occurrence]:
    """The occurrences of one meeting that happen in the window, overrides applied."""
    tz = ZoneInfo(row["timezone"])
    start = row["start_utc"].astimezone(tz)
    found: list[Occurrence] = []
    seen: set[datetime] = set()
    # a series' occurrence that starts before the window reaches into it by the series'
    # length at most; one made longer is a moved one, found through its change below
    earliest = window_start - timedelta(minutes=row["duration_minutes"])
    # an occurrence moved into the window from outside it is found through its change
    for original in expand(row["rrule"], start, earliest, window_end, limit=limit):
        key = original.astimezone(UTC)
        seen.add(key)
        occurrence = _occurrence(row, original, changes.get(key), program)
        if occurrence.end > window_start and occurrence.start < window_end:
            found.append(occurrence)
    for key, change in changes.items():
        if key in seen or change.new_start is None:
            continue
        occurrence = _occurrence(row, key, change, program)
        if occurrence.end > window_start and occurrence.start < window_end:
            found.append(occurrence)
    return found


@dataclass(frozen=True)
class OccurrenceFilter:
    """Which occurrences a list shows."""

    program: str | None = None
    meeting_id: int | None = None
    include_cancelled: bool = True
    # only meetings this person attends or organizes (id)
    person: int | None = None


def list_occurrences(
    window_start: datetime,
    window_end: datetime,
    flt: OccurrenceFilter | None = None,
) -> list[Occurrence]:
    """Every occurrence that overlaps [window_start, window_end), by start.

    Meetings that cannot reach the window are left out in SQL (by ``start_utc`` and
    ``until_utc``), so a 30-day agenda of thousands of meetings expands only a few hundred.
    """
    flt = flt or OccurrenceFilter()
    earliest = window_start - _LONGEST
    reach = (Meeting.start_utc < window_end) & (
        ((Meeting.rrule == "") & (Meeting.start_utc >= earliest))
        | ((Meeting.rrule != "") & (Meeting.until_utc.is_null() | (Meeting.until_utc >= earliest)))
    )
    moved_in = Meeting.id.in_(
        OccurrenceChange.select(OccurrenceChange.meeting).where(
            OccurrenceChange.new_start.between(earliest, window_end)
        )
    )
    query = (
        Meeting.select(
            Meeting.id,
            Meeting.title,
            Meeting.timezone,
            Meeting.start_utc,
            Meeting.duration_minutes,
            Meeting.location,
            Meeting.link,
            Meeting.rrule,
            Meeting.status,
            Meeting.all_day,
            Program.code.alias("program"),
        )
        .join(Program)
        .where(reach | moved_in)
    )
    if flt.program:
        query = query.where(Meeting.program.in_(program_and_children(flt.program)))
    if flt.meeting_id is not None:
        query = query.where(Meeting.id == flt.meeting_id)
    if flt.person is not None:
        query = query.where(
            (Meeting.organizer == flt.person)
            | Meeting.id.in_(Attendee.select(Attendee.meeting).where(Attendee.person == flt.person))
        )
    rows: list[dict[str, Any]] = list(query.dicts())  # type: ignore[arg-type]
    by_meeting = changes_by_meeting(
        [r["id"] for r in rows if r["rrule"]], near=(earliest, window_end)
    )
    found: list[Occurrence] = []
    for row in rows:
        changes = {c.original_start: c for c in by_meeting.get(row["id"], [])}
        found.extend(_expand_row(row, changes, window_start, window_end, row["program"]))
    if not flt.include_cancelled:
        found = [o for o in found if not o.cancelled]
    found.sort(key=lambda o: (o.start.astimezone(UTC), o.title, o.meeting_id))
    return found


def meeting_occurrences(
    meeting: Meeting, window_start: datetime, window_end: datetime, *, limit: int | None = None
) -> list[Occurrence]:
    """One meeting's occurrences in a window, overrides applied, by start."""
    changes = {c.original_start: c for c in _changes_of(meeting.id)}
    row = {
        "id": meeting.id,
        "title": meeting.title,
        "timezone": meeting.timezone,
        "start_utc": meeting.start_utc,
        "duration_minutes": meeting.duration_minutes,
        "location": meeting.location,
        "link": meeting.link,
        "rrule": meeting.rrule,
        "status": meeting.status,
        "all_day": meeting.all_day,
    }
    found = _expand_row(row, changes, window_start, window_end, meeting.program.code, limit=limit)
    return sorted(found, key=lambda o: o.start.astimezone(UTC))


def next_occurrences(meeting: Meeting, after: datetime, count: int = 5) -> list[Occurrence]:
    """The next ``count`` occurrences starting on or after ``after`` (a preview)."""
    end = after + timedelta(days=3660)
    return meeting_occurrences(meeting, after, end, limit=count + 10)[:count]


def original_starts(
    meeting: Meeting, window_start: datetime, window_end: datetime
) -> list[datetime]:
    """The series' own starts (no overrides) in a window, in UTC."""
    return [
        s.astimezone(UTC)
        for s in expand(meeting.rrule, series_start(meeting), window_start, window_end)
    ]


def find_occurrence(ctx: Context, meeting: Meeting, typed: str | date | datetime) -> datetime:
    """The original start (UTC) of the occurrence ``typed`` names: a date in the meeting's
    zone (``2026-12-08``, ``tue``), or a date and time when a day has several.

    A moved occurrence is found by its original date or by the date it was moved to.
    """
    tz = ZoneInfo(meeting.timezone)
    at: time | None = None
    if isinstance(typed, datetime):
        moment = typed if typed.tzinfo else typed.replace(tzinfo=tz)
        day, at = moment.astimezone(tz).date(), moment.astimezone(tz).time()
    elif isinstance(typed, date):
        day = typed
    else:
        words = typed.strip()
        today_there = ctx.now().astimezone(tz).date()
        parts = words.rsplit(" ", 1)
        if len(parts) == 2 and (":" in parts[1] or parts[1].lower().endswith(("am", "pm"))):
            at = parse_time(parts[1], field="occurrence")
            words = parts[0]
        elif "T" in words and words[:4].isdigit():
            words, _, clock = words.partition("T")
            at = parse_time(clock[:5], field="occurrence")
        day = parse_date(words, today_there, field="occurrence", day_first=ctx.day_first)
    day_start = datetime.combine(day, time(0), tz)
    day_end = datetime.combine(day + timedelta(days=1), time(0), tz)
    candidates = original_starts(meeting, day_start, day_end)
    for change in _changes_of(meeting.id):
        if change.new_start is not None and day_start <= change.new_start < day_end:
            candidates.append(change.original_start)
    if at is not None:
        candidates = [c for c in candidates if c.astimezone(tz).time().replace(second=0) == at]
    unique = sorted(set(candidates))
    if not unique:
        when = f"{day:%a %d %b %Y}" + (f" {at:%H:%M}" if at else "")
        raise NotFoundError(f"occurrence: meeting {meeting.id} has no occurrence on {when}")
    if len(unique) > 1:
        times = ", ".join(f"{c.astimezone(tz):%H:%M}" for c in unique)
        raise ValidationError(
            "occurrence",
            f"meeting {meeting.id} meets more than once on {day}: give the time ({times})",
        )
    return unique[0]


# --- reading meetings -----------------------------------------------------------------


def get_meeting(meeting_id: int) -> Meeting:
    """One meeting by id."""
    return records.get(Meeting, meeting_id)


def meeting_by_uid(uid: str) -> Meeting | None:
    """The meeting whose calendar UID is ``uid`` (what replies and imports name), if any."""
    return Meeting.get_or_none(Meeting.uid == uid)


def keep_sequence(ctx: Context, meeting_id: int, sequence: int) -> Meeting:
    """Give the meeting the SEQUENCE its calendar file has: a series imported from a calendar
    continues from the version its attendees already hold (so docket's updates supersede it),
    whatever the changes made while importing it counted."""
    if not 0 <= sequence <= SEQUENCE_MAX:
        raise ValidationError("sequence", f"expected 0 to {SEQUENCE_MAX}, got {sequence}")
    with write():
        meeting = records.get(Meeting, meeting_id)
        if meeting.sequence == sequence:
            return meeting
        return records.update(ctx, meeting, meeting.version, sequence=sequence)


def attendees_of(meeting_id: int) -> list[Attendee]:
    """A meeting's attendees with their person, chair first, then by name."""
    role_rank = Case(Attendee.role, (("chair", 0), ("required", 1)), 2)
    return list(
        Attendee.select(Attendee, Person)
        .join(Person)
        .where(Attendee.meeting == meeting_id)
        .order_by(role_rank, fn.lower(Person.name), Person.id)
    )


def split_chain(meeting_id: int) -> list[int]:
    """This meeting and the series it was split from, back to the first (ids, newest first)."""
    chain = [meeting_id]
    while True:
        link = MeetingSplit.get_or_none(MeetingSplit.meeting == chain[-1])
        if link is None or link.__data__["previous"] in chain:
            return chain
        chain.append(link.__data__["previous"])


# --- writing meetings -----------------------------------------------------------------


@dataclass
class _Invitees:
    """Attendees to add, as (person, role) in the order given, without repeats."""

    people: dict[int, tuple[Person, str]] = field(default_factory=dict)

    def add(self, person: Person, role: str) -> None:
        current = self.people.get(person.id)
        # a stronger role wins: chair over required over optional
        if current is None or ATTENDEE_ROLES.index(role) < ATTENDEE_ROLES.index(current[1]):
            self.people[person.id] = (person, role)


def _who_and_role(typed: str) -> tuple[str, str]:
    """``ana`` or ``ana:optional``: a person and the role they attend in."""
    who, sep, role = typed.rpartition(":")
    if sep and role.strip().lower() in ATTENDEE_ROLES:
        return who, role.strip().lower()
    return typed, "required"


def _invitees(attendees: Iterable[str], groups: Iterable[str]) -> _Invitees:
    found = _Invitees()
    for typed in attendees:
        who, role = _who_and_role(typed)
        found.add(find_person(who, field="attendee"), role)
    for name in groups:
        get_group(name)
        for person in members(name):
            found.add(person, "required")
    return found


def _organizer(ctx: Context, organizer: str | None) -> Person | None:
    if organizer:
        return find_person(organizer, field="organizer")
    from docket.models.accounts.users import person_for_account

    return person_for_account(ctx.actor)


def program_for_new(program: str | None) -> Program:
    """The program a new meeting goes in: the one named, else the only one there is."""
    if program:
        return get_program(program)
    only = list(Program.select().limit(2))
    if len(only) == 1:
        return only[0]
    raise ValidationError("program", "expected a program code such as ERP (--program)")


def _repeat(typed: str | None, start: datetime) -> tuple[str, datetime, datetime | None]:
    """The RRULE, the first occurrence's start and the last one's (None: endless)."""
    if not typed or not typed.strip():
        return "", start, None
    rule = parse_repeat(typed, start)
    first = first_start(rule, start)
    last = last_start(rule, first)
    return rule, first, last.astimezone(UTC) if last else None


def add_meeting(
    ctx: Context,
    title: str,
    *,
    start: str | date | datetime,
    duration: str | int | timedelta = 60,
    timezone: str | None = None,
    repeat: str | None = None,
    attendees: Sequence[str] = (),
    groups: Sequence[str] = (),
    program: str | None = None,
    location: str = "",
    link: str = "",
    organizer: str | None = None,
    agenda: str = "",
    status: str = "confirmed",
    uid: str | None = None,
    all_day: bool = False,
) -> Meeting:
    """Create a single meeting or a series, with its attendees (the organizer as chair).

    ``attendees`` are people as typed, optionally with a role (``bo:optional``); ``groups``
    add every member of each group. ``repeat`` is a rule in words or RFC 5545. An
    ``all_day`` meeting takes the whole day of ``start``: from midnight there, 24 hours.
    """
    tz = meeting_zone(timezone or zone_name_of(ctx))
    values: dict[str, Any] = {
        "title": text("title", title, max_length=TITLE_MAX),
        "agenda": text("agenda", agenda, required=False, max_length=AGENDA_MAX, multiline=True),
        "location": text("location", location, required=False),
        "link": text("link", link, required=False, max_length=2000),
        "duration_minutes": _minutes(duration),
        "status": choice("status", status, MEETING_STATUSES),
        "timezone": tz.key,
    }
    if all_day:
        begin = whole_day(_day_of(ctx, start, tz), tz)
        values["duration_minutes"] = ALL_DAY_MINUTES
    elif isinstance(start, str | datetime):
        begin = parse_start(ctx, start, tz)
    else:
        raise ValidationError("start", "expected a date and a time (a date alone: all day)")
    rule, first, last = _repeat(repeat, begin)
    values.update(
        all_day=all_day,
        start_local=_local_text(first),
        start_utc=first.astimezone(UTC),
        rrule=rule,
        until_utc=last,
        sequence=0,
    )
    with write():
        values["program"] = program_for_new(program)
        chair = _organizer(ctx, organizer)
        invitees = _invitees(attendees, groups)
        values["organizer"] = chair
        values["uid"] = text("uid", uid, max_length=255) if uid else uid_factory()
        meeting = records.create(ctx, Meeting, **values)
        if chair is not None:
            invitees.add(chair, "chair")
        for person, role in invitees.people.values():
            response = "accepted" if chair is not None and person.id == chair.id else "needs action"
            records.create(
                ctx, Attendee, meeting=meeting, person=person, role=role, response=response
            )
        return meeting


def _bump(ctx: Context, meeting: Meeting, note: str = "", **values: Any) -> Meeting:
    """Update a meeting; its SEQUENCE rises when a significant field changes."""
    diff = records.changed_fields(meeting, values)
    if any(name in SIGNIFICANT for name in diff) or (
        "status" in diff and "cancelled" in (meeting.status, values.get("status"))
    ):
        values["sequence"] = meeting.sequence + 1
    return records.update(ctx, meeting, meeting.version, note=note, **values)


def update_meeting(
    ctx: Context,
    meeting_id: int,
    version: int | None,
    *,
    add_attendees: Sequence[str] = (),
    add_groups: Sequence[str] = (),
    remove_attendees: Sequence[str] = (),
    **changes: Any,
) -> Meeting:
    """Change a meeting (the whole series): title, agenda, location, link, start, duration,
    timezone, repeat, status, program, organizer; add or remove attendees.

    A new start or rule keeps only the occurrence changes whose occurrence still exists.
    """
    known = {
        "title", "agenda", "location", "link", "start", "duration", "timezone", "repeat",
        "status", "program", "organizer",
    }  # fmt: skip
    unknown = set(changes) - known
    if unknown:
        raise ValidationError(sorted(unknown)[0], "is not a field of a meeting")
    values: dict[str, Any] = {}
    if "title" in changes:
        values["title"] = text("title", changes["title"], max_length=TITLE_MAX)
    if "agenda" in changes:
        values["agenda"] = text(
            "agenda", changes["agenda"], required=False, max_length=AGENDA_MAX, multiline=True
        )
    if "location" in changes:
        values["location"] = text("location", changes["location"], required=False)
    if "link" in changes:
        values["link"] = text("link", changes["link"], required=False, max_length=2000)
    if "duration" in changes:
        values["duration_minutes"] = _minutes(changes["duration"])
    if "status" in changes:
        values["status"] = choice("status", changes["status"], MEETING_STATUSES)
    with write():
        meeting = records.get_current(Meeting, meeting_id, version)
        if "program" in changes:
            values["program"] = get_program(changes["program"])
        if "organizer" in changes:
            values["organizer"] = (
                find_person(changes["organizer"], field="organizer")
                if changes["organizer"]
                else None
            )
        timing = {"start", "timezone", "repeat"} & set(changes)
        if timing:
            values.update(_timing(ctx, meeting, changes))
        before = datetime.fromisoformat(meeting.start_local)
        updated = _bump(ctx, meeting, **values)
        if timing:
            _rekey_changes(ctx, updated, datetime.fromisoformat(updated.start_local) - before)
        _change_attendees(ctx, updated, add_attendees, add_groups, remove_attendees)
        return get_meeting(meeting_id)


def _timing(ctx: Context, meeting: Meeting, changes: dict[str, Any]) -> dict[str, Any]:
    tz = meeting_zone(changes.get("timezone") or meeting.timezone)
    if "start" in changes:
        begin = parse_start(ctx, changes["start"], tz)
    else:
        # a new zone keeps the wall-clock time: 09:00 stays 09:00 in the new zone
        begin = wall_time(datetime.fromisoformat(meeting.start_local), tz)
    typed_rule = changes.get("repeat", meeting.rrule)
    rule, first, last = _repeat(typed_rule, begin)
    return {
        "timezone": tz.key,
        "start_local": _local_text(first),
        "start_utc": first.astimezone(UTC),
        "rrule": rule,
        "until_utc": last,
    }


def _rekey_changes(ctx: Context, meeting: Meeting, shift: timedelta) -> None:
    """After a new start, an occurrence change follows its occurrence: its key moves by the
    same wall-clock shift; one whose occurrence the new timing no longer has is deleted."""
    tz = ZoneInfo(meeting.timezone)
    start = series_start(meeting)
    for change in list(_changes_of(meeting.id)):
        wall = change.original_start.astimezone(tz).replace(tzinfo=None) + shift
        key = wall.replace(tzinfo=tz).astimezone(UTC)
        if not expand(meeting.rrule, start, key, key + timedelta(seconds=1)):
            records.delete(ctx, change, change.version, note="occurrence no longer in the series")
        elif key != change.original_start:
            records.update(ctx, change, change.version, original_start=key)


def _change_attendees(
    ctx: Context,
    meeting: Meeting,
    add: Sequence[str],
    groups: Sequence[str],
    remove: Sequence[str],
) -> None:
    invitees = _invitees(add, groups)
    current = {
        a.__data__["person"]: a for a in Attendee.select().where(Attendee.meeting == meeting)
    }
    for person, role in invitees.people.values():
        existing = current.get(person.id)
        if existing is None:
            records.create(ctx, Attendee, meeting=meeting, person=person, role=role)
        elif existing.role != role and add:
            records.update(ctx, existing, existing.version, role=role)
    for typed in remove:
        person = find_person(typed, field="attendee")
        existing = current.get(person.id)
        if existing is None:
            raise ValidationError("attendee", f"{person.name} does not attend meeting {meeting.id}")
        records.delete(ctx, existing, existing.version)


def set_response(ctx: Context, meeting_id: int, who: str | int, response: str) -> Attendee:
    """Record an attendee's answer: accepted, declined, tentative or needs action."""
    answer = choice("response", response, RESPONSES)
    with write():
        person = find_person(who, field="attendee")
        attendee = Attendee.get_or_none(Attendee.meeting == meeting_id, Attendee.person == person)
        if attendee is None:
            raise NotFoundError(f"attendee: {person.name} does not attend meeting {meeting_id}")
        return records.update(ctx, attendee, attendee.version, response=answer)


def cancel_meeting(ctx: Context, meeting_id: int, version: int | None = None) -> Meeting:
    """Cancel a meeting or a whole series (its SEQUENCE rises)."""
    with write():
        meeting = records.get_current(Meeting, meeting_id, version)
        if meeting.status == "cancelled":
            raise ValidationError("status", f"meeting {meeting_id} is already cancelled")
        return _bump(ctx, meeting, status="cancelled")


def restore_meeting(ctx: Context, meeting_id: int, version: int | None = None) -> Meeting:
    """Undo a cancellation of a meeting or series (its SEQUENCE rises again)."""
    with write():
        meeting = records.get_current(Meeting, meeting_id, version)
        if meeting.status != "cancelled":
            raise ValidationError("status", f"meeting {meeting_id} is not cancelled")
        return _bump(ctx, meeting, status="confirmed")


# --- one occurrence -------------------------------------------------------------------


def _change_for(meeting: Meeting, original: datetime) -> OccurrenceChange | None:
    return OccurrenceChange.get_or_none(
        OccurrenceChange.meeting == meeting, OccurrenceChange.original_start == original
    )


def _set_change(ctx: Context, meeting: Meeting, original: datetime, **values: Any) -> None:
    """Create or update the change of one occurrence; a change that changes nothing goes."""
    change = _change_for(meeting, original)
    if change is None:
        records.create(ctx, OccurrenceChange, meeting=meeting, original_start=original, **values)
        return
    updated = records.update(ctx, change, change.version, **values)
    plain = (
        updated.new_start in (None, original)
        and updated.new_duration_minutes is None
        and updated.new_location is None
        and updated.new_link is None
        and updated.new_title is None
        and not updated.cancelled
    )
    if plain:
        records.delete(ctx, updated, updated.version, note="occurrence back as the series has it")


def _series_meeting(meeting_id: int) -> Meeting:
    meeting = records.get(Meeting, meeting_id)
    if not meeting.rrule:
        raise ValidationError(
            "occurrence", f"meeting {meeting_id} is a single meeting; change the meeting itself"
        )
    return meeting


def move_occurrence(
    ctx: Context,
    meeting_id: int,
    occurrence: str | date | datetime,
    to: str | datetime,
    *,
    duration: str | int | None = None,
) -> Occurrence:
    """Move one occurrence to another time (``--to 15:00`` keeps its day). A single meeting
    moves as a whole. The SEQUENCE rises."""
    with write():
        meeting = records.get(Meeting, meeting_id)
        tz = ZoneInfo(meeting.timezone)
        if not meeting.rrule:
            original = meeting.start_utc
        else:
            original = find_occurrence(ctx, meeting, occurrence)
        new_start = _moved_to(ctx, meeting, original, to, tz)
        minutes = _minutes(duration) if duration is not None else None
        if not meeting.rrule:
            values: dict[str, Any] = {
                "start_local": _local_text(new_start),
                "start_utc": new_start.astimezone(UTC),
            }
            if minutes is not None:
                values["duration_minutes"] = minutes
            updated = _bump(ctx, meeting, **values)
            return meeting_occurrences(updated, updated.start_utc, updated.start_utc + _LONGEST)[0]
        change: dict[str, Any] = {"new_start": new_start.astimezone(UTC)}
        if minutes is not None:
            change["new_duration_minutes"] = minutes
        _set_change(ctx, meeting, original, **change)
        updated = records.update(ctx, meeting, meeting.version, sequence=meeting.sequence + 1)
        return occurrence_at(updated, original)


def _moved_to(
    ctx: Context, meeting: Meeting, original: datetime, to: str | datetime, tz: ZoneInfo
) -> datetime:
    if isinstance(to, str):
        try:
            clock = parse_time(to, field="to")
        except ValidationError:
            return parse_start(ctx, to, tz, field="to")
        # the day it happens on now, which a move may already have changed
        day = (
            occurrence_at(meeting, original).start.date()
            if meeting.rrule
            else original.astimezone(tz).date()
        )
        return wall_time(datetime.combine(day, clock), tz, field="to")
    return parse_start(ctx, to, tz, field="to")


def occurrence_at(meeting: Meeting, original: datetime) -> Occurrence:
    """The occurrence whose original start is ``original``, changes applied."""
    return changed_occurrence(meeting, original, _change_for(meeting, original))


def changed_occurrence(
    meeting: Meeting, original: datetime, change: OccurrenceChange | None
) -> Occurrence:
    """The occurrence of ``meeting`` at ``original`` with ``change`` (already loaded) applied."""
    row = {
        "id": meeting.id,
        "title": meeting.title,
        "timezone": meeting.timezone,
        "duration_minutes": meeting.duration_minutes,
        "location": meeting.location,
        "link": meeting.link,
        "rrule": meeting.rrule,
        "status": meeting.status,
        "all_day": meeting.all_day,
    }
    return _occurrence(row, original, change, meeting.program.code)


def relocate_occurrence(
    ctx: Context,
    meeting_id: int,
    occurrence: str | date | datetime,
    *,
    location: str | None = None,
    link: str | None = None,
) -> Occurrence:
    """Change one occurrence's room or online link (a new room raises the SEQUENCE)."""
    with write():
        meeting = _series_meeting(meeting_id)
        original = find_occurrence(ctx, meeting, occurrence)
        values: dict[str, Any] = {}
        if location is not None:
            values["new_location"] = text("location", location, required=False)
        if link is not None:
            values["new_link"] = text("link", link, required=False, max_length=2000)
        if not values:
            raise ValidationError("location", "give a new location or link")
        before = occurrence_at(meeting, original)
        _set_change(ctx, meeting, original, **values)
        after = occurrence_at(meeting, original)
        if after.location != before.location:
            records.update(ctx, meeting, meeting.version, sequence=meeting.sequence + 1)
        return occurrence_at(get_meeting(meeting_id), original)


def retitle_occurrence(
    ctx: Context, meeting_id: int, occurrence: str | date | datetime, title: str | None
) -> Occurrence:
    """Give one occurrence its own title (None: the series' title again). A title is not
    significant to calendars' copies, so the SEQUENCE stays."""
    with write():
        meeting = _series_meeting(meeting_id)
        original = find_occurrence(ctx, meeting, occurrence)
        own = text("title", title, max_length=TITLE_MAX) if title is not None else None
        own = None if own == meeting.title else own
        if own is not None or _change_for(meeting, original) is not None:
            _set_change(ctx, meeting, original, new_title=own)
        return occurrence_at(get_meeting(meeting_id), original)


def cancel_occurrence(
    ctx: Context, meeting_id: int, occurrence: str | date | datetime
) -> Occurrence:
    """Cancel one occurrence of a series (the SEQUENCE rises); it can be restored."""
    with write():
        meeting = _series_meeting(meeting_id)
        original = find_occurrence(ctx, meeting, occurrence)
        if occurrence_at(meeting, original).cancelled:
            raise ValidationError("occurrence", "that occurrence is already cancelled")
        _set_change(ctx, meeting, original, cancelled=True)
        records.update(ctx, meeting, meeting.version, sequence=meeting.sequence + 1)
        return occurrence_at(get_meeting(meeting_id), original)


def restore_occurrence(
    ctx: Context, meeting_id: int, occurrence: str | date | datetime
) -> Occurrence:
    """Bring back a cancelled occurrence, keeping a move it had (the SEQUENCE rises)."""
    with write():
        meeting = _series_meeting(meeting_id)
        original = find_occurrence(ctx, meeting, occurrence)
        change = _change_for(meeting, original)
        if change is None or not change.cancelled:
            raise ValidationError("occurrence", "that occurrence is not cancelled")
        _set_change(ctx, meeting, original, cancelled=False)
        records.update(ctx, meeting, meeting.version, sequence=meeting.sequence + 1)
        return occurrence_at(get_meeting(meeting_id), original)


def _changes_of(meeting_id: int) -> list[OccurrenceChange]:
    return list(OccurrenceChange.select().where(OccurrenceChange.meeting == meeting_id))


def changes_by_meeting(
    meeting_ids: Sequence[int], near: tuple[datetime, datetime] | None = None
) -> dict[int, list[OccurrenceChange]]:
    """The changed occurrences of many meetings in a few queries, by meeting, each list by
    original start (for calendars and agendas of thousands of meetings); only those whose
    original or new start falls in ``near``, when given."""
    found: dict[int, list[OccurrenceChange]] = {}
    ids = sorted(set(meeting_ids))
    within: Any = True
    if near is not None:
        within = OccurrenceChange.original_start.between(*near) | (
            OccurrenceChange.new_start.between(*near)
        )
    for first in range(0, len(ids), 500):
        query = (
            OccurrenceChange.select()
            .where(OccurrenceChange.meeting.in_(ids[first : first + 500]), within)
            .order_by(OccurrenceChange.meeting, OccurrenceChange.original_start)
        )
        for change in query:
            found.setdefault(change.__data__["meeting"], []).append(change)
    return found


def occurrence_changes(meeting_id: int) -> list[OccurrenceChange]:
    """The moved, relocated and cancelled occurrences of a series, by original start."""
    return list(
        OccurrenceChange.select()
        .where(OccurrenceChange.meeting == meeting_id)
        .order_by(OccurrenceChange.original_start)
    )


# --- this and following ---------------------------------------------------------------


def _rule_parts(rule: str) -> dict[str, str]:
    return dict(piece.split("=", 1) for piece in rule.split(";") if "=" in piece)


def _rule_text(parts: dict[str, str]) -> str:
    return ";".join(f"{k}={v}" for k, v in parts.items())


def split_series(
    ctx: Context,
    meeting_id: int,
    occurrence: str | date | datetime,
    **changes: Any,
) -> Meeting:
    """Change "this and following" occurrences: the old series ends before ``occurrence``
    (UNTIL; its SEQUENCE rises) and a new meeting with a new UID starts there, with the
    attendees, agenda and later occurrence changes, then ``changes`` applied to it
    (as :func:`update_meeting` takes them). Returns the new meeting."""
    with write():
        old = _series_meeting(meeting_id)
        original = find_occurrence(ctx, old, occurrence)
        if original == old.start_utc:
            raise ValidationError(
                "occurrence", "that is the first occurrence; change the whole series instead"
            )
        tz = ZoneInfo(old.timezone)
        before = original_starts(old, old.start_utc.astimezone(tz), original)
        parts = _rule_parts(old.rrule)
        new_parts = dict(parts)
        if "COUNT" in parts:
            new_parts["COUNT"] = str(int(parts["COUNT"]) - len(before))
            del parts["COUNT"]
        # UNTIL is inclusive: the old series' last start, exactly
        parts["UNTIL"] = before[-1].astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
        old_rule = _rule_text(parts)
        records.update(
            ctx,
            old,
            old.version,
            note="this and following: series ended",
            rrule=old_rule,
            until_utc=before[-1].astimezone(UTC),
            sequence=old.sequence + 1,
        )
        start = original.astimezone(tz)
        new = records.create(
            ctx,
            Meeting,
            program=old.program,
            title=old.title,
            agenda=old.agenda,
            location=old.location,
            link=old.link,
            organizer=old.organizer,
            start_local=_local_text(start),
            timezone=old.timezone,
            start_utc=original,
            duration_minutes=old.duration_minutes,
            rrule=_rule_text(new_parts),
            until_utc=old.until_utc,
            status=old.status,
            uid=uid_factory(),
            sequence=0,
        )
        for attendee in Attendee.select().where(Attendee.meeting == old):
            records.create(
                ctx,
                Attendee,
                meeting=new,
                person=attendee.__data__["person"],
                role=attendee.role,
                # a new UID is a new invitation: everyone answers again, but the organizer
                response="accepted" if attendee.role == "chair" else "needs action",
            )
        for change in OccurrenceChange.select().where(
            OccurrenceChange.meeting == old, OccurrenceChange.original_start >= original
        ):
            records.update(ctx, change, change.version, meeting=new)
        records.create(ctx, MeetingSplit, meeting=new, previous=old, split_at=original)
        if changes:
            changed = update_meeting(ctx, new.id, get_meeting(new.id).version, **changes)
            if changed.sequence:
                # nobody has seen the new UID yet: its first version is SEQUENCE 0
                records.update(ctx, changed, changed.version, sequence=0)
        return get_meeting(new.id)


# --- agenda, minutes and actions ------------------------------------------------------


@dataclass(frozen=True)
class CarriedAction:
    """An open action item raised at an earlier occurrence, and how old it is."""

    action: ActionItem
    raised_at: datetime
    age_days: int


def carried_actions(meeting_id: int, occurrence_start: datetime) -> list[CarriedAction]:
    """Open action items raised at earlier occurrences of this series (and the series it was
    split from), oldest first, with their age in days at ``occurrence_start``."""
    chain = split_chain(meeting_id)
    query = (
        ActionItem.select(ActionItem, Person)
        .join(Person, JOIN.LEFT_OUTER, on=(ActionItem.owner == Person.id))
        .where(
            ActionItem.source_meeting.in_(chain),
            ActionItem.source_occurrence < occurrence_start,
            is_open_clause(),
        )
        .order_by(ActionItem.source_occurrence, ActionItem.id)
    )
    return [
        CarriedAction(a, a.source_occurrence, (occurrence_start - a.source_occurrence).days)
        for a in query
    ]


def _owner_name(item: ActionItem) -> str | None:
    owner = item.owner if item.__data__.get("owner") else None
    return str(owner.name) if owner is not None else None


def agenda_text(meeting: Meeting, occurrence_start: datetime) -> str:
    """The agenda of one occurrence: its own, else the series'."""
    own = Agenda.get_or_none(Agenda.meeting == meeting, Agenda.occurrence_start == occurrence_start)
    return str(own.text) if own is not None else str(meeting.agenda)


def agenda_of(meeting_id: int, occurrence_start: datetime) -> dict[str, Any]:
    """One occurrence's agenda with the open actions carried into it, as plain data."""
    meeting = get_meeting(meeting_id)
    carried = carried_actions(meeting_id, occurrence_start)
    return {
        "meeting": meeting.id,
        "occurrence": _iso(occurrence_start),
        "text": agenda_text(meeting, occurrence_start),
        "carried_actions": [
            {
                "id": c.action.id,
                "title": c.action.title,
                "owner": _owner_name(c.action),
                "due": c.action.due.isoformat() if c.action.due else None,
                "status": c.action.status,
                "raised_at": _iso(c.raised_at),
                "age_days": c.age_days,
            }
            for c in carried
        ],
    }


def set_agenda(
    ctx: Context, meeting_id: int, occurrence: str | date | datetime, agenda: str
) -> Agenda:
    """Write one occurrence's own agenda."""
    body = text("agenda", agenda, required=False, max_length=AGENDA_MAX, multiline=True)
    with write():
        meeting = get_meeting(meeting_id)
        original = _occurrence_key(ctx, meeting, occurrence)
        own = Agenda.get_or_none(Agenda.meeting == meeting, Agenda.occurrence_start == original)
        if own is None:
            return records.create(
                ctx, Agenda, meeting=meeting, occurrence_start=original, text=body
            )
        return records.update(ctx, own, own.version, text=body)


def _occurrence_key(ctx: Context, meeting: Meeting, occurrence: str | date | datetime) -> datetime:
    if isinstance(occurrence, datetime) and occurrence.tzinfo is not None:
        return occurrence.astimezone(UTC)
    if not meeting.rrule and occurrence in (None, ""):
        return series_start(meeting).astimezone(UTC)
    return find_occurrence(ctx, meeting, occurrence)


def held(ctx: Context, meeting: Meeting, original: datetime, what: str) -> Occurrence:
    """The occurrence at ``original``, which must have started: minutes and decisions are
    facts of a meeting that has happened. ``what`` names what was refused."""
    occurrence = occurrence_at(meeting, original)
    if occurrence.start > ctx.now():
        when = (
            occurrence.start.date().isoformat() + " (all day)"
            if occurrence.all_day
            else f"{_minute(occurrence.start)} {occurrence.timezone}"
        )
        raise ValidationError(
            "occurrence",
            f"{what} for {occurrence.title!r} on {when}: that occurrence has not started yet; "
            "record them once it has",
        )
    return occurrence


def get_minutes(meeting_id: int, occurrence_start: datetime) -> Minutes | None:
    """The minutes of one occurrence, if written."""
    return Minutes.get_or_none(
        Minutes.meeting == meeting_id, Minutes.occurrence_start == occurrence_start
    )


def save_minutes(
    ctx: Context,
    meeting_id: int,
    occurrence: str | date | datetime,
    *,
    notes: str | None = None,
    attendance: str | None = None,
) -> Minutes:
    """Write the minutes of one occurrence: notes and attendance (those given). What it
    decided is recorded as decisions (:func:`add_decision_from_minutes`)."""
    values: dict[str, Any] = {}
    for name, value in (("notes", notes), ("attendance", attendance)):
        if value is not None:
            values[name] = text(name, value, required=False, max_length=100_000, multiline=True)
    with write():
        meeting = get_meeting(meeting_id)
        original = _occurrence_key(ctx, meeting, occurrence)
        held(ctx, meeting, original, "minutes")
        own = get_minutes(meeting_id, original)
        if own is None:
            return records.create(
                ctx, Minutes, meeting=meeting, occurrence_start=original, **values
            )
        return records.update(ctx, own, own.version, **values)


def add_action_from_minutes(
    ctx: Context,
    meeting_id: int,
    occurrence: str | date | datetime,
    title: str,
    *,
    owner: str | None = None,
    due: str | date | None = None,
    priority: str = "normal",
    notes: str = "",
) -> ActionItem:
    """An action item raised at one occurrence, in the meeting's program, pointing back."""
    with write():
        meeting = get_meeting(meeting_id)
        original = _occurrence_key(ctx, meeting, occurrence)
        return add_action(
            ctx,
            title,
            owner=owner,
            due=due,
            program=meeting.program.code,
            priority=priority,
            notes=notes,
            source_meeting=meeting.id,
            source_occurrence=original,
        )


def add_decision_from_minutes(
    ctx: Context,
    meeting_id: int,
    occurrence: str | date | datetime,
    title: str,
    *,
    rationale: str = "",
    decided_by: str | None = None,
) -> Decision:
    """A decision taken at one occurrence: in the meeting's program, on the occurrence's
    day in the meeting's zone, pointing back to it (the RAID log lists it too)."""
    from docket.models.governance.raid import add_decision

    with write():
        meeting = get_meeting(meeting_id)
        original = _occurrence_key(ctx, meeting, occurrence)
        taken = held(ctx, meeting, original, "a decision").start
        return add_decision(
            ctx,
            title,
            program=meeting.program.code,
            rationale=rationale,
            decided_by=decided_by,
            decided_on=taken.astimezone(ZoneInfo(meeting.timezone)).date(),
            meeting=meeting.id,
            occurrence_start=original,
        )


@dataclass
class MinutesWritten:
    """What :func:`record_minutes` wrote: the minutes (if any), decision and action ids."""

    minutes: bool = False
    decisions: list[int] = field(default_factory=list)
    actions: list[int] = field(default_factory=list)


def record_minutes(
    ctx: Context,
    meeting_id: int,
    occurrence: str | date | datetime,
    *,
    notes: str | None = None,
    attendance: str | None = None,
    decisions: Sequence[str] = (),
    decided_by: str | None = None,
    action: str | None = None,
    owner: str | None = None,
    due: str | None = None,
) -> MinutesWritten:
    """Minutes, the decisions taken and an action raised at one occurrence, in one
    transaction: all of it is written, or (on an error) none of it."""
    done = MinutesWritten()
    with write():
        if notes is not None or attendance is not None:
            save_minutes(ctx, meeting_id, occurrence, notes=notes, attendance=attendance)
            done.minutes = True
        for said in decisions:
            made = add_decision_from_minutes(
                ctx, meeting_id, occurrence, said, decided_by=decided_by
            )
            done.decisions.append(made.id)
        if action:
            item = add_action_from_minutes(
                ctx, meeting_id, occurrence, action, owner=owner, due=due
            )
            done.actions.append(item.id)
    return done


def decisions_taken(meeting_id: int, occurrence_start: datetime) -> list[Decision]:
    """The decisions taken at one occurrence, in the order they were recorded."""
    return list(
        Decision.select()
        .where(Decision.meeting == meeting_id, Decision.occurrence_start == occurrence_start)
        .order_by(Decision.id)
    )


def actions_raised(meeting_id: int, occurrence_start: datetime) -> list[ActionItem]:
    """The action items raised at one occurrence."""
    return list(
        ActionItem.select()
        .where(
            ActionItem.source_meeting == meeting_id,
            ActionItem.source_occurrence == occurrence_start,
        )
        .order_by(ActionItem.id)
    )


# --- plain data -----------------------------------------------------------------------


def _iso(moment: datetime) -> str:
    # isoformat, not strftime: an agenda of thousands of occurrences formats each several times
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"


def _minute(moment: datetime) -> str:
    """``2026-12-01 09:00``: the wall clock as lists show it."""
    return moment.replace(tzinfo=None).isoformat(sep=" ", timespec="minutes")


def occurrence_facts(occurrence: Occurrence, tz: Any = None) -> dict[str, Any]:
    """One occurrence as plain data: the stable JSON form of ``docket meeting list``.

    ``local_start`` is in ``tz`` (the reader's zone) when given, else the meeting's; an
    all-day occurrence is its own day in every zone (midnight to midnight).
    """
    own = tz is None or occurrence.all_day
    shown_in = occurrence.start if own else occurrence.start.astimezone(tz)
    return {
        "meeting": occurrence.meeting_id,
        "title": occurrence.title,
        "program": occurrence.program,
        "start": _iso(occurrence.start),
        "end": _iso(occurrence.end),
        "local_start": _minute(shown_in),
        "local_end": _minute(occurrence.end.astimezone(shown_in.tzinfo)),
        "meeting_start": _minute(occurrence.start),
        "timezone": occurrence.timezone,
        "duration_minutes": occurrence.duration_minutes,
        "location": occurrence.location,
        "link": occurrence.link,
        "status": occurrence.status,
        "moved": occurrence.moved,
        "series": occurrence.series,
        "all_day": occurrence.all_day,
        "occurrence": _iso(occurrence.original_start),
    }


def meeting_facts(meeting: Meeting) -> dict[str, Any]:
    """One meeting (or series) as plain data."""
    organizer = meeting.organizer if meeting.__data__.get("organizer") else None
    return {
        "id": meeting.id,
        "title": meeting.title,
        "program": meeting.program.code,
        "start": _iso(meeting.start_utc),
        "meeting_start": meeting.start_local[:16],
        "timezone": meeting.timezone,
        "duration_minutes": meeting.duration_minutes,
        "all_day": meeting.all_day,
        "repeat": meeting.rrule,
        "repeat_words": describe(meeting.rrule, meeting.timezone),
        "until": _iso(meeting.until_utc) if meeting.until_utc else None,
        "location": meeting.location,
        "link": meeting.link,
        "organizer": organizer.name if organizer else None,
        "organizer_email": organizer.email if organizer else None,
        "status": meeting.status,
        "uid": meeting.uid,
        "sequence": meeting.sequence,
        "agenda": meeting.agenda,
        "version": meeting.version,
    }


def meeting_detail(meeting_id: int) -> dict[str, Any]:
    """Everything about one meeting as plain data: its facts, attendees and responses,
    occurrence changes, and the series it was split from or into."""
    meeting = get_meeting(meeting_id)
    facts = meeting_facts(meeting)
    facts["attendees"] = [
        {
            "person": a.person.id,
            "name": a.person.name,
            "email": a.person.email,
            "role": a.role,
            "response": a.response,
        }
        for a in attendees_of(meeting_id)
    ]
    tz = ZoneInfo(meeting.timezone)
    facts["changes"] = [
        {
            "occurrence": _iso(c.original_start),
            "occurrence_local": c.original_start.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
            "cancelled": bool(c.cancelled),
            "new_start": _iso(c.new_start) if c.new_start else None,
            "new_start_local": c.new_start.astimezone(tz).strftime("%Y-%m-%d %H:%M")
            if c.new_start
            else None,
            "new_duration_minutes": c.new_duration_minutes,
            "new_location": c.new_location,
            "new_link": c.new_link,
            "new_title": c.new_title,
        }
        for c in occurrence_changes(meeting_id)
    ]
    split_from = MeetingSplit.get_or_none(MeetingSplit.meeting == meeting_id)
    facts["split_from"] = split_from.__data__["previous"] if split_from else None
    facts["split_into"] = [
        s.__data__["meeting"]
        for s in MeetingSplit.select().where(MeetingSplit.previous == meeting_id)
    ]
    return facts


def meetings_on_days(ctx: Context, first: date, days: int, **flt: Any) -> list[Occurrence]:
    """Occurrences on ``days`` calendar days from ``first`` in the user's zone."""
    start = datetime.combine(first, time(0), ctx.tz).astimezone(UTC)
    end = datetime.combine(first + timedelta(days=days), time(0), ctx.tz).astimezone(UTC)
    return list_occurrences(start, end, OccurrenceFilter(**flt))
