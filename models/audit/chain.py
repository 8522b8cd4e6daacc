"""The audit log as a hash chain, and what it says every record should hold now.

Every audit entry is written by :func:`append` (one change by :mod:`docket.models.core.records`,
many at once by the demo builder and the schema upgrade). Each entry carries the SHA-256 of
its own fields and of the previous entry's hash, so an entry changed, inserted or removed
with another tool no longer matches the chain (:func:`chain_breaks`). Replaying a record's
entries gives the values it should hold; a record whose row differs, that has no entries,
or that vanished without a ``delete`` was changed outside docket (:func:`unexplained`).

This detects tampering, it does not prevent it: anyone who can write the file can also
recompute every hash after a forgery. So each writer keeps the head its write left, where
only it can write (:mod:`docket.models.audit.witness`), and ``docket check`` finds the past
rewritten when a witnessed entry no longer has its hash.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from json.encoder import encode_basestring
from typing import Any, NamedTuple

import peewee
from peewee import Field, Model

from docket.models.audit import witness
from docket.models.core import engine
from docket.models.core.fields import MoneyField, UTCDateTimeField, to_utc_text
from docket.models.core.schema import Record, database

# the chain's start: the "previous hash" of the first entry
GENESIS = ""
# columns every record has that the audit log does not follow
UNAUDITED = frozenset({"id", "created_at", "updated_at", "version"})
_COLUMNS = ("id", "at", "actor", "entity", "entity_id", "action", "changes", "note", "hash")
_INSERT = 'INSERT INTO "audit_entry" ({}) VALUES ({})'.format(
    ", ".join(f'"{c}"' for c in _COLUMNS), ", ".join("?" for _ in _COLUMNS)
)
_MISSING = object()


class NewEntry(NamedTuple):
    """An audit entry to write, its values as stored (``at`` as UTC text, ``changes`` as
    the JSON object ``{"field": [old, new]}``). A named tuple: a bulk import makes a million."""

    at: str
    actor: str
    entity: str
    entity_id: int
    action: str  # create, update or delete
    changes: str
    note: str = ""


def plain(value: Any) -> Any:
    """A JSON-safe form of a column value, as the audit log keeps it: date-times as UTC
    text, days as ISO text, money as decimal text, related records as ids."""
    if isinstance(value, datetime):
        return to_utc_text(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Record):
        return value.id
    return value


def changes_text(changes: dict[str, Any]) -> str:
    """The stored JSON of ``{"field": [old, new]}``."""
    return json.dumps(changes, sort_keys=True, ensure_ascii=False)


def _json_value(value: Any) -> str:
    if isinstance(value, str):
        return encode_basestring(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return int.__repr__(value)
    return json.dumps(value, ensure_ascii=False)


def creation_texts(names: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """What :func:`changes_text` gives for the creation of each row, ``{"field": [null,
    value]}`` without the empty values, for rows of plain values in the order of ``names``
    (sorted); several times faster, for bulk loads."""
    starts = [f"{encode_basestring(name)}: [null, " for name in names]
    for row in rows:
        parts = []
        for start, value in zip(starts, row, strict=True):
            if value is None or value == "":
                continue
            if value.__class__ is str:
                parts.append(f"{start}{encode_basestring(value)}]")
            elif value.__class__ is int:
                parts.append(f"{start}{value}]")
            else:
                parts.append(f"{start}{_json_value(value)}]")
        yield "{" + ", ".join(parts) + "}"


def entry_hash(
    previous: str,
    ident: int,
    at: str,
    actor: str,
    entity: str,
    entity_id: int,
    action: str,
    changes: str,
    note: str,
) -> str:
    """The SHA-256 (hex) of one entry: the previous entry's hash and this entry's stored
    fields, in this order, each written as ``<length>:<text>,`` (one text for any values:
    no field's content can pass for another's), encoded as UTF-8."""
    i, e = str(ident), str(entity_id)
    text = (
        f"{len(previous)}:{previous},{len(i)}:{i},{len(at)}:{at},{len(actor)}:{actor},"
        f"{len(entity)}:{entity},{len(e)}:{e},{len(action)}:{action},"
        f"{len(changes)}:{changes},{len(note)}:{note},"
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def head() -> tuple[int, str]:
    """The chain's last entry: its id and hash (0 and :data:`GENESIS` when empty)."""
    row = database.execute_sql(
        'SELECT "id", "hash" FROM "audit_entry" ORDER BY "id" DESC LIMIT 1'
    ).fetchone()
    return (0, GENESIS) if row is None else (int(row[0]), str(row[1]))


def append(entries: Iterable[NewEntry]) -> int:
    """Write entries at the end of the chain; how many. Call inside a write transaction:
    under its ``BEGIN IMMEDIATE`` lock the chain's head cannot move before the entries land.
    The entries are hashed as they are written (a bulk load never holds them all twice)."""
    last, previous = head()
    count, at = 0, ""

    def rows() -> Iterator[tuple[Any, ...]]:
        nonlocal last, previous, count, at
        for e in entries:
            last += 1
            count += 1
            at = e.at
            previous = entry_hash(
                previous, last, e.at, e.actor, e.entity, e.entity_id, e.action, e.changes, e.note
            )
            yield (
                last,
                e.at,
                e.actor,
                e.entity,
                e.entity_id,
                e.action,
                e.changes,
                e.note,
                previous,
            )

    engine.executemany(_INSERT, rows())
    if count:
        # the writer keeps the new head as its witness once the transaction commits
        witness.appended(last, previous, at)
    return count


def rechain() -> None:
    """Compute every entry's hash afresh, in id order (the upgrade to schema version 7)."""
    previous = GENESIS
    hashes = []
    cursor = database.execute_sql(
        'SELECT "id", "at", "actor", "entity", "entity_id", "action", "changes", "note"'
        ' FROM "audit_entry" ORDER BY "id"'
    )
    for ident, at, actor, entity, entity_id, action, changes, note in cursor:
        previous = entry_hash(previous, ident, at, actor, entity, entity_id, action, changes, note)
        hashes.append((previous, ident))
    engine.executemany('UPDATE "audit_entry" SET "hash" = ? WHERE "id" = ?', hashes)


@dataclass(frozen=True)
class ChainBreak:
    """The first entry that does not follow from the one before it."""

    entry_id: int
    actor: str
    entity: str
    entity_id: int
    action: str
    after: int  # the id of the entry before it in the file (0: none)


def chain_breaks() -> tuple[list[ChainBreak], int, tuple[int, str]]:
    """Every entry whose hash is not what its fields and the previous hash give; how many
    entries there are; the chain's head. After a break the check goes on from the stored
    hash, so one forged entry is one break, not all that follow."""
    breaks: list[ChainBreak] = []
    previous, last, count = GENESIS, 0, 0
    cursor = database.execute_sql(
        'SELECT "id", "at", "actor", "entity", "entity_id", "action", "changes", "note", "hash"'
        ' FROM "audit_entry" ORDER BY "id"'
    )
    for ident, at, actor, entity, entity_id, action, changes, note, stored in cursor:
        count += 1
        expected = entry_hash(previous, ident, at, actor, entity, entity_id, action, changes, note)
        if stored != expected:
            breaks.append(ChainBreak(ident, actor, entity, entity_id, action, last))
        previous, last = stored, ident
    return breaks, count, (last, previous)


@dataclass(frozen=True)
class Finding:
    """What the trail says each record holds: a record it does not explain.

    ``kind``: ``untracked`` (no entries), ``deleted`` (exists, the trail ends in its
    deletion), ``vanished`` (gone, the trail does not end in a deletion), ``changed`` (a
    field differs from what the trail last set; ``field``, ``current``, ``expected``).
    """

    entity: str
    entity_id: int
    kind: str
    last_entry: int | None = None
    field: str | None = None
    current: Any = None
    expected: Any = None
    values: dict[str, Any] | None = None  # the row as plain values (for a record that exists)


@dataclass(frozen=True)
class Unreadable:
    """A row (or a table) the models cannot read: what a command would trip on."""

    table: str
    row_id: int | None
    column: str | None
    error: str


def audited_models() -> list[type[Record]]:
    """Every kind of record the audit log follows."""
    return [m for m in _all_models() if issubclass(m, Record)]


def _all_models() -> list[type[Model]]:
    """Every table's model, imported when asked (by a check, not by every write)."""
    from docket.models.core.tables import TABLES

    return list(TABLES)


def _same(field: Field, current: Any, expected: Any) -> bool:
    """Whether a stored value is the one the log recorded (money as ``12.5`` or ``12.50``)."""
    if current == expected:
        return True
    if current is None or expected is None:
        return False
    try:
        stored = field.db_value(expected)
        return bool(plain(field.python_value(stored)) == current)
    except (TypeError, ValueError, ArithmeticError):
        return False


def _default(field: Field) -> Any:
    return None if callable(field.default) else plain(field.default)


def _replay(trail: Sequence[tuple[int, str, str]]) -> tuple[dict[str, Any] | None, bool]:
    """What a trail says the record holds (``None``: it does not exist), and whether the
    trail ends in the record's deletion."""
    state: dict[str, Any] | None = None
    deleted = False
    for _, action, changes in trail:
        try:
            diff = json.loads(changes)
        except ValueError:
            diff = {}
        if action == "delete":
            state, deleted = None, True
            continue
        if action == "create" or state is None:
            state = {}
        deleted = False
        for name, pair in diff.items() if isinstance(diff, dict) else ():
            if isinstance(pair, list) and len(pair) == 2:
                state[name] = pair[1]
    return state, deleted


def _reader(field: Field) -> tuple[type | None, Callable[[Any], Any] | None]:
    """How to tell that the models can read a column: the type of a plain column, or the
    field's own reader (which raises on a value it cannot read)."""
    if isinstance(field, (UTCDateTimeField, peewee.DateField, MoneyField, peewee.BooleanField)):
        return None, field.python_value
    if isinstance(field, (peewee.CharField, peewee.TextField)):
        return str, None
    if isinstance(field, (peewee.IntegerField, peewee.AutoField, peewee.ForeignKeyField)):
        return int, None
    return None, field.python_value


def _read(
    model: type[Model], problems: list[Unreadable]
) -> Iterator[tuple[int, tuple[Any, ...], bool]]:
    """Every row of a table, by id: its id, stored values, and whether the models can read
    it (a row they cannot read is reported); a table that cannot be read is reported once."""
    table = model._meta.table_name
    fields = list(model._meta.sorted_fields)
    readers = [(i, f.name, *_reader(f)) for i, f in enumerate(fields)]
    names = ", ".join(f'"{f.column_name}"' for f in fields)
    key = fields[0].column_name  # the primary key
    try:
        cursor = database.execute_sql(f'SELECT {names} FROM "{table}" ORDER BY "{key}"')
        for row in cursor:
            readable = True
            for i, name, kind, convert in readers:
                value = row[i]
                if value is None:
                    continue
                try:
                    if kind is not None:
                        if not isinstance(value, kind):
                            raise TypeError(f"holds {type(value).__name__}, not {kind.__name__}")
                    elif convert is not None:
                        convert(value)
                except (TypeError, ValueError, ArithmeticError) as exc:
                    problems.append(Unreadable(table, row[0], name, str(exc)))
                    readable = False
                    break
            yield row[0], row, readable
    except (peewee.DatabaseError, sqlite3.Error) as exc:
        problems.append(Unreadable(table, None, None, str(exc)))


def read_all(problems: list[Unreadable]) -> None:
    """Read every row of the tables the audit log does not follow through the models."""
    for model in _all_models():
        if not issubclass(model, Record):
            for _ in _read(model, problems):
                pass


def _trails(entity: str) -> Iterator[tuple[int, list[tuple[int, str, str]]]]:
    """Each record's entries (id, action, changes) in order, by record id."""
    cursor = database.execute_sql(
        'SELECT "entity_id", "id", "action", "changes" FROM "audit_entry" WHERE "entity" = ?'
        ' ORDER BY "entity_id", "id"',
        (entity,),
    )
    current: int | None = None
    trail: list[tuple[int, str, str]] = []
    for entity_id, ident, action, changes in cursor:
        if entity_id != current:
            if current is not None:
                yield current, trail
            current, trail = entity_id, []
        trail.append((ident, action, changes))
    if current is not None:
        yield current, trail


def _current(field: Field, raw: Any) -> Any:
    return None if raw is None else plain(field.python_value(raw))


def _explain(
    model: type[Record],
    audited: list[tuple[int, Field, Any]],
    record_id: int,
    row: tuple[Any, ...] | None,
    trail: list[tuple[int, str, str]],
) -> Iterator[Finding]:
    entity = str(model._meta.table_name)
    state, deleted = _replay(trail)
    last = trail[-1][0] if trail else None
    if row is None:
        if state is not None:
            yield Finding(entity, record_id, "vanished", last)
        return

    def values() -> dict[str, Any]:
        return {field.name: _current(field, row[i]) for i, field, _ in audited}

    if state is None:
        yield Finding(
            entity, record_id, "deleted" if deleted else "untracked", last, values=values()
        )
        return
    for i, field, default in audited:
        raw = row[i]
        expected = state.get(field.name, _MISSING)
        if expected is _MISSING:
            if raw is None or raw == "":
                continue
            current = _current(field, raw)
            if current == default:
                continue
            expected = None
        else:
            if raw == expected:  # most values are stored as the log keeps them
                continue
            current = _current(field, raw)
            if _same(field, current, expected):
                continue
        yield Finding(entity, record_id, "changed", last, field.name, current, expected, values())


def unexplained(problems: list[Unreadable]) -> Iterator[Finding]:
    """Every record its audit trail does not explain, table by table, by id; rows the models
    cannot read go to ``problems`` (and are not explained). Records and entries are read in
    one ordered pass each."""
    for model in audited_models():
        audited = [
            (i, f, _default(f))
            for i, f in enumerate(model._meta.sorted_fields)
            if f.name not in UNAUDITED
        ]
        trails = _trails(str(model._meta.table_name))
        pending = next(trails, None)
        for record_id, row, readable in _read(model, problems):
            while pending is not None and pending[0] < record_id:
                yield from _explain(model, audited, pending[0], None, pending[1])
                pending = next(trails, None)
            trail: list[tuple[int, str, str]] = []
            if pending is not None and pending[0] == record_id:
                trail = pending[1]
                pending = next(trails, None)
            if readable:
                yield from _explain(model, audited, record_id, row, trail)
        while pending is not None:
            yield from _explain(model, audited, pending[0], None, pending[1])
            pending = next(trails, None)


def strays() -> list[tuple[int, str]]:
    """Entries about a kind of record docket does not have (id, entity), first few."""
    known = [str(m._meta.table_name) for m in audited_models()]
    marks = ", ".join("?" for _ in known)
    return [
        (int(i), str(e))
        for i, e in database.execute_sql(
            f'SELECT "id", "entity" FROM "audit_entry" WHERE "entity" NOT IN ({marks})'
            ' ORDER BY "id" LIMIT 20',
            known,
        )
    ]


def baseline(actor: str, at: str, note: str) -> int:
    """Write the entries that make the trail explain every record as it is now; how many.
    The upgrade to schema version 7 runs it once: what the database held before the chain
    began is taken as it was found (nothing can tell, after the fact, how it came to be)."""
    found: dict[tuple[str, int], dict[str, Any]] = {}
    kinds: dict[tuple[str, int], str] = {}
    ignored: list[Unreadable] = []
    for f in unexplained(ignored):
        key = (f.entity, f.entity_id)
        kinds.setdefault(key, f.kind)
        if f.kind == "changed" and f.field is not None:
            found.setdefault(key, {})[f.field] = [f.expected, f.current]
        elif f.kind in ("untracked", "deleted") and f.values is not None:
            found[key] = {n: [None, v] for n, v in f.values.items() if v not in (None, "")}
        else:
            found[key] = {}
    entries = []
    for key, kind in kinds.items():
        action = {"changed": "update", "vanished": "delete"}.get(kind, "create")
        entries.append(NewEntry(at, actor, key[0], key[1], action, changes_text(found[key]), note))
    return append(entries)


__all__ = [
    "GENESIS",
    "ChainBreak",
    "Finding",
    "NewEntry",
    "Unreadable",
    "append",
    "baseline",
    "chain_breaks",
    "changes_text",
    "creation_texts",
    "entry_hash",
    "head",
    "plain",
    "read_all",
    "rechain",
    "strays",
    "unexplained",
]
