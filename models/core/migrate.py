"""Moving an office from its SQLite file to PostgreSQL (``docket migrate --to URL``), and
back: ``docket backup FILE`` on PostgreSQL writes a portable SQLite copy the same way
(:func:`copy_into`, the one copy routine for both directions).

Every table is copied, the audit log with it, each row with its id; the id sequences then
continue after the largest. The copy is one transaction on the target, verified before it
commits: each table's row count and a SHA-256 of its rows, read in key order as canonical
text by the same function on both sides. A difference rolls everything back, so the target
holds the whole office or nothing. The target must be empty (made by its DBA, docket's
schema not yet in it); the source must be at this docket's schema version (``docket init``
upgrades it first). SQLite's search index is not copied: it is made from the action items,
and PostgreSQL searches without one for now.
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import peewee
from peewee import BooleanField, Model

from docket.models.core import engine
from docket.models.core.errors import DatabaseError
from docket.models.core.schema import EXTRA_SQL, Meta, database
from docket.models.core.tables import TABLES
from docket.models.core.upgrades import create_indexes

# what a copy holds: docket's own facts, then every record table in creation order
COPIED: tuple[type[Model], ...] = tuple(dict.fromkeys((Meta, *TABLES)))
# SQLite's own tables and the search index (made again from the rows, not copied)
NOT_COPIED_PREFIXES = ("sqlite_", "action_search")


@dataclass(frozen=True)
class TableCheck:
    """One table on both sides: its rows and the SHA-256 of their canonical text."""

    table: str
    source_rows: int
    target_rows: int
    source_sha256: str
    target_sha256: str

    @property
    def same(self) -> bool:
        return (self.source_rows, self.source_sha256) == (self.target_rows, self.target_sha256)


@dataclass(frozen=True)
class Migrated:
    """What ``docket migrate`` did: every table checked, and how long the copy took."""

    tables: tuple[TableCheck, ...]
    seconds: float

    @property
    def rows(self) -> int:
        return sum(t.target_rows for t in self.tables)


def canonical(value: Any) -> str:
    """One stored value as text both engines give alike: a flag as 0 or 1 (SQLite keeps an
    integer, PostgreSQL a boolean), no value as NULL, text length-prefixed (no value's text
    can pass for two)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    return f"{len(text)}:{text}"


def _columns(model: type[Model]) -> list[str]:
    return [f.column_name for f in model._meta.sorted_fields]


def read_rows(model: type[Model]) -> list[tuple[Any, ...]]:
    """Every row of a table from the bound database, as stored, in primary-key order
    (sorted here, so both engines give the same order whatever their collation)."""
    names = ", ".join(f'"{c}"' for c in _columns(model))
    rows = database.execute_sql(f'SELECT {names} FROM "{model._meta.table_name}"').fetchall()
    return sorted((tuple(r) for r in rows), key=lambda r: r[0])


def digest(rows: Iterable[tuple[Any, ...]]) -> str:
    """The SHA-256 (hex) of rows: each value canonical, a tab between values, a line each."""
    sha = hashlib.sha256()
    for row in rows:
        sha.update(("\t".join(canonical(v) for v in row) + "\n").encode("utf-8"))
    return sha.hexdigest()


def _refuse_unknown_tables(db: peewee.Database) -> None:
    known = {str(m._meta.table_name) for m in COPIED}
    strange = [
        t for t in db.get_tables() if t not in known and not t.startswith(NOT_COPIED_PREFIXES)
    ]
    if strange:
        raise DatabaseError(
            f"the database holds tables docket does not know ({', '.join(strange)}); "
            "nothing was copied"
        )


def _for_target(model: type[Model], rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Rows as PostgreSQL takes them: flags as booleans (SQLite gives 0 and 1)."""
    flags = [i for i, f in enumerate(model._meta.sorted_fields) if isinstance(f, BooleanField)]
    if not flags:
        return rows
    out = []
    for row in rows:
        values = list(row)
        for i in flags:
            if values[i] is not None:
                values[i] = bool(values[i])
        out.append(tuple(values))
    return out


def _snapshot() -> dict[type[Model], list[tuple[Any, ...]]]:
    """Every copied table of the bound database, read as one snapshot: on PostgreSQL in one
    repeatable-read transaction, so writers working meanwhile are in the copy whole or not."""
    _refuse_unknown_tables(database.obj)
    if not engine.is_postgres():
        return {m: read_rows(m) for m in COPIED}
    with database.atomic():
        database.execute_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        return {m: read_rows(m) for m in COPIED}


def copy_into(
    target: peewee.Database, read: dict[type[Model], list[tuple[Any, ...]]], source: str
) -> tuple[TableCheck, ...]:
    """The one copy, both ways: docket's schema made in the bound, empty ``target``, every
    row of ``read`` inserted with its id, then each table read back and compared, all in one
    write transaction, rolled back whole on any difference."""
    before = {m: (len(rows), digest(rows)) for m, rows in read.items()}
    checks: list[TableCheck] = []
    with engine.write_transaction():
        target.create_tables(COPIED)
        for statement in engine.extra_sql(EXTRA_SQL):
            target.execute_sql(statement)
        create_indexes(target)
        for model, rows in read.items():
            columns = _columns(model)
            names = ", ".join(f'"{c}"' for c in columns)
            marks = ", ".join("?" for _ in columns)
            sql = f'INSERT INTO "{model._meta.table_name}" ({names}) VALUES ({marks})'
            if rows:
                engine.executemany(sql, _for_target(model, rows))
        for model in COPIED:  # past every id the audit log names too, now it is all there
            if isinstance(model._meta.primary_key, peewee.AutoField):
                engine.reset_sequence(str(model._meta.table_name))
        for model in COPIED:
            after = read_rows(model)
            count, sha = before[model]
            checks.append(TableCheck(model._meta.table_name, count, len(after), sha, digest(after)))
        wrong = [c.table for c in checks if not c.same]
        if wrong:
            raise DatabaseError(
                f"the copy differs from {source} in {', '.join(wrong)}; it was rolled "
                "back, nothing was copied"
            )
    return tuple(checks)


def migrate(source: Path, url: str) -> Migrated:
    """Copy the SQLite database at ``source`` into the empty PostgreSQL database at ``url``
    in one transaction, verified per table before it commits."""
    from docket.models.core.database import open_database
    from docket.models.core.engine_postgres import connect_url

    started = time.perf_counter()
    src = open_database(source, upgrade=False)
    try:
        read = _snapshot()
    finally:
        src.close()
    target = connect_url(url, create=True)
    try:
        if target.get_tables():
            raise DatabaseError(
                f"{engine.shown_url(url)} is not empty (it holds tables); docket migrate "
                "copies into an empty database only: nothing was copied"
            )
        checks = copy_into(target, read, str(source))
    finally:
        target.close()
    return Migrated(checks, time.perf_counter() - started)


def _sqlite_copy() -> tuple[peewee.SqliteDatabase, tuple[TableCheck, ...]]:
    """The bound PostgreSQL database copied, as :func:`migrate` copies the other way, into a
    new in-memory SQLite database (returned open, with the checks of the copy); the
    PostgreSQL database stays bound."""
    from docket.models.core.database import PRAGMAS

    source = database.obj
    read = _snapshot()
    copy = peewee.SqliteDatabase(":memory:", pragmas=PRAGMAS)
    database.initialize(copy)
    try:
        copy.connect()
        checks = copy_into(copy, read, engine.shown_url(str(source.database)))
    except BaseException:
        copy.close()
        raise
    finally:
        database.initialize(source)
    return copy, checks


def copy_present(conn: sqlite3.Connection) -> None:
    """The bound database copied into the empty SQLite connection ``conn`` (``--as-of``
    rebuilds the past in such a copy): an SQLite database by SQLite's backup, a PostgreSQL
    one as ``docket backup`` copies it (one snapshot, verified), so the past is rebuilt from
    the same rows on both engines."""
    if not engine.is_postgres():
        database.connection().backup(conn)
        return
    copy, _ = _sqlite_copy()
    try:
        copy.connection().backup(conn)
    finally:
        copy.close()


def backup_sqlite(target: Path, *, force: bool = False) -> Migrated:
    """``docket backup`` on PostgreSQL: the bound database copied, as :func:`migrate` copies
    the other way, into a new SQLite file at ``target`` (``docket check`` accepts it; an
    existing name is refused unless ``force``). The copy is made and verified in memory, then
    written whole under its name or not at all; the PostgreSQL database stays bound."""
    from docket.models.accounts.access import database_mode
    from docket.models.core.files import write_new

    started = time.perf_counter()
    copy, checks = _sqlite_copy()
    try:
        content = copy.connection().serialize()
    finally:
        copy.close()
    target = target.expanduser()
    write_new(target, content, force=force, mode=database_mode(target.parent))
    return Migrated(checks, time.perf_counter() - started)
