"""The directory of people (staff, stakeholders and contractors): found, listed and shown.

People are referred to by what a person would type: a name or part of it, an e-mail
address, a Unix account, ``@name`` or ``#id``. :func:`find_person` is the one place that
turns such text into a person, and says plainly when it matches nobody or several.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, TypedDict

from peewee import fn

from docket.models.core import records
from docket.models.core.errors import NotFoundError, ValidationError
from docket.models.core.inputs import choice, shown, typed_id
from docket.models.core.lookup import SHOWN_CANDIDATES, exactly_one, fold, name_matches, words
from docket.models.core.schema import PERSON_KINDS, Person, UserAccount

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


class PersonFacts(TypedDict):
    """One person as plain data (``docket person list --format json``)."""

    id: int
    name: str
    email: str | None
    organization: str | None
    title: str | None
    phone: str | None
    timezone: str | None
    kind: str
    account: str | None


def person_facts(person: Person) -> PersonFacts:
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


def person_for_account(account: str) -> Person | None:
    """The person a Unix account stands for: its user account's person, or by account name."""
    user = UserAccount.get_or_none(UserAccount.account == account)
    if user is not None and user.__data__.get("person"):
        return Person.get_or_none(Person.id == user.__data__["person"])
    return Person.get_or_none(Person.account == account)
