"""The engine a database runs on: SQLite for a path, PostgreSQL for a ``postgresql://`` URL.

What is not the same SQL on both lives here, once: how a write transaction takes the
write lock, the SQLite text PostgreSQL does not read (``?`` parameters, ``GLOB`` and
``strftime`` in CHECK constraints, expression indexes), the catalog (``sqlite_master``
against ``pg_indexes``), what ``PRAGMA`` answers, and an upsert. On SQLite every function
runs exactly the SQL docket ran before there were two engines.

On PostgreSQL, writers queue as they do on SQLite: each write transaction first takes one
transaction-level advisory lock (:data:`WRITE_LOCK`), so the audit chain's head cannot move
between reading it and appending to it, and a version check reads what the last writer
committed. Date-times are kept as the same UTC text as on SQLite, so every comparison and
every hash of the audit chain is the same on both.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import peewee

from docket.models.core.errors import PermissionDenied
from docket.models.core.schema import Meta, database

SCHEMES = ("postgresql://", "postgres://")
# the key of the advisory lock every PostgreSQL write transaction takes first ("docket")
WRITE_LOCK = 0x646F636B6574
# database collations that order text by code point, as SQLite's BINARY does
CODE_POINT_COLLATIONS = ("C", "POSIX", "C.UTF-8", "C.utf8", "ucs_basic")


def is_url(target: object) -> bool:
    """Whether a ``--db``/``DOCKET_DB``/config value names a PostgreSQL database."""
    return isinstance(target, str) and target.lower().startswith(SCHEMES)


def shown_url(url: str) -> str:
    """A URL as it may be printed: its password, if any, left out."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    user = f"{parts.username}:***@" if parts.username else ""
    return urlunsplit((parts.scheme, user + host, parts.path, parts.query, parts.fragment))


def is_postgres() -> bool:
    """Whether the bound database is PostgreSQL."""
    return isinstance(database.obj, peewee.PostgresqlDatabase)


def unindexed(column: peewee.ColumnBase) -> peewee.ColumnBase:
    """``column`` as SQLite reads it without an index (a unary ``+``): for a test that most
    of the table's rows pass, reading the table beats reading it through the index, one row
    lookup per entry. PostgreSQL: the column as it is (its planner weighs that itself)."""
    if is_postgres():
        return column
    return peewee.NodeList((peewee.SQL("+"), column), glue="")


# --- SQLite's SQL as PostgreSQL reads it ------------------------------------------------------

_GLOB = re.compile(r"(\w+) GLOB '([^']*)'")
_DAY_OF = re.compile(r"strftime\('%d', (\w+)\)")  # of a day kept as YYYY-MM-DD text
# a list of ids as one parameter, a JSON array (models/meetings/occurrences.py: among)
_JSON_IDS = "(SELECT value FROM json_each(?))"
_JSON_IDS_POSTGRES = "(SELECT CAST(value AS BIGINT) FROM json_array_elements_text(CAST(? AS json)))"
_UNQUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|(\?)")


def _glob_regex(glob: str) -> str:
    """A GLOB pattern (``*``, ``?``, ``[...]``, ``[^...]``) as an anchored POSIX regex."""
    out, i = [], 0
    while i < len(glob):
        c = glob[i]
        if c == "[":
            end = glob.index("]", i + 2 if glob[i + 1 : i + 2] in ("^", "]") else i + 1)
            out.append(glob[i : end + 1])
            i = end + 1
            continue
        out.append(".*" if c == "*" else "." if c == "?" else re.escape(c))
        i += 1
    return "^" + "".join(out) + "$"


def portable_checks(ddl: str) -> str:
    """A CREATE TABLE's SQLite-only CHECK expressions in PostgreSQL's words, meaning the same:
    ``x GLOB 'p'`` as ``x ~ '^p$'``, ``strftime('%d', x)`` as ``substr(x, 9, 2)``, and a
    flag's ``DEFAULT 0`` as ``DEFAULT False``."""
    ddl = _GLOB.sub(lambda m: f"{m[1]} ~ '{_glob_regex(m[2])}'", ddl)
    ddl = re.sub(r"(BOOLEAN[^,]*? DEFAULT) ([01])\b", lambda m: f"{m[1]} {m[2] == '1'}", ddl)
    return _DAY_OF.sub(lambda m: f"substr({m[1]}, 9, 2)", ddl)


def postgres_sql(sql: str, params: Any) -> str:
    """SQL written for SQLite, for psycopg: ``?`` outside quotes becomes ``%s`` and a
    literal ``%`` is doubled; a JSON list of ids read by ``json_each`` is read by
    ``json_array_elements_text``. Peewee's own SQL (``%s`` already) passes unchanged."""
    if sql.lstrip().upper().startswith("CREATE TABLE"):
        sql = portable_checks(sql)
    sql = sql.replace(_JSON_IDS, _JSON_IDS_POSTGRES)
    if not params:
        return sql.replace("%", "%%")
    if not any(m[1] for m in _UNQUOTED.finditer(sql)):
        return sql
    sql = re.sub(r"%(?!s)", "%%", sql)
    return _UNQUOTED.sub(lambda m: "%s" if m[1] else m[0], sql)


def bind_psycopg() -> None:
    """Give peewee psycopg, which models/core/__init__.py kept it from importing at its own
    import (every command would pay for it): PostgreSQL alone needs it."""
    module: Any = peewee  # its driver globals carry no type hints
    if module.psycopg is not None:
        return
    import psycopg
    from psycopg.pq import TransactionStatus
    from psycopg.types.json import Json, Jsonb

    module.psycopg, module.TransactionStatus = psycopg, TransactionStatus
    module.Json_pg3, module.Jsonb_pg3 = Json, Jsonb
    adapter = peewee.Psycopg3Adapter
    adapter.txn_idle = TransactionStatus.IDLE
    adapter.txn_inerror = TransactionStatus.INERROR
    adapter.txn_unknown = TransactionStatus.UNKNOWN


class PostgresDatabase(peewee.PostgresqlDatabase):
    """PostgreSQL through psycopg, reading the SQL docket writes for SQLite; date-times and
    days kept as the same text as on SQLite (``VARCHAR``), so raw SQL reads the same."""

    field_types = {
        **peewee.PostgresqlDatabase.field_types,
        "DATETIME": "VARCHAR",
        "DATE": "VARCHAR(10)",
    }

    def init(self, database: str | None, *args: Any, **kwargs: Any) -> None:
        bind_psycopg()
        super().init(database, *args, **kwargs)

    def _connect(self) -> Any:
        from psycopg.types.string import StrDumperUnknown

        class DayDumper(StrDumperUnknown):
            """A day as a parameter: its ISO text, as sqlite3 passes it, of no type
            (PostgreSQL takes it as the text column it is stored in or compared with)."""

            def dump(self, obj: Any) -> bytes:
                return bytes(obj.isoformat(), "ascii")

        conn = super()._connect()  # type: ignore[misc]
        conn.adapters.register_dumper(date, DayDumper)
        return conn

    def execute_sql(self, sql: str, params: Any = None) -> Any:
        return super().execute_sql(postgres_sql(sql, params), params)


# --- what differs between the engines ---------------------------------------------------------


@contextmanager
def write_transaction() -> Iterator[Any]:
    """A write transaction holding the write lock from its start: SQLite's
    ``BEGIN IMMEDIATE``; on PostgreSQL the advisory lock, taken by the outermost as it
    begins (engine_postgres.ServerDatabase.begin: again, if the connection was lost)."""
    if not is_postgres():
        with database.atomic(lock_type="IMMEDIATE") as transaction:
            yield transaction
        return
    try:
        with database.atomic(write_lock=WRITE_LOCK) as transaction:
            yield transaction
    except Exception as exc:
        # refused for want of a privilege, or its connection lost (engine_postgres)
        fault = getattr(database.obj, "fault", lambda _: None)
        denied = refused(exc) or fault(exc)
        if denied is None:
            raise
        raise denied from exc


class ServerRefused(PermissionDenied, peewee.DatabaseError):
    """A write the PostgreSQL server refused for want of a privilege: said in one line like
    any refusal, and still a database error to code that expects one (a viewer's
    ``docket check`` cannot keep its result, and says so no more than on a read-only file)."""


def refused(exc: BaseException) -> PermissionDenied | None:
    """A write the PostgreSQL server refused for want of a privilege (engine_roles; psycopg's
    error, or peewee's around it) as one line saying so; None for any other error."""
    if isinstance(exc, PermissionDenied):  # said already, by a nested transaction
        return None
    cause = exc if hasattr(exc, "sqlstate") else exc.__cause__ or exc.__context__
    if getattr(cause, "sqlstate", None) != "42501":  # insufficient_privilege
        return None
    from docket.models.core.engine_roles import session_user

    reason = str(cause).strip().splitlines()[0]
    return ServerRefused(f"the database server refused this to {session_user()}: {reason}")


def secure() -> bool:
    """PostgreSQL: the server's roles, triggers and rules made again where missing, by the
    tables' owner (engine_roles.secure: ``docket init`` and every upgrade); nothing on SQLite."""
    if not is_postgres():
        return False
    from docket.models.core.engine_roles import secure as made_again

    return made_again()


def acting_account(claimed: str) -> str:
    """Who acts: on PostgreSQL the session user the server authenticated, whatever the
    client claims; on SQLite the account given."""
    if not is_postgres():
        return claimed
    from docket.models.core.engine_roles import session_user

    return session_user()


def executemany(sql: str, rows: Iterable[Sequence[Any]]) -> int:
    """One statement for many rows; how many rows it changed. On PostgreSQL an INSERT that
    gives ids moves the table's id sequence past them, so the next record made the ordinary
    way gets the next id. A driver's error is raised as peewee's (a unique index refusing a
    row is ``peewee.IntegrityError`` on both engines), as from any other statement."""
    wrapped: Any = peewee.__exception_wrapper__  # type: ignore[attr-defined]
    if not is_postgres():
        with wrapped:
            return int(database.connection().executemany(sql, rows).rowcount)
    rows = list(rows)  # made before: making them may read (psycopg holds the connection)
    with database.cursor() as cursor, wrapped:
        cursor.executemany(postgres_sql(sql, True), rows)
        count = int(cursor.rowcount)
    found = re.match(r'\s*INSERT INTO "(\w+)" \(([^)]*)\)', sql)
    if found and '"id"' in found[2].split(", "):
        reset_sequence(found[1])
    return count


def reset_sequence(table: str) -> None:
    """PostgreSQL: the table's id sequence moved past its largest id and past every id the
    audit log names for it, never back (nothing on SQLite): a deleted record's id is never
    given again (records.fresh_id)."""
    if is_postgres():
        sequence = f"pg_get_serial_sequence('\"{table}\"', 'id')"
        last = (
            f'greatest((SELECT max("id") FROM "{table}"), pg_sequence_last_value({sequence}),'
            f' (SELECT max("entity_id") FROM "audit_entry" WHERE "entity" = \'{table}\'))'
        )
        database.execute_sql(f"SELECT setval({sequence}, coalesce({last}, 1), {last} IS NOT NULL)")


def set_meta(key: str, value: str) -> None:
    """Set one ``docket_meta`` value, replacing the one there."""
    if is_postgres():
        Meta.insert(key=key, value=value).on_conflict(
            conflict_target=[Meta.key], update={Meta.value: value}
        ).execute()
    else:
        Meta.insert(key=key, value=value).on_conflict_replace().execute()


def table_indexes(table: str) -> list[tuple[str, str]]:
    """A table's indexes made by CREATE INDEX (name and that SQL), by name; not those its
    primary key or a constraint keeps."""
    if is_postgres():
        sql = (
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()"
            " AND tablename = ? AND indexname NOT IN (SELECT conname FROM pg_constraint)"
            " ORDER BY indexname"
        )
    else:
        sql = (
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
            "AND sql IS NOT NULL ORDER BY name"
        )
    return [(str(n), str(s)) for n, s in database.execute_sql(sql, (table,)).fetchall()]


def table_exists(name: str) -> bool:
    """Whether a table (on SQLite also a virtual table) of that name exists."""
    if is_postgres():
        return bool(database.table_exists(name))
    found = database.execute_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
    ).fetchone()
    return found is not None


def index_exists(name: str) -> bool:
    """Whether SQLite has an index of that name (a copy made without it may lack one)."""
    found = database.execute_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?", (name,)
    ).fetchone()
    return found is not None


def data_version() -> int:
    """A number that changes when another connection commits. SQLite's ``data_version``;
    on PostgreSQL the changes other sessions announced (LISTEN/NOTIFY, engine_postgres)."""
    if is_postgres():
        from docket.models.core.engine_postgres import changes_heard

        return changes_heard()
    return int(database.execute_sql("PRAGMA data_version").fetchone()[0])


def integrity_problems() -> list[str]:
    """What SQLite's integrity and foreign-key checks find wrong (empty: all is well). A
    PostgreSQL server enforces foreign keys on every write and keeps its own pages: nothing
    to ask it here (its DBAs have amcheck)."""
    if is_postgres():
        return []
    problems = [
        str(row[0])
        for row in database.execute_sql("PRAGMA integrity_check").fetchall()
        if row[0] != "ok"
    ]
    for table, rowid, parent, _ in database.execute_sql("PRAGMA foreign_key_check").fetchall():
        problems.append(f"{table} row {rowid} refers to a missing {parent}")
    return problems


def extra_sql(statements: Iterable[str]) -> list[str]:
    """The indexes on expressions (schema.EXTRA_SQL) as this engine writes them: PostgreSQL
    wants each expression in an index's column list in parentheses, and gets the trigger
    that announces changes (engine_postgres.NOTIFY_SQL)."""
    if not is_postgres():
        return list(statements)
    from docket.models.core.engine_postgres import NOTIFY_SQL
    from docket.models.core.engine_roles import SECURITY_SQL

    return [*(_parenthesised(s) for s in statements), *NOTIFY_SQL, *SECURITY_SQL]


def _parenthesised(statement: str) -> str:
    head, _, rest = statement.partition(" ON ")
    table, _, rest = rest.partition(" (")
    depth, i = 1, 0
    while depth:
        depth += {"(": 1, ")": -1}.get(rest[i], 0)
        i += 1
    columns, tail = rest[: i - 1], rest[i:]
    parts, depth, start = [], 0, 0
    for j, c in enumerate(columns + ","):
        depth += {"(": 1, ")": -1}.get(c, 0)
        if c == "," and depth == 0:
            parts.append(columns[start:j].strip())
            start = j + 1
    wrapped = [p if re.fullmatch(r'"?\w+"?', p) else f"({p})" for p in parts]
    return f"{head} ON {table} ({', '.join(wrapped)}){tail}"
