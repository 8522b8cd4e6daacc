"""Meetings and occurrences as plain data: the stable JSON form of ``docket meeting``."""

from __future__ import annotations

from datetime import tzinfo
from typing import TypedDict
from zoneinfo import ZoneInfo

from docket.models.core.schema import Meeting, MeetingSplit
from docket.models.meetings.occurrences import Occurrence, occurrence_changes
from docket.models.meetings.recurrence import describe
from docket.models.meetings.times import minute_text, utc_text


class OccurrenceFacts(TypedDict):
    """One occurrence as ``docket meeting list --format json`` gives it."""

    meeting: int
    title: str
    program: str
    # UTC, ``2026-12-01T15:00:00Z``
    start: str
    end: str
    # the wall clock in the reader's zone (or the meeting's), ``2026-12-01 09:00``
    local_start: str
    local_end: str
    # the wall clock in the meeting's zone
    meeting_start: str
    timezone: str
    duration_minutes: int
    location: str
    link: str
    status: str
    moved: bool
    series: bool
    all_day: bool
    # the RECURRENCE-ID (the original start, UTC)
    occurrence: str


class MeetingFacts(TypedDict):
    """One meeting (or series) as plain data."""

    id: int
    title: str
    program: str
    start: str
    meeting_start: str
    timezone: str
    duration_minutes: int
    all_day: bool
    repeat: str
    repeat_words: str
    until: str | None
    location: str
    link: str
    organizer: str | None
    organizer_email: str | None
    status: str
    uid: str
    sequence: int
    agenda: str
    version: int


class AttendeeFacts(TypedDict):
    """One attendee of a meeting and their answer."""

    person: int
    name: str
    email: str | None
    role: str
    response: str


class ChangeFacts(TypedDict):
    """One changed occurrence of a series: moved, relocated, retitled or cancelled."""

    occurrence: str
    occurrence_local: str
    cancelled: bool
    new_start: str | None
    new_start_local: str | None
    new_duration_minutes: int | None
    new_location: str | None
    new_link: str | None
    new_title: str | None


class MeetingDetailFacts(MeetingFacts):
    """A meeting with its attendees, occurrence changes and the series it was split from
    or into (``docket meeting show --format json``)."""

    attendees: list[AttendeeFacts]
    changes: list[ChangeFacts]
    split_from: int | None
    split_into: list[int]


def occurrence_facts(occurrence: Occurrence, tz: tzinfo | None = None) -> OccurrenceFacts:
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
        "start": utc_text(occurrence.start),
        "end": utc_text(occurrence.end),
        "local_start": minute_text(shown_in),
        "local_end": minute_text(occurrence.end.astimezone(shown_in.tzinfo)),
        "meeting_start": minute_text(occurrence.start),
        "timezone": occurrence.timezone,
        "duration_minutes": occurrence.duration_minutes,
        "location": occurrence.location,
        "link": occurrence.link,
        "status": occurrence.status,
        "moved": occurrence.moved,
        "series": occurrence.series,
        "all_day": occurrence.all_day,
        "occurrence": utc_text(occurrence.original_start),
    }


# how a list shows an all-day occurrence's time
ALL_DAY = "all day"

# the agenda table's cells: start, end, meeting, program, title, location, state
OccurrenceCells = tuple[str, str, str, str, str, str, str]


def occurrence_cells(occurrence: Occurrence, tz: tzinfo) -> OccurrenceCells:
    """One occurrence as the agenda table (``docket meeting list``) shows it, in ``tz``:
    the start and end's wall clock (an all-day one's day and "all day"), and its state
    (not confirmed, moved, and the meeting's own time where its zone is another). Built
    straight from the occurrence, since an agenda has thousands and the table only cells."""
    if occurrence.all_day:
        start, end = f"{minute_text(occurrence.start)[:10]} {ALL_DAY}", ""
    else:
        start = minute_text(occurrence.start.astimezone(tz))
        end = occurrence.end.astimezone(tz).time().isoformat(timespec="minutes")
    state = [occurrence.status] if occurrence.status != "confirmed" else []
    if occurrence.moved:
        state.append("moved")
    if occurrence.timezone != getattr(tz, "key", None) and not occurrence.all_day:
        state.append(f"{occurrence.start.time().isoformat('minutes')} {occurrence.timezone}")
    return (
        start,
        end,
        str(occurrence.meeting_id),
        occurrence.program or "",
        occurrence.title or "",
        occurrence.location or "",
        ", ".join(state),
    )


def meeting_facts(meeting: Meeting) -> MeetingFacts:
    """One meeting (or series) as plain data."""
    organizer = meeting.organizer if meeting.__data__.get("organizer") else None
    return {
        "id": meeting.id,
        "title": meeting.title,
        "program": meeting.program.code,
        "start": utc_text(meeting.start_utc),
        "meeting_start": meeting.start_local[:16],
        "timezone": meeting.timezone,
        "duration_minutes": meeting.duration_minutes,
        "all_day": meeting.all_day,
        "repeat": meeting.rrule,
        "repeat_words": describe(meeting.rrule, meeting.timezone),
        "until": utc_text(meeting.until_utc) if meeting.until_utc else None,
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


def meeting_detail(meeting_id: int) -> MeetingDetailFacts:
    """Everything about one meeting as plain data: its facts, attendees and responses,
    occurrence changes, and the series it was split from or into."""
    # here, not above: an agenda needs only occurrence_facts, and not what these import
    from docket.models.meetings.attendees import attendees_of
    from docket.models.meetings.series import get_meeting

    meeting = get_meeting(meeting_id)
    attendees: list[AttendeeFacts] = [
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
    changes: list[ChangeFacts] = [
        {
            "occurrence": utc_text(c.original_start),
            "occurrence_local": c.original_start.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
            "cancelled": bool(c.cancelled),
            "new_start": utc_text(c.new_start) if c.new_start else None,
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
    return {
        **meeting_facts(meeting),
        "attendees": attendees,
        "changes": changes,
        "split_from": split_from.__data__["previous"] if split_from else None,
        "split_into": [
            s.__data__["meeting"]
            for s in MeetingSplit.select().where(MeetingSplit.previous == meeting_id)
        ],
    }
