"""``docket user ...``: the accounts a database lists and their roles.

The rules (who may give which role, linking an account to a person) live in
:mod:`docket.models.accounts.users`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from docket.exports.tabular.lists.people import USERS
from docket.tui.cli.emit import emit
from docket.tui.cli.groups import verbs
from docket.tui.cli.output import clean
from docket.tui.cli.params import as_of_option, edits, format_option
from docket.tui.cli.session import Session, pass_session

if TYPE_CHECKING:
    from docket.models.accounts.users import AccountChange

ROLES = ("admin", "editor", "viewer")


@verbs()
def user() -> None:
    """Accounts and their roles: admin, editor, viewer."""


@user.command("add")
@click.argument("account")
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option(
    "--person",
    metavar="WHO",
    help="the person the account stands for: 'Name <email>' (found or added), a name, #id",
)
@pass_session
def add(session: Session, account: str, role: str, person: str | None) -> None:
    """Give a Unix account a role (admins only)."""
    from docket.models.accounts.users import add_user

    added = add_user(session.ctx, account, role, person)
    session.print(f"{added.account} is now {added.role}")
    _say_linked(session, added)


@user.command("edit")
@click.argument("account")
@click.option("--role", type=click.Choice(ROLES))
@click.option("--person", metavar="WHO", help="'Name <email>', a name or #id; '' for nobody")
@pass_session
def edit(session: Session, account: str, **fields: str | None) -> None:
    """Change a listed account's role (admins) or its person (also your own)."""
    from docket.models.accounts.users import edit_user

    edited = edit_user(session.ctx, account, **edits(fields, ("role", "person")))
    if fields["role"] is not None:
        session.print(f"{edited.account} is now {edited.role}")
    if fields["person"] == "":
        session.print(f"{edited.account} stands for nobody now")
    _say_linked(session, edited)


def _say_linked(session: Session, changed: AccountChange) -> None:
    if changed.linked is not None:
        added = ", added to the people" if changed.linked.added else ""
        session.print(f"{changed.account} stands for {clean(changed.linked.said())}{added}")


@user.command("list")
@format_option("table", "json")
@as_of_option
@pass_session
def list_users(session: Session, fmt: str) -> None:
    """The accounts this database lists."""
    from docket.models.accounts.roles import DEFAULT_ROLE
    from docket.models.accounts.users import list_users as listed
    from docket.models.core.engine import is_postgres

    emit(session, fmt, listed(), USERS.cli)
    if fmt == "table" and is_postgres():
        session.print("(the PostgreSQL server's roles decide; 'docket user add' gives them)")
    elif fmt == "table":
        session.print(f"(accounts not listed are {DEFAULT_ROLE}s)")
