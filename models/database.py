"""Opening, creating and upgrading the database; the one way to start a write.

SQLite runs in WAL mode with foreign keys on and a busy timeout, so several administrators
can work in one file at once. Every write is one ``BEGIN IMMEDIATE`` transaction
(:func:`write`): the write lock is taken up front, so two writers queue instead of failing
half-way with "database is locked". The schema version lives in the ``docket_meta`` table;
an older database is upgraded in one transaction after a backup copy, a newer one refused.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import peewee

from docket.models.access import denied_message, share_new_file, use_shared_umask
from docket.models.errors import DatabaseError
from docket.models.fields import from_utc_text, to_utc_text
from docket.models.schema import (
    EXTRA_SQL,
    TABLES,
    TABLES_V4,
    CommsLogEntry,
    InviteDelivery,
    Meeting,
    Meta,
    UserAccount,
    database,
)

SCHEMA_VERSION = 6

BUSY_TIMEOUT_S = 10
PRAGMAS = (
    ("journal_mode", "wal"),
    ("foreign_keys", 1),
    ("busy_timeout", BUSY_TIMEOUT_S * 1000),
    ("synchronous", "normal"),
    ("cache_size", -32000),
    ("temp_store", "memory"),
)


def _to_2(db: peewee.Database) -> None:
    """Version 2: indexes for items closed in a period and for an account's own changes."""
    db.execute_sql('CREATE INDEX "action_item_closed_at" ON "action_item" ("closed_at")')
    db.execute_sql('CREATE INDEX "auditentry_actor_at" ON "audit_entry" ("actor", "at")')


# Steps that bring a database from version N-1 to N, keyed by N. Each runs inside the
# upgrade's single transaction; the result must equal a database created at version N
# (tests/test_database.py compares them).
def _to_3(db: peewee.Database) -> None:
    """Version 3: partial indexes that keep open action items in list order. They replace the
    index on (status, due), which the planner would otherwise pick and then sort."""
    db.execute_sql('DROP INDEX "action_item_status_due"')
    for statement in EXTRA_SQL:
        db.execute_sql(statement)


def _to_4(db: peewee.Database) -> None:
    """Version 4: the meetings' send ledger, series splits and agendas; risks, issues,
    decisions, change requests, budgets and metrics."""
    db.create_tables(TABLES_V4)


def _to_5(db: peewee.Database) -> None:
    """Version 5: what minutes recorded as decided becomes decision records, one per line,
    taken at their occurrence (on its day in the meeting's zone) in the meeting's program;
    the minutes lose their free-text decisions."""
    written = db.execute_sql(
        'SELECT m."meeting_id", m."occurrence_start", m."decisions", m."updated_at",'
        ' g."program_id", g."timezone" FROM "minutes" m JOIN "meeting" g ON g."id" = m."meeting_id"'
        ' WHERE trim(m."decisions") != \'\' ORDER BY m."id"'
    ).fetchall()
    for meeting, start, text, at, program, zone in written:
        day = from_utc_text(start).astimezone(ZoneInfo(zone)).date().isoformat()
        for line in text.splitlines():
            said = line.strip(" -•*\t")
            if not said:
                continue
            # a title has at most 200 characters; a longer line is kept whole as the rationale
            title, rationale = (said, "") if len(said) <= 200 else (said[:199] + "…", said)
            db.execute_sql(
                'INSERT INTO "decision" ("program_id", "title", "rationale", "decided_on",'
                ' "meeting_id", "occurrence_start", "created_at", "updated_at", "version")'
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)",
                (program, title, rationale, day, meeting, start, at, at),
            )
    db.execute_sql('ALTER TABLE "minutes" DROP COLUMN "decisions"')


def _to_6(db: peewee.Database) -> None:
    """Version 6: all-day meetings; what became of each invite copy (exported, sent, refused,
    with the server's reply); how a communication was logged (sent, by hand, exported). Copies
    written to a file before this version were exported, never sent. (Version 4 creates its
    tables from today's models, so a column may exist already.)"""
    for table, column in (
        (Meeting, Meeting.all_day),
        (InviteDelivery, InviteDelivery.state),
        (InviteDelivery, InviteDelivery.reply),
        (CommsLogEntry, CommsLogEntry.how),
    ):
        name = table._meta.table_name
        if column.column_name in {c.name for c in db.get_columns(name)}:
            continue
        ctx = db.get_sql_context()
        definition = ctx.sql(column.ddl(ctx)).query()[0]
        db.execute_sql(f'ALTER TABLE "{name}" ADD COLUMN {definition}')
    db.execute_sql(
        'UPDATE "invite_delivery" SET "state" = CASE "channel" WHEN \'smtp\' THEN \'sent\''
        " ELSE 'exported' END"
    )


MIGRATIONS: dict[int, Callable[[peewee.Database], None]] = {
    2: _to_2,
    3: _to_3,
    4: _to_4,
    5: _to_5,
    6: _to_6,
}


@dataclass(frozen=True)
class InitResult:
    """What ``docket init`` did."""

    path: Path
    created: bool
    upgraded_from: int | None = None
    backup: Path | None = None


def write() -> AbstractContextManager[Any]:
    """One write transaction, taking SQLite's write lock at once (``BEGIN IMMEDIATE``).

    Nested calls become savepoints of the outer transaction.
    """
    return database.atomic(lock_type="IMMEDIATE")


def _check_readable(path: Path) -> None:
    """A missing or unreadable file is a DatabaseError; one kept from this account by a
    shared directory's group names that group and directory."""
    try:
        _check_exists(path)
    except PermissionError as exc:
        raise DatabaseError(denied_message(path)) from exc
    if not os.access(path, os.R_OK):
        raise DatabaseError(denied_message(path))


def _check_exists(path: Path) -> None:
    if path.is_dir():
        raise DatabaseError(f"{path} is a directory, not a docket database")
    if not path.exists():
        parent = path.parent
        if not parent.exists():
            raise DatabaseError(f"no database at {path}: directory {parent} does not exist")
        raise DatabaseError(f"no database at {path}; create one with 'docket init'")


def connect(path: Path, *, create: bool = False) -> peewee.SqliteDatabase:
    """Open the SQLite file at ``path`` and bind the models to it.

    Without ``create``, a missing or unreadable file is a :class:`DatabaseError` (nothing
    is created by accident, such as by a typo in ``--db``).
    """
    if create:
        if path.is_dir():
            raise DatabaseError(f"{path} is a directory, not a docket database")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseError(f"cannot create directory {path.parent}: {exc.strerror}") from exc
    else:
        _check_readable(path)
    use_shared_umask(path)
    new = not path.exists()
    db = peewee.SqliteDatabase(str(path), pragmas=PRAGMAS, timeout=BUSY_TIMEOUT_S)
    database.initialize(db)
    try:
        db.connect(reuse_if_open=True)
        db.execute_sql("SELECT count(*) FROM sqlite_master").fetchone()
        if new:  # SQLite makes a new file 0644 less the umask; in a shared directory, 0660
            for made in (
                path,
                path.with_name(path.name + "-wal"),
                path.with_name(path.name + "-shm"),
            ):
                if made.exists():
                    share_new_file(made)
    except peewee.DatabaseError as exc:
        db.close()
        raise DatabaseError(f"cannot open database {path}: {exc}") from exc
    except peewee.OperationalError as exc:
        db.close()
        raise DatabaseError(f"cannot open database {path}: {exc}") from exc
    return db


def data_version() -> int:
    """A number that changes whenever another connection commits to the database.

    The app polls it to show other administrators' changes without a restart; it is cheap
    (no table is read) and does not change for this connection's own writes.
    """
    return int(database.execute_sql("PRAGMA data_version").fetchone()[0])


def integrity_problems() -> list[str]:
    """What SQLite's integrity and foreign-key checks find wrong (empty: all is well)."""
    problems = [
        str(row[0])
        for row in database.execute_sql("PRAGMA integrity_check").fetchall()
        if row[0] != "ok"
    ]
    for table, rowid, parent, _ in database.execute_sql("PRAGMA foreign_key_check").fetchall():
        problems.append(f"{table} row {rowid} refers to a missing {parent}")
    return problems


def backup_file(target: Path) -> None:
    """Copy the open database to a new file ``target`` with SQLite's online backup, which
    is safe while others work; an existing file is never overwritten."""
    if target.exists():
        raise DatabaseError(f"{target} already exists; choose a new file name")
    if not target.parent.is_dir():
        raise DatabaseError(f"cannot write {target}: directory {target.parent} does not exist")
    partial = target.with_name(target.name + ".partial")
    try:
        backup_to(database.obj, partial)
        partial.rename(target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise DatabaseError(f"cannot write {target}: {exc.strerror}") from exc


def schema_version() -> int:
    """The schema version of the bound database; 0 when it holds no docket schema."""
    if not database.table_exists("docket_meta"):
        return 0
    row = Meta.get_or_none(Meta.key == "schema_version")
    return int(row.value) if row else 0


def _refuse_newer(path: Path, version: int) -> None:
    if version > SCHEMA_VERSION:
        raise DatabaseError(
            f"database {path} has schema version {version}, newer than this docket "
            f"understands ({SCHEMA_VERSION}); upgrade docket to open it"
        )


def open_database(path: Path, *, upgrade: bool = True) -> peewee.SqliteDatabase:
    """Open an existing docket database, upgrading an older schema when ``upgrade``."""
    db = connect(path)
    version = schema_version()
    if version == 0:
        db.close()
        raise DatabaseError(f"{path} is not a docket database; create one with 'docket init'")
    _refuse_newer(path, version)
    if version < SCHEMA_VERSION:
        if not upgrade:
            db.close()
            raise DatabaseError(
                f"database {path} has schema version {version}; run 'docket init' to upgrade it"
            )
        upgrade_schema(db, path, version)
    return db


def backup_to(db: peewee.SqliteDatabase, target: Path) -> None:
    """Copy the database to ``target`` with SQLite's online backup (safe while others work)."""
    source = db.connection()
    dest = sqlite3.connect(str(target))
    try:
        source.backup(dest)
    finally:
        dest.close()
    share_new_file(target)


def _backup_path(path: Path, version: int, now: datetime) -> Path:
    stamp = now.strftime("%Y%m%d-%H%M%S")
    return path.with_name(f"{path.name}.v{version}-{stamp}.bak")


def upgrade_schema(db: peewee.SqliteDatabase, path: Path, version: int) -> Path:
    """Back the database up, then bring it to ``SCHEMA_VERSION`` in one transaction."""
    from docket.models.clock import utcnow

    backup = _backup_path(path, version, utcnow())
    backup_to(db, backup)
    try:
        with write():
            for step in range(version + 1, SCHEMA_VERSION + 1):
                MIGRATIONS[step](db)
            _set_meta("schema_version", str(SCHEMA_VERSION))
    except peewee.DatabaseError as exc:
        raise DatabaseError(
            f"upgrading {path} from schema version {version} failed ({exc}); "
            f"it is unchanged, and a copy is at {backup}"
        ) from exc
    return backup


def _set_meta(key: str, value: str) -> None:
    Meta.insert(key=key, value=value).on_conflict_replace().execute()


def init_database(path: Path, *, actor: str) -> InitResult:
    """Create a docket database at ``path``, or upgrade the one there.

    The first account to initialise a database becomes its admin.
    """
    from docket.models.clock import utcnow

    existed = path.exists() and path.stat().st_size > 0
    db = connect(path, create=True)
    version = schema_version() if existed else 0
    _refuse_newer(path, version)
    if version == SCHEMA_VERSION:
        return InitResult(path, created=False)
    if version > 0:
        backup = upgrade_schema(db, path, version)
        return InitResult(path, created=False, upgraded_from=version, backup=backup)
    if existed and db.get_tables():
        raise DatabaseError(f"{path} holds tables that are not docket's; refusing to touch it")
    with write():
        db.create_tables(TABLES)
        for statement in EXTRA_SQL:
            db.execute_sql(statement)
        _set_meta("schema_version", str(SCHEMA_VERSION))
        _set_meta("created_at", to_utc_text(utcnow()))
        _set_meta("created_by", actor)
        UserAccount.create(account=actor, role="admin")
    return InitResult(path, created=True)
