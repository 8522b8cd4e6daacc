"""A CSV that docket exported reads back: unchanged, it changes nothing and exports to the
same bytes; edited, it updates the records it names (by id, else a person by e-mail)
through their audited, version-checked edits, only where a cell changed; one bad row and
nothing changes. Cells the export guarded against spreadsheets read back as they were."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from engine_support import query, traced, transactions
from hypothesis import given
from hypothesis import strategies as st

from docket.exports.tabular import csv_import
from docket.exports.tabular.tables import from_spreadsheet, spreadsheet_safe, write_csv
from docket.models.core.context import Context
from docket.models.core.database import init_database, open_database
from docket.models.core.engine import is_url
from docket.models.core.schema import database
from docket.models.demo.builder import build_demo
from tests.conftest import ACTOR, NOW, ZONE

pytestmark = pytest.mark.both_engines

# kind: the command whose list --format csv exports it
LISTS = {
    "people": "person",
    "assignments": "assignment",
    "expenditures": "expenditure",
    "actions": "action",
    "milestones": "milestone",
    "risks": "risk",
}


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small demo office (seed 1), built once for the module; each test copies it."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    init_database(path, actor=ACTOR)
    build_demo(Context(actor=ACTOR, tz=ZONE, clock=lambda: NOW), size="small", seed=1)
    database.close()
    return path


class Office:
    """``docket`` on a fresh copy of the small demo: ``demo(*args)``; ``demo.sql(query)``
    reads the file directly."""

    def __init__(self, cli: Any, path: Path) -> None:
        self.cli, self.path = cli, path

    def __call__(self, *args: str) -> Any:
        return self.cli(*args, db=self.path)

    def sql(self, sql: str) -> list[tuple[Any, ...]]:
        return query(self.path, sql)


@pytest.fixture
def demo(request: pytest.FixtureRequest, tmp_path: Path, cli: Any, db_path: Path) -> Office:
    """The small demo: on SQLite a copy of the module's, on PostgreSQL built in the test's
    database (as quick as copying it there)."""
    if is_url(db_path):
        build_demo(Context(actor=ACTOR, tz=ZONE, clock=lambda: NOW), size="small", seed=1)
        database.close()
        return Office(cli, db_path)
    path = tmp_path / "office.db"
    shutil.copy(request.getfixturevalue("demo_template"), path)
    return Office(cli, path)


def _export(demo: Office, kind: str) -> str:
    result = demo(LISTS[kind], "list", "--format", "csv")
    assert result.status == 0, result.err
    return str(result.out)


def _import(demo: Office, tmp_path: Path, kind: str, text: str, *extra: str) -> Any:
    path = tmp_path / f"{kind}.csv"
    path.write_text(text, newline="")
    return demo("import", "csv", kind, str(path), "--format", "json", *extra)


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def _csv_text(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _audit_count(demo: Office) -> int:
    return int(demo.sql("SELECT count(*) FROM audit_entry")[0][0])


@pytest.mark.parametrize("kind", list(LISTS))
def test_an_unchanged_export_reads_back_changing_nothing_and_exports_the_same_bytes(
    demo: Office, tmp_path: Path, kind: str
) -> None:
    first = _export(demo, kind)
    rows = _rows(first)
    assert len(rows) >= 10 and all(r["id"] and r["version"] for r in rows)
    audited = _audit_count(demo)
    result = _import(demo, tmp_path, kind, first)
    assert result.status == 0, result.out + result.err
    facts = json.loads(result.out)
    assert (facts["unchanged"], facts["added"], facts["updated"]) == (len(rows), 0, 0)
    assert _export(demo, kind) == first
    assert _audit_count(demo) == audited


# kind, the row's index in the export, column, new cell, the field the audit names,
# options (a moved forecast and a corrected amount need a reason)
EDITS = [
    ("people", 1, "title", "Chief of Staff", "title", ()),
    ("assignments", 0, "allocation", "60", "allocation", ("--reason", "new phase")),
    ("expenditures", 0, "amount", "-500.00", "amount", ("--reason", "credit note")),
    ("actions", 0, "owner", "Ben Rossi", "owner", ()),
    ("milestones", 9, "forecast", "2027-03-01", "forecast", ("--reason", "vendor late")),
    ("risks", 0, "probability", "2", "probability", ()),
]


@pytest.mark.parametrize(("kind", "index", "column", "value", "field", "extra"), EDITS)
def test_an_edited_cell_updates_that_field_only_and_the_audit_says_so(
    demo: Office,
    tmp_path: Path,
    kind: str,
    index: int,
    column: str,
    value: str,
    field: str,
    extra: tuple[str, ...],
) -> None:
    before = _rows(_export(demo, kind))
    edited = [dict(r) for r in before]
    assert edited[index][column] != value
    edited[index][column] = value
    ident = edited[index]["id"]
    audited = _audit_count(demo)
    result = _import(demo, tmp_path, kind, _csv_text(edited), *extra)
    assert result.status == 0, result.out + result.err
    assert '"updated": 1' in result.out
    after = {r["id"]: r for r in _rows(_export(demo, kind))}
    # every other record exports as it did; this one with the new cell and a new version
    assert {r["id"]: r for r in before if r["id"] != ident} == {
        i: r for i, r in after.items() if i != ident
    }
    assert after[ident][column] == value
    assert int(after[ident]["version"]) == int(before[index]["version"]) + 1
    history = demo("history", _entity(kind), ident, "--format", "json")
    last = json.loads(history.out)[0]
    assert last["action"] == "update" and list(last["changes"]) == [field]
    # the reason given is kept with the change
    reason = extra[1] if extra else ""
    assert last["note"] == (f"corrected: {reason}" if kind == "expenditures" else reason)
    assert _audit_count(demo) == audited + 1 + (kind == "risks")  # a rescoring for a risk


def _entity(kind: str) -> str:
    return {"people": "person", "actions": "action"}.get(kind, kind.rstrip("s"))


def test_one_bad_row_changes_nothing_and_each_bad_row_is_named(
    demo: Office, tmp_path: Path
) -> None:
    first = _export(demo, "actions")
    rows = _rows(first)
    rows[0]["title"] = "A good change"
    rows[2]["owner"] = "Nobody Ofthatname"
    rows[4]["due"] = "the day after never"
    audited = _audit_count(demo)
    result = _import(demo, tmp_path, "actions", _csv_text(rows))
    assert result.status == 2
    bad = json.loads(result.out)["bad"]
    assert [(b["line"], b["field"]) for b in bad] == [(4, "owner"), (6, "due")]
    assert _export(demo, "actions") == first and _audit_count(demo) == audited


def test_a_row_refused_inside_the_write_undoes_the_rows_before_it(
    demo: Office, tmp_path: Path
) -> None:
    first = _export(demo, "milestones")
    rows = _rows(first)
    rows[0]["title"] = "Renamed first"  # a good change, made before the refusal
    rows[9]["forecast"] = "2027-03-01"  # moving a forecast needs --reason
    result = _import(demo, tmp_path, "milestones", _csv_text(rows))
    assert result.status == 2
    (bad,) = json.loads(result.out)["bad"]
    assert (bad["line"], bad["field"]) == (11, "reason")
    assert "--reason" in bad["why"]
    assert _export(demo, "milestones") == first


def test_a_row_exported_before_someone_changed_its_record_is_refused(
    demo: Office, tmp_path: Path
) -> None:
    rows = _rows(_export(demo, "actions"))
    ident, title = rows[0]["id"], rows[0]["title"]
    assert demo("action", "edit", ident, "--priority", "low").status == 0
    rows[0]["title"] = "My change on a stale copy"
    result = _import(demo, tmp_path, "actions", _csv_text(rows))
    assert result.status == 2
    (bad,) = json.loads(result.out)["bad"]
    assert bad["field"] == "version" and "export it again" in bad["why"]
    shown = json.loads(demo("action", "show", ident, "--format", "json").out)
    assert (shown["priority"], shown["title"]) == ("low", title)


def test_a_person_without_an_id_is_the_one_with_that_email_else_a_new_one(
    demo: Office, tmp_path: Path
) -> None:
    someone = _rows(_export(demo, "people"))[0]
    text = (
        "name,email,kind\r\n"
        f"{someone['name']} Jr,{someone['email'].upper()},{someone['kind']}\r\n"
        "Nova Newcomer,nova@city.example,staff\r\n"
    )
    result = _import(demo, tmp_path, "people", text)
    assert result.status == 0, result.out
    report = json.loads(result.out)
    assert (report["added"], report["updated"]) == (1, 1)
    found = {r["email"].lower(): r for r in _rows(_export(demo, "people"))}
    # the same person (matched without case), now with the file's name and address
    kept = found[someone["email"]]
    assert (kept["id"], kept["name"]) == (someone["id"], f"{someone['name']} Jr")
    assert kept["email"] == someone["email"].upper()
    assert found["nova@city.example"]["name"] == "Nova Newcomer"


def test_rows_without_an_id_add_actions_milestones_and_risks(demo: Office, tmp_path: Path) -> None:
    audited = _audit_count(demo)
    for kind in ("actions", "milestones", "risks"):
        rows = _rows(_export(demo, kind))[:2]
        for row in rows:
            row["id"], row["version"] = "", ""
            row["title"] = f"Copied: {row['title']}"
        result = _import(demo, tmp_path, kind, _csv_text(rows))
        assert result.status == 0, (kind, result.out)
        assert json.loads(result.out)["added"] == 2
        titles = [r["title"] for r in _rows(_export(demo, kind))]
        assert sum(t.startswith("Copied: ") for t in titles) == 2
    # a new risk has its first scoring, as one added by hand does; all of it audited
    scored = demo.sql(
        "SELECT count(*) FROM risk_assessment JOIN risk ON risk.id = risk_assessment.risk_id "
        "WHERE risk.title LIKE 'Copied: %'"
    )
    assert scored == [(2,)]
    assert _audit_count(demo) == audited + 8
    assert demo("check").status == 0


def test_a_name_shared_by_two_people_is_exported_so_it_reads_back(
    demo: Office, tmp_path: Path, ctx: Context
) -> None:
    rows = _rows(_export(demo, "actions"))
    owner = rows[0]["owner"]
    assert demo("person", "add", owner, "--email", "twin@city.example").status == 0
    again = _export(demo, "actions")
    labelled = _rows(again)[0]["owner"]
    assert labelled.startswith(f"{owner} <") and labelled.endswith(">")
    result = _import(demo, tmp_path, "actions", again)
    assert result.status == 0 and '"updated": 0' in result.out
    assert _export(demo, "actions") == again


def test_a_credit_is_a_number_and_an_apostrophe_name_survives(demo: Office, tmp_path: Path) -> None:
    names = ["'-Dash", "'Twas Brillig", "''=Two", "=SUM(A1)", "-500.00"]
    for i, name in enumerate(names):
        assert demo("person", "add", name, "--email", f"odd{i}@city.example").status == 0
    first = _export(demo, "people")
    cells = {r["email"]: r["name"] for r in _rows(first)}
    assert [cells[f"odd{i}@city.example"] for i in range(5)] == [
        "''-Dash", "'Twas Brillig", "'''=Two", "'=SUM(A1)", "-500.00",
    ]  # fmt: skip
    assert _import(demo, tmp_path, "people", first).status == 0
    assert _export(demo, "people") == first
    stored = dict(demo.sql("SELECT email, name FROM person WHERE email LIKE 'odd%'"))
    assert [stored[f"odd{i}@city.example"] for i in range(5)] == names


# text a cell may hold: anything, weighted towards the characters the guard is about
_TEXT = st.text(
    alphabet=st.one_of(st.sampled_from("'=+-@\t\r0123456789.x "), st.characters()), max_size=12
)


@given(_TEXT)
def test_the_spreadsheet_guard_is_taken_away_exactly(text: str) -> None:
    cell = spreadsheet_safe(text)
    assert from_spreadsheet(cell) == text
    # what a spreadsheet would run is never written bare (a plain number runs nothing)
    if cell.startswith(("=", "+", "-", "@", "\t", "\r")):
        assert cell.startswith("-") and cell[1:].replace(".", "", 1).isdigit()
    # and through a CSV file and back, as an export and an import read it
    out = io.StringIO()
    write_csv([{"name": text}], ["name"], out)
    ((read,),) = list(csv.reader(io.StringIO(out.getvalue())))[1:]
    assert from_spreadsheet(read) == text


def test_an_import_that_updates_opens_one_write_transaction(demo: Office) -> None:
    rows = _rows(_export(demo, "risks"))
    rows[0]["probability"], rows[1]["title"] = "1", "Retitled"
    open_database(demo.path)
    ctx = Context(actor=ACTOR, tz=ZONE, clock=lambda: NOW)
    with traced() as statements:
        report = csv_import.import_csv(ctx, "risks", _csv_text(rows))
    assert (report.updated, report.unchanged, report.bad) == (2, len(rows) - 2, [])
    assert [locked for _, locked in transactions(statements)] == [True]
