"""A meeting's attendees: who is invited in which role, and what they answered."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from peewee import Case, fn

from docket.models.core import records
from docket.models.core.context import Context
from docket.models.core.database import write
from docket.models.core.errors import NotFoundError, ValidationError
from docket.models.core.inputs import choice
from docket.models.core.schema import ATTENDEE_ROLES, RESPONSES, Attendee, Meeting, Person
from docket.models.people.directory import find_person, person_for_account
from docket.models.people.groups import get_group, members


def attendees_of(meeting_id: int) -> list[Attendee]:
    """A meeting's attendees with their person, chair first, then by name."""
    role_rank = Case(Attendee.role, (("chair", 0), ("required", 1)), 2)
    return list(
        Attendee.select(Attendee, Person)
        .join(Person)
        .where(Attendee.meeting == meeting_id)
        .order_by(role_rank, fn.lower(Person.name), Person.id)
    )


@dataclass
class Invitees:
    """Attendees to add, as (person, role) in the order given, without repeats."""

    people: dict[int, tuple[Person, str]] = field(default_factory=dict)

    def add(self, person: Person, role: str) -> None:
        current = self.people.get(person.id)
        # a stronger role wins: chair over required over optional
        if current is None or ATTENDEE_ROLES.index(role) < ATTENDEE_ROLES.index(current[1]):
            self.people[person.id] = (person, role)


def _who_and_role(typed: str) -> tuple[str, str]:
    """``ana`` or ``ana:optional``: a person and the role they attend in."""
    who, sep, role = typed.rpartition(":")
    if sep and role.strip().lower() in ATTENDEE_ROLES:
        return who, role.strip().lower()
    return typed, "required"


def invitees_of(attendees: Iterable[str], groups: Iterable[str]) -> Invitees:
    """The people to invite: each attendee as typed (with a role), every member of each group."""
    found = Invitees()
    for typed in attendees:
        who, role = _who_and_role(typed)
        found.add(find_person(who, field="attendee"), role)
    for name in groups:
        get_group(name)
        for person in members(name):
            found.add(person, "required")
    return found


def organizer_for(ctx: Context, organizer: str | None) -> Person | None:
    """The organizer named, else the acting account's person (None when it has none)."""
    if organizer:
        return find_person(organizer, field="organizer")

    return person_for_account(ctx.actor)


def change_attendees(
    ctx: Context,
    meeting: Meeting,
    add: Sequence[str],
    groups: Sequence[str],
    remove: Sequence[str],
) -> None:
    """Add attendees and groups' members (a stronger role wins) and remove those named."""
    invitees = invitees_of(add, groups)
    current = {
        a.__data__["person"]: a for a in Attendee.select().where(Attendee.meeting == meeting)
    }
    for person, role in invitees.people.values():
        existing = current.get(person.id)
        if existing is None:
            records.create(ctx, Attendee, meeting=meeting, person=person, role=role)
        elif existing.role != role and add:
            records.update(ctx, existing, existing.version, role=role)
    for typed in remove:
        person = find_person(typed, field="attendee")
        existing = current.get(person.id)
        if existing is None:
            raise ValidationError("attendee", f"{person.name} does not attend meeting {meeting.id}")
        records.delete(ctx, existing, existing.version)


def set_response(ctx: Context, meeting_id: int, who: str | int, response: str) -> Attendee:
    """Record an attendee's answer: accepted, declined, tentative or needs action."""
    answer = choice("response", response, RESPONSES)
    with write():
        person = find_person(who, field="attendee")
        attendee = Attendee.get_or_none(Attendee.meeting == meeting_id, Attendee.person == person)
        if attendee is None:
            raise NotFoundError(f"attendee: {person.name} does not attend meeting {meeting_id}")
        return records.update(ctx, attendee, attendee.version, response=answer)
