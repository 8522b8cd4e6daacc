"""Creating many records at once (an import), holding the write lock only to insert them.

:func:`prepare` does the per-record work before the write transaction: the stored values
of every column, defaults included, and the audit entry's changes, exactly what
:func:`docket.models.core.records.create` would write for each. :func:`create_many`, inside the
transaction, gives the records their ids, inserts them with one prepared statement and
chains their audit entries with :func:`docket.models.audit.chain.append`. :func:`update_many`
changes many records read before the transaction as :func:`docket.models.core.records.update`
would, one statement per set of changed columns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from peewee import DateField, Field, ForeignKeyField, Model

from docket.models.accounts.roles import require_writer
from docket.models.audit.chain import UNAUDITED, NewEntry, append, changes_text, creation_texts
from docket.models.audit.chain import plain as audit_plain
from docket.models.core import engine
from docket.models.core.context import Context
from docket.models.core.errors import ConflictError
from docket.models.core.fields import MoneyField, UTCDateTimeField, to_utc_text
from docket.models.core.records import changed_fields, fresh_id
from docket.models.core.schema import Record, database

# values the audit log keeps as they are (audit_plain gives them back unchanged)
_AS_THEY_ARE = frozenset({str, int, bool, type(None)})


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
    # the fixed defaults under what every record is given, made once; a default that is
    # made (callable) is made for each record that has no value of its own
    base = {n: v for n, v in defaults.items() if not callable(v)} | given
    made = [(n, v) for n, v in defaults.items() if callable(v)]
    convert = [(i, c) for i, f in enumerate(fields) if (c := _converter(f)) is not None]
    audited = sorted(name for name in names if name not in UNAUDITED)  # as the JSON sorts them
    rows: list[list[Any]] = []

    def audited_values() -> Iterator[list[Any]]:
        """Each record's row kept, and what the audit log keeps of its audited values
        (most are kept as they are) given, one record at a time."""
        for values in many:
            data = base.copy()
            for name, make in made:
                if name not in values:
                    data[name] = make()
            data.update(values)
            row = list(map(data.get, names))
            for i, to_stored in convert:
                if row[i] is not None:
                    row[i] = to_stored(row[i])
            rows.append(row)
            yield [
                value if value.__class__ in _AS_THEY_ARE else audit_plain(value)
                for value in map(data.get, audited)
            ]

    # the same text records.create writes (before the lock, so its cost is no one's wait)
    changes = list(creation_texts(audited, audited_values()))
    return NewRecords(model, tuple(f.column_name for f in fields), rows, changes)


def create_many(ctx: Context, new: NewRecords, *, audit_note: str = "") -> range:
    """Insert prepared records and audit each as a creation (call inside a write
    transaction); their ids."""
    require_writer(ctx)
    table = str(new.model._meta.table_name)
    first = fresh_id(table)
    names = ", ".join(f'"{c}"' for c in ("id", *new.columns))
    marks = ", ".join("?" for _ in range(len(new.columns) + 1))
    engine.executemany(
        f'INSERT INTO "{table}" ({names}) VALUES ({marks})',
        ([first + i, *row] for i, row in enumerate(new.rows)),
    )
    at = to_utc_text(ctx.now())
    append(
        NewEntry(at, ctx.actor, table, first + i, "create", changes, audit_note)
        for i, changes in enumerate(new.changes)
    )
    return range(first, first + len(new.rows))


@dataclass(frozen=True)
class Updated:
    """What :func:`update_many` did: the ids of the records it changed, and those someone
    else changed since they were read (then nothing was written)."""

    changed: list[int]
    stale: list[int]


def _versions(table: str, ids: list[int]) -> dict[int, int]:
    """The current version of each of these records (absent: deleted)."""
    found: dict[int, int] = {}
    for at in range(0, len(ids), 10_000):  # SQLite's limit on parameters
        chunk = ids[at : at + 10_000]
        marks = ", ".join("?" for _ in chunk)
        cursor = database.execute_sql(
            f'SELECT "id", "version" FROM "{table}" WHERE "id" IN ({marks})', chunk
        )
        found.update((int(i), int(v)) for i, v in cursor)
    return found


def update_many(
    ctx: Context,
    model: type[Record],
    changes: Sequence[tuple[Record, dict[str, Any]]],
    note: str = "",
) -> Updated:
    """Change many records, each read at its version, as
    :func:`docket.models.core.records.update` would one by one (call inside a write
    transaction): the fields that differ written with one statement per set of changed
    columns, the version raised, an ``update`` entry audited for each in the order given;
    a record whose value does not differ is left alone. When any record was changed or
    deleted since it was read, nothing is written and those are returned as stale."""
    require_writer(ctx)
    table = str(model._meta.table_name)
    wanted = [
        (record, values, diff)
        for record, values in changes
        if (diff := changed_fields(record, values))
    ]
    now = ctx.now()
    current = _versions(table, [int(r.id) for r, _, _ in wanted])
    stale = [int(r.id) for r, _, _ in wanted if current.get(int(r.id)) != r.version]
    if stale:
        return Updated([], stale)
    fields = model._meta.fields
    stamp = fields["updated_at"].db_value(now)
    groups: dict[tuple[str, ...], list[list[Any]]] = {}
    for record, values, diff in wanted:
        names = tuple(sorted(diff))
        stored = [fields[n].db_value(values[n]) for n in names]
        groups.setdefault(names, []).append([*stored, stamp, record.id, record.version])
    for names, rows in groups.items():
        sets = ", ".join(f'"{fields[n].column_name}" = ?' for n in names)
        count = engine.executemany(
            f'UPDATE "{table}" SET {sets}, "version" = "version" + 1, "updated_at" = ? '
            'WHERE "id" = ? AND "version" = ?',
            rows,
        )
        if count != len(rows):  # the versions were read under this lock
            raise ConflictError(f"{table.replace('_', ' ')} records changed while written")
    at = to_utc_text(now)
    append(
        NewEntry(at, ctx.actor, table, int(record.id), "update", changes_text(diff), note)
        for record, _, diff in wanted
    )
    return Updated([int(r.id) for r, _, _ in wanted], [])
