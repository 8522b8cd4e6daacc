"""Who receives the communications of the plan: an item's audience (people and groups) and
the matrix of who gets what, by which channel, how often."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, TypedDict

from peewee import fn

from docket.models.comms.cadence import cadence_words
from docket.models.comms.plan import plan
from docket.models.core.schema import CommsAudience, Group, GroupMember, Person
from docket.models.people.directory import find_person


class MatrixRow(TypedDict):
    """Who receives what: an audience member, an item, its channel and how often."""

    audience: str
    item: str
    program: str
    channel: str
    how_often: str


def matrix(programs: Iterable[int] | None = None) -> list[MatrixRow]:
    """Who receives what: one row per audience member (group or person) and item, with the
    channel and how often, by audience then item."""
    rows: list[MatrixRow] = []
    for row in plan(programs, active_only=True):
        for audience in row.audience or ["(no audience)"]:
            rows.append(
                {
                    "audience": audience,
                    "item": row.item.name,
                    "program": row.item.program.code,
                    "channel": row.item.channel,
                    "how_often": cadence_words(row.item.cadence),
                }
            )
    rows.sort(key=lambda r: (r["audience"].lower(), r["program"], r["item"]))
    return rows


def audience_people(item_id: int) -> list[Person]:
    """Everyone an item goes to: its people and the members of its groups, once each."""
    people: dict[int, Person] = {}
    for entry in CommsAudience.select().where(CommsAudience.item == item_id):
        if entry.__data__.get("person"):
            person: Any = entry.person
            people[person.id] = person
            continue
        in_group = (
            Person.select()
            .join(GroupMember, on=(GroupMember.person == Person.id))
            .where(GroupMember.group == entry.__data__["group"])
        )
        for person in in_group:
            people[person.id] = person
    return sorted(people.values(), key=lambda p: p.name.lower())


def audience_of(typed: str) -> list[str]:
    """Audience entries as typed in one line: separated by commas or semicolons."""
    return [part.strip() for part in typed.replace(";", ",").split(",") if part.strip()]


def describe_audience(entries: Sequence[str]) -> str:
    """Who typed audience entries are, as an item would take them (a group by its name,
    else a person); an entry that names nobody, or several people, is refused."""
    said = []
    for typed in entries:
        group = Group.get_or_none(fn.lower(Group.name) == typed.strip().lower())
        if group is not None:
            members = GroupMember.select().where(GroupMember.group == group).count()
            said.append(f"{group.name} (group of {members})")
        else:
            person = find_person(typed, field="audience")
            said.append(f"{person.name}" + (f" <{person.email}>" if person.email else ""))
    return ", ".join(said)
