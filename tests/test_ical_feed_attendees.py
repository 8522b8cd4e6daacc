"""A calendar feed's ATTENDEE lines: each meeting's in the order its attendees were added,
when the attendees of several meetings were added in turn (the feed reads every attendee in
the order of their ids and files each line under its meeting)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import erp_team

from docket.exports.calendar import ical_feed
from docket.models.core.context import Context
from docket.models.core.schema import Meeting
from docket.models.meetings import series as meetings
from docket.models.meetings.attendees import change_attendees
from docket.models.people.persons import add_person

STAMP = datetime(2026, 9, 1, 12, 0, tzinfo=UTC)
# the organizer, the chair: the first attendee of every meeting
ANA = "ana@city.example"


@pytest.fixture
def office(db_path: Path, ctx: Context) -> Context:
    erp_team(ctx)
    add_person(ctx, "Ed Fox")  # no e-mail address: left out of the feed
    return ctx


def _attendees(content: bytes, title: str) -> list[str]:
    """The addresses of the ATTENDEE lines of the event titled ``title``, in file order."""
    flat = content.replace(b"\r\n ", b"").decode("utf-8")
    for event in flat.split("BEGIN:VEVENT")[1:]:
        if f"SUMMARY:{title}\r\n" in event:
            return [
                line.rsplit("mailto:", 1)[1]
                for line in event.split("\r\n")
                if line.startswith("ATTENDEE")
            ]
    raise AssertionError(f"no event {title}")


def test_each_meeting_keeps_its_attendees_order_when_meetings_took_turns(
    office: Context,
) -> None:
    first = meetings.add_meeting(
        office, "First", start="2026-12-01 09:00", organizer="ana", program="ERP"
    )
    second = meetings.add_meeting(
        office, "Second", start="2026-12-02 09:00", organizer="ana", program="ERP"
    )
    one, two = Meeting.get_by_id(first.id), Meeting.get_by_id(second.id)
    for meeting, person in ((one, "cy"), (two, "bo"), (one, "ed"), (two, "cy"), (one, "bo")):
        change_attendees(office, meeting, [person], [], [])
    everything = ical_feed.feed(STAMP)
    scoped = ical_feed.feed(STAMP, program="ERP")
    for content in (everything, scoped):
        assert _attendees(content, "First") == [ANA, "cy@city.example", "bo@city.example"]
        assert _attendees(content, "Second") == [ANA, "bo@city.example", "cy@city.example"]
