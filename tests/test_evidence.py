"""The evidence behind a program's colour: each rule just under, at and over its threshold,
the worst line winning, a parent taking in its children, the thresholds from the config,
and ``docket program status`` in text and JSON (on a small office and on the demo)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from pg_demo import demo_on_both, pytest_generate_tests  # noqa: F401 (fixture, hook: both engines)

from docket.models.actions.items import add_action
from docket.models.contractors import contracts
from docket.models.contractors.assignments import add_assignment
from docket.models.contractors.expenditures import add_expenditure
from docket.models.core.config import Config, read_config
from docket.models.core.context import Context
from docket.models.core.schema import Program
from docket.models.governance.budget import add_budget_line
from docket.models.governance.issues import add_issue
from docket.models.governance.metrics import add_metric, record_measurement
from docket.models.governance.risks import add_risk
from docket.models.milestones.schedule import add_milestone
from docket.models.people.persons import add_person
from docket.models.portfolio.evidence import derived_status
from docket.models.portfolio.programs import add_program, list_programs

pytestmark = pytest.mark.both_engines

TODAY = date(2026, 11, 23)


@pytest.fixture
def office(db_path: Path, ctx: Context) -> Context:
    add_program(ctx, "ERP", "ERP replacement", rag="green")
    add_program(ctx, "HR", "HR module", parent="ERP")
    add_program(ctx, "WEB", "Web site", rag="red")
    add_person(ctx, "Ana Lopez", email="ana@city.example", account="tester")
    return ctx


def _colour(code: str = "ERP", config: Config | None = None) -> str:
    return derived_status(code, TODAY, config)["derived"]


def _rules(code: str = "ERP") -> list[tuple[str, str]]:
    return [(e["rule"], e["colour"]) for e in derived_status(code, TODAY)["evidence"]]


def test_nothing_is_green(office: Context) -> None:
    facts = derived_status("ERP", TODAY)
    assert facts == {
        "program": "ERP",
        "typed": "green",
        "derived": "green",
        "disagrees": False,
        "evidence": [],
        "reason": "",
        "reason_missing": False,
    }


@pytest.mark.parametrize(("days", "colour"), [(13, "amber"), (14, "amber"), (15, "red")])
def test_a_late_milestone_is_red_past_fourteen_days(
    office: Context, days: int, colour: str
) -> None:
    late = TODAY - timedelta(days=days)
    add_milestone(office, "ERP", "Go live", late - timedelta(days=5), forecast=late)
    assert _rules() == [("milestone late", colour)]
    assert "Go live" in derived_status("ERP", TODAY)["evidence"][0]["fact"]


@pytest.mark.parametrize(("behind", "colour"), [(59, "amber"), (60, "amber"), (61, "red")])
def test_a_late_milestone_is_red_past_sixty_days_behind_its_baseline(
    office: Context, behind: int, colour: str
) -> None:
    """Re-forecast a week before each date, a milestone is never 14 days past its forecast;
    how far it is behind its baseline still shows."""
    baseline = TODAY - timedelta(days=behind)
    add_milestone(office, "ERP", "Contract", baseline, forecast=TODAY - timedelta(days=7))
    assert _rules() == [("milestone late", colour)]
    fact = derived_status("ERP", TODAY)["evidence"][0]["fact"]
    assert fact == f"ERP Contract: 7 days past its forecast, {behind} days past its baseline"


@pytest.mark.parametrize(("slip", "colour"), [(1, "amber"), (60, "amber"), (61, "red")])
def test_a_forecast_far_past_its_baseline_is_red(office: Context, slip: int, colour: str) -> None:
    baseline = TODAY + timedelta(days=10)
    add_milestone(office, "ERP", "Go live", baseline, forecast=baseline + timedelta(days=slip))
    assert _rules() == [("milestone at risk", colour)]


def test_at_risk_and_done_milestones(office: Context) -> None:
    add_milestone(office, "ERP", "Design", "2026-12-01", forecast="2026-12-02")
    add_milestone(
        office, "ERP", "Kickoff", "2026-10-01", forecast="2026-10-01", actual="2026-10-20"
    )
    add_milestone(office, "ERP", "Build", "2027-01-01")
    assert _rules() == [("milestone at risk", "amber")]


def test_overdue_actions_count_when_high_or_urgent(office: Context) -> None:
    add_action(office, "Normal, overdue", program="ERP", priority="normal", due="2026-11-01")
    add_action(office, "Urgent, due today", program="ERP", priority="urgent", due="2026-11-23")
    assert _colour() == "green"
    add_action(office, "High, overdue", program="ERP", priority="high", due="2026-11-22")
    assert _rules() == [("overdue actions", "amber")]


def test_overdue_pressing_counts_are_the_same_without_their_index(office: Context) -> None:
    """Through the partial index of open pressing items (SQLite), or without it (a copy that
    lacks it, PostgreSQL): each program's count of overdue high and urgent open items."""
    from docket.models.actions.pressing import pressing_overdue
    from docket.models.core import engine
    from docket.models.core.schema import database

    for code, priority, due, status in [
        ("ERP", "high", "2026-11-22", "open"),
        ("ERP", "urgent", "2026-10-01", "blocked"),
        ("HR", "urgent", "2026-11-01", "in progress"),
        ("HR", "high", "2026-11-23", "open"),  # due today: not overdue
        ("WEB", "normal", "2026-11-01", "open"),  # not pressing
        ("WEB", "high", "2026-11-01", "done"),  # not open
    ]:
        add_action(office, f"{code} {priority}", program=code, priority=priority, due=due)
        if status != "open":
            database.execute_sql(
                "UPDATE action_item SET status = ? WHERE title = ?", (status, f"{code} {priority}")
            )
    ids = {p.code: p.id for p in Program.select()}
    expected = {ids["ERP"]: 2, ids["HR"]: 1}
    assert pressing_overdue(TODAY) == expected
    if not engine.is_postgres():
        database.execute_sql('DROP INDEX "action_item_pressing_open"')
        assert pressing_overdue(TODAY) == expected


@pytest.mark.parametrize(
    ("estimate", "colour"),
    [("1000", "green"), ("1000.01", "amber"), ("1100", "amber"), ("1100.01", "red")],
)
def test_estimate_at_completion_over_budget(office: Context, estimate: str, colour: str) -> None:
    add_budget_line(
        office, program="ERP", year=2027, kind="capital", name="Build", amount="1000",
        estimate=estimate,
    )  # fmt: skip
    assert _colour() == colour


@pytest.mark.parametrize(("value", "colour"), [("96", "green"), ("95", "amber"), ("90", "red")])
def test_a_metric_implies_its_own_status(office: Context, value: str, colour: str) -> None:
    add_metric(
        office, "Uptime", program="ERP", direction="higher", target="99", amber="95", red="90"
    )
    record_measurement(office, "Uptime", value, program="ERP")
    assert _colour() == colour


@pytest.mark.parametrize(("p", "i", "colour"), [(3, 4, "green"), (3, 5, "amber"), (4, 4, "amber")])
def test_an_open_risk_from_a_score_of_fifteen(office: Context, p: int, i: int, colour: str) -> None:
    add_risk(office, "Vendor fails", program="ERP", probability=p, impact=i, owner="ana")
    assert _colour() == colour


@pytest.mark.parametrize(("severity", "colour"), [("high", "green"), ("critical", "red")])
def test_an_open_critical_issue_is_red(office: Context, severity: str, colour: str) -> None:
    add_issue(office, "Payroll broken", program="ERP", severity=severity)
    assert _colour() == colour


@pytest.mark.parametrize(("allocation", "colour"), [(50, "green"), (51, "amber")])
def test_an_over_allocated_person_on_the_program(
    office: Context, allocation: int, colour: str
) -> None:
    add_assignment(
        office, "ana", program="WEB", allocation=50, start="2026-11-01", end="2027-01-31"
    )
    add_assignment(
        office, "ana", program="ERP", allocation=allocation, start="2026-11-01", end="2027-01-31"
    )
    assert _colour() == colour


@pytest.mark.parametrize(
    ("spent", "colour"), [("899.99", "green"), ("900", "green"), ("900.01", "amber")]
)
def test_a_contract_above_ninety_percent_of_its_ceiling(
    office: Context, spent: str, colour: str
) -> None:
    contracts.add_vendor(office, "Acme")
    contracts.add_contract(
        office, "C-1", vendor="Acme", program="ERP", start="2026-01-01", end="2027-06-30",
        ceiling="1000",
    )  # fmt: skip
    add_expenditure(office, "C-1", spent, on="2026-11-01")
    assert _colour() == colour


def test_the_worst_wins_and_a_parent_takes_in_its_children(office: Context) -> None:
    add_risk(office, "Vendor fails", program="ERP", probability=3, impact=5, owner="ana")
    assert _colour() == "amber"
    add_issue(office, "Payroll broken", program="HR", severity="critical")
    facts = derived_status("ERP", TODAY)
    assert (facts["derived"], facts["disagrees"]) == ("red", True)
    assert [e["rule"] for e in facts["evidence"]] == ["risk", "issue"]
    assert _rules("HR") == [("issue", "red")]


def test_a_worse_typed_colour_does_not_disagree(office: Context) -> None:
    facts = derived_status("WEB", TODAY)
    assert (facts["typed"], facts["derived"], facts["disagrees"]) == ("red", "green", False)


def test_thresholds_come_from_the_config(office: Context, tmp_path: Path) -> None:
    add_milestone(office, "ERP", "Go live", "2026-11-01", forecast="2026-11-13")
    assert _colour() == "amber"
    path = tmp_path / "docket.toml"
    path.write_text("evidence_late_days = 5\nevidence_risk_score = 12\nevidence_slip_days = 3\n")
    config = read_config(path)
    assert config is not None
    assert (config.evidence_late_days, config.evidence_risk_score) == (5, 12)
    assert config.evidence_slip_days == 3
    assert (config.evidence_eac_over_percent, config.evidence_contract_percent) == (10.0, 90.0)
    assert _colour(config=config) == "red"


def test_a_bad_threshold_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "docket.toml"
    path.write_text('evidence_late_days = "two weeks"\n')
    with pytest.raises(Exception, match="evidence_late_days"):
        read_config(path)


def test_the_command_in_text_and_json(office: Context, cli: Any) -> None:
    add_issue(office, "Payroll broken", program="HR", severity="critical")
    result = cli("program", "status")
    assert result.status == 0, result.err
    # the lines of the programs (a stamp of the database may follow)
    assert result.out.splitlines()[:5] == [
        "ERP: typed GREEN, evidence RED, no reason given",
        "  red    issue: #1 Payroll broken: critical, open",
        "HR: typed GREEN, evidence RED, no reason given",
        "  red    issue: #1 Payroll broken: critical, open",
        "WEB: typed RED, evidence GREEN",
    ]
    result = cli("program", "status", "hr", "--format", "json")
    assert result.status == 0, result.err
    assert json.loads(result.out) == [
        {
            "program": "HR",
            "typed": "green",
            "derived": "red",
            "disagrees": True,
            "evidence": [
                {"rule": "issue", "fact": "#1 Payroll broken: critical, open", "colour": "red"}
            ],
            "reason": "",
            "reason_missing": True,
        }
    ]


def test_an_unknown_program_is_refused(office: Context, cli: Any) -> None:
    result = cli("program", "status", "NOPE")
    assert result.status != 0
    assert "NOPE" in result.err


def test_the_demo_lists_every_program(demo_db: Path, cli: Any) -> None:
    result = cli("program", "status", db=demo_db)
    assert result.status == 0, result.err
    listed = result.out.split("\n\n")[0]  # a stamp of the database may follow
    codes = [line.split(":")[0] for line in listed.splitlines() if not line.startswith(" ")]
    assert codes and codes == sorted(p.code for p in list_programs())
