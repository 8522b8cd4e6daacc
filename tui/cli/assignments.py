"""``docket assignment ...`` and ``docket allocation``: who works on which program, at what
share of their time, until when; each person's allocation month by month.

Each command calls :mod:`docket.models.contractors.assignments` and prints the result; no
rule lives here.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import click

from docket.exports.tabular.lists.contractors import (
    ASSIGNMENTS,
    OVERALLOCATIONS,
    allocation_columns,
)
from docket.models.contractors import assignments
from docket.models.contractors.allocation import (
    allocation_by_month,
    overallocations,
    overload,
    overload_text,
)
from docket.models.core.inputs import a_date, whole_number
from docket.models.people import directory as people
from docket.tui.cli.emit import emit, emit_csv
from docket.tui.cli.groups import command, verbs
from docket.tui.cli.params import a_number, a_window, an_id, as_of_option, edits, format_option
from docket.tui.cli.session import Session, pass_session

# what ``assignment edit`` changes with an option of the same name
ASSIGNMENT_FIELDS = ("allocation", "start", "end", "role", "rate", "contract", "program")


@verbs()
def assignment() -> None:
    """Who works on which program, at what share, until when."""


@assignment.command("add")
@click.argument("person")
@click.option("--program", required=True, metavar="CODE")
@click.option("--allocation", required=True, metavar="PCT")
@click.option("--start", required=True, metavar="WHEN")
@click.option("--end", required=True, metavar="WHEN")
@click.option("--role", default="")
@click.option("--contract", metavar="NUMBER")
@click.option("--rate", metavar="AMOUNT", help="per hour")
@pass_session
def add_assignment(
    session: Session,
    person: str,
    program: str,
    allocation: str,
    start: str,
    end: str,
    role: str,
    contract: str | None,
    rate: str | None,
) -> None:
    """Put a person on a program (prints its id)."""
    made = assignments.add_assignment(
        session.ctx, person, program=program, allocation=allocation, start=start, end=end,
        role=role, contract=contract, rate=rate,
    )  # fmt: skip
    session.print(str(made.id))
    _warn_overload(session, made)


def _warn_overload(session: Session, made: Any) -> None:
    """A line on stderr when the saved assignment leaves its person over 100 % on some day
    of its span (it is saved all the same)."""
    row = overload(made.__data__["person"], made.start, made.end)
    if row is not None:
        session.err.write(f"docket: warning: {overload_text(row)}\n")


@assignment.command("list")
@click.option("--person", metavar="WHO")
@click.option("--program", metavar="CODE")
@click.option("--overallocated", is_flag=True, help="people above 100 % on a day")
@click.option("--ending-within", type=a_window("ending within"), metavar="DAYS")
@click.option("--from", "start", metavar="WHEN", help="with --overallocated (today)")
@click.option("--days", type=a_window("days"), default=90, help="with --overallocated (90)")
@format_option("table", "json", "csv")
@as_of_option
@pass_session
def list_assignments(
    session: Session,
    person: str | None,
    program: str | None,
    overallocated: bool,
    ending_within: int | None,
    start: str | None,
    days: int,
    fmt: str,
) -> None:
    """Assignments, by person."""
    today = session.ctx.today()
    if overallocated:
        first = a_date(session.ctx, "from", start) or today
        days = whole_number("days", days, minimum=1, maximum=3660)
        found_over = overallocations(first, first + timedelta(days=days - 1))
        over: list[dict[str, Any]] = [
            {**row, "assignments": " ".join(f"#{i}" for i in row["assignments"])}
            for row in found_over
        ]
        emit(session, fmt, over, OVERALLOCATIONS.cli)
        return
    if ending_within is not None:
        days = whole_number("ending-within", ending_within, minimum=0, maximum=3660)
        found = assignments.ending_within(today, days)
    else:
        flt = assignments.AssignmentFilter(person=person, program=program)
        found = assignments.list_assignments(flt)
    if fmt == "csv":
        emit_csv(session, "assignments", found)
        return
    rows: list[dict[str, Any]] = [dict(assignments.assignment_facts(a, today)) for a in found]
    if fmt != "json":
        # two people of one name read apart (the JSON keeps the name, as documented)
        shown = people.labels(a.__data__["person"] for a in found)
        for row, a in zip(rows, found, strict=True):
            row["person"] = shown[a.__data__["person"]]
    for row in rows:
        row["note"] = "outside its contract's dates" if row["outside_contract"] else ""
    if fmt != "table":
        emit(session, fmt, rows, list(rows[0]) if rows else ["id"])
        return
    emit(session, "table", rows, ASSIGNMENTS.cli)


@assignment.command("edit")
@click.argument("item", metavar="ID", type=an_id("id"))
@click.option("--allocation")
@click.option("--start")
@click.option("--end")
@click.option("--role")
@click.option("--rate")
@click.option("--contract")
@click.option("--program")
@pass_session
def edit_assignment(session: Session, item: int, **fields: str | None) -> None:
    """Change an assignment."""
    changes = edits(fields, ASSIGNMENT_FIELDS)
    made = assignments.update_assignment(session.ctx, item, **changes)
    session.print(f"assignment {item} changed")
    _warn_overload(session, made)


@assignment.command("end")
@click.argument("item", metavar="ID", type=an_id("id"))
@click.option("--on", metavar="WHEN")
@pass_session
def end_assignment(session: Session, item: int, on: str | None) -> None:
    """End an assignment (today, or --on)."""
    ended = assignments.end_assignment(session.ctx, item, on)
    session.print(f"assignment {item} ends {ended.end:%a %d %b %Y}")


@command("allocation")
@click.option("--from", "start", metavar="WHEN", help="the first month (this one)")
@click.option("--months", type=a_number("months", 1, 1200), default=6, show_default=True)
@format_option("table", "json", "csv")
@as_of_option
@pass_session
def allocation(session: Session, start: str | None, months: int, fmt: str) -> None:
    """Each person's allocation per month, all programs."""
    first = a_date(session.ctx, "from", start) or session.ctx.today()
    months = whole_number("months", months, minimum=1, maximum=36)
    found = allocation_by_month(first, months)
    if fmt == "json":
        emit(session, "json", [found], [])
        return
    rows = [
        {
            "person": p["person"],
            **{m: cell["average"] for m, cell in zip(found["months"], p["months"], strict=True)},
        }
        for p in found["people"]
    ]
    if fmt == "csv":
        emit(session, "csv", rows, allocation_columns(found["months"]))
        return
    for row in rows:
        for month in found["months"]:
            row[month] = f"{row[month]}%" if row[month] else "."
    emit(session, "table", rows, allocation_columns(found["months"]))
