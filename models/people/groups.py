"""Groups of people (a team, a steering committee), which meetings and plans invite whole."""

from __future__ import annotations

from peewee import JOIN, fn

from docket.models.core import records
from docket.models.core.context import Context
from docket.models.core.database import write
from docket.models.core.errors import NotFoundError, ValidationError
from docket.models.core.inputs import shown, text
from docket.models.core.lookup import exactly_one, name_matches, words
from docket.models.core.schema import Group, GroupMember, Person
from docket.models.people.directory import find_person


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
