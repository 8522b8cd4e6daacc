"""Meetings: single meetings and series, created, changed, cancelled and split.

A meeting keeps its wall-clock start in its own IANA zone (``start_local`` + ``timezone``)
and the UTC start of its first occurrence (``start_utc``); a series has an RRULE
(:mod:`docket.models.meetings.recurrence`) and, when it ends, ``until_utc``: the start of its last
occurrence. Changes to one occurrence are in :mod:`docket.models.meetings.changes`.

SEQUENCE (what calendar clients compare to apply an update) rises with every significant
change: the time, the duration, the repeat rule, the zone, the location, a cancellation or a
restore, of the series or of one occurrence. Nothing else touches it. A "this and following"
change ends the old series (UNTIL) and starts a new meeting with a new UID, which clients
apply reliably; :class:`MeetingSplit` links them so open actions follow.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from docket.models.core import records
from docket.models.core.context import Context
from docket.models.core.database import write
from docket.models.core.dates import parse_date
from docket.models.core.errors import ValidationError
from docket.models.core.inputs import choice, text
from docket.models.core.schema import (
    MEETING_STATUSES,
    Attendee,
    Meeting,
    MeetingSplit,
    OccurrenceChange,
    Program,
)
from docket.models.meetings.attendees import change_attendees, invitees_of, organizer_for
from docket.models.meetings.occurrences import changes_of, find_occurrence, original_starts
from docket.models.meetings.recurrence import expand, first_start, last_start, parse_repeat
from docket.models.meetings.times import (
    ALL_DAY_MINUTES,
    length_minutes,
    local_text,
    meeting_zone,
    parse_start,
    series_start,
    wall_time,
    whole_day,
    zone_name_of,
)
from docket.models.people.directory import find_person
from docket.models.portfolio.programs import get_program

TITLE_MAX = 200

AGENDA_MAX = 20_000

# the largest SEQUENCE (an RFC 5545 INTEGER)
SEQUENCE_MAX = 2**31 - 1

# the fields whose change makes every copy of an invite out of date
SIGNIFICANT = ("start_local", "timezone", "start_utc", "duration_minutes", "rrule", "location")


def _new_uid() -> str:
    return f"{uuid.uuid4()}@docket"


# Tests set this to make UIDs fixed; everything else calls it once per new meeting.
uid_factory: Callable[[], str] = _new_uid


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


def split_chain(meeting_id: int) -> list[int]:
    """This meeting and the series it was split from, back to the first (ids, newest first)."""
    chain = [meeting_id]
    while True:
        link = MeetingSplit.get_or_none(MeetingSplit.meeting == chain[-1])
        if link is None or link.__data__["previous"] in chain:
            return chain
        chain.append(link.__data__["previous"])


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


def meeting_values(
    ctx: Context,
    title: str,
    *,
    start: str | date | datetime,
    duration: str | int | timedelta = 60,
    timezone: str | None = None,
    repeat: str | None = None,
    location: str = "",
    link: str = "",
    agenda: str = "",
    status: str = "confirmed",
    all_day: bool = False,
) -> dict[str, Any]:
    """A new meeting's own fields, each checked, as :func:`add_meeting` stores them (all
    but its program, organizer and UID); read only, for adding many at once (an import)."""
    tz = meeting_zone(timezone or zone_name_of(ctx))
    values: dict[str, Any] = {
        "title": text("title", title, max_length=TITLE_MAX),
        "agenda": text("agenda", agenda, required=False, max_length=AGENDA_MAX, multiline=True),
        "location": text("location", location, required=False),
        "link": text("link", link, required=False, max_length=2000),
        "duration_minutes": length_minutes(duration),
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
        start_local=local_text(first),
        start_utc=first.astimezone(UTC),
        rrule=rule,
        until_utc=last,
        sequence=0,
    )
    return values


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
    values = meeting_values(
        ctx, title, start=start, duration=duration, timezone=timezone, repeat=repeat,
        location=location, link=link, agenda=agenda, status=status, all_day=all_day,
    )  # fmt: skip
    with write():
        values["program"] = program_for_new(program)
        chair = organizer_for(ctx, organizer)
        invitees = invitees_of(attendees, groups)
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


def update_with_sequence(ctx: Context, meeting: Meeting, note: str = "", **values: Any) -> Meeting:
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
        values["duration_minutes"] = length_minutes(changes["duration"])
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
        updated = update_with_sequence(ctx, meeting, **values)
        if timing:
            _rekey_changes(ctx, updated, datetime.fromisoformat(updated.start_local) - before)
        change_attendees(ctx, updated, add_attendees, add_groups, remove_attendees)
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
        "start_local": local_text(first),
        "start_utc": first.astimezone(UTC),
        "rrule": rule,
        "until_utc": last,
    }


def _rekey_changes(ctx: Context, meeting: Meeting, shift: timedelta) -> None:
    """After a new start, an occurrence change follows its occurrence: its key moves by the
    same wall-clock shift; one whose occurrence the new timing no longer has is deleted."""
    tz = ZoneInfo(meeting.timezone)
    start = series_start(meeting)
    for change in list(changes_of(meeting.id)):
        wall = change.original_start.astimezone(tz).replace(tzinfo=None) + shift
        key = wall.replace(tzinfo=tz).astimezone(UTC)
        if not expand(meeting.rrule, start, key, key + timedelta(seconds=1)):
            records.delete(ctx, change, change.version, note="occurrence no longer in the series")
        elif key != change.original_start:
            records.update(ctx, change, change.version, original_start=key)


def cancel_meeting(ctx: Context, meeting_id: int, version: int | None = None) -> Meeting:
    """Cancel a meeting or a whole series (its SEQUENCE rises)."""
    with write():
        meeting = records.get_current(Meeting, meeting_id, version)
        if meeting.status == "cancelled":
            raise ValidationError("status", f"meeting {meeting_id} is already cancelled")
        return update_with_sequence(ctx, meeting, status="cancelled")


def restore_meeting(ctx: Context, meeting_id: int, version: int | None = None) -> Meeting:
    """Undo a cancellation of a meeting or series (its SEQUENCE rises again)."""
    with write():
        meeting = records.get_current(Meeting, meeting_id, version)
        if meeting.status != "cancelled":
            raise ValidationError("status", f"meeting {meeting_id} is not cancelled")
        return update_with_sequence(ctx, meeting, status="confirmed")


def series_meeting(meeting_id: int) -> Meeting:
    """A series by id; a single meeting is refused (change the meeting itself)."""
    meeting = records.get(Meeting, meeting_id)
    if not meeting.rrule:
        raise ValidationError(
            "occurrence", f"meeting {meeting_id} is a single meeting; change the meeting itself"
        )
    return meeting


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
        old = series_meeting(meeting_id)
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
            start_local=local_text(start),
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
