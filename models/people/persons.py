"""A person's record: added and changed (e-mail, account and zone checked, unique where they
must be), deleted when nothing refers to them, or merged into another."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from peewee import fn

from docket.models.core import records
from docket.models.core.clock import zone
from docket.models.core.context import Context
from docket.models.core.database import write
from docket.models.core.errors import ValidationError
from docket.models.core.inputs import choice, shown, text
from docket.models.core.records import entity_name
from docket.models.core.schema import PERSON_KINDS, Person, Record
from docket.models.people.directory import describe, find_person

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def checked_email(value: str | None) -> str | None:
    """An e-mail address as typed, checked (None when blank)."""
    cleaned = text("email", value, required=False, max_length=254)
    if not cleaned:
        return None
    if not _EMAIL.fullmatch(cleaned):
        raise ValidationError(
            "email", f"expected an address such as ana@example.org, got {shown(cleaned)}"
        )
    return cleaned


def _timezone(value: str | None) -> str | None:
    cleaned = text("timezone", value, required=False, max_length=64)
    if cleaned:
        zone(cleaned)
    return cleaned or None


def add_person(
    ctx: Context,
    name: str,
    *,
    email: str | None = None,
    organization: str | None = None,
    title: str | None = None,
    phone: str | None = None,
    timezone: str | None = None,
    kind: str = "staff",
    account: str | None = None,
) -> Person:
    """Add a person to the directory; e-mail and account must be new."""
    values = person_values(
        name,
        email=email,
        organization=organization,
        title=title,
        phone=phone,
        timezone=timezone,
        kind=kind,
        account=account,
    )
    with write():
        _check_unique(values)
        return records.create(ctx, Person, **values)


def person_values(
    name: str,
    *,
    email: str | None = None,
    organization: str | None = None,
    title: str | None = None,
    phone: str | None = None,
    timezone: str | None = None,
    kind: str = "staff",
    account: str | None = None,
) -> dict[str, Any]:
    """A new person's fields, each checked (all but the e-mail and account being new, which
    :func:`holdings` tells for many at once)."""
    return {
        "name": text("name", name),
        "email": checked_email(email),
        "organization": text("organization", organization, required=False) or None,
        "title": text("title", title, required=False) or None,
        "phone": text("phone", phone, required=False, max_length=40) or None,
        "timezone": _timezone(timezone),
        "kind": choice("kind", kind, PERSON_KINDS),
        "account": text("account", account, required=False, max_length=64) or None,
    }


def holdings() -> list[tuple[int, str, str | None, str | None]]:
    """Everyone's id, name, e-mail and account: one read of the directory, for checking
    many people's e-mails and accounts at once (an import)."""
    query = Person.select(Person.id, Person.name, Person.email, Person.account).order_by(Person.id)
    rows: list[tuple[int, str, str | None, str | None]] = list(query.tuples())  # type: ignore[arg-type]
    return rows


def _check_unique(values: dict[str, Any], person_id: int | None = None) -> None:
    email, account = values.get("email"), values.get("account")
    if email:
        other = Person.get_or_none(fn.lower(Person.email) == email.lower())
        if other is not None and other.id != person_id:
            raise ValidationError("email", f"{email} already belongs to {other.name} (#{other.id})")
    if account:
        other = Person.get_or_none(Person.account == account)
        if other is not None and other.id != person_id:
            raise ValidationError(
                "account", f"{account} already belongs to {other.name} (#{other.id})"
            )


def update_person(
    ctx: Context,
    person_id: int,
    version: int | None,
    note: str | None = None,
    **changes: str | None,
) -> Person:
    """Change a person's details; only the fields given are touched (``version`` None: as
    the person is now, for the command line, which reads and writes in one go); ``note``
    goes with the audit entry."""
    values = checked_changes(changes)
    with write():
        _check_unique(values, person_id)
        return records.update(ctx, records.get(Person, person_id), version, note or "", **values)


def checked_changes(changes: dict[str, str | None]) -> dict[str, Any]:
    """A change to a person's details, each field checked as :func:`update_person` does
    (all but the e-mail and account being free)."""
    checks: dict[str, Callable[[str | None], str | None]] = {
        "name": lambda v: text("name", v),
        "email": checked_email,
        "organization": lambda v: text("organization", v, required=False) or None,
        "title": lambda v: text("title", v, required=False) or None,
        "phone": lambda v: text("phone", v, required=False, max_length=40) or None,
        "timezone": _timezone,
        "kind": lambda v: choice("kind", v, PERSON_KINDS),
        "account": lambda v: text("account", v, required=False, max_length=64) or None,
    }
    unknown = set(changes) - set(checks)
    if unknown:
        raise ValidationError(sorted(unknown)[0], "is not a field of a person")
    return {name: checks[name](value) for name, value in changes.items()}


@dataclass(frozen=True)
class Reference:
    """Records of one kind that name a person in one field: ``action item owner``, 4."""

    what: str
    count: int


def _person_fields() -> list[tuple[Any, type[Record]]]:
    """Every foreign key to Person in the schema, as (field, model): read from the models,
    so a table added later is never missed by a merge or a delete."""
    return sorted(
        Person._meta.backrefs.items(),
        key=lambda pair: (entity_name(pair[1]), pair[0].name),
    )


def _what(fk: Any, model: type[Record]) -> str:
    return f"{entity_name(model).replace('_', ' ')} {fk.name.replace('_', ' ')}"


def references(person_id: int) -> list[Reference]:
    """What refers to a person, kind by kind (none: they can be deleted)."""
    found = []
    for fk, model in _person_fields():
        count = model.select().where(fk == person_id).count()
        if count:
            found.append(Reference(_what(fk, model), int(count)))
    return found


def delete_person(ctx: Context, who: str | int, version: int | None = None) -> Person:
    """Remove a person nothing refers to; one still named anywhere (an owner, an attendee,
    a member) is refused with what names them, so nothing loses its person silently.
    Returns the person as they were."""
    with write():
        person = find_person(who)
        used = references(person.id)
        if used:
            listed = ", ".join(f"{r.what} ×{r.count}" for r in used)
            raise ValidationError(
                "person",
                f"{describe(person)} is still named by {listed}; merge them into the person "
                f"who stands for them ('docket person merge KEEP #{person.id}') or change those "
                "first",
            )
        records.delete(ctx, person, person.version if version is None else version)
        return person


@dataclass(frozen=True)
class Merged:
    """What a merge did: whom it kept, whom it removed, and what moved."""

    kept: Person
    removed: str
    moved: list[Reference]
    # the records that named both (one meeting's attendee, one group's member): the removed
    # person's copy went, the kept person's stayed
    dropped: int
    # the kept person's blank fields that took the removed one's values
    filled: list[str]


def _unique_sets(model: type[Record], name: str) -> list[tuple[str, ...]]:
    """The unique column sets of a model that hold field ``name``."""
    sets: list[tuple[str, ...]] = []
    for index in model._meta.indexes:
        if isinstance(index, tuple) and index[1] and name in index[0]:
            sets.append(tuple(index[0]))
    if model._meta.fields[name].unique:
        sets.append((name,))
    return sets


def _clashes(model: type[Record], row: Record, name: str, kept: int) -> bool:
    """Whether moving ``row``'s field ``name`` to ``kept`` would repeat a row that must be
    unique (``kept`` is an attendee of that meeting already)."""
    for columns in _unique_sets(model, name):
        terms = []
        for column in columns:
            field = model._meta.fields[column]
            value = kept if column == name else row.__data__.get(column)
            terms.append(field.is_null() if value is None else field == value)
        if model.select().where(*terms, model.id != row.id).exists():
            return True
    return False


def merge_people(ctx: Context, keep: str | int, gone: str | int) -> Merged:
    """Make ``gone`` (a duplicate) into ``keep``: every record that names ``gone`` names
    ``keep`` instead, ``keep``'s blank details take ``gone``'s, and ``gone`` is deleted; each
    change audited, all in one transaction."""
    with write():
        kept, lost = find_person(keep, field="keep"), find_person(gone, field="merge")
        if kept.id == lost.id:
            raise ValidationError("merge", f"{describe(kept)} is the person to keep; name another")
        note = f"merged {describe(lost)} into #{kept.id}"
        moved: list[Reference] = []
        dropped = 0
        for fk, model in _person_fields():
            count = 0
            for row in model.select().where(fk == lost.id).order_by(model.id):
                if _clashes(model, row, fk.name, kept.id):
                    records.delete(ctx, row, row.version, note=note)
                    dropped += 1
                else:
                    records.update(ctx, row, row.version, note, **{fk.name: kept.id})
                    count += 1
            if count:
                moved.append(Reference(_what(fk, model), count))
        fill = {
            name: getattr(lost, name)
            for name in ("email", "organization", "title", "phone", "timezone", "account")
            if not getattr(kept, name) and getattr(lost, name)
        }
        removed = describe(lost)
        records.delete(
            ctx, records.get(Person, lost.id), lost.version, note=f"merged into #{kept.id}"
        )
        current = records.get(Person, kept.id)
        if fill:
            current = records.update(ctx, current, current.version, note, **fill)
        return Merged(current, removed, moved, dropped, sorted(fill))
