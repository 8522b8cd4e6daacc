"""Expenditures: money spent on a contract, checked against its ceiling, corrected or voided.

An expenditure (a date, an amount, an invoice reference) reduces what remains; one that
takes the contract past its ceiling needs a reason. A void one stays on record but counts in
no spend, burn or budget. Money is ``Decimal`` throughout, never float.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any, TypedDict

from peewee import fn

from docket.models.contractors.contracts import find_contract, typed_day
from docket.models.core import records
from docket.models.core.context import Context
from docket.models.core.database import write
from docket.models.core.errors import ValidationError
from docket.models.core.inputs import money, text
from docket.models.core.schema import Contract, Expenditure, Program, Vendor
from docket.models.portfolio.programs import program_and_children


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
    """One expenditure by id."""
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


class ExpenditureFacts(TypedDict):
    """One expenditure as plain data (the columns ``docket import csv expenditures`` reads, and
    the id and version)."""

    contract: str
    date: str
    amount: str
    invoice: str
    vendor: str
    program: str
    id: int
    # the reason it was recorded past the ceiling, or ""
    over_ceiling: str
    # the reason it was voided, or ""
    void: str
    version: int


def expenditure_facts(e: Expenditure) -> ExpenditureFacts:
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
) -> list[ExpenditureFacts]:
    """Expenditures as plain data (:func:`expenditure_facts`), newest first; void ones only
    when ``void``."""
    found = find_expenditures(contract=contract, program=program, void=void)
    return [expenditure_facts(e) for e in found]


def expenditure_note(row: Mapping[str, Any]) -> str:
    """What a list says of an expenditure: void (why) or past the ceiling (why), else nothing."""
    if row["void"]:
        return f"void: {row['void']}"
    if row["over_ceiling"]:
        return f"past the ceiling: {row['over_ceiling']}"
    return ""
