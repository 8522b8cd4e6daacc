"""``docket budget|cost|metric ...``: budgets by program and fiscal year, the costs that
count as actuals, and program metrics against their targets.

Each command calls :mod:`docket.models.governance.budget` and
:mod:`docket.models.governance.metrics` and prints the result; no rule lives here.
"""

from __future__ import annotations

from typing import Any

import click

from docket.exports.tabular.lists.governance import BUDGET, BUDGET_LINES, COSTS, METRICS
from docket.models.governance import budget as budgets
from docket.models.governance import metrics as program_metrics
from docket.models.governance.metrics import (
    METRIC_FIELDS,
    metrics,
    record_measurement,
    update_metric,
)
from docket.tui.cli.emit import emit_listing
from docket.tui.cli.groups import verbs
from docket.tui.cli.params import WholeNumber, a_number, an_id, as_of_option, edits, format_option
from docket.tui.cli.session import Session, pass_session

BUDGET_FIELDS = ("name", "kind", "year", "amount", "estimate", "program")
COST_FIELDS = ("amount", "date", "description", "program")


def a_year() -> WholeNumber:
    """A fiscal year's number."""
    return a_number("year", 1900, 9999)


@verbs()
def budget() -> None:
    """Budgets by program and fiscal year; actuals and variance."""


@budget.command("add")
@click.argument("name")
@click.option("--program", required=True, metavar="CODE")
@click.option(
    "--year", required=True, type=a_year(), help="fiscal year (FY2027: Jul 2026-Jun 2027)"
)
@click.option("--kind", required=True, help="capital or operating")
@click.option("--amount", required=True)
@click.option("--estimate", metavar="AMOUNT", help="estimate at completion, if known")
@pass_session
def add_line(
    session: Session,
    name: str,
    program: str,
    year: int,
    kind: str,
    amount: str,
    estimate: str | None,
) -> None:
    """Add a budget line (prints its id)."""
    made = budgets.add_budget_line(
        session.ctx, program=program, year=year, kind=kind, name=name, amount=amount,
        estimate=estimate,
    )  # fmt: skip
    session.print(str(made.id))


@budget.command("list")
@click.option("--program", metavar="CODE")
@click.option("--year", type=a_year(), help="default: this fiscal year")
@format_option("table", "json", "csv")
@as_of_option
@pass_session
def list_budget(session: Session, program: str | None, year: int | None, fmt: str) -> None:
    """Budget, actuals, estimate at completion, variance."""
    today = session.ctx.today()
    rows = budgets.budget(program, year or budgets.fiscal_year_of(today), today)
    if fmt == "table" and rows:
        rows = [*rows, budgets.budget_total(rows)]
    emit_listing(session, fmt, rows, BUDGET)


@budget.command("lines")
@click.option("--program", metavar="CODE")
@click.option("--year", type=a_year())
@format_option("table", "json", "csv")
@as_of_option
@pass_session
def list_lines(session: Session, program: str | None, year: int | None, fmt: str) -> None:
    """Budget lines with their ids (to edit them)."""
    rows = [budgets.budget_line_facts(b) for b in budgets.list_budget_lines(program, year)]
    emit_listing(session, fmt, rows, BUDGET_LINES)


@budget.command("edit")
@click.argument("item", metavar="ID", type=an_id("id"))
@click.option("--name")
@click.option("--kind")
@click.option("--year")
@click.option("--amount")
@click.option("--estimate")
@click.option("--program")
@pass_session
def edit_line(session: Session, item: int, **fields: str | None) -> None:
    """Change a budget line (--estimate '' clears it)."""
    made = budgets.update_budget_line(session.ctx, item, **edits(fields, BUDGET_FIELDS))
    session.print(f"budget line {made.id}: {made.name}, {made.amount:.2f}")


@verbs()
def cost() -> None:
    """Costs that are not contract expenditures (they count as actuals)."""


@cost.command("add")
@click.argument("amount")
@click.option("--program", required=True, metavar="CODE")
@click.option("--date", metavar="WHEN", help="default today")
@click.option("--description", default="")
@pass_session
def add_cost(
    session: Session, amount: str, program: str, date: str | None, description: str
) -> None:
    """Record a cost (prints its id)."""
    made = budgets.add_cost(
        session.ctx, program=program, amount=amount, on=date, description=description
    )
    session.print(str(made.id))


@cost.command("list")
@click.option("--program", metavar="CODE")
@click.option("--year", type=a_year(), help="a fiscal year")
@format_option("table", "json", "csv")
@as_of_option
@pass_session
def list_costs(session: Session, program: str | None, year: int | None, fmt: str) -> None:
    """Costs, newest first."""
    rows = [budgets.cost_facts(c) for c in budgets.list_costs(program, year)]
    emit_listing(session, fmt, rows, COSTS)


@cost.command("edit")
@click.argument("item", metavar="ID", type=an_id("id"))
@click.option("--amount")
@click.option("--date")
@click.option("--description")
@click.option("--program")
@pass_session
def edit_cost(session: Session, item: int, **fields: str | None) -> None:
    """Change a cost."""
    made = budgets.update_cost(session.ctx, item, **edits(fields, COST_FIELDS))
    session.print(f"cost {made.id}: {made.amount:.2f} on {made.date}")


@verbs()
def metric() -> None:
    """Program metrics against their targets."""


@metric.command("add")
@click.argument("name")
@click.option("--program", metavar="CODE")
@click.option("--direction", required=True, help="higher or lower (is better)")
@click.option("--target", required=True)
@click.option("--amber", required=True)
@click.option("--red", required=True)
@click.option("--unit", default="")
@click.option("--cadence", default="")
@pass_session
def add_metric(
    session: Session,
    name: str,
    program: str | None,
    direction: str,
    target: str,
    amber: str,
    red: str,
    unit: str,
    cadence: str,
) -> None:
    """Add a metric (prints its id)."""
    made = program_metrics.add_metric(
        session.ctx, name, program=program, direction=direction, target=target, amber=amber,
        red=red, unit=unit, cadence=cadence,
    )  # fmt: skip
    session.print(str(made.id))


@metric.command("record")
@click.argument("which", metavar="METRIC")
@click.argument("value")
@click.option("--program", metavar="CODE", help="the program whose metric it is")
@click.option("--on", metavar="WHEN")
@click.option("--note", default="")
@pass_session
def record(
    session: Session, which: str, value: str, program: str | None, on: str | None, note: str
) -> None:
    """Record a measurement (METRIC is its name or id)."""
    reading = record_measurement(session.ctx, which, value, on=on, note=note, program=program)
    found = next(m for m in metrics() if m["id"] == reading.metric.id)
    where = f" ({found['program']})" if found.get("program") else ""
    said = f"{found['name']}{where}: {found['latest']} {found['unit']} ({found['status']})"
    session.print(said.replace("  ", " "))


@metric.command("list")
@click.option("--program", metavar="CODE")
@format_option("table", "json", "csv")
@as_of_option
@pass_session
def list_metrics(session: Session, program: str | None, fmt: str) -> None:
    """Metrics with their latest value and status."""
    rows: list[dict[str, Any]] = [dict(m) for m in metrics(program)]
    for row in rows:
        row["history"] = " ".join(row["history"][-8:]) if fmt != "json" else row["history"]
    emit_listing(session, fmt, rows, METRICS)


@metric.command("edit")
@click.argument("which", metavar="METRIC")
@click.option("--program", metavar="CODE", help="the program whose metric it is")
@click.option("--name")
@click.option("--unit")
@click.option("--direction")
@click.option("--target")
@click.option("--amber")
@click.option("--red")
@click.option("--cadence")
@pass_session
def edit_metric(session: Session, which: str, program: str | None, **fields: str | None) -> None:
    """Change a metric: thresholds, direction, target, ... (METRIC is its name or id)."""
    changes = edits(fields, METRIC_FIELDS)
    made = update_metric(session.ctx, which, program=program, **changes)
    shown: Any = made.program if made.__data__.get("program") else None
    where = f" ({shown.code})" if shown is not None else ""
    session.print(
        f"{made.name}{where}: {made.direction} is better; target {made.target}, "
        f"amber {made.amber}, red {made.red}"
    )
