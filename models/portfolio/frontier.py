"""The efficient frontier: the best value the portfolio can buy at each level of budget.

The budget keeps its shape across fiscal years and is scaled by a grid of levels: level 1
is the budget given (or, with none, every candidate's cost in each year); the grid runs in
``steps`` equal steps from the lowest level at which the mandatory items fit to the level
at which every candidate fits, and level 1 is always one of the points. Each point is the
optimum of the same selection (``selection.py``) at that budget, people limits included.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from docket.models.core.errors import ValidationError
from docket.models.portfolio.selection import TIME_LIMIT_S, Candidate, Problem, RoleMonth

CENT = Decimal("0.01")
LEVEL_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class FrontierPoint:
    """The optimum at one level of the budget (its share of the budget given, or of every
    candidate's cost when none is given): the budget over all years and by year, the value
    bought, what it spends, how many proposals and which, whether proven optimal, and
    whether this is the budget given (level 1)."""

    level: Decimal
    budget: Decimal
    value: Decimal
    spend: Decimal
    chosen: int
    optimal: bool
    given: bool
    # the budget of each fiscal year at this level and the codes chosen (to reproduce it)
    budgets: Mapping[int, Decimal] = field(default_factory=dict)
    codes: tuple[str, ...] = ()


def total_costs(candidates: Sequence[Candidate]) -> dict[int, Decimal]:
    """Every candidate's cost, by fiscal year."""
    totals: dict[int, Decimal] = {}
    for c in candidates:
        for year, amount in c.costs.items():
            totals[year] = totals.get(year, Decimal(0)) + amount
    return totals


def frontier(
    candidates: Sequence[Candidate],
    budget: Mapping[int, Decimal] | None,
    capacity: Mapping[RoleMonth, Decimal] | None = None,
    steps: int = 10,
    time_limit: float = TIME_LIMIT_S,
) -> list[FrontierPoint]:
    """The optimal value at ``steps + 1`` levels of the budget (and at the budget given)."""
    if steps < 1:
        raise ValidationError("steps", "expected 1 or more")
    costs = total_costs(candidates)
    shape = {y: a for y, a in (budget or costs).items() if a > 0}
    if not shape:
        raise ValidationError("budget", "expected a budget above zero in some fiscal year")
    years = sorted(shape)
    forced_problem = Problem(candidates, {}, capacity)  # refuses mandatory items over people
    forced = [candidates[i] for i in forced_problem.forced]
    lowest = max(
        (sum((c.costs.get(y, Decimal(0)) for c in forced), Decimal(0)) / shape[y] for y in years),
        default=Decimal(0),
    )
    highest = max([Decimal(1), *(costs.get(y, Decimal(0)) / shape[y] for y in years)])
    lowest = lowest.quantize(LEVEL_PLACES, rounding=ROUND_CEILING)
    highest = highest.quantize(LEVEL_PLACES, rounding=ROUND_CEILING)
    levels = {lowest + (highest - lowest) * k / steps for k in range(steps + 1)}
    if lowest <= 1:
        levels.add(Decimal(1))
    problem = Problem(candidates, {y: shape[y] * highest for y in years}, capacity)
    points: list[FrontierPoint] = []
    for level in sorted(levels):
        level = level.quantize(LEVEL_PLACES)
        limits = {y: (shape[y] * level).quantize(CENT, rounding=ROUND_FLOOR) for y in years}
        if level == 1:
            limits = {y: shape[y] for y in years}
        chosen, _, optimal = problem.solve(budget=limits, time_limit=time_limit)
        picked = [candidates[i] for i in chosen]
        points.append(
            FrontierPoint(
                level=level,
                budget=sum(limits.values(), Decimal(0)),
                value=sum((c.value for c in picked), Decimal(0)),
                spend=sum((c.costs.get(y, Decimal(0)) for c in picked for y in years), Decimal(0)),
                chosen=len(picked),
                optimal=optimal,
                given=level == 1 and budget is not None,
                budgets=dict(limits),
                codes=tuple(sorted(c.code for c in picked)),
            )
        )
    return points
