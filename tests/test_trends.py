"""Metric trends and budget burn for the app's charts (models/governance/trends.py), checked
against the records themselves on the small demo at the fixed clock (Mon 23 Nov 2026)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from pg_demo import demo_on_both, pytest_generate_tests  # noqa: F401 (fixture, hook: both engines)

from docket.models.core.schema import Contract, Cost, Expenditure, Measurement, Program
from docket.models.governance.budget import budget, fiscal_bounds, fiscal_year_of
from docket.models.governance.metrics import metrics
from docket.models.governance.trends import budget_burns, metric_trends, metrics_by_program

pytestmark = pytest.mark.both_engines

TODAY = date(2026, 11, 23)


def spent_by_month(code: str, year: int) -> dict[str, Decimal]:
    """A program's own spending in a fiscal year by month, added up here from every
    expenditure (not void) and cost."""
    first, after = fiscal_bounds(year)
    program = Program.get(Program.code == code)
    found: dict[str, Decimal] = {}
    spending = [
        (e.date, e.amount)
        for e in Expenditure.select().join(Contract).where(Contract.program == program)
        if e.void_reason == ""
    ] + [(c.date, c.amount) for c in Cost.select().where(Cost.program == program)]
    for day, amount in spending:
        if first <= day < after:
            month = day.strftime("%Y-%m")
            found[month] = found.get(month, Decimal(0)) + amount
    return found


def test_a_programs_burn_sums_its_spending_month_by_month(demo_db: Path) -> None:
    year = fiscal_year_of(TODAY)
    rows = budget(None, year, TODAY)
    burns = budget_burns(None, year, TODAY)
    assert list(burns) == [r["program"] for r in rows] and rows
    for row in rows:
        burn = burns[row["program"]]
        assert (burn["first"], burn["last"]) == ("2026-07-01", "2027-06-30")
        assert burn["budget"] == row["budget"]
        assert burn["estimate_at_completion"] == row["estimate_at_completion"]
        # from the year's first month to today's
        months = [m["month"] for m in burn["months"]]
        assert months == ["2026-07", "2026-08", "2026-09", "2026-10", "2026-11"]
        spent = spent_by_month(row["program"], year)
        total = Decimal(0)
        for month in burn["months"]:
            total += spent.get(month["month"], Decimal(0))
            assert Decimal(month["spent"]) == spent.get(month["month"], Decimal(0))
            assert Decimal(month["cumulative"]) == total
        # the running total ends at the budget's actuals
        assert burn["months"][-1]["cumulative"] == row["actual"] == burn["actual"]


def test_a_scoped_burn_has_the_program_asked_for_even_with_nothing_spent(demo_db: Path) -> None:
    burns = budget_burns("CORE", 2027, TODAY)
    assert next(iter(burns)) == "CORE"
    assert set(burns) == {"CORE", "ERP", "NET"}
    assert all(m["cumulative"] == "0.00" for m in burns["CORE"]["months"])


def test_a_metrics_trend_is_its_readings_with_their_days(demo_db: Path) -> None:
    trends = metric_trends()
    listed = metrics()
    assert [t["id"] for t in trends] == [m["id"] for m in listed]
    for trend, row in zip(trends, listed, strict=True):
        assert [r["value"] for r in trend["readings"]] == row["history"]
        days = [
            m.taken_on.isoformat()
            for m in Measurement.select()
            .where(Measurement.metric == trend["id"])
            .order_by(Measurement.taken_on, Measurement.id)
        ]
        assert [r["taken_on"] for r in trend["readings"]] == days
        assert (trend["target"], trend["amber"], trend["red"]) == (
            row["target"],
            row["amber"],
            row["red"],
        )
    assert {t["program"] for t in metric_trends("ERP")} == {"ERP"}


def test_a_parent_answers_for_its_childrens_metrics(demo_db: Path) -> None:
    owned = metrics_by_program()
    of = {code: sorted(m["id"] for m in metrics() if m["program"] == code) for code in owned}
    assert owned["CORE"] == sorted(of["ERP"] + of["NET"] + of["CORE"])
    assert owned["ERP"] == of["ERP"] and owned["ERP"]
    assert set(metrics_by_program("SVC")) == {"SVC", "CRM", "PERMIT"}


def test_a_parent_program_burns_what_its_tree_spends(demo_db: Path) -> None:
    """In the program views a parent stands for its tree: its spending month by month is
    its children's (and its own), and its budget, actual and estimate are the tree's, as
    the budget's total row counts them."""
    from docket.models.governance.budget import budget_total
    from docket.models.governance.trends import rolled_up_burns

    year = fiscal_year_of(TODAY)
    rolled = rolled_up_burns(None, year, TODAY)
    parents = {p.parent.code for p in Program.select() if p.parent is not None}
    assert parents
    for code in parents:
        tree = budget_total(budget(code, year, TODAY))
        burn = rolled[code]
        assert (burn["budget"], burn["actual"], burn["estimate_at_completion"]) == (
            tree["budget"],
            tree["actual"],
            tree["estimate_at_completion"],
        )
        children = [
            p.code
            for p in Program.select().where(Program.parent == Program.get(Program.code == code).id)
        ]
        spent: dict[str, Decimal] = spent_by_month(code, year)
        for child in children:
            for month, amount in spent_by_month(child, year).items():
                spent[month] = spent.get(month, Decimal(0)) + amount
        assert {
            m["month"]: Decimal(m["spent"]) for m in burn["months"] if Decimal(m["spent"])
        } == spent
        assert burn["months"][-1]["cumulative"] == tree["actual"]
    # a program without children burns what it spends itself
    leaf = next(p.code for p in Program.select() if p.code not in parents)
    own = budget_burns(None, year, TODAY)
    assert rolled[leaf]["months"] == own[leaf]["months"]
