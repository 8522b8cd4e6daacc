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

A change point is stated only when it is established: the crossing of the chosen set and
a rival set, with the re-solve at the crossing proven optimal (then it is exact). When that
re-solve is not proven in the time, the crossing against the rival is still computed
exactly and stated as "at most" (the rival beats the chosen set beyond it); never the edge
of the range searched. A direction in which an unproven re-solve found nothing better is
"not established". The classes below come only from proven solves; otherwise they are not
established.

"Changes" means that some feasible set is worth more than the chosen one at the new
weights (by more than ``VALUE_TOLERANCE``): a different set of equal value is a tie, not a
change. Every set found within the span (the chosen one and each re-solve's there)
classifies the proposals: "always in" (in every one), "never in" (in none), "on the line"
(the rest).

The re-solves share a time budget: on a large portfolio what is not searched in time is
said, as is a re-solve that returned the best set it found rather than the proven optimum.
The solver is a parameter (default ``Problem.solve``), so a test can hand in one whose
solves are never proven.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from docket.models.portfolio.selection import Problem, SelectionError
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

# how a change point is known: "exact" (proven), "at most" (against a rival, unproven
# whether a nearer one exists), "unknown" (an unproven re-solve found nothing: not
# established), "none" (proven: no weight that way changes the selection)
Bound = Literal["exact", "at most", "unknown", "none"]
# the re-solve a search calls: (values, time limit) -> (chosen indexes, status, proven)
Solver = Callable[[Sequence[Decimal], float], tuple[list[int], str, bool]]
# where the chosen set stops being the best: the weight, the set that then beats it, how known
Crossing = tuple[Decimal, frozenset[int], Bound]


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
    down_bound: Bound = "none"
    up_bound: Bound = "none"

    @property
    def change(self) -> Decimal | None:
        """The smallest change of this weight that changes the selection (None: none)."""
        found = [abs(w - self.weight) for w in (self.down, self.up) if w is not None]
        return min(found) if found else None

    @property
    def established(self) -> bool:
        """Whether the nearest change point (or that there is none) is established: both
        directions searched, and none left unknown by an unproven re-solve; or a change of
        exactly 0 (another set is worth as much now), which nothing can undercut."""
        if self.change == 0 and self.nearest_bound == "exact":
            return True
        return self.searched and "unknown" not in (self.down_bound, self.up_bound)

    @property
    def exact(self) -> bool:
        """Whether the nearest change point is exact (not only "at most")."""
        nearest = self.nearest_bound
        return nearest in ("exact", "none")

    @property
    def nearest_bound(self) -> Bound:
        """How the nearer change point is known."""
        pairs = [(self.down, self.down_bound), (self.up, self.up_bound)]
        found = [(abs(w - self.weight), b) for w, b in pairs if w is not None]
        return min(found, key=lambda f: f[0])[1] if found else "none"


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
    # whether the classes (always in, never in, on the line) come from proven solves only
    classified: bool = True

    @property
    def smallest(self) -> WeightShift | None:
        """The criterion whose smallest change changes the selection (None: no weight of
        any one criterion is established to change it)."""
        found = [s for s in self.shifts if s.change is not None]
        return min(found, key=lambda s: (s.change, s.criterion)) if found else None

    @property
    def unestablished(self) -> tuple[str, ...]:
        """The criteria whose robustness could not be established in the time."""
        return tuple(s.criterion for s in self.shifts if not s.established)


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
        solver: Solver,
    ) -> None:
        self.problem = problem
        self.solver = solver
        self.chosen = frozenset(chosen)
        self.means = [dict(m) for m in means]
        self.weights = dict(weights)
        self.base = [c.value for c in problem.candidates]
        self.deadline = time.monotonic() + time_budget
        self.solves = 0
        self.proven = True
        self.found: list[frozenset[int]] = [self.chosen]
        # whether the last re-solve was proven optimal
        self.last_proven = True
        # every set found worth more than the chosen one at some weights (all feasible)
        self.rivals: list[frozenset[int]] = []

    def left(self) -> float:
        return self.deadline - time.monotonic()

    def fits(self, found: frozenset[int]) -> bool:
        """Whether a set the solver returned keeps every limit, checked in Decimal (a
        crossing is stated only against a set that could be chosen)."""
        try:
            self.problem.selection(found, "", False)
        except SelectionError:
            return False
        return True

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
        picked, _, optimal = self.solver(values, max(self.left() / share, 0.01))
        self.solves += 1
        self.proven = self.proven and optimal
        self.last_proven = optimal
        found = frozenset(picked)
        mine = sum((values[i] for i in self.chosen), Decimal(0))
        theirs = sum((values[i] for i in found), Decimal(0))
        if theirs > mine + VALUE_TOLERANCE:
            if abs(to - self.weights[name]) <= self.weights[name] * SPAN:
                self.found.append(found)
            if found not in self.rivals and self.fits(found):
                self.rivals.append(found)
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
    ) -> tuple[Decimal, frozenset[int], Bound]:
        """The weight nearest the one in use at which the chosen set stops being the best,
        the set that then beats it, and whether that is exact. Every set's value is linear
        in the weight, so the chosen set and a rival that beats it at ``end`` cross at one
        weight: re-solve there; a set that beats the chosen one there crosses it nearer, so
        take it as the rival and repeat, until nothing beats the chosen set at the crossing
        (a few re-solves; the best value over all sets is convex in the weight). The
        crossing is exact only when that last re-solve is proven; otherwise (or when the
        time is out) it is "at most" the crossing against the rival, never ``end``."""
        while True:
            cross = self.cross(name, end, rival)
            if cross == self.weights[name]:
                # the rival is worth exactly as much at the weights in use, so it is as
                # optimal as the chosen set: any move this way changes the selection
                return cross, rival, "exact"
            if self.left() <= 0:
                return cross, rival, "at most"
            nearer = self.beaten(name, cross, 2)
            if nearer is None:
                return cross, rival, "exact" if self.last_proven else "at most"
            if abs(self.cross(name, cross, nearer) - cross) <= TOLERANCE / 10:
                return cross, rival, "exact" if self.last_proven else "at most"
            end, rival = cross, nearer

    def cross(self, name: str, end: Decimal, rival: frozenset[int]) -> Decimal:
        """Where ``rival`` (worth more than the chosen set at ``end``) and the chosen set
        are worth the same: their difference is linear in the weight."""
        weight = self.weights[name]
        here, there = self.gain(name, weight, rival), self.gain(name, end, rival)
        if there == here:  # parallel: cannot happen for a rival that gains at ``end``
            return end
        return weight + (end - weight) * (-here) / (there - here)


def robustness(
    problem: Problem,
    chosen: Sequence[int],
    means: Sequence[Mapping[str, Decimal]],
    weights: Mapping[str, Decimal],
    time_budget: float = TIME_BUDGET_S,
    solver: Solver | None = None,
    chosen_proven: bool = True,
) -> Robustness:
    """How far each criterion's weight can move before ``chosen`` (the optimum of
    ``problem`` at ``weights``; ``chosen_proven`` False when that is only the best set
    found) stops being the best set, and which proposals are always in, never in, or on
    the line across the weights tried. ``means`` are each candidate's mean scores by
    criterion, in the order of ``problem.candidates``; ``solver`` re-solves (default
    ``problem.solve``)."""

    def solve(values: Sequence[Decimal], limit: float) -> tuple[list[int], str, bool]:
        return problem.solve(values, time_limit=limit)

    search = _Search(problem, chosen, means, weights, time_budget, solver or solve)
    search.proven = chosen_proven
    movable = [c for c, w in weights.items() if 0 < w < 1]
    edges: dict[tuple[str, int], tuple[Decimal, frozenset[int] | None, bool]] = {}
    planned = [(name, sign) for name in movable for sign in (-1, 1)]
    for n, (name, sign) in enumerate(planned):  # the edges first: they classify proposals
        if search.left() > 0:  # each edge its share of the time, the crossings the rest
            end, beaten = search.edge(name, sign, len(planned) - n + 1)
            edges[name, sign] = end, beaten, search.last_proven
    found_ends: dict[str, tuple[dict[int, Crossing | None], dict[int, Bound], bool]] = {}
    for name, weight in weights.items():
        if name not in movable:
            continue
        ends: dict[int, Crossing | None] = {}
        bounds: dict[int, Bound] = {}
        searched = True
        for sign in (-1, 1):
            if (name, sign) not in edges:
                searched, ends[sign], bounds[sign] = False, None, "unknown"
                continue
            end, beaten, proven = edges[name, sign]
            if beaten is None and proven and end not in (0, 1) and search.left() > 0:
                # nothing within the span: look as far as the weight can go (0 or 1)
                end, beaten = search.edge(name, sign, 2, span=Decimal(1) / weight)
                proven = search.last_proven
            elif beaten is None and proven and end not in (0, 1):
                proven = False  # no time to look beyond the span
            if beaten is None:
                ends[sign] = None
                bounds[sign] = "none" if proven and chosen_proven else "unknown"
            else:
                crossed = search.crossing(name, end, beaten)
                ends[sign] = crossed
                bounds[sign] = crossed[2] if chosen_proven else "at most"
        found_ends[name] = ends, bounds, searched
    shifts: list[WeightShift] = []
    for name, weight in weights.items():
        if name not in movable:
            shifts.append(WeightShift(name, weight, None, None))
            continue
        ends, bounds, searched = found_ends[name]
        for sign in (-1, 1):  # any set found anywhere may cross nearer than what was proven
            if bounds[sign] in ("unknown", "at most"):
                ends[sign], bounds[sign] = _nearest_rival(
                    search, name, sign, ends[sign], bounds[sign], chosen_proven
                )
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
                down_bound=bounds[-1],
                up_bound=bounds[1],
            )
        )
    classified = search.proven and all(s.searched for s in shifts)
    every = frozenset.intersection(*search.found)
    some = frozenset.union(*search.found)
    codes = range(len(problem.candidates))
    return Robustness(
        shifts=tuple(shifts),
        always_in=_codes(problem, every) if classified else (),
        never_in=_codes(problem, (i for i in codes if i not in some)) if classified else (),
        on_the_line=_codes(problem, some - every) if classified else (),
        solves=search.solves,
        proven=search.proven,
        complete=all(s.searched for s in shifts),
        classified=classified,
    )


def _nearest_rival(
    search: _Search,
    name: str,
    sign: int,
    found: Crossing | None,
    bound: Bound,
    chosen_proven: bool,
) -> tuple[Crossing | None, Bound]:
    """The nearest crossing, in the direction of ``sign``, of the chosen set with any set
    the re-solves found (each feasible): "at most" there (the selection changes by then),
    or exact when it is the weight in use (a set worth as much now, the chosen one proven
    optimal). Computed from the two sets' values alone, no re-solve."""
    weight = search.weights[name]
    end = Decimal(0) if sign < 0 else Decimal(1)
    if end == weight:
        return found, bound
    for rival in search.rivals:
        if (
            search.gain(name, end, rival) <= VALUE_TOLERANCE
            or search.gain(name, weight, rival) > VALUE_TOLERANCE
        ):
            continue
        cross = max(min(search.cross(name, end, rival), Decimal(1)), Decimal(0))
        if sign * (cross - weight) < 0:
            continue
        if found is None or abs(cross - weight) < abs(found[0] - weight):
            bound = "exact" if cross == weight and chosen_proven else "at most"
            found = (cross, rival, bound)
    return found, bound


def _rounded(found: Crossing | None) -> Decimal | None:
    return None if found is None else found[0].quantize(WEIGHT_PLACES)


def _codes(problem: Problem, indexes: Iterable[int]) -> tuple[str, ...]:
    return tuple(sorted(problem.codes[i] for i in indexes))
