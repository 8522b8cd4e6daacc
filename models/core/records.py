"""Writing records: the version check and the audit entry that every write carries.

Domain operations validate their input, then call :func:`create`, :func:`update` or
:func:`delete` inside :func:`docket.models.core.database.write`. An update names the version it
read; ``UPDATE ... WHERE id = ? AND version = ?`` touching no row means someone changed the
record since, which is a :class:`ConflictError` naming who and when.

The audit chain (:mod:`docket.models.audit.chain`) is imported by the writes alone: a command
that only reads never loads it (every command's start-up counts, issue 22).
"""

from __future__ import annotations

from typing import Any, TypeVar

import peewee

from docket.models.accounts.roles import require_writer
from docket.models.core import engine
from docket.models.core.context import Context
from docket.models.core.errors import ConflictError, DocketError, NotFoundError
from docket.models.core.fields import to_utc_text
from docket.models.core.inputs import MAX_INTEGER
from docket.models.core.schema import AuditEntry, Record, database

R = TypeVar("R", bound=Record)


def entity_name(model: type[Record]) -> str:
    """The name of a model's entity as the audit log and messages use it."""
    return str(model._meta.table_name)


def fresh_id(table: str) -> int:
    """The id a new record of ``table`` gets: one past the largest the table holds and the
    largest its audit log names, so no id is ever given twice. (SQLite alone would give a
    deleted newest record's id again, and the audit log, ``docket history`` with it, would
    then tell two records' stories as one; PostgreSQL's sequence never goes back.)"""
    row = database.execute_sql(
        f'SELECT coalesce((SELECT max("id") FROM "{table}"), 0),'
        ' coalesce((SELECT max("entity_id") FROM "audit_entry" WHERE "entity" = ?), 0)',
        (table,),
    ).fetchone()
    return max(int(row[0]), int(row[1])) + 1


def _stored(record: Record, name: str) -> Any:
    """A column's current value without loading a related record (foreign keys as ids)."""
    return record.__data__.get(name)


def _audit(
    ctx: Context, entity: str, entity_id: int, action: str, changes: dict[str, Any], note: str
) -> None:
    """Write one audit entry, chained to the last (every entry goes through ``append``)."""
    from docket.models.audit.chain import NewEntry, append, changes_text

    append(
        [
            NewEntry(
                to_utc_text(ctx.now()),
                ctx.actor,
                entity,
                entity_id,
                action,
                changes_text(changes),
                note,
            )
        ]
    )


def get(model: type[R], record_id: int) -> R:
    """The record with this id, or a :class:`NotFoundError` naming the entity (an id past
    what SQLite stores names nothing, and is never sent to it)."""
    fits = 1 <= record_id <= MAX_INTEGER
    record = model.get_or_none(model.id == record_id) if fits else None
    if record is None:
        raise NotFoundError(f"no {entity_name(model).replace('_', ' ')} with id {record_id}")
    return record


def get_current(model: type[R], record_id: int, version: int | None) -> R:
    """The record to change (call inside a write transaction), refused with a
    :class:`ConflictError` when someone saved it after the caller read ``version``;
    ``None`` skips the check (the command line reads and writes in one go)."""
    record = get(model, record_id)
    if version is not None and version != record.version:
        raise conflict(model, record_id)
    return record


def create(ctx: Context, model: type[R], *, audit_note: str = "", **values: Any) -> R:
    """Insert a record and audit it (call inside a write transaction). ``audit_note`` goes
    with the audit entry; ``values`` are the record's fields (which may include a ``note``).
    The entry names every field the new record holds, defaults included, so the audit
    trail alone says what the record should hold."""
    require_writer(ctx)
    now = ctx.now()
    if not engine.is_postgres():  # there the sequence gives a fresh id (engine.reset_sequence)
        values.setdefault("id", fresh_id(entity_name(model)))
    record = model.create(created_at=now, updated_at=now, version=1, **values)
    from docket.models.audit.chain import UNAUDITED, plain

    changes = {
        name: [None, plain(value)]
        for name, value in record.__data__.items()
        if name not in UNAUDITED and value not in (None, "")
    }
    _audit(ctx, entity_name(model), record.id, "create", changes, audit_note)
    return record


def changed_fields(record: Record, values: dict[str, Any]) -> dict[str, list[Any]]:
    """The fields whose new value differs from the stored one, as ``[old, new]``."""
    from docket.models.audit.chain import plain

    diff: dict[str, list[Any]] = {}
    for name, new in values.items():
        old = _stored(record, name)
        new_plain = plain(new)
        if plain(old) != new_plain:
            diff[name] = [plain(old), new_plain]
    return diff


def conflict(model: type[Record], record_id: int) -> ConflictError:
    """The error for a stale version, naming who changed the record last and when."""
    label = f"{entity_name(model).replace('_', ' ')} {record_id}"
    current = model.get_or_none(model.id == record_id)
    if current is None:
        return ConflictError(f"{label} was deleted by someone else; nothing was saved")
    last = (
        AuditEntry.select()
        .where(AuditEntry.entity == entity_name(model), AuditEntry.entity_id == record_id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .first()
    )
    if last is None:
        return ConflictError(f"{label} was changed by someone else; reload it and try again")
    when = f"{to_utc_text(last.at)} UTC"
    return ConflictError(
        f"{label} was changed by {last.actor} at {when} since you read it; reload it and try again",
        changed_by=last.actor,
        changed_at=when,
    )


def update(
    ctx: Context, record: R, expected_version: int | None, note: str = "", **values: Any
) -> R:
    """Change fields of a record read at ``expected_version``; audit what changed.

    Nothing is written when no value differs. A stale version is a conflict. ``None`` means
    the version ``record`` was read at inside this write transaction (the command line reads
    and writes in one go, so it never reports a conflict its user could not have caused).
    """
    require_writer(ctx)
    model = type(record)
    if expected_version is None:
        expected_version = record.version
    if expected_version != record.version:
        raise conflict(model, record.id)
    diff = changed_fields(record, values)
    if not diff:
        return record
    now = ctx.now()
    to_write = {name: values[name] for name in diff}
    count = (
        model.update(version=model.version + 1, updated_at=now, **to_write)
        .where(model.id == record.id, model.version == expected_version)
        .execute()
    )
    if count == 0:
        raise conflict(model, record.id)
    _audit(ctx, entity_name(model), record.id, "update", diff, note)
    return get(model, record.id)


def _dependents(record: Record) -> list[tuple[peewee.ForeignKeyField, type[Record], int]]:
    """The records that refer to this one and that deleting it would delete (``ON DELETE
    CASCADE``) or change (``SET NULL``), as (reference, model, id)."""
    found: list[tuple[peewee.ForeignKeyField, type[Record], int]] = []
    for fk, child in type(record)._meta.backrefs.items():
        if fk.on_delete in ("CASCADE", "SET NULL"):
            ids = child.select(child.id).where(fk == record.id).order_by(child.id).tuples()
            found.extend((fk, child, int(i)) for (i,) in ids)
    return found


def delete(ctx: Context, record: Record, expected_version: int, note: str = "") -> None:
    """Delete a record read at ``expected_version``, keeping its last values in the audit log.

    What the database would do to the records that refer to it (delete them, or clear the
    reference) is done first, each as an audited change, so the log explains every record.
    """
    require_writer(ctx)
    model = type(record)
    label = f"{entity_name(model).replace('_', ' ')} {record.id}"
    try:
        with model._meta.database.atomic():
            for fk, child, child_id in _dependents(record):
                current = child.get_or_none(child.id == child_id)
                if current is None:  # gone with an earlier one
                    continue
                if fk.on_delete == "CASCADE":
                    delete(ctx, current, current.version, note=f"with {label}")
                elif _stored(current, fk.name) == record.id:
                    update(ctx, current, current.version, f"{label} deleted", **{fk.name: None})
            count = (
                model.delete()
                .where(model.id == record.id, model.version == expected_version)
                .execute()
            )
            if count == 0:
                raise conflict(model, record.id)
    except peewee.IntegrityError as exc:
        raise DocketError(f"cannot delete {label}: other records still refer to it") from exc
    from docket.models.audit.chain import UNAUDITED, plain

    snapshot = {
        name: [plain(value), None]
        for name, value in record.__data__.items()
        if name not in UNAUDITED and value not in (None, "")
    }
    _audit(ctx, entity_name(model), record.id, "delete", snapshot, note)
