"""The PostgreSQL server the tests use, and a fresh database on it for a test.

The server is ``DOCKET_TEST_POSTGRES`` (a URL of a role that may create databases and
roles; by default ``postgresql://postgres@127.0.0.1/postgres``). With no server answering,
every PostgreSQL test is skipped with :data:`SKIPPED` and the run ends with one line saying
so (tests/conftest.py), unless ``DOCKET_REQUIRE_POSTGRES=1``, which makes it fail instead
(for CI).

A test database is made anew for each test (text in code-point order, as docket requires)
and dropped after it, with the three roles ``docket init`` made for it. The drop waits for
the server's checkpoint (about as long as the test's ``docket init``), so it runs on a
thread of its own while the next tests go on, a few behind at most, and the session waits
for the last before it ends (tests/conftest.py).
"""

from __future__ import annotations

import os
import secrets
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager, suppress
from urllib.parse import urlsplit, urlunsplit

import pytest

from docket.models.audit.witness import witness_path
from docket.models.core import engine
from docket.models.core.database import init_database
from docket.models.core.schema import database

ADMIN_URL = os.environ.get("DOCKET_TEST_POSTGRES", "postgresql://postgres@127.0.0.1/postgres")
REQUIRED = os.environ.get("DOCKET_REQUIRE_POSTGRES") == "1"
# the reason every PostgreSQL test is skipped with; tests/conftest.py counts them by it
SKIPPED = "PostgreSQL half skipped"
HOW = (
    f"no PostgreSQL server answers at {engine.shown_url(ADMIN_URL)}; to run it, point "
    "DOCKET_TEST_POSTGRES at a role that may create databases (DOCKET_REQUIRE_POSTGRES=1 "
    "makes it required)"
)


def _server_answers() -> bool:
    try:
        import psycopg

        with psycopg.connect(ADMIN_URL, connect_timeout=3):
            return True
    except Exception:  # noqa: BLE001 (no driver, no server, no such role: no server here)
        return False


SERVER = _server_answers()


def admin_sql(sql: str) -> None:
    """Run one statement on the server as the tests' administrator, outside a transaction."""
    import psycopg

    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(sql)  # type: ignore[arg-type]


def require_server() -> None:
    """Skip the test (or fail it, when the PostgreSQL half is required) with no server."""
    if not SERVER:
        if REQUIRED:
            pytest.fail(f"DOCKET_REQUIRE_POSTGRES=1, but {HOW}")
        pytest.skip(f"{SKIPPED}: {HOW}")


def ensure_login_role(name: str) -> None:
    """A login role ``name`` that may create databases and roles (as ``docket init`` needs),
    made once on the server; another test process making it at the same moment is fine."""
    import psycopg

    with suppress(psycopg.errors.DuplicateObject, psycopg.errors.UniqueViolation):
        admin_sql(f'CREATE ROLE "{name}" LOGIN CREATEDB CREATEROLE')


# the drops still running, at most BEHIND of them
BEHIND = 4
_dropper = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pg-drop")
_pending: list[Future[None]] = []
_lock = threading.Lock()


def _drop(name: str) -> None:
    admin_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    admin_sql(f"DROP ROLE IF EXISTS {name}_viewer, {name}_editor, {name}_admin")  # init's


def _drop_later(name: str) -> None:
    """Drop the database ``name`` (and its roles) on the dropping thread; wait first when
    :data:`BEHIND` drops are still running."""
    with _lock:
        _pending[:] = [f for f in _pending if not f.done()]
        waiting = _pending[:-BEHIND] if len(_pending) >= BEHIND else []
    for future in waiting:
        future.result()
    with _lock:
        _pending.append(_dropper.submit(_drop, name))


def drain() -> None:
    """Wait for every drop still running, and drop this process's made databases (the
    session's end); a failed drop raises."""
    with _lock:
        pending, _pending[:] = list(_pending), []
    for future in pending:
        future.result()
    while _templates:
        _drop(_templates.popitem()[1][0])


def _url(name: str, user: str | None) -> str:
    """The URL of the database ``name`` on the tests' server, as ``user`` when given."""
    parts = urlsplit(ADMIN_URL)
    if user is not None:
        port = f":{parts.port}" if parts.port else ""
        parts = parts._replace(netloc=f"{user}@{parts.hostname or ''}{port}")
    return urlunsplit(parts._replace(path=f"/{name}"))


def _create(name: str, user: str | None, template: str | None = None) -> None:
    if user is not None:
        ensure_login_role(user)
    owner = f' OWNER "{user}"' if user is not None else ""
    source = template or "template0 ENCODING 'UTF8' LOCALE 'C'"
    admin_sql(f"CREATE DATABASE {name}{owner} TEMPLATE {source}")


@contextmanager
def fresh_database(*, user: str | None = None, template: str | None = None) -> Iterator[str]:
    """A new database, empty or a copy of ``template`` (owned by ``user`` when given, who
    then connects in the URL); dropped after, with the roles ``docket init`` made for it."""
    require_server()
    name = f"docket_t_{secrets.token_hex(6)}"
    _create(name, user, template)
    try:
        yield _url(name, user)
    finally:
        if database.obj is not None and not database.is_closed():
            database.close()
        _drop_later(name)


# this process's made databases (kind: name and the witness file its making left), copied
# for each test that wants one: copying a database is some ten times quicker than making it
_templates: dict[str, tuple[str, bytes | None]] = {}


def _template(kind: str, user: str, make: Callable[[str], None]) -> tuple[str, bytes | None]:
    found = _templates.get(kind)
    if found is None:
        name = f"docket_tpl_{secrets.token_hex(6)}"
        _create(name, user)
        url = _url(name, user)
        make(url)
        if database.obj is not None and not database.is_closed():
            database.close()
        witness = witness_path(url)
        found = _templates[kind] = (name, witness.read_bytes() if witness.exists() else None)
        # nobody may be connected to a database copied (a listener docket left, say)
        admin_sql(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            f" WHERE datname = '{name}' AND pid <> pg_backend_pid()"
        )
    return found


@contextmanager
def made_database(kind: str, user: str, make: Callable[[str], None]) -> Iterator[str]:
    """A database as ``make(url)`` makes one, for one test: a copy of the one this process
    made first, with the witnesses its making kept (as this account's, in this test's own
    data directory), and the server's side of docket (its roles, named after each database)
    made for the copy as ``docket init`` makes it (``engine.secure``)."""
    template, kept = _template(kind, user, make)
    with fresh_database(user=user, template=template) as url:
        if kept is not None:
            mine = witness_path(url)
            mine.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            mine.write_bytes(kept)
            os.chmod(mine, 0o600)
        init_database(url, actor=user)  # at this version: the roles, grants and rules
        yield url


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A new, empty PostgreSQL database (text in code-point order), dropped after the test."""
    with fresh_database() as url:
        yield url
