"""The portfolio analysis as plain facts: the ranking, the selection with its robustness,
and the efficient frontier, read from the database and solved by ``selection.py``.

Amounts, values and weights are text (``"1500000.00"``, ``"6.4333"``, ``"0.3000"``), so
JSON keeps them exact. The budget is the one given (``--budget FY=AMOUNT``), else the
portfolio's budget lines by fiscal year; people are limited only where a capacity is given.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TypedDict

from docket.models.core.context import Context
from docket.models.core.errors import ValidationError
from docket.models.portfolio.candidates import (
    intake,
    parse_budget,
    parse_people,
    portfolio_budget,
)
from docket.models.portfolio.frontier import FrontierPoint, frontier
from docket.models.portfolio.robustness import Robustness, WeightShift, robustness
from docket.models.portfolio.selection import Problem
from docket.models.portfolio.value import proposal_values

# how long the main solve and then all robustness re-solves may take (seconds) on a large
# portfolio, so that it answers in about two seconds; the answer says what was not proven
SOLVE_TIME_S = 0.5
ROBUSTNESS_TIME_S = 0.3
FRONTIER_TIME_S = 0.5
# a portfolio of at most this many candidates is small: each solve takes milliseconds, and
# it gets time enough for every solve to be proven, however busy the machine
SMALL = 60
SMALL_TIME_S = 30.0


class RankFacts(TypedDict):
    """One proposal in the ranking."""

    rank: int
    code: str
    title: str
    status: str
    mandatory: bool
    value: str
    spread: str
    reviewers: int
    unscored: str


def ranking(statuses: Sequence[str] | None = None) -> list[RankFacts]:
    """Every proposal (of these statuses; all when None), highest value first."""
    return [
        {
            "rank": n,
            "code": f["code"],
            "title": f["title"],
            "status": f["status"],
            "mandatory": f["mandatory"],
            "value": f"{f['value']}",
            "spread": f"{f['spread']}",
            "reviewers": f["reviewers"],
            "unscored": ", ".join(f["unscored"]),
        }
        for n, f in enumerate(proposal_values(statuses or None), start=1)
    ]


class ChosenFacts(TypedDict):
    """One chosen proposal: its value and its cost by fiscal year."""

    code: str
    title: str
    status: str
    mandatory: bool
    value: str
    cost: str
    costs: dict[str, str]


class YearFacts(TypedDict):
    """One fiscal year: what the chosen set spends against the budget (None: no limit)."""

    year: int
    spend: str
    budget: str | None
    left: str | None


class PeopleFacts(TypedDict):
    """One role at its busiest month: people needed against the capacity (None: no limit)."""

    role: str
    month: str
    used: str
    capacity: str | None


class ShiftFacts(TypedDict):
    """One criterion: the nearest weights below and above at which the selection changes."""

    criterion: str
    weight: str
    down: str | None
    up: str | None
    change: str | None
    enters: list[str]
    leaves: list[str]
    searched: bool
    # how each change point is known: exact, at most, unknown (not established), none
    down_bound: str
    up_bound: str
    established: bool


class RobustnessFacts(TypedDict):
    """How robust the selection is to the criteria's weights."""

    criteria: list[ShiftFacts]
    # the criterion whose smallest move changes the selection, and the weight it moves to
    smallest: str | None
    smallest_to: str | None
    # "exact" or "at most" (against the rival named in that criterion's enters/leaves)
    smallest_bound: str | None
    # the criteria whose robustness could not be established (unproven re-solves)
    unestablished: list[str]
    # whether always in / never in / on the line come from proven solves (else empty)
    classified: bool
    always_in: list[str]
    never_in: list[str]
    on_the_line: list[str]
    span: str
    tolerance: str
    solves: int
    proven: bool
    complete: bool


class SelectionFacts(TypedDict):
    """A selection: the chosen set against the limits, how it was solved, how robust."""

    solver: str
    status: str
    optimal: bool
    candidates: int
    value: str
    chosen: list[ChosenFacts]
    blocked: dict[str, str]
    # approved proposals: commitments already made, always chosen (like mandatory ones)
    approved: list[str]
    years: list[YearFacts]
    people: list[PeopleFacts]
    robustness: RobustnessFacts


def budget_in_use(ctx: Context, typed: Sequence[str]) -> dict[int, Decimal]:
    """The budget typed (``FY=AMOUNT`` words), else the portfolio's budget lines."""
    if typed:
        return parse_budget(ctx, typed)
    lines = portfolio_budget()
    if not lines:
        raise ValidationError(
            "budget",
            "no budget lines to select within; give --budget FY=AMOUNT (e.g. 2027=1500000)",
        )
    return lines


def select_portfolio(
    ctx: Context,
    budget: Sequence[str] = (),
    people: Sequence[str] = (),
    statuses: Sequence[str] | None = None,
) -> SelectionFacts:
    """The best set of proposals within the budget (and people, where limited), with how
    robust it is to the criteria's weights."""
    limits = budget_in_use(ctx, budget)
    found = intake(statuses)
    capacity = parse_people(people, found.candidates)
    problem = Problem(found.candidates, limits, capacity)
    small = len(found.candidates) <= SMALL
    chosen, status, optimal = problem.solve(time_limit=SMALL_TIME_S if small else SOLVE_TIME_S)
    selection = problem.selection(chosen, status, optimal)
    means = [f["means"] for f in found.facts]
    sturdy = robustness(
        problem,
        chosen,
        means,
        found.weights,
        SMALL_TIME_S if small else ROBUSTNESS_TIME_S,
        chosen_proven=optimal,
    )
    by_code = {f["code"]: f for f in found.facts}
    costs = {c.code: c.costs for c in found.candidates}
    return {
        "solver": selection.solver,
        "status": selection.status,
        "optimal": selection.optimal,
        "candidates": len(found.candidates),
        "value": f"{selection.value}",
        "chosen": [
            {
                "code": code,
                "title": by_code[code]["title"],
                "status": by_code[code]["status"],
                "mandatory": by_code[code]["mandatory"],
                "value": f"{by_code[code]['value']}",
                "cost": f"{sum(costs[code].values(), Decimal(0)):.2f}",
                "costs": {str(y): f"{a:.2f}" for y, a in sorted(costs[code].items())},
            }
            for code in selection.chosen
        ],
        "blocked": dict(selection.blocked),
        "approved": sorted(c.code for c in found.candidates if c.approved),
        "years": [
            {
                "year": s.year,
                "spend": f"{s.spend:.2f}",
                "budget": None if s.budget is None else f"{s.budget:.2f}",
                "left": None if s.budget is None else f"{s.budget - s.spend:.2f}",
            }
            for s in selection.spend
        ],
        "people": [
            {
                "role": p.role,
                "month": f"{p.month:%Y-%m}",
                "used": _count(p.used),
                "capacity": None if p.capacity is None else _count(p.capacity),
            }
            for p in selection.people
        ],
        "robustness": robustness_facts(sturdy),
    }


def robustness_facts(found: Robustness) -> RobustnessFacts:
    """A robustness analysis as plain facts."""
    smallest = found.smallest
    return {
        "criteria": [
            {
                "criterion": s.criterion,
                "weight": f"{s.weight}",
                "down": _text(s.down),
                "up": _text(s.up),
                "change": _text(s.change),
                "enters": list(s.enters),
                "leaves": list(s.leaves),
                "searched": s.searched,
                "down_bound": s.down_bound,
                "up_bound": s.up_bound,
                "established": s.established,
            }
            for s in found.shifts
        ],
        "smallest": smallest.criterion if smallest else None,
        "smallest_to": _text(_nearer(smallest)) if smallest else None,
        "smallest_bound": (
            None
            if smallest is None
            else ("exact" if smallest.exact and smallest.established else "at most")
        ),
        "unestablished": list(found.unestablished),
        "classified": found.classified,
        "always_in": list(found.always_in),
        "never_in": list(found.never_in),
        "on_the_line": list(found.on_the_line),
        "span": f"{found.span}",
        "tolerance": f"{found.tolerance}",
        "solves": found.solves,
        "proven": found.proven,
        "complete": found.complete,
    }


def _nearer(shift: WeightShift) -> Decimal | None:
    """The weight nearer the one in use at which the selection changes."""
    found = [w for w in (shift.down, shift.up) if w is not None]
    return min(found, key=lambda w: abs(w - shift.weight)) if found else None


def _count(people: Decimal) -> str:
    """A number of people as typed, without trailing zeros: ``8``, ``11.5``."""
    return f"{people.normalize():f}" if people else "0"


def _text(number: Decimal | None) -> str | None:
    return None if number is None else f"{number}"


class FrontierFacts(TypedDict):
    """One point of the efficient frontier: ``level`` is its budget as a share of the
    budget given (else of every candidate's cost); ``budgets`` by fiscal year and the
    ``codes`` chosen reproduce it."""

    level: str
    budget: str
    value: str
    spend: str
    chosen: int
    optimal: bool
    given: bool
    budgets: dict[str, str]
    codes: list[str]


def portfolio_frontier(
    ctx: Context,
    budget: Sequence[str] = (),
    people: Sequence[str] = (),
    statuses: Sequence[str] | None = None,
    steps: int = 10,
) -> list[FrontierFacts]:
    """The best value at each level of the budget typed (else the portfolio's budget lines,
    else every candidate's cost by year)."""
    limits: Mapping[int, Decimal] | None = parse_budget(ctx, budget) if budget else None
    if limits is None:
        limits = portfolio_budget() or None
    found = intake(statuses)
    capacity = parse_people(people, found.candidates)
    small = len(found.candidates) <= SMALL
    points = frontier(
        found.candidates, limits, capacity, steps, SMALL_TIME_S if small else FRONTIER_TIME_S
    )
    return [_point(p) for p in points]


def _point(p: FrontierPoint) -> FrontierFacts:
    return {
        "level": f"{p.level}",
        "budget": f"{p.budget:.2f}",
        "value": f"{p.value}",
        "spend": f"{p.spend:.2f}",
        "chosen": p.chosen,
        "optimal": p.optimal,
        "given": p.given,
        "budgets": {str(y): f"{a:.2f}" for y, a in sorted(p.budgets.items())},
        "codes": list(p.codes),
    }
