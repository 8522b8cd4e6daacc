"""The CSV form of the records docket can read back: people, assignments, expenditures,
action items, milestones and risks.

One place says which columns each kind's ``list --format csv`` writes and what each
record's cells hold, so that :mod:`docket.exports.tabular.csv_import` can tell what a row of an
exported file changes (a cell that reads as the export writes it changes nothing): an
export, read back unchanged, changes nothing, and exporting again gives the same bytes.

References are written so that the one lookup rule reads them back as the same record:
programs by code, contracts by number, people by name, or ``Name <e-mail>`` where someone
else has the same name (:func:`docket.models.people.directory.labels`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from peewee import JOIN

from docket.models.actions import items as actions
from docket.models.contractors import assignments
from docket.models.contractors.expenditures import expenditure_facts, expenditures_query
from docket.models.core.schema import (
    ActionItem,
    Assignment,
    Contract,
    Expenditure,
    Milestone,
    Person,
    Program,
    Record,
    Risk,
)
from docket.models.governance.risks import risk_facts
from docket.models.milestones import schedule as milestones
from docket.models.people import directory as people


def _owner_labels(
    rows: list[dict[str, Any]], found: Sequence[Record], column: str, field: str
) -> list[dict[str, Any]]:
    """The rows with ``column`` naming each record's person (``field``) by their label."""
    ids = [r.__data__.get(field) for r in found]
    shown = people.labels(i for i in ids if i is not None)
    for row, ident in zip(rows, ids, strict=True):
        row[column] = shown.get(ident) if ident is not None else None
    return rows


def _people(found: Sequence[Record], today: date) -> list[dict[str, Any]]:
    return [{**people.person_facts(p), "version": p.version} for p in found]  # type: ignore[arg-type]


def _assignments(found: Sequence[Record], today: date) -> list[dict[str, Any]]:
    # a CSV row is open: it takes a column the facts do not have
    rows: list[dict[str, Any]] = [
        {**assignments.assignment_facts(a, today)}  # type: ignore[arg-type]
        for a in found
    ]
    for row in rows:
        row["note"] = "outside its contract's dates" if row["outside_contract"] else ""
    return _owner_labels(rows, found, "person", "person")


def _expenditures(found: Sequence[Record], today: date) -> list[dict[str, Any]]:
    return [{**expenditure_facts(e)} for e in found]  # type: ignore[arg-type]


def _actions(found: Sequence[Record], today: date) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = [{**actions.action_facts(i, today)} for i in found]  # type: ignore[arg-type]
    return _owner_labels(rows, found, "owner", "owner")


def _milestones(found: Sequence[Record], today: date) -> list[dict[str, Any]]:
    rows = [
        {
            **milestones.milestone_facts(m, today),  # type: ignore[arg-type]
            "deliverable": m.deliverable,  # type: ignore[attr-defined]
            "acceptance_criteria": m.acceptance_criteria,  # type: ignore[attr-defined]
        }
        for m in found
    ]
    return _owner_labels(rows, found, "owner", "owner")


def _risks(found: Sequence[Record], today: date) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = [{**risk_facts(r)} for r in found]  # type: ignore[arg-type]
    return _owner_labels(rows, found, "owner", "owner")


@dataclass(frozen=True)
class Kind:
    """One kind of record as CSV: its model, the columns its export writes, how a list of
    its records becomes rows, and the query that loads them with what the rows name."""

    model: type[Record]
    columns: tuple[str, ...]
    rows: Callable[[Sequence[Record], date], list[dict[str, Any]]]
    query: Callable[[], Any]


KINDS: dict[str, Kind] = {
    "people": Kind(
        Person,
        tuple("id name email organization title kind account phone timezone version".split()),
        _people,
        lambda: Person.select(),
    ),
    "assignments": Kind(
        Assignment,
        tuple(
            (
                "id person program contract role allocation start end rate ends_in_days "
                "outside_contract version note"
            ).split()
        ),
        _assignments,
        lambda: (
            Assignment.select(Assignment, Person, Program, Contract)
            .join(Person)
            .join_from(Assignment, Program)
            .join_from(Assignment, Contract, JOIN.LEFT_OUTER)
        ),
    ),
    "expenditures": Kind(
        Expenditure,
        tuple("id contract date amount invoice vendor program over_ceiling void version".split()),
        _expenditures,
        expenditures_query,
    ),
    "actions": Kind(
        ActionItem,
        tuple(
            (
                "id due state priority program owner status title days_overdue notes created_at "
                "closed_at version"
            ).split()
        ),
        _actions,
        lambda: (
            ActionItem.select(ActionItem, Program, Person)
            .join_from(ActionItem, Program, JOIN.LEFT_OUTER)
            .join_from(ActionItem, Person, JOIN.LEFT_OUTER)
        ),
    ),
    "milestones": Kind(
        Milestone,
        tuple(
            (
                "id program baseline forecast actual slip_days status owner title deliverable "
                "acceptance_criteria version"
            ).split()
        ),
        _milestones,
        lambda: (
            Milestone.select(Milestone, Program, Person)
            .join_from(Milestone, Program)
            .join_from(Milestone, Person, JOIN.LEFT_OUTER)
        ),
    ),
    "risks": Kind(
        Risk,
        tuple(
            (
                "id program title category probability impact score owner status response_date "
                "cause effect mitigation contingency trigger version"
            ).split()
        ),
        _risks,
        lambda: (
            Risk.select(Risk, Program, Person)
            .join(Program)
            .join_from(Risk, Person, JOIN.LEFT_OUTER)
        ),
    ),
}


def table(kind: str, found: Sequence[Record], today: date) -> list[dict[str, Any]]:
    """The CSV rows of these records of one kind, in the order given."""
    return KINDS[kind].rows(found, today)


def cell(value: Any) -> str:
    """A value as the CSV writer writes it (before the spreadsheet guard)."""
    return "" if value is None else str(value)


def by_id(kind: str, ids: Iterable[int], today: date) -> dict[int, tuple[Record, dict[str, Any]]]:
    """The records of one kind with these ids (those that exist) and their CSV rows."""
    spec = KINDS[kind]
    wanted = sorted(set(ids))
    found: list[Record] = []
    # a bounded number of ids per query (SQLite's limit on parameters)
    for at in range(0, len(wanted), 10_000):
        chunk = wanted[at : at + 10_000]
        found += list(spec.query().where(spec.model.id.in_(chunk)))
    rows = spec.rows(found, today)
    return {int(r.id): (r, row) for r, row in zip(found, rows, strict=True)}
