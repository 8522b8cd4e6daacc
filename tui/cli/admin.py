"""``docket init``, ``docket demo`` and ``docket backup``: making, filling and copying a
database.

The rules live in :mod:`docket.models.core.database` and :mod:`docket.models.accounts`;
these commands call them and say what happened.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from docket.tui.cli.groups import command
from docket.tui.cli.output import clean
from docket.tui.cli.params import UsageError, a_number, force_option
from docket.tui.cli.session import Session, pass_session, pass_session_without_database

if TYPE_CHECKING:
    from docket.models.accounts.users import Linked


@command("init")
@click.option(
    "--shared",
    metavar="DIR",
    help="a database in DIR for every account of --group, and the system config to it",
)
@click.option("--group", metavar="GROUP", help="with --shared: the Unix group that works in it")
@click.option(
    "--me",
    metavar="'NAME <EMAIL>'",
    help="the person your account is (found by e-mail, or added); asked in a terminal",
)
@pass_session_without_database
def init(session: Session, shared: str | None, group: str | None, me: str | None) -> None:
    """Create a database, or upgrade an older one.

    An older database is copied before it is upgraded.
    """
    from docket.models.accounts.users import name_and_email
    from docket.models.core.database import init_database

    if me is not None:
        name_and_email(me, field="me")  # a malformed --me creates nothing
    if shared or group:
        _init_shared(session, shared, group)
        _who_you_are(session, me)
        return
    path = session.database_target()
    if isinstance(path, str):  # PostgreSQL: the acting account is the server's session user
        from docket.models.core.engine_roles import session_user_at

        session.ctx = session.ctx._replace(actor=session_user_at(path, session.ctx.actor))
    result = init_database(path, actor=session.ctx.actor)
    if result.created:
        session.print(f"created {path} (you, {session.ctx.actor}, are its admin)")
    elif result.upgraded_from is not None:
        session.print(
            f"upgraded {path} from schema version {result.upgraded_from}; "
            f"copy kept at {result.backup}"
        )
    else:
        session.print(f"{path} is up to date")
    _who_you_are(session, me)


def _who_you_are(session: Session, me: str | None) -> None:
    """After init: the person the acting account is, from ``--me`` or asked in a terminal;
    an account left unlinked is told how to link it later (invites need an organizer)."""
    from docket.models.accounts.users import link_later, link_me
    from docket.models.people.directory import person_for_account

    account = session.ctx.actor
    if me is not None:
        linked = link_me(session.ctx, me)
    elif person_for_account(account) is not None:
        return
    else:
        in_terminal = sys.stdin is not None and sys.stdin.isatty()
        found = _ask_who(session) if in_terminal else None
        if found is None:
            session.print(
                f"your account {account} stands for nobody yet, and invites need an "
                f"organizer with an e-mail; say who you are with: {link_later(account)}"
            )
            return
        linked = found
    added = ", added to the people" if linked.added else ""
    session.print(f"you ({account}) are {clean(linked.said())}{added}")


def _ask_who(session: Session) -> Linked | None:
    """Ask at the terminal who the acting account is, until an answer links it or is
    empty (Enter, or the end of input)."""
    from docket.models.accounts.users import link_me
    from docket.models.core.errors import NotFoundError, ValidationError

    while True:
        session.err.write("Who are you? 'Name <email>', for the invites you send (Enter skips): ")
        session.err.flush()
        answer = sys.stdin.readline().strip()
        if not answer:
            return None
        try:
            return link_me(session.ctx, answer)
        except (ValidationError, NotFoundError) as exc:
            session.err.write(f"docket: {exc}\n")


def _init_shared(session: Session, shared: str | None, group: str | None) -> None:
    """``init --shared DIR --group GROUP``: a database for a group, and the system config."""
    from docket.models.accounts.shared import DIR_MODE, init_shared
    from docket.models.core.config import system_config_path

    if not (shared and group):
        raise UsageError("init: --shared DIR and --group GROUP go together")
    if session.database_option:
        raise UsageError("init: --shared makes its own database in DIR; leave out --db")
    made = init_shared(Path(shared), group, actor=session.ctx.actor, config=system_config_path())
    db = made.directory / "docket.db"
    if made.init.created:
        session.print(f"created {db} (you, {session.ctx.actor}, are its admin)")
    else:
        session.print(f"{db} is up to date")
    session.print(
        f"shared with group {made.group}: {made.directory} is setgid, mode "
        f"{DIR_MODE:o}; the database files are group-writable"
    )
    if made.config_written:
        session.print(f"{made.config} points every account at it")
    else:
        session.err.write(
            f"docket: could not write {made.config} (permission denied); as root, put "
            f"this in it so every account finds the database:\n{made.config_text}"
        )


@command("demo")
@click.option(
    "--size", type=click.Choice(("small", "large", "xl")), default="small", show_default=True
)
@click.option(
    "--seed",
    type=a_number("seed", 0, 2**32 - 1),
    default=1,
    show_default=True,
    help="the same seed gives the same data",
)
@pass_session_without_database
def demo(session: Session, size: str, seed: int) -> None:
    """Fill an empty database with a demo program office."""
    import time

    from docket.models.core.database import init_database
    from docket.models.demo.builder import build_demo

    path = session.database_target()
    init_database(path, actor=session.ctx.actor)
    started = time.perf_counter()
    counts = build_demo(session.ctx, size=size, seed=seed)
    elapsed = time.perf_counter() - started
    summary = ", ".join(f"{n:,} {name}" for name, n in counts.items())
    session.print(f"{path}: {size} demo in {elapsed:.1f} s: {summary}")


@command("backup")
@click.argument("file", metavar="FILE")
@force_option
@pass_session
def backup(session: Session, file: str, force: bool) -> None:
    """Copy the database to FILE, safely while others work.

    From PostgreSQL: a portable SQLite copy, every table checked as 'docket migrate' checks.
    """
    from docket.models.core.database import backup_file

    where = session.database_target()
    if isinstance(where, str):
        _backup_postgres(session, where, Path(file), force)
        return
    target = backup_file(Path(file), force=force)
    session.print(f"backed up {where} to {target}")


def _backup_postgres(session: Session, url: str, file: Path, force: bool) -> None:
    """``docket backup`` on PostgreSQL: each table's rows and SHA-256 on both sides, printed."""
    from docket.models.core.engine import shown_url
    from docket.models.core.migrate import backup_sqlite
    from docket.tui.cli.migrate import print_tables

    done = backup_sqlite(file, force=force)
    print_tables(session, done.tables)
    session.print(
        f"backed up {shown_url(url)} to {file.expanduser()}: {len(done.tables)} tables, "
        f"{done.rows:,} rows, verified, in {done.seconds:.1f} s (an SQLite file)"
    )
