"""Occurrences: a meeting's dates as they will happen, each occurrence's changes applied.

One occurrence is named by its *original* start in UTC, the RECURRENCE-ID invites carry; an
:class:`OccurrenceChange` keyed by it moves, relocates, retitles or cancels it. Lists expand
only the meetings that can reach their window (chosen in SQL), so agendas of thousands of
meetings stay quick.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from peewee import SQL

from docket.models.core import engine
from docket.models.core.context import Context
from docket.models.core.dates import parse_date, parse_time
from docket.models.core.errors import NotFoundError, ValidationError
from docket.models.core.schema import Attendee, Meeting, OccurrenceChange, Program, database
from docket.models.meetings.recurrence import end_of, expand, expand_instants
from docket.models.meetings.times import LONGEST, minute_text, series_start


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
        """The end, in the meeting's zone: the start plus the length in absolute time;
        worked out once (an agenda compares and shows it several times), and kept beside
        the fields, as functools.cached_property would, without its lock."""
        found: datetime | None = self.__dict__.get("_end")
        if found is None:
            found = end_of(self.start, self.duration_minutes)
            object.__setattr__(self, "_end", found)
        return found

    @property
    def cancelled(self) -> bool:
        return self.status == "cancelled"


def _occurrence(
    row: dict[str, Any],
    original: datetime,
    change: OccurrenceChange | None,
    program: str,
    tz: ZoneInfo | None = None,
    *,
    there: bool = False,
) -> Occurrence:
    """The occurrence at ``original`` with ``change`` applied; ``there``: ``original`` is
    already the instant in the meeting's zone as converting gives it (what expand gives)."""
    tz = tz or ZoneInfo(row["timezone"])
    utc = original.astimezone(UTC)
    start = original if there else utc.astimezone(tz)
    duration, location, link = row["duration_minutes"], row["location"], row["link"]
    status = row["status"]
    title = row["title"]
    moved = False
    if change is not None:
        if change.new_start is not None:
            start = change.new_start.astimezone(tz)
            moved = change.new_start != utc
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
        original_start=utc,
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
    length = timedelta(minutes=row["duration_minutes"])
    if not row["rrule"] and not changes and (limit is None or limit > 0):
        # a single meeting no change touches (most of an agenda's): its one start, in UTC,
        # in the window [window_start - length, window_end) as expand gives it
        utc = row["start_utc"].astimezone(UTC)
        end = utc + length
        if utc >= window_start - length and utc < window_end and end > window_start:
            there = utc.astimezone(tz)
            shared = _shared(row, program)
            return [_unchanged(shared, there, there.astimezone(UTC), end.astimezone(tz))]
        return []
    start = row["start_utc"].astimezone(tz)
    found: list[Occurrence] = []
    seen: set[datetime] = set()
    shared = _shared(row, program)
    # a series' occurrence that starts before the window reaches into it by the series'
    # length at most; one made longer is a moved one, found through its change below
    earliest = window_start - length
    # an occurrence moved into the window from outside it is found through its change
    for original, utc in expand_instants(row["rrule"], start, earliest, window_end, limit=limit):
        change = None
        if changes:
            seen.add(utc)
            change = changes.get(utc)
        if change is None:
            # the common case, compared in UTC (the window's zone: no offsets looked up)
            end = utc + length
            if end > window_start and utc < window_end:
                found.append(_unchanged(shared, original, utc, end.astimezone(tz)))
            continue
        occurrence = _occurrence(row, original, change, program, tz, there=True)
        if occurrence.end > window_start and occurrence.start < window_end:
            found.append(occurrence)
    for key, change in changes.items():
        if key in seen or change.new_start is None:
            continue
        occurrence = _occurrence(row, key, change, program, tz)
        if occurrence.end > window_start and occurrence.start < window_end:
            found.append(occurrence)
    return found


def _shared(row: dict[str, Any], program: str) -> dict[str, Any]:
    """What every unchanged occurrence of the meeting has: copied into each."""
    return {
        "meeting_id": row["id"],
        "title": row["title"],
        "program": program,
        "timezone": row["timezone"],
        "duration_minutes": row["duration_minutes"],
        "location": row["location"],
        "link": row["link"],
        "status": row["status"],
        "moved": False,
        "series": bool(row["rrule"]),
        "all_day": bool(row.get("all_day")),
    }


def _unchanged(shared: dict[str, Any], start: datetime, utc: datetime, end: datetime) -> Occurrence:
    """The occurrence at ``start`` (in the meeting's zone, ``utc`` in UTC) that no change
    touches, with the meeting's ``shared`` fields and its end (``end``, in that zone)
    worked out already: made as the dataclass would be, without its frozen
    ``__setattr__`` for each field (an agenda makes thousands)."""
    made = object.__new__(Occurrence)
    fields = made.__dict__
    fields.update(shared)
    fields["original_start"] = utc
    fields["start"] = start
    fields["_end"] = end
    return made


class OccurrenceFilter(NamedTuple):
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
    earliest = window_start - LONGEST
    # most meetings start before the window ends (the past): SQLite reads the table for
    # them, not their entries of the start index (2.5 ms against 6 ms for the large demo's
    # 5,000 meetings; the rows it reads are the same). The bound is given as stored: an
    # expression, unlike the column, does not convert it
    ends = Meeting.start_utc.db_value(window_end)
    reach = (engine.unindexed(Meeting.start_utc) < ends) & (
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
        # here, not above: an agenda of all programs does not import what programs import
        from docket.models.portfolio.programs import program_and_children

        query = query.where(Meeting.program.in_(program_and_children(flt.program)))
    if flt.meeting_id is not None:
        query = query.where(Meeting.id == flt.meeting_id)
    if flt.person is not None:
        query = query.where(
            (Meeting.organizer == flt.person)
            | Meeting.id.in_(Attendee.select(Attendee.meeting).where(Attendee.person == flt.person))
        )
    rows = _plain_rows(query)
    by_meeting = changes_by_meeting(
        [r["id"] for r in rows if r["rrule"]], near=(earliest, window_end)
    )
    found: list[Occurrence] = []
    for row in rows:
        changes = {c.original_start: c for c in by_meeting.get(row["id"], [])}
        found.extend(_expand_row(row, changes, window_start, window_end, row["program"]))
    if not flt.include_cancelled:
        found = [o for o in found if not o.cancelled]
    # by instant: one not moved starts at its original start (already UTC)
    found.sort(
        key=lambda o: (
            o.start.astimezone(UTC) if o.moved else o.original_start,
            o.title,
            o.meeting_id,
        )
    )
    return found


def _plain_rows(query: Any) -> list[dict[str, Any]]:
    """The rows of list_occurrences' query as dicts, read straight from the cursor: only
    the start needs converting (an agenda reads a thousand rows)."""
    sql, params = query.sql()
    instant = Meeting.start_utc.python_value
    return [
        {
            "id": ident,
            "title": title,
            "timezone": zone,
            "start_utc": instant(start),
            "duration_minutes": minutes,
            "location": location,
            "link": link,
            "rrule": rule,
            "status": status,
            "all_day": bool(all_day),
            "program": program,
        }
        for (
            ident,
            title,
            zone,
            start,
            minutes,
            location,
            link,
            rule,
            status,
            all_day,
            program,
        ) in database.execute_sql(sql, params)
    ]


def meeting_occurrences(
    meeting: Meeting, window_start: datetime, window_end: datetime, *, limit: int | None = None
) -> list[Occurrence]:
    """One meeting's occurrences in a window, overrides applied, by start."""
    changes = {c.original_start: c for c in changes_of(meeting.id)}
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
    for change in changes_of(meeting.id):
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


def change_for(meeting: Meeting, original: datetime) -> OccurrenceChange | None:
    """The change of the occurrence at ``original``, if it has one."""
    return OccurrenceChange.get_or_none(
        OccurrenceChange.meeting == meeting, OccurrenceChange.original_start == original
    )


def occurrence_at(meeting: Meeting, original: datetime) -> Occurrence:
    """The occurrence whose original start is ``original``, changes applied."""
    return changed_occurrence(meeting, original, change_for(meeting, original))


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


def changes_of(meeting_id: int) -> list[OccurrenceChange]:
    """Every occurrence change of one meeting."""
    return list(OccurrenceChange.select().where(OccurrenceChange.meeting == meeting_id))


def changes_by_meeting(
    meeting_ids: Sequence[int], near: tuple[datetime, datetime] | None = None
) -> dict[int, list[OccurrenceChange]]:
    """The changed occurrences of many meetings in a few queries, by meeting, each list by
    original start (for calendars and agendas of thousands of meetings); only those whose
    original or new start falls in ``near``, when given."""
    found: dict[int, list[OccurrenceChange]] = {}
    if not meeting_ids:
        return found
    within: Any = True
    if near is not None:
        within = OccurrenceChange.original_start.between(*near) | (
            OccurrenceChange.new_start.between(*near)
        )
    query = (
        OccurrenceChange.select()
        .where(OccurrenceChange.meeting.in_(among(meeting_ids)), within)
        .order_by(OccurrenceChange.meeting, OccurrenceChange.original_start)
    )
    for change in query:
        found.setdefault(change.__data__["meeting"], []).append(change)
    return found


def among(ids: Iterable[int]) -> Any:
    """SQL for ``column.in_(among(ids))``: the ids as one parameter (a JSON array read by
    ``json_each``), so a list of any length is one query, never one per so many ids, and
    never over SQLite's limit on a statement's parameters."""
    return SQL("(SELECT value FROM json_each(?))", [json.dumps(sorted(set(ids)))])


def occurrence_changes(meeting_id: int) -> list[OccurrenceChange]:
    """The moved, relocated and cancelled occurrences of a series, by original start."""
    return list(
        OccurrenceChange.select()
        .where(OccurrenceChange.meeting == meeting_id)
        .order_by(OccurrenceChange.original_start)
    )


def held(ctx: Context, meeting: Meeting, original: datetime, what: str) -> Occurrence:
    """The occurrence at ``original``, which must have started: minutes and decisions are
    facts of a meeting that has happened. ``what`` names what was refused."""
    occurrence = occurrence_at(meeting, original)
    if occurrence.start > ctx.now():
        when = (
            occurrence.start.date().isoformat() + " (all day)"
            if occurrence.all_day
            else f"{minute_text(occurrence.start)} {occurrence.timezone}"
        )
        raise ValidationError(
            "occurrence",
            f"{what} for {occurrence.title!r} on {when}: that occurrence has not started yet; "
            "record them once it has",
        )
    return occurrence


def meetings_on_days(ctx: Context, first: date, days: int, **flt: Any) -> list[Occurrence]:
    """Occurrences on ``days`` calendar days from ``first`` in the user's zone."""
    start = datetime.combine(first, time(0), ctx.tz).astimezone(UTC)
    end = datetime.combine(first + timedelta(days=days), time(0), ctx.tz).astimezone(UTC)
    return list_occurrences(start, end, OccurrenceFilter(**flt))
