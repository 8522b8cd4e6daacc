"""Opening a PostgreSQL database named by a ``postgresql://`` URL.

The URL is libpq's (host, port, user, password, dbname, sslmode...): peer authentication on
the host needs no password, ``postgresql:///docket`` reaching the server's Unix socket. The
database must exist (a DBA makes it, see the README); ``docket init`` makes docket's schema
in it. Its text must sort by code point, as SQLite's does, so lists are in the same order
on both engines.
"""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

import peewee

from docket.models.core.engine import CODE_POINT_COLLATIONS, PostgresDatabase, shown_url
from docket.models.core.errors import DatabaseError
from docket.models.core.schema import database


def connect_url(url: str, *, create: bool = False) -> PostgresDatabase:
    """Connect to the PostgreSQL database at ``url`` and bind the models to it; to
    ``create`` docket's schema in it, its text must sort by code point."""
    if url.lower().startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    db = PostgresDatabase(url)
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
