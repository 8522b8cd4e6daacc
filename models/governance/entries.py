"""What the entries of the RAID log share: days and people as typed, and who entered a record
made in someone else's name."""

from __future__ import annotations

from datetime import date

from docket.models.core.context import Context
from docket.models.core.dates import parse_date
from docket.models.core.schema import Person
from docket.models.people.directory import find_person, person_for_account


def entry_day(ctx: Context, field: str, typed: str | date | None) -> date | None:
    """A day as typed for ``field`` (None when blank)."""
    if typed in (None, ""):
        return None
    if isinstance(typed, date):
        return typed
    return parse_date(str(typed), ctx.today(), field=field, day_first=ctx.day_first)


def person_named(typed: str | None, field: str) -> Person | None:
    """The person ``typed`` names for ``field`` (None when blank)."""
    return find_person(typed, field=field) if typed else None


def entered_for(ctx: Context, person: Person | None) -> str:
    """The account to keep as having entered a decision for ``person``: none when it is
    ``person``'s own account (or nobody is named), else the acting account, so that a record
    made in someone else's name says who made it."""
    if person is None:
        return ""
    mine = person_for_account(ctx.actor)
    return "" if mine is not None and mine.id == person.id else ctx.actor


def on_behalf(name: str | None, entered_by: str) -> str | None:
    """``Ana Lopez`` or ``Ana Lopez (entered by jdoe)``: who decided, as lists, the RAID
    screen and digests show it."""
    if not name:
        return None
    return f"{name} (entered by {entered_by})" if entered_by else name
