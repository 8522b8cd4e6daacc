"""Proposals from intake to a decision: fields and refusals, the way through the statuses,
the business case by fiscal year, people needed by role and month, dependencies (loops
refused), decisions recorded as RAID decisions citing their analysis, and an approved
proposal turned into a program with its budget lines and a milestone per fiscal year (and no
assignments); and the commands."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from docket.models.accounts.identity import current_account
from docket.models.core.context import Context
from docket.models.core.errors import NotFoundError, ValidationError
from docket.models.core.schema import Assignment, BudgetLine, Decision, Milestone, Program
from docket.models.core.schema_selection import Proposal, ProposalNeed, ProposalYear
from docket.models.people.persons import add_person
from docket.models.portfolio import funding, needs, proposals
from docket.models.portfolio.criteria import add_criterion
from docket.models.portfolio.programs import add_program
from docket.models.portfolio.scoring import score_proposal

pytestmark = pytest.mark.both_engines


@pytest.fixture
def office(db_path: Path, ctx: Context) -> Context:
    add_program(ctx, "ERP", "ERP replacement")
    add_person(ctx, "Ana Lopez", email="ana@city.example")
    return ctx


def _in_review(ctx: Context, code: str = "P-1", **fields: Any) -> Proposal:
    proposals.add_proposal(ctx, code, "Permits portal", program="ERP", **fields)
    proposals.move(ctx, code, "submitted")
    return proposals.move(ctx, code, "in review", "on the agenda")


def test_a_proposal_is_added_in_draft_with_its_sponsor(office: Context) -> None:
    made = proposals.add_proposal(
        office, "p-2027-01", "Permits portal", sponsor="ana", program="ERP", mandatory=True,
        problem="Paper forms", objectives="Online permits", risks="Vendor lock-in",
    )  # fmt: skip
    assert (made.code, made.status, made.mandatory) == ("P-2027-01", "draft", True)
    facts = proposals.proposal_facts(Proposal.get_by_id(made.id), Decimal("0.03"))
    assert (facts["sponsor"], facts["program"]) == ("Ana Lopez", "ERP")


@pytest.mark.parametrize(
    ("code", "fields", "field"),
    [
        ("P 1", {}, "code"),
        ("P-1", {"mandatory": "perhaps"}, "mandatory"),
        ("P-1", {"colour": "red"}, "colour"),
    ],
)
def test_bad_fields_are_refused_by_name(
    office: Context, code: str, fields: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        proposals.add_proposal(office, code, "Portal", **fields)
    assert refused.value.field == field


def test_a_code_is_used_once_and_an_unknown_one_is_not_found(office: Context) -> None:
    proposals.add_proposal(office, "P-1", "Portal")
    with pytest.raises(ValidationError, match="already exists"):
        proposals.add_proposal(office, "p-1", "Again")
    with pytest.raises(NotFoundError, match="known: P-1"):
        proposals.get_proposal("P-9")


def test_a_sponsor_matching_several_people_is_refused_with_them(office: Context) -> None:
    add_person(office, "Ana Park", email="park@city.example")
    with pytest.raises(ValidationError) as refused:
        proposals.add_proposal(office, "P-1", "Portal", sponsor="ana")
    assert refused.value.field == "sponsor"
    assert "Ana Lopez" in str(refused.value) and "Ana Park" in str(refused.value)


def test_the_way_through_the_statuses(office: Context) -> None:
    proposals.add_proposal(office, "P-1", "Portal", program="ERP")
    with pytest.raises(ValidationError, match="draft; it can go to: submitted; not in review"):
        proposals.move(office, "P-1", "in review")
    proposals.move(office, "P-1", "submitted", "ready")
    assert proposals.move(office, "P-1", "draft", "needs costs").status == "draft"
    proposals.move(office, "P-1", "submitted")
    proposals.move(office, "P-1", "in review")
    with pytest.raises(ValidationError, match="decision: use decide"):
        proposals.move(office, "P-1", "approved")
    funding.decide(office, "P-1", "deferred", "No budget this year")
    # a deferred proposal comes back next cycle
    assert proposals.move(office, "P-1", "submitted").status == "submitted"


def test_a_decision_needs_a_reason_and_a_review(office: Context) -> None:
    proposals.add_proposal(office, "P-1", "Portal", program="ERP")
    with pytest.raises(ValidationError) as refused:
        funding.decide(office, "P-1", "approved", "Good")
    assert refused.value.field == "status"
    _in_review(office, "P-2")
    with pytest.raises(ValidationError) as refused:
        funding.decide(office, "P-2", "approved", "  ")
    assert refused.value.field == "reason"
    with pytest.raises(ValidationError) as refused:
        funding.decide(office, "P-2", "maybe", "Good")
    assert refused.value.field == "decision"


def test_a_decision_is_recorded_in_the_program_citing_the_ranking(office: Context) -> None:
    add_criterion(office, "Impact", weight="1")
    _in_review(office, "P-1")
    _in_review(office, "P-2")
    score_proposal(office, "P-1", "impact", 8)
    score_proposal(office, "P-2", "impact", 6)
    decided = funding.decide(office, "P-2", "rejected", "Duplicates P-1")
    decision = Decision.get_by_id(decided.__data__["decision"])
    assert decision.program.code == "ERP"
    assert decision.title == "Proposal P-2 rejected: Permits portal"
    assert decision.rationale.startswith("Duplicates P-1\n\nAnalysis used: ranking by value at ")
    assert "P-2 ranks 2 of 2, value 6.0000, spread 0.00" in decision.rationale
    assert "leaders: 1. P-1 8.0000; 2. P-2 6.0000" in decision.rationale
    assert (decided.status, decided.reason) == ("rejected", "Duplicates P-1")


def test_a_decision_cites_the_analysis_it_is_given(office: Context) -> None:
    _in_review(office)
    line = "selection FY2027 budget 2,000,000: 12 of 25 chosen, value 81.2"
    decided = funding.decide(office, "P-1", "approved", "In the selection", analysis=line)
    rationale = Decision.get_by_id(decided.__data__["decision"]).rationale
    assert rationale == f"In the selection\n\nAnalysis used: {line}"


def test_a_decision_without_a_program_is_refused(office: Context) -> None:
    proposals.add_proposal(office, "P-1", "Portal")
    proposals.move(office, "P-1", "submitted")
    proposals.move(office, "P-1", "in review")
    with pytest.raises(ValidationError) as refused:
        funding.decide(office, "P-1", "approved", "Good")
    assert refused.value.field == "program"
    assert Decision.select().count() == 0


def test_a_decided_proposal_and_its_case_are_not_edited(office: Context) -> None:
    _in_review(office)
    funding.decide(office, "P-1", "approved", "Good")
    with pytest.raises(ValidationError, match="decided proposal is not edited"):
        proposals.update_proposal(office, "P-1", title="Other")
    with pytest.raises(ValidationError, match="the one decided on"):
        proposals.set_year(office, "P-1", 2027, capital="5")


def test_the_case_by_fiscal_year_keeps_what_is_left_out(office: Context) -> None:
    proposals.add_proposal(office, "P-1", "Portal")
    proposals.set_year(office, "P-1", "2027", capital="1,000", operating="200")
    row = proposals.set_year(office, "P-1", 2027, savings="50")
    assert (row.capital, row.operating, row.hard_savings) == (
        Decimal("1000.00"), Decimal("200.00"), Decimal("50.00"),
    )  # fmt: skip
    assert ProposalYear.select().count() == 1
    for amounts, field in (({"capital": "-1"}, "capital"), ({"savings": "lots"}, "savings")):
        with pytest.raises(ValidationError) as refused:
            proposals.set_year(office, "P-1", 2027, **amounts)
        assert refused.value.field == field
    with pytest.raises(ValidationError) as refused:
        proposals.set_year(office, "P-1", 1999, capital="1")
    assert refused.value.field == "fiscal year"
    proposals.remove_year(office, "P-1", 2027)
    assert ProposalYear.select().count() == 0


def test_people_needed_by_role_and_month(office: Context) -> None:
    proposals.add_proposal(office, "P-1", "Portal")
    assert needs.set_need(office, "P-1", "Analyst", "2026-11..2027-02", "1.5", new_role=True) == (
        "Analyst",
        4,
    )
    assert [(n["month"], n["people"]) for n in needs.proposal_needs(1)] == [
        ("2026-11", "1.5"), ("2026-12", "1.5"), ("2027-01", "1.5"), ("2027-02", "1.5"),
    ]  # fmt: skip
    needs.set_need(office, "P-1", "ANALYST", "2027-01", "2")  # spelled as first spelled
    needs.set_need(office, "P-1", "analyst", "2026-11..2026-12", "0")  # taken away
    got = [(n["role"], n["month"], n["people"]) for n in needs.proposal_needs(1)]
    assert got == [("Analyst", "2027-01", "2"), ("Analyst", "2027-02", "1.5")]
    assert ProposalNeed.get(ProposalNeed.people == "2").month == date(2027, 1, 1)


@pytest.mark.parametrize(
    ("month", "people", "field"),
    [
        ("2027-13", "1", "month"),
        ("March", "1", "month"),
        ("2027-05..2027-03", "1", "month"),
        ("2027-01..2037-02", "1", "month"),
        ("2027-03", "-1", "people"),
        ("2027-03", "1.555", "people"),
        ("2027-03", "many", "people"),
    ],
)
def test_bad_needs_are_refused_by_name(
    office: Context, month: str, people: str, field: str
) -> None:
    proposals.add_proposal(office, "P-1", "Portal")
    with pytest.raises(ValidationError) as refused:
        needs.set_need(office, "P-1", "analyst", month, people)
    assert refused.value.field == field


def test_dependencies_refuse_loops(office: Context) -> None:
    for code in ("A1", "B1", "C1"):
        proposals.add_proposal(office, code, f"Proposal {code}")
    needs.add_dependency(office, "B1", "A1")
    needs.add_dependency(office, "C1", "B1")
    with pytest.raises(ValidationError, match="a loop: A1 -> C1 -> B1 -> A1"):
        needs.add_dependency(office, "A1", "C1")
    with pytest.raises(ValidationError, match="itself"):
        needs.add_dependency(office, "A1", "a1")
    with pytest.raises(ValidationError, match="already"):
        needs.add_dependency(office, "B1", "A1")
    needs.remove_dependency(office, "C1", "B1")
    needs.add_dependency(office, "A1", "C1")  # no loop now
    detail = needs.proposal_detail("A1", Decimal("0.03"))
    assert (detail["depends_on"], detail["needed_by"]) == (["C1"], ["B1"])


def test_an_approved_proposal_becomes_a_program_with_budget_lines(office: Context) -> None:
    proposals.add_proposal(
        office, "P-1", "Permits portal", program="ERP", sponsor="ana", objectives="Online"
    )
    proposals.set_year(office, "P-1", 2027, capital="1000", operating="100")
    proposals.set_year(office, "P-1", 2028, operating="300", savings="900")
    proposals.move(office, "P-1", "submitted")
    with pytest.raises(ValidationError, match="only an approved proposal"):
        funding.to_program(office, "P-1", "PERMIT")
    proposals.move(office, "P-1", "in review")
    funding.decide(office, "P-1", "approved", "Good")
    program, lines = funding.to_program(office, "P-1", "PERMIT")
    assert lines == 3
    parent, owner = program.parent, program.owner
    assert parent is not None and owner is not None
    assert (program.name, parent.code, owner.name, program.objective) == (
        "Permits portal", "ERP", "Ana Lopez", "Online",
    )  # fmt: skip
    drafted = {
        (b.fiscal_year, b.kind, b.name, b.amount)
        for b in BudgetLine.select().where(BudgetLine.program == program)
    }
    assert drafted == {
        (2027, "capital", "Capital (proposal P-1)", Decimal("1000.00")),
        (2027, "operating", "Operating (proposal P-1)", Decimal("100.00")),
        (2028, "operating", "Operating (proposal P-1)", Decimal("300.00")),
    }
    became = Proposal.get().became
    assert became is not None and became.code == "PERMIT"
    with pytest.raises(ValidationError, match="became program PERMIT already"):
        funding.to_program(office, "P-1", "PERMIT2")
    assert Program.select().count() == 2


def test_a_program_from_a_proposal_gets_a_milestone_per_fiscal_year_and_no_assignment(
    office: Context,
) -> None:
    """FY2027 began 1 July 2026, before today (23 November 2026): its milestone is today;
    FY2029 is the first year with hard benefits; FY2028 was left out of the case."""
    proposals.add_proposal(office, "P-1", "Permits portal", program="ERP", sponsor="ana")
    proposals.set_year(office, "P-1", 2027, capital="1000")
    proposals.set_year(office, "P-1", 2029, operating="100", avoidance="50")
    proposals.set_year(office, "P-1", 2030, savings="900")
    needs.set_need(office, "P-1", "analyst", "2027-03", "2", new_role=True)
    proposals.move(office, "P-1", "submitted")
    proposals.move(office, "P-1", "in review")
    funding.decide(office, "P-1", "approved", "Good")
    drafted = funding.draft_program(office, "P-1", "PERMIT")
    assert drafted.budget_lines == 2
    made = [
        (m.title, m.baseline, m.forecast, m.owner.name if m.owner else None)
        for m in Milestone.select()
        .where(Milestone.program == drafted.program)
        .order_by(Milestone.baseline)
    ]
    assert made == [
        ("Permits portal: FY2027 begins", date(2026, 11, 23), date(2026, 11, 23), "Ana Lopez"),
        ("Permits portal: FY2029 benefits start", date(2028, 7, 1), date(2028, 7, 1),
         "Ana Lopez"),
        ("Permits portal: FY2030 begins", date(2029, 7, 1), date(2029, 7, 1), "Ana Lopez"),
    ]  # fmt: skip
    fy2029 = drafted.milestones[1]
    assert fy2029.deliverable == (
        "FY2029 as planned in proposal P-1's business case: capital 0.00, operating 100.00; "
        "hard savings 0.00, cost avoidance 50.00"
    )
    assert fy2029.acceptance_criteria == (
        "Spending within the FY2029 budget lines drafted from proposal P-1; the year's "
        "savings and cost avoidance measured against the case"
    )
    assert drafted.milestones[0].acceptance_criteria.endswith("from proposal P-1")
    # the people needed are roles, not people: no assignment is drafted
    assert Assignment.select().count() == 0
    assert "roles, not people" in funding.NO_ASSIGNMENTS


def test_a_long_title_is_cut_to_fit_the_milestones(office: Context) -> None:
    proposals.add_proposal(office, "P-1", "x" * 200, program="ERP")
    proposals.set_year(office, "P-1", 2028, savings="1")
    proposals.move(office, "P-1", "submitted")
    proposals.move(office, "P-1", "in review")
    funding.decide(office, "P-1", "approved", "Good")
    (milestone,) = funding.draft_program(office, "P-1", "PERMIT").milestones
    assert len(milestone.title) == 200
    assert milestone.title.endswith("x: FY2028 benefits start")


# --- the commands ----------------------------------------------------------------------


def _cli_office(cli: Any) -> None:
    assert cli("program", "add", "ERP", "ERP replacement").status == 0
    assert cli("proposal", "add", "P-1", "Permits portal", "--program", "ERP").status == 0
    for args in (
        ("2027", "--capital", "1000"), ("2028", "--savings", "600"), ("2029", "--savings", "600"),
    ):  # fmt: skip
        assert cli("proposal", "year", "P-1", *args).status == 0


def test_show_prints_the_formula_and_the_table(cli: Any) -> None:
    """At the default 3 %: -1000; 600 / 1.03 = 582.52; 600 / 1.0609 = 565.56; NPV 148.08."""
    _cli_office(cli)
    shown = cli("proposal", "show", "P-1")
    assert shown.status == 0, shown.err
    lines = shown.out.splitlines()
    assert "r = 0.03" in lines
    assert "  t = fiscal year - first fiscal year;  factor = 1 / (1 + r)^t, to 10 places" in lines
    assert any(line.split() == ["FY2028", "1", "0.00", "600.00", "600.00", "0.9708737864",
                                "0.00", "582.52", "582.52", "-400.00", "-417.48"]
               for line in lines)  # fmt: skip
    assert any(line.startswith("each PV = the amount x factor, rounded half-up") for line in lines)
    assert "NPV: 148.08" in lines
    assert "payback: 2.67 years" in lines
    assert "ROI: 20.0 %" in lines
    assert "discount rate: 3 %" in lines


def test_show_as_json_and_the_config_rate(cli: Any, tmp_path: Path) -> None:
    _cli_office(cli)
    data = json.loads(cli("proposal", "show", "P-1", "--format", "json").out)
    assert data["case"]["npv"] == "148.08"
    assert data["case"]["years"][1]["factor"] == "0.9708737864"
    config = Path(tmp_path / "home" / "docket.toml")
    config.write_text('timezone = "America/Chicago"\ndiscount_rate = 0.10\n')
    data = json.loads(cli("proposal", "show", "P-1", "--format", "json").out)
    assert (data["case"]["rate"], data["case"]["npv"]) == ("0.1", "41.32")


def test_list_the_way_through_and_a_decision_from_the_command_line(cli: Any) -> None:
    _cli_office(cli)
    listed = json.loads(cli("proposal", "list", "--format", "json").out)
    assert [(p["code"], p["costs"], p["npv"]) for p in listed] == [("P-1", "1000.00", "148.08")]
    assert cli("proposal", "submit", "P-1").out == "proposal P-1: submitted\n"
    assert cli("proposal", "review", "P-1").status == 0
    decided = cli("proposal", "decide", "P-1", "approved", "--reason", "Best value")
    assert decided.out == "proposal P-1: approved (decision 1)\n"
    made = cli("proposal", "to-program", "P-1", "PERMIT")
    assert made.out.splitlines() == [
        "program PERMIT made from proposal P-1 with 1 budget line(s) and 3 milestone(s)",
        "  milestone #1 2026-11-23  Permits portal: FY2027 begins",
        "  milestone #2 2027-07-01  Permits portal: FY2028 benefits start",
        "  milestone #3 2028-07-01  Permits portal: FY2029 begins",
        "no assignments drafted: the business case names roles, not people; assign people "
        "with 'docket assignment add'",
    ]


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("proposal", "add", "P 1", "Portal"), "code"),
        (("proposal", "year", "P-1", "2027", "--capital", "-5"), "capital"),
        (("proposal", "need", "P-1", "analyst", "2027-3x", "1"), "month"),
        (("proposal", "decide", "P-1", "approved", "--reason", "ok"), "status"),
        (("proposal", "depends", "P-1", "--on", "P-1"), "on"),
        (("proposal", "edit", "P-1", "--mandatory", "perhaps"), "mandatory"),
        (("proposal", "edit", "P-1"), "edit"),
    ],
)
def test_refusals_name_the_field_with_exit_2(cli: Any, args: tuple[str, ...], field: str) -> None:
    _cli_office(cli)
    refused = cli(*args)
    assert refused.status == 2
    assert refused.err.startswith(f"docket: {field}: ")


def test_needs_and_dependencies_from_the_command_line(cli: Any) -> None:
    _cli_office(cli)
    assert cli("proposal", "add", "P-2", "Warehouse").status == 0
    made = cli("proposal", "need", "P-1", "analyst", "2027-03..2027-05", "1.5", "--new-role")
    assert made.out == "proposal P-1: analyst 1.5 in 3 month(s)\n"
    assert cli("proposal", "depends", "P-2", "--on", "P-1").out == "proposal P-2 depends on P-1\n"
    loop = cli("proposal", "depends", "P-1", "--on", "P-2")
    assert (loop.status, loop.err) == (2, "docket: on: that would make a loop: P-1 -> P-2 -> P-1\n")
    shown = cli("proposal", "show", "P-1").out
    assert "needed by: P-2" in shown
    assert "analyst  2027-03..2027-05  1.5" in shown


def test_needs_read_as_runs_of_months() -> None:
    """Consecutive months with the same people are one run, across a year's end."""
    rows: list[needs.NeedFacts] = [
        {"role": "analyst", "month": m, "people": p}
        for m, p in (("2026-11", "1"), ("2026-12", "1"), ("2027-01", "1"), ("2027-02", "2"),
                     ("2027-04", "2"))
    ]  # fmt: skip
    rows.append({"role": "tester", "month": "2027-05", "people": "2"})
    assert [(r["role"], r["months"], r["people"]) for r in needs.need_runs(rows)] == [
        ("analyst", "2026-11..2027-01", "1"), ("analyst", "2027-02", "2"),
        ("analyst", "2027-04", "2"), ("tester", "2027-05", "2"),
    ]  # fmt: skip


def test_a_decision_is_by_the_acting_person_unless_by_someone_else(office: Context) -> None:
    mine = add_person(office, "Pat Acting", email="pat@city.example", account=office.actor)
    _in_review(office, "P-1")
    _in_review(office, "P-2")
    own = Decision.get_by_id(funding.decide(office, "P-1", "approved", "Good").__data__["decision"])
    assert (own.__data__["decided_by"], own.entered_by) == (mine.id, "")
    other = funding.decide(office, "P-2", "deferred", "Later", by="Ana Lopez")
    theirs = Decision.get_by_id(other.__data__["decision"])
    assert (theirs.decided_by.name, theirs.entered_by) == ("Ana Lopez", office.actor)


def test_a_decided_proposal_keeps_its_dependencies(office: Context) -> None:
    _in_review(office, "P-1")
    proposals.add_proposal(office, "P-2", "Other")
    needs.add_dependency(office, "P-1", "P-2")
    funding.decide(office, "P-1", "approved", "Good")
    for change in (needs.add_dependency, needs.remove_dependency):
        with pytest.raises(ValidationError, match="P-1 is approved; its case is the one decided"):
            change(office, "P-1", "P-2")


def test_a_role_nobody_uses_yet_needs_new_role(office: Context) -> None:
    proposals.add_proposal(office, "P-1", "Portal")
    for role in ("Developer", "Tester", "Trainer"):
        needs.set_need(office, "P-1", role, "2027-01", "1", new_role=True)
    with pytest.raises(ValidationError) as refused:
        needs.set_need(office, "P-1", "Developr", "2027-02", "1")
    assert refused.value.field == "role"
    assert "(known roles: Developer, Tester, Trainer)" in str(refused.value)
    assert "--new-role" in str(refused.value)
    assert needs.set_need(office, "P-1", "developer", "2027-02", "1") == ("Developer", 1)


def test_a_refused_move_lists_the_statuses(office: Context) -> None:
    proposals.add_proposal(office, "P-1", "Portal", program="ERP")
    proposals.move(office, "P-1", "submitted")
    with pytest.raises(ValidationError) as refused:
        funding.decide(office, "P-1", "approved", "Good")
    assert str(refused.value).endswith(
        "proposal P-1 is submitted; it can go to: in review or draft; not approved"
    )
    proposals.move(office, "P-1", "in review")
    funding.decide(office, "P-1", "rejected", "No")
    with pytest.raises(ValidationError, match="P-1 is rejected, which is final; it cannot go to"):
        proposals.move(office, "P-1", "submitted")


def test_decide_by_someone_else_from_the_command_line(cli: Any) -> None:
    _cli_office(cli)
    assert cli("person", "add", "Ana Lopez").status == 0
    for status in ("submit", "review"):
        assert cli("proposal", status, "P-1").status == 0
    said = cli("proposal", "decide", "P-1", "approved", "--reason", "Good", "--by", "Ana Lopez")
    assert said.status == 0, said.err
    listed = json.loads(cli("decision", "list", "--format", "json").out)
    assert (listed[0]["decided_by"], listed[0]["entered_by"]) == ("Ana Lopez", current_account())


def test_the_list_fits_80_columns_with_room_for_the_title(
    cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    _cli_office(cli)
    assert cli("person", "add", "Ana Lopez").status == 0
    assert cli("proposal", "edit", "P-1", "--sponsor", "Ana Lopez").status == 0
    lines = cli("proposal", "list").out.splitlines()
    assert lines[0].split() == ["code", "title", "status", "program", "must", "costs", "npv"]
    assert lines[1].split() == ["P-1", "Permits", "portal", "draft", "ERP", "1000.00", "148.08"]
    assert max(len(line) for line in lines) <= 80
    row = json.loads(cli("proposal", "list", "--format", "json").out)[0]
    assert (row["benefits"], row["sponsor"]) == ("1200.00", "Ana Lopez")
