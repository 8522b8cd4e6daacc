"""The history of one record, read from the audit log: who changed what, when, newest first.

An account can undo its own last change to a record (:func:`undo_last`) when nobody has
changed the record since; the undo is itself an audited change, made with the version check.

Entities are named as the audit log names them, by table: ``action_item``, ``milestone``,
``person``. Values are as the log keeps them: dates as ISO text, date-times as UTC text,
related records as ids.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from docket.models import records
from docket.models.context import Context
from docket.models.database import write
from docket.models.errors import ConflictError, DocketError, ValidationError
from docket.models.fields import to_utc_text
from docket.models.inputs import shown
from docket.models.records import entity_name
from docket.models.schema import TABLES, AuditEntry, Record

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


def history_facts(change: Change) -> dict[str, Any]:
    """One change as plain data: its stable JSON form."""
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
    }


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


def describe_change(change: Change) -> str:
    """One line for a change: the fields it set, ``title: old → new``."""
    return "; ".join(f"{name}: {old} → {new}" for name, old, new in change.fields)
