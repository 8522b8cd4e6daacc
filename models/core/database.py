"""Opening, creating and upgrading the database; the one way to start a write.

SQLite runs in WAL mode with foreign keys on and a busy timeout, so several administrators
can work in one file at once. Every write is one ``BEGIN IMMEDIATE`` transaction
(:func:`write`): the write lock is taken up front, so two writers queue instead of failing
half-way with "database is locked". The schema version lives in the ``docket_meta`` table;
an older database is upgraded in one transaction after a backup copy, a newer one refused.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple

import peewee

from docket.models.accounts.access import database_mode, denied_message, refuse_unsafe_files
from docket.models.core import engine
from docket.models.core.errors import DatabaseError
from docket.models.core.fields import to_utc_text
from docket.models.core.files import FileRefused, OutputExists, explain, filesystem_of, write_new
from docket.models.core.inputs import shown
from docket.models.core.schema import EXTRA_SQL, Meta, UserAccount, database

SCHEMA_VERSION = 10

BUSY_TIMEOUT_S = 10
PRAGMAS = (
    ("journal_mode", "wal"),
    ("foreign_keys", 1),
    ("busy_timeout", BUSY_TIMEOUT_S * 1000),
    ("synchronous", "normal"),
    ("cache_size", -32000),
    ("temp_store", "memory"),
)


class WaitingDatabase(peewee.SqliteDatabase):
    """SQLite, where a write waits for another's write lock by polling it often.

    SQLite's own wait (the busy timeout) sleeps longer and longer between tries: 1, 2, 5,
    10, 15, 20, 25 ms and up to 100 ms, so a writer may sleep through the moment the lock is
    free. Eight administrators writing at once then waited up to two seconds for writes of a
    millisecond or two (``make bench``: p95 over 50 ms). Here the lock is tried every
    millisecond at first and every 25 ms at most, as long in all as SQLite would have waited;
    SQLite's own wait stays for everything else (a read during a checkpoint, say).
    """

    def begin(self, lock_type: str | None = None) -> None:
        """``BEGIN`` (``IMMEDIATE`` for every docket write), waiting for the lock."""
        if lock_type is None:  # a deferred BEGIN takes no lock
            super().begin(lock_type)
            return
        cursor = self.cursor()
        # the connection's own wait (ten seconds; a test may give it longer) is kept for
        # every other statement, and is how long this waits in all
        patience_ms = int(cursor.execute("PRAGMA busy_timeout").fetchone()[0])
        cursor.execute("PRAGMA busy_timeout = 0")
        try:
            started = time.monotonic()
            while True:
                try:
                    super().begin(lock_type)
                    return
                except peewee.OperationalError as exc:
                    waited = time.monotonic() - started
                    if "locked" not in str(exc) or waited * 1000 >= patience_ms:
                        raise
                    time.sleep(min(0.001 + waited / 20, 0.025))
        finally:
            cursor.execute(f"PRAGMA busy_timeout = {patience_ms}")


class InitResult(NamedTuple):
    """What ``docket init`` did."""

    path: Path | str
    created: bool
    upgraded_from: int | None = None
    backup: Path | None = None


@contextmanager
def write() -> Iterator[Any]:
    """One write transaction, taking SQLite's write lock at once (``BEGIN IMMEDIATE``).

    Nested calls become savepoints of the outer transaction. A write SQLite cannot make (a
    full disk) is a :class:`DatabaseError` saying so, not the "cannot rollback" that follows
    when SQLite has already ended the transaction itself. Once the outermost transaction
    that wrote audit entries commits, the writer keeps its witness of the chain's new head
    (:mod:`docket.models.audit.witness`; a failure there never fails the write).
    """
    from docket.models.audit import witness  # writes alone load it (start-up, issue 22)

    outermost = not database.in_transaction()
    kept: witness.Witness | None = None
    try:
        with engine.write_transaction() as transaction:
            if outermost:
                witness.begin()
            yield transaction
            if outermost:
                kept = witness.seen()
    except peewee.OperationalError as exc:
        raise _explained(exc) from exc
    if kept is not None:
        witness.keep(kept)


def _explained(exc: peewee.OperationalError) -> Exception:
    """The failure behind a failed write, in words (the error itself when it is not one
    this explains)."""
    path = Path(database.database)
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, DatabaseError):
            return cause
        text = str(cause)
        if "database or disk is full" in text:
            return DatabaseError(
                f"cannot save to database {path}: the file system {filesystem_of(path)} is "
                "full; nothing was saved; free some space there and try again"
            )
        if "disk I/O error" in text:
            return DatabaseError(
                f"cannot save to database {path}: the disk reported an error (file system "
                f"{filesystem_of(path)}); nothing was saved; run 'docket check'"
            )
        cause = cause.__context__
    if "cannot rollback" in str(exc):
        return DatabaseError(
            f"cannot save to database {path}: SQLite ended the write; nothing was saved"
        )
    return exc


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
    refuse_unsafe_files(path)
    if create:
        if path.is_dir():
            raise DatabaseError(f"{path} is a directory, not a docket database")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseError(f"cannot create directory {path.parent}: {exc.strerror}") from exc
        _create_file(path)
    else:
        _check_readable(path)
    db = WaitingDatabase(str(path), pragmas=PRAGMAS, timeout=BUSY_TIMEOUT_S)
    database.initialize(db)
    try:
        db.connect(reuse_if_open=True)
        db.execute_sql("SELECT count(*) FROM sqlite_master").fetchone()
        refuse_unsafe_files(path)  # still plain files now SQLite has opened and made them
    except DatabaseError:
        db.close()
        raise
    except peewee.DatabaseError as exc:
        db.close()
        raise DatabaseError(f"cannot open database {path}: {_open_failure(path, exc)}") from exc
    return db


def _open_failure(path: Path, exc: Exception) -> str:
    """Why SQLite could not open a database: a full file system (SQLite needs room for its
    -wal and -shm files even to read) said as such, else SQLite's words."""
    try:
        room = os.statvfs(path.parent)
        full = room.f_bavail * room.f_frsize < 64 * 1024
    except OSError:
        full = False
    if full or "disk is full" in str(exc):
        return (
            f"the file system {filesystem_of(path)} is full (SQLite needs room beside the "
            "database for its -wal and -shm files); free some space there"
        )
    return str(exc)


def _create_file(path: Path) -> None:
    """Make a new, empty database file exclusively (never through a link someone planted),
    with the group's mode in a shared directory; SQLite, opening it, makes its -wal and -shm
    with the same mode. An existing file is left as it is."""
    mode = database_mode(path.parent)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        fd = os.open(path, flags, 0o644 if mode is None else 0o600)
    except FileExistsError:
        return
    except OSError as exc:
        raise DatabaseError(explain(exc, path)) from exc
    try:
        if mode is not None:
            os.fchmod(fd, mode)
    finally:
        os.close(fd)


def data_version() -> int:
    """A number that changes when another connection commits (:func:`engine.data_version`)."""
    return engine.data_version()


def integrity_problems() -> list[str]:
    """What the engine's integrity and foreign-key checks find wrong (empty: all is well)."""
    return engine.integrity_problems()


def backup_file(target: Path, *, force: bool = False) -> Path:
    """Copy the open database to a new file ``target`` (see :func:`backup_to`); an existing
    name is refused unless ``force``, which replaces it whole. Returns the path written."""
    return backup_to(database.obj, target, force=force)


def schema_version() -> int:
    """The schema version of the bound database; 0 when it holds no docket schema."""
    if not database.table_exists("docket_meta"):
        return 0
    row = Meta.get_or_none(Meta.key == "schema_version")
    if row is None:
        return 0
    value = str(row.value).strip()
    if not value.isascii() or not value.isdigit() or int(value) < 1:
        raise DatabaseError(
            f"database {database.database} says its schema version is {shown(str(row.value))}, "
            "not a version docket writes (a whole number from 1); it was damaged or edited by "
            "hand, so it is left untouched: restore a backup, or run 'docket check'"
        )
    return int(value)


def _connect_any(path: Path | str, *, create: bool = False) -> peewee.Database:
    """A path is an SQLite file; a URL, a PostgreSQL database (engine_postgres)."""
    if not isinstance(path, str):
        return connect(path, create=create)
    from docket.models.core.engine_postgres import connect_url

    return connect_url(path, create=create)


def _refuse_newer(path: Path | str, version: int) -> None:
    if version > SCHEMA_VERSION:
        raise DatabaseError(
            f"database {path} has schema version {version}, newer than this docket "
            f"understands ({SCHEMA_VERSION}); upgrade docket to open it"
        )


def open_database(path: Path | str, *, upgrade: bool = True) -> peewee.Database:
    """Open an existing docket database (a path, or a PostgreSQL URL), upgrading an older
    schema when ``upgrade``."""
    db = _connect_any(path)
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


def backup_to(db: peewee.SqliteDatabase, target: Path, *, force: bool = False) -> Path:
    """Copy the database to a new file ``target``: one consistent snapshot (a single read,
    safe while others write) written by :func:`~docket.models.core.files.write_new`, so the copy
    appears whole under its name or not at all, and never through a planted link. A copy in
    a shared directory gets the group's mode. Returns the path written."""
    try:
        content = db.connection().serialize()
    except (sqlite3.Error, MemoryError) as exc:
        raise DatabaseError(f"cannot read database {db.database} to copy it: {exc}") from exc
    target = target.expanduser()
    return write_new(target, content, force=force, mode=database_mode(target.parent))


def _backup_path(path: Path, version: int, now: datetime) -> Path:
    stamp = now.strftime("%Y%m%d-%H%M%S")
    return path.with_name(f"{path.name}.v{version}-{stamp}.bak")


def upgrade_schema(db: peewee.Database, path: Path | str, version: int) -> Path | None:
    """Back an SQLite file up, then bring it to ``SCHEMA_VERSION`` in one transaction."""
    from docket.models.core import upgrades  # only to upgrade (the models of every table)
    from docket.models.core.clock import utcnow

    backup = None
    try:
        if isinstance(db, peewee.SqliteDatabase) and isinstance(path, Path):
            backup = backup_to(db, _backup_path(path, version, utcnow()))
    except OutputExists as exc:
        raise DatabaseError(
            f"cannot upgrade {path}: the name for its backup copy is taken ({exc.path}"
            f"{exc.what}); move it away and try again (nothing was changed)"
        ) from exc
    except FileRefused as exc:
        raise DatabaseError(
            f"cannot upgrade {path} without its backup copy: {exc} (nothing was changed)"
        ) from exc
    try:
        with write():
            for step in range(version + 1, SCHEMA_VERSION + 1):
                upgrades.MIGRATIONS[step](db)
            _set_meta("schema_version", str(SCHEMA_VERSION))
            engine.secure()  # PostgreSQL: grants on the tables added too
    except (peewee.DatabaseError, DatabaseError) as exc:
        raise DatabaseError(
            f"upgrading {path} from schema version {version} failed ({exc}); "
            "it is unchanged" + ("" if backup is None else f", and a copy is at {backup}")
        ) from exc
    return backup


def _set_meta(key: str, value: str) -> None:
    engine.set_meta(key, value)


def init_database(path: Path | str, *, actor: str) -> InitResult:
    """Create a docket database at ``path`` (a file, or a PostgreSQL URL), or upgrade it.

    The first account to initialise a database becomes its admin.
    """
    from docket.models.core.clock import utcnow
    from docket.models.core.tables import TABLES as ALL_TABLES  # every table's model: here only
    from docket.models.core.upgrades import create_indexes

    existed = isinstance(path, str) or (path.exists() and path.stat().st_size > 0)
    db = _connect_any(path, create=True)
    version = schema_version() if existed else 0
    _refuse_newer(path, version)
    if version == SCHEMA_VERSION:
        engine.secure()  # PostgreSQL: the server's roles and rules, made again
        return InitResult(path, created=False)
    if version > 0:
        backup = upgrade_schema(db, path, version)
        return InitResult(path, created=False, upgraded_from=version, backup=backup)
    if existed and db.get_tables():
        raise DatabaseError(f"{path} holds tables that are not docket's; refusing to touch it")
    # a database made anew here: this account's witnesses of one that was here before are moot
    from docket.models.audit import witness

    with contextlib.suppress(FileRefused):
        witness.forget(path)
    with write():
        db.create_tables(ALL_TABLES)
        for statement in engine.extra_sql(EXTRA_SQL):
            db.execute_sql(statement)
        create_indexes(db)
        _set_meta("schema_version", str(SCHEMA_VERSION))
        _set_meta("created_at", to_utc_text(utcnow()))
        _set_meta("created_by", actor)
        _first_admin(actor)
    return InitResult(path, created=True)


def _first_admin(actor: str) -> None:
    """The account that creates a database is its admin: an audited change like any other."""
    from docket.models.core import records
    from docket.models.core.context import Context

    records.create(Context(actor=actor), UserAccount, account=actor, role="admin")
