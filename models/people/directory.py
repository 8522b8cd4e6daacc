"""People and groups: one directory for staff, stakeholders and contractors.

People are referred to by what a person would type: a name or part of it, an e-mail
address, a Unix account, ``@name`` or ``#id``. :func:`find_person` is the one place that
turns such text into a person, and says plainly when it matches nobody or several.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from peewee import JOIN, fn

from docket.models.core import records
from docket.models.core.clock import zone
from docket.models.core.context import Context
from docket.models.core.database import write
from docket.models.core.errors import NotFoundError, ValidationError
from docket.models.core.inputs import choice, shown, text, typed_id
from docket.models.core.lookup import SHOWN_CANDIDATES, exactly_one, fold, name_matches, words
from docket.models.core.records import entity_name
from docket.models.core.schema import PERSON_KINDS, Group, GroupMember, Person, Record

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


# "Ana Lopez <ana@example.org>", as labels() and e-mail clients write a person
_NAME_AND_ADDRESS = re.compile(r"(?P<name>[^<>]*)<(?P<email>[^<>\s]+)>")
# "Ana Lopez (#12)" or "Ana Lopez (City IT)", as labels() writes someone without an e-mail
_NAME_AND_QUALIFIER = re.compile(r"(?P<name>[^()]*\S)\s*\((?P<what>[^()]+)\)")

# (id, name, e-mail, account, organization) of one person in the directory
Entry = tuple[int, str, str | None, str | None, str | None]


def _directory() -> list[Entry]:
    """Everyone's names and what tells them apart, in id order: one read of the directory,
    matched in Python so that accents and case never matter (2,000 people: a few ms)."""
    query = Person.select(
        Person.id, Person.name, Person.email, Person.account, Person.organization
    ).order_by(Person.id)
    # the cursor's own rows: building a model tuple per person would cost more than matching
    rows: list[Entry] = Person._meta.database.execute(query).fetchall()
    return rows


def describe(person: Person) -> str:
    """A person as a refusal names them: the name and what tells them apart from anyone
    else of that name (the e-mail, else the organization) and the id."""
    if person.email:
        return f"{person.name} <{person.email}> (#{person.id})"
    if person.organization:
        return f"{person.name} ({person.organization}, #{person.id})"
    return f"{person.name} (#{person.id})"


def _by_ids(ids: list[int]) -> list[Person]:
    """These people, in the order given."""
    found = {p.id: p for p in Person.select().where(Person.id.in_(ids))} if ids else {}
    return [found[i] for i in ids if i in found]


def _one(field: str, typed: str, ids: list[int]) -> Person:
    """The one person of ``ids`` (the matches of ``typed``), by the one lookup rule."""
    # a refusal names a few of them: only those are read
    return exactly_one(
        field,
        typed,
        _by_ids(ids[:SHOWN_CANDIDATES]),
        noun="person",
        plural="people",
        describe=describe,
        narrow="give their e-mail or #id",
        total=len(ids),
    )


def matching_ids(typed: str) -> list[int]:
    """The people ``typed`` may mean, loosely (a filter, not a lookup): every typed word
    starts a word of the name (accents and case aside), or it is their account, or it
    starts their e-mail. ``ana`` is Ana Lopez, not Thanh Tanaka."""
    cleaned = typed.strip().lstrip("@")
    wanted = words(cleaned)
    lowered = cleaned.lower()
    if not cleaned:
        return []
    return [
        ident
        for ident, name, email, account, _ in _directory()
        if (name_matches(wanted, name))
        or account == cleaned
        or (email and email.lower().startswith(lowered))
    ]


def find_person(who: str | int, *, field: str = "person") -> Person:
    """The one person that ``who`` names: ``#id``, account, e-mail, ``Name <e-mail>``, a
    name or the starts of its words (accents and case aside); several are refused with
    what tells them apart, never guessed."""
    if isinstance(who, int):
        return records.get(Person, who)
    typed = who.strip().lstrip("@")
    if not typed:
        raise ValidationError(field, "expected a person's name, e-mail or account, got nothing")
    number = typed_id(typed[1:]) if typed.startswith("#") else None
    if number is not None:
        try:
            return records.get(Person, number)
        except NotFoundError:
            raise NotFoundError(f"{field}: no person with id {number}") from None
    addressed = _NAME_AND_ADDRESS.fullmatch(typed)
    if addressed:
        typed = addressed["email"]
    # accounts and e-mails by their indexes, before reading the whole directory for names
    for query in (
        Person.select(Person.id).where(Person.account == typed),
        Person.select(Person.id).where(fn.lower(Person.email) == typed.lower()),
    ):
        ids = [int(p.id) for p in query.order_by(Person.id)]
        if ids:
            return _one(field, typed, ids)
    directory = _directory()
    if addressed:
        raise NotFoundError(f"{field}: nobody has the e-mail {shown(typed)}")
    qualified = _NAME_AND_QUALIFIER.fullmatch(typed)
    if qualified:
        ids = _qualified(qualified["name"], qualified["what"].strip(), directory)
        if ids:
            return _one(field, typed, ids)
    wanted = words(typed)
    same = [i for i, name, *_ in directory if words(name) == wanted]
    if same:
        return _one(field, typed, same)
    loose = [i for i, name, *_ in directory if name_matches(wanted, name)]
    if not loose:
        raise NotFoundError(
            f"{field}: nobody matches {shown(typed)}; add them with 'docket person add'"
        )
    return _one(field, typed, loose)


def _qualified(name: str, what: str, directory: list[Entry]) -> list[int]:
    """``Name (#id)`` or ``Name (Organization)``: the people of that name so told apart
    (none: the brackets may be part of a name, which is then matched as typed)."""
    wanted = words(name)
    number = typed_id(what[1:]) if what.startswith("#") else None
    if number is not None:
        return [i for i, n, *_ in directory if i == number and words(n) == wanted]
    return [
        i
        for i, n, _, _, organization in directory
        if words(n) == wanted and fold(organization or "") == fold(what)
    ]


def namesakes(name: str, *, besides: int | None = None) -> list[Person]:
    """The people whose name is ``name`` (accents, case and punctuation aside), but
    ``besides``: whom a new person of that name could be mistaken for."""
    wanted = words(name)
    ids = [i for i, n, *_ in _directory() if words(n) == wanted and i != besides]
    return _by_ids(ids)


def labels(person_ids: Iterable[int]) -> dict[int, str]:
    """How to show each of these people so that no two read the same: the name, and where
    someone else in the directory has the same name (accents and case aside), what tells
    them apart: the e-mail, else the organization, else the id. Each label, typed back,
    finds that person (:func:`find_person`)."""
    wanted = set(person_ids)
    directory = _directory()
    count: dict[tuple[str, ...], int] = {}
    # namesakes without an e-mail told apart by organization, where that is enough
    by_organization: dict[tuple[tuple[str, ...], str], int] = {}
    for _, name, email, _, organization in directory:
        key = words(name)
        count[key] = count.get(key, 0) + 1
        if not email and organization:
            pair = (key, fold(organization))
            by_organization[pair] = by_organization.get(pair, 0) + 1
    found: dict[int, str] = {}
    for ident, name, email, _, organization in directory:
        if ident not in wanted:
            continue
        key = words(name)
        if count[key] < 2:
            found[ident] = name
        elif email:
            found[ident] = f"{name} <{email}>"
        elif organization and by_organization[(key, fold(organization))] == 1:
            found[ident] = f"{name} ({organization})"
        else:
            found[ident] = f"{name} (#{ident})"
    return found


def people_by_email(emails: Iterable[str]) -> dict[str, Person]:
    """The people with these e-mail addresses, by address in lower case (one query; an
    address nobody has is absent). Exact: no name matching, for addresses from files."""
    wanted = {e.strip().lower() for e in emails if e and e.strip()}
    if not wanted:
        return {}
    query = Person.select().where(fn.lower(Person.email).in_(sorted(wanted)))
    return {(person.email or "").lower(): person for person in query}


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
    :func:`taken` tells for many at once)."""
    return {
        "name": text("name", name),
        "email": _email(email),
        "organization": text("organization", organization, required=False) or None,
        "title": text("title", title, required=False) or None,
        "phone": text("phone", phone, required=False, max_length=40) or None,
        "timezone": _timezone(timezone),
        "kind": choice("kind", kind, PERSON_KINDS),
        "account": text("account", account, required=False, max_length=64) or None,
    }


def taken() -> tuple[dict[str, str], dict[str, str]]:
    """Who holds each e-mail (lower case) and each account already: one read of the
    directory, for checking many new people at once (an import)."""
    emails: dict[str, str] = {}
    accounts: dict[str, str] = {}
    rows: Iterable[tuple[int, str, str | None, str | None]] = Person.select(
        Person.id, Person.name, Person.email, Person.account
    ).tuples()  # type: ignore[assignment]
    for ident, name, email, account in rows:
        if email:
            emails[email.lower()] = f"{name} (#{ident})"
        if account:
            accounts[account] = f"{name} (#{ident})"
    return emails, accounts


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
        return records.update(ctx, records.get(Person, person_id), version, note or "", **values)


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


def _people(search: str | None, kind: str | None) -> Any:
    """People by name, narrowed by kind and by text in the name, e-mail or organization."""
    query = Person.select().order_by(fn.lower(Person.name), Person.id)
    if kind:
        query = query.where(Person.kind == choice("kind", kind, PERSON_KINDS))
    typed = (search or "").strip()
    if typed:
        # names by the starts of their words, accents and case aside (as lookups match)
        wanted = words(typed)
        named = [i for i, name, *_ in _directory() if name_matches(wanted, name)]
        query = query.where(
            Person.id.in_(named)
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
    """The one group ``name`` names: its name, or the starts of its words (accents and case
    aside); several are refused with their names, never guessed."""
    typed = (name or "").strip()
    wanted = words(typed)
    every = list(Group.select().order_by(fn.lower(Group.name)))
    same = [g for g in every if words(g.name) == wanted]
    loose = [g for g in every if name_matches(wanted, g.name)]
    if not (same or loose):
        raise NotFoundError(f"group: no group named {shown(typed)}")
    return exactly_one(
        "group",
        typed,
        same or loose,
        noun="group",
        describe=lambda g: f"{g.name} (#{g.id})",
        narrow="give its whole name",
    )


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
