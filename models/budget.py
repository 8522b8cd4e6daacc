"""Budgets and program metrics.

Budget: per program and fiscal year, lines (capital or operating) with amounts. Actuals are
the program's contract expenditures and other costs in the fiscal year; the estimate at
completion is the line's own estimate when someone gave one, else the actuals so far
projected over the whole year at the rate to date; variance is budget minus estimate
(negative: over). Money in Decimal.

Metrics: a name, unit, target, direction (higher or lower is better), amber and red
thresholds and a cadence; measurements over time; the status of the latest is green, amber
or red against the thresholds, in the metric's direction: for "higher", a value at or below
red is red, at or below amber is amber; for "lower", at or above.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from peewee import JOIN, fn

from docket.models import records
from docket.models.context import Context
from docket.models.contracts import money
from docket.models.database import write
from docket.models.dates import parse_date
from docket.models.errors import NotFoundError, ValidationError
from docket.models.fields import CENT
from docket.models.inputs import choice, text, whole_number
from docket.models.programs import get_program
from docket.models.schema import (
    BUDGET_KINDS,
    METRIC_DIRECTIONS,
    BudgetLine,
    Contract,
    Cost,
    Expenditure,
    Measurement,
    Metric,
    Program,
)

# the fiscal year starts in this month (July: FY2027 runs Jul 2026 to Jun 2027)
FISCAL_START_MONTH = 7


def fiscal_year_of(day: date) -> int:
    """The fiscal year a day falls in (named by the calendar year it ends in)."""
    return day.year + 1 if day.month >= FISCAL_START_MONTH else day.year


def fiscal_bounds(year: int) -> tuple[date, date]:
    return date(year - 1, FISCAL_START_MONTH, 1), date(year, FISCAL_START_MONTH, 1)


def add_budget_line(
    ctx: Context,
    *,
    program: str,
    year: int | str,
    kind: str,
    name: str,
    amount: str,
    estimate: str | None = None,
) -> BudgetLine:
    values: dict[str, Any] = {
        "fiscal_year": whole_number("year", year, minimum=2000, maximum=2100),
        "kind": choice("kind", kind, BUDGET_KINDS),
        "name": text("name", name),
        "amount": money("amount", amount),
        "estimate_at_completion": money("estimate", estimate) if estimate else None,
    }
    if values["amount"] < 0:
        raise ValidationError("amount", "expected an amount of zero or more")
    with write():
        return records.create(ctx, BudgetLine, program=get_program(program), **values)


def add_cost(
    ctx: Context, *, program: str, amount: str, on: str | None = None, description: str = ""
) -> Cost:
    day = parse_date(on, ctx.today(), field="date", day_first=ctx.day_first) if on else ctx.today()
    with write():
        return records.create(
            ctx, Cost, program=get_program(program), amount=money("amount", amount), date=day,
            description=text("description", description, required=False),
        )  # fmt: skip


def _total(lines: list[BudgetLine], kind: str | None = None) -> Decimal:
    chosen = [line for line in lines if kind is None or line.kind == kind]
    return sum((Decimal(line.amount) for line in chosen), Decimal(0))


def budget(program: str | None, year: int, today: date) -> list[dict[str, Any]]:
    """Each program's budget for a fiscal year: budgeted (capital, operating), actuals to
    date (contract expenditures and other costs), estimate at completion and variance.
    Without a program, only programs with budget lines or spending that year are listed."""
    first, after = fiscal_bounds(year)
    programs = [get_program(program)] if program else list(Program.select().order_by(Program.code))
    ids = [p.id for p in programs]
    lines: dict[int, list[BudgetLine]] = {}
    for line in BudgetLine.select().where(
        BudgetLine.program.in_(ids), BudgetLine.fiscal_year == year
    ):
        lines.setdefault(line.__data__["program"], []).append(line)
    spent: dict[int, Decimal] = {}
    contract_spend: Any = (
        Expenditure.select(Contract.program, fn.SUM(Expenditure.amount))
        .join(Contract)
        .where(Contract.program.in_(ids), Expenditure.date >= first, Expenditure.date < after)
        .group_by(Contract.program)
        .tuples()
    )
    other: Any = (
        Cost.select(Cost.program, fn.SUM(Cost.amount))
        .where(Cost.program.in_(ids), Cost.date >= first, Cost.date < after)
        .group_by(Cost.program)
        .tuples()
    )
    for pid, cents in [*contract_spend, *other]:
        spent[pid] = spent.get(pid, Decimal(0)) + (
            Expenditure.amount.python_value(cents) or Decimal(0)
        )
    elapsed = max(1, min((today - first).days, (after - first).days))
    length = (after - first).days
    rows = []
    for p in programs:
        mine = lines.get(p.id, [])
        if not program and not mine and p.id not in spent:
            continue
        budgeted = _total(mine)
        actual = spent.get(p.id, Decimal(0))
        given = [line for line in mine if line.estimate_at_completion is not None]
        if mine and len(given) == len(mine):
            estimate = sum((Decimal(line.estimate_at_completion) for line in given), Decimal(0))
        else:
            estimate = (actual * length / elapsed).quantize(CENT)
        rows.append(
            {
                "program": p.code,
                "year": year,
                "capital": f"{_total(mine, 'capital'):.2f}",
                "operating": f"{_total(mine, 'operating'):.2f}",
                "budget": f"{budgeted:.2f}",
                "actual": f"{actual:.2f}",
                "estimate_at_completion": f"{estimate:.2f}",
                "variance": f"{budgeted - estimate:.2f}",
                "over": estimate > budgeted,
            }
        )
    return rows


# --- metrics ----------------------------------------------------------------------------


def number(field: str, typed: str | int | Decimal) -> Decimal:
    """A measured value or threshold as a Decimal (99.95 stays 99.95)."""
    try:
        value = Decimal(str(typed).strip().rstrip("%").strip())
    except InvalidOperation:
        raise ValidationError(field, f"expected a number, got {typed!r}") from None
    if not value.is_finite():
        raise ValidationError(field, f"expected a number, got {typed!r}")
    return value


def status_of(metric: Metric, value: Decimal) -> str:
    """green, amber or red for a value, in the metric's direction."""
    amber, red = Decimal(metric.amber), Decimal(metric.red)
    if metric.direction == "higher":
        return "red" if value <= red else "amber" if value <= amber else "green"
    return "red" if value >= red else "amber" if value >= amber else "green"


def add_metric(
    ctx: Context,
    name: str,
    *,
    program: str | None,
    direction: str,
    target: str,
    amber: str,
    red: str,
    unit: str = "",
    cadence: str = "",
) -> Metric:
    """A metric; its thresholds must sit on the right side of each other for its direction."""
    way = choice("direction", direction, METRIC_DIRECTIONS)
    goal, warn, bad = number("target", target), number("amber", amber), number("red", red)
    ordered = bad < warn < goal if way == "higher" else goal < warn < bad
    if not ordered:
        sign = "<" if way == "higher" else ">"
        raise ValidationError(
            "amber", f"expected red {sign} amber {sign} target when {way} is better"
        )
    with write():
        return records.create(
            ctx,
            Metric,
            program=get_program(program) if program else None,
            name=text("name", name),
            unit=text("unit", unit, required=False),
            direction=way,
            target=str(goal),
            amber=str(warn),
            red=str(bad),
            cadence=text("cadence", cadence, required=False),
        )


def find_metric(typed: str | int) -> Metric:
    if isinstance(typed, int) or str(typed).isdigit():
        return records.get(Metric, int(typed))
    found = Metric.get_or_none(fn.lower(Metric.name) == str(typed).strip().lower())
    if found is None:
        raise NotFoundError(f"metric: no metric named {typed!r}")
    return found


def record_measurement(
    ctx: Context, metric: str | int, value: str, *, on: str | None = None, note: str = ""
) -> Measurement:
    day = parse_date(on, ctx.today(), field="date", day_first=ctx.day_first) if on else ctx.today()
    reading = number("value", value)
    with write():
        return records.create(
            ctx, Measurement, metric=find_metric(metric), taken_on=day, value=str(reading),
            note=text("note", note, required=False),
        )  # fmt: skip


def metrics(program: str | None = None) -> list[dict[str, Any]]:
    """Metrics with their latest value, its status and their history (oldest first)."""
    query = Metric.select(Metric, Program).join(Program, JOIN.LEFT_OUTER)
    if program:
        query = query.where(Metric.program == get_program(program))
    found = list(query.order_by(Metric.name, Program.code))
    history: dict[int, list[Measurement]] = {}
    ids = [m.id for m in found]
    for reading in (
        Measurement.select()
        .where(Measurement.metric.in_(ids))
        .order_by(Measurement.taken_on, Measurement.id)
    ):
        history.setdefault(reading.__data__["metric"], []).append(reading)
    rows = []
    for m in found:
        readings = history.get(m.id, [])
        latest = readings[-1] if readings else None
        rows.append(
            {
                "id": m.id,
                "program": m.program.code if m.program is not None else None,
                "name": m.name,
                "unit": m.unit,
                "direction": m.direction,
                "target": m.target,
                "amber": m.amber,
                "red": m.red,
                "latest": latest.value if latest else None,
                "taken_on": latest.taken_on.isoformat() if latest else None,
                "status": status_of(m, Decimal(latest.value)) if latest else "no data",
                "history": [r.value for r in readings],
            }
        )
    return rows
