"""The agenda's table (``docket meeting list``) is written from a tuple of cells per
occurrence (issue 22), and prints exactly what the table of each occurrence's facts did:
the start and end in the reader's zone, "all day", and the state (not confirmed, moved,
the meeting's own time in another zone)."""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from docket.exports.tabular.lists.meetings import OCCURRENCES
from docket.models.core.context import Context
from docket.models.core.database import open_database
from docket.models.core.schema import database
from docket.models.meetings.facts import ALL_DAY, occurrence_cells, occurrence_facts
from docket.models.meetings.occurrences import Occurrence, OccurrenceFilter, list_occurrences
from docket.models.meetings.recurrence import end_of
from docket.tui.cli.emit import declared_table

CHICAGO = ZoneInfo("America/Chicago")


def _as_facts(occurrence: Occurrence, tz: Any) -> dict[str, Any]:
    """One row as the agenda built it before: the facts' dict, then its table cells."""
    row: dict[str, Any] = dict(occurrence_facts(occurrence, tz))
    row["end"] = occurrence.end.astimezone(tz).time().isoformat(timespec="minutes")
    if occurrence.all_day:
        row["local_start"], row["end"] = f"{row['local_start'][:10]} {ALL_DAY}", ""
    state = [occurrence.status] if occurrence.status != "confirmed" else []
    if occurrence.moved:
        state.append("moved")
    if occurrence.timezone != getattr(tz, "key", None) and not occurrence.all_day:
        state.append(f"{occurrence.start.time().isoformat('minutes')} {occurrence.timezone}")
    row["state"] = ", ".join(state)
    return row


def _occurrence(**changes: Any) -> Occurrence:
    fields: dict[str, Any] = {
        "meeting_id": 7,
        "title": "Steering committee",
        "program": "ERP",
        "timezone": "America/Chicago",
        "original_start": datetime(2026, 11, 24, 15, 0, tzinfo=UTC),
        "start": datetime(2026, 11, 24, 9, 0, tzinfo=CHICAGO),
        "duration_minutes": 90,
        "location": "City Hall",
        "link": "",
        "status": "confirmed",
    }
    fields.update(changes)
    return Occurrence(**fields)


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"status": "cancelled", "moved": True},
        {"status": "tentative", "series": True},
        {
            "timezone": "Europe/Paris",
            "start": datetime(2026, 11, 24, 16, 0, tzinfo=ZoneInfo("Europe/Paris")),
        },
        {
            "all_day": True,
            "duration_minutes": 1440,
            "start": datetime(2026, 11, 24, tzinfo=CHICAGO),
        },
        {
            "timezone": "Asia/Tokyo",
            "all_day": True,
            "start": datetime(2026, 11, 24, tzinfo=ZoneInfo("Asia/Tokyo")),
        },
        {"location": "", "title": "東京 review"},
    ],
)
@pytest.mark.parametrize("zone", ["America/Chicago", "UTC", "Australia/Sydney"])
def test_an_occurrences_cells_are_those_of_its_facts(changes: dict[str, Any], zone: str) -> None:
    occurrence, tz = _occurrence(**changes), ZoneInfo(zone)
    row = _as_facts(occurrence, tz)
    cells = [c.shown(row) for c in OCCURRENCES.cli]
    assert list(occurrence_cells(occurrence, tz)) == cells


@pytest.mark.parametrize("columns", ["80", "120", "250"])
def test_the_agenda_prints_what_the_table_of_facts_did(
    cli: Any, demo_db: Path, ctx: Context, monkeypatch: pytest.MonkeyPatch, columns: str
) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    printed = cli("meeting", "list", "--days", "60", db=demo_db)
    assert printed.status == 0, printed.err
    open_database(demo_db)
    first = ctx.today()
    since = datetime.combine(first, time(0), ctx.tz).astimezone(UTC)
    until = datetime.combine(first + timedelta(days=60), time(0), ctx.tz).astimezone(UTC)
    found = list_occurrences(since, until, OccurrenceFilter(include_cancelled=True))
    rows = [_as_facts(o, ctx.tz) for o in found]
    database.close()
    assert len(rows) > 1
    assert printed.out == declared_table(OCCURRENCES.cli, rows) + "\n"


def test_an_empty_agenda_says_none(cli: Any, demo_db: Path) -> None:
    printed = cli("meeting", "list", "--from", "2001-01-01", "--days", "1", db=demo_db)
    assert printed.status == 0, printed.err
    assert printed.out == "(none)\n"


def test_an_agendas_occurrences_are_what_the_dataclass_makes(demo_db: Path, ctx: Context) -> None:
    """Unchanged occurrences are made without the frozen dataclass's ``__init__`` (issue
    22): each equals the one its constructor makes, and its end is what ``end_of`` gives."""
    open_database(demo_db)
    since = datetime.combine(ctx.today(), time(0), ctx.tz).astimezone(UTC)
    found = list_occurrences(since, since + timedelta(days=60))
    database.close()
    assert len(found) > 1
    names = {f.name for f in fields(Occurrence)}
    for occurrence in found:
        assert set(vars(occurrence)) - {"_end"} == names
        assert occurrence == replace(occurrence)
        assert occurrence.end == end_of(occurrence.start, occurrence.duration_minutes)
        assert occurrence.end.tzinfo is occurrence.start.tzinfo
