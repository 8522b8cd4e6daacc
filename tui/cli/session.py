"""What a command runs with: the output streams, the config, a context, an open database.

A command asks for it with ``@pass_session`` (which opens the database first) or
``@pass_session_without_database`` (``init`` and ``demo`` make the database themselves).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

import click
import peewee

from docket.models.accounts.identity import current_account
from docket.models.core.clock import Clock, utcnow, zone
from docket.models.core.config import Config, demo_database_path, load_config, resolve_database
from docket.models.core.context import Context
from docket.models.core.safe_text import visible

if TYPE_CHECKING:
    from docket.models.audit.as_of import Past

R = TypeVar("R")


class Session:
    """The global options and what a command needs from them; the config is read the first
    time a command asks, after its arguments were parsed."""

    def __init__(self, out: TextIO, err: TextIO, *, clock: Clock = utcnow) -> None:
        self.out = out
        self.err = err
        self.clock = clock
        self.database_option: str | None = None  # --db
        self.demo = False  # --demo
        self.db: peewee.Database | None = None
        self.as_of: str | None = None  # --as-of DATE of a report (tui/cli/params.py)
        self.past: Past | None = None  # the past state bound for it
        self.printed: list[str] = []  # what print() wrote, for a text report's stamp

    @cached_property
    def config(self) -> Config:
        return load_config()

    @cached_property
    def actor(self) -> str:
        """Who acts, asked once: on PostgreSQL the session user of the database the command
        opened, still after ``--as-of`` binds a past state in its place."""
        return current_account()

    @cached_property
    def ctx(self) -> Context:
        return Context(
            actor=self.actor,
            tz=zone(self.config.timezone),
            clock=self.clock,
            day_first=self.config.day_first,
            decimal_comma=self.config.decimal_comma,
        )

    def database_path(self) -> Path:
        """The database file this command works on (what works on an SQLite file only)."""
        from docket.models.core.engine import shown_url
        from docket.models.core.errors import DatabaseError

        target = self.database_target()
        if isinstance(target, str):
            raise DatabaseError(
                f"{shown_url(target)} is a PostgreSQL database: this works on an SQLite "
                "file only, for now"
            )
        return target

    def database_target(self) -> Path | str:
        """The database this command works on: an SQLite file, or a PostgreSQL URL."""
        from docket.models.core.engine import is_url

        if self.demo:
            return self._demo_or_own()
        given = self.database_option or os.environ.get("DOCKET_DB") or self.config.db
        if given is not None and is_url(given):
            return given
        return resolve_database(self.database_option, config=self.config).path

    def open(self) -> None:
        """Open the database (upgrading an older schema after a backup copy)."""
        from docket.models.core.database import open_database

        self.db = open_database(self.database_target())
        if self.as_of is not None:
            self._bind_past(self.as_of)

    def _bind_past(self, typed: str) -> None:
        """``--as-of DATE``: bind the database as it was at the end of that day (until the
        command ends) and fix "now" there, so "today" is that day."""
        from docket.models.audit.as_of import FIELD, as_of
        from docket.models.core.dates import parse_date

        ctx = self.ctx
        day = parse_date(typed, ctx.today(), field=FIELD, day_first=ctx.day_first)
        past = click.get_current_context().with_resource(as_of(day, ctx.tz, now=ctx.now()))
        self.past = past
        self.clock = lambda: past.now
        del self.ctx  # built again, on the past clock (for the same actor)
        if past.empty:
            self.err.write(
                f"docket: {FIELD} {day.isoformat()} is before the first audit entry:"
                " nothing was recorded yet\n"
            )

    def print(self, text: str = "") -> None:
        self.printed.append(text + "\n")
        self.out.write(text + "\n")

    def print_stamp(self) -> None:
        """End a text report with its stamp: a blank line and the stamp line, of all that
        :meth:`print` wrote (:mod:`docket.models.audit.stamp`)."""
        from docket.models.audit.stamp import stamp_for, stamp_line

        # hashed as the output shows it (control characters made visible: SafeOutput)
        line = stamp_line(stamp_for(visible("".join(self.printed), lines=True)))
        self.out.write(f"\n{line}\n")

    def _demo_or_own(self) -> Path:
        """The user's own database when they have one; else the demo one, built the first time."""
        own = resolve_database(None, config=self.config)
        if own.source != "the user data directory" or own.path.exists():
            return own.path
        path = demo_database_path()
        if not path.exists():
            from docket.models.core.database import init_database
            from docket.models.demo.builder import build_demo

            # said before the build, so it is read before the app takes the screen
            self.err.write(f"docket: making a demo database at {path} (first run only)\n")
            self.err.flush()
            init_database(path, actor=self.ctx.actor)
            build_demo(self.ctx, size="small", seed=1)
        return path


def current_session() -> Session:
    """The session of the command line that is running."""
    session = click.get_current_context().find_object(Session)
    if session is None:  # only when a command is run outside docket.tui.cli.main.run
        raise RuntimeError("no docket session: run commands through docket.tui.cli.main.run")
    return session


def pass_session(command: Callable[..., R]) -> Callable[..., R]:
    """Give the command the session as its first argument, its database open."""

    @functools.wraps(command)
    def with_session(*args: Any, **kwargs: Any) -> R:
        session = current_session()
        session.open()
        return command(session, *args, **kwargs)

    return with_session


def pass_session_without_database(command: Callable[..., R]) -> Callable[..., R]:
    """Give the command the session as its first argument, opening no database."""

    @functools.wraps(command)
    def with_session(*args: Any, **kwargs: Any) -> R:
        return command(current_session(), *args, **kwargs)

    return with_session
