"""Vendors, contracts with their burn, expenditures, assignments and allocation."""

from __future__ import annotations

from docket.exports.tabular.columns import (
    ALERT,
    WARNING,
    Column,
    Listing,
    Row,
    Table,
    as_is,
)
from docket.models.contractors.assignments import ENDING_DAYS

VENDORS = Listing(as_is("id name contact contracts note", flexible="note"))

# the cells of a burn bar
BAR = 10


def burn_bar(percent: int) -> str:
    """``███████░░░  70%``: the share of the ceiling spent, readable without colour."""
    filled = max(0, min(BAR, round(percent * BAR / 100)))
    return "█" * filled + "░" * (BAR - filled) + f" {percent:3d}%"


CONTRACTS = Listing(
    as_is(
        "number vendor program end currency ceiling spent percent runs_out committed",
        flexible="vendor",
        headings={
            "program": "prog",
            "end": "ends",
            "currency": "cur",
            "percent": "%",
            "runs_out": "runs out",
        },
    ),
    Table(
        (
            Column("number", "Contract", 13),
            Column("vendor", "Vendor", flexible=True, least=7),
            Column("program", "Prog", 8, style="cyan"),
            Column("end", "Ends", 11, style=lambda r: WARNING if r["ending_soon"] else ""),
            Column(
                "bar",
                "Spent of ceiling",
                17,
                text=lambda r, _: burn_bar(r["percent"]),
                style=lambda r: ALERT if r["near_ceiling"] or r["over_committed"] else "",
            ),
            Column("runs_out", "Runs out", 11),
            Column(
                "remaining", "Remaining", 16, only="wide", text=lambda r, _: f"{r['remaining']:>14}"
            ),
            Column(
                "committed",
                "Committed",
                16,
                only="wide",
                text=lambda r, _: f"{r['committed']:>14}",
                style=lambda r: ALERT if r["over_committed"] else "",
            ),
        )
    ),
)

# a narrow terminal shortens the note, never an amount: a cut-off amount is a wrong fact
EXPENDITURES = Listing(
    as_is("id contract date amount invoice vendor program note", flexible="note")
)


def assignment_note(row: Row) -> str:
    """What to watch about an assignment: outside its contract's dates, or ending soon."""
    ends = row["ends_in_days"]
    if row["outside_contract"]:
        return "outside contract"
    return f"ends in {ends}d" if ends is not None and ends <= ENDING_DAYS else ""


ASSIGNMENTS = Listing(
    # the command names namesakes apart and says when one is outside its contract's dates
    as_is("id person program role allocation start end contract note", flexible="role"),
    Table(
        (
            Column("person", "Person", flexible=True, least=10),
            Column("role", "Role", flexible=True, least=10),
            Column("program", "Prog", 8, style="cyan"),
            Column(
                "allocation",
                "Alloc",
                6,
                right=True,
                heading_right=False,
                text=lambda r, _: f"{r['allocation']}%",
            ),
            Column("start", "Start", 11),
            Column(
                "end",
                "End",
                11,
                style=lambda r: WARNING if assignment_note(r).startswith("ends") else "",
            ),
            Column("contract", "Contract", 13, only="wide"),
            Column(
                "note",
                "",
                16,
                only="wide",
                text=lambda r, _: assignment_note(r),
                style=lambda r: ALERT if assignment_note(r).startswith("outside") else WARNING,
            ),
        )
    ),
)

OVERALLOCATIONS = Listing(as_is("person peak days from to assignments", flexible="assignments"))


def month_heading(month: str) -> str:
    """``2026-03`` as ``26/03``."""
    return month[2:].replace("-", "/")


def allocation_columns(months: list[str], person: str = "person") -> tuple[Column, ...]:
    """Each person's allocation per month: the person (headed ``person``; in the app at
    least 12 cells), then a column per month (``YYYY-MM`` keys, headed ``YY/MM``) six cells
    wide in the app."""
    return (
        Column("person", person, flexible=True, least=12),
        *(Column(m, month_heading(m), 6) for m in months),
    )
