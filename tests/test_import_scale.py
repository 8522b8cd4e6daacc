"""Large imports write set by set, and write what the one-by-one path wrote: the same
records and the same audit entries, all or nothing, and ``docket check`` clean after."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from engine_support import another_small_demo, second_database, small_demo, table_rows

from docket.exports.tabular import csv_import
from docket.models.core.context import Context
from docket.models.core.database import open_database
from docket.models.core.schema import Person, database
from tests.conftest import ACTOR

pytestmark = pytest.mark.both_engines

NAMES = ["Ana López", "Zoë Brontë", "Łukasz Kowalski", "Søren Øster", "Thanh Nguyễn", "Ana Lopez"]


def _people(count: int, *, start: int = 0, title: str = "Analyst") -> list[dict[str, str]]:
    return [
        {
            "name": f"{NAMES[i % len(NAMES)]} {i}" if i % 4 else NAMES[i % len(NAMES)],
            "email": f"p{i}@city.example" if i % 9 else "",
            "organization": "City IT" if i % 2 else "Water Utility",
            "title": title,
            "kind": "contractor" if i % 3 else "staff",
        }
        for i in range(start, start + count)
    ]


def _csv(rows: list[dict[str, str]]) -> str:
    columns = list(rows[0])
    lines = [",".join(columns)] + [",".join(r[c] for c in columns) for r in rows]
    return "\n".join(lines) + "\n"


def _dump(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    return table_rows(path, ("person", "audit_entry"), order="id")


def _office(path: Path, ctx: Context) -> None:
    """The database at ``path`` (new, initialised) with 40 people in it, bound to the models."""
    open_database(path)
    report = csv_import.import_csv(ctx, "people", _csv(_people(40)))
    assert report.imported == 40


def _edit(ctx: Context) -> csv_import.CsvReport:
    """An HR export read back: people by id, some renamed or retitled, an e-mail moved
    from one person to another row's person, new people added."""
    rows = [
        {"id": str(p.id), "name": p.name, "email": p.email or "", "title": p.title or ""}
        for p in Person.select().order_by(Person.id)
    ]
    for i, row in enumerate(rows):
        if i % 3 == 0:
            row["title"] = "Senior Analyst"
        if i % 5 == 0:
            row["name"] += " Jr"
    rows[0]["email"], rows[1]["email"] = "moved@city.example", rows[0]["email"]
    rows += [
        {"id": "", "name": r["name"], "email": r["email"], "title": r["title"]}
        for r in _people(5, start=100)
    ]
    return csv_import.import_csv(ctx, "people", _csv(rows), reason="HR export")


def test_people_updated_at_once_match_the_one_by_one_path(
    db_path: Path, tmp_path: Path, ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    one_by_one = db_path
    _office(one_by_one, ctx)
    with monkeypatch.context() as patch:
        # the path every kind but people still takes: each person's edit, one by one
        patch.setattr(
            csv_import,
            "_update_people",
            lambda c, model, updates, changed, reason, report: csv_import._update_each(
                c, "people", updates, reason, report
            ),
        )
        before = _edit(ctx)
    database.close()
    with second_database(db_path, tmp_path, ACTOR) as at_once:
        _office(at_once, ctx)  # type: ignore[arg-type]
        after = _edit(ctx)
        database.close()
        assert before.facts() == after.facts()
        assert (after.added, after.updated, after.unchanged, after.bad) == (5, 20, 20, [])
        assert _dump(one_by_one) == _dump(at_once)  # type: ignore[arg-type]


def test_a_bad_row_at_the_end_of_a_big_file_imports_nothing(
    db_path: Path, tmp_path: Path, ctx: Context, cli: Any
) -> None:
    open_database(db_path)
    rows = _people(5_000)
    rows[-1]["email"] = "not an address"
    entries = database.execute_sql('SELECT count(*) FROM "audit_entry"').fetchone()
    report = csv_import.import_csv(ctx, "people", _csv(rows))
    assert [(b.line, b.field) for b in report.bad] == [(5_001, "email")]
    assert "expected an address such as" in report.bad[0].why
    assert report.imported == 0 and Person.select().count() == 0
    assert database.execute_sql('SELECT count(*) FROM "audit_entry"').fetchone() == entries
    database.close()
    path = tmp_path / "people.csv"
    path.write_text(_csv(rows), encoding="utf-8")
    result = cli("import", "csv", "people", str(path))
    assert result.status == 2
    assert "line 5001: email: expected an address such as ana@example.org" in result.out


def test_check_is_clean_after_a_big_import_and_its_update(
    db_path: Path, tmp_path: Path, cli: Any
) -> None:
    path = tmp_path / "people.csv"
    path.write_text(_csv(_people(3_000)), encoding="utf-8")
    assert cli("import", "csv", "people", str(path)).status == 0
    exported = cli("person", "list", "--format", "csv").out
    lines = exported.splitlines()
    header = lines[0].split(",")
    title = header.index("title")
    edited = [lines[0]]
    for n, line in enumerate(lines[1:]):
        cells = line.split(",")
        if n % 2 and len(cells) == len(header):
            cells[title] = "Lead"
        edited.append(",".join(cells))
    path.write_text("\n".join(edited) + "\n", encoding="utf-8")
    result = cli("import", "csv", "people", str(path))
    assert result.status == 0, result.out + result.err
    assert "updated" in result.out
    check = cli("check")
    assert check.status == 0, check.out + check.err


def _calendar(cli: Any, db: Path, tmp_path: Path, copies: int) -> Path:
    """The office's own calendar, ``copies`` times over with new UIDs (as another
    office's calendar would be): plain series, repeating ones with excluded dates and
    changed occurrences, answers and organizers."""
    exported = tmp_path / "office.ics"
    assert cli("calendar", "-o", str(exported), db=db).status == 0
    text = exported.read_bytes().decode("utf-8")
    head, _, rest = text.partition("BEGIN:VEVENT")
    body = "BEGIN:VEVENT" + rest.rpartition("END:VEVENT")[0] + "END:VEVENT\r\n"
    events = ["BEGIN:VEVENT" + e for e in body.split("BEGIN:VEVENT")[1:]]
    copied = [
        e.replace("\nUID:", f"\nUID:copy{k}-", 1)
        for k in range(copies)
        for e in events
        if "UID:milestone-" not in e
    ]
    path = tmp_path / "big.ics"
    path.write_text(head + "".join(copied) + "END:VCALENDAR\r\n", encoding="utf-8", newline="")
    return path


def _tables(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    return table_rows(path, ("meeting", "attendee", "occurrence_change", "audit_entry"), "id")


@pytest.fixture
def office(request: pytest.FixtureRequest, db_path: Path, ctx: Context) -> Path:
    """The small demo, on the test's engine."""
    return small_demo(request, db_path, ctx)


def _one_by_one(self: Any, plan: Any) -> int:
    """What the import did before series were written together: the meeting added, then
    each attendee's answer recorded, one call each."""
    from docket.models.meetings.attendees import set_response
    from docket.models.meetings.series import add_meeting

    timing, chair = plan.timing, plan.chair
    meeting = add_meeting(
        self.ctx,
        plan.title,
        start=timing.start,
        duration=timing.minutes,
        timezone=timing.tz.key,
        repeat=plan.repeat,
        attendees=[f"#{person.id}:{role}" for person, role, _ in plan.attendees],
        program=self.program,
        location=plan.location,
        link=plan.link,
        organizer=f"#{chair.id}" if chair is not None else None,
        agenda=plan.agenda,
        status=plan.status,
        uid=plan.uid,
        all_day=timing.all_day,
    )
    for person, _, response in plan.attendees:
        if response != "needs action" and (chair is None or person.id != chair.id):
            set_response(self.ctx, meeting.id, person.id, response)
    return int(meeting.id)


def test_series_written_together_match_the_one_by_one_path(
    office: Path, tmp_path: Path, cli: Any, ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    from docket.exports.calendar import ical_batch, ical_meetings
    from docket.exports.calendar.ical_import import import_calendar

    calendar = _calendar(cli, office, tmp_path, 2).read_bytes()
    with another_small_demo(office, tmp_path, ctx) as together:
        open_database(office)
        with monkeypatch.context() as patch:
            patch.setattr(ical_meetings, "plain", lambda master, changed: False)
            patch.setattr(ical_batch.Batch, "write_one", _one_by_one)
            before = import_calendar(ctx, calendar, program="ERP")
        database.close()
        open_database(together)
        after = import_calendar(ctx, calendar, program="ERP")
        database.close()
        assert before.facts() == after.facts()
        assert len(after.meetings) > 20 and after.changes > 0
        assert _tables(office) == _tables(together)


def test_check_is_clean_after_a_calendar_import(office: Path, tmp_path: Path, cli: Any) -> None:
    calendar = _calendar(cli, office, tmp_path, 3)
    result = cli("import", "ics", str(calendar), "--program", "ERP", db=office)
    assert result.status == 0, result.out + result.err
    assert "imported" in result.out
    check = cli("check", db=office)
    assert check.status == 0, check.out + check.err
