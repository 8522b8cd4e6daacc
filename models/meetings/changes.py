"""Changes to one occurrence of a series: moved, relocated, retitled, cancelled, restored.

Each is an :class:`OccurrenceChange` keyed by the occurrence's original start; a change that
no longer changes anything is deleted. A new time, room or cancellation raises the series'
SEQUENCE (calendars' copies are out of date); a title does not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from docket.models.core import records
from docket.models.core.context import Context
from docket.models.core.database import write
from docket.models.core.dates import parse_time
from docket.models.core.errors import NotFoundError, ValidationError
from docket.models.core.inputs import text
from docket.models.core.schema import Meeting, OccurrenceChange
from docket.models.meetings.occurrences import (
    Occurrence,
    change_for,
    find_occurrence,
    meeting_occurrences,
    occurrence_at,
    original_starts,
)
from docket.models.meetings.series import (
    SEQUENCE_MAX,
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


def _place(location: str | None, link: str | None) -> dict[str, Any]:
    """An occurrence's new room and link, checked (at least one given)."""
    values: dict[str, Any] = {}
    if location is not None:
        values["new_location"] = text("location", location, required=False)
    if link is not None:
        values["new_link"] = text("link", link, required=False, max_length=2000)
    if not values:
        raise ValidationError("location", "give a new location or link")
    return values


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
        values = _place(location, link)
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


class NotPlanned(Exception):
    """What :class:`PlannedSeries` leaves to the operations themselves (a change that would
    be deleted again, a typed occurrence): the series is then changed one by one."""


# an occurrence change's fields as a new one holds them
_UNCHANGED: dict[str, Any] = {
    "new_start": None,
    "new_duration_minutes": None,
    "new_location": None,
    "new_link": None,
    "cancelled": False,
    "new_title": None,
}


@dataclass
class PlannedChange:
    """One occurrence change of a planned series: its values as created, then now."""

    created: dict[str, Any]
    current: dict[str, Any]


@dataclass
class PlannedSeries:
    """A series not yet written, changed as :func:`cancel_occurrence`,
    :func:`move_occurrence`, :func:`relocate_occurrence`, :func:`retitle_occurrence` and
    :func:`~docket.models.meetings.series.keep_sequence` would change it once written (the
    same checks, errors and values), without reading it again for each: a calendar import
    writes thousands of such series at once. ``steps`` are the writes in their order:
    ``("meeting", -1, changes)`` an update of the meeting, ``("create", k, "")`` the
    creation of ``changes[k]``, ``("update", k, changes)`` an update of it."""

    ctx: Context
    meeting: Meeting  # unsaved: its rule, start, zone, title, place, length and status
    sequence: int
    changes: list[PlannedChange] = field(default_factory=list)
    steps: list[tuple[str, int, str]] = field(default_factory=list)
    _by_start: dict[datetime, int] = field(default_factory=dict)

    def find(self, typed: date | datetime) -> datetime:
        """The original start of the occurrence ``typed`` names, as
        :func:`~docket.models.meetings.occurrences.find_occurrence` finds it (its errors do
        not name the meeting: it has no id yet)."""
        if not isinstance(typed, date):
            raise NotPlanned("a typed occurrence")
        meeting = self.meeting
        tz = ZoneInfo(meeting.timezone)
        at: time | None = None
        if isinstance(typed, datetime):
            moment = typed if typed.tzinfo else typed.replace(tzinfo=tz)
            day, at = moment.astimezone(tz).date(), moment.astimezone(tz).time()
        else:
            day = typed
        day_start = datetime.combine(day, time(0), tz)
        day_end = datetime.combine(day + timedelta(days=1), time(0), tz)
        candidates = original_starts(meeting, day_start, day_end)
        for change in self.changes:
            moved = change.current["new_start"]
            if moved is not None and day_start <= moved < day_end:
                candidates.append(change.created["original_start"])
        if at is not None:
            candidates = [c for c in candidates if c.astimezone(tz).time().replace(second=0) == at]
        unique = sorted(set(candidates))
        if not unique:
            raise NotFoundError(f"occurrence: the series has no occurrence on {day}")
        if len(unique) > 1:
            raise ValidationError("occurrence", f"the series meets more than once on {day}")
        return unique[0]

    def _change(self, original: datetime) -> PlannedChange | None:
        k = self._by_start.get(original)
        return None if k is None else self.changes[k]

    def _set(self, original: datetime, **values: Any) -> None:
        """As ``_set_change``: create or update the change of one occurrence."""
        from docket.models.audit.chain import changes_text  # as records: writes alone load it
        from docket.models.audit.chain import plain as audit_plain

        change = self._change(original)
        if change is None:
            created = {"original_start": original, **values}
            self._by_start[original] = len(self.changes)
            self.steps.append(("create", len(self.changes), ""))
            self.changes.append(PlannedChange(created, {**_UNCHANGED, **created}))
            return
        diff: dict[str, list[Any]] = {}
        for name, new in values.items():
            old = audit_plain(change.current[name])
            if old != audit_plain(new):
                diff[name] = [old, audit_plain(new)]
        if diff:
            self.steps.append(("update", self._by_start[original], changes_text(diff)))
            change.current.update((name, values[name]) for name in diff)
        now = change.current
        if (
            now["new_start"] in (None, original)
            and now["new_duration_minutes"] is None
            and now["new_location"] is None
            and now["new_link"] is None
            and now["new_title"] is None
            and not now["cancelled"]
        ):
            raise NotPlanned("a change that changes nothing is deleted")

    def _sequence(self, sequence: int) -> None:
        from docket.models.audit.chain import changes_text

        self.steps.append(("meeting", -1, changes_text({"sequence": [self.sequence, sequence]})))
        self.sequence = sequence

    def _status(self, original: datetime) -> tuple[bool, str]:
        """Whether the occurrence is cancelled, and its location."""
        change = self._change(original)
        cancelled = self.meeting.status == "cancelled"
        location = self.meeting.location
        if change is not None:
            cancelled = cancelled or bool(change.current["cancelled"])
            if change.current["new_location"] is not None:
                location = change.current["new_location"]
        return cancelled, location

    def cancel(self, occurrence: date | datetime) -> datetime:
        """As :func:`cancel_occurrence`; the original start."""
        original = self.find(occurrence)
        if self._status(original)[0]:
            raise ValidationError("occurrence", "that occurrence is already cancelled")
        self._set(original, cancelled=True)
        self._sequence(self.sequence + 1)
        return original

    def move(self, occurrence: date | datetime, to: datetime, duration: int) -> None:
        """As :func:`move_occurrence` of a series to an aware time, with a duration."""
        original = self.find(occurrence)
        new_start = parse_start(self.ctx, to, ZoneInfo(self.meeting.timezone), field="to")
        minutes = length_minutes(duration)
        self._set(original, new_start=new_start.astimezone(UTC), new_duration_minutes=minutes)
        self._sequence(self.sequence + 1)

    def relocate(
        self, occurrence: date | datetime, *, location: str | None, link: str | None
    ) -> None:
        """As :func:`relocate_occurrence`."""
        original = self.find(occurrence)
        values = _place(location, link)
        before = self._status(original)[1]
        self._set(original, **values)
        if self._status(original)[1] != before:
            self._sequence(self.sequence + 1)

    def retitle(self, occurrence: date | datetime, title: str | None) -> None:
        """As :func:`retitle_occurrence`."""
        original = self.find(occurrence)
        own = text("title", title, max_length=TITLE_MAX) if title is not None else None
        own = None if own == self.meeting.title else own
        if own is not None or self._change(original) is not None:
            self._set(original, new_title=own)

    def keep_sequence(self, sequence: int) -> None:
        """As :func:`~docket.models.meetings.series.keep_sequence`."""
        if not 0 <= sequence <= SEQUENCE_MAX:
            raise ValidationError("sequence", f"expected 0 to {SEQUENCE_MAX}, got {sequence}")
        if sequence != self.sequence:
            self._sequence(sequence)
