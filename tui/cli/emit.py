"""Lists printed the way every command prints them: a table, JSON or CSV.

A list's columns are declared once, in :mod:`docket.exports.tabular.lists`: their keys are
the CSV's header, their headings and cells the table's. JSON is every fact of each row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from docket.exports.tabular.columns import Column, Listing, cells, headings, keys
from docket.exports.tabular.columns import flexible as shortened
from docket.exports.tabular.tables import write_csv, write_json
from docket.tui.cli.output import table

if TYPE_CHECKING:
    from docket.tui.cli.session import Session


def emit(
    session: Session,
    fmt: str,
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[Column | str],
    headers: Sequence[str] | None = None,
    flexible: int | None = None,
) -> None:
    """Print rows as a table, JSON or CSV.

    ``columns`` are a list's declared columns; plain keys also work (the table then heads
    them with ``headers``, else the keys, and shortens column ``flexible`` when too wide).
    """
    if fmt == "json":
        write_json(list(rows), session.out)
    elif fmt == "csv":
        write_csv(rows, columns, session.out)
    elif not rows:
        session.print("(none)")
    else:
        declared = [c for c in columns if isinstance(c, Column)]
        if len(declared) == len(columns):
            text = declared_table(declared, rows)
        else:
            names = keys(columns)
            found = [[row.get(name) for name in names] for row in rows]
            text = table(headers or names, found, flexible=flexible)
        session.print(text)


def emit_listing(
    session: Session, fmt: str, rows: Sequence[Mapping[str, Any]], listing: Listing
) -> None:
    """Print ``rows`` of ``listing``: its declared columns in a table, every fact of each row
    in JSON and CSV (the list's own keys when there are no rows)."""
    if fmt == "table":
        emit(session, fmt, rows, listing.cli)
    else:
        emit(session, fmt, rows, list(rows[0]) if rows else keys(listing.cli))


def declared_table(columns: Sequence[Column], rows: Sequence[Mapping[str, Any]]) -> str:
    """``rows`` under their declared ``columns``: a table fitted to the terminal."""
    return table(headings(columns), cells(columns, rows), flexible=shortened(columns))


def emit_csv(session: Session, kind: str, found: Sequence[Any]) -> None:
    """Print records as the CSV ``docket import csv KIND`` reads back."""
    from docket.exports.tabular.csv_records import KINDS, table

    write_csv(table(kind, found, session.ctx.today()), KINDS[kind].columns, session.out)
