"""The communications plan: who gets which communication, by which channel, how often.

An item's cadence is a repeat rule (RFC 5545 or words, as meetings take them) counted from
its ``starts`` day, or one date for a one-off. Its next due day is the first day of the
cadence after the last time it was sent (or from ``starts`` when never sent); a due day
before today is overdue. Sending is logged with who sent it, a note, the artifact (a
file's name and SHA-256, so the log shows exactly what went out) and how: ``sent`` (docket's
SMTP server accepted it for at least one of the audience), ``by hand`` (someone says they
sent it) or ``exported`` (only written to a file). Only ``sent`` and ``by hand`` count as the
item having gone out; a file written is not a sending.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple, TypedDict, cast

from peewee import JOIN, fn

from docket.models.comms.cadence import cadence_of, cadence_words, is_date, next_due
from docket.models.core import records
from docket.models.core.context import Context
from docket.models.core.database import write
from docket.models.core.dates import parse_date
from docket.models.core.errors import ValidationError
from docket.models.core.inputs import choice, text
from docket.models.core.schema import (
    CHANNELS,
    DIGEST_KINDS,
    CommsAudience,
    CommsItem,
    CommsLogEntry,
    Group,
    Person,
    Program,
    database,
)
from docket.models.people.directory import find_person
from docket.models.portfolio.programs import get_program

NAME_MAX = 200

# how a log entry was made that counts as the item having gone out
SENT_HOWS = ("sent", "by hand")


class PlanRow(NamedTuple):
    """One plan item with what is derived from it and its log (``exported``: written to a
    file after the last sending, and not sent since). A named tuple: a frozen dataclass
    costs every command that imports this several times as much to define."""

    item: CommsItem
    last_sent: datetime | None
    due: date | None
    audience: list[str]
    exported: datetime | None = None

    def overdue(self, today: date) -> bool:
        return self.due is not None and self.due < today


def _last_logged(ids: Sequence[int]) -> tuple[dict[int, datetime], dict[int, datetime]]:
    """Per item: the last sending that counts (sent or by hand), and the last file
    exported after it."""
    # here, not above: the plan's commands that read no log do not import meetings
    from docket.models.meetings.occurrences import among

    sent: dict[int, datetime] = {}
    exported: dict[int, datetime] = {}
    if ids:
        query: Any = (
            CommsLogEntry.select(
                CommsLogEntry.item,
                CommsLogEntry.how,
                fn.MAX(CommsLogEntry.sent_at).alias("last"),
            )
            # the items' ids as one parameter: hundreds of them are not written out one by one
            .where(CommsLogEntry.item.in_(among(ids)))
            .group_by(CommsLogEntry.item, CommsLogEntry.how)
        )
        # the cursor's own rows, MAX of the column converted by the column's own field
        instant = CommsLogEntry.sent_at.python_value
        for item_id, how, stored in database.execute(query):
            last = instant(stored)
            if last is None:  # the MAX of a column never empty: not None, for the checker
                continue
            into = sent if how in SENT_HOWS else exported
            if item_id not in into or last > into[item_id]:
                into[item_id] = last
    for item_id in [i for i, at in exported.items() if i in sent and at <= sent[i]]:
        del exported[item_id]
    return sent, exported


def _audiences(ids: Sequence[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for first in range(0, len(ids), 500):
        chunk = list(ids[first : first + 500])
        query: Any = (
            CommsAudience.select(CommsAudience.item, Group.name, Person.name)
            .join(Group, JOIN.LEFT_OUTER, on=(CommsAudience.group == Group.id))
            .join_from(
                CommsAudience, Person, JOIN.LEFT_OUTER, on=(CommsAudience.person == Person.id)
            )
            .where(CommsAudience.item.in_(chunk))
            .order_by(CommsAudience.item, CommsAudience.id)
            .tuples()
        )
        for item_id, group, person in query:
            found.setdefault(item_id, []).append(group or person)
    return found


def plan(
    programs: Iterable[int] | None = None,
    *,
    active_only: bool = False,
    audiences: bool = True,
    item_ids: Iterable[int] | None = None,
) -> list[PlanRow]:
    """The plan items (of these program ids, or all; only ``item_ids`` when given) with their
    last sending, next due day and audience (not read when ``audiences`` is False: each
    row's is then empty), in a fixed number of queries; overdue and soonest due first."""
    query = (
        CommsItem.select(CommsItem, Program, Person)
        .join(Program)
        .join_from(CommsItem, Person, JOIN.LEFT_OUTER, on=(CommsItem.owner == Person.id))
        .order_by(CommsItem.id)
    )
    if programs is not None:
        query = query.where(CommsItem.program.in_(list(programs)))
    if item_ids is not None:
        query = query.where(CommsItem.id.in_(list(item_ids)))
    if active_only:
        query = query.where(CommsItem.active == True)  # noqa: E712 - SQL, not Python
    items = list(query)
    ids = [i.id for i in items]
    (last, exported), audience = _last_logged(ids), _audiences(ids) if audiences else {}
    rows = [
        PlanRow(
            i,
            last.get(i.id),
            next_due(i, last.get(i.id)),
            audience.get(i.id, []),
            exported.get(i.id),
        )
        for i in items
    ]
    far = date.max
    rows.sort(key=lambda r: (r.due or far, r.item.program.code, r.item.name))
    return rows


class DueRow(NamedTuple):
    """An active plan item's next due day and what a digest shows of it: read as plain
    rows, as a digest of everything reads hundreds."""

    id: int
    program: str
    name: str
    channel: str
    owner: str | None
    cadence: str
    starts: date
    active: bool
    due: date | None


def due_rows(programs: Iterable[int] | None = None) -> list[DueRow]:
    """The active items (of these program ids, or all) with their next due day, in the
    order of :func:`plan` and with its due days, without its model objects and audiences:
    the communications a digest lists, in a fixed number of queries."""
    query: Any = (
        CommsItem.select(
            CommsItem.id,
            Program.code,
            CommsItem.name,
            CommsItem.channel,
            Person.name,
            CommsItem.cadence,
            CommsItem.starts,
            CommsItem.active,
        )
        .join(Program)
        .join_from(CommsItem, Person, JOIN.LEFT_OUTER, on=(CommsItem.owner == Person.id))
        .where(CommsItem.active == True)  # noqa: E712 - SQL, not Python
        .order_by(CommsItem.id)
    )
    if programs is not None:
        query = query.where(CommsItem.program.in_(list(programs)))
    # the cursor's own rows, the day and the flag converted as the fields would
    day, flag = CommsItem.starts.python_value, CommsItem.active.python_value
    found = [
        DueRow(ident, code, name, channel, owner, cadence, day(starts), flag(active), None)
        for ident, code, name, channel, owner, cadence, starts, active in database.execute(query)
    ]
    last, _ = _last_logged([row.id for row in found])
    due = [row._replace(due=next_due(row, last.get(row.id))) for row in found]
    return sorted(due, key=lambda r: (r.due or date.max, r.program, r.name))


def due_within(today: date, days: int, programs: Iterable[int] | None = None) -> list[PlanRow]:
    """Items overdue or due within ``days`` days of ``today``."""
    last = today + timedelta(days=days)
    return [r for r in plan(programs, active_only=True) if r.due is not None and r.due <= last]


def first_due_within(
    today: date, days: int, programs: Iterable[int] | None, shown: int
) -> tuple[list[PlanRow], int]:
    """The first ``shown`` of :func:`due_within` and how many it has: the due days read as
    plain rows, only those shown as plan rows (Today: a handful of hundreds)."""
    last = today + timedelta(days=days)
    due = [r.id for r in due_rows(programs) if r.due is not None and r.due <= last]
    return plan(programs, active_only=True, item_ids=due[:shown]), len(due)


class PlanFacts(TypedDict):
    """One plan item as plain data (``docket comms list --format json``)."""

    id: int
    program: str
    name: str
    channel: str
    cadence: str
    cadence_words: str
    starts: str
    owner: str | None
    digest: str | None
    active: bool
    audience: list[str]
    last_sent: str | None
    exported_not_sent: str | None
    due: str | None
    overdue: bool
    days_overdue: int
    purpose: str
    version: int


def plan_facts(row: PlanRow, today: date) -> PlanFacts:
    """One plan item as plain data: its stable JSON form."""
    item = row.item
    owner = item.owner if item.__data__.get("owner") else None
    return {
        "id": item.id,
        "program": item.program.code,
        "name": item.name,
        "channel": item.channel,
        "cadence": item.cadence,
        "cadence_words": cadence_words(item.cadence),
        "starts": item.starts.isoformat(),
        "owner": owner.name if owner else None,
        "digest": item.digest_kind,
        "active": bool(item.active),
        "audience": row.audience,
        "last_sent": row.last_sent.isoformat() if row.last_sent else None,
        "exported_not_sent": row.exported.isoformat() if row.exported else None,
        "due": row.due.isoformat() if row.due else None,
        "overdue": row.overdue(today),
        "days_overdue": (today - row.due).days if row.overdue(today) and row.due else 0,
        "purpose": item.purpose,
        "version": item.version,
    }


def _audience_rows(ctx: Context, item: CommsItem, audience: Sequence[str]) -> None:
    """Add each typed audience: a group by its name, else a person."""
    for typed in audience:
        group = Group.get_or_none(fn.lower(Group.name) == typed.strip().lower())
        if group is not None:
            records.create(ctx, CommsAudience, item=item, group=group)
        else:
            records.create(
                ctx, CommsAudience, item=item, person=find_person(typed, field="audience")
            )


def _values(ctx: Context, changes: dict[str, Any], starts: date) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if "name" in changes:
        values["name"] = text("name", changes["name"], max_length=NAME_MAX)
    if "purpose" in changes:
        values["purpose"] = text("purpose", changes["purpose"], required=False, max_length=2000)
    if "channel" in changes:
        values["channel"] = choice("channel", changes["channel"], CHANNELS)
    if changes.get("digest"):
        values["digest_kind"] = choice("digest", changes["digest"], DIGEST_KINDS)
    elif "digest" in changes:
        values["digest_kind"] = None
    if "cadence" in changes:
        values["cadence"] = cadence_of(ctx, changes["cadence"], starts)
    return values


def _starts(ctx: Context, typed: str | date | None, default: date) -> date:
    if isinstance(typed, date):
        return typed
    if not typed:
        return default
    return parse_date(typed, ctx.today(), field="starts", day_first=ctx.day_first)


def add_item(
    ctx: Context,
    name: str,
    *,
    program: str,
    cadence: str,
    channel: str = "e-mail",
    audience: Sequence[str] = (),
    purpose: str = "",
    owner: str | None = None,
    digest: str | None = None,
    starts: str | date | None = None,
) -> CommsItem:
    """A new plan item with its audience (groups and people)."""
    first = _starts(ctx, starts, ctx.today())
    values = _values(
        ctx,
        {
            "name": name,
            "purpose": purpose,
            "channel": channel,
            "digest": digest,
            "cadence": cadence,
        },
        first,
    )
    with write():
        values["program"] = get_program(program)
        values["owner"] = find_person(owner, field="owner") if owner else None
        item = records.create(ctx, CommsItem, starts=first, active=True, **values)
        _audience_rows(ctx, item, audience)
        return item


def update_item(
    ctx: Context,
    item_id: int,
    version: int | None = None,
    *,
    add_audience: Sequence[str] = (),
    remove_audience: Sequence[str] = (),
    **changes: Any,
) -> CommsItem:
    """Change a plan item: name, purpose, channel, cadence, starts, owner, digest, active,
    program; add or remove audience."""
    known = {
        "name",
        "purpose",
        "channel",
        "cadence",
        "starts",
        "owner",
        "digest",
        "active",
        "program",
    }
    unknown = set(changes) - known
    if unknown:
        raise ValidationError(sorted(unknown)[0], "is not a field of a plan item")
    with write():
        item = records.get_current(CommsItem, item_id, version)
        starts = _starts(ctx, changes.get("starts"), item.starts)
        values = _values(ctx, changes, starts)
        if "starts" in changes:
            values["starts"] = starts
            if "cadence" not in changes and not is_date(item.cadence):
                values["cadence"] = cadence_of(ctx, item.cadence, starts)
        if "owner" in changes:
            values["owner"] = (
                find_person(changes["owner"], field="owner") if changes["owner"] else None
            )
        if "program" in changes:
            values["program"] = get_program(changes["program"])
        if "active" in changes:
            values["active"] = bool(changes["active"])
        updated = records.update(ctx, item, item.version, **values) if values else item
        _audience_rows(ctx, updated, add_audience)
        for typed in remove_audience:
            _remove_audience(ctx, updated, typed)
        return records.get(CommsItem, item_id)


def _remove_audience(ctx: Context, item: CommsItem, typed: str) -> None:
    group = Group.get_or_none(fn.lower(Group.name) == typed.strip().lower())
    if group is not None:
        row = CommsAudience.get_or_none(CommsAudience.item == item, CommsAudience.group == group)
    else:
        person = find_person(typed, field="audience")
        row = CommsAudience.get_or_none(CommsAudience.item == item, CommsAudience.person == person)
    if row is None:
        raise ValidationError("audience", f"{typed} is not in the audience of item {item.id}")
    records.delete(ctx, row, row.version)


class ItemValues(TypedDict):
    """A plan item as its edit form shows it, each field as it can be typed back."""

    id: int
    name: str
    program: str
    channel: str
    cadence: str
    starts: str
    owner: str
    digest: str
    active: bool
    audience: list[str]
    purpose: str
    version: int


def item_values(item_id: int) -> ItemValues:
    """A plan item as its edit form shows it: each field as it can be typed back (the owner
    and audience people by e-mail where they have one, groups by name), and its version."""
    item = records.get(CommsItem, item_id)

    def typed(person: Person) -> str:
        return str(person.email or person.name)

    audience = []
    for entry in (
        CommsAudience.select().where(CommsAudience.item == item_id).order_by(CommsAudience.id)
    ):
        group: Any = entry.group if entry.__data__.get("group") else None
        audience.append(str(group.name) if group is not None else typed(cast(Any, entry.person)))
    owner: Any = item.owner if item.__data__.get("owner") else None
    return {
        "id": item.id,
        "name": item.name,
        "program": item.program.code,
        "channel": item.channel,
        "cadence": item.cadence,
        "starts": item.starts.isoformat(),
        "owner": typed(owner) if owner is not None else "",
        "digest": item.digest_kind or "",
        "active": bool(item.active),
        "audience": audience,
        "purpose": item.purpose,
        "version": item.version,
    }
