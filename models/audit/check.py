"""``docket check``: whether the file is sound, every row readable, and every change audited.

In the order a fault would bite: SQLite's full integrity check and the foreign keys; every
row read through the models (a value the commands would trip on, such as a date with a
flipped byte, is named here first); the audit log's hash chain; the witnesses this account
(and any export named) holds of the chain (:mod:`docket.models.audit.witness`), which catch a
chain rewritten whole; and every record against its audit trail. The result is kept in
``docket_meta`` (key ``last_check``) so that the app can warn while the last check failed.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import peewee

from docket.models.audit import chain as audit
from docket.models.audit import witness
from docket.models.core import engine
from docket.models.core.database import integrity_problems, write
from docket.models.core.schema import Meta, UserAccount, database

# problems listed by name; more are counted
LIMIT = 20
LAST_CHECK = "last_check"


@dataclass(frozen=True)
class CheckReport:
    """What a check found: its problems (the first :data:`LIMIT`, most basic first), how
    many it found in all, the audit chain's size and head, and notes that are not problems
    (a witness line that could not be read)."""

    problems: tuple[str, ...]
    total: int
    entries: int
    head: tuple[int, str]
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.total == 0


@dataclass(frozen=True)
class LastCheck:
    """The stored result of the last check: when, by whom, and its first problem."""

    at: str
    by: str
    problems: int
    first: str

    @property
    def ok(self) -> bool:
        return self.problems == 0


class _Found:
    def __init__(self) -> None:
        self.listed: list[str] = []
        self.total = 0

    def add(self, problem: str) -> None:
        self.total += 1
        if len(self.listed) < LIMIT:
            self.listed.append(problem)

    def step(self, what: str, run: Callable[[], None]) -> bool:
        """Run one part of the check; a database error stops that part, as a problem."""
        try:
            run()
        except (peewee.DatabaseError, sqlite3.Error) as exc:
            self.add(f"{what} failed: {exc}; the file is damaged")
            return False
        return True


def _label(entity: str, entity_id: int, values: dict[str, Any] | None) -> str:
    label = f"{entity.replace('_', ' ')} {entity_id}"
    if entity == UserAccount._meta.table_name and values and values.get("account"):
        label += f" ({values['account']})"
    return label


def _shown(value: Any) -> str:
    return "nothing" if value is None or value == "" else json.dumps(value, ensure_ascii=False)


def _finding(f: audit.Finding) -> str:
    label = _label(f.entity, f.entity_id, f.values)
    if f.kind == "untracked":
        return f"{label} is not in the audit log: it was added outside docket"
    if f.kind == "deleted":
        return (
            f"{label} exists, but audit entry {f.last_entry} records its deletion: "
            "it was put back outside docket"
        )
    if f.kind == "vanished":
        return (
            f"{label} is gone, but the audit log does not record its deletion "
            f"(last entry {f.last_entry}): it was deleted outside docket"
        )
    return (
        f"{label}: {f.field} is {_shown(f.current)}, but the audit log (entry {f.last_entry}) "
        f"says {_shown(f.expected)}: it was changed outside docket"
    )


def _break(b: audit.ChainBreak) -> str:
    what = f"({b.actor}: {b.action} {b.entity.replace('_', ' ')} {b.entity_id})"
    if b.entry_id > b.after + 1:
        gone = (
            f"entry {b.after + 1}"
            if b.entry_id == b.after + 2
            else f"entries {b.after + 1} to {b.entry_id - 1}"
        )
        return f"audit {gone} removed outside docket (the chain skips to entry {b.entry_id})"
    return (
        f"audit entry {b.entry_id} {what} does not match the chain: it was written or "
        "changed outside docket"
    )


def run_check(witnesses: Sequence[Path] = ()) -> CheckReport:
    """Check the bound database, with this account's witnesses and the exported ones in
    ``witnesses``; nothing is written (see :func:`record`)."""
    found, records = _Found(), _Found()
    unreadable: list[audit.Unreadable] = []
    notes: list[str] = []
    chain: dict[str, Any] = {"entries": 0, "head": (0, audit.GENESIS)}

    def integrity() -> None:
        for problem in integrity_problems():
            found.add(f"integrity: {problem}")

    def read() -> None:
        audit.read_all(unreadable)
        for finding in audit.unexplained(unreadable):
            records.add(_finding(finding))

    def chained() -> None:
        breaks, entries, head = audit.chain_breaks()
        chain.update(entries=entries, head=head)
        for b in breaks:
            found.add(_break(b))
        for ident, entity in audit.strays():
            found.add(f"audit entry {ident} is about {entity!r}, which docket does not keep")

    if found.step("the integrity check", integrity):
        read_ok = found.step("reading the records", read)
        # a row the models cannot read is the fault a command would trip on: named first
        for u in unreadable:
            if u.row_id is None:
                found.add(f"table {u.table} cannot be read ({u.error}); the file is damaged")
            else:
                found.add(
                    f"{u.table.replace('_', ' ')} {u.row_id}: {u.column} cannot be read "
                    f"({u.error}); the commands that show it will fail"
                )
        found.step("reading the audit log", chained)

        def witnessed() -> None:
            problems, said = witness.check_all(str(database.database), witnesses)
            for problem in problems:
                found.add(problem)
            notes.extend(said)

        found.step("checking the witnesses", witnessed)
        if read_ok:
            for problem in records.listed:
                found.add(problem)
            found.total += records.total - len(records.listed)
    return CheckReport(
        tuple(found.listed), found.total, chain["entries"], chain["head"], tuple(notes)
    )


def record(report: CheckReport, *, at: str, by: str) -> bool:
    """Keep the result in ``docket_meta`` for the app's warning; False when the file cannot
    be written (a read-only copy, a damaged file)."""
    first = report.problems[0] if report.problems else ""
    value = json.dumps({"at": at, "by": by, "problems": report.total, "first": first})
    try:
        with write():
            engine.set_meta(LAST_CHECK, value)
    except (peewee.DatabaseError, sqlite3.Error):
        return False
    return True


def last_check() -> LastCheck | None:
    """The stored result of the last check, if any (and if it can be read)."""
    try:
        row = Meta.get_or_none(Meta.key == LAST_CHECK)
        if row is None:
            return None
        facts = json.loads(row.value)
        return LastCheck(
            str(facts["at"]), str(facts["by"]), int(facts["problems"]), str(facts["first"])
        )
    except (peewee.DatabaseError, sqlite3.Error, ValueError, KeyError, TypeError):
        return None
