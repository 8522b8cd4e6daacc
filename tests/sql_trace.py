"""The SQL statements a piece of work runs, counted the same way on both engines.

On SQLite they are counted as SQLite runs them (its trace callback: every statement on the
models' connection, however it was sent). psycopg has no such callback, so on PostgreSQL
they are counted as docket sends them: each call of the bound database's ``execute_sql``,
which every query and every raw statement pass through.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from docket.models.core import engine
from docket.models.core.schema import database


@contextmanager
def statements() -> Iterator[list[str]]:
    """The SQL statements run on the models' database while the block runs, in order."""
    seen: list[str] = []
    if not engine.is_postgres():
        connection = database.connection()
        connection.set_trace_callback(seen.append)
        try:
            yield seen
        finally:
            connection.set_trace_callback(None)
        return
    bound: Any = database.obj
    sent = bound.execute_sql

    def traced(sql: str, params: Any = None) -> Any:
        seen.append(sql)
        return sent(sql, params)

    bound.execute_sql = traced  # this one database object's, for the block only
    try:
        yield seen
    finally:
        del bound.execute_sql
