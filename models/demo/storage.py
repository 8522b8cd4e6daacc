"""How the demo writes: prepared bulk inserts, and one audit entry per record written.

At the large size, building rows one ``create`` at a time would take minutes, so each
table is written with one prepared statement, values converted by the columns' own fields.
The audit trail still explains every record: after the rows, :func:`audit_created` writes
one ``create`` entry per record, at its creation time by the acting account, chained like
every other entry (``docket check`` finds nothing unexplained, ``docket history`` shows it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from peewee import BooleanField, DateField, Field, Model

from docket.models.audit.chain import UNAUDITED, NewEntry, append, creation_texts
from docket.models.core import engine
from docket.models.core.fields import MoneyField, UTCDateTimeField
from docket.models.core.schema import AuditEntry, Record, UserAccount, database
from docket.models.core.tables import TABLES

# the columns every record ends with: created_at, updated_at and version
STAMP = ("created_at", "updated_at", "version")
# a bulk insert at least this long drops and rebuilds the table's indexes
REBUILD_INDEXES_FROM = 50_000

# one row of values, in the order of the columns it is inserted with
Row = tuple[Any, ...]


def utc_text(value: datetime) -> str:
    """The stored text of an aware instant: what ``fields.to_utc_text`` gives, several times
    faster (``isoformat`` instead of ``strftime``), which matters for 300,000 of them."""
    if value.tzinfo is None:
        raise ValueError("date-times stored by docket must be time zone aware")
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "seconds")


def _stored_by(field: Field) -> Callable[[Any], Any] | None:
    """How a column's Python value becomes its stored value; None when sqlite3 takes it as is."""
    if isinstance(field, UTCDateTimeField):
        return utc_text
    if isinstance(field, MoneyField):
        return field.db_value
    if isinstance(field, DateField):
        return date.isoformat
    return None


def insert(model: type[Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert rows (values in ``columns`` order) with one prepared statement; how many."""
    fields = [model._meta.fields[name] for name in columns]
    typed = [(i, conv) for i, f in enumerate(fields) if (conv := _stored_by(f)) is not None]
    names = ", ".join(f'"{f.column_name}"' for f in fields)
    marks = ", ".join("?" for _ in fields)
    sql = f'INSERT INTO "{model._meta.table_name}" ({names}) VALUES ({marks})'
    stored = []
    for row in rows:
        values = list(row)
        for i, convert in typed:
            if values[i] is not None:
                values[i] = convert(values[i])
        stored.append(values)
    if len(stored) >= REBUILD_INDEXES_FROM:
        with indexes_rebuilt_after(model):
            engine.executemany(sql, stored)
    elif stored:
        engine.executemany(sql, stored)
    return len(stored)


def _created_entries(
    actor: str,
    tables: Sequence[type[Model]] = TABLES,
    after: Mapping[type[Model], int] | None = None,
    notes: Mapping[type[Model], Mapping[int, str]] | None = None,
    earlier: Mapping[type[Model], Mapping[int, Mapping[str, Any]]] | None = None,
) -> Iterator[NewEntry]:
    """The ``create`` entry of every record of ``tables`` but the accounts ``docket init``
    made (only those past ``after``'s id for a table it names), table by table in schema
    order, each table's records in id order; noted "demo data" unless ``notes`` says more.
    ``earlier`` (by table and id: field names and values as the log keeps them) gives a
    record the values it was created with, when later updates brought it to its row's."""
    for model in tables:
        if not issubclass(model, Record) or model is UserAccount:
            continue
        since = (after or {}).get(model, 0)
        noted = (notes or {}).get(model, {})
        was = (earlier or {}).get(model, {})
        fields = sorted(
            (f for f in model._meta.sorted_fields if f.name not in UNAUDITED), key=lambda f: f.name
        )
        columns = ", ".join(
            f'"{c}"' for c in ("id", "created_at", *(f.column_name for f in fields))
        )
        table = model._meta.table_name
        rows = database.execute_sql(
            f'SELECT {columns} FROM "{table}" WHERE "id" > ? ORDER BY "id"', (since,)
        ).fetchall()
        plain = [
            (i + 2, f.python_value)
            for i, f in enumerate(fields)
            if isinstance(f, (MoneyField, BooleanField))
        ]
        if plain:
            rows = [list(row) for row in rows]
            for row in rows:
                for i, convert in plain:
                    if row[i] is not None:
                        value = convert(row[i])
                        row[i] = str(value) if isinstance(value, Decimal) else value
        if was:
            where = {f.name: i + 2 for i, f in enumerate(fields)}
            rows = [list(row) if row[0] in was else row for row in rows]
            for row in rows:
                for name, value in was.get(row[0], {}).items():
                    row[where[name]] = value
        texts = creation_texts([f.name for f in fields], (row[2:] for row in rows))
        for row, changes in zip(rows, texts, strict=True):
            note = noted.get(row[0], "demo data")
            yield NewEntry(row[1], actor, table, row[0], "create", changes, note)


@contextmanager
def indexes_rebuilt_after(model: type[Model]) -> Iterator[None]:
    """Drop the (empty) table's indexes for a bulk load and create them again after, from the
    exact SQL they were made with: building an index once from sorted rows is about twice as
    fast as updating nine of them for every row. Inside the write transaction, so a failure
    leaves the schema as it was."""
    indexes = engine.table_indexes(model._meta.table_name)
    for name, _ in indexes:
        database.execute_sql(f'DROP INDEX "{name}"')
    yield
    for _, sql in indexes:
        database.execute_sql(sql)


def audit_created(actor: str) -> int:
    """One ``create`` entry per demo record, at its creation time, by the acting account,
    its fields as the log keeps them (read back from the rows just written: 170,000 of
    them at the large size, so from plain SQL rows, converting only money and flags)."""
    with indexes_rebuilt_after(AuditEntry):
        return append(_created_entries(actor))


def audit_added(
    actor: str,
    tables: Sequence[type[Model]],
    after: Mapping[type[Model], int],
    notes: Mapping[type[Model], Mapping[int, str]],
) -> int:
    """The ``create`` entries of records added after :func:`audit_created` ran (every
    record of ``tables``, or those past ``after``'s id for a table it names), appended to
    the chain without touching the entries already in it; ``notes`` by table and id for
    entries that say more than "demo data"."""
    return append(_created_entries(actor, tables, after, notes))


def created_entries(
    actor: str, earlier: Mapping[type[Model], Mapping[int, Mapping[str, Any]]]
) -> Iterator[NewEntry]:
    """The ``create`` entry of every demo record, as :func:`audit_created` writes them, each
    record with the values ``earlier`` says it was created with (the demo's past,
    :mod:`~docket.models.demo.history`, then brings it to its row's values)."""
    return _created_entries(actor, earlier=earlier)
