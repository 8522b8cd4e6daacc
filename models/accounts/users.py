"""The accounts a database knows, with their roles, and who each one is.

An account stands for a person (``docket init --me``, ``docket user add|edit --person``):
that person is "you" for the account, the organizer a new meeting gets when none is given,
and whose items the Today view shows. A person is named as ``Name <email>`` (found by the
address, or added) or as any text :func:`~docket.models.people.directory.find_person` reads.
"""

from __future__ import annotations

import pwd
import re
from dataclasses import dataclass
from typing import Any, TypedDict

from peewee import JOIN, fn

from docket.models.accounts.roles import DEFAULT_ROLE, require_admin, role_of
from docket.models.core import engine, records
from docket.models.core.context import Context
from docket.models.core.database import write
from docket.models.core.engine_roles import set_server_role
from docket.models.core.errors import ValidationError
from docket.models.core.inputs import choice, shown, text
from docket.models.core.schema import ROLES, Meeting, Person, UserAccount
from docket.models.people.directory import find_person
from docket.models.people.persons import add_person, checked_email, update_person

# what an invite needs of a meeting's organizer (exports/calendar/ical_events.py refuses it)
ORGANIZER_NEEDED = "invites will need an organizer with an e-mail"
# a PostgreSQL login role as docket gives one (a Unix name, or a certificate's e-mail)
_ROLE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.@-]{0,62}")


@dataclass(frozen=True)
class NameAndEmail:
    """A person as typed in ``Name <email>`` form (the name may be blank: ``<email>``)."""

    name: str
    email: str


@dataclass(frozen=True)
class Linked:
    """The person an account now stands for; ``added`` when that person is new."""

    person_id: int
    name: str
    email: str | None
    added: bool

    def said(self) -> str:
        """The person as one line shows them: ``Ana Lopez <ana@example.org> (#3)``."""
        address = f" <{self.email}>" if self.email else ""
        return f"{self.name}{address} (#{self.person_id})"


@dataclass(frozen=True)
class AccountChange:
    """An account as a change left it: its role, and the person given for it (if any)."""

    account: str
    role: str
    linked: Linked | None


def host_account(name: str) -> str:
    """``name`` when it is a Unix account on this host (a typo would name nobody who can
    ever run docket), else a :class:`ValidationError`. On PostgreSQL an account is a login
    role of the server, used from any host: a name PostgreSQL keeps whole."""
    typed = (name or "").strip()
    if engine.is_postgres():
        if not _ROLE_NAME.fullmatch(typed):
            raise ValidationError(
                "account",
                f"expected a login name (letters, digits, '_', '.', '-', '@'; at most 63), "
                f"got {shown(typed)}",
            )
        return typed
    try:
        pwd.getpwnam(typed)
    except KeyError as exc:
        raise ValidationError("account", f"no Unix account {shown(typed)} on this host") from exc
    return typed


def name_and_email(typed: str, *, field: str = "person") -> NameAndEmail | None:
    """``typed`` read as ``Name <email>`` (RFC 5322, as :mod:`email.utils` parses it).

    None when the text names a person another way (a name, an account, ``#id``,
    ``@name``); a :class:`ValidationError` when it looks like an address but is not one.
    """
    cleaned = text(field, typed, max_length=320)
    if "@" not in cleaned.lstrip("@") and "<" not in cleaned:  # @ana.lopez is a name
        return None
    expected = (
        f"expected 'Name <email>', such as 'Ana Lopez <ana@example.org>', got {shown(cleaned)}"
    )
    # here, not above: the e-mail package is a tenth of what Today imports, for a read
    # that only writes need
    from email.utils import getaddresses

    found = getaddresses([cleaned])
    unclosed = "<" in cleaned and not cleaned.endswith(">")
    if len(found) != 1 or not found[0][1] or unclosed:
        raise ValidationError(field, expected)
    name, address = found[0]
    try:
        email = checked_email(address)
    except ValidationError as exc:
        raise ValidationError(field, expected) from exc
    if email is None:
        raise ValidationError(field, expected)
    return NameAndEmail(text(field, name, required=False), email)


def _person_for(ctx: Context, typed: str, account: str, *, field: str) -> tuple[Person, bool]:
    """The person ``typed`` names (call inside a write): by address when it is
    ``Name <email>`` (a person without an address who has exactly that name is given it;
    nobody at all: added, as staff, with ``account``), else by the one lookup rule."""
    given = name_and_email(typed, field=field)
    if given is None:
        return find_person(typed, field=field), False
    by_email = Person.get_or_none(fn.lower(Person.email) == given.email.lower())
    if by_email is not None:
        return by_email, False
    if not given.name:
        raise ValidationError(
            field, f"nobody has {given.email}; give a name too: 'Name <{given.email}>'"
        )
    namesakes = list(
        Person.select().where(fn.lower(Person.name) == given.name.lower()).order_by(Person.id)
    )
    if len(namesakes) == 1 and not namesakes[0].email:
        person = namesakes[0]
        return update_person(ctx, person.id, person.version, email=given.email), False
    if namesakes:
        candidates = ", ".join(f"#{p.id} <{p.email or 'no e-mail'}>" for p in namesakes[:5])
        raise ValidationError(
            field,
            f"{shown(given.name)} is already {candidates}, with another address; give theirs, "
            "or their '#id', or change their e-mail first",
        )
    free = Person.get_or_none(Person.account == account) is None
    person = add_person(
        ctx, given.name, email=given.email, kind="staff", account=account if free else None
    )
    return person, True


def _linked(found: tuple[Person, bool] | None) -> Linked | None:
    if found is None:
        return None
    person, added = found
    return Linked(int(person.id), str(person.name), person.email, added)


def add_user(ctx: Context, account: str, role: str, person: str | None = None) -> AccountChange:
    """Give an account a role (and the person it stands for); an admin's operation.

    An account already listed gets the new role: this is also how roles change.
    """
    values = {"account": host_account(account), "role": choice("role", role, ROLES)}
    with write():
        require_admin(ctx)
        found = _person_for(ctx, person, values["account"], field="person") if person else None
        changes: dict[str, Any] = dict(values)
        if found is not None:
            changes["person"] = found[0]
        existing = UserAccount.get_or_none(UserAccount.account == values["account"])
        if existing is None:
            records.create(ctx, UserAccount, **changes)
        else:
            records.update(ctx, existing, existing.version, **changes)
        # the server's roles decide; the table says the same. Given after the table's write,
        # so an admin making themselves a viewer still writes it, as on SQLite
        if engine.is_postgres():
            set_server_role(values["account"], values["role"])
        return AccountChange(values["account"], values["role"], _linked(found))


def edit_user(
    ctx: Context,
    account: str,
    *,
    role: str | None = None,
    person: str | None = None,
    field: str = "person",
) -> AccountChange:
    """Change an account's role or the person it stands for (``person=""``: nobody).

    Roles are an admin's to change; an account may also say who it is itself. An account
    the database does not list yet is listed, with the default role unless one is given.
    """
    typed = (account or "").strip()
    name = typed if typed == ctx.actor else host_account(typed)
    values: dict[str, Any] = {}
    if role is not None:
        values["role"] = choice("role", role, ROLES)
    with write():
        if role is not None or name != ctx.actor:
            require_admin(ctx)
        found = _person_for(ctx, person, name, field=field) if person else None
        if person is not None:
            values["person"] = found[0] if found else None
            if found is None:
                _release(ctx, name)
        existing = UserAccount.get_or_none(UserAccount.account == name)
        if existing is None:
            values.setdefault("role", role_of(name) if engine.is_postgres() else DEFAULT_ROLE)
            saved = records.create(ctx, UserAccount, account=name, **values)
        else:
            saved = records.update(ctx, existing, existing.version, **values)
        if role is not None and engine.is_postgres():  # after the table's write: add_user
            set_server_role(name, values["role"])
        return AccountChange(name, str(saved.role), _linked(found))


def _release(ctx: Context, account: str) -> None:
    """A person who carries the account's name stops standing for it (an unlinked account
    would otherwise still find them by that name)."""
    holder = Person.get_or_none(Person.account == account)
    if holder is not None:
        update_person(ctx, holder.id, holder.version, account=None)


def link_me(ctx: Context, typed: str) -> Linked:
    """Say which person the acting account is (``docket init --me``): ``Name <email>``
    found by its address or added, or a person named any way the one lookup rule reads."""
    linked = edit_user(ctx, ctx.actor, person=text("me", typed), field="me").linked
    if linked is None:  # a person was given, so there is one; said for the type checker
        raise ValidationError("me", "expected 'Name <email>'")
    return linked


def organizer_gap(organizer: Person | None) -> str | None:
    """What keeps invites from being written with this organizer, said after "has"
    (followed by :data:`ORGANIZER_NEEDED`); None when nothing does."""
    if organizer is None:
        return "no organizer"
    if not organizer.email:
        return f"an organizer without an e-mail ({organizer.name})"
    return None


def meeting_organizer_gap(meeting_id: int) -> str | None:
    """:func:`organizer_gap` for a saved meeting."""
    organizer = (
        Person.select()
        .join(Meeting, on=(Meeting.organizer == Person.id))
        .where(Meeting.id == meeting_id)
        .first()
    )
    return organizer_gap(organizer)


def link_later(account: str) -> str:
    """How to say later which person an account is."""
    return f"docket user edit {account} --person 'Name <email>'"


class UserFacts(TypedDict):
    """One listed account with its role and person (``docket user list --format json``)."""

    account: str
    role: str
    person: str | None


def list_users() -> list[UserFacts]:
    """Every listed account with its role and person, by account."""
    query = (
        UserAccount.select(UserAccount, Person)
        .join(Person, JOIN.LEFT_OUTER)
        .order_by(UserAccount.account)
    )
    return [
        {
            "account": u.account,
            "role": u.role,
            "person": u.person.name if u.person is not None else None,
        }
        for u in query
    ]
