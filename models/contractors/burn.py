"""A contract's burn, derived in one place, and its whole detail.

Burn is what is spent, what remains and the percent of the ceiling; the burn rate is the
spend of the last three months; the day the money runs out at that rate; and the committed
cost of the assignments under the contract from today to their end. Money is ``Decimal``
throughout, never float.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple, TypedDict

from peewee import fn, prefetch

from docket.models.contractors.amendments import AmendmentFacts, amendment_text, amendments_of
from docket.models.contractors.contracts import find_contract
from docket.models.contractors.expenditures import (
    ExpenditureFacts,
    expenditure_note,
    list_expenditures,
)
from docket.models.core.fields import CENT
from docket.models.core.schema import Assignment, Contract, Expenditure, Program, Vendor

# the burn rate is the spend of the last three months, per month
BURN_MONTHS = 3

BURN_DAYS = 91

# an hourly rate times this many hours is a full-time day
HOURS_PER_DAY = 8

# contracts worth a warning: this share of the ceiling spent, or ending this soon
NEAR_CEILING = Decimal("0.8")

ENDING_DAYS = 60


class Burn(NamedTuple):
    """What a contract has spent and will need, as of a day (a named tuple: a frozen
    dataclass costs every command that imports this several times as much)."""

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


def assignment_cost(
    rate: Decimal | None, allocation: int, start: date, end: date, first: date, last: date
) -> Decimal:
    """The cost over [first, last] of an assignment at ``rate`` (hourly) and ``allocation``
    (%) from ``start`` to ``end``: rate x 8 hours x allocation on each weekday in both
    (none without a rate)."""
    if rate is None:
        return Decimal(0)
    days = weekdays(max(first, start), min(last, end))
    cost = Decimal(rate) * HOURS_PER_DAY * days * allocation / 100
    return cost.quantize(CENT, rounding=ROUND_HALF_UP)


def burns(
    today: date, contract_ids: Iterable[int] | None = None, program_ids: Iterable[int] | None = None
) -> list[Burn]:
    """The burn of contracts (these ids, these programs' or all) in six queries."""
    chosen: list[Any] = []
    if contract_ids is not None:
        chosen.append(Contract.id.in_(list(contract_ids)))
    if program_ids is not None:
        chosen.append(Contract.program.in_(list(program_ids)))
    query, ids = Contract.select(), Contract.select(Contract.id)
    if chosen:
        query, ids = query.where(*chosen), ids.where(*chosen)
    # the vendors and programs read apart and set on their contracts (peewee's prefetch): a
    # joined row of three models costs several times the three rows
    contracts: list[Contract] = prefetch(query.order_by(Contract.end, Contract.id), Vendor, Program)
    # below, the contracts as a subquery (``ids``): no parameter per contract to build
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
    # the cursor's own rows, converted here: a contract's hundreds of assignments need no
    # model object (nor peewee's row conversion) each
    money, day = Assignment.rate.python_value, Assignment.start.python_value
    rows: Any = Assignment._meta.database.execute(current)
    for contract_id, rate, allocation, start, end in rows:
        last = day(end)
        cost = assignment_cost(money(rate), allocation, day(start), last, today, last)
        committed[contract_id] = committed.get(contract_id, Decimal(0)) + cost
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


class BurnsOnce:
    """:func:`burns` read once for one piece of work (a digest) and handed to each part that
    needs them, keyed by day and programs: a call for some programs is answered from an
    earlier read of all of them (or of more), in the same order, so each part sees what a
    read of its own would give. Per call, never global: the data may change between calls."""

    def __init__(self) -> None:
        self._read: dict[tuple[date, frozenset[int] | None], list[Burn]] = {}

    def __call__(self, today: date, program_ids: Iterable[int] | None = None) -> list[Burn]:
        wanted = None if program_ids is None else frozenset(program_ids)
        found = self._read.get((today, wanted))
        if found is not None:
            return list(found)
        for (day, ids), read in self._read.items():
            if day == today and wanted is not None and (ids is None or wanted <= ids):
                return [b for b in read if b.contract.__data__["program"] in wanted]
        found = burns(today, program_ids=None if wanted is None else sorted(wanted))
        self._read[(today, wanted)] = found
        return list(found)


class BurnFacts(TypedDict):
    """A contract's burn as plain data (amounts as text, to the cent)."""

    id: int
    number: str
    title: str
    vendor: str
    program: str
    start: str
    end: str
    currency: str
    ceiling: str
    spent: str
    remaining: str
    percent: int
    monthly_rate: str
    runs_out: str | None
    committed: str
    over_committed: bool
    days_left: int
    near_ceiling: bool
    ending_soon: bool


def burn_facts(burn: Burn) -> BurnFacts:
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


class ContractDetailFacts(BurnFacts):
    """One contract with its amendments and expenditures (``docket contract show``)."""

    amendments: list[AmendmentFacts]
    expenditures: list[ExpenditureFacts]


def contract_detail(contract: str | int, today: date) -> ContractDetailFacts:
    """One contract for ``contract show`` and the contracts view: its burn, its amendments
    and its expenditures (void ones and those past the ceiling with their reasons)."""
    found = find_contract(contract)
    (burn,) = burns(today, contract_ids=[found.id])
    return {
        **burn_facts(burn),
        "amendments": amendments_of(found.id),
        "expenditures": list_expenditures(contract=found.number, void=True),
    }


def detail_lines(found: ContractDetailFacts) -> list[str]:
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
