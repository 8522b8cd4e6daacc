"""Contractor assignments and the allocation they add up to.

An assignment puts a person on a program (optionally under a contract) with a role, an
allocation (percent of their time), start and end days (both included) and a rate. Derived
here, in one place: each person's allocation on each day and per month across all programs;
over-allocation (above 100 % on some day, with the days and the assignments causing it);
assignments ending soon; assignments outside their contract's dates.

Allocation changes only where an assignment starts or ends, so a person's days are walked
as the spans between those edges, never day by day: a year for a thousand people is a few
thousand spans from one query.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise
from typing import Any, NamedTuple

from peewee import JOIN

from docket.models import records
from docket.models.context import Context
from docket.models.contracts import find_contract, money, typed_day
from docket.models.database import write
from docket.models.errors import ValidationError
from docket.models.inputs import text, whole_number
from docket.models.people import find_person
from docket.models.programs import get_program
from docket.models.schema import Assignment, Contract, Person, Program

FULL = 100
ENDING_DAYS = 30


def _allocation(typed: str | int) -> int:
    value = str(typed).strip().rstrip("%").strip()
    return whole_number("allocation", value, minimum=1, maximum=100)


def add_assignment(
    ctx: Context,
    person: str,
    *,
    program: str,
    allocation: str | int,
    start: str | date,
    end: str | date,
    role: str = "",
    contract: str | None = None,
    rate: str | None = None,
) -> Assignment:
    """Put a person on a program for a share of their time between two days."""
    first, last = typed_day(ctx, "start", start), typed_day(ctx, "end", end)
    if last < first:
        raise ValidationError("end", f"expected a day on or after the start ({first}), got {last}")
    values: dict[str, Any] = {
        "allocation": _allocation(allocation),
        "start": first,
        "end": last,
        "role": text("role", role, required=False, max_length=120),
        "rate": money("rate", rate) if rate not in (None, "") else None,
    }
    if values["rate"] is not None and values["rate"] < 0:
        raise ValidationError("rate", "expected a rate of zero or more")
    with write():
        values["person"] = find_person(person, field="person")
        values["program"] = get_program(program)
        values["contract"] = find_contract(contract) if contract else None
        return records.create(ctx, Assignment, **values)


def update_assignment(
    ctx: Context, assignment_id: int, version: int | None = None, **changes: Any
) -> Assignment:
    """Change an assignment: allocation, start, end, role, rate, contract, program."""
    known = {"allocation", "start", "end", "role", "rate", "contract", "program"}
    unknown = set(changes) - known
    if unknown:
        raise ValidationError(sorted(unknown)[0], "is not a field of an assignment")
    with write():
        found = records.get_current(Assignment, assignment_id, version)
        values: dict[str, Any] = {}
        if "allocation" in changes:
            values["allocation"] = _allocation(changes["allocation"])
        if "start" in changes:
            values["start"] = typed_day(ctx, "start", changes["start"])
        if "end" in changes:
            values["end"] = typed_day(ctx, "end", changes["end"])
        if "role" in changes:
            values["role"] = text("role", changes["role"], required=False, max_length=120)
        if "rate" in changes:
            values["rate"] = money("rate", changes["rate"]) if changes["rate"] else None
        if "contract" in changes:
            values["contract"] = find_contract(changes["contract"]) if changes["contract"] else None
        if "program" in changes:
            values["program"] = get_program(changes["program"])
        first, last = values.get("start", found.start), values.get("end", found.end)
        if last < first:
            raise ValidationError(
                "end", f"expected a day on or after the start ({first}), got {last}"
            )
        return records.update(ctx, found, found.version, **values)


def end_assignment(ctx: Context, assignment_id: int, on: str | date | None = None) -> Assignment:
    """End an assignment on a day (today by default), not before it started."""
    with write():
        found = records.get(Assignment, assignment_id)
        day = typed_day(ctx, "end", on, ctx.today())
        if day < found.start:
            raise ValidationError(
                "end", f"expected a day on or after the start ({found.start}), got {day}"
            )
        return records.update(ctx, found, found.version, end=day)


# --- reading --------------------------------------------------------------------------


@dataclass(frozen=True)
class AssignmentFilter:
    """Which assignments a list shows."""

    person: str | None = None
    program: str | None = None
    # only those active on some day of [first, last]
    first: date | None = None
    last: date | None = None


def list_assignments(flt: AssignmentFilter | None = None) -> list[Assignment]:
    """Assignments with their person, program and contract, by person then start."""
    flt = flt or AssignmentFilter()
    query = (
        Assignment.select(Assignment, Person, Program, Contract)
        .join(Person)
        .join_from(Assignment, Program)
        .join_from(Assignment, Contract, JOIN.LEFT_OUTER)
    )
    if flt.person:
        query = query.where(Assignment.person == find_person(flt.person, field="person"))
    if flt.program:
        query = query.where(Assignment.program == get_program(flt.program))
    if flt.last is not None:
        query = query.where(Assignment.start <= flt.last)
    if flt.first is not None:
        query = query.where(Assignment.end >= flt.first)
    return list(query.order_by(Person.name, Assignment.start, Assignment.id))


def outside_contract(a: Assignment) -> bool:
    """Whether an assignment runs before its contract starts or after it ends."""
    contract: Any = a.contract if a.__data__.get("contract") else None
    if contract is None:
        return False
    return bool(a.start < contract.start or a.end > contract.end)


def assignment_facts(a: Assignment, today: date) -> dict[str, Any]:
    """One assignment as plain data: its stable JSON form."""
    contract = a.contract if a.__data__.get("contract") else None
    return {
        "id": a.id,
        "person": a.person.name,
        "program": a.program.code,
        "contract": contract.number if contract else None,
        "role": a.role,
        "allocation": a.allocation,
        "start": a.start.isoformat(),
        "end": a.end.isoformat(),
        "rate": f"{a.rate:.2f}" if a.rate is not None else None,
        "ends_in_days": (a.end - today).days if a.end >= today else None,
        "outside_contract": outside_contract(a),
        "version": a.version,
    }


# --- allocation -------------------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    """Days [first, last] over which one person's allocation is constant."""

    first: date
    last: date
    total: int
    assignments: tuple[int, ...]

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


class Booking(NamedTuple):
    """What allocation needs of an assignment: read as plain rows, since a year of
    allocation for a whole portfolio reads thousands."""

    id: int
    person: str
    start: date
    end: date
    allocation: int


def spans(mine: Sequence[Booking], first: date, last: date) -> list[Span]:
    """One person's allocation over [first, last] as spans of constant total."""
    edges = {first, last + timedelta(days=1)}
    for a in mine:
        edges.add(max(first, a.start))
        edges.add(min(last, a.end) + timedelta(days=1))
    cuts = sorted(d for d in edges if first <= d <= last + timedelta(days=1))
    found = []
    for here, there in pairwise(cuts):
        active = [a for a in mine if a.start <= here <= a.end]
        if active:
            total = sum(a.allocation for a in active)
            found.append(Span(here, there - timedelta(days=1), total, tuple(a.id for a in active)))
    return found


def _by_person(
    first: date, last: date, people: Iterable[int] | None = None
) -> dict[int, list[Booking]]:
    query: Any = (  # rows as tuples: person id, then a Booking's fields
        Assignment.select(
            Assignment.person,
            Assignment.id,
            Person.name,
            Assignment.start,
            Assignment.end,
            Assignment.allocation,
        )
        .join(Person)
        .where(Assignment.start <= last, Assignment.end >= first)
        .order_by(Assignment.start, Assignment.id)
        .tuples()
    )
    if people is not None:
        query = query.where(Assignment.person.in_(list(people)))
    found: dict[int, list[Booking]] = {}
    for person_id, *booking in query:
        found.setdefault(person_id, []).append(Booking(*booking))
    return found


def overallocations(
    first: date, last: date, people: Iterable[int] | None = None
) -> list[dict[str, Any]]:
    """People above 100 % on some day of [first, last]: the peak, the days over, the first
    and last such day and the assignments that cause it; the highest peak first."""
    found: list[dict[str, Any]] = []
    for mine in _by_person(first, last, people).values():
        over = [s for s in spans(mine, first, last) if s.total > FULL]
        if not over:
            continue
        causing = sorted({i for s in over for i in s.assignments})
        found.append(
            {
                "person": mine[0].person,
                "peak": max(s.total for s in over),
                "days": sum(s.days for s in over),
                "from": over[0].first.isoformat(),
                "to": over[-1].last.isoformat(),
                "assignments": causing,
            }
        )
    found.sort(key=lambda r: (-r["peak"], r["person"]))
    return found


def month_starts(first: date, months: int) -> list[date]:
    """The first days of ``months`` months from ``first``'s month."""
    day = first.replace(day=1)
    found = []
    for _ in range(months):
        found.append(day)
        day = (day + timedelta(days=32)).replace(day=1)
    return found


def allocation_by_month(first: date, months: int) -> dict[str, Any]:
    """Each person's allocation per month (the average over the month's days, rounded) and
    peak (the highest day), across all programs; people with none are left out."""
    starts = month_starts(first, months)
    last = (starts[-1] + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    rows: list[dict[str, Any]] = []
    for mine in _by_person(starts[0], last).values():
        cells = []
        for month in starts:
            month_end = (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
            parts = spans(mine, month, month_end)
            days = (month_end - month).days + 1
            average = sum(s.total * s.days for s in parts) / days
            cells.append(
                {"average": round(average), "peak": max((s.total for s in parts), default=0)}
            )
        rows.append({"person": mine[0].person, "months": cells})
    rows.sort(key=lambda r: r["person"].lower())
    return {"months": [m.strftime("%Y-%m") for m in starts], "people": rows}


def ending_within(today: date, days: int = ENDING_DAYS) -> list[Assignment]:
    """Assignments ending in the next ``days`` days (today included), soonest first."""
    query = (
        Assignment.select(Assignment, Person, Program, Contract)
        .join(Person)
        .join_from(Assignment, Program)
        .join_from(Assignment, Contract, JOIN.LEFT_OUTER)
        .where(Assignment.end.between(today, today + timedelta(days=days)))
        .order_by(Assignment.end, Person.name)
    )
    return list(query)
