"""Overdue action items of high or urgent priority ("pressing"), which the evidence behind
a program's colour counts (models/portfolio/evidence.py), through a partial index of the
open pressing items (schema version 9)."""

from __future__ import annotations

from datetime import date
from typing import Any

from peewee import SQL, Expression, fn

from docket.models.actions.items import overdue_clause
from docket.models.core import engine
from docket.models.core.schema import OPEN_ACTION_SQL, ActionItem, database, sql_list

# the action priorities whose overdue items count
PRESSING = ("high", "urgent")
# open items of those priorities by program and due date (schema version 9): the overdue
# pressing items of every program are counted through it, never reading the other rows
PRESSING_INDEX_SQL = (
    "CREATE INDEX IF NOT EXISTS action_item_pressing_open ON action_item (program_id, due) "
    f"WHERE {OPEN_ACTION_SQL} AND priority IN {sql_list(PRESSING)}"
)


def pressing_clause() -> Expression:
    """SQL: the item's priority is one of :data:`PRESSING`, as constants, not parameters, so
    SQLite matches the partial index of open pressing items (:data:`PRESSING_INDEX_SQL`)."""
    return ActionItem.priority.in_(SQL(sql_list(PRESSING)))


# SQLite: every program's overdue pressing items, a range of the partial index of open
# pressing items per program (only the overdue entries are read: 4 ms at a million items,
# where reading all 86,000 of its entries took 18 ms). Told the index: named programs lead
# SQLite's own choice to the (program, status, due) index, which reads every open overdue row
# for its priority (300 ms).
_PRESSING_OVERDUE_SQL = (
    'SELECT "program_id", COUNT(*) FROM "action_item" INDEXED BY "action_item_pressing_open" '
    f'WHERE "program_id" IN (SELECT "id" FROM "program") AND {OPEN_ACTION_SQL} '
    f'AND "priority" IN {sql_list(PRESSING)} AND "due" < ? GROUP BY "program_id"'
)


def pressing_overdue(today: date) -> dict[int, int]:
    """How many overdue open high and urgent items each program has (none: absent)."""
    if not engine.is_postgres() and engine.index_exists("action_item_pressing_open"):
        return dict(database.execute_sql(_PRESSING_OVERDUE_SQL, (today.isoformat(),)).fetchall())
    # PostgreSQL (its own plan), or a copy without the index: through the same clauses
    query: Any = (
        ActionItem.select(ActionItem.program, fn.COUNT(ActionItem.id))
        .where(pressing_clause(), overdue_clause(today))
        .group_by(ActionItem.program)
        .tuples()
    )
    return {program: count for program, count in query if program is not None}
