"""Replies in from a METHOD:REPLY calendar file: the answering attendees' responses."""

from __future__ import annotations

from icalendar import Component

from docket.exports.calendar.ical_fields import RESPONSES, address_of, all_values
from docket.exports.calendar.ical_read import UNREADABLE, Skip, Source, check_readable
from docket.exports.calendar.ical_report import ImportReport, skipped_event
from docket.models.core.context import Context
from docket.models.core.database import write
from docket.models.core.errors import DocketError
from docket.models.meetings.attendees import set_response
from docket.models.meetings.series import meeting_by_uid
from docket.models.people.directory import people_by_email


def import_replies(ctx: Context, source: Source, report: ImportReport) -> None:
    """Set the responses each event of a reply gives, in a savepoint per event."""
    for event in source.calendar.walk("VEVENT"):
        try:
            with write():
                check_readable(event, source)
                report.responses += _reply(ctx, event)
        except Skip as why:
            report.skipped.append(skipped_event(event, str(why), source))
        except DocketError as error:
            report.skipped.append(skipped_event(event, str(error), source))
        except UNREADABLE as error:
            report.skipped.append(skipped_event(event, f"cannot be read: {error}", source))


def _reply(ctx: Context, event: Component) -> int:
    uid = str(event.get("UID", "")).strip()
    meeting = meeting_by_uid(uid) if uid else None
    if meeting is None:
        raise Skip("a reply to a meeting docket does not have")
    if event.get("RECURRENCE-ID") is not None:
        raise Skip("a reply for one occurrence; docket keeps one answer per attendee")
    attendees = all_values(event, "ATTENDEE")
    known = people_by_email(address_of(a) for a in attendees)
    answered = 0
    for attendee in attendees:
        person = known.get(address_of(attendee))
        if person is None:
            raise Skip(f"{address_of(attendee)} is not in the directory")
        partstat = str(attendee.params.get("PARTSTAT", "")).upper()
        set_response(ctx, meeting.id, person.id, RESPONSES.get(partstat, "needs action"))
        answered += 1
    if not answered:
        raise Skip("no ATTENDEE answers in the reply")
    return answered
