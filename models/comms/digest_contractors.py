"""The digest's sections on contractors: assignments starting and ending, people over 100 %,
and contracts near their ceiling or their end (registered in
:data:`docket.models.comms.digest_sections.SECTIONS`)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from docket.models.comms.digest_scope import Scope, Section, capped, within
from docket.models.contractors.allocation import overallocations
from docket.models.contractors.burn import BurnFacts, burn_facts, burns
from docket.models.core.schema import Assignment, Person, Program, database


class _Booked(NamedTuple):
    """An assignment as the digest lists it (read as the cursor's own rows)."""

    person: int
    name: str
    code: str
    role: str
    allocation: int
    start: date
    end: date


def contractors_section(scope: Scope) -> Section:
    """Assignments starting or ending in this period or the next, and people allocated
    above 100 % on some day of it (with the days)."""
    first, last = scope.since, scope.next_until
    query: Any = (  # the shown columns as tuples: no model object per assignment
        Assignment.select(
            Assignment.person,
            Person.name,
            Program.code,
            Assignment.role,
            Assignment.allocation,
            Assignment.start,
            Assignment.end,
        )
        .join(Person)
        .join_from(Assignment, Program)
        .where(within(Assignment.program, scope), Assignment.start <= last, Assignment.end >= first)
        .order_by(Assignment.start, Assignment.id)
    )
    day = Assignment.start.python_value
    mine = [
        _Booked(person, name, code, role, allocation, day(start), day(end))
        for person, name, code, role, allocation, start, end in database.execute(query)
    ]

    def row(a: Any, day: date) -> dict[str, Any]:
        return {
            "person": a.name,
            "program": a.code,
            "role": a.role,
            "allocation": a.allocation,
            "day": day.isoformat(),
        }

    starting = [row(a, a.start) for a in mine if first <= a.start <= last]
    ending = [row(a, a.end) for a in sorted(mine, key=lambda a: a.end) if first <= a.end <= last]
    # over 100 % counts every program a person works on, not only those in scope
    shared = scope.shared.overallocations if scope.shared else None
    over = (shared or overallocations)(first, last, {a.person for a in mine})
    facts = {
        "starting": capped(starting),
        "ending": capped(ending),
        "overallocated": capped(over),
    }
    said = bool(starting or ending or over)
    return Section(
        "contractors",
        "Contractor assignments",
        facts,
        "No assignments starting or ending, and nobody over 100 %.",
        said,
    )


def contracts_section(scope: Scope) -> Section:
    """Contracts above 80 % of their ceiling, or ending within 60 days."""
    near: list[BurnFacts] = []
    ending: list[BurnFacts] = []
    read = scope.shared.burns if scope.shared else burns
    for burn in read(scope.today, program_ids=scope.program_ids):
        if burn.days_left < 0:
            continue
        row = burn_facts(burn)
        row["spent"] = f"{burn.spent:,.2f}"
        row["ceiling"] = f"{Decimal(burn.contract.ceiling):,.2f}"
        if burn.near_ceiling:
            near.append(row)
        if burn.ending_soon:
            ending.append(row)
    near.sort(key=lambda r: -r["percent"])
    facts = {"near_ceiling": capped(near), "ending": capped(ending)}
    said = bool(near or ending)
    return Section(
        "contracts", "Contracts", facts, "No contract near its ceiling or its end.", said
    )
