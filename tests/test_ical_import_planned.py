"""``import ics`` of series with excluded dates and changed occurrences, planned and written
with the other series (issue 22): the same records, audit chain, notes and refusals as
changing each occurrence one by one with the occurrence operations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import erp_team
from engine_support import second_database

from docket.exports.calendar import ical_meetings
from docket.exports.calendar.ical_import import import_calendar
from docket.models.core.context import Context
from docket.models.core.schema import database

pytestmark = pytest.mark.both_engines


def _event(uid: str, *lines: str) -> str:
    return "\n".join(
        ["BEGIN:VEVENT", f"UID:{uid}", *lines, "DTSTAMP:20261120T100000Z", "END:VEVENT"]
    )


BERLIN = "TZID=Europe/Berlin"
WEEKLY = (
    "SUMMARY:Weekly sync",
    f"DTSTART;{BERLIN}:20261201T100000",
    f"DTEND;{BERLIN}:20261201T103000",
    "LOCATION:Room 1",
    "ATTENDEE;PARTSTAT=ACCEPTED:mailto:bo@city.example",
    "ATTENDEE;ROLE=OPT-PARTICIPANT:mailto:cy@city.example",
    "ORGANIZER:mailto:ana@city.example",
    "RRULE:FREQ=WEEKLY;COUNT=6",
)
EVENTS = [
    # excluded dates: one twice, one that is no occurrence, then changed occurrences
    _event(
        "s1",
        *WEEKLY,
        "SEQUENCE:2",
        f"EXDATE;{BERLIN}:20261208T100000,20261208T100000",
        f"EXDATE;{BERLIN}:20261209T100000",
    ),
    _event(
        "s1",
        f"RECURRENCE-ID;{BERLIN}:20261215T100000",
        "SUMMARY:Budget sync",
        f"DTSTART;{BERLIN}:20261216T150000",
        f"DTEND;{BERLIN}:20261216T160000",
        "LOCATION:Room 9",
        "SEQUENCE:4",
    ),
    _event("s1", f"RECURRENCE-ID;{BERLIN}:20261222T100000", "STATUS:CANCELLED"),
    _event(
        "s1",
        f"RECURRENCE-ID;{BERLIN}:20261229T100000",
        "SUMMARY:Weekly sync",
        f"DTSTART;{BERLIN}:20261229T100000",
        f"DTEND;{BERLIN}:20261229T103000",
        "LOCATION:Room 1",
    ),
    # a plain series between them: ids and the audit chain keep the file's order
    _event("p1", *WEEKLY[:-1], "SEQUENCE:1"),
    # two changes of one occurrence: the second updates the change the first made
    _event("s2", *WEEKLY),
    _event(
        "s2",
        f"RECURRENCE-ID;{BERLIN}:20261208T100000",
        f"DTSTART;{BERLIN}:20261208T110000",
        f"DTEND;{BERLIN}:20261208T113000",
        "LOCATION:Room 1",
    ),
    _event(
        "s2",
        f"RECURRENCE-ID;{BERLIN}:20261208T100000",
        "SUMMARY:Moved sync",
        f"DTSTART;{BERLIN}:20261208T110000",
        f"DTEND;{BERLIN}:20261208T120000",
        "LOCATION:Room 2",
    ),
    # an occurrence cancelled twice: the second is refused, the series left out
    _event("s3", *WEEKLY, f"EXDATE;{BERLIN}:20261215T100000"),
    _event("s3", f"RECURRENCE-ID;{BERLIN}:20261215T100000", "STATUS:CANCELLED"),
    # a change that names no occurrence: the series is left out
    _event("s4", *WEEKLY),
    _event("s4", f"RECURRENCE-ID;{BERLIN}:20261202T100000", "SUMMARY:Stray"),
    # a single meeting with an excluded date, and one with a change
    _event("m1", *WEEKLY[:-1], f"EXDATE;{BERLIN}:20261208T100000", "SEQUENCE:3"),
    _event("m2", *WEEKLY[:-1]),
    _event("m2", f"RECURRENCE-ID;{BERLIN}:20261201T100000", "SUMMARY:Other"),
    # an all-day series with an excluded day
    _event(
        "d1",
        "SUMMARY:Away day",
        "DTSTART;VALUE=DATE:20261201",
        "RRULE:FREQ=DAILY;COUNT=4",
        "EXDATE;VALUE=DATE:20261202",
    ),
]


def _calendar() -> bytes:
    body = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//test//EN", "METHOD:PUBLISH"]
    body += [line for event in EVENTS for line in event.splitlines()]
    return ("\r\n".join([*body, "END:VCALENDAR", ""])).encode()


def _contents() -> dict[str, list[tuple[Any, ...]]]:
    """Every row the import writes, with the audit chain's hashes (the clock is fixed)."""
    found = {}
    for table in ("meeting", "attendee", "occurrence_change", "audit_entry"):
        cursor = database.execute_sql(f'SELECT * FROM "{table}" ORDER BY "id"')
        found[table] = [tuple(row) for row in cursor]
    return found


def _imported(ctx: Context) -> tuple[Any, dict[str, list[tuple[Any, ...]]]]:
    erp_team(ctx)
    report = import_calendar(ctx, _calendar(), program="ERP")
    return report, _contents()


@pytest.fixture
def one_by_one(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Every series with changes written the way it was before it could be planned."""

    def never(*_: Any) -> bool:
        return False

    return lambda: monkeypatch.setattr(ical_meetings, "_planned", never)


# on PostgreSQL a refused series' rolled-back changes still advance the id sequence, which
# the changes made one by one then show as a gap in their ids: compared on SQLite
@pytest.mark.sqlite_only
def test_planned_series_write_what_the_occurrence_operations_write(
    db_path: Path, tmp_path: Path, ctx: Context, one_by_one: Any
) -> None:
    planned = 0
    plan = ical_meetings._planned

    def counted(*args: Any) -> bool:
        nonlocal planned
        made = plan(*args)
        planned += made
        return made

    ical_meetings._planned = counted  # type: ignore[assignment]
    try:
        report, contents = _imported(ctx)
    finally:
        ical_meetings._planned = plan  # type: ignore[assignment]
    assert planned == 4  # s1, s2, m1, d1; s3, s4 and m2 went one by one, and were refused
    assert len(report.meetings) == 5 and report.changes == 11
    with second_database(db_path, tmp_path, ctx.actor):
        one_by_one()
        expected_report, expected = _imported(ctx)
    assert report == expected_report
    assert contents == expected
