"""What changed between two days (``docket changes``): each kind of change, written on a
fixed clock through the command line, then read back for periods in the user's zone."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from typing import Any

import pytest

from docket.models.core import clock
from docket.models.core.context import Context
from docket.models.core.database import open_database
from docket.models.core.errors import NotFoundError, ValidationError
from docket.models.core.schema import database
from docket.models.portfolio.changes_since import changes_since
from tests.conftest import ACTOR, NOW, ZONE

pytestmark = pytest.mark.both_engines

SEPT = datetime(2026, 9, 1, 15, 0, tzinfo=UTC)
OCT = datetime(2026, 10, 5, 15, 0, tzinfo=UTC)
# 23:00 on 30 September in Chicago: still September there
LATE_SEPT = datetime(2026, 10, 1, 4, 0, tzinfo=UTC)
NOV = datetime(2026, 11, 10, 15, 0, tzinfo=UTC)


def _at(when: datetime, cli: Any, *args: str) -> None:
    """Run a command as if at ``when`` (the command line fixes its clock from DOCKET_NOW)."""
    os.environ["DOCKET_NOW"] = when.isoformat()
    try:
        result = cli(*args)
    finally:
        os.environ["DOCKET_NOW"] = NOW.isoformat()
        clock.set_clock(NOW)
    assert result.status == 0, result.err


@pytest.fixture
def office(cli: Any, db_path: Any) -> Any:
    """Two portfolios' worth of programs, changed in September, October and November."""
    _at(SEPT, cli, "person", "add", "Ana Lopez")
    _at(SEPT, cli, "program", "add", "CORE", "Core systems")
    _at(SEPT, cli, "program", "add", "ERP", "Finance", "--parent", "CORE", "--owner", "ana")
    _at(SEPT, cli, "program", "add", "HR", "Payroll")
    _at(SEPT, cli, "milestone", "add", "ERP", "Go-live", "--baseline", "2027-03-01")
    _at(SEPT, cli, "milestone", "add", "HR", "Payroll cut-over", "--baseline", "2027-02-01")
    _at(SEPT, cli, "risk", "add", "Vendor insolvency", "--program", "ERP",
        "--probability", "2", "--impact", "5")  # fmt: skip
    _at(SEPT, cli, "budget", "add", "Build", "--program", "ERP", "--year", "2027",
        "--kind", "capital", "--amount", "1500000")  # fmt: skip
    _at(SEPT, cli, "vendor", "add", "Harbor Analytics")
    _at(SEPT, cli, "contract", "add", "C-1", "--vendor", "Harbor Analytics", "--program", "ERP",
        "--start", "2026-01-01", "--end", "2027-06-30", "--ceiling", "450000")  # fmt: skip
    _at(LATE_SEPT, cli, "milestone", "edit", "2", "--forecast", "2027-02-03",
        "--reason", "late September move")  # fmt: skip
    _at(OCT, cli, "milestone", "edit", "1", "--forecast", "2027-03-15",
        "--reason", "vendor UAT two weeks late")  # fmt: skip
    _at(OCT, cli, "milestone", "edit", "2", "--forecast", "2027-02-12", "--reason", "payroll test")
    _at(OCT, cli, "program", "edit", "ERP", "--rag", "amber", "--note", "UAT late")
    _at(OCT, cli, "risk", "edit", "1", "--probability", "4")
    _at(OCT, cli, "risk", "add", "Payroll vendor exits", "--program", "HR",
        "--probability", "1", "--impact", "3")  # fmt: skip
    _at(OCT, cli, "budget", "edit", "1", "--amount", "1600000")
    _at(OCT, cli, "cost", "add", "1200", "--program", "ERP", "--date", "2026-10-05")
    _at(OCT, cli, "expenditure", "add", "C-1", "12500", "--date", "2026-10-02")
    _at(OCT, cli, "expenditure", "add", "C-1", "999", "--date", "2026-10-03")
    _at(OCT, cli, "expenditure", "void", "2", "--reason", "duplicate")
    _at(OCT, cli, "decision", "add", "Phased rollout", "--program", "ERP", "--by", "ana",
        "--on", "2026-10-05")  # fmt: skip
    _at(OCT, cli, "decision", "add", "Keep payroll vendor", "--program", "HR",
        "--on", "2026-10-04")  # fmt: skip
    _at(NOV, cli, "risk", "edit", "1", "--status", "closed")
    _at(NOV, cli, "program", "edit", "ERP", "--rag", "red", "--note", "Vendor withdrew staff")
    open_database(db_path)  # a file or a PostgreSQL URL
    yield db_path
    database.close()


def _ctx() -> Context:
    return Context(actor=ACTOR, tz=ZONE, clock=lambda: NOW)


def test_milestones_moved_with_their_reasons_in_the_users_days(office: Any) -> None:
    found = changes_since(_ctx(), "2026-10-01", "2026-10-31")
    assert (found["since"], found["until"], found["program"]) == ("2026-10-01", "2026-10-31", None)
    moves = [(m["program"], m["from_day"], m["to_day"], m["days"], m["reason"])
             for m in found["milestones"]]  # fmt: skip
    assert moves == [
        ("ERP", "2027-03-01", "2027-03-15", 14, "vendor UAT two weeks late"),
        ("HR", "2027-02-03", "2027-02-12", 9, "payroll test"),
    ]
    first = found["milestones"][0]
    assert (first["field"], first["title"], first["day"]) == ("forecast", "Go-live", "2026-10-05")
    assert first["at"] == "2026-10-05T15:00:00Z"
    # 04:00 UTC on 1 October is 30 September in Chicago
    september = changes_since(_ctx(), "2026-09-30", "2026-09-30")["milestones"]
    assert [(m["to_day"], m["day"]) for m in september] == [("2027-02-03", "2026-09-30")]


def test_rag_changes_risks_budget_spend_and_decisions(office: Any) -> None:
    found = changes_since(_ctx(), "2026-10-01", "2026-10-31")
    assert [(r["program"], r["from_rag"], r["to_rag"], r["note"]) for r in found["rag"]] == [
        ("ERP", "green", "amber", "UAT late")
    ]
    assert [(r["program"], r["title"], r["to_score"]) for r in found["risks_opened"]] == [
        ("HR", "Payroll vendor exits", 3)
    ]
    assert [(r["risk_id"], r["from_score"], r["to_score"]) for r in found["risks_rescored"]] == [
        (1, 10, 20)
    ]
    assert found["risks_closed"] == []
    [line] = found["budget"]
    assert (line["name"], line["field"], line["from_amount"], line["to_amount"]) == (
        "Build", "amount", "1500000.00", "1600000.00",
    )  # fmt: skip
    assert (line["change"], line["fiscal_year"], line["currency"]) == ("100000.00", 2027, "USD")
    [spent] = found["spend"]
    assert spent == {
        "program": "ERP", "currency": "USD", "costs": "1200.00", "expenditures": "12500.00",
        "total": "13700.00", "count": 2,
    }  # fmt: skip
    assert found["spend_totals"] == {"USD": "13700.00"}
    assert [(d["program"], d["title"], d["decided_by"]) for d in found["decisions"]] == [
        ("ERP", "Phased rollout", "Ana Lopez"),
        ("HR", "Keep payroll vendor", None),
    ]
    november = changes_since(_ctx(), "2026-11-01")
    assert november["until"] == "2026-11-23"
    assert [(r["risk_id"], r["status"], r["to_score"]) for r in november["risks_closed"]] == [
        (1, "closed", 20)
    ]
    assert [(r["from_rag"], r["to_rag"]) for r in november["rag"]] == [("amber", "red")]
    assert november["milestones"] == november["budget"] == november["decisions"] == []
    assert november["spend"] == [] and november["spend_totals"] == {}


def test_september_opens_what_was_made_then(office: Any) -> None:
    found = changes_since(_ctx(), "2026-09-01", "2026-09-30")
    assert [r["title"] for r in found["risks_opened"]] == ["Vendor insolvency"]
    assert [(b["from_amount"], b["to_amount"]) for b in found["budget"]] == [(None, "1500000.00")]
    assert found["rag"] == []  # a program made with its RAG is not a change of RAG


def test_a_program_takes_in_those_under_it(office: Any) -> None:
    core = changes_since(_ctx(), "2026-10-01", "2026-10-31", program="core")
    assert core["program"] == "CORE"
    assert {m["program"] for m in core["milestones"]} == {"ERP"}
    assert core["risks_opened"] == []  # HR's risk
    assert [d["program"] for d in core["decisions"]] == ["ERP"]
    hr = changes_since(_ctx(), "2026-10-01", "2026-10-31", program="HR")
    assert [m["program"] for m in hr["milestones"]] == ["HR"]
    assert hr["rag"] == hr["budget"] == hr["spend"] == []
    with pytest.raises(NotFoundError, match="program: no program with code 'NOPE'"):
        changes_since(_ctx(), "2026-10-01", program="NOPE")


@pytest.mark.parametrize(
    ("since", "until", "field"),
    [
        ("2026-11-01", "2026-10-01", "until"),
        ("2026-11-24", None, "since"),
        ("2026-11-01", "2026-12-01", "until"),
        ("not a day", None, "since"),
    ],
)
def test_refused_periods_name_the_option(
    office: Any, since: str, until: str | None, field: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        changes_since(_ctx(), since, until)
    assert refused.value.field == field


def test_the_command_prints_text_and_json(office: Any, cli: Any) -> None:
    database.close()
    text = cli("changes", "--since", "2026-10-01", "--until", "2026-10-31")
    assert text.status == 0, text.err
    lines = text.out.splitlines()
    assert lines[0] == "Changes from 2026-10-01 to 2026-10-31"
    assert (
        "  2026-10-05  ERP  #1 Go-live: forecast 2027-03-01 -> 2027-03-15 (+14d); "
        "vendor UAT two weeks late"
    ) in lines
    assert "  2026-10-05  ERP: green -> amber; UAT late" in lines
    assert "  total  13,700.00 USD" in lines
    assert "Risks closed: 0" in lines
    as_json = cli("changes", "--since", "2026-10-01", "--program", "CORE", "--format", "json")
    assert as_json.status == 0, as_json.err
    facts = json.loads(as_json.out)
    assert facts["program"] == "CORE" and facts["until"] == "2026-11-23"
    assert [r["to_rag"] for r in facts["rag"]] == ["amber", "red"]


def test_the_command_refuses_in_one_line(office: Any, cli: Any) -> None:
    database.close()
    backwards = cli("changes", "--since", "2026-11-01", "--until", "2026-10-01")
    assert backwards.status == 2
    assert backwards.err.strip().splitlines() == [
        "docket: until: expected a day on or after 2026-11-01, got 2026-10-01"
    ]
    future = cli("changes", "--since", "2026-12-01")
    assert future.status == 2
    assert "since: expected a day on or before 2026-11-23 (the report's day)" in future.err
    assert len(future.err.strip().splitlines()) == 1
