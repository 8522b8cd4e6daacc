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
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

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

    def __init__(self, path: Path, ctx: Context) -> None:
        self.path = path
        self.ctx = ctx
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="docket-db")
        # slow reads that only add detail (a count under a filter) run beside the main
        # thread, on a connection of their own, so they never hold up the next keystroke
        self._aside = ThreadPoolExecutor(max_workers=1, thread_name_prefix="docket-db-aside")

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

    def open(self) -> None:
        """Open the database on its thread (upgrading an older schema, after a backup)."""
        from docket.models.core.database import open_database

        self.call(open_database, self.path)

    def close(self) -> None:
        """Close the connection on its own thread, then stop the thread."""
        from docket.models.core.schema import database

        def close_connection() -> Any:
            return database.obj is not None and database.close()

        self.call(close_connection)
        self._executor.shutdown(wait=True)
        self._aside.submit(close_connection).result()
        self._aside.shutdown(wait=True)


def store_of(app: object) -> Store:
    """The store of the running docket app (widgets reach it through ``self.app``)."""
    found = getattr(app, "store", None)
    if not isinstance(found, Store):
        raise TypeError("not running inside the docket app")
    return found
