"""The accounts a database knows, with their roles (``docket user add|list``)."""

from __future__ import annotations

import pwd
from typing import Any

from peewee import JOIN

from docket.models import records
from docket.models.context import Context
from docket.models.database import write
from docket.models.errors import ValidationError
from docket.models.inputs import choice, shown
from docket.models.people import find_person
from docket.models.roles import require_admin
from docket.models.schema import ROLES, Person, UserAccount


def _account(name: str) -> str:
    typed = (name or "").strip()
    try:
        pwd.getpwnam(typed)
    except KeyError as exc:
        raise ValidationError("account", f"no Unix account {shown(typed)} on this host") from exc
    return typed


def add_user(ctx: Context, account: str, role: str, person: str | None = None) -> UserAccount:
    """Give an account a role (and the person it stands for); an admin's operation.

    An account already listed gets the new role: this is also how roles change.
    """
    values = {"account": _account(account), "role": choice("role", role, ROLES)}
    with write():
        require_admin(ctx)
        found = find_person(person, field="person") if person else None
        existing = UserAccount.get_or_none(UserAccount.account == values["account"])
        if existing is None:
            return records.create(ctx, UserAccount, person=found, **values)
        changes: dict[str, Any] = {"role": values["role"]}
        if found is not None:
            changes["person"] = found
        return records.update(ctx, existing, existing.version, **changes)


def list_users() -> list[dict[str, object]]:
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
