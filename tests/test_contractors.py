"""Contractors: allocation across programs at its edges, burn and run-out in Decimal, the
compliance warning, the commands, and CSV import (good files, bad rows, hostile cells) and
export."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from docket.exports.tabular.csv_import import import_csv
from docket.models.contractors import assignments, contracts
from docket.models.contractors.allocation import (
    allocation_by_month,
    overallocations,
    overload_preview,
)
from docket.models.contractors.amendments import amend_contract
from docket.models.contractors.burn import burns, contract_detail, detail_lines, weekdays
from docket.models.contractors.expenditures import (
    add_expenditure,
    correct_expenditure,
    expenditure_note,
    list_expenditures,
    void_expenditure,
)
from docket.models.core.context import Context
from docket.models.core.errors import ValidationError
from docket.models.core.schema import Assignment, Expenditure, Person
from docket.models.people.persons import add_person
from docket.models.portfolio.programs import add_program

pytestmark = pytest.mark.both_engines

TODAY = date(2026, 11, 23)  # a Monday


@pytest.fixture
def office(db_path: Path, ctx: Context) -> Context:
    add_program(ctx, "ERP", "ERP replacement")
    add_program(ctx, "CRM", "311 CRM")
    add_person(ctx, "Ana Lopez", email="ana@vendor.example", kind="contractor")
    add_person(ctx, "Bo Chen", email="bo@vendor.example", kind="contractor")
    contracts.add_vendor(ctx, "Oakline Partners")
    contracts.add_contract(
        ctx, "C-1", vendor="Oakline Partners", program="ERP", start="2026-01-01",
        end="2027-06-30", ceiling="100000",
    )  # fmt: skip
    return ctx


def _assign(
    ctx: Context, allocation: int, start: str, end: str, program: str = "ERP", **kw: Any
) -> int:
    return int(
        assignments.add_assignment(
            ctx, "ana", program=program, allocation=allocation, start=start, end=end, **kw
        ).id
    )


def _over(first: str = "2026-12-01", last: str = "2026-12-31") -> list[dict[str, Any]]:
    return overallocations(date.fromisoformat(first), date.fromisoformat(last))


def test_overlapping_assignments_over_100_are_found_with_days_and_causes(office: Context) -> None:
    a = _assign(office, 60, "2026-12-01", "2026-12-31")
    b = _assign(office, 50, "2026-12-10", "2026-12-20", program="CRM")
    assert _over() == [
        {"person_id": 1, "person": "Ana Lopez", "peak": 110, "days": 11,
         "from": "2026-12-10", "to": "2026-12-20", "spans": [("2026-12-10", "2026-12-20")],
         "assignments": [a, b]},
    ]  # fmt: skip


def test_exactly_100_is_not_over(office: Context) -> None:
    _assign(office, 60, "2026-12-01", "2026-12-31")
    _assign(office, 40, "2026-12-01", "2026-12-31", program="CRM")
    assert _over() == []


def test_adjacent_assignments_do_not_add_up(office: Context) -> None:
    # one ends the 15th, the next starts the 16th: never both on a day
    _assign(office, 100, "2026-12-01", "2026-12-15")
    _assign(office, 100, "2026-12-16", "2026-12-31", program="CRM")
    assert _over() == []


def test_ending_the_day_another_starts_is_one_day_over(office: Context) -> None:
    _assign(office, 100, "2026-12-01", "2026-12-15")
    _assign(office, 100, "2026-12-15", "2026-12-31", program="CRM")
    found = _over()
    assert (found[0]["peak"], found[0]["days"], found[0]["from"], found[0]["to"]) == (
        200,
        1,
        "2026-12-15",
        "2026-12-15",
    )


def test_allocation_by_month_averages_the_days(office: Context) -> None:
    _assign(office, 100, "2026-12-01", "2026-12-15")  # 15 of 31 days
    table = allocation_by_month(date(2026, 11, 5), 3)
    assert table["months"] == ["2026-11", "2026-12", "2027-01"]
    ana = table["people"][0]
    assert ana["person"] == "Ana Lopez"
    assert [m["average"] for m in ana["months"]] == [0, 48, 0]
    assert [m["peak"] for m in ana["months"]] == [0, 100, 0]


def test_a_contract_with_no_expenditures_has_spent_nothing(office: Context) -> None:
    burn = burns(TODAY)[0]
    assert (burn.spent, burn.remaining, burn.percent, burn.monthly_rate) == (
        Decimal("0.00"),
        Decimal("100000.00"),
        0,
        Decimal("0.00"),
    )
    assert burn.runs_out is None


def test_money_adds_up_to_the_cent_without_drift(office: Context) -> None:
    for _ in range(10):
        add_expenditure(office, "C-1", "0.10", on="2026-11-20")
    add_expenditure(office, "C-1", "$79,999.00", on="2026-10-01")
    burn = burns(TODAY)[0]
    assert burn.spent == Decimal("80000.00")  # 0.1 x 10 is 1.00 exactly
    assert burn.remaining == Decimal("20000.00")
    assert (burn.percent, burn.near_ceiling) == (80, True)
    # the last three months spent 80,000: 26,666.67 a month; 20,000 lasts 22 days
    assert burn.monthly_rate == Decimal("26666.67")
    assert burn.runs_out == date(2026, 12, 15)


def test_committed_cost_is_rate_hours_and_allocation_on_weekdays(office: Context) -> None:
    # Mon 23 Nov to Fri 4 Dec 2026: ten weekdays, half time, 100 an hour, 8 hours a day
    _assign(office, 50, "2026-11-01", "2026-12-04", contract="C-1", rate="100")
    burn = burns(TODAY)[0]
    assert burn.committed == Decimal("4000.00")
    assert weekdays(date(2026, 11, 23), date(2026, 11, 29)) == 5


def test_an_assignment_outside_its_contract_is_flagged(office: Context) -> None:
    inside = _assign(office, 50, "2026-02-01", "2026-03-01", contract="C-1")
    outside = _assign(office, 50, "2027-06-01", "2027-07-31", contract="C-1")
    flags = {a.id: assignments.outside_contract(a) for a in Assignment.select()}
    assert flags == {inside: False, outside: True}


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"allocation": 0}, "allocation"),
        ({"allocation": "101%"}, "allocation"),
        ({"end": "2026-11-01"}, "end"),
        ({"rate": "lots"}, "rate"),
    ],
)
def test_a_bad_assignment_names_its_field(
    office: Context, kwargs: dict[str, Any], field: str
) -> None:
    values = {"allocation": 50, "start": "2026-12-01", "end": "2026-12-31", **kwargs}
    with pytest.raises(ValidationError) as caught:
        assignments.add_assignment(office, "ana", program="ERP", **values)
    assert caught.value.field == field
    assert Assignment.select().count() == 0


def test_the_commands_list_contracts_assignments_and_allocation(cli: Any, office: Context) -> None:
    assert (
        cli(
            "expenditure", "add", "C-1", "85000", "--date", "2026-11-01", "--invoice", "INV-1"
        ).status
        == 0
    )
    assert cli("assignment", "add", "ana", "--program", "ERP", "--allocation", "60%",
               "--start", "2026-11-01", "--end", "2026-12-31").out == "1\n"  # fmt: skip
    assert cli("assignment", "add", "ana", "--program", "CRM", "--allocation", "50",
               "--start", "2026-12-01", "--end", "2026-12-10").out == "2\n"  # fmt: skip
    near = json.loads(cli("contract", "list", "--near-ceiling", "80", "--format", "json").out)
    assert [(c["number"], c["percent"], c["remaining"]) for c in near] == [("C-1", 85, "15000.00")]
    over = json.loads(cli("assignment", "list", "--overallocated", "--format", "json").out)
    assert [(o["person"], o["peak"], o["days"]) for o in over] == [("Ana Lopez", 110, 10)]
    table = cli("allocation", "--months", "2", "--format", "csv").out.splitlines()
    assert table == ["person,2026-11,2026-12", "Ana Lopez,60,76"]
    ended = cli("assignment", "end", "2", "--on", "2026-12-05")
    assert ended.out == "assignment 2 ends Sat 05 Dec 2026\n"
    refused = cli("assignment", "end", "2", "--on", "2026-11-01")
    assert refused.status == 2 and refused.err.startswith("docket: end: expected a day on or after")


# --- CSV ----------------------------------------------------------------------------------


def _csv(*rows: str) -> str:
    return "\r\n".join(rows) + "\r\n"


def test_a_good_assignments_file_is_imported(office: Context) -> None:
    data = _csv(
        "person,program,allocation,start,end,role,contract,rate",
        "ana@vendor.example,ERP,50,2026-12-01,2027-03-31,Developer,C-1,95.50",
        "Bo Chen,CRM,100%,2026-12-01,2026-12-31,,,",
    )
    report = import_csv(office, "assignments", data)
    assert (report.rows, report.imported, report.bad) == (2, 2, [])
    rates = sorted((a.person.name, a.rate) for a in Assignment.select())
    assert rates == [("Ana Lopez", Decimal("95.50")), ("Bo Chen", None)]


def test_one_bad_row_imports_nothing_and_every_bad_row_is_named(office: Context) -> None:
    data = _csv(
        "name,email,kind",
        "Cy Diaz,cy@city.example,staff",
        "Dee,not-an-address,staff",
        "Eve,eve@city.example,alien",
        "Cyd Diaz,CY@city.example,contractor",
    )
    before = Person.select().count()
    report = import_csv(office, "people", data)
    assert [(b.line, b.field) for b in report.bad] == [(3, "email"), (4, "kind"), (5, "email")]
    assert report.imported == 0 and Person.select().count() == before


def test_a_dry_run_checks_and_imports_nothing(office: Context) -> None:
    data = _csv("contract,amount,date,invoice", "C-1,1200.00,2026-11-02,INV-9")
    report = import_csv(office, "expenditures", data, dry_run=True)
    assert (report.rows, report.imported, report.bad) == (1, 0, [])
    assert Expenditure.select().count() == 0


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("person,program,start,end", "header: missing allocation"),
        ("person,program,allocation,allocation,start,end", "header: allocation given twice"),
    ],
)
def test_a_bad_header_is_refused_before_any_row(office: Context, header: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        import_csv(office, "assignments", _csv(header, "ana,ERP,50,2026-12-01,2026-12-31"))


def test_hostile_cells_are_data_in_and_safe_out(cli: Any, office: Context, tmp_path: Path) -> None:
    source = tmp_path / "people.csv"
    source.write_text(
        _csv("name,email,organization", '"=HYPERLINK(""http://x"")",h@x.example,@SUM(A1)')
    )
    result = cli("import", "csv", "people", str(source))
    assert (result.status, result.out) == (0, "imported 1 people\n")
    stored = Person.get(Person.email == "h@x.example")
    assert (stored.name, stored.organization) == ('=HYPERLINK("http://x")', "@SUM(A1)")
    exported = cli("person", "list", "--format", "csv").out
    row = next(r for r in csv.DictReader(io.StringIO(exported)) if r["email"] == "h@x.example")
    assert (row["name"], row["organization"]) == ('\'=HYPERLINK("http://x")', "'@SUM(A1)")
    # docket's own export reads back as it was
    again = tmp_path / "again.csv"
    quoted = '"' + row["name"].replace('"', '""') + '"'
    again.write_text(_csv("name,email", f"{quoted},h2@x.example"))
    assert cli("import", "csv", "people", str(again)).status == 0
    assert Person.get(Person.email == "h2@x.example").name == '=HYPERLINK("http://x")'


def test_the_import_command_reports_bad_rows_and_exits_2(
    cli: Any, office: Context, tmp_path: Path
) -> None:
    source = tmp_path / "spend.csv"
    source.write_text(
        _csv("contract,amount,date", "C-1,100,2026-11-01", "C-404,100,2026-11-01", "C-1,zero,")
    )
    result = cli("import", "csv", "expenditures", str(source))
    assert result.status == 2
    assert result.out.splitlines() == [
        "2 bad row(s) of 3; nothing imported:",
        "  line 3: contract: no contract 'C-404'",
        "  line 4: amount: not a plain number; expected an amount such as 12500, 12500.50,"
        " 12,500.50 or $12,500.50, got 'zero'",
    ]
    assert Expenditure.select().count() == 0


# --- facts that can be true; amendments; corrections ----------------------------------


def test_an_expenditure_past_the_ceiling_is_refused_unless_a_reason_is_given(
    office: Context,
) -> None:
    add_expenditure(office, "C-1", "99000", on="2026-10-01")
    with pytest.raises(ValidationError) as caught:
        add_expenditure(office, "C-1", "2000", on="2026-11-01")
    assert caught.value.field == "amount"
    assert "101.0 % of its ceiling of 100,000.00 USD" in str(caught.value)
    assert Expenditure.select().count() == 1
    # exactly to the ceiling, and a credit note, need no reason
    add_expenditure(office, "C-1", "1000", on="2026-11-01")
    add_expenditure(office, "C-1", "-500", on="2026-11-02")
    made = add_expenditure(
        office, "C-1", "2000", on="2026-11-03", over_ceiling="change order 4 pending"
    )
    assert made.over_ceiling == "change order 4 pending"
    from docket.models.core.schema import AuditEntry

    note = (
        AuditEntry.select()
        .where(AuditEntry.entity == "expenditure")
        .order_by(AuditEntry.id.desc())
        .get()
        .note
    )
    assert note == "over the ceiling: change order 4 pending"
    shown = detail_lines(contract_detail("C-1", TODAY))
    assert any("past the ceiling: change order 4 pending" in line for line in shown)


def test_an_amendment_changes_the_terms_and_is_listed_with_its_reason(office: Context) -> None:
    a = _assign(office, 50, "2026-11-01", "2027-03-31", contract="C-1", rate="100")
    made = amend_contract(
        office, "C-1", ceiling="120000", end="2027-12-31", rate="110", reason="change order 4"
    )
    assert json.loads(made.changes) == {
        "ceiling": ["100000.00", "120000.00"],
        "end": ["2027-06-30", "2027-12-31"],
        "rate": ["100.00", "110.00"],
    }
    found = contract_detail("C-1", TODAY)
    assert (found["ceiling"], found["end"]) == ("120000.00", "2027-12-31")
    assert Assignment.get_by_id(a).rate == Decimal("110.00")
    assert [(x["reason"], x["by"]) for x in found["amendments"]] == [("change order 4", "tester")]
    add_expenditure(office, "C-1", "50000", on="2026-10-01")
    with pytest.raises(ValidationError, match="at least what contract C-1 has spent"):
        amend_contract(office, "C-1", ceiling="40000", reason="cut")
    with pytest.raises(ValidationError) as caught:
        amend_contract(office, "C-1", reason="nothing")
    assert caught.value.field == "terms"
    with pytest.raises(ValidationError) as caught:
        amend_contract(office, "C-1", end="2020-01-01", reason="typo")
    assert caught.value.field == "end"


def test_a_corrected_or_void_expenditure_keeps_its_reason_and_a_void_one_counts_nowhere(
    office: Context,
) -> None:
    made = add_expenditure(office, "C-1", "10000", on="2026-11-01")
    correct_expenditure(office, made.id, amount="9000", reason="invoice corrected")
    (burn,) = burns(TODAY)
    assert burn.spent == Decimal("9000.00")
    void_expenditure(office, made.id, reason="duplicate")
    (burn,) = burns(TODAY)
    assert burn.spent == Decimal(0)
    assert list_expenditures() == []
    listed = list_expenditures(void=True)
    assert expenditure_note(listed[0]) == "void: duplicate"
    with pytest.raises(ValidationError, match="is void already"):
        void_expenditure(office, made.id, reason="again")
    with pytest.raises(ValidationError, match="is void"):
        correct_expenditure(office, made.id, amount="1", reason="x")
    from docket.models.audit.history import history

    notes = [c.note for c in history("expenditure", made.id)]
    assert "corrected: invoice corrected" in notes and "voided: duplicate" in notes


def test_the_commands_refuse_the_ceiling_amend_and_void(cli: Any, office: Context) -> None:
    refused = cli("expenditure", "add", "C-1", "100001")
    assert refused.status == 2 and refused.err.startswith("docket: amount: 100,001.00 would")
    assert len(refused.err.splitlines()) == 1
    ok = cli("expenditure", "add", "C-1", "100001", "--over-ceiling", "agreed by the board")
    assert (ok.status, ok.out.endswith("(past the ceiling)\n")) == (0, True)
    amended = cli("contract", "amend", "C-1", "--ceiling", "150000", "--reason", "board")
    assert amended.out == "C-1 amended: ceiling 100000.00 -> 150000.00\n"
    assert cli("contract", "amend", "C-1", "--ceiling", "1").status == 2  # --reason required
    shown = cli("contract", "show", "C-1").out
    assert "2026-11-23  ceiling 100000.00 -> 150000.00  (board; " in shown
    assert "past the ceiling: agreed by the board" in shown
    ident = json.loads(cli("expenditure", "list", "--format", "json").out)[0]["id"]
    assert cli("expenditure", "void", str(ident), "--reason", "wrong").status == 0
    assert cli("expenditure", "list").out == "(none)\n"


def test_an_assignment_over_100_is_saved_with_a_warning_naming_the_days_and_peak(
    cli: Any, office: Context
) -> None:
    _assign(office, 60, "2026-12-01", "2026-12-31")
    result = cli(
        "assignment", "add", "ana", "--program", "CRM", "--allocation", "50",
        "--start", "2026-12-10", "--end", "2027-01-10",
    )  # fmt: skip
    assert (result.status, result.out) == (0, "2\n")
    assert result.err == (
        "docket: warning: Ana Lopez is over 100 % on 22 days (2026-12-10 to 2026-12-31); "
        "peak 110 %\n"
    )
    assert Assignment.select().count() == 2
    quiet = cli("assignment", "edit", "2", "--allocation", "40")
    assert (quiet.status, quiet.err) == (0, "")
    preview = overload_preview(
        office, person="bo", allocation="100", start="2026-12-01", end="2026-12-02"
    )
    assert preview == ""
    preview = overload_preview(
        office, person=None, allocation="70", start="2026-12-01", end="2026-12-05", leaving_out=2
    )
    assert preview == (
        "Ana Lopez would be over 100 % on 5 days (2026-12-01 to 2026-12-05); peak 130 %"
    )
