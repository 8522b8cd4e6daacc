"""Choosing which proposals to fund: the set of greatest total value that fits the budget of
each fiscal year and the people of each role in each month, honouring dependencies and
mandatory items.

A binary mixed-integer program, solved exactly by HiGHS through ``scipy.optimize.milp``
(``mip_rel_gap`` 0, so small portfolios get the proven optimum): one variable per
candidate (1: funded), maximise the sum of values, subject to

- for each fiscal year with a budget: the chosen costs (capital + operating) <= the budget;
- for each role and month with a capacity: the chosen people (FTE) <= the capacity;
- for each dependency of p on q: x_p <= x_q (a need outside the candidates: x_p = 0);
- for each mandatory or approved item: x_p = 1 (an approved proposal is a commitment
  already made; if these items alone break a limit, the selection is refused, naming what
  is over).

A fiscal year without a budget, and a role or month without a capacity, is not limited.
Every limit is handed to the solver in whole numbers (money in cents, people scaled to
their decimal places), so its tolerances cannot let a chosen set pass a limit; the result
is checked again in Decimal. This module is pure: it knows nothing of the database
(``candidates.py`` builds the candidates from it).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from docket.models.core.errors import DocketError, ValidationError

SOLVER = "HiGHS (scipy.optimize.milp)"
# a solve that has not proven its optimum by then returns the best set found, with its gap
# (a small portfolio is proven in milliseconds; 400 proposals with people limits are not)
TIME_LIMIT_S = 30.0
# decimal places the solver's whole numbers keep (beyond them a limit or need is rounded)
MAX_PLACES = 6

RoleMonth = tuple[str, date]


@dataclass(frozen=True)
class Candidate:
    """A proposal as the selection sees it: its value, its costs by fiscal year (capital
    plus operating), the people it needs by role and month, the codes it depends on, and
    whether it is mandatory or already approved (both are always chosen)."""

    code: str
    value: Decimal
    costs: Mapping[int, Decimal] = field(default_factory=dict)
    people: Mapping[RoleMonth, Decimal] = field(default_factory=dict)
    needs: frozenset[str] = frozenset()
    mandatory: bool = False
    # approved: a commitment already made, chosen like a mandatory one
    approved: bool = False


@dataclass(frozen=True)
class YearSpend:
    """What the chosen set costs in one fiscal year, against its budget (None: no limit)."""

    year: int
    spend: Decimal
    budget: Decimal | None


@dataclass(frozen=True)
class PeoplePeak:
    """The month the chosen set needs the most of one role: how many, and the capacity in
    that month (None: no limit)."""

    role: str
    month: date
    used: Decimal
    capacity: Decimal | None


@dataclass(frozen=True)
class Selection:
    """The chosen set: codes (highest value first), total value, spend by year, people
    peaks by role, and the solver with its status (``optimal``, or the best set found in the
    time limit with its gap)."""

    chosen: tuple[str, ...]
    value: Decimal
    spend: tuple[YearSpend, ...]
    people: tuple[PeoplePeak, ...]
    solver: str
    status: str
    optimal: bool
    # candidates that cannot be chosen, with why (a need that is not a candidate)
    blocked: Mapping[str, str] = field(default_factory=dict)


class SelectionError(DocketError):
    """The solver gave no usable answer (it should not happen: said, never hidden)."""


def _places(number: Decimal) -> int:
    exponent = number.as_tuple().exponent
    return 0 if not isinstance(exponent, int) else max(0, -exponent)


def _scale(numbers: Iterable[Decimal]) -> int:
    """The power of ten that makes every number whole (at most ``MAX_PLACES`` places)."""
    places: int = min(MAX_PLACES, max((_places(n.normalize()) for n in numbers), default=0))
    return int(10**places)


def _whole(number: Decimal, scale: int) -> float:
    return float((number * scale).to_integral_value())


class Problem:
    """The constraints of a selection, built once and solved for any values (robustness
    changes the values) or any budget (the frontier scales it)."""

    def __init__(
        self,
        candidates: Sequence[Candidate],
        budget: Mapping[int, Decimal],
        capacity: Mapping[RoleMonth, Decimal] | None = None,
    ) -> None:
        self.candidates = tuple(candidates)
        self.codes = [c.code for c in self.candidates]
        self.index = {code: i for i, code in enumerate(self.codes)}
        if len(self.index) != len(self.codes):
            twice = sorted({c for c in self.codes if self.codes.count(c) > 1})
            raise ValidationError("proposals", f"the same code twice: {', '.join(twice)}")
        for year, amount in budget.items():
            if amount < 0:
                raise ValidationError("budget", f"FY{year}: expected an amount of zero or more")
        for (role, month), people in (capacity or {}).items():
            if people < 0:
                raise ValidationError("people", f"{role} in {month:%Y-%m}: expected zero or more")
        self.budget = dict(budget)
        self.capacity = dict(capacity or {})
        self.blocked = self._blocked()
        self.forced = self._forced()
        self._check_forced()
        self._build()

    # --- what the rules fix before solving -------------------------------------------

    def _blocked(self) -> dict[str, str]:
        """Candidates that need something that is not a candidate (or needs such a one)."""
        blocked: dict[str, str] = {}
        for c in self.candidates:
            missing = sorted(n for n in c.needs if n not in self.index)
            if missing:
                blocked[c.code] = f"needs {', '.join(missing)}, not a candidate"
        changed = True
        while changed:  # whatever needs a blocked candidate is blocked too
            changed = False
            for c in self.candidates:
                if c.code in blocked:
                    continue
                stuck = sorted(n for n in c.needs if n in blocked)
                if stuck:
                    blocked[c.code] = f"needs {', '.join(stuck)}, which cannot be chosen"
                    changed = True
        return blocked

    def _forced(self) -> list[int]:
        """The mandatory and approved candidates (commitments) and everything they need,
        directly or not. An approved one that cannot be chosen (it needs what is not a
        candidate) is not forced: it is listed as blocked, with why."""
        seen: set[str] = set()
        todo = [
            c.code
            for c in self.candidates
            if c.mandatory or (c.approved and c.code not in self.blocked)
        ]
        while todo:
            code = todo.pop()
            if code in seen or code not in self.index:
                continue
            seen.add(code)
            todo.extend(self.candidates[self.index[code]].needs)
        return sorted(self.index[code] for code in seen)

    def _check_forced(self) -> None:
        """Refuse, in words, mandatory items that cannot be chosen or that alone break a
        limit."""
        forced = [self.candidates[i] for i in self.forced]
        stuck = [f"{c.code} ({self.blocked[c.code]})" for c in forced if c.code in self.blocked]
        if stuck:
            raise ValidationError(
                "mandatory",
                f"a mandatory or approved proposal cannot be chosen: {'; '.join(stuck)}",
            )
        over: list[str] = []
        for year, limit in sorted(self.budget.items()):
            spend = sum((c.costs.get(year, Decimal(0)) for c in forced), Decimal(0))
            if spend > limit:
                over.append(f"FY{year} costs {spend:,.2f} against a budget of {limit:,.2f}")
        for (role, month), limit in sorted(self.capacity.items()):
            used = sum((c.people.get((role, month), Decimal(0)) for c in forced), Decimal(0))
            if used > limit:
                over.append(f"{role} in {month:%Y-%m} needs {used} people of {limit}")
        if over:
            names = ", ".join(c.code for c in forced)
            raise ValidationError(
                "mandatory",
                f"the mandatory and approved proposals alone ({names}, with what they need)"
                " are over: " + "; ".join(over),
            )

    # --- the program handed to the solver -------------------------------------------

    def _build(self) -> None:
        import numpy as np  # here, not at the top: scipy takes half a second to import
        from scipy.sparse import csr_array

        rows: list[int] = []
        cols: list[int] = []
        coefs: list[float] = []
        upper: list[float] = []
        self.budget_rows: dict[int, tuple[int, int]] = {}  # year -> (row, scale)

        def add_row(entries: Iterable[tuple[int, float]], bound: float) -> int:
            row = len(upper)
            for col, coef in entries:
                if coef:
                    rows.append(row)
                    cols.append(col)
                    coefs.append(coef)
            upper.append(bound)
            return row

        for year, limit in sorted(self.budget.items()):
            costs = [(i, c.costs.get(year, Decimal(0))) for i, c in enumerate(self.candidates)]
            scale = _scale([limit, *(amount for _, amount in costs)])
            row = add_row(((i, _whole(a, scale)) for i, a in costs), _whole(limit, scale))
            self.budget_rows[year] = (row, scale)
        needed: dict[RoleMonth, list[tuple[int, Decimal]]] = {}
        for i, c in enumerate(self.candidates):
            for key, people in c.people.items():
                if key in self.capacity:
                    needed.setdefault(key, []).append((i, people))
        for key, entries in sorted(needed.items()):
            limit = self.capacity[key]
            scale = _scale([limit, *(p for _, p in entries)])
            add_row(((i, _whole(p, scale)) for i, p in entries), _whole(limit, scale))
        for i, c in enumerate(self.candidates):
            for need in sorted(c.needs):
                if need in self.index:
                    add_row([(i, 1.0), (self.index[need], -1.0)], 0.0)
        n = len(self.candidates)
        self.matrix = csr_array((coefs, (rows, cols)), shape=(len(upper), n))
        self.upper = np.array(upper, dtype=float)
        self.lower_x = np.zeros(n)
        self.upper_x = np.ones(n)
        for i in self.forced:
            self.lower_x[i] = 1
        for code in self.blocked:
            self.upper_x[self.index[code]] = 0

    def solve(
        self,
        values: Sequence[Decimal] | None = None,
        budget: Mapping[int, Decimal] | None = None,
        time_limit: float = TIME_LIMIT_S,
    ) -> tuple[list[int], str, bool]:
        """The chosen candidates' indexes for these values (default: the candidates' own)
        and this budget (default: the problem's; only years the problem limits), with the
        status in words and whether it is the proven optimum (else the best set found in
        ``time_limit`` seconds)."""
        import numpy as np
        from scipy.optimize import Bounds, LinearConstraint, milp

        n = len(self.candidates)
        if n == 0:
            return [], "optimal", True
        given = values if values is not None else [c.value for c in self.candidates]
        objective = -np.array([float(v) for v in given], dtype=float)
        upper = self.upper
        if budget is not None:
            upper = upper.copy()
            for year, (row, scale) in self.budget_rows.items():
                upper[row] = _whole(budget.get(year, self.budget[year]), scale)
        constraints: list[Any] = []
        if len(upper):
            constraints.append(LinearConstraint(self.matrix, -np.inf, upper))
        result = milp(
            objective,
            constraints=constraints,
            integrality=np.ones(n),
            bounds=Bounds(self.lower_x, self.upper_x),
            options={"mip_rel_gap": 0.0, "time_limit": max(time_limit, 0.01)},
        )
        if result.x is None and result.status == 1:  # the limit came before any set
            return list(self.forced), "no set found in the time limit", False
        if result.x is None:
            raise SelectionError(f"the solver ({SOLVER}) found no selection: {result.message}")
        chosen = [i for i in range(n) if result.x[i] > 0.5]
        if result.status == 0:
            return chosen, "optimal", True
        gap = getattr(result, "mip_gap", None)
        within = f", within {gap:.2%} of the optimum" if gap is not None else ""
        return chosen, f"best found in the time limit ({time_limit:.2g} s){within}", False

    # --- the answer in words and numbers -------------------------------------------

    def selection(
        self,
        chosen: Collection[int],
        status: str,
        optimal: bool,
        budget: Mapping[int, Decimal] | None = None,
    ) -> Selection:
        """The facts of a chosen set, checked against every limit in Decimal."""
        limits = {**self.budget, **(budget or {})}
        picked = [self.candidates[i] for i in sorted(chosen)]
        years = sorted({y for c in self.candidates for y in c.costs} | set(limits))
        spend = tuple(
            YearSpend(
                year,
                sum((c.costs.get(year, Decimal(0)) for c in picked), Decimal(0)),
                limits.get(year),
            )
            for year in years
        )
        used: dict[RoleMonth, Decimal] = {}
        for c in picked:
            for key, people in c.people.items():
                used[key] = used.get(key, Decimal(0)) + people
        for key in self.capacity:
            used.setdefault(key, Decimal(0))
        over = [f"FY{s.year}" for s in spend if s.budget is not None and s.spend > s.budget]
        over += [
            f"{r} in {m:%Y-%m}" for (r, m), u in used.items() if u > self.capacity.get((r, m), u)
        ]
        if over:
            raise SelectionError(f"the solver's selection breaks a limit: {', '.join(over)}")
        peaks: dict[str, PeoplePeak] = {}
        for (role, month), people in sorted(used.items()):
            best = peaks.get(role)
            if best is None or people > best.used:
                peaks[role] = PeoplePeak(role, month, people, self.capacity.get((role, month)))
        picked.sort(key=lambda c: (-c.value, c.code))
        return Selection(
            chosen=tuple(c.code for c in picked),
            value=sum((c.value for c in picked), Decimal(0)),
            spend=spend,
            people=tuple(peaks[role] for role in sorted(peaks)),
            solver=SOLVER,
            status=status,
            optimal=optimal,
            blocked=dict(self.blocked),
        )


def select(
    candidates: Sequence[Candidate],
    budget: Mapping[int, Decimal],
    capacity: Mapping[RoleMonth, Decimal] | None = None,
    time_limit: float = TIME_LIMIT_S,
) -> Selection:
    """The set of candidates of greatest total value within the budget of each fiscal year
    and the people of each role and month, honouring dependencies and mandatory items."""
    problem = Problem(candidates, budget, capacity)
    chosen, status, optimal = problem.solve(time_limit=time_limit)
    return problem.selection(chosen, status, optimal)
