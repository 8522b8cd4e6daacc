"""The proposals a selection chooses from, read from the database: values (``value.py``),
costs by fiscal year, people by role and month, dependencies and mandates; and the limits
typed on the command line or kept as the portfolio's budget lines.

A dependency on a proposal that is not among the candidates is met when that proposal is
approved (or already became a program); on any other it blocks the proposal that needs it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from docket.models.core.context import Context
from docket.models.core.errors import ValidationError
from docket.models.core.inputs import money, text
from docket.models.core.lookup import fold
from docket.models.core.schema import BudgetLine
from docket.models.core.schema_selection import (
    Proposal,
    ProposalDependency,
    ProposalNeed,
    ProposalYear,
)
from docket.models.portfolio.selection import Candidate, RoleMonth
from docket.models.portfolio.value import ProposalValue, active_weights, proposal_values

# the proposals a selection considers unless told otherwise
DEFAULT_STATUSES = ("submitted", "in review", "approved")
# the fiscal years a budget may name: the range of the budget lines
FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass(frozen=True)
class Intake:
    """The candidates with their facts (in the same order) and the weights in use."""

    candidates: list[Candidate]
    facts: list[ProposalValue]
    weights: dict[str, Decimal]


def intake(statuses: Sequence[str] | None = None) -> Intake:
    """The proposals of these statuses (default: submitted, in review, approved) as
    candidates, highest value first."""
    facts = proposal_values(list(statuses) if statuses else list(DEFAULT_STATUSES))
    ids = [f["id"] for f in facts]
    costs: dict[int, dict[int, Decimal]] = {i: {} for i in ids}
    people: dict[int, dict[RoleMonth, Decimal]] = {i: {} for i in ids}
    needs: dict[int, set[str]] = {i: set() for i in ids}
    for chunk in _chunks(ids):
        spent: Any = ProposalYear.select(
            ProposalYear.proposal, ProposalYear.fiscal_year, ProposalYear.capital,
            ProposalYear.operating,
        ).where(ProposalYear.proposal.in_(chunk))  # fmt: skip
        for proposal, year, capital, operating in spent.tuples():
            costs[proposal][year] = capital + operating
        wanted: Any = ProposalNeed.select(
            ProposalNeed.proposal, ProposalNeed.role, ProposalNeed.month, ProposalNeed.people
        ).where(ProposalNeed.proposal.in_(chunk))
        for proposal, role, month, count in wanted.tuples():
            people[proposal][role, month] = _people(count)
        links: Any = (
            ProposalDependency.select(
                ProposalDependency.proposal, Proposal.id, Proposal.code, Proposal.status,
                Proposal.became,
            )
            .join(Proposal, on=ProposalDependency.needs)
            .where(ProposalDependency.proposal.in_(chunk))
        )  # fmt: skip
        for proposal, needed, code, status, became in links.tuples():
            if needed in costs or not (status == "approved" or became is not None):
                needs[proposal].add(code)
    candidates = [
        Candidate(
            code=f["code"],
            value=f["value"],
            costs=costs[f["id"]],
            people=people[f["id"]],
            needs=frozenset(needs[f["id"]]),
            mandatory=f["mandatory"],
            approved=f["status"] == "approved",
        )
        for f in facts
    ]
    return Intake(candidates, facts, active_weights())


def _chunks(ids: list[int], size: int = 500) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _people(typed: str) -> Decimal:
    try:
        number = Decimal(typed)
    except InvalidOperation:
        return Decimal(0)
    return number if number.is_finite() and number > 0 else Decimal(0)


def portfolio_budget() -> dict[int, Decimal]:
    """The portfolio's budget by fiscal year: every program's budget lines added up."""
    totals: dict[int, Decimal] = {}
    for line in BudgetLine.select(BudgetLine.fiscal_year, BudgetLine.amount):
        totals[line.fiscal_year] = totals.get(line.fiscal_year, Decimal(0)) + line.amount
    return totals


def parse_budget(ctx: Context, typed: Sequence[str]) -> dict[int, Decimal]:
    """``FY=AMOUNT`` words (``2027=1500000``, ``FY2027=1,500,000``) as a budget by year."""
    budget: dict[int, Decimal] = {}
    for word in typed:
        year_text, equals, amount = word.partition("=")
        year_text = year_text.strip().upper().removeprefix("FY")
        if not equals or not year_text.isdigit():
            raise ValidationError(
                "budget", f"expected FY=AMOUNT, such as 2027=1500000; got {word!r}"
            )
        if not FIRST_YEAR <= int(year_text) <= LAST_YEAR:
            raise ValidationError(
                "budget",
                f"expected a fiscal year from {FIRST_YEAR} to {LAST_YEAR} (as budget lines);"
                f" got {word!r}",
            )
        value = money("budget", amount, decimal_comma=ctx.decimal_comma)
        if value < 0:
            raise ValidationError("budget", f"FY{year_text}: expected an amount of zero or more")
        if int(year_text) in budget:
            raise ValidationError("budget", f"FY{year_text} given twice")
        budget[int(year_text)] = value
    return budget


def parse_people(
    typed: Sequence[str], candidates: Sequence[Candidate]
) -> dict[RoleMonth, Decimal] | None:
    """``ROLE=N`` words (``developer=6``): N people of that role in every month any
    candidate needs the role (None when none given: people are not limited). The role is
    matched as ``docket proposal need`` matches it (case and accents aside); a role no
    candidate needs is refused, naming the known ones, so a limit is never silently
    ignored."""
    if not typed:
        return None
    known: dict[str, str] = {}
    for c in candidates:
        for role, _ in c.people:
            known.setdefault(fold(role), role)
    per_role: dict[str, Decimal] = {}
    for word in typed:
        role, equals, number = word.rpartition("=")
        role = text("people", role) if equals else ""
        if not role:
            raise ValidationError("people", f"expected ROLE=N, such as developer=6; got {word!r}")
        try:
            count = Decimal(number.strip())
        except InvalidOperation:
            count = Decimal("NaN")
        if not count.is_finite() or count < 0:
            raise ValidationError("people", f"{role}: expected N of 0 or more; got {word!r}")
        name = known.get(fold(role))
        if name is None:
            names = (
                ", ".join(sorted(known.values(), key=fold)) or "none (no candidate needs people)"
            )
            raise ValidationError(
                "people", f"no candidate needs the role {role!r}; known roles: {names}"
            )
        per_role[name] = count
    months: dict[str, set[date]] = {role: set() for role in per_role}
    for c in candidates:
        for role, month in c.people:
            if role in months:
                months[role].add(month)
    return {(role, m): per_role[role] for role, found in months.items() for m in found}
