"""Changes to one occurrence of a series: moved, relocated, retitled, cancelled, restored.

Each is an :class:`OccurrenceChange` keyed by the occurrence's original start; a change that
no longer changes anything is deleted. A new time, room or cancellation raises the series'
SEQUENCE (calendars' copies are out of date); a title does not.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from docket.models.core import records
from docket.models.core.context import Context
from docket.models.core.database import write
from docket.models.core.dates import parse_time
from docket.models.core.errors import ValidationError
from docket.models.core.inputs import text
from docket.models.core.schema import Meeting, OccurrenceChange
from docket.models.meetings.occurrences import (
    Occurrence,
    change_for,
    find_occurrence,
    meeting_occurrences,
    occurrence_at,
)
from docket.models.meetings.series import (
    TITLE_MAX,
    get_meeting,
    series_meeting,
    update_with_sequence,
)
from docket.models.meetings.times import LONGEST, length_minutes, local_text, parse_start, wall_time


def _set_change(ctx: Context, meeting: Meeting, original: datetime, **values: Any) -> None:
    """Create or update the change of one occurrence; a change that changes nothing goes."""
    change = change_for(meeting, original)
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
        minutes = length_minutes(duration) if duration is not None else None
        if not meeting.rrule:
            values: dict[str, Any] = {
                "start_local": local_text(new_start),
                "start_utc": new_start.astimezone(UTC),
            }
            if minutes is not None:
                values["duration_minutes"] = minutes
            updated = update_with_sequence(ctx, meeting, **values)
            return meeting_occurrences(updated, updated.start_utc, updated.start_utc + LONGEST)[0]
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
        meeting = series_meeting(meeting_id)
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
        meeting = series_meeting(meeting_id)
        original = find_occurrence(ctx, meeting, occurrence)
        own = text("title", title, max_length=TITLE_MAX) if title is not None else None
        own = None if own == meeting.title else own
        if own is not None or change_for(meeting, original) is not None:
            _set_change(ctx, meeting, original, new_title=own)
        return occurrence_at(get_meeting(meeting_id), original)


def cancel_occurrence(
    ctx: Context, meeting_id: int, occurrence: str | date | datetime
) -> Occurrence:
    """Cancel one occurrence of a series (the SEQUENCE rises); it can be restored."""
    with write():
        meeting = series_meeting(meeting_id)
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
        meeting = series_meeting(meeting_id)
        original = find_occurrence(ctx, meeting, occurrence)
        change = change_for(meeting, original)
        if change is None or not change.cancelled:
            raise ValidationError("occurrence", "that occurrence is not cancelled")
        _set_change(ctx, meeting, original, cancelled=False)
        records.update(ctx, meeting, meeting.version, sequence=meeting.sequence + 1)
        return occurrence_at(get_meeting(meeting_id), original)
