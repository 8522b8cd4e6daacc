"""The app's way to the database: one thread that owns the connection.

Every domain call from the app runs on this thread, never on the UI thread, so a slow
query or a lock held by another administrator cannot freeze the screen. One thread keeps
one SQLite connection for the life of the app and runs calls in the order they were made,
so a list reloaded after a save always sees that save.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import tzinfo
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

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

        self._opening = self._executor.submit(open_database, self.path)
        if isinstance(self.path, str):  # PostgreSQL: listen from the start, missing nothing
            from docket.models.core.database import data_version

            self._listening = self._executor.submit(data_version)
        if first is not None:
            self._first = self._aside.submit(self._once_open, first)

    def _once_open(self, first: Callable[[], T]) -> T:
        assert self._opening is not None
        self._opening.result()
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
    """A store for the app at launch: the database opening, then Today's contents read (on
    the second thread), while the app's code (Textual) is still loading; the app takes the
    store, and Today its contents (``TodayScreen``), so the first screen waits for neither
    in turn. Only for a launch: nothing may be written before the app shows Today."""
    from docket.models.overview.today import today_view

    store = Store(path, ctx)
    store.begin(functools.partial(today_view, ctx))
    return store


def store_of(app: object) -> Store:
    """The store of the running docket app (widgets reach it through ``self.app``)."""
    found = getattr(app, "store", None)
    if not isinstance(found, Store):
        raise TypeError("not running inside the docket app")
    return found
