"""``docket migrate --to URL``: move the office's SQLite database to PostgreSQL.

The rules live in :mod:`docket.models.core.migrate`; this command runs it on the database
the command line works on and prints each table's check.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from docket.tui.cli.groups import command
from docket.tui.cli.params import UsageError
from docket.tui.cli.session import Session, pass_session_without_database

if TYPE_CHECKING:
    from docket.models.core.migrate import TableCheck


@command("migrate")
@click.option(
    "--to",
    "url",
    metavar="URL",
    required=True,
    help="the empty PostgreSQL database to copy into: postgresql://[user@]host/dbname",
)
@pass_session_without_database
def migrate(session: Session, url: str) -> None:
    """Copy this SQLite database into an empty PostgreSQL database, and verify it.

    Every table, the audit log included, ids kept, in one transaction; then each table's
    rows and a SHA-256 of them, compared on both sides.
    """
    from docket.models.core.engine import is_url, shown_url
    from docket.models.core.migrate import migrate as copy

    if not is_url(url):
        raise UsageError(f"migrate: --to: expected a postgresql:// URL, got {url!r}")
    source = session.database_path()
    done = copy(source, url)
    print_tables(session, done.tables)
    session.print(
        f"copied {source} to {shown_url(url)}: {len(done.tables)} tables, {done.rows:,} rows,"
        f" verified, in {done.seconds:.1f} s"
    )


def print_tables(session: Session, tables: Sequence[TableCheck]) -> None:
    """Each table copied: its rows and the start of its SHA-256, and whether both sides
    agree (``docket migrate`` and ``docket backup`` on PostgreSQL)."""
    width = max(len(t.table) for t in tables)
    session.print(f"{'table':<{width}}  {'rows':>9}  {'sha256':<16}  same on both")
    for t in tables:
        mark = "yes" if t.same else "NO"
        session.print(f"{t.table:<{width}}  {t.target_rows:>9,}  {t.target_sha256[:16]}  {mark}")
