"""``docket import ics`` on the cases issue 17 and issue 24 reported: broken events named
with their line and reason, files that are not calendars refused in one line, all-day
events, and docket's own export imported again without changing anything.

The malformed fixtures in tests/fixtures/ics were written byte by byte (CRLF, a Latin-1
byte, a byte-order mark, NUL and ESC, a file cut short, an END missing).
"""

from __future__ import annotations

import contextlib
import itertools
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import erp_team
from engine_support import second_database, small_demo
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# the same office as the other import tests: ERP, and Ana, Bo and Cy with e-mails
from docket.exports.calendar import ical_feed
from docket.exports.calendar.ical_import import import_calendar
from docket.models.core.context import Context
from docket.models.core.database import open_database
from docket.models.core.errors import DocketError, NotFoundError, ValidationError
from docket.models.core.schema import Meeting, OccurrenceChange, Program, database
from docket.models.meetings import series as meetings
from docket.models.meetings.attendees import set_response
from docket.models.meetings.changes import (
    cancel_occurrence,
    move_occurrence,
    relocate_occurrence,
    retitle_occurrence,
)
from docket.models.meetings.occurrences import meeting_occurrences
from docket.models.portfolio.programs import add_program

pytestmark = pytest.mark.both_engines

FILES = Path(__file__).parent / "fixtures" / "ics"
NOW = datetime(2026, 11, 23, 15, tzinfo=UTC)


@pytest.fixture
def office(db_path: Path, ctx: Context) -> Context:
    erp_team(ctx)
    return ctx


def _dump() -> list[tuple[Any, ...]]:
    """Every meeting row: what "the database is unchanged" compares."""
    rows: Any = Meeting.select().order_by(Meeting.id).tuples()
    return list(rows)


def _without_stamps(ics: bytes) -> bytes:
    return re.sub(rb"DTSTAMP:[^\r]*\r\n", b"", ics)


# --- broken events: named, with their line and reason; the rest imported ----------------

BROKEN = [
    (12, "'Bad start' (UID bad-start)", "DTSTART (line 16) cannot be read: Wrong datetime format"),
    (19, "'Bad sequence' (UID bad-sequence)", "SEQUENCE (line 25) cannot be read: Expected int"),
    (
        27,
        "'Stray text' (UID not-a-property)",
        "line 33 is not a property (NAME:value): 'this line is not a property'",
    ),
    (35, "'Huge count' (UID huge-count)", "RRULE (line 41) cannot be read: Integer 99999999999"),
    (43, "'Big count' (UID big-count)", "repeat: COUNT must be 1 to 9999, got 2000000000"),
    (51, "'Null\x00title' (UID null-title)", "title: contains a control character (U+0000)"),
    (58, "'Escape \x1b[31mred' (UID escape-title)", "title: contains a control character"),
    (65, "'No identity'", "no UID"),
    (
        71,
        "'Offsite' (UID long-all-day)",
        "an all-day event of 3 days (2026-12-07 to 2026-12-09): docket's meetings last one day",
    ),
    (
        86,
        "'Weekly sync (moved)' (UID series-2)",
        "DTSTART (line 91) cannot be read: Wrong datetime format: 2026-12-08 15:00; "
        "its series (line 78) is left out with it",
    ),
]


def test_every_event_that_cannot_be_read_is_named_with_its_line_and_reason(
    office: Context,
) -> None:
    report = import_calendar(office, (FILES / "broken-events.ics").read_bytes(), program="ERP")
    got = [(s.line, s.what, s.why) for s in report.skipped]
    assert [(line, what) for line, what, _ in got] == [(line, what) for line, what, _ in BROKEN]
    for (_, _, why), (_, _, expected) in zip(got, BROKEN, strict=True):
        assert why.startswith(expected), why
    # the two readable events are in; nothing of the broken series (its master was fine)
    assert sorted(m.uid for m in Meeting.select()) == ["good-1", "good-2"]


def test_a_utc_time_without_calendar_zone_is_a_meeting_in_utc(office: Context) -> None:
    import_calendar(office, (FILES / "broken-events.ics").read_bytes(), program="ERP")
    meeting = Meeting.get(Meeting.uid == "good-2")
    assert (meeting.timezone, meeting.start_local) == ("UTC", "2026-12-02 15:00:00")


def test_a_byte_order_mark_is_read_and_another_encoding_can_be_named(office: Context) -> None:
    import_calendar(office, (FILES / "bom.ics").read_bytes(), program="ERP")
    assert Meeting.get().title == "Réunion budget"
    Meeting.delete().execute()
    latin = (FILES / "latin-1.ics").read_bytes()
    import_calendar(office, latin, program="ERP", encoding="latin-1")
    assert Meeting.get().title == "Réunion budget"


def test_a_nul_byte_in_a_title_skips_that_event(office: Context) -> None:
    report = import_calendar(office, (FILES / "nul-byte.ics").read_bytes(), program="ERP")
    assert [(s.line, s.why) for s in report.skipped] == [
        (5, "title: contains a control character (U+0000); remove it")
    ]
    assert Meeting.select().count() == 0


REFUSED = [
    (
        ["latin-1.ics"],
        "docket: file: line 7 is not utf-8 text (byte 0xe9); give its encoding with --encoding "
        "(e.g. --encoding cp1252)",
    ),
    (
        ["truncated.ics"],
        "docket: file: expected an iCalendar file (.ics): line 12: BEGIN:VEVENT has no "
        "END:VEVENT (is the file cut short?)",
    ),
    (
        ["missing-end.ics"],
        "docket: file: expected an iCalendar file (.ics): line 18: END:VCALENDAR where "
        "BEGIN:VEVENT of line 5 is still open (an END:VEVENT is missing)",
    ),
    (
        ["bom.ics", "--program", "NOPE"],
        "docket: program: no program with code 'NOPE'; known programs: ERP",
    ),
    (
        ["bom.ics", "--encoding", "klingon"],
        "docket: encoding: 'klingon' is not an encoding; expected e.g. utf-8, cp1252, latin-1",
    ),
]


@pytest.mark.parametrize(
    ("args", "message"), REFUSED, ids=["latin-1", "truncated", "missing-end", "program", "enc"]
)
def test_a_file_or_option_that_cannot_be_used_is_refused_in_one_line(
    office: Context, cli: Any, args: list[str], message: str
) -> None:
    import_calendar(office, (FILES / "google-export.ics").read_bytes(), program="ERP")
    before = _dump()
    result = cli("import", "ics", str(FILES / args[0]), *args[1:])
    assert (result.status, result.out, result.err) == (2, "", message + "\n")
    assert _dump() == before


def test_a_second_program_needs_program_before_anything_is_read(office: Context) -> None:
    add_program(office, "CRM", "CRM")
    with pytest.raises(ValidationError, match="expected a program code"):
        import_calendar(office, (FILES / "bom.ics").read_bytes())
    with pytest.raises(NotFoundError, match="no program with code 'nope'"):
        import_calendar(office, (FILES / "bom.ics").read_bytes(), program="nope")


VALID = (FILES / "google-export.ics").read_bytes()


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    cut=st.integers(min_value=0, max_value=len(VALID)),
    length=st.integers(min_value=0, max_value=40),
    junk=st.binary(max_size=40),
)
def test_a_damaged_calendar_is_imported_or_refused_never_a_crash(
    office: Context, cut: int, length: int, junk: bytes
) -> None:
    """Any stretch of a real export replaced by any bytes: a report, or a DocketError."""
    data = VALID[:cut] + junk + VALID[cut + length :]
    with contextlib.suppress(DocketError):
        import_calendar(office, data, program="ERP", dry_run=True)
    assert Meeting.select().count() == 0


# --- all-day events ---------------------------------------------------------------------


def test_all_day_events_are_all_day_meetings_and_go_back_out_as_dates(office: Context) -> None:
    report = import_calendar(office, (FILES / "all-day.ics").read_bytes(), program="ERP")
    closed = Meeting.get(Meeting.uid == "holiday-1")
    # X-WR-TIMEZONE names the zone whose midnight the day starts at
    assert (closed.all_day, closed.start_local, closed.timezone, closed.duration_minutes) == (
        True,
        "2026-12-24 00:00:00",
        "Europe/London",
        1440,
    )
    assert closed.sequence == 2
    review = Meeting.get(Meeting.uid == "review-day")
    found = meeting_occurrences(review, NOW, datetime(2027, 6, 1, tzinfo=UTC))
    assert [(f"{o.start:%m-%d %H:%M}", o.title, o.status, o.all_day) for o in found] == [
        ("01-04 00:00", "Review day", "confirmed", True),
        ("01-11 00:00", "Review day", "cancelled", True),
        ("01-19 00:00", "Review day: budget", "confirmed", True),
        ("01-25 00:00", "Review day", "confirmed", True),
    ]
    assert review.sequence == 1
    # a multi-day event is refused with the reason, the rest imported
    assert [(s.line, s.what) for s in report.skipped] == [(32, "'Offsite' (UID offsite)")]
    assert "docket's meetings last one day at most" in report.skipped[0].why
    feed = ical_feed.feed(NOW).decode()
    assert "DTSTART;VALUE=DATE:20261224\r\nDTEND;VALUE=DATE:20261225\r\n" in feed
    assert "RRULE:FREQ=WEEKLY;UNTIL=20270125;BYDAY=MO\r\nEXDATE;VALUE=DATE:20270111\r\n" in feed
    assert "RECURRENCE-ID;VALUE=DATE:20270118\r\n" in feed
    # dates need no zone: an all-day calendar has no VTIMEZONE
    assert "BEGIN:VTIMEZONE" not in feed


def test_all_day_meetings_show_as_all_day_in_the_list(office: Context, cli: Any) -> None:
    import_calendar(office, (FILES / "all-day.ics").read_bytes(), program="ERP")
    listed = cli("meeting", "list", "--from", "2026-12-20", "--days", "10").out.splitlines()
    assert listed[1].split()[:3] == ["2026-12-24", "all", "day"]
    assert "00:00" not in listed[1]
    shown = cli("meeting", "show", str(Meeting.get(Meeting.uid == "review-day").id)).out
    assert "  2027-01-04 all day, every week on Mon, until Mon 25 Jan 2027" in shown


def test_a_meeting_added_for_a_day_is_all_day(office: Context) -> None:
    meeting = meetings.add_meeting(office, "Offsite", start="2027-02-05", all_day=True)
    assert (meeting.all_day, meeting.start_local, meeting.duration_minutes) == (
        True,
        "2027-02-05 00:00:00",
        1440,
    )
    with pytest.raises(ValidationError, match="a date alone: all day"):
        meetings.add_meeting(office, "Offsite", start=datetime(2027, 2, 5).date())


# --- docket's own export, imported again, changes nothing -------------------------------


def _rich_office(ctx: Context) -> None:
    """Every kind of meeting the exporter writes: a series with a move, a new room and
    link, a cancellation and an occurrence with its own title; a tentative meeting with
    only a link; all-day meetings; a UTC series; an open-ended series with answers."""
    steering = meetings.add_meeting(
        ctx,
        "Steering",
        start="2027-03-02 09:00",
        timezone="America/New_York",
        repeat="weekly on tue for 6 times",
        attendees=["bo", "cy:optional"],
        program="ERP",
        location="Room 1",
        link="https://meet.example/s",
        agenda="1. Budget\n2. Risks, issues; next steps",
    ).id
    move_occurrence(ctx, steering, "2027-03-09", "2027-03-10 11:00")
    relocate_occurrence(
        ctx, steering, "2027-03-16", location="Room 9", link="https://meet.example/other"
    )
    cancel_occurrence(ctx, steering, "2027-03-23")
    retitle_occurrence(ctx, steering, "2027-03-30", "Steering: budget special")
    meetings.add_meeting(
        ctx,
        "Vendor call",
        start="2026-12-03 10:00",
        timezone="Europe/Berlin",
        link="https://meet.example/v",
        attendees=["cy"],
        status="tentative",
    )
    meetings.add_meeting(ctx, "Office closed", start="2026-12-24", all_day=True)
    review = meetings.add_meeting(
        ctx, "Review day", start="2027-01-04", all_day=True, repeat="weekly on mon for 4 times"
    ).id
    cancel_occurrence(ctx, review, "2027-01-11")
    meetings.add_meeting(
        ctx, "UTC sync", start="2026-12-07 14:00", timezone="UTC", repeat="daily for 3 times"
    )
    standup = meetings.add_meeting(
        ctx, "Standup", start="2026-12-01 09:15", repeat="weekdays", attendees=["bo", "cy"]
    ).id
    set_response(ctx, standup, "bo", "declined")


def test_docket_export_imported_and_exported_again_is_the_same_file(
    db_path: Path, tmp_path: Path, ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    uids = itertools.count(1)
    monkeypatch.setattr(meetings, "uid_factory", lambda: f"rich-{next(uids)}@docket.test")
    erp_team(ctx)
    _rich_office(ctx)
    first = ical_feed.feed(NOW)
    before = {m.uid: (m.agenda, m.link, m.location, m.sequence, m.status) for m in Meeting.select()}
    database.close()

    with second_database(db_path, tmp_path, "tester"):
        erp_team(ctx)
        report = import_calendar(ctx, first)
        assert (report.skipped, len(report.meetings)) == ([], 6)
        after = {
            m.uid: (m.agenda, m.link, m.location, m.sequence, m.status) for m in Meeting.select()
        }
        # the same descriptions (no second "Join: URL"), rooms, SEQUENCE and status
        assert after == before
        assert [c.new_title for c in OccurrenceChange.select() if c.new_title] == [
            "Steering: budget special"
        ]
        second = ical_feed.feed(datetime(2026, 11, 30, 8, tzinfo=UTC))
        assert _without_stamps(second) == _without_stamps(first)
        assert second != first  # only the stamps differ
        # and a third import of the same file adds nothing
        again = import_calendar(ctx, first)
        assert again.meetings == [] and len(again.skipped) == 6


def test_the_demo_calendar_survives_export_and_import(
    request: pytest.FixtureRequest, db_path: Path, ctx: Context
) -> None:
    """Each program's calendar of the demo office, imported into it once its meetings are
    gone, exports again as the same file but DTSTAMP."""
    office = small_demo(request, db_path, ctx)
    open_database(office)
    whole = ical_feed.feed(NOW)
    feeds = {p.code: ical_feed.feed(NOW, program=p.code) for p in Program.select()}
    # a cancelled meeting is not in the calendar
    count = Meeting.select().where(Meeting.status != "cancelled").count()
    Meeting.delete().execute()
    for code, feed in feeds.items():
        report = import_calendar(ctx, feed, program=code)
        assert report.skipped == [], code
    assert Meeting.select().count() == count
    later = ical_feed.feed(datetime(2027, 1, 1, tzinfo=UTC))
    assert _without_stamps(later) == _without_stamps(whole)
