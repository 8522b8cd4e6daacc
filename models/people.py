"""People and groups: one directory for staff, stakeholders and contractors.

People are referred to by what a person would type: a name or part of it, an e-mail
address, a Unix account, ``@name`` or ``#id``. :func:`find_person` is the one place that
turns such text into a person, and says plainly when it matches nobody or several.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from peewee import JOIN, fn

from docket.models import records
from docket.models.clock import zone
from docket.models.context import Context
from docket.models.database import write
from docket.models.errors import NotFoundError, ValidationError
from docket.models.inputs import choice, shown, text
from docket.models.schema import PERSON_KINDS, Group, GroupMember, Person

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def _email(value: str | None) -> str | None:
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


def find_person(who: str | int, *, field: str = "person") -> Person:
    """The one person that ``who`` names: ``#id``, account, e-mail, name or part of a name."""
    if isinstance(who, int):
        return records.get(Person, who)
    typed = who.strip().lstrip("@")
    if not typed:
        raise ValidationError(field, "expected a person's name, e-mail or account, got nothing")
    if typed.startswith("#") and typed[1:].isdigit():
        person = Person.get_or_none(Person.id == int(typed[1:]))
        if person is None:
            raise NotFoundError(f"{field}: no person with id {typed[1:]}")
        return person
    lowered = typed.lower()
    for query in (
        Person.select().where(Person.account == typed),
        Person.select().where(fn.lower(Person.email) == lowered),
        Person.select().where(fn.lower(Person.name) == lowered),
        # a name typed with dots or dashes for spaces, as in @ana.lopez
        Person.select().where(fn.lower(Person.name) == re.sub(r"[._-]+", " ", lowered)),
    ):
        found = list(query.limit(2))
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            return _ambiguous(field, typed, found)
    words = [w for w in re.split(r"[\s._-]+", lowered) if w]
    query = Person.select()
    for word in words:
        query = query.where(Person.name.startswith(word) | Person.name.contains(f" {word}"))
    found = list(query.order_by(Person.name).limit(6))
    if len(found) == 1:
        return found[0]
    if not found:
        raise NotFoundError(
            f"{field}: nobody matches {shown(typed)}; add them with 'docket person add'"
        )
    return _ambiguous(field, typed, found)


def people_by_email(emails: Iterable[str]) -> dict[str, Person]:
    """The people with these e-mail addresses, by address in lower case (one query; an
    address nobody has is absent). Exact: no name matching, for addresses from files."""
    wanted = {e.strip().lower() for e in emails if e and e.strip()}
    if not wanted:
        return {}
    query = Person.select().where(fn.lower(Person.email).in_(sorted(wanted)))
    return {(person.email or "").lower(): person for person in query}


def _ambiguous(field: str, typed: str, found: list[Person]) -> Person:
    names = ", ".join(f"{p.name} (#{p.id})" for p in found[:5])
    more = " and others" if len(found) > 5 else ""
    raise ValidationError(
        field, f"{shown(typed)} matches several people: {names}{more}; be more specific"
    )


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
    values: dict[str, Any] = {
        "name": text("name", name),
        "email": _email(email),
        "organization": text("organization", organization, required=False) or None,
        "title": text("title", title, required=False) or None,
        "phone": text("phone", phone, required=False, max_length=40) or None,
        "timezone": _timezone(timezone),
        "kind": choice("kind", kind, PERSON_KINDS),
        "account": text("account", account, required=False, max_length=64) or None,
    }
    with write():
        _check_unique(values)
        return records.create(ctx, Person, **values)


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


def update_person(ctx: Context, person_id: int, version: int, **changes: str | None) -> Person:
    """Change a person's details; only the fields given are touched."""
    checks: dict[str, Callable[[str | None], str | None]] = {
        "name": lambda v: text("name", v),
        "email": _email,
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
    values: dict[str, Any] = {name: checks[name](value) for name, value in changes.items()}
    with write():
        _check_unique(values, person_id)
        return records.update(ctx, records.get(Person, person_id), version, **values)


def delete_person(ctx: Context, person_id: int, version: int) -> None:
    """Remove a person; their action items and milestones keep no owner."""
    with write():
        records.delete(ctx, records.get(Person, person_id), version)


def _people(search: str | None, kind: str | None) -> Any:
    """People by name, narrowed by kind and by text in the name, e-mail or organization."""
    query = Person.select().order_by(fn.lower(Person.name), Person.id)
    if kind:
        query = query.where(Person.kind == choice("kind", kind, PERSON_KINDS))
    typed = (search or "").strip()
    if typed:
        query = query.where(
            Person.name.contains(typed)
            | Person.email.contains(typed)
            | Person.organization.contains(typed)
        )
    return query


def list_people(
    search: str | None = None,
    *,
    kind: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[Person]:
    """People by name, optionally those whose name, e-mail or organization contains
    ``search``; ``limit`` and ``offset`` give one page of them."""
    query = _people(search, kind)
    if limit:
        query = query.limit(limit)
    if offset:
        query = query.offset(offset)
    return list(query)


def count_people(search: str | None = None, *, kind: str | None = None) -> int:
    """How many people :func:`list_people` finds for the same ``search`` and ``kind``."""
    return int(_people(search, kind).order_by().count())


def groups_of(person_id: int) -> list[Group]:
    """The groups a person is in, by name."""
    return list(
        Group.select()
        .join(GroupMember, on=(GroupMember.group == Group.id))
        .where(GroupMember.person == person_id)
        .order_by(fn.lower(Group.name))
    )


def get_group(name: str) -> Group:
    """The group with this name, compared without case."""
    group = Group.get_or_none(fn.lower(Group.name) == (name or "").strip().lower())
    if group is None:
        raise NotFoundError(f"group: no group named {shown(name or '')}")
    return group


def add_group(
    ctx: Context, name: str, *, description: str = "", members: list[str] | None = None
) -> Group:
    """Create a group (a distribution list), optionally with its first members."""
    cleaned = text("name", name, max_length=100)
    with write():
        existing = Group.get_or_none(fn.lower(Group.name) == cleaned.lower())
        if existing is not None:
            raise ValidationError("name", f"a group named {shown(existing.name)} already exists")
        group = records.create(
            ctx,
            Group,
            name=cleaned,
            description=text(
                "description", description, required=False, max_length=2000, multiline=True
            ),
        )
        for who in members or []:
            _add_member(ctx, group, find_person(who, field="member"))
        return group


def _add_member(ctx: Context, group: Group, person: Person) -> bool:
    if GroupMember.get_or_none(GroupMember.group == group, GroupMember.person == person):
        return False
    records.create(ctx, GroupMember, group=group, person=person)
    return True


def add_members(ctx: Context, group_name: str, people: list[str]) -> list[Person]:
    """Add people to a group; those already in it are left as they are. Returns the added."""
    with write():
        group = get_group(group_name)
        persons = [find_person(who, field="member") for who in people]
        return [p for p in persons if _add_member(ctx, group, p)]


def remove_members(ctx: Context, group_name: str, people: list[str]) -> list[Person]:
    """Take people out of a group. Returns those removed."""
    removed = []
    with write():
        group = get_group(group_name)
        for who in people:
            person = find_person(who, field="member")
            link = GroupMember.get_or_none(GroupMember.group == group, GroupMember.person == person)
            if link is not None:
                records.delete(ctx, link, link.version)
                removed.append(person)
    return removed


def delete_group(ctx: Context, group_id: int, version: int) -> None:
    """Delete a group; its memberships go with it."""
    with write():
        records.delete(ctx, records.get(Group, group_id), version)


def list_groups() -> list[tuple[Group, int]]:
    """Every group with its number of members, by name."""
    count = fn.COUNT(GroupMember.id)
    query = (
        Group.select(Group, count.alias("members"))
        .join(GroupMember, on=(GroupMember.group == Group.id), join_type=JOIN.LEFT_OUTER)
        .group_by(Group.id)
        .order_by(fn.lower(Group.name))
    )
    return [(group, getattr(group, "members")) for group in query]  # noqa: B009


def members(group_name: str) -> list[Person]:
    """The people in a group, by name."""
    group = get_group(group_name)
    return list(
        Person.select()
        .join(GroupMember, on=(GroupMember.person == Person.id))
        .where(GroupMember.group == group)
        .order_by(fn.lower(Person.name))
    )


def person_facts(person: Person) -> dict[str, object]:
    """The facts of one person as plain data: their stable JSON form."""
    return {
        "id": person.id,
        "name": person.name,
        "email": person.email,
        "organization": person.organization,
        "title": person.title,
        "phone": person.phone,
        "timezone": person.timezone,
        "kind": person.kind,
        "account": person.account,
    }
