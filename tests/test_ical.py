"""Invites and calendar files: exact golden text, and two independent parsers (icalendar and
vobject) that read docket's own VTIMEZONE (the zone's name is replaced by one nobody knows)
and must place every occurrence at the UTC instant docket itself shows."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from dateutil.rrule import rrulestr
from golden_support import matches_golden

from docket.exports.calendar import ical_feed, ical_invite
from docket.models.core.context import Context
from docket.models.meetings import series as meetings
from docket.models.meetings.changes import cancel_occurrence, move_occurrence
from docket.models.meetings.occurrences import OccurrenceFilter, find_occurrence, list_occurrences
from docket.models.people.persons import add_person
from docket.models.portfolio.programs import add_program

pytestmark = pytest.mark.both_engines

GOLDEN = Path(__file__).parent / "golden"
STAMP = datetime(2026, 9, 1, 12, 0, tzinfo=UTC)
FAR = (datetime(2025, 1, 1, tzinfo=UTC), datetime(2030, 1, 1, tzinfo=UTC))
MADE_UP = "Docket-Test-Zone"
# icalendar keeps zones built from a VTIMEZONE by name for the whole process: every text
# gets a name of its own, so no parse reuses another test's zone
_names = iter(range(1, 10_000))


@pytest.fixture
def office(db_path: Path, ctx: Context, monkeypatch: pytest.MonkeyPatch) -> Context:
    uids = iter(f"golden-{n}@docket.test" for n in range(1, 100))
    monkeypatch.setattr(meetings, "uid_factory", lambda: next(uids))
    add_program(ctx, "ERP", "ERP replacement")
    add_person(ctx, "Ana Lopez", email="ana@city.example", account="tester")
    add_person(ctx, "Bo Chen", email="bo@city.example")
    add_person(ctx, "Cy Diaz, CFO", email="cy@city.example")
    return ctx


def _golden(name: str, content: bytes) -> None:
    matches_golden(GOLDEN / name, content)


def _anonymous(content: bytes, zone: str) -> str:
    text = content.decode()
    assert f"TZID:{zone}\r\n" in text
    renamed = text.replace(zone, f"{MADE_UP}-{next(_names)}")
    assert zone not in renamed
    return renamed


def _icalendar_starts(text: str) -> set[datetime]:
    from icalendar import Calendar

    cal = Calendar.from_ical(text)
    masters, overrides = [], {}
    for event in cal.walk("VEVENT"):
        start = event.decoded("dtstart")
        assert getattr(start.tzinfo, "key", None) is None, "parser used a known zone"
        if "RECURRENCE-ID" in event:
            overrides[event.decoded("recurrence-id").astimezone(UTC)] = start.astimezone(UTC)
        else:
            masters.append(event)
    found: set[datetime] = set()
    for master in masters:
        start = master.decoded("dtstart")
        if "RRULE" not in master:
            found.add(start.astimezone(UTC))
            continue
        rule = rrulestr(master["RRULE"].to_ical().decode(), dtstart=start)
        excluded = set()
        exdates = master.get("EXDATE")
        for group in exdates if isinstance(exdates, list) else [exdates] if exdates else []:
            excluded |= {d.dt.astimezone(UTC) for d in group.dts}
        for moment in rule:
            key = moment.astimezone(UTC)
            if key not in excluded:
                found.add(overrides.get(key, key))
    return found


def _vobject_starts(text: str) -> set[datetime]:
    import vobject

    cal = vobject.readOne(text)
    overrides = {}
    masters = []
    for event in cal.vevent_list:
        start = event.dtstart.value
        assert "Docket" in str(start.tzinfo) or getattr(start.tzinfo, "key", None) is None
        if hasattr(event, "recurrence_id"):
            overrides[event.recurrence_id.value.astimezone(UTC)] = start.astimezone(UTC)
        else:
            masters.append(event)
    found: set[datetime] = set()
    for master in masters:
        rules = master.getrruleset(addRDate=True)
        for moment in rules if rules is not None else [master.dtstart.value]:
            key = moment.astimezone(UTC)
            found.add(overrides.get(key, key))
    return found


def _docket_starts(*meeting_ids: int) -> set[datetime]:
    found = set()
    for mid in meeting_ids:
        flt = OccurrenceFilter(meeting_id=mid, include_cancelled=False)
        found |= {o.start.astimezone(UTC) for o in list_occurrences(*FAR, flt)}
    return found


def _both_parsers_agree(content: bytes, zone: str, *meeting_ids: int) -> None:
    text = _anonymous(content, zone)
    expected = _docket_starts(*meeting_ids)
    assert expected
    assert _icalendar_starts(text) == expected
    assert _vobject_starts(text) == expected


def test_single_meeting_invite(office: Context) -> None:
    m = meetings.add_meeting(
        office, "Budget review", start="2026-11-03 09:30", timezone="America/New_York",
        duration="45m", attendees=["bo", "cy:optional"], program="ERP", location="Room 4",
        agenda="1. Forecast\n2. Risks", link="https://meet.example/j/1",
    )  # fmt: skip
    made = ical_invite.invite(m.id, STAMP)
    assert made.method == "REQUEST"
    assert [p.name for p in made.recipients] == ["Ana Lopez", "Bo Chen", "Cy Diaz, CFO"]
    _golden("single.ics", made.ics)
    assert b"DTSTART;TZID=America/New_York:20261103T093000\r\n" in made.ics
    assert b'ATTENDEE;CN="Cy Diaz, CFO";PARTSTAT=NEEDS-ACTION;ROLE=OPT-PARTICIPANT;RSVP=TRUE' in (
        made.ics.replace(b"\r\n ", b"")
    )
    _both_parsers_agree(made.ics, "America/New_York", m.id)


def _berlin_series(ctx: Context) -> int:
    m = meetings.add_meeting(
        ctx, "Vendor sync", start="2026-10-06 10:00", timezone="Europe/Berlin",
        repeat="weekly on tue for 6 times", attendees=["bo"], program="ERP",
    )  # fmt: skip
    # 25 October: Berlin leaves summer time between the 20th and the 27th
    move_occurrence(ctx, m.id, "2026-10-20", "2026-10-28 11:00")
    cancel_occurrence(ctx, m.id, "2026-11-03")
    return int(m.id)


def test_series_across_daylight_saving_with_a_move_and_a_cancellation(office: Context) -> None:
    mid = _berlin_series(office)
    made = ical_invite.invite(mid, STAMP)
    _golden("series-dst.ics", made.ics)
    flat = made.ics.replace(b"\r\n ", b"")
    assert b"RRULE:FREQ=WEEKLY;COUNT=6;BYDAY=TU\r\n" in flat
    assert b"EXDATE;TZID=Europe/Berlin:20261103T100000\r\n" in flat
    assert b"RECURRENCE-ID;TZID=Europe/Berlin:20261020T100000\r\n" in flat
    assert flat.count(b"SEQUENCE:2\r\n") == 2
    _both_parsers_agree(made.ics, "Europe/Berlin", mid)
    assert datetime(2026, 10, 28, 10, tzinfo=UTC) in _docket_starts(mid)
    assert datetime(2026, 10, 27, 9, tzinfo=UTC) in _docket_starts(mid)


def test_one_occurrence_cancel_names_its_recurrence_id(office: Context) -> None:
    mid = _berlin_series(office)
    original = find_occurrence(office, meetings.get_meeting(mid), "2026-11-03")
    made = ical_invite.invite(mid, STAMP, occurrence=original)
    assert made.method == "CANCEL"
    flat = made.ics.replace(b"\r\n ", b"")
    assert b"METHOD:CANCEL\r\n" in flat
    assert b"RECURRENCE-ID;TZID=Europe/Berlin:20261103T100000\r\n" in flat
    assert b"STATUS:CANCELLED\r\n" in flat


def test_series_cancellation(office: Context) -> None:
    m = meetings.add_meeting(
        office, "Steering", start="2026-10-27 09:00", timezone="America/New_York",
        repeat="weekly on tue until 2026-12-15", attendees=["bo", "cy"], program="ERP",
    )  # fmt: skip
    meetings.cancel_meeting(office, m.id)
    made = ical_invite.invite(m.id, STAMP, cancel=True)
    assert made.method == "CANCEL"
    _golden("series-cancel.ics", made.ics)
    flat = made.ics.replace(b"\r\n ", b"")
    assert b"STATUS:CANCELLED\r\n" in flat and b"SEQUENCE:1\r\n" in flat
    text = _anonymous(made.ics, "America/New_York")
    assert min(_icalendar_starts(text)) == datetime(2026, 10, 27, 13, tzinfo=UTC)
    assert min(_vobject_starts(text)) == datetime(2026, 10, 27, 13, tzinfo=UTC)


def test_cancel_is_refused_for_a_meeting_that_is_not_cancelled(office: Context) -> None:
    m = meetings.add_meeting(office, "x", start="2026-12-01 09:00", program="ERP")
    from docket.models.core.errors import ValidationError

    with pytest.raises(ValidationError, match="cancel it first"):
        ical_invite.invite(m.id, STAMP, cancel=True)


def test_this_and_following_split(office: Context) -> None:
    m = meetings.add_meeting(
        office, "Team sync", start="2026-10-21 15:00", timezone="America/New_York",
        repeat="weekly on wed for 8 times", attendees=["bo"], program="ERP",
    )  # fmt: skip
    new = meetings.split_series(office, m.id, "2026-11-11", start="2026-11-11 16:00")
    old_invite = ical_invite.invite(m.id, STAMP)
    new_invite = ical_invite.invite(new.id, STAMP)
    _golden("split-old.ics", old_invite.ics)
    _golden("split-new.ics", new_invite.ics)
    assert b"UNTIL=20261104T200000Z" in old_invite.ics
    assert b"UID:golden-2@docket.test" in new_invite.ics
    _both_parsers_agree(old_invite.ics, "America/New_York", m.id)
    _both_parsers_agree(new_invite.ics, "America/New_York", new.id)
    assert len(_docket_starts(m.id)) + len(_docket_starts(new.id)) == 8


def test_calendar_feed_publishes_meetings_and_milestones(office: Context) -> None:
    from docket.models.milestones.schedule import add_milestone

    mid = _berlin_series(office)
    add_milestone(office, "ERP", "Go-live", "2027-03-01")
    content = ical_feed.feed(STAMP, program="ERP")
    flat = content.replace(b"\r\n ", b"")
    assert b"METHOD:PUBLISH\r\n" in flat
    assert b"DTSTART;VALUE=DATE:20270301\r\n" in flat
    assert b"SUMMARY:ERP milestone: Go-live\r\n" in flat
    assert b"RSVP" not in flat
    _both_parsers_agree_feed(content, mid)


def test_the_feed_reads_the_database_in_a_fixed_number_of_queries(office: Context) -> None:
    """A calendar of everything has thousands of meetings: no query per meeting or attendee."""
    from playhouse.test_utils import count_queries

    from docket.models.milestones.schedule import add_milestone

    def queries() -> int:
        with count_queries() as counter:
            ical_feed.feed(STAMP)
        return int(counter.count)

    _berlin_series(office)
    add_milestone(office, "ERP", "Go-live", "2027-03-01")
    few = queries()
    for n in range(5):
        _berlin_series(office)
        meetings.add_meeting(
            office, f"Check-in {n}", start="2026-12-01 09:00", attendees=["bo", "cy"],
            organizer="ana", program="ERP",
        )  # fmt: skip
        add_milestone(office, "ERP", f"Milestone {n}", "2027-04-01")
    assert queries() == few


def _both_parsers_agree_feed(content: bytes, mid: int) -> None:
    # milestones are all-day dates: compare the timed events only
    text = _anonymous(content, "Europe/Berlin")
    timed = re.sub(
        r"BEGIN:VEVENT\r\n(?:(?!END:VEVENT).)*VALUE=DATE.*?END:VEVENT\r\n", "", text, flags=re.S
    )
    assert _icalendar_starts(timed) == _docket_starts(mid)
    assert _vobject_starts(timed) == _docket_starts(mid)


def test_cli_invite_and_calendar_write_files(cli: Any, office: Context, tmp_path: Path) -> None:
    mid = _berlin_series(office)
    out = tmp_path / "invite.ics"
    result = cli("invite", str(mid), "-o", str(out))
    assert result.status == 0, result.err
    assert result.out == f"wrote {out} (METHOD:REQUEST, sequence 2)\n"
    assert out.read_bytes().startswith(b"BEGIN:VCALENDAR\r\n")
    feed_file = tmp_path / "feed.ics"
    result = cli("calendar", "--from", "2026-10-01", "--to", "2026-10-31", "-o", str(feed_file))
    assert result.status == 0, result.err
    assert "events, METHOD:PUBLISH" in result.out
    missing = cli("invite", str(mid))
    assert missing.status == 2 and "where to?" in missing.err
