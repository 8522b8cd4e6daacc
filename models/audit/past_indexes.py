"""The copy ``--as-of`` rebuilds (models/audit/as_of.py): rows removed a set at a time, and
its full-text indexes kept in step a set of rows at a time, not by their triggers row by row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

# a table losing more than this share of its rows is emptied and refilled with the rest
# (SQLite empties a whole table without visiting its rows), else its rows go one by one
REFILL_SHARE = 0.25

_FTS = re.compile(r"USING\s+fts5\s*\((.*)\)\s*$", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class Index:
    """A full-text index (FTS5) whose content is a table, kept in step by triggers."""

    name: str
    content: str
    key: str
    columns: tuple[str, ...]

    def _copy(self, conn: Any, command: str, where: str, params: tuple[Any, ...]) -> None:
        cols = ", ".join(f'"{c}"' for c in self.columns)
        head = f'"{self.name}", rowid, {cols}' if command else f"rowid, {cols}"
        word = "'delete', " if command else ""
        conn.execute(
            f'INSERT INTO "{self.name}"({head}) SELECT {word}"{self.key}", {cols}'
            f' FROM "{self.content}" WHERE {where} ORDER BY "{self.key}"',
            params,
        )

    def forget(self, conn: Any, where: str, params: tuple[Any, ...] = ()) -> None:
        """Take the rows ``where`` selects out of the index (before they are deleted)."""
        self._copy(conn, "delete", where, params)

    def learn(self, conn: Any, where: str, params: tuple[Any, ...] = ()) -> None:
        """Put the rows ``where`` selects in the index (after they were inserted)."""
        self._copy(conn, "", where, params)


def full_text_indexes(conn: Any) -> dict[str, list[Index]]:
    """The full-text indexes of the copy by the table they index. Their triggers would
    update them one row at a time (seconds for a few thousand rows): the rebuild drops the
    triggers, updates the indexes a set of rows at a time, and makes them again."""
    found: dict[str, list[Index]] = {}
    rows = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL%'"
    ).fetchall()
    for name, sql in rows:
        match = _FTS.search(sql or "")
        if match is None:
            continue
        args = [a.strip() for a in match.group(1).split(",")]
        options = {
            k.strip().lower(): v.strip().strip("'\"")
            for k, _, v in (a.partition("=") for a in args if "=" in a)
        }
        content = options.get("content", "")
        if content:
            columns = tuple(a.strip("'\"") for a in args if "=" not in a)
            key = options.get("content_rowid", "rowid")
            table = _table_under(conn, content)
            found.setdefault(table, []).append(Index(name, content, key, columns))
    return found


_VIEW_OF = re.compile(r'\bFROM\s+"?(\w+)"?', re.IGNORECASE)


def _table_under(conn: Any, content: str) -> str:
    """The table an index's content is: itself, or the one table a view of it reads (the
    action items' search index reads its text through a view)."""
    row = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'view' AND name = ?", (content,)
    ).fetchone()
    match = _VIEW_OF.search(row[0]) if row else None
    return match.group(1) if match else content


def remove_rows(
    conn: Any, table: str, where: str, params: tuple[Any, ...], count: int, indexes: list[Index]
) -> None:
    """Remove the rows of ``table`` that ``where`` selects (about ``count`` of them)."""
    total = conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
    if count <= total * REFILL_SHARE:
        for index in indexes:
            index.forget(conn, where, params)
        conn.execute(f'DELETE FROM "{table}" WHERE {where}', params)
        return
    for index in indexes:
        conn.execute(f'INSERT INTO "{index.name}"("{index.name}") VALUES (\'delete-all\')')
    conn.execute(
        f'CREATE TEMP TABLE "_kept" AS SELECT * FROM "{table}" WHERE NOT ({where})', params
    )
    conn.execute(f'DELETE FROM "{table}"')
    conn.execute(f'INSERT INTO "{table}" SELECT * FROM "_kept"')
    conn.execute('DROP TABLE "_kept"')
    for index in indexes:
        index.learn(conn, "1")
