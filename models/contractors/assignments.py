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

from docket.models.contractors.contracts import find_contract, typed_day
from docket.models.core import records
from docket.models.core.context import Context
from docket.models.core.database import write
from docket.models.core.errors import DocketError, ValidationError
from docket.models.core.inputs import money, text, whole_number
from docket.models.core.schema import Assignment, Contract, Person, Program
from docket.models.people.directory import find_person, labels
from docket.models.portfolio.programs import get_program, program_and_children

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
    with write():
        values = assignment_values(
            ctx,
            person,
            program=program,
            allocation=allocation,
            start=start,
            end=end,
            role=role,
            contract=contract,
            rate=rate,
        )
        return records.create(ctx, Assignment, **values)


def assignment_values(
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
) -> dict[str, Any]:
    """A new assignment's fields, each checked, the person, program and contract found."""
    first, last = typed_day(ctx, "start", start), typed_day(ctx, "end", end)
    if last < first:
        raise ValidationError("end", f"expected a day on or after the start ({first}), got {last}")
    values: dict[str, Any] = {
        "allocation": _allocation(allocation),
        "start": first,
        "end": last,
        "role": text("role", role, required=False, max_length=120),
        "rate": money("rate", rate, decimal_comma=ctx.decimal_comma)
        if rate not in (None, "")
        else None,
    }
    if values["rate"] is not None and values["rate"] < 0:
        raise ValidationError("rate", "expected a rate of zero or more")
    values["person"] = find_person(person, field="person")
    values["program"] = get_program(program)
    values["contract"] = find_contract(contract) if contract else None
    return values


def update_assignment(
    ctx: Context, assignment_id: int, version: int | None = None, note: str = "", **changes: Any
) -> Assignment:
    """Change an assignment: allocation, start, end, role, rate, contract, program (``note``
    goes with the audit entry)."""
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
            values["rate"] = (
                money("rate", changes["rate"], decimal_comma=ctx.decimal_comma)
                if changes["rate"]
                else None
            )
        if "contract" in changes:
            values["contract"] = find_contract(changes["contract"]) if changes["contract"] else None
        if "program" in changes:
            values["program"] = get_program(changes["program"])
        first, last = values.get("start", found.start), values.get("end", found.end)
        if last < first:
            raise ValidationError(
                "end", f"expected a day on or after the start ({first}), got {last}"
            )
        return records.update(ctx, found, found.version, note, **values)


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
        query = query.where(Assignment.program.in_(program_and_children(flt.program)))
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
    first: date,
    last: date,
    people: Iterable[int] | None = None,
    leaving_out: int | None = None,
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
    if leaving_out is not None:
        query = query.where(Assignment.id != leaving_out)
    found: dict[int, list[Booking]] = {}
    for person_id, *booking in query:
        found.setdefault(person_id, []).append(Booking(*booking))
    return found


def overallocations(
    first: date,
    last: date,
    people: Iterable[int] | None = None,
    *,
    proposed: tuple[int, Booking] | None = None,
    leaving_out: int | None = None,
) -> list[dict[str, Any]]:
    """People above 100 % on some day of [first, last]: the peak, the days over, the first
    and last such day, the runs of days over (``spans``: pairs of ISO days) and the
    assignments that cause it; the highest peak first. ``proposed`` (a person's id and a
    booking not saved yet, id 0) and ``leaving_out`` (an assignment being changed) answer
    "what if" before a save."""
    found: list[dict[str, Any]] = []
    booked = _by_person(first, last, people, leaving_out)
    if proposed is not None:
        person_id, booking = proposed
        booked.setdefault(person_id, []).append(booking)
    shown = labels(booked)
    for person_id, mine in booked.items():
        over = [s for s in spans(mine, first, last) if s.total > FULL]
        if not over:
            continue
        causing = sorted({i for s in over for i in s.assignments})
        found.append(
            {
                "person_id": person_id,
                "person": shown[person_id],
                "peak": max(s.total for s in over),
                "days": sum(s.days for s in over),
                "from": over[0].first.isoformat(),
                "to": over[-1].last.isoformat(),
                "spans": _runs(over),
                "assignments": [i for i in causing if i],
            }
        )
    found.sort(key=lambda r: (-r["peak"], r["person"]))
    return found


def _runs(over: list[Span]) -> list[tuple[str, str]]:
    """Spans that touch merged into runs of consecutive days, as ISO pairs."""
    runs: list[list[date]] = []
    for span in over:
        if runs and runs[-1][1] + timedelta(days=1) == span.first:
            runs[-1][1] = span.last
        else:
            runs.append([span.first, span.last])
    return [(a.isoformat(), b.isoformat()) for a, b in runs]


def overload(
    person: Person | int,
    first: date,
    last: date,
    *,
    allocation: int | None = None,
    leaving_out: int | None = None,
) -> dict[str, Any] | None:
    """The person's over-allocation over [first, last] (as :func:`overallocations` gives
    it), counting an assignment of ``allocation`` over those days that is not saved yet
    (when given) and leaving out the one being changed; None when they stay within 100 %."""
    person_id = person if isinstance(person, int) else person.id
    proposed = None
    if allocation is not None:
        proposed = (person_id, Booking(0, "", first, last, allocation))
    rows = overallocations(first, last, [person_id], proposed=proposed, leaving_out=leaving_out)
    return rows[0] if rows else None


def overload_text(row: dict[str, Any], *, would: bool = False) -> str:
    """One line naming who, the days over 100 % and the peak, for the command line and
    (``would``: before saving) the assignment form."""
    runs = [a if a == b else f"{a} to {b}" for a, b in row["spans"]]
    shown = ", ".join(runs[:4]) + (f" and {len(runs) - 4} more" if len(runs) > 4 else "")
    days = "1 day" if row["days"] == 1 else f"{row['days']} days"
    verb = "would be" if would else "is"
    return f"{row['person']} {verb} over 100 % on {days} ({shown}); peak {row['peak']} %"


def overload_preview(
    ctx: Context,
    *,
    person: str | None,
    allocation: str,
    start: str,
    end: str,
    leaving_out: int | None = None,
) -> str:
    """What saving an assignment as typed would do to its person (``person``, or the one of
    the assignment ``leaving_out`` being edited): :func:`overload_text`, or "" when they
    stay within 100 % or the fields do not yet say enough to tell."""
    try:
        first, last = typed_day(ctx, "start", start), typed_day(ctx, "end", end)
        share = _allocation(allocation)
        if person:
            who = find_person(person, field="person").id
        elif leaving_out is not None:
            who = records.get(Assignment, leaving_out).__data__["person"]
        else:
            return ""
    except DocketError:
        return ""
    if last < first:
        return ""
    row = overload(who, first, last, allocation=share, leaving_out=leaving_out)
    return overload_text(row, would=True) if row else ""


def month_starts(first: date, months: int) -> list[date]:
    """The first days of ``months`` months from ``first``'s month."""
    day = first.replace(day=1)
    found = []
    for _ in range(months):
        found.append(day)
        day = (day + timedelta(days=32)).replace(day=1)
    return found


def people_assigned(programs: Iterable[int]) -> set[int]:
    """The ids of everyone with an assignment (at any time) on one of ``programs`` (ids):
    whom a view scoped to those programs concerns."""
    query = Assignment.select(Assignment.person).where(Assignment.program.in_(list(programs)))
    return {a.__data__["person"] for a in query}


def allocation_by_month(
    first: date, months: int, people: Iterable[int] | None = None
) -> dict[str, Any]:
    """Each person's allocation per month (the average over the month's days, rounded) and
    peak (the highest day), across all programs; people with none are left out, and with
    ``people`` (ids), everyone else too."""
    starts = month_starts(first, months)
    last = (starts[-1] + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    rows: list[dict[str, Any]] = []
    booked = _by_person(starts[0], last, people)
    shown = labels(booked)
    for person_id, mine in booked.items():
        cells = []
        for month in starts:
            month_end = (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
            parts = spans(mine, month, month_end)
            days = (month_end - month).days + 1
            average = sum(s.total * s.days for s in parts) / days
            cells.append(
                {"average": round(average), "peak": max((s.total for s in parts), default=0)}
            )
        rows.append({"person_id": person_id, "person": shown[person_id], "months": cells})
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
