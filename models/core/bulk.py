"""Creating many records at once (an import), holding the write lock only to insert them.

:func:`prepare` does the per-record work before the write transaction: the stored values
of every column, defaults included, and the audit entry's changes, exactly what
:func:`docket.models.core.records.create` would write for each. :func:`create_many`, inside the
transaction, gives the records their ids, inserts them with one prepared statement and
chains their audit entries with :func:`docket.models.audit.chain.append`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from peewee import DateField, Field, ForeignKeyField, Model

from docket.models.accounts.roles import require_writer
from docket.models.audit.chain import UNAUDITED, NewEntry, append, changes_text
from docket.models.audit.chain import plain as audit_plain
from docket.models.core.context import Context
from docket.models.core.fields import MoneyField, UTCDateTimeField, to_utc_text
from docket.models.core.schema import Record, database


@dataclass(frozen=True)
class NewRecords:
    """Records of one kind ready to insert: stored values in ``columns`` order (no id yet),
    and each one's audit changes."""

    model: type[Record]
    columns: tuple[str, ...]
    rows: list[list[Any]]
    changes: list[str]


def _converter(field: Field) -> Callable[[Any], Any] | None:
    """How a field's Python value becomes its stored one; None when sqlite3 takes it as is."""
    if isinstance(field, ForeignKeyField):
        return lambda v: v.get_id() if isinstance(v, Model) else v
    if isinstance(field, MoneyField | UTCDateTimeField):
        return field.db_value
    if isinstance(field, DateField):
        return lambda v: v.isoformat() if isinstance(v, date) else v
    return None


def prepare(ctx: Context, model: type[Record], many: Iterable[dict[str, Any]]) -> NewRecords:
    """New records' stored values and audit changes (read only: call before the write)."""
    now = to_utc_text(ctx.now())
    given = {"created_at": now, "updated_at": now, "version": 1}
    fields = [f for f in model._meta.sorted_fields if f.name != "id"]
    names = [f.name for f in fields]
    defaults = {f.name: f.default for f in fields if f.default is not None and f.name not in given}
    convert = [(i, c) for i, f in enumerate(fields) if (c := _converter(f)) is not None]
    audited = sorted(name for name in names if name not in UNAUDITED)  # as the JSON sorts them
    rows: list[list[Any]] = []
    changes: list[str] = []
    for values in many:
        data = {
            name: value() if callable(value) else value
            for name, value in defaults.items()
            if name not in values
        }
        data.update(given)
        data.update(values)
        row = [data.get(name) for name in names]
        for i, to_stored in convert:
            if row[i] is not None:
                row[i] = to_stored(row[i])
        # the same text records.create writes (before the lock, so its cost is no one's wait)
        changes.append(
            changes_text(
                {
                    name: [None, audit_plain(data[name])]
                    for name in audited
                    if data.get(name) not in (None, "")
                }
            )
        )
        rows.append(row)
    return NewRecords(model, tuple(f.column_name for f in fields), rows, changes)


def create_many(ctx: Context, new: NewRecords, *, audit_note: str = "") -> range:
    """Insert prepared records and audit each as a creation (call inside a write
    transaction); their ids."""
    require_writer(ctx)
    table = str(new.model._meta.table_name)
    (last,) = database.execute_sql(f'SELECT coalesce(max("id"), 0) FROM "{table}"').fetchone()
    first = int(last) + 1
    names = ", ".join(f'"{c}"' for c in ("id", *new.columns))
    marks = ", ".join("?" for _ in range(len(new.columns) + 1))
    database.connection().executemany(
        f'INSERT INTO "{table}" ({names}) VALUES ({marks})',
        ([first + i, *row] for i, row in enumerate(new.rows)),
    )
    at = to_utc_text(ctx.now())
    append(
        NewEntry(at, ctx.actor, table, first + i, "create", changes, audit_note)
        for i, changes in enumerate(new.changes)
    )
    return range(first, first + len(new.rows))
