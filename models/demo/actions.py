"""The demo's action items: about 55 % closed; the open ones overdue, due soon, later or
undated; some raised at a held meeting."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta

from docket.models.actions.search import index_rebuilt_after
from docket.models.core.schema import ActionItem
from docket.models.demo.data_office import DEPARTMENTS
from docket.models.demo.data_work import (
    ACTION_NOTES,
    ACTION_PHRASES,
    BLOCKED_NOTES,
    OPEN_CUMULATIVE,
    OPEN_NAMES,
    PRIORITY_CUMULATIVE,
    PRIORITY_NAMES,
)
from docket.models.demo.office import Held, Office, workday
from docket.models.demo.storage import STAMP, insert


def actions(office: Office) -> int:
    """Action items: about 55 % closed; the open ones overdue, due soon, later or undated."""
    columns = ("id", "program", "title", "notes", "owner", "due", "priority", "status")
    rng = office.rng
    cumulative = list(itertools.accumulate(office.weights))
    pools = _owner_pools(office)
    phrases = [(verb, obj) for verb, objects in ACTION_PHRASES for obj in objects]
    vendors = {
        pid: [office.vendor_names[v - 1] for v in dict.fromkeys(office.program_vendors[pid])]
        or office.vendor_names[:1]
        for pid in office.leaves
    }
    mine = min(0.05, 60 / office.scale.actions)  # the administrator's own share
    rows = []
    for aid in range(1, office.scale.actions + 1):
        source = rng.choice(office.held) if office.held and rng.random() < 0.12 else None
        if source is not None:
            program = source.program
            status, due, created, closed = _action_from_meeting(office, source)
        else:
            program = rng.choices(office.leaves, cum_weights=cumulative)[0]
            status, due, created, closed = _action_timeline(office)
        verb, obj = rng.choice(phrases)
        if "{" in obj:
            obj = obj.format(vendor=rng.choice(vendors[program]), dept=rng.choice(DEPARTMENTS))
        owner = 1 if rng.random() < mine else rng.choice(pools[program])
        if status == "blocked":
            notes = rng.choice(BLOCKED_NOTES)
        else:
            notes = rng.choice(ACTION_NOTES) if rng.random() < 0.25 else ""
        rows.append(
            (
                aid,
                program,
                f"{verb} {obj}",
                notes,
                None if rng.random() < 0.02 else owner,
                due,
                rng.choices(PRIORITY_NAMES, cum_weights=PRIORITY_CUMULATIVE)[0],
                status,
                closed,
                source.meeting if source else None,
                source.start if source else None,
                created,
                closed or created,
                1,
            )
        )
    more = ("closed_at", "source_meeting", "source_occurrence", *STAMP)
    # the text search index is filled once from the rows, not by its triggers row by row
    with index_rebuilt_after():
        return insert(ActionItem, (*columns, *more), rows)


def _owner_pools(office: Office) -> dict[int, list[int]]:
    """Who owns a program's actions: its team most often, then sponsors and contractors."""
    pools = {
        pid: office.team[pid] * 3 + office.steering[pid] + office.assigned[pid][:20]
        for pid in office.leaves
    }
    return {pid: [p for p in pool if p != 1] for pid, pool in pools.items()}


def _action_timeline(office: Office) -> tuple[str, date | None, datetime, datetime | None]:
    """Status, due date, creation and closing of an item not raised in a meeting."""
    rng, today = office.rng, office.today
    roll = rng.random()
    if roll < 0.55:
        due = workday(today - timedelta(days=rng.randint(-10, 240)))
        created = _instant_before(office, due, 3, 40)
        closed = _closed_after(office, created, 24 * 45)
        return ("done" if roll < 0.5 else "cancelled"), due, created, closed
    status = rng.choices(OPEN_NAMES, cum_weights=OPEN_CUMULATIVE)[0]
    if roll < 0.66:
        due = workday(today - timedelta(days=rng.randint(1, 60)), back=True)
    elif roll < 0.84:
        due = workday(today + timedelta(days=rng.randint(0, 14)))
    elif roll < 0.94:
        due = workday(today + timedelta(days=rng.randint(15, 150)))
    else:
        return status, None, office.days_ago(1, 120), None
    return status, due, _instant_before(office, due, 3, 45), None


def _action_from_meeting(
    office: Office, held: Held
) -> tuple[str, date | None, datetime, datetime | None]:
    """An item raised at a held occurrence: created after it, due a few weeks later."""
    rng = office.rng
    created = min(office.now, held.start + timedelta(hours=1, minutes=rng.randint(5, 90)))
    due = workday(held.start.astimezone(office.home).date() + timedelta(days=rng.randint(3, 21)))
    overdue = (office.today - due).days
    if (overdue > 0 and (rng.random() < 0.7 or overdue > 60)) or rng.random() < 0.15:
        closed = _closed_after(office, created, 24 * 20)
        return rng.choice(("done",) * 9 + ("cancelled",)), due, created, closed
    return rng.choices(OPEN_NAMES, cum_weights=OPEN_CUMULATIVE)[0], due, created, None


def _instant_before(office: Office, due: date, low: int, high: int) -> datetime:
    """When an item due on ``due`` was made: ``low`` to ``high`` days before, in the past."""
    rng = office.rng
    day = min(
        due - timedelta(days=rng.randint(low, high)),
        office.today - timedelta(days=rng.randint(0, 20)),
    )
    latest = office.now - timedelta(minutes=rng.randint(5, 120))
    return min(latest, office.at(day, rng.randint(8, 17), rng.choice((0, 20, 40))))


def _closed_after(office: Office, created: datetime, hours: int) -> datetime:
    """When an item made at ``created`` was closed: within ``hours``, and before now."""
    room = int((office.now - created).total_seconds() // 60)
    if room <= 30:
        return office.now
    return created + timedelta(minutes=office.rng.randint(30, min(room, hours * 60)))
