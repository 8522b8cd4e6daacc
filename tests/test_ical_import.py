"""``docket import ics``: Outlook and Google exports, replies, broken files, one transaction.

The fixtures in tests/fixtures/ics are shaped like the two clients' real exports: Outlook's
Windows zone names and "Customized Time Zone", EXDATE lists, a moved occurrence with its own
room, a resource attendee, a to-do; Google's X-WR-TIMEZONE, UTC single events, a cancelled
occurrence, PARTSTATs.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import erp_team
from engine_support import second_database

from docket.exports.calendar import ical_invite
from docket.exports.calendar.ical_import import import_calendar
from docket.exports.calendar.ical_report import Skipped
from docket.models.core.context import Context
from docket.models.core.errors import ValidationError
from docket.models.core.schema import Attendee, Meeting, Person, database
from docket.models.meetings import series as meetings
from docket.models.meetings.changes import cancel_occurrence, move_occurrence, relocate_occurrence
from docket.models.meetings.occurrences import OccurrenceFilter, list_occurrences

pytestmark = pytest.mark.both_engines

FILES = Path(__file__).parent / "fixtures" / "ics"
OUTLOOK_UID = (
    "040000008200E00074C5B7101A82E00800000000B0C7E5A1E55FDB01000000000000000"
    "010000000D2A2F1C1A0E64B4A8F5E1C2B3A4D5E6F"
)
GOOGLE_UID = "4q2ns5bk0v7u3d9c2f1m8h6j0a@google.com"


@pytest.fixture
def office(db_path: Path, ctx: Context) -> Context:
    erp_team(ctx)
    return ctx


def _utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def _occurrences(uid: str) -> list[tuple[datetime, int, str, bool]]:
    meeting = Meeting.get(Meeting.uid == uid)
    flt = OccurrenceFilter(meeting_id=meeting.id, include_cancelled=True)
    found = list_occurrences(_utc(2026, 1, 1), _utc(2028, 1, 1), flt)
    return [(o.start.astimezone(UTC), o.duration_minutes, o.location, o.cancelled) for o in found]


def _attendance(uid: str) -> dict[str, tuple[str, str]]:
    rows = (
        Attendee.select(Attendee, Person)
        .join(Person)
        .join_from(Attendee, Meeting)
        .where(Meeting.uid == uid)
    )
    return {a.person.name: (a.role, a.response) for a in rows}


def _import(ctx: Context, name: str, **kw: Any) -> Any:
    return import_calendar(ctx, (FILES / name).read_bytes(), **kw)


def test_an_outlook_series_keeps_its_wall_clock_its_moves_and_its_exclusions(
    office: Context,
) -> None:
    report = _import(office, "outlook-export.ics")
    meeting = Meeting.get(Meeting.uid == OUTLOOK_UID)
    assert meeting.timezone == "Europe/Berlin"
    assert meeting.title == "ERP steering committee"
    assert meeting.agenda.startswith("1. Budget review\n2. Go-live readiness")
    starts = _occurrences(OUTLOOK_UID)
    # 10:00 in Berlin: CET (UTC+1) all winter, CEST (UTC+2) for the last one, on 30 March
    assert starts[0] == (_utc(2026, 12, 1, 9), 60, "Room 4.12", False)
    assert starts[1] == (_utc(2026, 12, 8, 13, 30), 90, "Room 2.01", False)
    assert [s for s in starts if s[3]] == [
        (_utc(2026, 12, 22, 9), 60, "Room 4.12", True),
        (_utc(2026, 12, 29, 9), 60, "Room 4.12", True),
    ]
    assert starts[-1] == (_utc(2027, 3, 30, 8), 60, "Room 4.12", False)
    assert len(starts) == 18
    # the file's SEQUENCE (4 on the moved occurrence) is where docket's updates continue from
    assert meeting.sequence >= 4
    assert _attendance(OUTLOOK_UID) == {
        "Ana Lopez": ("chair", "accepted"),
        "Bo Chen": ("required", "needs action"),
        "Cy Diaz": ("optional", "needs action"),
    }
    assert report.changes == 4
    assert any("dee@vendor.example" in n for n in report.notes)
    # the room is a resource, not a person missing from the directory
    assert not any("room412" in n for n in report.notes)
    assert any("1 VTODO" in n for n in report.notes)


def test_an_outlook_custom_zone_is_read_through_its_vtimezone(office: Context) -> None:
    report = _import(office, "outlook-export.ics")
    uid = "040000008200E00074C5B7101A82E0080000000099AA"
    meeting = Meeting.get(Meeting.uid == uid)
    # "Customized Time Zone" has the US eastern rules: New York, the zone that kept them longest
    assert meeting.timezone == "America/New_York"
    assert _occurrences(uid) == [(_utc(2026, 12, 3, 14), 30, "", False)]
    assert "time zone 'Customized Time Zone' read as America/New_York (the same offsets)" in (
        report.notes
    )
    assert _attendance(uid)["Bo Chen"] == ("required", "accepted")


def test_an_all_day_event_is_an_all_day_meeting_in_your_zone(office: Context) -> None:
    report = _import(office, "outlook-export.ics")
    assert report.skipped == []
    closed = Meeting.get(Meeting.uid == "040000008200E00074C5B7101A82E00800000000ALLDAY")
    # the file has no X-WR-TIMEZONE: the day is the importer's (Chicago)
    assert (closed.all_day, closed.start_local, closed.duration_minutes, closed.timezone) == (
        True,
        "2026-12-24 00:00:00",
        1440,
        "America/Chicago",
    )
    assert sorted(report.meetings) == [m.id for m in Meeting.select().order_by(Meeting.id)]


def test_a_google_series_crosses_daylight_saving_and_keeps_answers(office: Context) -> None:
    report = _import(office, "google-export.ics")
    assert report.skipped == []
    meeting = Meeting.get(Meeting.uid == GOOGLE_UID)
    assert meeting.timezone == "America/Chicago"
    # 09:00 in Chicago: CST (UTC-6), then CDT (UTC-5) from 14 March 2027; 17 March cancelled
    assert _occurrences(GOOGLE_UID) == [
        (_utc(2027, 3, 3, 15), 30, "", False),
        (_utc(2027, 3, 10, 15), 30, "", False),
        (_utc(2027, 3, 17, 14), 30, "", True),
        (_utc(2027, 3, 24, 14), 30, "", False),
    ]
    assert _attendance(GOOGLE_UID) == {
        "Ana Lopez": ("chair", "accepted"),
        "Bo Chen": ("required", "tentative"),
        "Cy Diaz": ("required", "needs action"),
    }


def test_a_google_event_in_utc_takes_the_calendars_zone(office: Context) -> None:
    _import(office, "google-export.ics")
    uid = "7hb3kq1l2m4n5o6p7q8r9s0t1u@google.com"
    meeting = Meeting.get(Meeting.uid == uid)
    assert meeting.timezone == "America/Chicago"  # X-WR-TIMEZONE
    assert meeting.start_local == "2026-12-03 09:00:00"
    assert meeting.location == "City Hall, room 301"
    assert meeting.sequence == 2
    assert _attendance(uid)["Cy Diaz"] == ("required", "declined")


def test_importing_the_same_file_again_adds_nothing(office: Context) -> None:
    _import(office, "google-export.ics")
    again = _import(office, "google-export.ics")
    assert again.meetings == []
    assert {s.why for s in again.skipped} == {
        f"already in docket as meeting {m.id}" for m in Meeting.select()
    }
    assert Meeting.select().count() == 2


def test_a_dry_run_reports_and_writes_nothing(office: Context) -> None:
    report = _import(office, "outlook-export.ics", dry_run=True)
    assert len(report.meetings) == 3 and report.changes == 4
    assert Meeting.select().count() == 0
    assert Attendee.select().count() == 0


def _calendar(*events: str, method: str = "PUBLISH", extra: str = "") -> bytes:
    body = "\r\n".join(
        ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//test//EN", f"METHOD:{method}"]
        + ([extra] if extra else [])
        + [line for event in events for line in event.strip().splitlines()]
        + ["END:VCALENDAR", ""]
    )
    return body.encode()


SERIES = """
BEGIN:VEVENT
UID:series-1
SUMMARY:Weekly sync
DTSTART;TZID=Europe/Berlin:20261201T100000
DTEND;TZID=Europe/Berlin:20261201T103000
RRULE:FREQ=WEEKLY;COUNT=3
DTSTAMP:20261120T100000Z
END:VEVENT
"""


def test_a_series_whose_change_names_no_occurrence_is_skipped_whole(office: Context) -> None:
    stray = """
BEGIN:VEVENT
UID:series-1
RECURRENCE-ID;TZID=Europe/Berlin:20261202T100000
SUMMARY:Weekly sync
DTSTART;TZID=Europe/Berlin:20261202T150000
DTEND;TZID=Europe/Berlin:20261202T153000
DTSTAMP:20261120T100000Z
END:VEVENT
"""
    report = import_calendar(office, _calendar(SERIES, stray), program="ERP")
    assert report.meetings == []
    # the changed occurrence is named (it starts on line 13), and its series goes with it
    assert report.skipped == [
        Skipped(
            "'Weekly sync' (UID series-1)",
            "its change of 2026-12-02 10:00 names no occurrence of the series; "
            "its series (line 5) is left out with it",
            13,
        )
    ]
    # nothing half-imported: not the series, not its attendees
    assert Meeting.select().count() == 0 and Attendee.select().count() == 0


def test_an_unknown_zone_without_vtimezone_is_skipped_and_the_rest_imported(
    office: Context,
) -> None:
    odd = """
BEGIN:VEVENT
UID:odd-zone
SUMMARY:Somewhere
DTSTART;TZID=Mars Standard Time:20261201T100000
DURATION:PT45M
DTSTAMP:20261120T100000Z
END:VEVENT
"""
    report = import_calendar(office, _calendar(odd, SERIES), program="ERP")
    assert [m.uid for m in Meeting.select()] == ["series-1"]
    assert (report.skipped[0].what, report.skipped[0].line) == ("'Somewhere' (UID odd-zone)", 5)
    assert "Mars Standard Time" in report.skipped[0].why


def test_a_windows_zone_name_without_vtimezone_is_its_iana_zone(office: Context) -> None:
    event = """
BEGIN:VEVENT
UID:windows-1
SUMMARY:Check-in
DTSTART;TZID=W. Europe Standard Time:20261201T100000
DURATION:PT45M
DTSTAMP:20261120T100000Z
END:VEVENT
"""
    import_calendar(office, _calendar(event), program="ERP")
    meeting = Meeting.get(Meeting.uid == "windows-1")
    assert (meeting.timezone, meeting.start_utc, meeting.duration_minutes) == (
        "Europe/Berlin",
        _utc(2026, 12, 1, 9),
        45,
    )


def test_an_event_without_end_or_duration_is_skipped(office: Context) -> None:
    event = SERIES.replace("DTEND;TZID=Europe/Berlin:20261201T103000\n", "")
    report = import_calendar(office, _calendar(event), program="ERP")
    assert report.skipped[0].why == "no end (DTEND) or DURATION"
    assert Meeting.select().count() == 0


@pytest.mark.parametrize(
    "data",
    [b"", b"this is not a calendar", b"BEGIN:VEVENT\r\nUID:x\r\nEND:VEVENT\r\n"],
    ids=["empty", "text", "no-vcalendar"],
)
def test_a_file_that_is_not_a_calendar_imports_nothing(office: Context, data: bytes) -> None:
    with pytest.raises(ValidationError, match="expected an iCalendar file"):
        import_calendar(office, data)
    assert Meeting.select().count() == 0


def _reply(partstat: str, *, uid: str = GOOGLE_UID, extra: str = "") -> bytes:
    event = f"""
BEGIN:VEVENT
UID:{uid}
{extra}DTSTAMP:20261121T090000Z
ATTENDEE;PARTSTAT={partstat}:mailto:Cy@City.Example
SUMMARY:CRM product sync
END:VEVENT
"""
    return _calendar(event, method="REPLY")


def test_a_reply_updates_the_attendees_response(office: Context) -> None:
    _import(office, "google-export.ics")
    report = import_calendar(office, _reply("ACCEPTED"))
    assert (report.method, report.responses, report.skipped) == ("REPLY", 1, [])
    assert _attendance(GOOGLE_UID)["Cy Diaz"] == ("required", "accepted")


def test_replies_docket_cannot_apply_are_reported(office: Context) -> None:
    _import(office, "google-export.ics")
    unknown = import_calendar(office, _reply("DECLINED", uid="nobody@example"))
    one = import_calendar(
        office, _reply("DECLINED", extra="RECURRENCE-ID;TZID=America/Chicago:20270310T090000\n")
    )
    assert [s.why for s in unknown.skipped + one.skipped] == [
        "a reply to a meeting docket does not have",
        "a reply for one occurrence; docket keeps one answer per attendee",
    ]
    assert _attendance(GOOGLE_UID)["Cy Diaz"] == ("required", "needs action")


def test_docket_reads_back_its_own_invite(
    db_path: Path, tmp_path: Path, ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A series exported by one docket and imported by another has the same occurrences."""
    monkeypatch.setattr(meetings, "uid_factory", lambda: "round-trip@docket.test")
    erp_team(ctx)
    mid = meetings.add_meeting(
        ctx,
        "Steering",
        start="2027-03-02 09:00",
        timezone="America/New_York",
        repeat="weekly on tue for 4 times",
        attendees=["bo", "cy:optional"],
        program="ERP",
        location="Room 1",
    ).id
    move_occurrence(ctx, mid, "2027-03-09", "2027-03-10 11:00")
    relocate_occurrence(ctx, mid, "2027-03-16", location="Room 9")
    cancel_occurrence(ctx, mid, "2027-03-23")
    exported = ical_invite.invite(mid, datetime(2026, 11, 23, 15, tzinfo=UTC)).ics
    before = _occurrences("round-trip@docket.test")
    database.close()

    with second_database(db_path, tmp_path, "tester"):
        erp_team(ctx)
        report = import_calendar(ctx, exported)
        assert report.skipped == []
        assert _occurrences("round-trip@docket.test") == before
        assert Meeting.get().timezone == "America/New_York"


def test_the_command_reports_and_exits_1_when_something_was_skipped(
    office: Context, cli: Any
) -> None:
    path = FILES / "broken-events.ics"
    result = cli("import", "ics", str(path), "--program", "ERP")
    assert result.status == 1
    lines = result.out.splitlines()
    assert lines[0] == "imported 2 meeting(s) (1, 2) with 0 changed or cancelled occurrence(s)"
    assert lines[1] == "skipped 10:"
    assert lines[2] == (
        "  line 12: 'Bad start' (UID bad-start): DTSTART (line 16) cannot be read: "
        "Wrong datetime format: 20261301T100000"
    )
    # one line on stderr says that something was left out; never a traceback
    assert result.err == f"docket: 10 events of {path} not imported (listed in the report)\n"
    dry = cli("import", "ics", str(FILES / "google-export.ics"), "--dry-run", "--format", "json")
    facts = json.loads(dry.out)
    assert (dry.status, facts["dry_run"], len(facts["meetings"])) == (0, True, 2)
    assert Meeting.select().count() == 2
    broken = json.loads(cli("import", "ics", str(path), "--dry-run", "--format", "json").out)
    assert {
        "event": "'Bad start' (UID bad-start)",
        "line": 12,
        "why": "DTSTART (line 16) cannot be read: Wrong datetime format: 20261301T100000",
    } in broken["skipped"]


def test_the_command_refuses_a_missing_or_broken_file_in_one_line(
    office: Context, cli: Any, tmp_path: Path
) -> None:
    missing = cli("import", "ics", str(tmp_path / "nope.ics"))
    broken = tmp_path / "broken.ics"
    broken.write_text("hello\n")
    bad = cli("import", "ics", str(broken))
    for result in (missing, bad):
        assert result.status == 2
        assert result.out == ""
        assert len(result.err.splitlines()) == 1 and "Traceback" not in result.err
    assert "no file" in missing.err and "expected an iCalendar file" in bad.err
