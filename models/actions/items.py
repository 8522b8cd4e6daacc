"""Action items: the unit of follow-up, and the rules for overdue and due soon.

An item is *open* while its status is open, in progress or blocked. An open item is
*overdue* when its due date is before today, and *due soon* when it is due today or within
the next ``DUE_SOON_DAYS`` days. Those rules are written once here, as SQL conditions for
queries and as :func:`due_state` for a single item, and tested to agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple, TypedDict

from peewee import JOIN, SQL, Expression, fn

from docket.models.actions.search import WALKED, common, contains_clause, like_clause
from docket.models.core import records
from docket.models.core.context import Context
from docket.models.core.database import write
from docket.models.core.errors import ValidationError
from docket.models.core.fields import to_utc_text
from docket.models.core.inputs import a_date, choice, text, whole_number
from docket.models.core.schema import (
    ACTION_STATUSES,
    OPEN_ACTION_STATUSES,
    PRIORITIES,
    PRIORITY_RANK_SQL,
    ActionItem,
    Person,
    Program,
    database,
    sql_list,
)
from docket.models.people.directory import find_person, matching_ids
from docket.models.portfolio.programs import get_program, program_and_children

DUE_SOON_DAYS = 7
CLOSED_STATUSES = ("done", "cancelled")
# --status also takes these words for sets of statuses
STATUS_SETS = {"active": OPEN_ACTION_STATUSES, "closed": CLOSED_STATUSES, "all": ACTION_STATUSES}
SORTS = ("due", "priority", "owner", "program", "created")

TITLE_MAX = 200
NOTES_MAX = 20_000


def _status_in(statuses: tuple[str, ...]) -> Expression:
    # constants, not parameters: SQLite matches a partial index (schema.EXTRA_SQL) only
    # against the same literal values
    return ActionItem.status.in_(SQL(sql_list(statuses)))


def is_open_clause() -> Expression:
    """SQL: the item is still to be done."""
    return _status_in(OPEN_ACTION_STATUSES)


def overdue_clause(today: date) -> Expression:
    """SQL: open and due before today."""
    return is_open_clause() & (ActionItem.due < today)


def due_soon_clause(today: date, days: int = DUE_SOON_DAYS) -> Expression:
    """SQL: open and due between today and ``days`` days from now, both included."""
    return is_open_clause() & ActionItem.due.between(today, today + timedelta(days=days))


def due_state(item: ActionItem, today: date, days: int = DUE_SOON_DAYS) -> str:
    """One word for where an item stands: done, cancelled, overdue, due soon, open."""
    return state_of(str(item.status), item.due, today, days)


def state_of(status: str, due: date | None, today: date, days: int = DUE_SOON_DAYS) -> str:
    """:func:`due_state` of an item with this status and due date."""
    if status in CLOSED_STATUSES:
        return status
    if due is not None and due < today:
        return "overdue"
    if due is not None and due <= today + timedelta(days=days):
        return "due soon"
    return "open"


def days_overdue(item: ActionItem, today: date) -> int:
    """How many days past due an open item is (0 when it is not overdue)."""
    if item.status in CLOSED_STATUSES or item.due is None or item.due >= today:
        return 0
    return (today - item.due).days


class ActionFilter(NamedTuple):
    """Which action items a list shows, and in what order."""

    program: str | None = None
    owner: str | None = None
    status: str = "active"
    overdue: bool = False
    due_within: int | None = None
    due_before: date | None = None
    # strictly after this day; like due_before, it leaves undated items out
    due_after: date | None = None
    priority: str | None = None
    # a loose owner match: every word in the name, or the account, or the start of the e-mail
    owner_like: str | None = None
    # everyone's but this person's (id): Today's "everyone else's" lists
    not_owner: int | None = None
    # words that must all appear in the title or notes; "a phrase" in double quotes is one word
    search: str | None = None
    sort: str = "due"
    limit: int | None = None
    offset: int = 0


_SEARCH_WORD = re.compile(r'"([^"]+)"|(\S+)')


def search_words(search: str) -> list[str]:
    """The words of a search: each must match; ``"a phrase"`` in double quotes is one word."""
    return [phrase or word for phrase, word in _SEARCH_WORD.findall(search)]


def _owner_like_clause(typed: str) -> Expression:
    """The items of the people ``@who`` may mean (:func:`people.matching_ids`: the starts of
    their name's words, accents and case aside, or their account, or the start of their
    e-mail), by the owner index: no join on Person."""
    return ActionItem.owner.in_(matching_ids(typed))


def _statuses(word: str) -> tuple[str, ...]:
    cleaned = word.strip().lower()
    if cleaned in STATUS_SETS:
        return STATUS_SETS[cleaned]
    return (choice("status", cleaned, (*ACTION_STATUSES, *STATUS_SETS)),)


# unqualified, as in the index; no other table in the list query has a priority column
_PRIORITY_RANK = SQL(PRIORITY_RANK_SQL)
# the order of dated lists (overdue, due soon): soonest first, then the most urgent
DATED_ORDER = (ActionItem.due, _PRIORITY_RANK, ActionItem.id)


def _filtered(ctx: Context, flt: ActionFilter, query: Any, *, listed: bool = False) -> Any:
    """``query`` narrowed to the items the filter matches (``listed``: in the list's order,
    which for open items by due date an index gives)."""
    today = ctx.today()
    statuses = _statuses(flt.status)
    query = query.where(_status_in(statuses))
    if flt.program:
        query = query.where(ActionItem.program.in_(program_and_children(flt.program)))
    if flt.owner:
        query = query.where(ActionItem.owner == find_person(flt.owner, field="owner"))
    if flt.overdue:
        query = query.where(overdue_clause(today))
    if flt.due_within is not None:
        days = whole_number("due within", flt.due_within, minimum=0, maximum=3650)
        query = query.where(ActionItem.due <= today + timedelta(days=days))
    if flt.due_before is not None:
        query = query.where(ActionItem.due < flt.due_before)
    if flt.due_after is not None:
        query = query.where(ActionItem.due > flt.due_after)
    if flt.priority:
        query = query.where(ActionItem.priority == choice("priority", flt.priority, PRIORITIES))
    if flt.not_owner is not None:
        query = query.where(ActionItem.owner.is_null() | (ActionItem.owner != flt.not_owner))
    if flt.owner_like and flt.owner_like.strip().lstrip("@"):
        query = query.where(_owner_like_clause(flt.owner_like))
    if flt.search:
        in_order = listed and _in_order(flt)
        for word in search_words(flt.search):
            query = query.where(contains_clause(word, in_order=in_order))
    return query


def _query(ctx: Context, flt: ActionFilter, *columns: Any) -> Any:
    """The list's query: whole items with their program and owner, or ``columns`` only."""
    query = (
        ActionItem.select(*(columns or (ActionItem, Program, Person)))
        .join_from(ActionItem, Program, JOIN.LEFT_OUTER)
        .join_from(ActionItem, Person, JOIN.LEFT_OUTER)
    )
    query = _filtered(ctx, flt, query, listed=True)
    sort = choice("sort", flt.sort, SORTS)
    # undated items last, unless a due bound has already left them out (the index for that
    # list has no such column)
    dated = (
        flt.overdue
        or flt.due_within is not None
        or flt.due_before is not None
        or flt.due_after is not None
    )
    due_last = (ActionItem.due,) if dated else (ActionItem.due.is_null(), ActionItem.due)
    orders: dict[str, tuple[Any, ...]] = {
        "due": DATED_ORDER if dated else (ActionItem.due.is_null(), *DATED_ORDER),
        "priority": (_PRIORITY_RANK, *due_last, ActionItem.id),
        "owner": (Person.name.is_null(), fn.lower(Person.name), *due_last, ActionItem.id),
        "program": (Program.code.is_null(), Program.code, *due_last, ActionItem.id),
        "created": (ActionItem.created_at.desc(), ActionItem.id.desc()),
    }
    return query.order_by(*orders[sort])


def get_action(action_id: int) -> ActionItem:
    """One action item by id."""
    return records.get(ActionItem, action_id)


def list_actions(ctx: Context, flt: ActionFilter | None = None) -> list[ActionItem]:
    """Action items matching a filter, with program and owner loaded in the same query."""
    flt = flt or ActionFilter()
    if flt.limit is None:
        return list(_query(ctx, flt))
    limit = whole_number("limit", flt.limit, minimum=1)
    walked = _page_among_first(ctx, flt, limit)
    if walked is not None:
        return walked
    return list(_query(ctx, flt).limit(limit).offset(flt.offset))


def _page_among_first(ctx: Context, flt: ActionFilter, limit: int) -> list[ActionItem] | None:
    """A page of a search for common words (the app's filter, say "the") found among the
    first :data:`~docket.models.actions.search.WALKED` open items in the list's own order by
    the LIKE test alone; None when the search is not such or that many items do not fill the
    page, and the whole query answers. The same page: the first ``offset + limit`` items that
    match are among those items in that order."""
    if not flt.search or not _in_order(flt) or flt.offset + limit > WALKED // 4:
        return None
    words = search_words(flt.search)
    if not all(common(word) for word in words):
        return None
    plain = flt._replace(search=None, limit=None, offset=0)
    first = _query(ctx, plain, ActionItem.id).limit(WALKED)
    query = _query(ctx, plain).where(ActionItem.id.in_(first))
    for word in words:
        query = query.where(like_clause(word))
    found = list(query.limit(limit).offset(flt.offset))
    return found if len(found) == limit else None


def _in_order(flt: ActionFilter) -> bool:
    """Whether the list walks an index in its own order: open items by due day."""
    return flt.sort == "due" and _statuses(flt.status) == OPEN_ACTION_STATUSES


class ActionLine(NamedTuple):
    """One item of a long list: only the columns the list shows."""

    id: int
    due: date | None
    status: str
    priority: str
    # the program's code and the owner's name
    program: str | None
    owner: str | None
    title: str


def action_lines(ctx: Context, flt: ActionFilter | None = None) -> Iterator[ActionLine]:
    """The items :func:`list_actions` gives, as tuples of the shown columns read one at a
    time from the database: memory stays the same however many (no model objects)."""
    flt = flt or ActionFilter()
    query = _query(
        ctx,
        flt,
        ActionItem.id,
        ActionItem.due,
        ActionItem.status,
        ActionItem.priority,
        Program.code,
        Person.name,
        ActionItem.title,
    )
    if flt.limit is not None:
        query = query.limit(whole_number("limit", flt.limit, minimum=1)).offset(flt.offset)
    # the cursor's own tuples: only the due day needs converting
    day = ActionItem.due.python_value
    for id_, due, *rest in database.execute(query):
        yield ActionLine(id_, day(due), *rest)


def count_actions(ctx: Context, flt: ActionFilter | None = None) -> int:
    """How many action items match a filter."""
    flt = flt or ActionFilter()
    # no joins (``@who`` is a list of owner ids): counting reads one index
    query = ActionItem.select(fn.COUNT(ActionItem.id))
    return int(_filtered(ctx, flt, query).scalar() or 0)


def _clean(ctx: Context, changes: dict[str, Any]) -> dict[str, Any]:
    """Validate typed values for the fields given; referenced records are looked up."""
    values: dict[str, Any] = {}
    for name, value in changes.items():
        if name == "title":
            values["title"] = text("title", value, max_length=TITLE_MAX)
        elif name == "notes":
            values["notes"] = text(
                "notes", value, required=False, max_length=NOTES_MAX, multiline=True
            )
        elif name == "owner":
            values["owner"] = find_person(value, field="owner") if value else None
        elif name == "program":
            values["program"] = get_program(value) if value else None
        elif name == "due":
            values["due"] = a_date(ctx, "due", value)
        elif name == "priority":
            values["priority"] = choice("priority", value, PRIORITIES)
        elif name == "status":
            values["status"] = choice("status", value, ACTION_STATUSES)
        else:
            raise ValidationError(name, "is not a field of an action item")
    return values


def add_action(
    ctx: Context,
    title: str,
    *,
    owner: str | None = None,
    due: str | date | None = None,
    program: str | None = None,
    priority: str = "normal",
    notes: str = "",
    source_meeting: int | None = None,
    source_occurrence: datetime | None = None,
) -> ActionItem:
    """Create an open action item from what was typed; returns it."""
    fields = {"title": title, "notes": notes, "priority": priority, "due": due}
    values = _clean(ctx, fields)
    with write():
        values.update(_clean(ctx, {"owner": owner, "program": program}))
        return records.create(
            ctx,
            ActionItem,
            status="open",
            source_meeting=source_meeting,
            source_occurrence=source_occurrence,
            **values,
        )


def action_values(ctx: Context, title: str, **typed: Any) -> dict[str, Any]:
    """A new item's fields from what was typed (an import's row: owner, due, program,
    priority, notes, status), each checked; a closed one is closed now."""
    values = _clean(ctx, {"title": title, "priority": "normal", "status": "open", **typed})
    if values["status"] in CLOSED_STATUSES:
        values["closed_at"] = ctx.now()
    return values


def _closing(values: dict[str, Any], item: ActionItem, ctx: Context) -> None:
    """Keep ``closed_at`` true to the status: set when an item closes, cleared when reopened."""
    status = values.get("status")
    if status is None or status == item.status:
        return
    if status in CLOSED_STATUSES and item.status not in CLOSED_STATUSES:
        values["closed_at"] = ctx.now()
    elif status not in CLOSED_STATUSES and item.status in CLOSED_STATUSES:
        values["closed_at"] = None


def update_action(
    ctx: Context, action_id: int, version: int | None, note: str = "", **changes: Any
) -> ActionItem:
    """Change the fields given of an item read at ``version`` (None: as it is now)."""
    values = _clean(ctx, {k: v for k, v in changes.items() if k not in ("owner", "program")})
    with write():
        values.update(_clean(ctx, {k: v for k, v in changes.items() if k in ("owner", "program")}))
        item = records.get(ActionItem, action_id)
        _closing(values, item, ctx)
        return records.update(ctx, item, version, note=note, **values)


def set_status(
    ctx: Context, ids: Iterable[int], status: str, versions: dict[int, int] | None = None
) -> list[ActionItem]:
    """Give several items one status in one transaction (done, cancelled, reopened...).

    ``versions`` holds the version each item was read at; without it, the current one.
    Either every item changes or none does.
    """
    new_status = choice("status", status, ACTION_STATUSES)
    changed = []
    with write():
        for action_id in ids:
            item = records.get(ActionItem, action_id)
            values: dict[str, Any] = {"status": new_status}
            _closing(values, item, ctx)
            version = item.version if versions is None else versions.get(action_id, item.version)
            changed.append(records.update(ctx, item, version, **values))
    return changed


def bulk_update(
    ctx: Context, ids: Sequence[int], versions: dict[int, int] | None = None, **changes: Any
) -> list[ActionItem]:
    """Reassign or re-date several items at once, all or nothing."""
    values = _clean(ctx, {k: v for k, v in changes.items() if k not in ("owner", "program")})
    with write():
        values.update(_clean(ctx, {k: v for k, v in changes.items() if k in ("owner", "program")}))
        result = []
        for action_id in ids:
            item = records.get(ActionItem, action_id)
            version = item.version if versions is None else versions.get(action_id, item.version)
            result.append(records.update(ctx, item, version, **values))
        return result


def delete_action(ctx: Context, action_id: int, version: int) -> None:
    """Delete an action item (cancelling is usually what people mean; this is for mistakes)."""
    with write():
        records.delete(ctx, records.get(ActionItem, action_id), version)


class ActionFacts(TypedDict):
    """One action item as plain data (``docket action list --format json``)."""

    id: int
    title: str
    program: str | None
    owner: str | None
    owner_email: str | None
    due: str | None
    priority: str
    status: str
    # overdue, due soon, or ""
    state: str
    days_overdue: int
    notes: str
    created_at: str
    closed_at: str | None
    version: int


def action_facts(item: ActionItem, today: date) -> ActionFacts:
    """The facts of one item as plain data: the stable JSON form of an action item."""
    owner = item.owner if item.__data__.get("owner") else None
    program = item.program if item.__data__.get("program") else None
    return {
        "id": item.id,
        "title": item.title,
        "program": program.code if program else None,
        "owner": owner.name if owner else None,
        "owner_email": owner.email if owner else None,
        "due": item.due.isoformat() if item.due else None,
        "priority": item.priority,
        "status": item.status,
        "state": due_state(item, today),
        "days_overdue": days_overdue(item, today),
        "notes": item.notes,
        "created_at": to_utc_text(item.created_at).replace(" ", "T") + "Z",
        "closed_at": to_utc_text(item.closed_at).replace(" ", "T") + "Z"
        if item.closed_at
        else None,
        "version": item.version,
    }
