"""Vendors, contracts and what has been spent on them.

A contract has a vendor, a number, a program, dates, a ceiling and a currency; expenditures
(a date, an amount, an invoice reference) reduce what remains. Derived here, in one place:
burn (spent, remaining, percent of the ceiling), the burn rate over the last three months,
the day the money runs out at that rate, and the committed cost of the assignments under
the contract from today to their end. Money is ``Decimal`` throughout, never float.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from peewee import JOIN, fn

from docket.models.core import records
from docket.models.core.context import Context
from docket.models.core.database import write
from docket.models.core.dates import parse_date
from docket.models.core.errors import NotFoundError, ValidationError
from docket.models.core.fields import CENT
from docket.models.core.inputs import MAX_INTEGER, money, shown, text, typed_id
from docket.models.core.lookup import exactly_one, name_matches, words
from docket.models.core.schema import (
    Assignment,
    Contract,
    ContractAmendment,
    Expenditure,
    Person,
    Program,
    Vendor,
)
from docket.models.people.directory import find_person
from docket.models.portfolio.programs import get_program, program_and_children

# the burn rate is the spend of the last three months, per month
BURN_MONTHS = 3
BURN_DAYS = 91
# an hourly rate times this many hours is a full-time day
HOURS_PER_DAY = 8
# contracts worth a warning: this share of the ceiling spent, or ending this soon
NEAR_CEILING = Decimal("0.8")
ENDING_DAYS = 60


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
    """The one vendor ``typed`` names: its id, its name, or the starts of its name's words
    (accents and case aside); several are refused with their ids, never guessed."""
    number = typed if isinstance(typed, int) else typed_id(typed)
    if number is not None:
        return records.get(Vendor, number)
    wanted = words(str(typed))
    every = list(Vendor.select(Vendor.id, Vendor.name).order_by(fn.lower(Vendor.name)))
    same = [v for v in every if words(v.name) == wanted]
    loose = [v for v in every if name_matches(wanted, v.name)]
    if not (same or loose):
        raise NotFoundError(
            f"vendor: no vendor named {shown(str(typed))}; add it with 'docket vendor add'"
        )
    found = exactly_one(
        "vendor",
        str(typed),
        same or loose,
        noun="vendor",
        describe=lambda v: f"{v.name} (#{v.id})",
        narrow="give its full name or id",
    )
    return records.get(Vendor, found.id)


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


def update_vendor(
    ctx: Context, vendor: str | int, version: int | None = None, **changes: str | None
) -> Vendor:
    """Change a vendor's name, contact (a person; blank for none) or note; the name stays
    unique (``version`` None: as the vendor is now, for the command line)."""
    unknown = set(changes) - {"name", "contact", "note"}
    if unknown:
        raise ValidationError(sorted(unknown)[0], "is not a field of a vendor")
    values: dict[str, Any] = {}
    if "name" in changes:
        values["name"] = text("name", changes["name"])
    if "note" in changes:
        values["contact_note"] = text("note", changes["note"], required=False, max_length=2000)
    with write():
        found = find_vendor(vendor)
        if "name" in values:
            other = Vendor.get_or_none(fn.lower(Vendor.name) == values["name"].lower())
            if other is not None and other.id != found.id:
                raise ValidationError(
                    "name", f"a vendor named {shown(other.name)} exists already (#{other.id})"
                )
        if "contact" in changes:
            typed = changes["contact"]
            values["contact"] = find_person(typed, field="contact") if typed else None
        return records.update(ctx, found, version, **values)


def find_contract(typed: str | int) -> Contract:
    """The one contract ``typed`` names: its number (``C-2026-0303``, case aside), its id,
    or the start of its number; several are refused with their vendor and program."""
    if isinstance(typed, int):
        return records.get(Contract, typed)
    cleaned = str(typed).strip()
    exact = list(Contract.select().where(fn.lower(Contract.number) == cleaned.lower()))
    number = typed_id(cleaned)
    if not exact and number is not None and 1 <= number <= MAX_INTEGER:
        exact = list(Contract.select().where(Contract.id == number))
    found = exact or list(
        Contract.select()
        .where(fn.lower(Contract.number).startswith(cleaned.lower()))
        .order_by(Contract.number)
        .limit(6)
    )
    if not found:
        raise NotFoundError(f"contract: no contract {shown(cleaned)}")
    return exactly_one(
        "contract",
        cleaned,
        found,
        noun="contract",
        describe=lambda c: f"{c.number} ({c.vendor.name}, {c.program.code})",
        narrow="give its whole number",
    )


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
    limit = money("ceiling", ceiling, decimal_comma=ctx.decimal_comma)
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
    over_ceiling: str = "",
) -> Expenditure:
    """Money spent on a contract (a negative amount is a credit note). One that takes the
    contract past its ceiling is refused unless ``over_ceiling`` gives the reason."""
    with write():
        values = expenditure_values(
            ctx, contract, amount, on=on, invoice=invoice, over_ceiling=over_ceiling
        )
        note = f"over the ceiling: {values['over_ceiling']}" if values["over_ceiling"] else ""
        return records.create(ctx, Expenditure, audit_note=note, **values)


def expenditure_values(
    ctx: Context,
    contract: str | int,
    amount: str | Decimal,
    *,
    on: str | date | None = None,
    invoice: str = "",
    over_ceiling: str = "",
    leaving_out: int | None = None,
) -> dict[str, Any]:
    """A new expenditure's fields, each checked, the contract found (call inside a write
    transaction: the ceiling check reads what the contract has spent, but ``leaving_out``,
    the one these fields would replace)."""
    value = money("amount", amount, decimal_comma=ctx.decimal_comma)
    if value == 0:
        raise ValidationError("amount", "expected an amount other than zero")
    found = find_contract(contract)
    reason = text("over ceiling", over_ceiling, required=False, max_length=2000)
    return {
        "contract": found,
        "date": typed_day(ctx, "date", on, ctx.today()),
        "amount": value,
        "invoice_ref": text("invoice", invoice, required=False, max_length=120),
        "over_ceiling": within_ceiling(found, value, reason, leaving_out),
    }


def spent_on(contract: Contract, leaving_out: int | None = None) -> Decimal:
    """What a contract has spent: its expenditures that are not void (but ``leaving_out``)."""
    query = Expenditure.select(fn.SUM(Expenditure.amount)).where(
        Expenditure.contract == contract.id, Expenditure.void_reason == ""
    )
    if leaving_out is not None:
        query = query.where(Expenditure.id != leaving_out)
    cents = query.scalar()
    value: Decimal | None = Expenditure.amount.python_value(cents)
    return value if value is not None else Decimal(0)


def within_ceiling(
    contract: Contract, amount: Decimal, reason: str, leaving_out: int | None = None
) -> str:
    """The reason to keep with an expenditure of ``amount`` on ``contract``: none when the
    spend stays within the ceiling (or the amount is a credit), else the reason given; an
    expenditure past the ceiling without one is refused, with the figures."""
    if amount <= 0:
        return ""
    spent = spent_on(contract, leaving_out)
    ceiling = Decimal(contract.ceiling)
    if spent + amount <= ceiling:
        return ""
    if reason:
        return reason
    share = (spent + amount) / ceiling * 100 if ceiling else Decimal(0)
    past = f"{share:.1f} % of" if ceiling else "past"
    raise ValidationError(
        "amount",
        f"{amount:,.2f} would take contract {contract.number} to {past} its ceiling of "
        f"{ceiling:,.2f} {contract.currency} (spent so far {spent:,.2f}); amend the ceiling, "
        "or record it past the ceiling with a reason (--over-ceiling)",
    )


def get_expenditure(expenditure_id: int) -> Expenditure:
    found: Expenditure = records.get(Expenditure, expenditure_id)
    return found


def correct_expenditure(
    ctx: Context,
    expenditure_id: int,
    version: int | None = None,
    *,
    reason: str,
    over_ceiling: str = "",
    **changes: Any,
) -> Expenditure:
    """Correct an expenditure (amount, date, invoice), with the reason, which the audit keeps.
    A void one cannot be corrected; a corrected amount past the ceiling needs
    ``over_ceiling`` as a new one does."""
    known = {"amount", "date", "invoice"}
    unknown = set(changes) - known
    if unknown:
        raise ValidationError(sorted(unknown)[0], "is not a field of an expenditure")
    why = text("reason", reason, max_length=2000)
    values: dict[str, Any] = {}
    if "amount" in changes:
        values["amount"] = money("amount", changes["amount"], decimal_comma=ctx.decimal_comma)
        if values["amount"] == 0:
            raise ValidationError("amount", "expected an amount other than zero (or void it)")
    if "date" in changes:
        values["date"] = typed_day(ctx, "date", changes["date"])
    if "invoice" in changes:
        values["invoice_ref"] = text("invoice", changes["invoice"], required=False, max_length=120)
    with write():
        found = records.get_current(Expenditure, expenditure_id, version)
        if found.void_reason:
            raise ValidationError(
                "expenditure", f"expenditure {expenditure_id} is void ({found.void_reason})"
            )
        if "amount" in values:
            extra = text("over ceiling", over_ceiling, required=False, max_length=2000)
            kept = within_ceiling(found.contract, values["amount"], extra, leaving_out=found.id)
            if kept != found.over_ceiling:
                values["over_ceiling"] = kept
        return records.update(ctx, found, found.version, note=f"corrected: {why}", **values)


def void_expenditure(
    ctx: Context, expenditure_id: int, version: int | None = None, *, reason: str
) -> Expenditure:
    """Void an expenditure, with the reason: it stays on record (and in the contract's view)
    but counts in no spend, burn or budget."""
    why = text("reason", reason, max_length=2000)
    with write():
        found = records.get_current(Expenditure, expenditure_id, version)
        if found.void_reason:
            raise ValidationError(
                "expenditure", f"expenditure {expenditure_id} is void already ({found.void_reason})"
            )
        return records.update(ctx, found, found.version, note=f"voided: {why}", void_reason=why)


# --- amendments ---------------------------------------------------------------------------


def amend_contract(
    ctx: Context,
    contract: str | int,
    *,
    reason: str,
    ceiling: str | Decimal | None = None,
    start: str | date | None = None,
    end: str | date | None = None,
    rate: str | Decimal | None = None,
    version: int | None = None,
) -> ContractAmendment:
    """Amend a contract's terms (ceiling, start, end, the hourly rate of its assignments that
    have not ended), with the reason: the contract changes, and an amendment records each
    term as it was and became (both audited). The ceiling may not drop below what is spent."""
    why = text("reason", reason, max_length=2000)
    if all(v in (None, "") for v in (ceiling, start, end, rate)):
        raise ValidationError("terms", "expected a new ceiling, start, end or rate to amend")
    with write():
        found = find_contract(contract)
        if version is not None:
            found = records.get_current(Contract, found.id, version)
        values: dict[str, Any] = {}
        changes: dict[str, list[Any]] = {}
        if ceiling not in (None, ""):
            assert ceiling is not None
            limit = money("ceiling", ceiling, decimal_comma=ctx.decimal_comma)
            spent = spent_on(found)
            if limit < spent:
                raise ValidationError(
                    "ceiling",
                    f"expected at least what contract {found.number} has spent "
                    f"({spent:,.2f}), got {limit:,.2f}",
                )
            values["ceiling"] = limit
        if start not in (None, ""):
            values["start"] = typed_day(ctx, "start", start)
        if end not in (None, ""):
            values["end"] = typed_day(ctx, "end", end)
        first, last = values.get("start", found.start), values.get("end", found.end)
        if last < first:
            raise ValidationError(
                "end", f"expected a day on or after the start ({first}), got {last}"
            )
        for name, new in values.items():
            old = getattr(found, name)
            if old != new:
                changes[name] = [_term(old), _term(new)]
        if rate not in (None, ""):
            assert rate is not None
            changes.update(_amend_rates(ctx, found, rate))
        if not changes:
            raise ValidationError("terms", f"contract {found.number} has these terms already")
        note = f"amended: {why}"
        kept = {n: v for n, v in values.items() if n in changes}
        if kept:
            found = records.update(ctx, found, found.version, note=note, **kept)
        return records.create(
            ctx,
            ContractAmendment,
            audit_note=note,
            contract=found,
            made_on=ctx.today(),
            changes=json.dumps(changes, sort_keys=True),
            reason=why,
            made_by=ctx.actor,
        )


def _term(value: Any) -> str:
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _amend_rates(ctx: Context, contract: Contract, typed: str | Decimal) -> dict[str, list[Any]]:
    """Set the hourly rate of the contract's assignments that have not ended; what they
    were (one rate, or several joined) and became."""
    rate = money("rate", typed, decimal_comma=ctx.decimal_comma)
    if rate < 0:
        raise ValidationError("rate", "expected a rate of zero or more")
    current = list(
        Assignment.select()
        .where(Assignment.contract == contract.id, Assignment.end >= ctx.today())
        .order_by(Assignment.id)
    )
    if not current:
        raise ValidationError(
            "rate", f"contract {contract.number} has no assignment that has not ended"
        )
    old = sorted({"none" if a.rate is None else f"{a.rate:.2f}" for a in current})
    for a in current:
        if a.rate != rate:
            records.update(ctx, a, a.version, note=f"contract {contract.number} amended", rate=rate)
    if old == [f"{rate:.2f}"]:
        return {}
    return {"rate": [", ".join(old), f"{rate:.2f}"]}


def amendments_of(contract_id: int) -> list[dict[str, Any]]:
    """A contract's amendments, oldest first, as plain data."""
    query = (
        ContractAmendment.select()
        .where(ContractAmendment.contract == contract_id)
        .order_by(ContractAmendment.made_on, ContractAmendment.id)
    )
    return [
        {
            "id": a.id,
            "on": a.made_on.isoformat(),
            "changes": json.loads(a.changes),
            "reason": a.reason,
            "by": a.made_by,
        }
        for a in query
    ]


def amendment_text(changes: dict[str, list[Any]]) -> str:
    """``ceiling 80000.00 -> 95000.00; end 2027-06-30 -> 2027-12-31``."""
    return "; ".join(f"{name} {old} -> {new}" for name, (old, new) in sorted(changes.items()))


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
        .where(Expenditure.contract.in_(ids), Expenditure.void_reason == "")
        .group_by(Expenditure.contract)
        .tuples()
    )
    recent: Any = (
        Expenditure.select(Expenditure.contract, fn.SUM(Expenditure.amount))
        .where(
            Expenditure.contract.in_(ids),
            Expenditure.date > today - timedelta(days=BURN_DAYS),
            Expenditure.date <= today,
            Expenditure.void_reason == "",
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


def expenditures_query() -> Any:
    """Expenditures with their contract, vendor and program loaded in the same query."""
    return (
        Expenditure.select(Expenditure, Contract, Vendor, Program)
        .join(Contract)
        .join(Vendor)
        .join_from(Contract, Program)
    )


def find_expenditures(
    *, contract: str | None = None, program: str | None = None, void: bool = False
) -> list[Expenditure]:
    """Expenditures newest first, void ones only when ``void``."""
    query = expenditures_query()
    if not void:
        query = query.where(Expenditure.void_reason == "")
    if contract:
        query = query.where(Expenditure.contract == find_contract(contract))
    if program:
        query = query.where(Contract.program.in_(program_and_children(program)))
    return list(query.order_by(Expenditure.date.desc(), Expenditure.id.desc()))


def expenditure_facts(e: Expenditure) -> dict[str, Any]:
    """One expenditure as plain data (the columns ``docket import csv expenditures`` reads,
    and the id and version)."""
    return {
        "contract": e.contract.number,
        "date": e.date.isoformat(),
        "amount": f"{e.amount:.2f}",
        "invoice": e.invoice_ref,
        "vendor": e.contract.vendor.name,
        "program": e.contract.program.code,
        "id": e.id,
        "over_ceiling": e.over_ceiling,
        "void": e.void_reason,
        "version": e.version,
    }


def list_expenditures(
    *, contract: str | None = None, program: str | None = None, void: bool = False
) -> list[dict[str, Any]]:
    """Expenditures as plain data (:func:`expenditure_facts`), newest first; void ones only
    when ``void``."""
    found = find_expenditures(contract=contract, program=program, void=void)
    return [expenditure_facts(e) for e in found]


def contract_detail(contract: str | int, today: date) -> dict[str, Any]:
    """One contract for ``contract show`` and the contracts view: its burn, its amendments
    and its expenditures (void ones and those past the ceiling with their reasons)."""
    found = find_contract(contract)
    (burn,) = burns(today, contract_ids=[found.id])
    return {
        **burn_facts(burn),
        "amendments": amendments_of(found.id),
        "expenditures": list_expenditures(contract=found.number, void=True),
    }


def expenditure_note(row: dict[str, Any]) -> str:
    """What a list says of an expenditure: void (why) or past the ceiling (why), else nothing."""
    if row["void"]:
        return f"void: {row['void']}"
    if row["over_ceiling"]:
        return f"past the ceiling: {row['over_ceiling']}"
    return ""


def detail_lines(found: dict[str, Any]) -> list[str]:
    """:func:`contract_detail` as lines of text, for ``contract show`` and the app's view."""
    runs_out = found["runs_out"] or "not at this rate"
    lines = [
        f"{found['number']}  {found['title']}".rstrip(),
        f"vendor {found['vendor']} · program {found['program']} · "
        f"{found['start']} to {found['end']}",
        f"ceiling {found['ceiling']} {found['currency']} · spent {found['spent']} "
        f"({found['percent']} %) · remaining {found['remaining']}",
        f"burn {found['monthly_rate']} a month · runs out {runs_out} · "
        f"committed {found['committed']}",
        "",
        "Amendments:" if found["amendments"] else "Amendments: none",
    ]
    for a in found["amendments"]:
        lines.append(f"  {a['on']}  {amendment_text(a['changes'])}  ({a['reason']}; {a['by']})")
    lines.append("")
    lines.append("Expenditures:" if found["expenditures"] else "Expenditures: none")
    for e in found["expenditures"]:
        note = expenditure_note(e)
        invoice = f"  {e['invoice']}" if e["invoice"] else ""
        lines.append(
            f"  #{e['id']:<6} {e['date']}  {e['amount']:>12}{invoice}"
            + (f"  {note}" if note else "")
        )
    return lines
