"""How robust a selection is to the criteria's weights.

A proposal's value is the sum over criteria of weight x mean score (the rule of
``value.py``), so moving one criterion's weight to w' and scaling the others so the weights
still sum to 1 changes every value linearly. For each criterion, in each direction:

1. re-solve at the edge of the span tested (the weight x (1 +- ``SPAN``), within 0..1)
   and, if the chosen set holds there, at the end of the weight's range (0 or 1);
2. if a set beats the chosen one there, find where the two cross: every set's value is
   linear in the weight, so that is one division. Re-solve at the crossing: if another
   set beats the chosen one there, it crosses nearer; repeat with it until nothing does.
   That crossing is where the selection changes, exactly (to the 4 decimal places of the
   values), in a few re-solves rather than a bisection's dozen.

"Changes" means that some feasible set is worth more than the chosen one at the new
weights (by more than ``VALUE_TOLERANCE``): a different set of equal value is a tie, not a
change. Every set found within the span (the chosen one and each re-solve's there)
classifies the proposals: "always in" (in every one), "never in" (in none), "on the line"
(the rest).

The re-solves share a time budget: on a large portfolio what is not searched in time is
said, as is a re-solve that returned the best set it found rather than the proven optimum.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from docket.models.portfolio.selection import Problem
from docket.models.portfolio.value import weighted_value

# the range of each weight tested: the weight in use x (1 - SPAN) to x (1 + SPAN)
SPAN = Decimal("0.5")
# a crossing this near (absolute weight, 0..1) to the last one ends the search
TOLERANCE = Decimal("0.0001")
# another set beats the chosen one when worth more than this (values are 0..10 each)
VALUE_TOLERANCE = Decimal("0.001")
# seconds all the re-solves of one analysis may take together
TIME_BUDGET_S = 20.0
WEIGHT_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class WeightShift:
    """One criterion: its weight in use, the nearest weights below and above at which the
    selection changes (None: no weight that way changes it), and at the nearer of them the
    proposals that come in and go out."""

    criterion: str
    weight: Decimal
    down: Decimal | None
    up: Decimal | None
    enters: tuple[str, ...] = ()
    leaves: tuple[str, ...] = ()
    searched: bool = True

    @property
    def change(self) -> Decimal | None:
        """The smallest change of this weight that changes the selection (None: none)."""
        found = [abs(w - self.weight) for w in (self.down, self.up) if w is not None]
        return min(found) if found else None


@dataclass(frozen=True)
class Robustness:
    """Every criterion's shift, the proposals by how they fare across the weights tried,
    and how the search went (re-solves, all proven optimal, all criteria searched)."""

    shifts: tuple[WeightShift, ...]
    always_in: tuple[str, ...]
    never_in: tuple[str, ...]
    on_the_line: tuple[str, ...]
    solves: int
    proven: bool
    complete: bool
    span: Decimal = SPAN
    tolerance: Decimal = TOLERANCE

    @property
    def smallest(self) -> WeightShift | None:
        """The criterion whose smallest change changes the selection (None: no weight of
        any one criterion changes it)."""
        found = [s for s in self.shifts if s.change is not None]
        return min(found, key=lambda s: (s.change, s.criterion)) if found else None


def shifted(weights: Mapping[str, Decimal], name: str, to: Decimal) -> dict[str, Decimal]:
    """The weights with ``name`` set to ``to`` and the others scaled to keep the sum 1."""
    rest = 1 - weights[name]
    scale = (1 - to) / rest if rest else Decimal(0)
    return {c: to if c == name else w * scale for c, w in weights.items()}


class _Search:
    """The re-solves of one analysis, against one time budget."""

    def __init__(
        self,
        problem: Problem,
        chosen: Sequence[int],
        means: Sequence[Mapping[str, Decimal]],
        weights: Mapping[str, Decimal],
        time_budget: float,
    ) -> None:
        self.problem = problem
        self.chosen = frozenset(chosen)
        self.means = [dict(m) for m in means]
        self.weights = dict(weights)
        self.base = [c.value for c in problem.candidates]
        self.deadline = time.monotonic() + time_budget
        self.solves = 0
        self.proven = True
        self.found: list[frozenset[int]] = [self.chosen]

    def left(self) -> float:
        return self.deadline - time.monotonic()

    def values(self, weights: Mapping[str, Decimal]) -> list[Decimal]:
        """Each candidate's value at these weights: its value now plus the change the
        weights make (so the weights in use give exactly the values selected on)."""
        delta = {c: weights[c] - self.weights[c] for c in self.weights}
        return [v + weighted_value(delta, m) for v, m in zip(self.base, self.means, strict=True)]

    def beaten(self, name: str, to: Decimal, share: int = 1) -> frozenset[int] | None:
        """The set that beats the chosen one with ``name``'s weight at ``to``, or None
        (still optimal, as far as the re-solve could tell in 1/``share`` of the time left).
        A set found within the span tested counts for the classification."""
        values = self.values(shifted(self.weights, name, to))
        picked, _, optimal = self.problem.solve(values, time_limit=self.left() / share)
        self.solves += 1
        self.proven = self.proven and optimal
        found = frozenset(picked)
        mine = sum((values[i] for i in self.chosen), Decimal(0))
        theirs = sum((values[i] for i in found), Decimal(0))
        if theirs > mine + VALUE_TOLERANCE:
            if abs(to - self.weights[name]) <= self.weights[name] * SPAN:
                self.found.append(found)
            return found
        return None

    def edge(
        self, name: str, sign: int, share: int, span: Decimal = SPAN
    ) -> tuple[Decimal, frozenset[int] | None]:
        """The weight ``span`` away (a share of the weight, within 0..1) in the direction
        of ``sign``, and the set that beats the chosen one there (None: none)."""
        weight = self.weights[name]
        end = min(Decimal(1), max(Decimal(0), weight * (1 + sign * span)))
        return end, self.beaten(name, end, share)

    def gain(self, name: str, at: Decimal, rival: frozenset[int]) -> Decimal:
        """How much more ``rival`` is worth than the chosen set with ``name`` at ``at``."""
        values = self.values(shifted(self.weights, name, at))
        return sum((values[i] for i in rival), Decimal(0)) - sum(
            (values[i] for i in self.chosen), Decimal(0)
        )

    def crossing(
        self, name: str, end: Decimal, rival: frozenset[int]
    ) -> tuple[Decimal, frozenset[int]]:
        """The weight nearest the one in use at which the chosen set stops being the best,
        and the set that then beats it. Every set's value is linear in the weight, so the
        chosen set and a rival that beats it at ``end`` cross at one weight: re-solve
        there; a set that beats the chosen one there crosses it nearer, so take it as the
        rival and repeat, until nothing beats the chosen set at the crossing (a few
        re-solves; the best value over all sets is convex in the weight)."""
        weight = self.weights[name]
        while True:
            here, there = self.gain(name, weight, rival), self.gain(name, end, rival)
            if there == here:  # parallel: cannot happen for a rival that gains
                return end, rival
            cross = weight + (end - weight) * (-here) / (there - here)
            if abs(cross - end) <= TOLERANCE / 10 or self.left() <= 0:
                return end, rival
            nearer = self.beaten(name, cross, 2)
            if nearer is None:
                return cross, rival
            end, rival = cross, nearer


def robustness(
    problem: Problem,
    chosen: Sequence[int],
    means: Sequence[Mapping[str, Decimal]],
    weights: Mapping[str, Decimal],
    time_budget: float = TIME_BUDGET_S,
) -> Robustness:
    """How far each criterion's weight can move before ``chosen`` (the optimum of
    ``problem`` at ``weights``) stops being the best set, and which proposals are always
    in, never in, or on the line across the weights tried. ``means`` are each candidate's
    mean scores by criterion, in the order of ``problem.candidates``."""
    search = _Search(problem, chosen, means, weights, time_budget)
    movable = [c for c, w in weights.items() if 0 < w < 1]
    edges: dict[tuple[str, int], tuple[Decimal, frozenset[int] | None]] = {}
    planned = [(name, sign) for name in movable for sign in (-1, 1)]
    for n, (name, sign) in enumerate(planned):  # the edges first: they classify proposals
        if search.left() > 0:  # each edge its share of the time, the crossings the rest
            edges[name, sign] = search.edge(name, sign, len(planned) - n + 1)
    shifts: list[WeightShift] = []
    for name, weight in weights.items():
        if name not in movable:
            shifts.append(WeightShift(name, weight, None, None))
            continue
        ends: dict[int, tuple[Decimal, frozenset[int]] | None] = {}
        searched = True
        for sign in (-1, 1):
            if (name, sign) not in edges:
                searched, ends[sign] = False, None
                continue
            end, beaten = edges[name, sign]
            if beaten is None and end not in (0, 1) and search.left() > 0:
                # nothing within the span: look as far as the weight can go (0 or 1)
                end, beaten = search.edge(name, sign, 2, span=Decimal(1) / weight)
            ends[sign] = None if beaten is None else search.crossing(name, end, beaten)
        nearest = min(
            (found for found in ends.values() if found is not None),
            key=lambda found: abs(found[0] - weight),
            default=None,
        )
        shifts.append(
            WeightShift(
                name,
                weight.quantize(WEIGHT_PLACES),
                _rounded(ends[-1]),
                _rounded(ends[1]),
                enters=_codes(problem, (nearest[1] - search.chosen) if nearest else ()),
                leaves=_codes(problem, (search.chosen - nearest[1]) if nearest else ()),
                searched=searched,
            )
        )
    every = frozenset.intersection(*search.found)
    some = frozenset.union(*search.found)
    codes = range(len(problem.candidates))
    return Robustness(
        shifts=tuple(shifts),
        always_in=_codes(problem, every),
        never_in=_codes(problem, (i for i in codes if i not in some)),
        on_the_line=_codes(problem, some - every),
        solves=search.solves,
        proven=search.proven,
        complete=all(s.searched for s in shifts),
    )


def _rounded(found: tuple[Decimal, frozenset[int]] | None) -> Decimal | None:
    return None if found is None else found[0].quantize(WEIGHT_PLACES)


def _codes(problem: Problem, indexes: Iterable[int]) -> tuple[str, ...]:
    return tuple(sorted(problem.codes[i] for i in indexes))
