"""Opening a PostgreSQL database named by a ``postgresql://`` URL.

The URL is libpq's (host, port, user, password, dbname, sslmode...): peer authentication on
the host needs no password, ``postgresql:///docket`` reaching the server's Unix socket. The
database must exist (a DBA makes it, see the README); ``docket init`` makes docket's schema
in it. Its text must sort by code point, as SQLite's does, so lists are in the same order
on both engines. Every connection gets docket's timeouts and keepalives, and a lost one is
dealt with as engine_faults says (:class:`ServerDatabase`).
"""

from __future__ import annotations

import logging
from typing import Any
from weakref import WeakKeyDictionary

import peewee

from docket.models.core import engine_faults as faults
from docket.models.core.engine import CODE_POINT_COLLATIONS, PostgresDatabase, shown_url
from docket.models.core.errors import DatabaseError
from docket.models.core.schema import database

# psycopg logs what it ignores while closing a connection already lost ("error ignored
# terminating <psycopg.Pipeline [BAD]>: the connection is lost"), which Python would print
# as a second, raw line: docket says what happened itself, in one line (engine_faults)
logging.getLogger("psycopg").addHandler(logging.NullHandler())

# per connection: the id of its write transaction in progress (the in-doubt COMMIT's question)
_xids: WeakKeyDictionary[Any, int] = WeakKeyDictionary()


class ServerDatabase(PostgresDatabase):
    """A PostgreSQL database over a connection that may be lost (engine_faults): a write
    lost before it was sent begins again once the server answers, one lost in the middle
    is a :class:`~engine_faults.ConnectionLost`, and one lost during COMMIT is settled by
    asking the server what became of its transaction."""

    def init(self, database: str | None, *args: Any, **kwargs: Any) -> None:
        if isinstance(database, str):
            kwargs = {**faults.connection_settings(database), **kwargs}
        super().init(database, *args, **kwargs)

    @property
    def _conn(self) -> Any:
        """The psycopg connection peewee holds (None when closed); peewee types it as Any."""
        state: Any = self.__dict__["_state"]
        return state.conn

    def _gone(self) -> bool:
        return self.is_closed() or faults.broken(self._conn)

    def _discard(self) -> None:
        """Forget a lost connection (the next statement connects anew)."""
        try:
            self.close()
        except peewee.DatabaseError:
            self.__dict__["_state"].reset()

    def _where(self) -> str:
        return f"at {shown_url(str(self.database))}"

    def _lost(self, exc: BaseException) -> faults.ConnectionLost:
        """A lost connection in words; outside a transaction it is forgotten at once."""
        reason = faults.reason_of(exc)
        if self.in_transaction():
            return self._lost_change(exc)
        self._discard()
        return faults.ConnectionLost(
            f"lost the connection to the database server {self._where()} ({reason});"
            " nothing was changed",
            reason=reason,
        )

    def _lost_change(self, exc: BaseException) -> faults.ConnectionLost:
        reason = faults.reason_of(exc)
        return faults.ConnectionLost(
            f"lost the connection to the database server {self._where()} ({reason}) in the"
            " middle of a change; nothing of it was saved (the server rolls back a change it"
            " was not told to commit)",
            reason=reason,
        )

    def fault(self, exc: BaseException) -> faults.ConnectionLost | None:
        """A failed write transaction's error as the lost connection it was, when it was
        (a statement run past :meth:`execute_sql` lost it); None for any other."""
        if isinstance(exc, faults.ServerFault) or not isinstance(exc, peewee.OperationalError):
            return None
        return self._lost_change(exc) if self._gone() else None

    def execute_sql(self, sql: str, params: Any = None) -> Any:
        try:
            return super().execute_sql(sql, params)
        except peewee.DatabaseError as exc:
            if isinstance(exc, faults.ServerFault) or not self._gone():
                raise
            raise self._lost(exc) from exc

    def begin(self, isolation_level: Any = None, write_lock: int | None = None) -> None:
        """BEGIN, and for a write the write lock (and the transaction's id, kept); a
        connection lost before that was done is made anew once the server answers."""
        lost: str | None = None
        for attempt in range(1, faults.ATTEMPTS + 1):
            try:
                super().begin(isolation_level)
                if write_lock is not None:
                    row = self.execute_sql(
                        "SELECT pg_advisory_xact_lock(?), CAST(pg_current_xact_id() AS text)",
                        (write_lock,),
                    ).fetchone()
                    _xids[self._conn] = int(row[1])
            except peewee.DatabaseError as exc:
                if not self._gone():
                    raise
                lost = faults.reason_of(exc)
                self._discard()
                waited = faults.wait_for_server(str(self.database))
                if waited is None and attempt < faults.ATTEMPTS:
                    continue
                raise faults.ConnectionLost(
                    f"lost the connection to the database server {self._where()} ({lost});"
                    f" nothing was changed, and it did not answer again ({waited or lost}):"
                    " try again when it is back",
                    reason=lost,
                ) from exc
            if lost is not None:
                faults.note(
                    f"the connection to the database server was lost before a change was sent"
                    f" ({lost}); docket connected again once it answered, and saved it"
                )
            return

    def rollback(self) -> None:
        conn = self._conn
        if conn is not None:
            _xids.pop(conn, None)
        if not self._gone():
            try:
                super().rollback()
                return
            except peewee.DatabaseError:
                if not self._gone():
                    raise
        if not self.in_transaction():  # the server rolled it back as the connection went
            self._discard()

    def commit(self) -> None:
        conn = self._conn
        xid = None if conn is None else _xids.pop(conn, None)
        try:
            super().commit()
        except peewee.DatabaseError as exc:
            if not self._gone():
                raise
            self._in_doubt(exc, xid)
        faults.committed()

    def _in_doubt(self, exc: BaseException, xid: int | None) -> None:
        """A connection lost during COMMIT: the server, once it answers, says whether the
        transaction committed (then all is well, and a line says so) or not."""
        reason = faults.reason_of(exc)
        self._discard()
        status = None if xid is None else faults.transaction_status(str(self.database), xid)
        if status == "committed":
            faults.note(
                f"the connection to the database server was lost while a change was committed"
                f" ({reason}); the server says it was saved, so it was not made again"
            )
            return
        if status == "aborted":
            raise faults.ConnectionLost(
                f"lost the connection to the database server {self._where()} while a change"
                f" was committed ({reason}); the server says it was not saved",
                reason=reason,
            ) from exc
        raise faults.CommitInDoubt(
            f"lost the connection to the database server {self._where()} while a change was"
            f" committed ({reason}), and the server could not say afterwards whether it was"
            " saved: look with 'docket history' before making it again"
        ) from exc


def connect_url(url: str, *, create: bool = False) -> ServerDatabase:
    """Connect to the PostgreSQL database at ``url`` and bind the models to it; to
    ``create`` docket's schema in it, its text must sort by code point."""
    if url.lower().startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    db = ServerDatabase(url)
    database.initialize(db)
    try:
        db.connect(reuse_if_open=True)
        db.execute_sql("SELECT 1").fetchone()
    except peewee.DatabaseError as exc:
        db.close()
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DatabaseError(f"cannot open database {shown_url(url)}: {reason}") from exc
    if create:
        refuse_collation(url)
    return db


def refuse_collation(url: str) -> None:
    """A database whose text sorts by a language's rules would list names in another order
    than SQLite: refused by ``docket init``, with how to make one that sorts by code point."""
    # an ICU locale (PostgreSQL 15's datlocprovider 'i') sorts by its rules whatever
    # datcollate says; to_jsonb reads the column where it exists, on every version
    collation, icu = database.execute_sql(
        "SELECT datcollate, to_jsonb(d) ->> 'daticulocale' FROM pg_database d"
        " WHERE datname = current_database()"
    ).fetchone()
    if icu:
        collation = f"the ICU locale {icu}"
    if icu or collation not in CODE_POINT_COLLATIONS:
        raise DatabaseError(
            f"database {shown_url(url)} sorts text by {collation}; docket needs code-point "
            "order, as SQLite's: create it with 'createdb --locale=C --encoding=UTF8 "
            "--template=template0'"
        )


# --- change notification: LISTEN/NOTIFY -------------------------------------------------------

CHANNEL = "docket_changed"
# every statement that adds audit entries (every change docket makes) tells the listeners,
# once per statement, naming the writer's backend; made by `docket init` and `docket migrate`
NOTIFY_SQL = (
    "CREATE OR REPLACE FUNCTION docket_notify_change() RETURNS trigger LANGUAGE plpgsql AS"
    f" $$ BEGIN PERFORM pg_notify('{CHANNEL}', CAST(pg_backend_pid() AS text)); RETURN NULL;"
    " END $$",
    'CREATE OR REPLACE TRIGGER docket_notify_change AFTER INSERT ON "audit_entry"'
    " FOR EACH STATEMENT EXECUTE FUNCTION docket_notify_change()",
)
# per connection: how many changes other sessions committed since it began listening
_heard: WeakKeyDictionary[Any, list[int]] = WeakKeyDictionary()


def changes_heard() -> int:
    """How many changes other sessions have committed since this connection began to listen
    (PostgreSQL's ``data_version``): its first call listens; each later call brings in what
    the server has sent meanwhile. Its own writes are not counted, as on SQLite."""
    conn = database.connection()
    count = _heard.get(conn)
    if count is None:
        count = _heard[conn] = [0]
        own = str(conn.info.backend_pid)

        def heard(notice: Any) -> None:
            if notice.channel == CHANNEL and notice.payload != own:
                count[0] += 1

        conn.add_notify_handler(heard)
        conn.execute(f"LISTEN {CHANNEL}")
    else:
        conn.execute("SELECT 1")  # the notifications arrive with any reply
    return count[0]
