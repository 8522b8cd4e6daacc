"""Invites out of docket: the REQUEST or CANCEL of a meeting, a series or one occurrence,
written line by line (exports/calendar/ical_text.py) from the VEVENTs of
:mod:`docket.exports.calendar.ical_events`. Commands import this module when they need it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from docket.exports.calendar.ical_events import (
    Event,
    Zones,
    begin_calendar,
    guests_of,
    occurrence_event,
    roster_of,
    series_events,
    write_event,
    zone_span,
)
from docket.exports.calendar.ical_text import utc_stamp
from docket.models.core.errors import ValidationError
from docket.models.core.schema import (
    Attendee,
    Meeting,
    Person,
)
from docket.models.meetings.attendees import attendees_of
from docket.models.meetings.occurrences import (
    occurrence_at,
    occurrence_changes,
)
from docket.models.meetings.series import get_meeting
from docket.models.meetings.times import series_start


@dataclass(frozen=True)
class Invite:
    """One invite: the calendar text and who it goes to."""

    method: str
    ics: bytes
    meeting: Meeting
    recipients: list[Person]
    # the occurrence it concerns (its original start), or None for the whole series
    occurrence: datetime | None
    # attendees left out because they have no e-mail address
    skipped: list[Person]


def invite(
    meeting_id: int,
    stamp: datetime,
    *,
    occurrence: datetime | None = None,
    cancel: bool = False,
    recipients: list[Person] | None = None,
) -> Invite:
    """The REQUEST (or CANCEL) for a meeting, a series, or one occurrence of it.

    A cancelled meeting or occurrence always gives a CANCEL; ``cancel`` asks for one and is
    refused for what docket does not hold as cancelled. ``recipients`` narrows who the
    message goes to (a CANCEL to removed attendees names only them).
    """
    meeting = get_meeting(meeting_id)
    attendees = attendees_of(meeting_id)
    if recipients is not None:
        # a message to people no longer attending (their cancellation) names them
        attendees = [
            Attendee(person=p, role="required", response="needs action") for p in recipients
        ]
    tz = ZoneInfo(meeting.timezone)
    zones = Zones()
    if occurrence is not None:
        one = occurrence_at(meeting, occurrence)
        is_cancelled = one.cancelled
        if cancel and not is_cancelled and recipients is None:
            raise ValidationError(
                "cancel",
                "that occurrence is not cancelled; cancel it first with "
                f"'docket meeting cancel {meeting_id} --occurrence DATE'",
            )
        method = "CANCEL" if is_cancelled or cancel else "REQUEST"
        events = [occurrence_event(meeting, one, cancelled=method == "CANCEL")]
        zones.use(meeting.timezone, min(one.start, one.original_start.astimezone(tz)), one.start)
    else:
        is_cancelled = meeting.status == "cancelled"
        if cancel and not is_cancelled and recipients is None:
            raise ValidationError(
                "cancel",
                f"meeting {meeting_id} is not cancelled; cancel it first with "
                f"'docket meeting cancel {meeting_id}'",
            )
        method = "CANCEL" if is_cancelled or cancel else "REQUEST"
        changes = occurrence_changes(meeting_id)
        zones.use(meeting.timezone, *zone_span(meeting, changes))
        if method == "CANCEL":
            whole = Event(
                start=series_start(meeting),
                minutes=meeting.duration_minutes,
                status="CANCELLED",
                rrule=meeting.rrule,
            )
            events = [whole]
        else:
            events = series_events(meeting, changes)
    roster = roster_of(meeting, guests_of(attendees), method)
    out = begin_calendar(method)
    zones.write(out)
    stamp_text = utc_stamp(stamp)
    for event in events:
        write_event(out, meeting, stamp_text, roster, event)
    out.end("VCALENDAR")
    chosen = [a for a in attendees if a.person.email]
    return Invite(
        method=method,
        ics=out.to_bytes(),
        meeting=meeting,
        recipients=[a.person for a in chosen],
        occurrence=occurrence,
        skipped=[a.person for a in attendees if not a.person.email],
    )
