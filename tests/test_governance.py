"""Governance rules at their edges: risk scores and their history, a risk occurring, change
control and re-baselining, metric status at its thresholds in both directions, budget
arithmetic; and the commands."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from docket.models.accounts.identity import current_account
from docket.models.audit.history import history
from docket.models.contractors import contracts
from docket.models.contractors.expenditures import add_expenditure
from docket.models.core.context import Context
from docket.models.core.errors import ValidationError
from docket.models.core.schema import (
    Decision,
    Issue,
    IssueLink,
    Measurement,
    Metric,
    Risk,
    RiskAssessment,
)
from docket.models.governance import budget
from docket.models.governance.changes import add_change, decide_change, list_changes
from docket.models.governance.decisions import add_decision, decision_facts, update_decision
from docket.models.governance.entries import on_behalf
from docket.models.governance.metrics import add_metric, metrics, record_measurement, update_metric
from docket.models.governance.risks import (
    add_risk,
    list_risks,
    risk_matrix,
    risk_occurred,
    score,
    score_history,
    update_risk,
)
from docket.models.milestones.schedule import add_milestone, get_milestone, update_milestone
from docket.models.people.persons import add_person
from docket.models.portfolio.programs import add_program

pytestmark = pytest.mark.both_engines

TODAY = date(2026, 11, 23)


@pytest.fixture
def office(db_path: Path, ctx: Context) -> Context:
    add_program(ctx, "ERP", "ERP replacement")
    add_person(ctx, "Ana Lopez", email="ana@city.example", account="tester")
    return ctx


def _risk(ctx: Context, p: int = 3, i: int = 4) -> Risk:
    return add_risk(
        ctx, "Data migration slips", program="ERP", probability=p, impact=i, owner="ana",
        effect="Go-live moves",
    )  # fmt: skip


def test_a_score_is_probability_times_impact_and_every_scoring_is_kept(office: Context) -> None:
    risk = _risk(office)
    assert score(risk.probability, risk.impact) == 12
    update_risk(office, risk.id, probability=5)
    update_risk(office, risk.id, mitigation="Rehearse twice")  # not a rescoring
    assert [h["score"] for h in score_history(risk.id)] == [12, 20]
    assert RiskAssessment.select().count() == 2


@pytest.mark.parametrize("value", [0, 6, "high"])
def test_probability_and_impact_are_one_to_five(office: Context, value: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        _risk(office, p=value)
    assert caught.value.field == "probability"
    assert Risk.select().count() == 0


def test_a_risk_that_occurs_becomes_an_issue_linked_back(office: Context) -> None:
    risk = _risk(office)
    issue = risk_occurred(office, risk.id, due="2026-12-01")
    assert (issue.title, issue.severity, issue.__data__["risk"]) == (risk.title, "high", risk.id)
    assert Risk.get_by_id(risk.id).status == "occurred"
    assert IssueLink.get().__data__["risk"] == risk.id
    with pytest.raises(ValidationError, match="occurred already"):
        risk_occurred(office, risk.id)
    assert Issue.select().count() == 1


def test_the_matrix_counts_open_risks_by_impact_and_probability(office: Context) -> None:
    _risk(office, 3, 4)
    _risk(office, 3, 4)
    closed = _risk(office, 5, 5)
    update_risk(office, closed.id, status="closed")
    cells = risk_matrix()
    assert cells[5 - 4][3 - 1] == 2 and sum(map(sum, cells)) == 2


def test_re_baselining_needs_an_approved_change_request_which_the_history_cites(
    office: Context,
) -> None:
    milestone = add_milestone(office, "ERP", "Go-live", "2027-03-01")
    with pytest.raises(ValidationError) as caught:
        update_milestone(
            office, milestone.id, milestone.version, reason="late", baseline="2027-04-01"
        )
    assert caught.value.field == "baseline"
    change = add_change(
        office,
        "Move go-live",
        program="ERP",
        kind="schedule",
        impact_days=31,
        milestone=milestone.id,
    )
    with pytest.raises(ValidationError):  # proposed is not enough
        update_milestone(
            office, milestone.id, milestone.version, reason="late", baseline="2027-04-01"
        )
    decide_change(office, change.id, "approved", approver="ana")
    moved = update_milestone(
        office, milestone.id, milestone.version, reason="vendor late", baseline="2027-04-01"
    )
    assert moved.baseline == date(2027, 4, 1)
    assert history("milestone", milestone.id)[0].note == (
        f"re-baselined under change request #{change.id}: vendor late"
    )
    assert list_changes()[0].status == "implemented"
    # the forecast still moves with a reason alone
    again = get_milestone(milestone.id)
    update_milestone(office, milestone.id, again.version, reason="slip", forecast="2027-04-15")


def test_a_change_request_moves_forward_only(office: Context) -> None:
    change = add_change(office, "Add a module", program="ERP", kind="scope", impact_amount="25,000")
    assert change.impact_amount == Decimal("25000.00")
    rejected = decide_change(office, change.id, "rejected", approver="ana")
    assert (rejected.decided_on, rejected.approver.name) == (TODAY, "Ana Lopez")
    with pytest.raises(ValidationError, match="it can become nothing"):
        decide_change(office, change.id, "approved")


@pytest.mark.parametrize(
    ("direction", "thresholds", "value", "status"),
    [
        ("higher", ("99.9", "99.5", "99.0"), "99.91", "green"),
        ("higher", ("99.9", "99.5", "99.0"), "99.5", "amber"),  # at amber is amber
        ("higher", ("99.9", "99.5", "99.0"), "99.0", "red"),  # at red is red
        ("lower", ("50", "80", "120"), "79", "green"),
        ("lower", ("50", "80", "120"), "80", "amber"),
        ("lower", ("50", "80", "120"), "120", "red"),
    ],
)
def test_metric_status_at_its_thresholds_in_both_directions(
    office: Context, direction: str, thresholds: tuple[str, str, str], value: str, status: str
) -> None:
    target, amber, red = thresholds
    add_metric(office, "M", program="ERP", direction=direction, target=target, amber=amber, red=red)
    record_measurement(office, "M", value)
    assert metrics()[0]["status"] == status


def test_thresholds_in_the_wrong_order_are_refused(office: Context) -> None:
    with pytest.raises(ValidationError, match="red < amber < target"):
        add_metric(office, "M", program=None, direction="higher", target="90", amber="95", red="80")
    assert Metric.select().count() == 0


def test_budget_adds_expenditures_and_costs_and_projects_the_year(office: Context) -> None:
    budget.add_budget_line(
        office, program="ERP", year=2027, kind="capital", name="Build", amount="300000"
    )
    budget.add_budget_line(
        office, program="ERP", year=2027, kind="operating", name="Run", amount="100000"
    )
    contracts.add_vendor(office, "Oakline")
    contracts.add_contract(
        office,
        "C-1",
        vendor="Oakline",
        program="ERP",
        start="2026-07-01",
        end="2027-06-30",
        ceiling="500000",
    )
    add_expenditure(office, "C-1", "120000.10", on="2026-08-01")
    add_expenditure(office, "C-1", "999", on="2026-06-30")  # last fiscal year
    budget.add_cost(office, program="ERP", amount="0.20", on="2026-09-01", description="licence")
    row = budget.budget("ERP", 2027, TODAY)[0]
    # 1 Jul 2026 to 23 Nov 2026 is 145 of 365 days: 120,000.30 projects to 302,070.07
    assert (row["budget"], row["capital"], row["operating"], row["actual"]) == (
        "400000.00", "300000.00", "100000.00", "120000.30",
    )  # fmt: skip
    assert (
        row["estimate_at_completion"]
        == f"{(Decimal('120000.30') * 365 / 145).quantize(Decimal('0.01'))}"
    )
    assert Decimal(row["variance"]) == Decimal("400000.00") - Decimal(row["estimate_at_completion"])
    assert (
        budget.fiscal_year_of(date(2026, 6, 30)) == 2026
        and budget.fiscal_year_of(date(2026, 7, 1)) == 2027
    )


def test_the_commands_keep_the_raid_log(cli: Any, office: Context, engine_name: str) -> None:
    # who acts on the command line: the Unix account on SQLite, the session user the server
    # authenticated on PostgreSQL ("tester", Ana's own account: a change she approves there
    # is hers, so the approver here is someone else on both engines)
    acting = current_account() if engine_name == "sqlite" else "tester"
    add_person(office, "Bo Diaz", email="bo@city.example")
    assert (
        cli(
            "risk",
            "add",
            "Vendor insolvency",
            "--program",
            "ERP",
            "--probability",
            "2",
            "--impact",
            "5",
        ).out
        == "1\n"
    )
    assert cli("risk", "edit", "1", "--probability", "4").out == "risk 1: score 20, open\n"
    listed = json.loads(cli("risk", "list", "--min-score", "15", "--format", "json").out)
    assert [(r["id"], r["score"]) for r in listed] == [(1, 20)]
    matrix = cli("risk", "matrix").out.splitlines()
    assert matrix[2].split() == ["5", ".", ".", ".", "1", "."]
    assert cli("risk", "occurred", "1").out == "risk 1 occurred: issue 1\n"
    assert json.loads(cli("issue", "list", "--format", "json").out)[0]["risk"] == 1
    assert (
        cli("decision", "add", "Go with vendor B", "--program", "ERP", "--by", "ana").out == "1\n"
    )
    assert (
        cli("change", "add", "More testers", "--program", "ERP", "--kind", "resources").out == "1\n"
    )
    assert (
        cli("change", "edit", "1", "--status", "approved", "--approver", "bo").out
        == f"change 1: approved by Bo Diaz (entered by {acting})\n"
    )
    assert cli("metric", "add", "Availability", "--direction", "higher", "--target", "99.9",
               "--amber", "99.5", "--red", "99", "--unit", "%").out == "1\n"  # fmt: skip
    assert cli("metric", "record", "Availability", "99.2").out == "Availability: 99.2 % (amber)\n"
    refused = cli("change", "edit", "1", "--status", "proposed")
    assert refused.status == 2 and refused.err.startswith("docket: status: change 1 is approved")


def test_a_metric_name_two_programs_share_is_refused_with_both_never_guessed(
    office: Context, cli: Any
) -> None:
    add_program(office, "CRM", "CRM rollout")
    for code in ("ERP", "CRM"):
        add_metric(
            office, "User satisfaction", program=code, direction="higher",
            target="4.5", amber="4", red="3.5",
        )  # fmt: skip
    refused = cli("metric", "record", "user satisfaction", "4.3")
    assert refused.status == 2
    assert refused.err == (
        "docket: metric: 'user satisfaction' matches 2 metrics: #2 in CRM, #1 in ERP; "
        "give --program or the metric's id\n"
    )
    assert Measurement.select().count() == 0
    done = cli("metric", "record", "User satisfaction", "4.3", "--program", "ERP")
    assert done.out == "User satisfaction (ERP): 4.3 (green)\n"
    (reading,) = Measurement.select()
    assert reading.metric.program.code == "ERP"


def test_a_second_metric_of_the_same_name_in_a_program_is_refused_in_words(
    office: Context, cli: Any
) -> None:
    args = ("--direction", "higher", "--target", "4.5", "--amber", "4", "--red", "3.5")
    assert cli("metric", "add", "Uptime", "--program", "ERP", *args).status == 0
    again = cli("metric", "add", "uptime", "--program", "ERP", *args)
    assert (again.status, again.out) == (2, "")
    assert again.err == "docket: name: a metric named 'Uptime' already exists in ERP (#1)\n"
    assert cli("metric", "add", "Uptime", *args).status == 0  # portfolio-wide is another
    renamed = cli("metric", "edit", "2", "--name", "UPTIME")  # the portfolio-wide one: fine
    assert renamed.status == 0, renamed.err
    assert cli("metric", "add", "Latency", "--program", "ERP", *args).status == 0
    clash = cli("metric", "edit", "3", "--name", "Uptime")
    assert clash.status == 2 and "already exists in ERP (#1)" in clash.err


# --- parents roll up; edit everything; approvals by the approver -----------------------


@pytest.fixture
def portfolio(office: Context) -> Context:
    """CORE over ERP (the office's) and NET, each with budget, spend and a risk."""
    add_program(office, "CORE", "Enterprise systems")
    add_program(office, "NET", "Network refresh", parent="CORE")
    from docket.models.core.schema import Program
    from docket.models.portfolio.programs import update_program

    erp = Program.get(Program.code == "ERP")
    update_program(office, erp.id, erp.version, parent="CORE")
    for code, kind, amount in (("ERP", "capital", "1000"), ("NET", "operating", "500")):
        budget.add_budget_line(office, program=code, year=2027, kind=kind, name=code, amount=amount)
    budget.add_cost(office, program="NET", amount="200", on="2026-10-01", description="Training")
    for code in ("ERP", "NET"):
        add_risk(office, f"{code} risk", program=code, probability=2, impact=2)
    return office


def test_a_parent_program_takes_in_its_children_in_every_list_and_total(
    portfolio: Context, cli: Any
) -> None:
    from docket.models.portfolio.programs import program_and_children

    assert len(program_and_children("core")) == 3
    assert program_and_children("NET") == [program_and_children("NET")[0]]
    rows = budget.budget("CORE", 2027, TODAY)
    assert [r["program"] for r in rows] == ["CORE", "ERP", "NET"]
    total = budget.budget_total(rows)
    assert (total["program"], total["budget"], total["actual"]) == ("total", "1500.00", "200.00")
    assert {r.title for r in list_risks("CORE")} == {"ERP risk", "NET risk"}
    listed = cli("budget", "list", "--program", "CORE").out.splitlines()
    assert listed[-1].split()[:4] == ["total", "2027", "1500.00", "200.00"]
    assert len(json.loads(cli("risk", "list", "--program", "CORE", "--format", "json").out)) == 2
    assert len(json.loads(cli("cost", "list", "--program", "CORE", "--format", "json").out)) == 1


def test_costs_budget_lines_and_metrics_are_edited(portfolio: Context, cli: Any) -> None:
    made = cli("cost", "add", "350.50", "--program", "ERP", "--date", "2026-11-02")
    ident = made.out.strip()
    assert cli("cost", "edit", ident, "--amount", "300", "--description", "Travel").status == 0
    assert budget.cost_facts(budget.list_costs("ERP")[0])["amount"] == "300.00"
    assert cli("cost", "add", "0", "--program", "ERP").status == 2
    line = budget.list_budget_lines("ERP")[0]
    assert cli("budget", "edit", str(line.id), "--amount", "1200", "--estimate", "1100").status == 0
    assert (
        budget.budget_line_facts(budget.list_budget_lines("ERP")[0])["estimate_at_completion"]
        == "1100.00"
    )
    add_metric(
        portfolio, "Uptime", program="ERP", direction="higher", target="99.9", amber="99.5",
        red="99",
    )  # fmt: skip
    changed = update_metric(portfolio, "Uptime", amber="99.7", red="99.2")
    assert (changed.amber, changed.red) == ("99.7", "99.2")
    with pytest.raises(ValidationError, match=r"got red 99\.2, amber 99\.95, target 99\.9"):
        update_metric(portfolio, "Uptime", amber="99.95")
    flipped = cli(
        "metric", "edit", "Uptime", "--program", "ERP", "--direction", "lower",
        "--target", "1", "--amber", "2", "--red", "3",
    )  # fmt: skip
    assert flipped.out == "Uptime (ERP): lower is better; target 1, amber 2, red 3\n"


def test_a_decision_or_approval_for_someone_else_says_who_entered_it(office: Context) -> None:
    add_person(office, "Bo Chen", email="bo@city.example")
    own = add_decision(office, "Keep scope", program="ERP", decided_by="ana")
    theirs = add_decision(office, "Cut scope", program="ERP", decided_by="bo")
    assert (own.entered_by, theirs.entered_by) == ("", "tester")
    facts = decision_facts(theirs)
    assert on_behalf(facts["decided_by"], facts["entered_by"]) == ("Bo Chen (entered by tester)")
    edited = update_decision(office, theirs.id, decided_by="ana", title="Cut less")
    assert (edited.entered_by, edited.title) == ("", "Cut less")
    with pytest.raises(ValidationError, match="is in the future"):
        add_decision(office, "Later", program="ERP", decided_on="2026-12-01")
    with pytest.raises(ValidationError, match="is in the future"):
        update_decision(office, own.id, decided_on="tomorrow")
    first = add_change(office, "More forms", program="ERP", kind="scope")
    second = add_change(office, "Fewer forms", program="ERP", kind="scope")
    mine = decide_change(office, first.id, "approved")
    for_bo = decide_change(office, second.id, "rejected", approver="bo")
    assert (mine.approver.name, mine.entered_by) == ("Ana Lopez", "")
    assert (for_bo.approver.name, for_bo.entered_by) == ("Bo Chen", "tester")
    fields = [f for c in history("change_request", second.id) for f in c.fields]
    assert ("entered_by", "", "tester") in fields


def test_minutes_and_decisions_of_an_occurrence_not_yet_started_are_refused(
    office: Context,
) -> None:
    from docket.models.meetings.minutes import add_decision_from_minutes, save_minutes
    from docket.models.meetings.series import add_meeting

    later = add_meeting(office, "Steering", start="2026-11-23 10:00", timezone="America/Chicago",
                        program="ERP")  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        add_decision_from_minutes(office, later.id, "", "Go live")
    assert str(caught.value) == (
        "occurrence: a decision for 'Steering' on 2026-11-23 10:00 America/Chicago: that "
        "occurrence has not started yet; record them once it has"
    )
    with pytest.raises(ValidationError, match=r"^occurrence: minutes for 'Steering'"):
        save_minutes(office, later.id, "", notes="Agreed")
    started = add_meeting(office, "Standup", start="2026-11-23 09:00", timezone="America/Chicago",
                          program="ERP")  # fmt: skip
    assert save_minutes(office, started.id, "", notes="Agreed").notes == "Agreed"
    assert add_decision_from_minutes(office, started.id, "", "Go").decided_on == TODAY


def test_a_decision_affects_only_records_that_exist(office: Context, cli: Any) -> None:
    for typed, message in (
        ("milestone:99", "docket: affects: no milestone with id 99\n"),
        ("milestone:99999999999999999999", "docket: affects: expected at most"),
        ("planet:1", "docket: affects: expected one of"),
    ):
        refused = cli("decision", "add", "Go", "--program", "ERP", "--affects", typed)
        assert refused.status == 2 and refused.err.startswith(message.rstrip("\n")), refused.err
    assert Decision.select().count() == 0
