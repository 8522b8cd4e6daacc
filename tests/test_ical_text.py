"""docket writes iCalendar text itself: escaping, quoting and folding by the RFC's rules, and
files that icalendar reads back and writes again byte for byte, hostile text included."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from icalendar import Calendar

from docket.exports.calendar import ical_feed, ical_invite
from docket.exports.calendar.ical_text import fold, param, text
from docket.models.core.context import Context
from docket.models.meetings import series as meetings
from docket.models.meetings.changes import move_occurrence
from docket.models.people.persons import add_person
from docket.models.portfolio.programs import add_program

pytestmark = pytest.mark.both_engines

STAMP = datetime(2026, 9, 1, 12, 0, tzinfo=UTC)


def test_text_escapes_backslash_semicolon_comma_and_line_breaks() -> None:
    assert text("a\\b; c, d") == "a\\\\b\\; c\\, d"
    assert text("one\r\ntwo\nthree\rfour") == "one\\ntwo\\nthree\\nfour"
    assert text('colon: "quoted"') == 'colon: "quoted"'
    # a typed backslash-N is text, not a line break
    assert text("C:\\New") == "C:\\\\New"


def test_parameters_are_quoted_only_when_they_need_it() -> None:
    assert param("Europe/Berlin") == "Europe/Berlin"
    assert param("Cy Diaz, CFO") == '"Cy Diaz, CFO"'
    assert param("Ana Lopez") == "Ana Lopez"
    assert param("Ana Lopez", quote_also=" '") == '"Ana Lopez"'
    # RFC 6868: a double quote, a caret and a line break cannot appear as themselves
    assert param('Jo "JJ" ^ Smith\nCFO') == "Jo ^'JJ^' ^^ Smith^nCFO"


@pytest.mark.parametrize("length", [1, 73, 74, 75, 148, 149, 500])
def test_folding_keeps_every_line_within_75_octets_and_loses_nothing(length: int) -> None:
    line = "".join(chr(ord("a") + n % 26) for n in range(length))
    folded = fold(line)
    pieces = folded.split("\r\n ")
    assert "".join(pieces) == line
    assert all(len(p) <= 74 for p in pieces)
    assert len(pieces) == max(1, -(-length // 74))


def test_folding_never_splits_a_character_or_an_escape() -> None:
    wide = "DESCRIPTION:" + "Zürich 東京 🚀 " * 20
    pieces = fold(wide).split("\r\n ")
    assert "".join(pieces) == wide
    assert all(len(p.encode()) <= 74 for p in pieces)
    escaped = "X:" + "a" * 71 + "\\,b"
    pieces = fold(escaped).split("\r\n ")
    assert pieces[0].endswith("a") and pieces[1].startswith("\\,")


@pytest.fixture
def hostile(db_path: Path, ctx: Context, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(meetings, "uid_factory", lambda: "hostile-1@docket.test")
    add_program(ctx, "ERP", "ERP replacement")
    add_person(ctx, 'Zoë "Z" O\'Brien^2', email="zoe@city.example", account="tester")
    add_person(ctx, "Cy Diaz; CFO, Finance", email="cy@city.example")
    m = meetings.add_meeting(
        ctx, "Steering; budget, scope \\ risks — Q3 📈", start="2026-11-03 09:30",
        timezone="Asia/Kolkata", attendees=["cy:optional"], program="ERP",
        location="Room 4, Rathaus; Zürich", link="https://meet.example/j/1?a=1,b=2",
        agenda="1. Budget: 1,2 M€\n2. Risks; issues\n3. " + "long text " * 30,
        repeat="FREQ=WEEKLY;BYDAY=TU;COUNT=4",
    )  # fmt: skip
    move_occurrence(ctx, m.id, "2026-11-10", "2026-11-11 10:00")
    return m.id


def test_icalendar_reads_back_and_rewrites_docket_text_byte_for_byte(hostile: int) -> None:
    made = ical_invite.invite(hostile, STAMP)
    parsed = Calendar.from_ical(made.ics)
    assert parsed.to_ical() == made.ics
    master, moved = parsed.walk("VEVENT")
    assert str(master["SUMMARY"]) == "Steering; budget, scope \\ risks — Q3 📈"
    assert str(master["LOCATION"]) == "Room 4, Rathaus; Zürich"
    assert str(master["DESCRIPTION"]).startswith("1. Budget: 1,2 M€\n2. Risks; issues\n3. long")
    names = sorted(str(a.params["CN"]) for a in master.get("ATTENDEE"))
    assert names == ["Cy Diaz; CFO, Finance", 'Zoë "Z" O\'Brien^2']
    assert moved.decoded("dtstart") == datetime(2026, 11, 11, 10, 0, tzinfo=moved.decoded(
        "dtstart").tzinfo)  # fmt: skip
    assert all(len(line) <= 75 for line in made.ics.split(b"\r\n"))


def test_the_calendar_of_the_demo_is_what_icalendar_would_write(demo_db: Path) -> None:
    content = ical_feed.feed(STAMP)
    assert content.count(b"BEGIN:VEVENT") > 50
    assert Calendar.from_ical(content).to_ical() == content


def test_a_meeting_in_utc_is_written_in_utc_without_a_zone(db_path: Path, ctx: Context) -> None:
    add_person(ctx, "Ana Lopez", email="ana@city.example", account="tester")
    add_program(ctx, "OPS", "Operations")
    m = meetings.add_meeting(ctx, "Ops call", start="2026-11-03 09:30", timezone="UTC")
    made = ical_invite.invite(m.id, STAMP)
    assert b"DTSTART:20261103T093000Z\r\n" in made.ics
    assert b"VTIMEZONE" not in made.ics


def _fold_by_characters(line: str) -> str:
    """The folding rule, one character at a time (how docket folded before it cut octets)."""
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    for char in line:
        width = len(char.encode())
        if current and size + width > 74:
            carried = current.pop() if len(current) > 1 and current[-1] in "\\^" else ""
            pieces.append("".join(current))
            current = [carried] if carried else []
            size = len(carried)
        current.append(char)
        size += width
    pieces.append("".join(current))
    return "\r\n ".join(pieces)


@given(st.text(alphabet="ab\\^;, é€𝄞\n", max_size=400))
def test_folding_by_octets_is_folding_by_characters(line: str) -> None:
    assert fold(line) == _fold_by_characters(line)
