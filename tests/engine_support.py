"""A test database read and written past the models, on either engine.

What "nothing was written" compares, what another account's write looks like, and which
statements the models ran: an SQLite file through sqlite3, a PostgreSQL URL through
psycopg, each on a connection of its own (a write the models have not committed, or one a
refused command rolled back, cannot show or hide itself). Rows of one engine are compared
only with rows of the same engine.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

from docket.models.core.engine import WRITE_LOCK, is_postgres, is_url
from docket.models.core.schema import database


def query(target: Path | str, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The rows one statement reads or writes (``?`` parameters on both engines), committed."""
    if is_url(target):
        import psycopg

        with psycopg.connect(str(target)) as conn:  # commits as it closes
            if not params:
                found = conn.execute(sql)  # type: ignore[arg-type]
            else:
                found = conn.execute(sql.replace("?", "%s"), params)  # type: ignore[arg-type]
            return found.fetchall() if found.description else []
    with closing(sqlite3.connect(target, timeout=10)) as conn:
        rows = conn.execute(sql, params).fetchall()
        conn.commit()
        return rows


def tables(target: Path | str) -> list[str]:
    """The database's tables, by name."""
    if is_url(target):
        sql = (
            "SELECT table_name FROM information_schema.tables WHERE table_schema ="
            " current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name"
        )
    else:
        sql = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
    return [str(r[0]) for r in query(target, sql)]


def table_rows(
    target: Path | str, names: tuple[str, ...] = (), order: str = "1"
) -> dict[str, list[tuple[Any, ...]]]:
    """The rows of each table named (of every table when none is), in ``order``."""
    return {
        t: query(target, f'SELECT * FROM "{t}" ORDER BY {order}') for t in names or tables(target)
    }


def digest(target: Path | str) -> str:
    """One hash of every row of every table: the same before and after, nothing was written."""
    return hashlib.sha256(repr(sorted(table_rows(target).items())).encode()).hexdigest()


def another_account_writes(target: Path | str) -> None:
    """Another connection takes the write lock at once (no wait) and commits a write: it
    fails if the models hold the lock (SQLite's ``BEGIN IMMEDIATE``, PostgreSQL's advisory
    lock, models/core/engine.py)."""
    insert = "INSERT INTO docket_meta (key, value) VALUES ('other', 'wrote')"
    if is_url(target):
        import psycopg

        with psycopg.connect(str(target)) as conn:
            got = conn.execute("SELECT pg_try_advisory_xact_lock(%s)", (WRITE_LOCK,)).fetchone()
            assert got == (True,), "the write lock is held"
            conn.execute(insert)
        return
    with closing(sqlite3.connect(target, timeout=0)) as conn:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(insert)
        conn.commit()


def transactions(statements: list[str]) -> list[tuple[int, bool]]:
    """Each transaction begun among ``statements`` (from :func:`traced`): where it began,
    and whether it took the write lock as it began (SQLite's ``BEGIN IMMEDIATE``; on
    PostgreSQL the advisory lock right after its BEGIN)."""
    begun = []
    for i, sql in enumerate(statements):
        if sql.upper().startswith("BEGIN"):
            after = statements[i + 1] if i + 1 < len(statements) else ""
            locked = sql.upper().startswith("BEGIN IMMEDIATE") or "pg_advisory_xact_lock" in after
            begun.append((i, locked))
    return begun


@contextmanager
def traced() -> Iterator[list[str]]:
    """Every statement the bound database runs meanwhile (on PostgreSQL: its BEGINs, and
    all that runs through ``execute_sql``, the write lock and every query)."""
    statements: list[str] = []
    if is_postgres():
        obj = database.obj
        run, begin = obj.execute_sql, obj.begin

        def execute_sql(sql: str, params: Any = None) -> Any:
            statements.append(sql)
            return run(sql, params)

        def begun(*args: Any, **kwargs: Any) -> Any:
            statements.append("BEGIN")
            return begin(*args, **kwargs)

        obj.execute_sql, obj.begin = execute_sql, begun
        try:
            yield statements
        finally:
            del obj.execute_sql, obj.begin
        return
    database.connection().set_trace_callback(statements.append)
    try:
        yield statements
    finally:
        database.connection().set_trace_callback(None)


@contextmanager
def second_database(like: Path | str, tmp_path: Path, actor: str) -> Iterator[Path | str]:
    """Another new, initialised database on the engine of ``like`` (a test's ``db_path``),
    bound to the models: a second office to read the first's export."""
    from pg_support import fresh_database

    from docket.models.core.database import init_database

    if not is_url(like):
        path = tmp_path / "second.db"
        init_database(path, actor=actor)
        yield path
        return
    with fresh_database(user=actor) as url:
        init_database(url, actor=actor)
        yield url


def small_demo(request: Any, db_path: Path | str, ctx: Any) -> Path:
    """The small demo office (seed 1) on the engine of ``db_path``: on SQLite the copy
    ``demo_db`` makes of the one built for the session, on PostgreSQL built in the test's
    database (about as quick as copying it there would be). Typed as the path it stands in
    for: the command line's ``--db`` takes both."""
    from docket.models.demo.builder import build_demo

    if not is_url(db_path):
        return Path(request.getfixturevalue("demo_db"))
    build_demo(ctx, size="small", seed=1)
    database.close()
    return db_path  # type: ignore[return-value]


@contextmanager
def another_small_demo(like: Path | str, tmp_path: Path, ctx: Any) -> Iterator[Path]:
    """A second small demo on the engine of ``like`` (a :func:`small_demo`): a copy of the
    file, or built in a database of its own; not bound to the models."""
    import shutil

    from docket.models.demo.builder import build_demo

    if not is_url(like):
        copy = tmp_path / "another-demo.db"
        shutil.copyfile(like, copy)
        yield copy
        return
    with second_database(like, tmp_path, ctx.actor) as url:
        build_demo(ctx, size="small", seed=1)
        database.close()
        yield url  # type: ignore[misc]
