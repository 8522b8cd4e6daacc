"""Portfolio selection: the exact optimum checked by brute force over every subset,
dependencies and mandatory items honoured, a mandate that alone breaks a limit refused in
words; the robustness of a hand-computed case; the frontier; and the commands."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pg_demo import demo_on_both, pytest_generate_tests  # noqa: F401 (fixture, hook: both engines)

from docket.exports.tabular.chart import frontier_chart
from docket.models.core import records
from docket.models.core.context import Context
from docket.models.core.database import write
from docket.models.core.errors import ValidationError
from docket.models.core.schema import BudgetLine
from docket.models.core.schema_selection import (
    Criterion,
    Proposal,
    ProposalDependency,
    ProposalNeed,
    ProposalScore,
    ProposalYear,
)
from docket.models.portfolio.candidates import DEFAULT_STATUSES, parse_budget, parse_people
from docket.models.portfolio.frontier import frontier
from docket.models.portfolio.programs import add_program
from docket.models.portfolio.robustness import robustness
from docket.models.portfolio.selection import Candidate, Problem, select

pytestmark = pytest.mark.both_engines

YEARS = (2027, 2028, 2029)
ROLE_MONTHS = (
    ("analyst", date(2027, 1, 1)),
    ("analyst", date(2027, 2, 1)),
    ("dev", date(2027, 1, 1)),
)
D = Decimal


# --- the optimum, by brute force ----------------------------------------------------------


def _fits(
    chosen: Sequence[Candidate],
    budget: dict[int, Decimal],
    capacity: dict[tuple[str, date], Decimal] | None,
) -> bool:
    codes = {c.code for c in chosen}
    if any(not c.needs <= codes for c in chosen):
        return False
    for year, limit in budget.items():
        if sum((c.costs.get(year, D(0)) for c in chosen), D(0)) > limit:
            return False
    for key, limit in (capacity or {}).items():
        if sum((c.people.get(key, D(0)) for c in chosen), D(0)) > limit:
            return False
    return True


def _best(
    candidates: Sequence[Candidate],
    budget: dict[int, Decimal],
    capacity: dict[tuple[str, date], Decimal] | None,
) -> Decimal | None:
    """The greatest value of any subset that fits (None: no subset with the mandates fits)."""
    best: Decimal | None = None
    for n in range(len(candidates) + 1):
        for subset in itertools.combinations(candidates, n):
            if not all(c in subset for c in candidates if c.mandatory):
                continue
            if _fits(subset, budget, capacity):
                value = sum((c.value for c in subset), D(0))
                best = value if best is None else max(best, value)
    return best


@st.composite
def portfolios(draw: Callable[..., Any]) -> tuple[list[Candidate], dict[int, Decimal], Any]:
    n = draw(st.integers(0, 12))
    candidates = []
    for i in range(n):
        costs = {y: D(draw(st.integers(0, 50))) * 1000 for y in YEARS if draw(st.booleans())}
        people = {
            k: D(draw(st.sampled_from(["0.5", "1", "2"])))
            for k in ROLE_MONTHS
            if draw(st.booleans())
        }
        needs = frozenset(
            f"P{j}" for j in draw(st.sets(st.integers(0, max(0, i - 1)), max_size=2)) if j < i
        )
        candidates.append(
            Candidate(
                code=f"P{i}",
                value=D(draw(st.integers(0, 100))) / 10,
                costs=costs,
                people=people,
                needs=needs,
                mandatory=draw(st.integers(0, 9)) == 0,
            )
        )
    budget = {y: D(draw(st.integers(0, 150))) * 1000 for y in YEARS if draw(st.booleans())}
    capacity = (
        {k: D(draw(st.sampled_from(["0", "1", "1.5", "3"]))) for k in ROLE_MONTHS}
        if draw(st.booleans())
        else None
    )
    return candidates, budget, capacity


@given(portfolios())
def test_the_selection_is_the_optimum_of_every_subset(case: Any) -> None:
    candidates, budget, capacity = case
    best = _best(candidates, budget, capacity)
    if best is None:  # the mandates alone break a limit
        with pytest.raises(ValidationError, match="mandatory"):
            select(candidates, budget, capacity)
        return
    chosen = select(candidates, budget, capacity)
    assert chosen.optimal and chosen.status == "optimal"
    assert chosen.value == best
    picked = [c for c in candidates if c.code in chosen.chosen]
    assert _fits(picked, budget, capacity)
    assert all(c.code in chosen.chosen for c in candidates if c.mandatory)


def test_dependencies_and_mandates_are_honoured() -> None:
    candidates = [
        Candidate("A", D(9), {2027: D(100)}, needs=frozenset({"B"})),
        Candidate("B", D(1), {2027: D(100)}),
        Candidate("C", D(5), {2027: D(100)}),
        Candidate("M", D(0), {2027: D(50)}, mandatory=True),
        Candidate("X", D(10), {2027: D(1)}, needs=frozenset({"GONE"})),
    ]
    found = select(candidates, {2027: D(250)})
    # A needs B: A+B (10) beats C alone (5) with the mandate's 50 taking room
    assert set(found.chosen) == {"A", "B", "M"}
    assert found.value == D(10)
    assert found.blocked == {"X": "needs GONE, not a candidate"}
    assert [(s.year, s.spend, s.budget) for s in found.spend] == [(2027, D(250), D(250))]
    assert found.solver == "HiGHS (scipy.optimize.milp)"


def test_mandatory_items_over_a_limit_are_refused_in_words() -> None:
    candidates = [
        Candidate("M1", D(1), {2027: D(600)}, {("dev", date(2027, 1, 1)): D(2)}, mandatory=True),
        Candidate("M2", D(1), {2027: D(500)}, needs=frozenset({"N"}), mandatory=True),
        Candidate("N", D(1), {2028: D(10)}),
    ]
    with pytest.raises(ValidationError) as refused:
        select(candidates, {2027: D(1000), 2028: D(5)}, {("dev", date(2027, 1, 1)): D(1)})
    said = str(refused.value)
    assert "FY2027 costs 1,100.00 against a budget of 1,000.00" in said
    assert "FY2028 costs 10.00 against a budget of 5.00" in said
    assert "dev in 2027-01 needs 2 people of 1" in said
    with pytest.raises(ValidationError, match=r"cannot be chosen: M \(needs GONE"):
        select([Candidate("M", D(1), needs=frozenset({"GONE"}), mandatory=True)], {})


def test_limits_are_kept_exactly_in_decimal_places() -> None:
    # 0.1 + 0.2 people fit a capacity of 0.3 exactly (in floats they would not)
    candidates = [
        Candidate("A", D(1), people={("dev", date(2027, 1, 1)): D("0.1")}),
        Candidate("B", D(1), people={("dev", date(2027, 1, 1)): D("0.2")}),
    ]
    found = select(candidates, {}, {("dev", date(2027, 1, 1)): D("0.3")})
    assert found.chosen == ("A", "B")
    assert found.people[0].used == D("0.3")


# --- robustness ----------------------------------------------------------------------------


def test_robustness_finds_where_the_weights_change_the_selection() -> None:
    # two criteria at 0.5 each; the budget buys one proposal. P1 is worth 10a, P2 8b:
    # P1 (5) beats P2 (4) until b's weight passes 10/18, or a's falls below 8/18.
    means = [{"a": D(10), "b": D(0)}, {"a": D(0), "b": D(8)}, {"a": D(1), "b": D(1)}]
    weights = {"a": D("0.5"), "b": D("0.5")}
    values = [D(5), D(4), D(1)]
    candidates = [Candidate(f"P{i + 1}", v, {2027: D(100)}) for i, v in enumerate(values)]
    problem = Problem(candidates, {2027: D(100)})
    chosen, _, _ = problem.solve()
    assert [problem.codes[i] for i in chosen] == ["P1"]
    found = robustness(problem, chosen, means, weights, time_budget=60)
    a, b = found.shifts
    assert (a.criterion, a.down, a.up) == ("a", D("0.4444"), None)
    assert (b.criterion, b.down, b.up) == ("b", None, D("0.5556"))
    assert (b.enters, b.leaves) == (("P2",), ("P1",))
    assert found.smallest is not None and found.smallest.change == D("0.0556")
    assert found.always_in == ()
    assert found.on_the_line == ("P1", "P2")
    assert found.never_in == ("P3",)
    assert found.proven and found.complete


def test_a_change_beyond_the_span_is_found_but_does_not_classify() -> None:
    # P1 is worth 10b, P2 5a: they cross at a = 2/3, b = 1/3, beyond a's 0.2 x 1.5 and
    # b's 0.8 x 0.5
    means = [{"a": D(0), "b": D(10)}, {"a": D(5), "b": D(0)}]
    candidates = [Candidate("P1", D(8), {2027: D(1)}), Candidate("P2", D(1), {2027: D(1)})]
    problem = Problem(candidates, {2027: D(1)})
    chosen, _, _ = problem.solve()
    found = robustness(problem, chosen, means, {"a": D("0.2"), "b": D("0.8")}, time_budget=60)
    a, b = found.shifts
    assert (a.down, a.up, b.down, b.up) == (None, D("0.6667"), D("0.3333"), None)
    assert (a.enters, a.leaves) == (("P2",), ("P1",))
    assert (found.always_in, found.never_in, found.on_the_line) == (("P1",), ("P2",), ())


def test_a_selection_no_weight_can_change_is_said() -> None:
    means = [{"a": D(9), "b": D(9)}, {"a": D(1), "b": D(1)}]
    candidates = [Candidate("P1", D(9), {2027: D(1)}), Candidate("P2", D(1), {2027: D(1)})]
    problem = Problem(candidates, {2027: D(1)})
    chosen, _, _ = problem.solve()
    found = robustness(problem, chosen, means, {"a": D("0.3"), "b": D("0.7")}, time_budget=60)
    assert found.smallest is None
    assert (found.always_in, found.never_in, found.on_the_line) == (("P1",), ("P2",), ())


def _two_sets_case() -> tuple[Problem, list[int], list[dict[str, Decimal]], dict[str, Decimal]]:
    """Three proposals, one affordable at a time: P1 worth 6a + 2b, P2 worth 1a + 7b."""
    means = [{"a": D(6), "b": D(2)}, {"a": D(1), "b": D(7)}, {"a": D(0), "b": D(0)}]
    weights = {"a": D("0.6"), "b": D("0.4")}
    values = [D("4.4"), D("3.4"), D(0)]  # 0.6 x 6 + 0.4 x 2; 0.6 x 1 + 0.4 x 7
    candidates = [Candidate(f"P{i + 1}", v, {2027: D(1)}) for i, v in enumerate(values)]
    problem = Problem(candidates, {2027: D(1)})
    chosen, _, proven = problem.solve()
    assert proven and [problem.codes[i] for i in chosen] == ["P1"]
    return problem, chosen, means, weights


def test_the_crossing_stated_is_the_one_computed_by_hand_from_two_sets() -> None:
    # with a at w (b at 1 - w): P1 = 6w + 2(1 - w) = 2 + 4w, P2 = w + 7(1 - w) = 7 - 6w,
    # equal at w = 1/2 (b at 1/2): 0.6 -> 0.5 is the change, not the span's edge 0.3
    problem, chosen, means, weights = _two_sets_case()
    found = robustness(problem, chosen, means, weights, time_budget=60)
    a, b = found.shifts
    by_hand = (D(7) - D(2)) / (D(4) + D(6))
    assert a.down == by_hand.quantize(D("0.0001")) == D("0.5000")
    assert a.down_bound == "exact" and a.up is None and a.up_bound == "none"
    assert (b.up, b.up_bound) == (D("0.5000"), "exact")
    assert (a.enters, a.leaves) == (("P2",), ("P1",))
    assert found.proven and found.classified and a.established


class _Unproven:
    """A solver whose every re-solve returns the true optimum but says it is not proven
    (as a solve stopped by its time limit does), so no test depends on timing."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem

    def __call__(self, values: Sequence[Decimal], limit: float) -> tuple[list[int], str, bool]:
        chosen, _, _ = self.problem.solve(values, time_limit=60)
        return chosen, "best found in the time limit", False


def test_unproven_re_solves_state_at_most_the_crossing_and_no_classes() -> None:
    problem, chosen, means, weights = _two_sets_case()
    found = robustness(problem, chosen, means, weights, time_budget=60, solver=_Unproven(problem))
    a, b = found.shifts
    # the crossing against the rival found is still computed exactly, but only "at most"
    assert (a.down, a.down_bound) == (D("0.5000"), "at most")
    assert (b.up, b.up_bound) == (D("0.5000"), "at most")
    # upward (a) nothing better was found, unproven: not established, not "none"
    assert a.up is None and a.up_bound == "unknown" and not a.established
    assert set(found.unestablished) == {"a", "b"}
    assert not found.proven and not found.classified
    assert (found.always_in, found.never_in, found.on_the_line) == ((), (), ())


def test_an_unproven_selection_establishes_nothing_about_its_robustness() -> None:
    problem, chosen, means, weights = _two_sets_case()
    found = robustness(problem, chosen, means, weights, time_budget=60, chosen_proven=False)
    assert not found.classified and found.unestablished == ("a", "b")
    assert all(s.down_bound != "exact" and s.up_bound != "exact" for s in found.shifts)


def test_robustness_is_the_same_on_every_run_when_proven() -> None:
    problem, chosen, means, weights = _two_sets_case()
    runs = {repr(robustness(problem, chosen, means, weights, time_budget=60)) for _ in range(3)}
    assert len(runs) == 1


# --- the frontier --------------------------------------------------------------------------


def test_the_frontier_rises_with_the_budget_and_passes_through_the_budget_given() -> None:
    candidates = [Candidate(f"P{i}", D(i), {2027: D(100 * i), 2028: D(50)}) for i in range(1, 7)]
    budget = {2027: D(600), 2028: D(150)}
    points = frontier(candidates, budget, steps=5)
    values = [p.value for p in points]
    assert values == sorted(values)
    given = [p for p in points if p.given]
    assert len(given) == 1 and given[0].value == select(candidates, budget).value
    assert points[-1].chosen == 6  # the last level affords every candidate
    assert all(p.optimal for p in points)


def test_the_frontier_chart_marks_the_budget_given() -> None:
    drawn = frontier_chart([(D(0), D(0), False), (D(100), D(5), True), (D(200), D(8), False)])
    lines = drawn.splitlines()
    assert lines[0].strip() == "value"
    assert "8.0 ┤" in lines[1]
    assert drawn.count("▲") == 2 and lines[-1].strip() == "▲ the budget given"  # mark, legend
    assert "▲" not in lines[-2] and "budget" in lines[-2]  # the axis caption names no marker
    assert len(lines) == 15


# --- typed limits --------------------------------------------------------------------------


def test_typed_budgets_and_people(ctx: Context) -> None:
    assert parse_budget(ctx, ["2027=1,500,000", "FY2028=250000.50"]) == {
        2027: D("1500000"),
        2028: D("250000.50"),
    }
    for wrong in ("2027", "x=5", "2027=-5", "2027=abc"):
        with pytest.raises(ValidationError, match="budget"):
            parse_budget(ctx, [wrong])
    candidates = [Candidate("A", D(1), people={("dev", date(2027, 1, 1)): D(1)})]
    assert parse_people(["dev=2.5"], candidates) == {("dev", date(2027, 1, 1)): D("2.5")}
    assert parse_people([], candidates) is None
    with pytest.raises(ValidationError, match="people"):
        parse_people(["dev"], candidates)


def test_a_role_is_matched_as_proposal_need_matches_it_and_unknown_ones_refused(
    ctx: Context,
) -> None:
    month = date(2027, 1, 1)
    candidates = [Candidate("A", D(1), people={("Business analyst", month): D(1)})]
    for typed in ("business analyst=3", "BUSINESS ANALYST=3", "Business analyst=3"):
        assert parse_people([typed], candidates) == {("Business analyst", month): D(3)}
    for wrong, said in (
        ("developer=6", "no candidate needs the role 'developer'; known roles: Business analyst"),
        ("Nobody=3", "known roles: Business analyst"),
        ("Business analyst=-1", "expected N of 0 or more"),
    ):
        with pytest.raises(ValidationError, match="people") as refused:
            parse_people([wrong], candidates)
        assert said in str(refused.value)
    for wrong in ("1800=5000", "2101=5", "FY1999=1"):
        with pytest.raises(ValidationError, match="from 2000 to 2100"):
            parse_budget(ctx, [wrong])
    assert parse_budget(ctx, ["2000=1", "2100=2"]) == {2000: D(1), 2100: D(2)}


def test_approved_proposals_are_commitments_chosen_or_refused_in_words() -> None:
    low = Candidate("LOW", D(1), {2027: D(50)}, approved=True)
    high = Candidate("HIGH", D(9), {2027: D(60)})
    assert select([low, high], {2027: D(100)}).chosen == ("LOW",)
    with pytest.raises(ValidationError, match="mandatory and approved proposals alone"):
        select([low, high], {2027: D(40)})


# --- from the database, through the commands -------------------------------------------


@pytest.fixture
def intake(db_path: Path, ctx: Context) -> Path:
    """Four proposals scored on two criteria, one needing another, one mandatory, one draft."""
    add_program(ctx, "ERP", "ERP replacement")
    with write():
        cost = records.create(ctx, Criterion, name="Cost savings", weight="2")
        risk = records.create(ctx, Criterion, name="Risk reduction", weight="1")
        made = {}
        for code, status, mandatory, price, scores in (
            ("P-1", "submitted", False, "400000", (9, 3)),
            ("P-2", "in review", False, "300000", (4, 9)),
            ("P-3", "approved", True, "200000", (2, 2)),
            ("P-4", "submitted", False, "100000", (8, 8)),
            ("P-5", "draft", False, "1", (10, 10)),
        ):
            p = records.create(
                ctx, Proposal, code=code, title=f"Proposal {code}", status=status,
                mandatory=mandatory,
            )  # fmt: skip
            made[code] = p
            records.create(ctx, ProposalYear, proposal=p, fiscal_year=2027, capital=D(price))
            for criterion, score in zip((cost, risk), scores, strict=True):
                records.create(
                    ctx, ProposalScore, proposal=p, criterion=criterion, reviewer="ana",
                    score=score,
                )  # fmt: skip
        records.create(ctx, ProposalDependency, proposal=made["P-4"], needs=made["P-2"])
        records.create(
            ctx, ProposalNeed, proposal=made["P-1"], role="developer", month=date(2027, 3, 1),
            people="2",
        )  # fmt: skip
    return db_path


def test_rank_lists_proposals_by_value(intake: Path, cli: Any) -> None:
    result = cli("portfolio", "rank", "--format", "json")
    assert result.status == 0, result.err
    rows = json.loads(result.out)
    # values: (2 x mean on cost + 1 x risk) / 3
    assert [(r["code"], r["value"]) for r in rows] == [
        ("P-5", "10.0000"),
        ("P-4", "8.0000"),
        ("P-1", "7.0000"),
        ("P-2", "5.6667"),
        ("P-3", "2.0000"),
    ]
    table = cli("portfolio", "rank", "--status", "submitted")
    assert table.status == 0 and "P-4" in table.out and "P-2" not in table.out


def test_select_chooses_within_the_budget_with_robustness(intake: Path, cli: Any) -> None:
    result = cli("portfolio", "select", "--budget", "2027=700000", "--format", "json")
    assert result.status == 0, result.err
    facts = json.loads(result.out)
    # P-3 is mandatory (200k); P-4 needs P-2 (400k together, 13.6667) beats P-1 (400k, 7)
    assert [c["code"] for c in facts["chosen"]] == ["P-4", "P-2", "P-3"]
    assert facts["value"] == "15.6667"
    assert facts["years"] == [
        {"year": 2027, "spend": "600000.00", "budget": "700000.00", "left": "100000.00"}
    ]
    assert facts["solver"] == "HiGHS (scipy.optimize.milp)" and facts["optimal"]
    sturdy = facts["robustness"]
    assert [c["criterion"] for c in sturdy["criteria"]] == ["Cost savings", "Risk reduction"]
    assert (
        "P-3" in sturdy["always_in"] and "P-5" not in sturdy["never_in"]
    )  # a draft: not a candidate
    table = cli("portfolio", "select", "--budget", "2027=700000", "--people", "developer=1")
    assert table.status == 0, table.err
    assert "3 of 4 proposals chosen, total value 15.6667" in table.out
    assert "approved, so chosen as commitments (like mandatory ones): P-3" in table.out
    assert "peak month" in table.out
    assert "robustness:" in table.out and "always in:" in table.out
    csv = cli("portfolio", "select", "--budget", "FY2027=700000", "--format", "csv")
    assert csv.out.splitlines()[0] == "code,title,status,mandatory,value,cost"


def test_select_takes_the_budget_lines_else_asks_for_a_budget(
    intake: Path, cli: Any, ctx: Context
) -> None:
    refused = cli("portfolio", "select")
    assert refused.status == 2
    assert "--budget FY=AMOUNT" in refused.err
    with write():
        records.create(
            ctx, BudgetLine, program=add_program(ctx, "OPS", "Operations"), fiscal_year=2027,
            kind="capital", name="Projects", amount=D(300000),
        )  # fmt: skip
    result = cli("portfolio", "select", "--format", "json")
    assert result.status == 0, result.err
    facts = json.loads(result.out)
    # 300k: the mandatory P-3 (200k) leaves 100k, too little for P-4 with P-2 or for P-1
    assert [c["code"] for c in facts["chosen"]] == ["P-3"]
    assert facts["years"][0]["budget"] == "300000.00"


def test_frontier_draws_value_against_budget(intake: Path, cli: Any) -> None:
    result = cli("portfolio", "frontier", "--budget", "2027=700000", "--steps", "4")
    assert result.status == 0, result.err
    assert "▲" in result.out and "<- budget" in result.out
    points = json.loads(
        cli("portfolio", "frontier", "--budget", "2027=700000", "--format", "json").out
    )
    assert [p["value"] for p in points] == sorted((p["value"] for p in points), key=Decimal)
    assert points[-1]["chosen"] == 4
    given = next(p for p in points if p["given"])
    # each point says its budget by year and its set, so it can be reproduced
    assert given["budgets"] == {"2027": "700000.00"} and given["codes"] == ["P-2", "P-3", "P-4"]
    csv = cli("portfolio", "frontier", "--budget", "2027=700000", "--format", "csv").out
    header, *rows = csv.splitlines()
    assert header.endswith(",budgets,codes")
    assert any(r.endswith(",2027=700000.00,P-2 P-3 P-4") for r in rows)
    assert "share of budget" in result.out and "as a share of the budget given" in result.out
    assert result.out.count("▲") == 2


def test_select_refuses_a_limit_it_cannot_apply(intake: Path, cli: Any) -> None:
    upper = cli("portfolio", "select", "--budget", "2027=700000", "--people", "DEVELOPER=0")
    assert upper.status == 0 and "P-1" not in upper.out.split("robustness:")[0]
    for people, said in (
        ("tester=3", "people: no candidate needs the role 'tester'; known roles: developer"),
        ("developer=-1", "people: developer: expected N of 0 or more"),
    ):
        refused = cli("portfolio", "select", "--budget", "2027=700000", "--people", people)
        assert refused.status == 2 and said in refused.err
    refused = cli("portfolio", "select", "--budget", "1800=5000")
    assert refused.status == 2 and "budget: expected a fiscal year from 2000 to 2100" in refused.err


def test_the_demo_portfolio_is_selected_within_its_budget_lines(demo_db: Path, cli: Any) -> None:
    result = cli("portfolio", "select", "--format", "json", db=demo_db)
    assert result.status == 0, result.err
    facts = json.loads(result.out)
    assert facts["optimal"] and facts["chosen"]
    ranked = json.loads(cli("portfolio", "rank", "--format", "json", db=demo_db).out)
    mandatory = {r["code"] for r in ranked if r["mandatory"] and r["status"] in DEFAULT_STATUSES}
    assert mandatory <= {c["code"] for c in facts["chosen"]}
    for year in facts["years"]:
        if year["budget"] is not None:
            assert Decimal(year["spend"]) <= Decimal(year["budget"])
    drawn = cli("portfolio", "frontier", "--steps", "4", db=demo_db)
    assert drawn.status == 0, drawn.err
    assert "<- budget" in drawn.out
