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

import re
from datetime import date
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from typing import Any

from peewee import JOIN, fn

from docket.models.core import records
from docket.models.core.context import Context
from docket.models.core.database import write
from docket.models.core.dates import parse_date
from docket.models.core.errors import ValidationError
from docket.models.core.fields import CENT
from docket.models.core.inputs import choice, money, shown, text, typed_id, whole_number
from docket.models.core.lookup import exactly_one
from docket.models.core.schema import (
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
from docket.models.portfolio.programs import get_program, program_and_children

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
        "amount": money("amount", amount, decimal_comma=ctx.decimal_comma),
        "estimate_at_completion": money("estimate", estimate, decimal_comma=ctx.decimal_comma)
        if estimate
        else None,
    }
    if values["amount"] < 0:
        raise ValidationError("amount", "expected an amount of zero or more")
    with write():
        return records.create(ctx, BudgetLine, program=get_program(program), **values)


def add_cost(
    ctx: Context, *, program: str, amount: str, on: str | None = None, description: str = ""
) -> Cost:
    """A cost that is not a contract expenditure (a negative amount is a refund)."""
    day = parse_date(on, ctx.today(), field="date", day_first=ctx.day_first) if on else ctx.today()
    value = _cost_amount(ctx, amount)
    with write():
        return records.create(
            ctx, Cost, program=get_program(program), amount=value, date=day,
            description=text("description", description, required=False),
        )  # fmt: skip


def _total(lines: list[BudgetLine], kind: str | None = None) -> Decimal:
    chosen = [line for line in lines if kind is None or line.kind == kind]
    return sum((Decimal(line.amount) for line in chosen), Decimal(0))


def budget(program: str | None, year: int, today: date) -> list[dict[str, Any]]:
    """Each program's budget for a fiscal year: budgeted (capital, operating), actuals to
    date (contract expenditures and other costs), estimate at completion and variance.
    A program's row is its own; the programs under it follow, each with its own row (see
    :func:`budget_total` for the sum). Without a program, and for the programs under the one
    given, only programs with budget lines or spending that year are listed."""
    first, after = fiscal_bounds(year)
    if program:
        ids = program_and_children(program)
        programs = list(Program.select().where(Program.id.in_(ids)).order_by(Program.code))
        programs.sort(key=lambda p: p.id != ids[0])  # the program asked for first
    else:
        programs = list(Program.select().order_by(Program.code))
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
        .where(
            Contract.program.in_(ids),
            Expenditure.date >= first,
            Expenditure.date < after,
            Expenditure.void_reason == "",
        )
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
        if (not program or p.id != ids[0]) and not mine and p.id not in spent:
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


def budget_total(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The sum of :func:`budget` rows, as one more row named ``total`` (over when the summed
    estimate passes the summed budget)."""
    sums = {
        name: sum((Decimal(r[name]) for r in rows), Decimal(0))
        for name in ("capital", "operating", "budget", "actual", "estimate_at_completion")
    }
    return {
        "program": "total",
        "year": rows[0]["year"] if rows else None,
        **{name: f"{value:.2f}" for name, value in sums.items()},
        "variance": f"{sums['budget'] - sums['estimate_at_completion']:.2f}",
        "over": sums["estimate_at_completion"] > sums["budget"],
    }


def budget_line_facts(line: BudgetLine) -> dict[str, Any]:
    """One budget line as plain data."""
    estimate = line.estimate_at_completion
    return {
        "id": line.id,
        "program": line.program.code,
        "year": line.fiscal_year,
        "kind": line.kind,
        "name": line.name,
        "amount": f"{line.amount:.2f}",
        "estimate_at_completion": f"{estimate:.2f}" if estimate is not None else None,
        "version": line.version,
    }


def list_budget_lines(program: str | None = None, year: int | None = None) -> list[BudgetLine]:
    """Budget lines (of a program and the programs under it; of a fiscal year), by program,
    year and name."""
    query = BudgetLine.select(BudgetLine, Program).join(Program)
    if program:
        query = query.where(BudgetLine.program.in_(program_and_children(program)))
    if year is not None:
        query = query.where(BudgetLine.fiscal_year == year)
    return list(query.order_by(Program.code, BudgetLine.fiscal_year, BudgetLine.name))


def update_budget_line(
    ctx: Context, line_id: int, version: int | None = None, **changes: Any
) -> BudgetLine:
    """Change a budget line: name, kind, year, amount, estimate (empty clears it), program."""
    known = {"name", "kind", "year", "amount", "estimate", "program"}
    unknown = set(changes) - known
    if unknown:
        raise ValidationError(sorted(unknown)[0], "is not a field of a budget line")
    values: dict[str, Any] = {}
    if "name" in changes:
        values["name"] = text("name", changes["name"])
    if "kind" in changes:
        values["kind"] = choice("kind", changes["kind"], BUDGET_KINDS)
    if "year" in changes:
        values["fiscal_year"] = whole_number("year", changes["year"], minimum=2000, maximum=2100)
    if "amount" in changes:
        values["amount"] = money("amount", changes["amount"], decimal_comma=ctx.decimal_comma)
        if values["amount"] < 0:
            raise ValidationError("amount", "expected an amount of zero or more")
    if "estimate" in changes:
        typed = changes["estimate"]
        values["estimate_at_completion"] = (
            money("estimate", typed, decimal_comma=ctx.decimal_comma) if typed else None
        )
    with write():
        line = records.get_current(BudgetLine, line_id, version)
        if "program" in changes:
            values["program"] = get_program(changes["program"])
        return records.update(ctx, line, line.version, **values)


# --- costs that are not contract expenditures --------------------------------------------


def cost_facts(cost: Cost) -> dict[str, Any]:
    """One cost as plain data."""
    return {
        "id": cost.id,
        "program": cost.program.code,
        "date": cost.date.isoformat(),
        "amount": f"{cost.amount:.2f}",
        "currency": cost.currency,
        "description": cost.description,
        "version": cost.version,
    }


def list_costs(program: str | None = None, year: int | None = None) -> list[Cost]:
    """Costs that are not contract expenditures (of a program and those under it; in a fiscal
    year), newest first."""
    query = Cost.select(Cost, Program).join(Program)
    if program:
        query = query.where(Cost.program.in_(program_and_children(program)))
    if year is not None:
        first, after = fiscal_bounds(year)
        query = query.where(Cost.date >= first, Cost.date < after)
    return list(query.order_by(Cost.date.desc(), Cost.id.desc()))


def update_cost(ctx: Context, cost_id: int, version: int | None = None, **changes: Any) -> Cost:
    """Change a cost: amount, date, description, program."""
    known = {"amount", "date", "description", "program"}
    unknown = set(changes) - known
    if unknown:
        raise ValidationError(sorted(unknown)[0], "is not a field of a cost")
    values: dict[str, Any] = {}
    if "amount" in changes:
        values["amount"] = _cost_amount(ctx, changes["amount"])
    if "date" in changes:
        values["date"] = parse_date(
            changes["date"], ctx.today(), field="date", day_first=ctx.day_first
        )
    if "description" in changes:
        values["description"] = text("description", changes["description"], required=False)
    with write():
        cost = records.get_current(Cost, cost_id, version)
        if "program" in changes:
            values["program"] = get_program(changes["program"])
        return records.update(ctx, cost, cost.version, **values)


def _cost_amount(ctx: Context, typed: str) -> Decimal:
    value = money("amount", typed, decimal_comma=ctx.decimal_comma)
    if value == 0:
        raise ValidationError("amount", "expected an amount other than zero")
    return value


# --- metrics ----------------------------------------------------------------------------


# a measured value as people write it: 99.95, -3, 12.5% (no exponents, nan or infinities)
_NUMBER = re.compile(r"[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)")
# what a metric can mean: at most 15 digits before the point and 6 after
_LARGEST = Decimal(10) ** 15
_PLACES = 6


def number(field: str, typed: str | int | Decimal) -> Decimal:
    """A measured value or threshold as a Decimal (99.95 stays 99.95)."""
    cleaned = str(typed).strip().rstrip("%").strip()
    if not isinstance(typed, int | Decimal) and not _NUMBER.fullmatch(cleaned):
        raise ValidationError(field, f"expected a number such as 99.5 or 12, got {shown(cleaned)}")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValidationError(field, f"expected a number, got {shown(cleaned)}") from None
    if not value.is_finite() or abs(value) >= _LARGEST:
        raise ValidationError(field, f"expected a number below {_LARGEST:,}, got {shown(cleaned)}")
    if value != value.quantize(Decimal(1).scaleb(-_PLACES), rounding=ROUND_DOWN):
        raise ValidationError(
            field, f"expected at most {_PLACES} decimal places, got {shown(cleaned)}"
        )
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
    _check_thresholds(way, goal, warn, bad)
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


def _check_thresholds(way: str, goal: Decimal, warn: Decimal, bad: Decimal) -> None:
    """Red, amber and target must sit in order for the metric's direction."""
    ordered = bad < warn < goal if way == "higher" else goal < warn < bad
    if not ordered:
        sign = "<" if way == "higher" else ">"
        raise ValidationError(
            "amber",
            f"expected red {sign} amber {sign} target when {way} is better, "
            f"got red {bad}, amber {warn}, target {goal}",
        )


METRIC_FIELDS = ("name", "unit", "direction", "target", "amber", "red", "cadence")


def update_metric(
    ctx: Context,
    metric: str | int,
    version: int | None = None,
    *,
    program: str | None = None,
    **changes: Any,
) -> Metric:
    """Change the one metric ``metric`` names (in ``program``, when given): name, unit,
    direction, target, amber, red, cadence; the thresholds it ends with must be in order for
    the direction it ends with."""
    unknown = set(changes) - set(METRIC_FIELDS)
    if unknown:
        raise ValidationError(sorted(unknown)[0], "is not a field of a metric")
    values: dict[str, Any] = {}
    if "name" in changes:
        values["name"] = text("name", changes["name"])
    for name in ("unit", "cadence"):
        if name in changes:
            values[name] = text(name, changes[name], required=False)
    if "direction" in changes:
        values["direction"] = choice("direction", changes["direction"], METRIC_DIRECTIONS)
    for name in ("target", "amber", "red"):
        if name in changes:
            values[name] = str(number(name, changes[name]))
    with write():
        found = find_metric(metric, program)
        if version is not None:
            found = records.get_current(Metric, found.id, version)
        merged = {n: values.get(n, getattr(found, n)) for n in ("target", "amber", "red")}
        _check_thresholds(
            values.get("direction", found.direction),
            Decimal(merged["target"]),
            Decimal(merged["amber"]),
            Decimal(merged["red"]),
        )
        return records.update(ctx, found, found.version, **values)


def find_metric(typed: str | int, program: str | None = None) -> Metric:
    """The one metric ``typed`` names (its id, or its name in ``program`` when given); a name
    that several programs' metrics share is refused with them, never guessed."""
    number = typed if isinstance(typed, int) else typed_id(typed)
    if number is not None:
        return records.get(Metric, number)
    query = (
        Metric.select(Metric, Program)
        .join(Program, JOIN.LEFT_OUTER)
        .where(fn.lower(Metric.name) == str(typed).strip().lower())
    )
    if program:
        query = query.where(Metric.program == get_program(program))
    return exactly_one(
        "metric",
        str(typed),
        list(query.order_by(Program.code, Metric.id)),
        noun="metric",
        describe=lambda m: f"#{m.id} in {m.program.code if m.program else 'no program'}",
        narrow="give --program or the metric's id",
    )


def record_measurement(
    ctx: Context,
    metric: str | int,
    value: str,
    *,
    on: str | None = None,
    note: str = "",
    program: str | None = None,
) -> Measurement:
    """Record a reading of the one metric ``metric`` names (in ``program``, when given)."""
    day = parse_date(on, ctx.today(), field="date", day_first=ctx.day_first) if on else ctx.today()
    reading = number("value", value)
    with write():
        return records.create(
            ctx, Measurement, metric=find_metric(metric, program), taken_on=day, value=str(reading),
            note=text("note", note, required=False),
        )  # fmt: skip


def metrics(program: str | None = None) -> list[dict[str, Any]]:
    """Metrics with their latest value, its status and their history (oldest first)."""
    query = Metric.select(Metric, Program).join(Program, JOIN.LEFT_OUTER)
    if program:
        query = query.where(Metric.program.in_(program_and_children(program)))
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
