"""Metric trends and budget burn over time, for the app's charts.

A metric's trend is each of its readings with its date, against its target and its amber
and red thresholds. A program's burn is its spending month by month through a fiscal year
(contract expenditures that are not void, and other costs), summed as it goes, against its
budget and estimate at completion as :func:`budget.budget` gives them, so the last month's
running total is the budget's actuals. Money as text to the cent, as in the budget rows.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, TypedDict

from peewee import JOIN

from docket.models.core.schema import Measurement, Metric, Program
from docket.models.governance import budget as budgets
from docket.models.governance.metrics import MetricHead
from docket.models.portfolio.programs import program_and_children


class Reading(TypedDict):
    """One measurement: its day (ISO) and value (as typed, so 99.95 stays 99.95)."""

    taken_on: str
    value: str


class MetricTrend(MetricHead):
    """A metric with its thresholds and every reading, oldest first."""

    readings: list[Reading]


def metric_trends(program: str | None = None) -> list[MetricTrend]:
    """The metrics (of ``program`` and the programs under it) with their readings, in the
    order of :func:`metrics.metrics`: by name, then program."""
    query = Metric.select(Metric, Program).join(Program, JOIN.LEFT_OUTER)
    if program:
        query = query.where(Metric.program.in_(program_and_children(program)))
    found = list(query.order_by(Metric.name, Program.code))
    readings: dict[int, list[Reading]] = {}
    rows: Any = (
        Measurement.select(Measurement.metric, Measurement.taken_on, Measurement.value)
        .where(Measurement.metric.in_([m.id for m in found]))
        .order_by(Measurement.taken_on, Measurement.id)
        .tuples()
    )
    for metric_id, taken_on, value in rows:
        readings.setdefault(metric_id, []).append(
            {"taken_on": taken_on.isoformat(), "value": value}
        )
    return [
        {
            "id": m.id,
            "program": m.program.code if m.program is not None else None,
            "name": m.name,
            "unit": m.unit,
            "direction": m.direction,
            "target": m.target,
            "amber": m.amber,
            "red": m.red,
            "readings": readings.get(m.id, []),
        }
        for m in found
    ]


def metrics_by_program(program: str | None = None) -> dict[str, list[int]]:
    """For each program (``program`` and those under it, or all): the ids of the metrics
    it answers for, its own and those of the programs under it, as a parent takes in its
    children elsewhere."""
    every: Any = Program.select(Program.id, Program.code, Program.parent).tuples()
    rows: list[tuple[int, str, int | None]] = list(every)
    parents = {pid: parent for pid, _, parent in rows}
    wanted = set(program_and_children(program)) if program else set(parents)
    programs = [row for row in rows if row[0] in wanted]
    metric_rows: Any = Metric.select(Metric.id, Metric.program).tuples()
    owned: dict[int, list[int]] = {}
    for metric_id, owner in metric_rows:
        if owner is not None:
            owned.setdefault(owner, []).append(metric_id)
    found: dict[str, list[int]] = {code: [] for _, code, _ in programs}
    codes = {pid: code for pid, code, _ in programs}
    for owner, ids in owned.items():
        walk: int | None = owner
        seen: set[int] = set()
        while walk is not None and walk not in seen:
            seen.add(walk)
            if walk in codes:
                found[codes[walk]].extend(ids)
            walk = parents.get(walk)
    return {code: sorted(ids) for code, ids in found.items()}


class BurnMonth(TypedDict):
    """A month of a fiscal year: its spending and the running total to its end."""

    # YYYY-MM
    month: str
    spent: str
    cumulative: str


class BudgetBurn(TypedDict):
    """A program's spending through a fiscal year against its budget and estimate."""

    program: str
    year: int
    # the fiscal year's first and last day (ISO)
    first: str
    last: str
    budget: str
    actual: str
    estimate_at_completion: str
    # from the year's first month to today's (or to the last month spent in, if later)
    months: list[BurnMonth]


def _month(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _months(first: date, last: str) -> list[str]:
    """The months from ``first``'s to ``last`` (YYYY-MM), in order."""
    found, year, month = [], first.year, first.month
    while f"{year:04d}-{month:02d}" <= last:
        found.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def budget_burns(program: str | None, year: int, today: date) -> dict[str, BudgetBurn]:
    """The burn of each program :func:`budget.budget` lists for the fiscal year (its own
    spending, not its children's, as its budget row), by program code; four queries."""
    rows = budgets.budget(program, year, today)
    first, after = budgets.fiscal_bounds(year)
    codes: Any = Program.select(Program.id, Program.code).where(
        Program.code.in_([r["program"] for r in rows])
    )
    ids = {pid: code for pid, code in codes.tuples()}
    spent: dict[str, dict[str, Decimal]] = {}
    for spend in budgets.spending(list(ids), first, after, by_month=True):
        mine = spent.setdefault(ids[spend.program_id], {})
        mine[spend.month] = mine.get(spend.month, Decimal(0)) + spend.amount
    end = min(today, date.fromordinal(after.toordinal() - 1))
    burns: dict[str, BudgetBurn] = {}
    for row in rows:
        mine = spent.get(row["program"], {})
        last = max([_month(max(end, first)), *mine])
        months: list[BurnMonth] = []
        total = Decimal(0)
        for name in _months(first, last):
            total += mine.get(name, Decimal(0))
            months.append(
                {
                    "month": name,
                    "spent": f"{mine.get(name, Decimal(0)):.2f}",
                    "cumulative": f"{total:.2f}",
                }
            )
        burns[row["program"]] = {
            "program": row["program"],
            "year": year,
            "first": first.isoformat(),
            "last": date.fromordinal(after.toordinal() - 1).isoformat(),
            "budget": row["budget"],
            "actual": row["actual"],
            "estimate_at_completion": row["estimate_at_completion"],
            "months": months,
        }
    return burns


def rolled_up_burns(program: str | None, year: int, today: date) -> dict[str, BudgetBurn]:
    """The burn of every program in scope with the programs under it taken in (a parent's
    budget, spending and estimate are its own and its children's, as its evidence and the
    board pack count them), by code: for the program views, where a parent stands for its
    whole tree; :func:`budget_burns` gives each program's own."""
    own = budget_burns(None, year, today)
    first, after = budgets.fiscal_bounds(year)
    tree: Any = Program.select(Program.id, Program.code, Program.parent).tuples()
    codes = {pid: code for pid, code, _ in tree}
    parent = {code: codes.get(up) for pid, code, up in tree}
    scope = set(program_and_children(program)) if program else set(codes)
    rolled: dict[str, BudgetBurn] = {}
    for pid in sorted(scope, key=codes.__getitem__):
        code = codes[pid]
        # this program and every one whose chain of parents reaches it
        mine = [own[c] for c in own if _under(c, code, parent)]
        if not mine:
            continue
        spent: dict[str, Decimal] = {}
        for burn in mine:
            for m in burn["months"]:
                spent[m["month"]] = spent.get(m["month"], Decimal(0)) + Decimal(m["spent"])
        months: list[BurnMonth] = []
        total = Decimal(0)
        for name in sorted(spent):
            total += spent[name]
            months.append(
                {"month": name, "spent": f"{spent[name]:.2f}", "cumulative": f"{total:.2f}"}
            )

        def summed(values: list[str]) -> str:
            return f"{sum((Decimal(v) for v in values), Decimal(0)):.2f}"

        rolled[code] = {
            "program": code,
            "year": year,
            "first": first.isoformat(),
            "last": date.fromordinal(after.toordinal() - 1).isoformat(),
            "budget": summed([b["budget"] for b in mine]),
            "actual": summed([b["actual"] for b in mine]),
            "estimate_at_completion": summed([b["estimate_at_completion"] for b in mine]),
            "months": months,
        }
    return rolled


def _under(code: str, top: str, parent: dict[str, str | None]) -> bool:
    """Whether ``code`` is ``top`` or under it (the chain of parents, cycles stopped)."""
    seen: set[str] = set()
    node: str | None = code
    while node is not None and node not in seen:
        if node == top:
            return True
        seen.add(node)
        node = parent.get(node)
    return False
