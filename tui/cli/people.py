"""``docket person ...`` and ``docket group ...``: the directory of people and their groups.

Each command calls one operation of :mod:`docket.models.people` (its ``persons``,
``directory`` and ``groups``); no rule lives here.
"""

from __future__ import annotations

import click

from docket.exports.tabular.lists.people import GROUPS, MEMBERS, PEOPLE
from docket.models.people import directory as people
from docket.models.people import groups, persons
from docket.tui.cli.emit import emit, emit_csv
from docket.tui.cli.groups import verbs
from docket.tui.cli.params import a_count, as_of_option, edits, format_option
from docket.tui.cli.session import Session, pass_session

KINDS = "staff, stakeholder or contractor"


@verbs()
def person() -> None:
    """The directory of people."""


@person.command("add")
@click.argument("name")
@click.option("--email")
@click.option("--org", "organization")
@click.option("--title")
@click.option("--phone")
@click.option("--tz", "timezone", metavar="AREA/CITY")
@click.option("--kind", default="staff", show_default=True, help=KINDS)
@click.option("--account", help="their Unix account on this host")
@pass_session
def add_person(
    session: Session,
    name: str,
    email: str | None,
    organization: str | None,
    title: str | None,
    phone: str | None,
    timezone: str | None,
    kind: str,
    account: str | None,
) -> None:
    """Add a person (prints their id)."""
    _host_account(account)
    added = persons.add_person(
        session.ctx,
        name,
        email=email,
        organization=organization,
        title=title,
        phone=phone,
        timezone=timezone,
        kind=kind,
        account=account,
    )
    session.print(str(added.id))
    _warn_namesakes(session, added.name, added.id)


@person.command("list")
@click.option("--search", metavar="TEXT")
@click.option("--kind", help=KINDS)
@click.option("--limit", type=a_count("limit"))
@format_option("table", "json", "csv")
@as_of_option
@pass_session
def list_people(
    session: Session, search: str | None, kind: str | None, limit: int | None, fmt: str
) -> None:
    """List or find people."""
    found = people.list_people(search, kind=kind, limit=limit)
    if fmt == "csv":
        emit_csv(session, "people", found)
        return
    rows = [people.person_facts(p) for p in found]
    emit(session, fmt, rows, PEOPLE.cli)


@person.command("edit")
@click.argument("who", metavar="WHO")
@click.option("--name")
@click.option("--email", help="'' for none")
@click.option("--org", "organization")
@click.option("--title")
@click.option("--phone")
@click.option("--tz", "timezone", metavar="AREA/CITY")
@click.option("--kind", help=KINDS)
@click.option("--account", help="their Unix account on this host; '' for none")
@pass_session
def edit_person(session: Session, who: str, **fields: str | None) -> None:
    """Change a person's details.

    WHO is a name, an e-mail, an account or #id.
    """
    names = ("name", "email", "organization", "title", "phone", "timezone", "kind", "account")
    changes = edits(fields, names)
    _host_account(fields["account"])
    found = people.find_person(who)
    updated = persons.update_person(session.ctx, found.id, None, **changes)
    session.print(f"#{updated.id} {updated.name} updated (version {updated.version})")
    if "name" in changes:
        _warn_namesakes(session, updated.name, updated.id)


@person.command("merge")
@click.argument("keep", metavar="KEEP")
@click.argument("gone", metavar="GONE")
@pass_session
def merge(session: Session, keep: str, gone: str) -> None:
    """Make a duplicate into one person.

    Every reference to GONE moves to KEEP; GONE is deleted once moved.
    """
    merged = persons.merge_people(session.ctx, keep, gone)
    moved = ", ".join(f"{r.what} ×{r.count}" for r in merged.moved) or "nothing"
    session.print(f"merged {merged.removed} into {people.describe(merged.kept)}")
    session.print(f"moved: {moved}")
    if merged.dropped:
        session.print(f"named both already (the duplicate's copy removed): {merged.dropped}")
    if merged.filled:
        session.print(f"filled from the duplicate: {', '.join(merged.filled)}")


@person.command("delete")
@click.argument("who", metavar="WHO")
@pass_session
def delete(session: Session, who: str) -> None:
    """Delete a person nothing refers to.

    WHO is a name, an e-mail, an account or #id.
    """
    gone = persons.delete_person(session.ctx, who)
    session.print(f"deleted {people.describe(gone)}")


def _host_account(typed: str | None) -> None:
    """An account given on the command line is one this host has, as ``user add`` checks
    (the directory itself also keeps accounts of other hosts, from imports and the app)."""
    from docket.models.accounts.users import host_account

    if typed and typed.strip():
        host_account(typed)


def _warn_namesakes(session: Session, name: str, person_id: int) -> None:
    """A line on stderr naming the others called ``name``: the new one is still made, but
    the user learns that lookups by name will now ask which one."""
    others = people.namesakes(name, besides=person_id)
    if others:
        listed = ", ".join(people.describe(p) for p in others)
        session.err.write(
            f"docket: warning: {people.describe(people.find_person(person_id))} has the same "
            f"name as {listed}; refer to them by e-mail or #id\n"
        )


@verbs()
def group() -> None:
    """Groups of people (distribution lists)."""


@group.command("add")
@click.argument("name")
@click.option("--member", "members", multiple=True, metavar="WHO")
@click.option("--description", default="")
@pass_session
def add_group(session: Session, name: str, members: tuple[str, ...], description: str) -> None:
    """Add a group (prints its id)."""
    added = groups.add_group(session.ctx, name, description=description, members=list(members))
    session.print(str(added.id))


@group.command("list")
@format_option("table", "json")
@as_of_option
@pass_session
def list_groups(session: Session, fmt: str) -> None:
    """List groups."""
    rows = [
        {"id": g.id, "name": g.name, "members": n, "description": g.description}
        for g, n in groups.list_groups()
    ]
    emit(session, fmt, rows, GROUPS.cli)


@group.command("members")
@click.argument("name")
@click.option("--add", "added", multiple=True, metavar="WHO")
@click.option("--remove", "removed", multiple=True, metavar="WHO")
@format_option("table", "json")
@pass_session
def members(
    session: Session, name: str, added: tuple[str, ...], removed: tuple[str, ...], fmt: str
) -> None:
    """Show a group's members, or add and remove some."""
    if added:
        groups.add_members(session.ctx, name, list(added))
    if removed:
        groups.remove_members(session.ctx, name, list(removed))
    rows = [people.person_facts(p) for p in groups.members(name)]
    emit(session, fmt, rows, MEMBERS.cli)
