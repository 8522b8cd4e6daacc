"""Reports as of a past date: the database as it was then, rebuilt from the audit log.

Interface (for every report; the command line's ``--as-of DATE`` and the board pack)::

    from docket.models.audit.as_of import as_of, stamp_for, stamp_line

    with as_of(day, tz) as past:          # day: a date (its end, 23:59:59 in tz) or an
        ctx_then = past.context(ctx)      #   aware datetime (that instant); ctx_then's
        ...read as usual...               #   "now" is past.now, so "today" is that day
    # past.cutoff (aware UTC), past.now (the cutoff, or now when that is earlier: as of
    # today is now), past.entry_id and past.entry_at (the last entry kept; 0 and None
    # when the cutoff is before the first entry), past.empty

    stamp = stamp_for(content)            # ReportStamp {entry_id, entry_at, sha256}
    line = stamp_line(stamp)              # "Stamp: audit entry 1234 of ... UTC; content sha256 ..."

While bound, ``database`` (models/core/schema.py) is an in-memory SQLite copy of the open
database (migrate.copy_present: SQLite's backup API; from PostgreSQL the copy ``docket
backup`` makes, so both engines give the same past) in which every audit entry later than the
cutoff was undone, newest first: a creation removes the row, an update puts the old values
back, a deletion puts the row back with its last values; ``created_at``, ``updated_at`` and
``version`` are what they were then (from the entries kept), and the entries undone are gone
from the copy's log. The copy refuses writes (:class:`PastIsReadOnly`). On leaving, the
database bound before is bound again. A day after today is refused (a date that cannot be
true); a cutoff before the first entry gives an empty office (``past.empty``).

Each record's entries after the cutoff are undone together: its state at the cutoff is
worked out in Python, then its row deleted and, when it existed then, inserted as it was
(foreign keys are not enforced while the copy is rebuilt, so the order of records does not
matter, and no unique value collides with one it held later).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, tzinfo
from decimal import Decimal
from typing import Any

import peewee

from docket.models.audit.chain import UNAUDITED, audited_models
from docket.models.audit.past_indexes import full_text_indexes, remove_rows
from docket.models.audit.stamp import ReportStamp, last_entry, stamp_for, stamp_line
from docket.models.core.clock import utcnow
from docket.models.core.context import Context
from docket.models.core.errors import DocketError, NotFoundError, ValidationError
from docket.models.core.fields import MoneyField, from_utc_text, to_cents, to_utc_text
from docket.models.core.migrate import copy_present
from docket.models.core.schema import Record, database

# the field a refusal names (the command line's option)
FIELD = "--as-of"


class PastIsReadOnly(DocketError):
    """A write attempted while a past state is bound."""


def cutoff(day: date, tz: tzinfo) -> datetime:
    """The end of ``day`` in the zone ``tz`` (its last second, 23:59:59), as aware UTC."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=tz).astimezone(UTC)


def _instant(when: date | datetime, tz: tzinfo | None, now: datetime) -> datetime:
    """The cutoff of ``when``, refusing one after ``now`` (a day after today in ``tz``)."""
    if isinstance(when, datetime):
        if when.tzinfo is None:
            raise ValueError("as_of needs an aware datetime")
        instant = when.astimezone(UTC).replace(microsecond=0)
        if instant > now:
            raise ValidationError(
                FIELD, f"expected an instant no later than now, got {to_utc_text(instant)} UTC"
            )
        return instant
    zone = tz or UTC
    today = now.astimezone(zone).date()
    if when > today:
        raise ValidationError(
            FIELD,
            f"expected a day no later than today ({today.isoformat()}), got {when.isoformat()}:"
            " a date that cannot be true is refused",
        )
    return cutoff(when, zone)


@dataclass(frozen=True)
class Past:
    """The past state bound by :func:`as_of`: its cutoff and the last audit entry kept."""

    cutoff: datetime
    now: datetime  # "now" then: the cutoff, or now itself when the cutoff is later today
    entry_id: int
    entry_at: str | None
    undone: int  # how many entries were undone

    @property
    def empty(self) -> bool:
        """The cutoff is before the first audit entry: nothing existed yet."""
        return self.entry_id == 0

    def context(self, ctx: Context) -> Context:
        """``ctx`` with its clock fixed at :attr:`now` ("today" is the as-of day)."""
        instant = self.now
        return ctx._replace(clock=lambda: instant)


class PastDatabase(peewee.SqliteDatabase):
    """The in-memory copy of a past state: it reads, and refuses every write. It knows the
    database it was copied from (``present``) and the user's zone, to say when a record
    it lacks was created (:func:`not_yet`)."""

    label = "the past"
    present: peewee.Database | None = None
    zone: tzinfo = UTC
    cutoff: str = ""  # UTC text

    def refusal(self) -> PastIsReadOnly:
        return PastIsReadOnly(
            f"the database as of {self.label} is rebuilt from the audit log for reading;"
            " nothing can be written to it (leave out --as-of to make changes)"
        )

    def begin(self, lock_type: str | None = None) -> None:
        if (lock_type or "").upper() in ("IMMEDIATE", "EXCLUSIVE"):  # a write transaction
            raise self.refusal()
        super().begin(lock_type)

    def execute_sql(self, sql: str, params: Any = None) -> Any:
        try:
            return super().execute_sql(sql, params)
        except peewee.OperationalError as exc:
            if "readonly" in str(exc):
                raise self.refusal() from exc
            raise


def _to_db(field: peewee.Field, value: Any) -> Any:
    """A value as the audit log keeps it (plain) back into its stored form."""
    if value is None:
        return None
    if isinstance(field, MoneyField):
        return to_cents(Decimal(str(value)))
    if isinstance(field, peewee.BooleanField):
        return int(bool(value))
    return value


def _missing(field: peewee.Field) -> Any:
    """What a column held when the log left it out (it leaves out empty values)."""
    if field.null:
        return None
    if isinstance(field, (peewee.CharField, peewee.TextField)):
        return ""
    default = field.default
    return None if default is None or callable(default) else field.db_value(default)


class _Table:
    """One kind of record: its columns, and its fields by name, for rebuilding rows."""

    def __init__(self, model: type[Record]) -> None:
        self.name = str(model._meta.table_name)
        self.fields = list(model._meta.sorted_fields)
        self.columns = [f.column_name for f in self.fields]
        self.by_name = {f.name: f for f in self.fields}
        self.audited = [f for f in self.fields if f.name not in UNAUDITED]
        names = ", ".join(f'"{c}"' for c in self.columns)
        self.select = f'SELECT {names} FROM "{self.name}" WHERE "id" = ?'
        marks = ", ".join("?" for _ in self.columns)
        self.insert = f'INSERT INTO "{self.name}" ({names}) VALUES ({marks})'

    def snapshot(self, changes: str, side: int) -> dict[str, Any]:
        """The stored values an entry's changes give (``side`` 0: old, 1: new), by column;
        audited columns the entry leaves out hold their empty value."""
        diff = json.loads(changes)
        values = {f.column_name: _missing(f) for f in self.audited}
        for name, pair in diff.items():
            field = self.by_name.get(name)
            if field is not None and field.name not in UNAUDITED:
                values[field.column_name] = _to_db(field, pair[side])
        return values


Entry = tuple[str, int, int, str, str, str]  # entity, entity_id, id, action, changes, at


def _kept_trail(conn: Any, entity: str, entity_id: int, cut: str) -> list[tuple[str, str]]:
    return list(
        conn.execute(
            'SELECT "action", "at" FROM "audit_entry" WHERE "entity" = ? AND "entity_id" = ?'
            ' AND "at" <= ? ORDER BY "at", "id"',
            (entity, entity_id, cut),
        )
    )


def _lifetime(trail: list[tuple[str, str]]) -> tuple[str | None, str | None, int]:
    """From a record's kept entries: when its last life began, its last change, and its
    version then (creations and updates since it was last created)."""
    created: str | None = None
    updated: str | None = None
    version = 0
    for action, at in trail:
        if action == "delete":
            created, updated, version = None, None, 0
            continue
        if action == "create":
            created, version = at, 0
        updated = at
        version += 1
    return created, updated, version


def _undo_record(
    conn: Any, table: _Table, entity_id: int, undone: list[Entry], cut: str
) -> tuple[bool, list[Any] | None]:
    """Undo one record's entries (oldest first in ``undone``): whether its row exists now
    (or may: it is then deleted), and the row it held at the cutoff (None: none)."""
    current = conn.execute(table.select, (entity_id,)).fetchone()
    exists = current is not None
    state: dict[str, Any] | None = (
        dict(zip(table.columns, current, strict=True)) if exists else None
    )
    same_life = True  # the row now is the one the cutoff saw
    for _, _, _, action, changes, _ in reversed(undone):
        if action == "create":
            state, same_life = None, False
        elif action == "delete":
            state, same_life = table.snapshot(changes, 0), False
        elif state is not None:
            for name, pair in json.loads(changes).items():
                field = table.by_name.get(name)
                if field is not None and field.name not in UNAUDITED:
                    state[field.column_name] = _to_db(field, pair[0])
    if state is None:
        return exists, None
    created, updated, version = _lifetime(_kept_trail(conn, table.name, entity_id, cut))
    state["id"] = entity_id
    if same_life and current is not None:
        undone_updates = sum(1 for e in undone if e[3] == "update")
        state["version"] = max(1, int(state["version"]) - undone_updates)
    else:
        state["version"] = max(1, version)
        state["created_at"] = created or state.get("created_at") or updated
    state["updated_at"] = updated or state.get("updated_at") or state["created_at"]
    return exists, [state[c] for c in table.columns]


def not_yet(model: type[Record], field: peewee.Field, value: Any) -> NotFoundError | None:
    """While a past state is bound: the refusal for a ``model`` record whose ``field`` is
    ``value`` that was created after the cutoff (it exists in the database now):
    ``program: EVIL did not exist on 2026-11-23 (created 2026-11-24)``, naming it by its
    stored value. None when no past state is bound or no such record was created later
    (then the caller's usual "no such record" stands)."""
    past = database.obj
    if not isinstance(past, PastDatabase) or past.present is None:
        return None
    table, column = model._meta.table_name, field.column_name
    row = past.present.execute_sql(
        f'SELECT "{column}", "created_at" FROM "{table}" WHERE "{column}" = ?'
        ' ORDER BY "created_at" DESC LIMIT 1',
        (field.db_value(value),),
    ).fetchone()
    if row is None or str(row[1]) <= past.cutoff:
        return None
    created = from_utc_text(str(row[1])).astimezone(past.zone).date().isoformat()
    name = str(table).replace("_", " ")
    return NotFoundError(f"{name}: {row[0]} did not exist on {past.label} (created {created})")


_SOME = '"id" IN (SELECT "id" FROM temp."_some")'


def _some(conn: Any, ids: list[tuple[int]]) -> None:
    """Fill the temporary list of ids that :data:`_SOME` selects."""
    conn.execute('DELETE FROM temp."_some"')
    conn.executemany('INSERT INTO temp."_some" ("id") VALUES (?)', ids)


# the entries after the cutoff are read through the index by time ("audit_entry_at") and
# sorted when they are at most this share of the log; else SQLite's own plan (the log in
# record order, no sort) is quicker. Measured (ms, SQLite's plan against the index): large
# demo, 7% of the log 40 against 18, 16% 71/57, 29% 83/119; xl demo, 8% 313/276, 12%
# 426/427, 14% 445/637, all of it 4335/5828.
INDEX_SHARE = 0.1
_BY_TIME = "audit_entry_at"


def _plan(conn: Any, cut: str) -> str:
    """How to read the entries after ``cut``: ``INDEXED BY`` the index by time when they
    are few, else nothing (SQLite's choice). They are counted through that index, up to
    the share only (the log only grows, so its highest id stands for its length)."""
    if not conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?", (_BY_TIME,)
    ).fetchone():
        return ""
    most = int(
        (conn.execute('SELECT max("id") FROM "audit_entry"').fetchone()[0] or 0) * INDEX_SHARE
    )
    after = conn.execute(
        'SELECT count(*) FROM (SELECT 1 FROM "audit_entry" WHERE "at" > ? LIMIT ?)',
        (cut, most + 1),
    ).fetchone()[0]
    return f'INDEXED BY "{_BY_TIME}"' if after <= most else ""


def _rebuild(conn: Any, cut: str) -> int:
    """Undo, in the copy behind ``conn``, every entry after ``cut``; how many."""
    tables = {t.name: t for t in (_Table(m) for m in audited_models())}
    # each record's first entry after the cutoff: created after it, the record goes; else
    # its entries are read (with their changes, which most records never need) and undone
    firsts = conn.execute(
        'SELECT "entity", "entity_id", "action" FROM "audit_entry"'
        f' {_plan(conn, cut)} WHERE "at" > ? ORDER BY "entity", "entity_id", "at", "id"',
        (cut,),
    ).fetchall()
    gone: dict[str, list[tuple[int]]] = {}
    inserts: dict[str, list[list[Any]]] = {}
    previous: tuple[str, int] | None = None
    for entity, entity_id, action in firsts:
        if (entity, entity_id) == previous:
            continue
        previous = (entity, entity_id)
        table = tables.get(entity)
        if table is None:  # an entry about no table docket has: nothing to undo
            continue
        if action == "create":
            gone.setdefault(entity, []).append((entity_id,))
            continue
        undone: list[Entry] = conn.execute(
            'SELECT "entity", "entity_id", "id", "action", "changes", "at" FROM "audit_entry"'
            ' WHERE "entity" = ? AND "entity_id" = ? AND "at" > ? ORDER BY "at", "id"',
            (entity, entity_id, cut),
        ).fetchall()
        exists, row = _undo_record(conn, table, entity_id, undone, cut)
        if exists:
            gone.setdefault(entity, []).append((entity_id,))
        if row is not None:
            inserts.setdefault(entity, []).append(row)
    indexes = full_text_indexes(conn)
    # every row is put back as the log says it was: no trigger is to add to that (those that
    # keep the full-text indexes in step are done here, a set of rows at a time)
    triggers = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
    for name, _ in triggers:
        conn.execute(f'DROP TRIGGER "{name}"')
    conn.execute('CREATE TEMP TABLE "_some" ("id" INTEGER PRIMARY KEY)')
    for entity, ids in gone.items():
        _some(conn, ids)
        remove_rows(conn, entity, _SOME, (), len(ids), indexes.get(entity, []))
    for entity, rows in inserts.items():
        conn.executemany(tables[entity].insert, rows)
        if entity in indexes:
            _some(conn, [(row[0],) for row in rows])
            for index in indexes[entity]:
                index.learn(conn, _SOME)
    conn.execute('DROP TABLE temp."_some"')
    for _, sql in triggers:
        conn.execute(sql)
    remove_rows(conn, "audit_entry", '"at" > ?', (cut,), len(firsts), [])
    return len(firsts)


@contextmanager
def as_of(
    when: date | datetime, tz: tzinfo | None = None, *, now: datetime | None = None
) -> Iterator[Past]:
    """Bind ``database`` to the open database as it was at the end of the day ``when`` in
    ``tz`` (or at the aware instant ``when``), read-only; bind the real one again on exit.
    ``now`` (default: the clock) is what a date may not be after."""
    now = now or utcnow()
    instant = _instant(when, tz, now)
    real = database.obj
    if real is None:
        raise DocketError("no database is open")
    if isinstance(real, PastDatabase):
        raise DocketError("a past state is already bound; leave it before binding another")
    past_db = PastDatabase(":memory:")
    past_db.label = when.isoformat() if not isinstance(when, datetime) else to_utc_text(instant)
    past_db.present, past_db.zone, past_db.cutoff = real, tz or UTC, to_utc_text(instant)
    try:
        conn = past_db.connection()
        copy_present(conn)
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("BEGIN")
        undone = _rebuild(conn, to_utc_text(instant))
        conn.execute("COMMIT")
        conn.execute("PRAGMA query_only = ON")
    except BaseException:
        past_db.close()
        raise
    database.initialize(past_db)
    try:
        entry_id, entry_at = last_entry()
        yield Past(instant, min(instant, now), entry_id, entry_at, undone)
    finally:
        database.initialize(real)
        past_db.close()


__all__ = [
    "FIELD",
    "Past",
    "PastDatabase",
    "PastIsReadOnly",
    "ReportStamp",
    "as_of",
    "cutoff",
    "not_yet",
    "stamp_for",
    "stamp_line",
]
