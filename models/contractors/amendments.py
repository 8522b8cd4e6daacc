"""Contract amendments: a change to a contract's terms, with each term as it was and became."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any, TypedDict

from docket.models.contractors.contracts import find_contract, typed_day
from docket.models.contractors.expenditures import spent_on
from docket.models.core import records
from docket.models.core.context import Context
from docket.models.core.database import write
from docket.models.core.errors import ValidationError
from docket.models.core.inputs import money, text
from docket.models.core.schema import Assignment, Contract, ContractAmendment


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


class AmendmentFacts(TypedDict):
    """One amendment of a contract: each term changed as [was, became], why, by whom."""

    id: int
    on: str
    changes: dict[str, list[str]]
    reason: str
    by: str


def amendments_of(contract_id: int) -> list[AmendmentFacts]:
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
