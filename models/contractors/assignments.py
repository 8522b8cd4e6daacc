"""Contractor assignments: a person on a program (optionally under a contract) with a role,
an allocation (percent of their time), start and end days (both included) and a rate; the
ones ending soon and those outside their contract's dates. The allocation they add up to
is :mod:`docket.models.contractors.allocation`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any, NamedTuple, TypedDict

from peewee import JOIN

from docket.models.contractors.contracts import find_contract, typed_day
from docket.models.core import records
from docket.models.core.context import Context
from docket.models.core.database import write
from docket.models.core.errors import ValidationError
from docket.models.core.inputs import money, text, whole_number
from docket.models.core.schema import Assignment, Contract, Person, Program
from docket.models.people.directory import find_person
from docket.models.portfolio.programs import get_program, program_and_children

FULL = 100

ENDING_DAYS = 30


def checked_allocation(typed: str | int) -> int:
    """A typed allocation (``50``, ``50 %``) as a whole percent, 1 to 100."""
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
        "allocation": checked_allocation(allocation),
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
            values["allocation"] = checked_allocation(changes["allocation"])
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


class AssignmentFilter(NamedTuple):
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


class AssignmentFacts(TypedDict):
    """One assignment as plain data (``docket assignment list --format json``)."""

    id: int
    person: str
    program: str
    contract: str | None
    role: str
    allocation: int
    start: str
    end: str
    # the hourly rate as text, to the cent
    rate: str | None
    ends_in_days: int | None
    outside_contract: bool
    version: int


def assignment_facts(a: Assignment, today: date) -> AssignmentFacts:
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


def people_assigned(programs: Iterable[int]) -> set[int]:
    """The ids of everyone with an assignment (at any time) on one of ``programs`` (ids):
    whom a view scoped to those programs concerns."""
    query = Assignment.select(Assignment.person).where(Assignment.program.in_(list(programs)))
    return {a.__data__["person"] for a in query}


def _ending(today: date, days: int) -> Any:
    return Assignment.end.between(today, today + timedelta(days=days))


def ending_within(today: date, days: int = ENDING_DAYS) -> list[Assignment]:
    """Assignments ending in the next ``days`` days (today included), soonest first."""
    query = (
        Assignment.select(Assignment, Person, Program, Contract)
        .join(Person)
        .join_from(Assignment, Program)
        .join_from(Assignment, Contract, JOIN.LEFT_OUTER)
        .where(_ending(today, days))
        .order_by(Assignment.end, Person.name)
    )
    return list(query)


class Ending(NamedTuple):
    """What an alert says of an assignment ending soon (read as a plain row: Today reads
    hundreds, and no model object of them)."""

    program_id: int
    person: str
    program: str
    allocation: int
    end: date


def ending_rows(today: date, days: int = ENDING_DAYS) -> list[Ending]:
    """:func:`ending_within` as plain rows, in its order."""
    query: Any = (
        Assignment.select(
            Assignment.program, Person.name, Program.code, Assignment.allocation, Assignment.end
        )
        .join(Person)
        .join_from(Assignment, Program)
        .where(_ending(today, days))
        .order_by(Assignment.end, Person.name)
        .tuples()
    )
    return [Ending._make(row) for row in query]
