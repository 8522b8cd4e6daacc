"""Budgets: per program and fiscal year, lines (capital or operating) with amounts, and costs
that are not contract expenditures.

Actuals are the program's contract expenditures and other costs in the fiscal year; the
estimate at completion is the line's own estimate when someone gave one, else the actuals
so far projected over the whole year at the rate to date; variance is budget minus estimate
(negative: over). Money in Decimal.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any, Literal, NamedTuple, TypedDict

from peewee import SQL, Value, fn

from docket.models.core import records
from docket.models.core.context import Context
from docket.models.core.database import write
from docket.models.core.dates import parse_date
from docket.models.core.errors import ValidationError
from docket.models.core.fields import CENT
from docket.models.core.inputs import choice, money, text, whole_number
from docket.models.core.schema import BUDGET_KINDS, BudgetLine, Contract, Cost, Expenditure, Program
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


class BudgetRow(TypedDict):
    """One program's budget for a fiscal year (amounts as text, to the cent)."""

    program: str
    # None only in the total of no rows
    year: int | None
    capital: str
    operating: str
    budget: str
    actual: str
    estimate_at_completion: str
    variance: str
    over: bool


class Spent(NamedTuple):
    """Money spent by a program on some days: contract expenditures or other costs."""

    program_id: int
    # "contract" (expenditures on its contracts) or "cost" (other costs)
    source: str
    # YYYY-MM when asked by month, else ""
    month: str
    currency: str
    amount: Decimal
    entries: int


def spending(
    ids: Sequence[int] | None, first: date, after: date, *, by_month: bool = False
) -> list[Spent]:
    """What counts as a program's actual spending, in one place: the expenditures on its
    contracts that are not void, and its other costs, dated in ``[first, after)``, summed by
    program, source and currency (and month when ``by_month``); ``ids`` None is every
    program. The budget's actuals, the app's burn charts and "what changed" all read it."""
    found: list[Spent] = []
    for source, model, program, currency in (
        ("contract", Expenditure, Contract.program, Contract.currency),
        ("cost", Cost, Cost.program, Cost.currency),
    ):
        # the month's bounds written in the SQL, not passed: PostgreSQL groups by an
        # expression only when it is the selected one, and two parameters are not the same
        month = fn.substr(model.date, SQL("1"), SQL("7")) if by_month else Value("")
        query: Any = model.select(
            program, month, currency, fn.SUM(model.amount), fn.COUNT(model.id)
        )
        if model is Expenditure:
            query = query.join(Contract).where(Expenditure.void_reason == "")
        query = query.where(model.date >= first, model.date < after)
        if ids is not None:
            query = query.where(program.in_(list(ids)))
        for pid, when, money_in, cents, count in query.group_by(program, month, currency).tuples():
            amount = Expenditure.amount.python_value(cents) or Decimal(0)
            found.append(Spent(pid, source, when, money_in, amount, count))
    return found


def budget(program: str | None, year: int, today: date) -> list[BudgetRow]:
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
    for row in spending(ids, first, after):
        spent[row.program_id] = spent.get(row.program_id, Decimal(0)) + row.amount
    elapsed = max(1, min((today - first).days, (after - first).days))
    length = (after - first).days
    rows: list[BudgetRow] = []
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


# the columns of a budget row that are amounts
AmountColumn = Literal["capital", "operating", "budget", "actual", "estimate_at_completion"]


def budget_total(rows: list[BudgetRow]) -> BudgetRow:
    """The sum of :func:`budget` rows, as one more row named ``total`` (over when the summed
    estimate passes the summed budget)."""

    def summed(
        name: Literal["capital", "operating", "budget", "actual", "estimate_at_completion"],
    ) -> Decimal:
        return sum((Decimal(r[name]) for r in rows), Decimal(0))

    budgeted, estimate = summed("budget"), summed("estimate_at_completion")
    return {
        "program": "total",
        "year": rows[0]["year"] if rows else None,
        "capital": f"{summed('capital'):.2f}",
        "operating": f"{summed('operating'):.2f}",
        "budget": f"{budgeted:.2f}",
        "actual": f"{summed('actual'):.2f}",
        "estimate_at_completion": f"{estimate:.2f}",
        "variance": f"{budgeted - estimate:.2f}",
        "over": estimate > budgeted,
    }


class BudgetLineFacts(TypedDict):
    """One budget line as plain data."""

    id: int
    program: str
    year: int
    kind: str
    name: str
    amount: str
    estimate_at_completion: str | None
    version: int


def budget_line_facts(line: BudgetLine) -> BudgetLineFacts:
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


class CostFacts(TypedDict):
    """One cost (spending outside contracts) as plain data."""

    id: int
    program: str
    date: str
    amount: str
    currency: str
    description: str
    version: int


def cost_facts(cost: Cost) -> CostFacts:
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
