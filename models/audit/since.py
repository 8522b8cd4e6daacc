"""Reading the audit log over a period: the entries of one kind of record between two
instants, and what the log says records held before then or last (what
:mod:`docket.models.portfolio.changes_since` reports from).

Instants are the log's own UTC text (``2026-10-05 15:00:00``); values are as the log keeps
them (days as ISO text, money as decimal text, related records as ids).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from docket.models.core.schema import database


class Entry:
    """One audit entry as read for a report, its changes parsed."""

    __slots__ = ("action", "actor", "at", "changes", "entity_id", "id", "note")

    def __init__(self, row: tuple[Any, ...]) -> None:
        self.id, self.at, self.actor, self.entity_id, self.action, raw, self.note = row
        try:
            found = json.loads(raw or "{}")
        except ValueError:
            found = {}
        self.changes: dict[str, list[Any]] = found if isinstance(found, dict) else {}

    def pair(self, name: str) -> tuple[Any, Any] | None:
        """The field's ``(old, new)`` when this entry changed it."""
        value = self.changes.get(name)
        if isinstance(value, list) and len(value) == 2:
            return value[0], value[1]
        return None


def entries_between(entity: str, start: str, end: str) -> list[Entry]:
    """The entries about records of ``entity`` at ``start`` or later and before ``end``, in
    time order."""
    rows = database.execute_sql(
        'SELECT "id", "at", "actor", "entity_id", "action", "changes", "note"'
        ' FROM "audit_entry" WHERE "entity" = ? AND "at" >= ? AND "at" < ?'
        ' ORDER BY "at", "id"',
        (entity, start, end),
    ).fetchall()
    return [Entry(row) for row in rows]


def _about(
    entity: str, ids: Iterable[int], columns: str, *, before: str | None = None
) -> Iterator[tuple[Any, ...]]:
    """The rows (``columns``) of the entries about records ``ids`` of ``entity``, in log
    order (and only those before ``before``, in time order, when given), read 500 ids at a
    time."""
    wanted = sorted(set(ids))
    for begin in range(0, len(wanted), 500):
        part = wanted[begin : begin + 500]
        marks = ", ".join("?" for _ in part)
        when = ' AND "at" < ? ORDER BY "at", "id"' if before else ' ORDER BY "id"'
        yield from database.execute_sql(
            f'SELECT {columns} FROM "audit_entry" WHERE "entity" = ?'
            f' AND "entity_id" IN ({marks}){when}',
            (entity, *part, *([before] if before else [])),
        )


def last_values(
    entity: str, ids: Iterable[int], names: tuple[str, ...]
) -> dict[int, dict[str, Any]]:
    """The last values the log gave ``names`` for records of ``entity`` (for records since
    deleted, and what the row no longer says)."""
    found: dict[int, dict[str, Any]] = {}
    for entity_id, raw in _about(entity, ids, '"entity_id", "changes"'):
        try:
            diff = json.loads(raw or "{}")
        except ValueError:
            continue
        state = found.setdefault(int(entity_id), {})
        for name in names:
            pair = diff.get(name) if isinstance(diff, dict) else None
            if isinstance(pair, list) and len(pair) == 2:
                state[name] = pair[1]
    return found


def record_values(
    model: Any, entity: str, ids: Iterable[int], names: tuple[str, ...]
) -> dict[int, dict[str, Any]]:
    """Each record's ``names`` now, or as the log last had them for a record since deleted."""
    wanted = sorted(set(ids))
    found = last_values(entity, wanted, names)
    fields = [model._meta.fields[n] for n in names]
    for begin in range(0, len(wanted), 500):
        part = wanted[begin : begin + 500]
        query = model.select(model.id, *fields).where(model.id.in_(part)).tuples()
        for row in query:
            found[int(row[0])] = dict(zip(names, row[1:], strict=True))
    return found


def values_before(entity: str, ids: Iterable[int], start: str) -> dict[int, dict[str, Any]]:
    """Each record's values (of ``ids``) as the log had them before ``start``."""
    found: dict[int, dict[str, Any]] = {}
    for entity_id, action, raw in _about(
        entity, ids, '"entity_id", "action", "changes"', before=start
    ):
        state = found.setdefault(int(entity_id), {})
        if action in ("create", "delete"):
            state.clear()
        diff = json.loads(raw or "{}")
        for name, pair in diff.items():
            if isinstance(pair, list) and len(pair) == 2:
                state[name] = pair[1]
    return found
