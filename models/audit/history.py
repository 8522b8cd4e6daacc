"""The history of one record, read from the audit log: who changed what, when, newest first.

An account can undo its own last change to a record (:func:`undo_last`) when nobody has
changed the record since; the undo is itself an audited change, made with the version check.

Entities are named as the audit log names them, by table: ``action_item``, ``milestone``,
``person``. Values are as the log keeps them: dates as ISO text, date-times as UTC text,
related records as ids. :func:`readable_history` and :func:`describe_change` say them as a
person reads them: related records by name (a program by its code, a person by the name
told apart from others of the same name), "set to" and "cleared" instead of nothing, and
every value in full.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypedDict, cast

import peewee

from docket.models.core import records
from docket.models.core.context import Context
from docket.models.core.database import write
from docket.models.core.errors import ConflictError, DocketError, ValidationError
from docket.models.core.fields import UTCDateTimeField, to_utc_text
from docket.models.core.inputs import shown
from docket.models.core.records import entity_name
from docket.models.core.schema import AuditEntry, Person, Record
from docket.models.core.tables import TABLES

MODELS: dict[str, type[Record]] = {
    entity_name(model): model for model in TABLES if issubclass(model, Record)
}
ENTITIES: tuple[str, ...] = tuple(MODELS)


@dataclass(frozen=True)
class Change:
    """One audited change to one record."""

    id: int
    at: datetime  # aware UTC
    actor: str
    action: str  # create, update or delete
    note: str
    # (field, old, new), by field name
    fields: tuple[tuple[str, Any, Any], ...]


def _entity(entity: str) -> str:
    """The table name for a kind as typed: ``action_item``, or ``action`` for short."""
    name = entity.strip().lower().replace("-", "_").replace(" ", "_")
    for candidate in (name, f"{name}_item"):
        if candidate in ENTITIES:
            return candidate
    raise ValidationError(
        "kind", f"expected one of {', '.join(sorted(ENTITIES))}; got {shown(entity)}"
    )


def _change(entry: AuditEntry) -> Change:
    changes = json.loads(entry.changes or "{}")
    return Change(
        id=int(entry.id),
        at=entry.at,
        actor=str(entry.actor),
        action=str(entry.action),
        note=str(entry.note or ""),
        fields=tuple((name, old, new) for name, (old, new) in sorted(changes.items())),
    )


def _entries(entity: str, entity_id: int) -> Any:
    return (
        AuditEntry.select()
        .where(AuditEntry.entity == _entity(entity), AuditEntry.entity_id == entity_id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    )


def history(entity: str, entity_id: int, *, limit: int | None = None) -> list[Change]:
    """Every change to one record, newest first (the most recent ``limit`` when given)."""
    query = _entries(entity, entity_id)
    if limit is not None:
        query = query.limit(limit)
    return [_change(entry) for entry in query]


def last_change_by_other(entity: str, entity_id: int, actor: str) -> Change | None:
    """The newest change to one record made by an account other than ``actor``, if any."""
    entry = _entries(entity, entity_id).where(AuditEntry.actor != actor).first()
    return None if entry is None else _change(entry)


class HistoryFacts(TypedDict):
    """One audited change as plain data (``docket history --format json``)."""

    id: int
    at: str
    actor: str
    action: str
    note: str
    # [field, old, new] rows in field order; old and new are any JSON value
    fields: list[list[Any]]
    # the audit log's own form: {field: [old, new]}
    changes: dict[str, list[Any]]
    # one line a field, as a person reads it
    said: list[str]


def history_facts(change: Change, said: Sequence[str] | None = None) -> HistoryFacts:
    """One change as plain data: its stable JSON form. ``said`` is each field's change in
    words (:func:`readable_history` gives it, names resolved); without it, the raw values."""
    return {
        "id": change.id,
        "at": to_utc_text(change.at).replace(" ", "T") + "Z",
        "actor": change.actor,
        "action": change.action,
        "note": change.note,
        # the same changes twice: as [field, old, new] rows in field order, and in the
        # audit log's own form, {field: [old, new]}
        "fields": [[name, old, new] for name, old, new in change.fields],
        "changes": {name: [old, new] for name, old, new in change.fields},
        # and as a person reads them, one line a field: "owner: set to Ana Lopez"
        "said": list(said) if said is not None else field_lines(change, Names()),
    }


# --- changes in words --------------------------------------------------------------------

# the column that names a record of each kind, when it has one (a program: its code)
_NAMING_COLUMNS = ("code", "number", "title", "name", "account")


@dataclass(frozen=True)
class Names:
    """How to show the records that changes refer to by id: ``(field, id) -> label``."""

    labels: dict[tuple[str, int], str] | None = None
    # the fields that hold a moment (kept as UTC text): shown with "UTC"
    moments: frozenset[str] = frozenset()

    def of(self, field: str, value: Any) -> str | None:
        if self.labels is None or not isinstance(value, int) or isinstance(value, bool):
            return None
        return self.labels.get((field, value))


def _references(model: type[Record]) -> dict[str, type[Record]]:
    """The fields of a kind of record that refer to another record, with its kind."""
    return {
        f.name: f.rel_model
        for f in model._meta.sorted_fields
        if isinstance(f, peewee.ForeignKeyField)
    }


def _labels_of(model: type[Record], ids: set[int]) -> dict[int, str]:
    """How to show each of these records of one kind, in one query a 500 (people: told
    apart from others of the same name); a record no longer there is named by kind and id."""
    kind = entity_name(model).replace("_", " ")
    found: dict[int, str] = {}
    if model is Person:
        from docket.models.people.directory import labels

        found = labels(ids)
    else:
        column = next((c for c in _NAMING_COLUMNS if c in model._meta.fields), "id")
        field = model._meta.fields[column]
        wanted = sorted(ids)
        for start in range(0, len(wanted), 500):
            query = model.select(model.id, field).where(model.id.in_(wanted[start : start + 500]))
            for ident, value in cast(Iterable[tuple[int, Any]], query.tuples()):
                label = "" if column == "id" or value is None else str(value)
                found[int(ident)] = label or f"{kind} #{ident}"
    return {i: found.get(i, f"{kind} #{i} (deleted)") for i in ids}


def names_for(entity: str, changes: Iterable[Change]) -> Names:
    """The names of every record these changes to one kind of record refer to: one query
    per kind of record referred to, however many changes."""
    model = MODELS[_entity(entity)]
    refs = _references(model)
    moments = frozenset(
        f.name for f in model._meta.sorted_fields if isinstance(f, UTCDateTimeField)
    )
    wanted: dict[type[Record], set[int]] = {}
    for change in changes:
        for name, old, new in change.fields:
            if name in refs:
                for value in (old, new):
                    if isinstance(value, int) and not isinstance(value, bool):
                        wanted.setdefault(refs[name], set()).add(value)
    by_kind = {kind: _labels_of(kind, ids) for kind, ids in wanted.items()}
    return Names(
        {
            (name, ident): by_kind[kind][ident]
            for name, kind in refs.items()
            if kind in by_kind
            for ident in by_kind[kind]
        },
        moments,
    )


def _empty(value: Any) -> bool:
    return value is None or value == ""


def shown_value(field: str, value: Any, names: Names) -> str:
    """A value as a person reads it: a related record by its name, yes/no, the text whole."""
    named = names.of(field, value)
    if named is not None:
        return named
    if isinstance(value, bool):
        return "yes" if value else "no"
    if field in names.moments and isinstance(value, str):
        return f"{value} UTC"
    return str(value)


def field_change(field: str, old: Any, new: Any, names: Names, action: str = "update") -> str:
    """What happened to one field, in words, without its name: ``set to Ana Lopez``,
    ``cleared (was 2026-12-01)``, ``changed from Call vendor to Call the vendor``; for a
    record deleted, ``was high``."""
    if action == "delete":
        return f"was {shown_value(field, old, names)}"
    if _empty(old) and _empty(new):
        return "cleared"
    if _empty(old):
        return f"set to {shown_value(field, new, names)}"
    if _empty(new):
        return f"cleared (was {shown_value(field, old, names)})"
    return f"changed from {shown_value(field, old, names)} to {shown_value(field, new, names)}"


def field_label(field: str) -> str:
    """A field's name as words: ``rag_note`` is ``rag note``."""
    return field.replace("_", " ")


def field_lines(change: Change, names: Names) -> list[str]:
    """Each field of a change as one line (which may hold line breaks of a long value):
    ``owner: set to Ana Lopez``."""
    return [
        f"{field_label(name)}: {field_change(name, old, new, names, change.action)}"
        for name, old, new in change.fields
    ]


def readable_history(
    entity: str, entity_id: int, *, limit: int | None = None
) -> list[HistoryFacts]:
    """Every change to one record, newest first, as :func:`history_facts` with each field's
    change in words; the records they name are looked up once per kind, not per change.
    A record with no history that does not exist either is a :class:`NotFoundError`."""
    changes = history(entity, entity_id, limit=limit)
    if not changes:
        records.get(MODELS[_entity(entity)], entity_id)
    names = names_for(entity, changes)
    return [history_facts(c, field_lines(c, names)) for c in changes]


def _label(entity: str, entity_id: int) -> str:
    return f"{entity.replace('_', ' ')} {entity_id}"


def undo_last(ctx: Context, entity: str, entity_id: int) -> Change:
    """Put back what the acting account's last change to a record replaced.

    Only when that change is the record's newest: if anyone changed it since, this is a
    conflict naming who and when. The undo is a new audited change (note ``undo of change
    N``), made against the record's current version; undoing it again redoes. A record's
    creation or deletion is not undone here. Returns the change that was undone.
    """
    name = _entity(entity)
    label = _label(name, entity_id)
    with write():
        entry = _entries(name, entity_id).first()
        if entry is None:
            raise DocketError(f"{label} has no recorded changes to undo")
        last = _change(entry)
        if last.actor != ctx.actor:
            when = f"{to_utc_text(last.at)} UTC"
            raise ConflictError(
                f"{label} was last changed by {last.actor} at {when}; "
                "only your own last change can be undone, and nobody may have changed it since",
                changed_by=last.actor,
                changed_at=when,
            )
        if last.action != "update":
            raise DocketError(
                f"your last change to {label} {'created' if last.action == 'create' else 'deleted'}"
                " it; undo puts back changed fields only"
            )
        record = records.get(MODELS[name], entity_id)
        records.update(
            ctx,
            record,
            record.version,
            note=f"undo of change {last.id}",
            **{field: old for field, old, _ in last.fields},
        )
    return last


def describe_change(entity: str, change: Change) -> str:
    """A change to a record of ``entity`` in one sentence, related records by name:
    ``actual set to 2027-04-05; owner cleared (was Ana Lopez)`` (reads the database)."""
    names = names_for(entity, [change])
    return "; ".join(
        f"{field_label(name)} {field_change(name, old, new, names, change.action)}"
        for name, old, new in change.fields
    )
