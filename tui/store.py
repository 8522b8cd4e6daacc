"""The app's way to the database: one thread that owns the connection.

Every domain call from the app runs on this thread, never on the UI thread, so a slow
query or a lock held by another administrator cannot freeze the screen. One thread keeps
one SQLite connection for the life of the app and runs calls in the order they were made,
so a list reloaded after a save always sees that save.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
import pickle
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import tzinfo
from pathlib import Path
from typing import Any, NoReturn, ParamSpec, TypeVar

from docket.models.core.clock import Clock
from docket.models.core.context import Context

P = ParamSpec("P")
T = TypeVar("T")


def _explained(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run ``fn``; SQLite's own failures become a DatabaseError with its message."""
    import peewee

    from docket.models.core.errors import DatabaseError

    try:
        return fn(*args, **kwargs)
    except peewee.OperationalError as exc:
        raise DatabaseError(f"database error: {exc}; nothing was saved") from exc


class Store:
    """Runs domain operations on the database thread and hands back their results."""

    def __init__(self, path: Path | str, ctx: Context) -> None:
        self.path = path
        self.ctx = ctx
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="docket-db")
        # slow reads that only add detail (a count under a filter) run beside the main
        # thread, on a connection of their own, so they never hold up the next keystroke
        self._aside = ThreadPoolExecutor(max_workers=1, thread_name_prefix="docket-db-aside")
        self._opening: Future[Any] | None = None
        # Today's contents, read while the app's own code loads (:func:`start`)
        self._first: Future[Any] | None = None
        # PostgreSQL: the count of others' changes when listening began (LISTEN/NOTIFY)
        self._listening: Future[int] | None = None
        # the process reading Today beside the app's own (:func:`start`), if one was made
        self._apart: _Apart | None = None

    async def run(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Call ``fn`` on the database thread; its exception, if any, is raised here (a
        database failure, such as a lock held past the busy timeout, as a DatabaseError)."""
        loop = asyncio.get_running_loop()
        call = functools.partial(_explained, fn, *args, **kwargs)
        return await loop.run_in_executor(self._executor, call)

    async def run_aside(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Call ``fn`` (a read) on the second database thread."""
        loop = asyncio.get_running_loop()
        call = functools.partial(_explained, fn, *args, **kwargs)
        return await loop.run_in_executor(self._aside, call)

    def call(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Call ``fn`` on the database thread and wait for it (for start-up and shutdown)."""
        return self._executor.submit(fn, *args, **kwargs).result()

    def begin(self, first: Callable[[], Any] | None = None) -> None:
        """Start opening the database on its thread, and then ``first`` (a read) on the
        second thread; returns at once (:meth:`open` waits for the opening)."""
        from docket.models.core.database import open_database

        self._opening = self._executor.submit(self._open, open_database)
        if isinstance(self.path, str):  # PostgreSQL: listen from the start, missing nothing
            from docket.models.core.database import data_version

            self._listening = self._executor.submit(data_version)
        if first is not None:
            self._first = self._aside.submit(self._once_open, first)

    def _open(self, open_database: Callable[[Path | str], Any]) -> None:
        """Open the database; on PostgreSQL the account acting is then the session user, as
        the server answers, whatever the Unix name (the role checks ask about it)."""
        open_database(self.path)
        if isinstance(self.path, str):
            from docket.models.core.engine import acting_account

            self.ctx = self.ctx._replace(actor=acting_account(self.ctx.actor))

    def _once_open(self, first: Callable[[], T]) -> T:
        assert self._opening is not None
        apart, self._apart = self._apart, None
        try:
            self._opening.result()
        except BaseException:
            if apart is not None:
                apart.finish(go=False)
            raise
        if apart is not None:
            found = apart.finish(go=True)
            if found is not None:
                read: T = found
                return read
        return _explained(first)

    def open(self) -> None:
        """Open the database on its thread (upgrading an older schema, after a backup); a
        failure to open is raised here."""
        if self._opening is None:
            self.begin()
        assert self._opening is not None
        self._opening.result()

    def version_at_open(self) -> int | None:
        """PostgreSQL: ``data_version`` as the database opened, for the app's first poll to
        compare with (a change made before that poll is seen); None on SQLite."""
        return None if self._listening is None else self._listening.result()

    def take_first(self) -> Future[Any] | None:
        """The read :meth:`begin` started (None when none was, or it was taken)."""
        found, self._first = self._first, None
        return found

    def close(self) -> None:
        """Close the connection on its own thread, then stop the thread."""
        from docket.models.core.schema import database

        def close_connection() -> Any:
            return database.obj is not None and database.close()

        self.call(close_connection)
        self._executor.shutdown(wait=True)
        self._aside.submit(close_connection).result()
        self._aside.shutdown(wait=True)


def app_context(
    *,
    clock: Clock | None = None,
    user: str | None = None,
    tz: tzinfo | None = None,
    day_first: bool = False,
    decimal_comma: bool = False,
) -> Context:
    """The app's context: the account, zone and clock given, else the ones docket finds
    (given no clock, ``DOCKET_NOW`` is read once, now)."""
    from docket.models.accounts.identity import current_account
    from docket.models.core.clock import from_environment, zone

    return Context(
        actor=user or current_account(),
        tz=tz or zone(None),
        clock=clock if clock is not None else from_environment(),
        day_first=day_first,
        decimal_comma=decimal_comma,
    )


def start(path: Path | str, ctx: Context) -> Store:
    """A store for the app at launch: the database opening, then Today's contents read (in
    a forked process where that is safe, else on the second thread), while the app's code
    (Textual) is still loading; the app takes the
    store, and Today its contents (``TodayScreen``), so the first screen waits for neither
    in turn. Only for a launch: nothing may be written before the app shows Today."""
    from docket.models.overview.today import today_view

    first = functools.partial(today_view, ctx)
    # forked before the store makes its threads: a process of its own reads Today on the
    # machine's other core, while this one loads Textual (one process's threads share one
    # interpreter lock, and both are mostly Python)
    apart = _Apart.fork(path, first)
    store = Store(path, ctx)
    store._apart = apart
    # on PostgreSQL Today is read for the session user, known once the database is open
    store.begin(first if apart is not None else lambda: today_view(store.ctx))
    return store


class _Apart:
    """Today read in a forked process; the app's database thread opens (and upgrades) the
    database first, then tells the process to go, and takes the result as pickled bytes.
    Any failure there leaves the read to the app's own thread (nothing is lost)."""

    def __init__(self, pid: int, go: int, result: int) -> None:
        self.pid, self.go, self.result = pid, go, result

    @staticmethod
    def fork(path: Path | str, first: Callable[[], Any]) -> _Apart | None:
        """The forked reader, or None where forking is not safe: not an SQLite file, no
        ``fork``, or threads already running (a lock one of them held would stay held)."""
        if not isinstance(path, Path) or not hasattr(os, "fork"):
            return None
        if threading.active_count() != 1:
            return None
        go_r, go_w = os.pipe()
        result_r, result_w = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            os.close(go_w)
            os.close(result_r)
            _read_apart(path, first, go_r, result_w)
        os.close(go_r)
        os.close(result_w)
        return _Apart(pid, go_w, result_r)

    def finish(self, *, go: bool) -> Any | None:
        """Let the process read (``go``) or stop; its result, or None when it had none."""
        with contextlib.suppress(OSError):  # the process may have gone already
            os.write(self.go, b"1" if go else b"0")
        os.close(self.go)
        with os.fdopen(self.result, "rb") as received:
            data = received.read()
        _, status = os.waitpid(self.pid, 0)
        if not go or status != 0 or not data:
            return None
        return pickle.loads(data)


def _read_apart(path: Path, first: Callable[[], Any], go: int, result: int) -> NoReturn:
    """In the forked process: once told to, open the database (no upgrade, no write) and
    send ``first()`` pickled; exit at once, whatever happens (status 1 on any failure)."""
    status = 1
    try:
        if os.read(go, 1) == b"1":
            from docket.models.core.database import open_database

            open_database(path, upgrade=False)
            data = pickle.dumps(first())
            with os.fdopen(result, "wb") as out:
                out.write(data)
            status = 0
    finally:  # on any failure (status 1) the app's own thread reads Today instead
        os._exit(status)


def store_of(app: object) -> Store:
    """The store of the running docket app (widgets reach it through ``self.app``)."""
    found = getattr(app, "store", None)
    if not isinstance(found, Store):
        raise TypeError("not running inside the docket app")
    return found
