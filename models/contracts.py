"""Vendors, contracts and what has been spent on them.

A contract has a vendor, a number, a program, dates, a ceiling and a currency; expenditures
(a date, an amount, an invoice reference) reduce what remains. Derived here, in one place:
burn (spent, remaining, percent of the ceiling), the burn rate over the last three months,
the day the money runs out at that rate, and the committed cost of the assignments under
the contract from today to their end. Money is ``Decimal`` throughout, never float.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from peewee import JOIN, fn

from docket.models import records
from docket.models.context import Context
from docket.models.database import write
from docket.models.dates import parse_date
from docket.models.errors import NotFoundError, ValidationError
from docket.models.fields import CENT
from docket.models.inputs import text
from docket.models.people import find_person
from docket.models.programs import get_program
from docket.models.schema import Assignment, Contract, Expenditure, Person, Program, Vendor

# the burn rate is the spend of the last three months, per month
BURN_MONTHS = 3
BURN_DAYS = 91
# an hourly rate times this many hours is a full-time day
HOURS_PER_DAY = 8
# contracts worth a warning: this share of the ceiling spent, or ending this soon
NEAR_CEILING = Decimal("0.8")
ENDING_DAYS = 60


def money(field: str, typed: str | int | Decimal) -> Decimal:
    """An amount typed as ``12500``, ``12,500.50`` or ``$12,500``: a Decimal to the cent."""
    cleaned = str(typed).strip().replace(",", "").lstrip("$€£")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise ValidationError(
            field, f"expected an amount such as 12500.00, got {typed!r}"
        ) from None
    if not amount.is_finite():
        raise ValidationError(field, f"expected an amount such as 12500.00, got {typed!r}")
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def typed_day(
    ctx: Context, field: str, typed: str | date | None, default: date | None = None
) -> date:
    if isinstance(typed, date):
        return typed
    if not typed:
        if default is None:
            raise ValidationError(field, "expected a date, got nothing")
        return default
    return parse_date(typed, ctx.today(), field=field, day_first=ctx.day_first)


# --- vendors and contracts --------------------------------------------------------------


def find_vendor(typed: str | int) -> Vendor:
    """A vendor by id or name (case does not matter)."""
    if isinstance(typed, int) or str(typed).isdigit():
        return records.get(Vendor, int(typed))
    found = Vendor.get_or_none(fn.lower(Vendor.name) == str(typed).strip().lower())
    if found is None:
        raise NotFoundError(f"vendor: no vendor named {typed!r}; add it with 'docket vendor add'")
    return found


def add_vendor(ctx: Context, name: str, *, contact: str | None = None, note: str = "") -> Vendor:
    """A new vendor (its name is unique)."""
    values = {
        "name": text("name", name),
        "contact_note": text("note", note, required=False, max_length=2000),
    }
    with write():
        if Vendor.get_or_none(fn.lower(Vendor.name) == values["name"].lower()) is not None:
            raise ValidationError("name", f"a vendor named {values['name']!r} exists already")
        person = find_person(contact, field="contact") if contact else None
        return records.create(ctx, Vendor, contact=person, **values)


def find_contract(typed: str | int) -> Contract:
    """A contract by its number (``C-2026-0303``) or id."""
    if isinstance(typed, int):
        return records.get(Contract, typed)
    found = Contract.get_or_none(fn.lower(Contract.number) == str(typed).strip().lower())
    if found is None and str(typed).isdigit():
        found = Contract.get_or_none(Contract.id == int(typed))
    if found is None:
        raise NotFoundError(f"contract: no contract {typed!r}")
    return found


def add_contract(
    ctx: Context,
    number: str,
    *,
    vendor: str,
    program: str,
    start: str | date,
    end: str | date,
    ceiling: str | Decimal,
    currency: str = "USD",
    title: str = "",
) -> Contract:
    """A new contract; its end may not come before its start."""
    first, last = typed_day(ctx, "start", start), typed_day(ctx, "end", end)
    if last < first:
        raise ValidationError("end", f"expected a day on or after the start ({first}), got {last}")
    limit = money("ceiling", ceiling)
    if limit < 0:
        raise ValidationError("ceiling", "expected an amount of zero or more")
    code = currency.strip().upper()
    if len(code) != 3 or not code.isalpha():
        raise ValidationError(
            "currency", f"expected a three-letter code such as USD, got {currency!r}"
        )
    with write():
        if Contract.get_or_none(fn.lower(Contract.number) == number.strip().lower()):
            raise ValidationError("number", f"contract {number.strip()} exists already")
        return records.create(
            ctx,
            Contract,
            number=text("number", number, max_length=60),
            title=text("title", title, required=False),
            vendor=find_vendor(vendor),
            program=get_program(program),
            start=first,
            end=last,
            ceiling=limit,
            currency=code,
        )


def add_expenditure(
    ctx: Context,
    contract: str | int,
    amount: str | Decimal,
    *,
    on: str | date | None = None,
    invoice: str = "",
) -> Expenditure:
    """Money spent on a contract (a negative amount is a credit note)."""
    value = money("amount", amount)
    if value == 0:
        raise ValidationError("amount", "expected an amount other than zero")
    with write():
        found = find_contract(contract)
        return records.create(
            ctx,
            Expenditure,
            contract=found,
            date=typed_day(ctx, "date", on, ctx.today()),
            amount=value,
            invoice_ref=text("invoice", invoice, required=False, max_length=120),
        )


# --- burn ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Burn:
    """What a contract has spent and will need, as of a day."""

    contract: Contract
    spent: Decimal
    # the spend of the last three months, per month
    monthly_rate: Decimal
    # the cost of current assignments under it from the day to their end
    committed: Decimal
    today: date

    @property
    def remaining(self) -> Decimal:
        return Decimal(self.contract.ceiling) - self.spent

    @property
    def share(self) -> Decimal:
        ceiling = Decimal(self.contract.ceiling)
        return self.spent / ceiling if ceiling else Decimal(0)

    @property
    def percent(self) -> int:
        return int((self.share * 100).to_integral_value(rounding=ROUND_HALF_UP))

    @property
    def runs_out(self) -> date | None:
        """The day the remaining money is spent at the current rate (None: no spending,
        or it lasts past the contract's end)."""
        if self.monthly_rate <= 0:
            return None
        if self.remaining <= 0:
            return self.today
        days = int(self.remaining / self.monthly_rate * Decimal(BURN_DAYS) / BURN_MONTHS)
        day = self.today + timedelta(days=days)
        return day if day <= self.contract.end else None

    @property
    def days_left(self) -> int:
        return (self.contract.end - self.today).days

    @property
    def near_ceiling(self) -> bool:
        return self.share >= NEAR_CEILING

    @property
    def ending_soon(self) -> bool:
        return 0 <= self.days_left <= ENDING_DAYS


def weekdays(first: date, last: date) -> int:
    """Monday-to-Friday days in [first, last]."""
    if last < first:
        return 0
    days = (last - first).days + 1
    whole, rest = divmod(days, 7)
    count = whole * 5
    for offset in range(rest):
        if (first.weekday() + offset) % 7 < 5:
            count += 1
    return count


def assignment_cost(assignment: Assignment, first: date, last: date) -> Decimal:
    """An assignment's cost over [first, last] within its dates: hourly rate x 8 hours x
    allocation on each weekday (none without a rate)."""
    if assignment.rate is None:
        return Decimal(0)
    days = weekdays(max(first, assignment.start), min(last, assignment.end))
    cost = Decimal(assignment.rate) * HOURS_PER_DAY * days * assignment.allocation / 100
    return cost.quantize(CENT, rounding=ROUND_HALF_UP)


def burns(
    today: date, contract_ids: Iterable[int] | None = None, program_ids: Iterable[int] | None = None
) -> list[Burn]:
    """The burn of contracts (these ids, these programs' or all) in four queries."""
    query = Contract.select(Contract, Vendor, Program).join(Vendor).join_from(Contract, Program)
    if contract_ids is not None:
        query = query.where(Contract.id.in_(list(contract_ids)))
    if program_ids is not None:
        query = query.where(Contract.program.in_(list(program_ids)))
    contracts = list(query.order_by(Contract.end, Contract.id))
    ids = [c.id for c in contracts]
    totals: Any = (
        Expenditure.select(Expenditure.contract, fn.SUM(Expenditure.amount))
        .where(Expenditure.contract.in_(ids))
        .group_by(Expenditure.contract)
        .tuples()
    )
    recent: Any = (
        Expenditure.select(Expenditure.contract, fn.SUM(Expenditure.amount))
        .where(
            Expenditure.contract.in_(ids),
            Expenditure.date > today - timedelta(days=BURN_DAYS),
            Expenditure.date <= today,
        )
        .group_by(Expenditure.contract)
        .tuples()
    )
    # SUM of a money column comes back in the database's integer cents
    spent = {cid: Expenditure.amount.python_value(cents) for cid, cents in totals}
    lately = {cid: Expenditure.amount.python_value(cents) for cid, cents in recent}
    committed: dict[int, Decimal] = {}
    current = Assignment.select(
        Assignment.contract,
        Assignment.rate,
        Assignment.allocation,
        Assignment.start,
        Assignment.end,
    ).where(Assignment.contract.in_(ids), Assignment.end >= today)
    for a in current:
        cid = a.__data__["contract"]
        committed[cid] = committed.get(cid, Decimal(0)) + assignment_cost(a, today, a.end)
    return [
        Burn(
            c,
            spent.get(c.id) or Decimal(0),
            ((lately.get(c.id) or Decimal(0)) / BURN_MONTHS).quantize(CENT, rounding=ROUND_HALF_UP),
            committed.get(c.id, Decimal(0)),
            today,
        )
        for c in contracts
    ]


def burn_facts(burn: Burn) -> dict[str, Any]:
    """A contract's burn as plain data (amounts as text, to the cent)."""
    c = burn.contract
    runs_out = burn.runs_out
    return {
        "id": c.id,
        "number": c.number,
        "title": c.title,
        "vendor": c.vendor.name,
        "program": c.program.code,
        "start": c.start.isoformat(),
        "end": c.end.isoformat(),
        "currency": c.currency,
        "ceiling": f"{Decimal(c.ceiling):.2f}",
        "spent": f"{burn.spent:.2f}",
        "remaining": f"{burn.remaining:.2f}",
        "percent": burn.percent,
        "monthly_rate": f"{burn.monthly_rate:.2f}",
        "runs_out": runs_out.isoformat() if runs_out else None,
        "committed": f"{burn.committed:.2f}",
        "over_committed": burn.committed > burn.remaining,
        "days_left": burn.days_left,
        "near_ceiling": burn.near_ceiling,
        "ending_soon": burn.ending_soon,
    }


def list_vendors() -> list[dict[str, Any]]:
    """Every vendor with its contact and its number of contracts."""
    query = (
        Vendor.select(Vendor, Person, fn.COUNT(Contract.id).alias("contracts"))
        .join(Person, JOIN.LEFT_OUTER, on=(Vendor.contact == Person.id))
        .join_from(Vendor, Contract, JOIN.LEFT_OUTER)
        .group_by(Vendor.id)
        .order_by(fn.lower(Vendor.name))
    )
    rows: list[dict[str, Any]] = []
    for v in query:
        contact: Any = v.contact if v.__data__.get("contact") else None
        count: Any = getattr(v, "contracts", 0)
        rows.append(
            {
                "id": v.id,
                "name": v.name,
                "contact": contact.name if contact else None,
                "contracts": count,
                "note": v.contact_note,
            }
        )
    return rows


def list_expenditures(
    *, contract: str | None = None, program: str | None = None
) -> list[dict[str, Any]]:
    """Expenditures as plain data (the columns ``docket import csv expenditures`` reads),
    newest first."""
    query = (
        Expenditure.select(Expenditure, Contract, Vendor, Program)
        .join(Contract)
        .join(Vendor)
        .join_from(Contract, Program)
    )
    if contract:
        query = query.where(Expenditure.contract == find_contract(contract))
    if program:
        query = query.where(Contract.program == get_program(program))
    return [
        {
            "contract": e.contract.number,
            "date": e.date.isoformat(),
            "amount": f"{e.amount:.2f}",
            "invoice": e.invoice_ref,
            "vendor": e.contract.vendor.name,
            "program": e.contract.program.code,
        }
        for e in query.order_by(Expenditure.date.desc(), Expenditure.id.desc())
    ]
