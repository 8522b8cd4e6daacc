"""The six kinds of record a CSV import reads (people, assignments, expenditures, action
items, milestones, risks): for each, its columns, how a row becomes the fields the command
line would check, the columns an update cannot change, how a changed row updates its
record, and what else adding records of it makes. :mod:`docket.exports.tabular.csv_import`
reads the file with these.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from docket.models.actions import items as actions
from docket.models.contractors import assignments
from docket.models.contractors.expenditures import (
    correct_expenditure,
    expenditure_values,
    void_expenditure,
)
from docket.models.core import bulk
from docket.models.core.context import Context
from docket.models.core.errors import ValidationError
from docket.models.core.schema import Record, RiskAssessment
from docket.models.governance.risks import RISK_TEXT, risk_values, scoring, update_risk
from docket.models.milestones import schedule as milestones
from docket.models.people.persons import person_values, update_person

# a row's cells by column, as read (apostrophe guard taken away)
Row = dict[str, str]


def _given(row: Row, *names: str) -> dict[str, str]:
    """The optional columns a row has (absent ones take the new record's defaults)."""
    return {n: row[n] for n in names if n in row}


def _person(ctx: Context, row: Row, existing: Record | None) -> dict[str, Any]:
    given = _given(row, "email", "organization", "title", "phone", "timezone", "account")
    return person_values(
        row["name"],
        kind=row.get("kind") or "staff",
        **{k: v or None for k, v in given.items()},
    )


def _assignment(ctx: Context, row: Row, existing: Record | None) -> dict[str, Any]:
    return assignments.assignment_values(
        ctx,
        row["person"],
        program=row["program"],
        allocation=row["allocation"],
        start=row["start"],
        end=row["end"],
        role=row.get("role", ""),
        contract=row.get("contract") or None,
        rate=row.get("rate") or None,
    )


def _expenditure(ctx: Context, row: Row, existing: Record | None) -> dict[str, Any]:
    if existing is None and row.get("void"):
        raise ValidationError("void", "a new expenditure cannot be void: add it, then void it")
    return expenditure_values(
        ctx,
        row["contract"],
        row["amount"],
        on=row.get("date") or None,
        invoice=row.get("invoice", ""),
        over_ceiling=row.get("over_ceiling", ""),
        leaving_out=existing.id if existing is not None else None,
    )


def _action(ctx: Context, row: Row, existing: Record | None) -> dict[str, Any]:
    given = _given(row, "owner", "due", "program", "priority", "status", "notes")
    return actions.action_values(ctx, row["title"], **given)


def _milestone(ctx: Context, row: Row, existing: Record | None) -> dict[str, Any]:
    given = _given(row, "forecast", "actual", "owner", "deliverable", "acceptance_criteria")
    return milestones.milestone_values(ctx, row["program"], row["title"], row["baseline"], **given)


def _risk(ctx: Context, row: Row, existing: Record | None) -> dict[str, Any]:
    given = _given(row, "owner", "response_date", "status", *RISK_TEXT)
    return risk_values(
        ctx,
        row["title"],
        program=row["program"],
        probability=row["probability"],
        impact=row["impact"],
        **given,
    )


def _change_expenditure(
    ctx: Context, record: Record, changes: Row, row: Row, reason: str
) -> Record:
    """Correct, then void, an expenditure as the file says (each with its reason)."""
    void = changes.pop("void", None)
    if "over_ceiling" in changes and "amount" not in changes:
        raise ValidationError(
            "over_ceiling",
            "is why an amount past the ceiling was taken; it changes with the amount",
        )
    changes.pop("over_ceiling", None)
    made: Record = record
    if changes:
        made = correct_expenditure(
            ctx, record.id, record.version, reason=reason,
            over_ceiling=row.get("over_ceiling", ""), **changes,
        )  # fmt: skip
    if void:
        made = void_expenditure(ctx, record.id, made.version, reason=void)
    return made


# how a changed row updates its record, inside the import's transaction:
# (ctx, record, changed cells by column, the whole row, the import's reason)
Change = Callable[[Context, Record, Row, Row, str], Record]


CHANGE: dict[str, Change] = {
    "people": lambda ctx, r, c, row, why: update_person(ctx, r.id, r.version, why, **c),
    "assignments": lambda ctx, r, c, row, why: assignments.update_assignment(
        ctx, r.id, r.version, why, **c
    ),
    "expenditures": _change_expenditure,
    "actions": lambda ctx, r, c, row, why: actions.update_action(
        ctx, r.id, r.version, note=why, **c
    ),
    "milestones": lambda ctx, r, c, row, why: milestones.update_milestone(
        ctx, r.id, r.version, reason=why or None, **c
    ),
    "risks": lambda ctx, r, c, row, why: update_risk(ctx, r.id, r.version, why, **c),
}


def _score_new_risks(ctx: Context, ids: range, rows: list[dict[str, Any]]) -> None:
    """Each new risk's first scoring, as adding a risk makes it."""
    scorings = (
        scoring(ctx, i, v["probability"], v["impact"]) for i, v in zip(ids, rows, strict=True)
    )
    bulk.create_many(ctx, bulk.prepare(ctx, RiskAssessment, scorings))


@dataclass(frozen=True)
class Kind:
    """One kind of record an import reads: what one is called, its columns, how a row
    becomes its checked fields (``existing``: the record it updates), the columns an
    update cannot change, and what else adding them makes."""

    noun: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    values: Callable[[Context, Row, Record | None], dict[str, Any]]
    fixed: tuple[str, ...] = ()
    after: Callable[[Context, range, list[dict[str, Any]]], None] | None = None


KINDS: dict[str, Kind] = {
    "people": Kind(
        "person",
        ("name",),
        ("email", "organization", "title", "kind", "account", "phone", "timezone"),
        _person,
    ),
    "assignments": Kind(
        "assignment",
        ("person", "program", "allocation", "start", "end"),
        ("role", "contract", "rate"),
        _assignment,
        fixed=("person",),
    ),
    "expenditures": Kind(
        "expenditure",
        ("contract", "amount"),
        ("date", "invoice", "over_ceiling", "void"),
        _expenditure,
        fixed=("contract",),
    ),
    "actions": Kind(
        "action item",
        ("title",),
        ("owner", "due", "program", "priority", "status", "notes"),
        _action,
    ),
    "milestones": Kind(
        "milestone",
        ("program", "title", "baseline"),
        ("forecast", "actual", "owner", "deliverable", "acceptance_criteria"),
        _milestone,
    ),
    "risks": Kind(
        "risk",
        ("program", "title", "probability", "impact"),
        tuple(
            (
                "category owner status response_date cause effect mitigation contingency trigger"
            ).split()
        ),
        _risk,
        fixed=("program",),
        after=_score_new_risks,
    ),
}


# the columns that name the record a row updates, and the version it was exported at
KEYS = ("id", "version")
