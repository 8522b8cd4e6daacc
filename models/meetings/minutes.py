"""What happens at one occurrence: its agenda, the actions carried into it, and its minutes,
decisions and actions raised (recorded once it has started).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, TypedDict
from zoneinfo import ZoneInfo

from peewee import JOIN

from docket.models.actions.items import add_action, is_open_clause
from docket.models.core import records
from docket.models.core.context import Context
from docket.models.core.database import write
from docket.models.core.inputs import text
from docket.models.core.schema import ActionItem, Agenda, Decision, Meeting, Minutes, Person
from docket.models.governance.decisions import add_decision
from docket.models.meetings.occurrences import find_occurrence, held
from docket.models.meetings.series import AGENDA_MAX, get_meeting, split_chain
from docket.models.meetings.times import series_start, utc_text


@dataclass(frozen=True)
class CarriedAction:
    """An open action item raised at an earlier occurrence, and how old it is."""

    action: ActionItem
    raised_at: datetime
    age_days: int


def carried_actions(meeting_id: int, occurrence_start: datetime) -> list[CarriedAction]:
    """Open action items raised at earlier occurrences of this series (and the series it was
    split from), oldest first, with their age in days at ``occurrence_start``."""
    chain = split_chain(meeting_id)
    query = (
        ActionItem.select(ActionItem, Person)
        .join(Person, JOIN.LEFT_OUTER, on=(ActionItem.owner == Person.id))
        .where(
            ActionItem.source_meeting.in_(chain),
            ActionItem.source_occurrence < occurrence_start,
            is_open_clause(),
        )
        .order_by(ActionItem.source_occurrence, ActionItem.id)
    )
    return [
        CarriedAction(a, a.source_occurrence, (occurrence_start - a.source_occurrence).days)
        for a in query
    ]


def _owner_name(item: ActionItem) -> str | None:
    owner = item.owner if item.__data__.get("owner") else None
    return str(owner.name) if owner is not None else None


def agenda_text(meeting: Meeting, occurrence_start: datetime) -> str:
    """The agenda of one occurrence: its own, else the series'."""
    own = Agenda.get_or_none(Agenda.meeting == meeting, Agenda.occurrence_start == occurrence_start)
    return str(own.text) if own is not None else str(meeting.agenda)


class CarriedFacts(TypedDict):
    """An open action carried into an occurrence's agenda, and its age there."""

    id: int
    title: str
    owner: str | None
    due: str | None
    status: str
    raised_at: str
    age_days: int


class AgendaFacts(TypedDict):
    """One occurrence's agenda (``docket meeting agenda --format json``)."""

    meeting: int
    occurrence: str
    text: str
    carried_actions: list[CarriedFacts]


def agenda_of(meeting_id: int, occurrence_start: datetime) -> AgendaFacts:
    """One occurrence's agenda with the open actions carried into it, as plain data."""
    meeting = get_meeting(meeting_id)
    carried = carried_actions(meeting_id, occurrence_start)
    return {
        "meeting": meeting.id,
        "occurrence": utc_text(occurrence_start),
        "text": agenda_text(meeting, occurrence_start),
        "carried_actions": [
            {
                "id": c.action.id,
                "title": c.action.title,
                "owner": _owner_name(c.action),
                "due": c.action.due.isoformat() if c.action.due else None,
                "status": c.action.status,
                "raised_at": utc_text(c.raised_at),
                "age_days": c.age_days,
            }
            for c in carried
        ],
    }


def set_agenda(
    ctx: Context, meeting_id: int, occurrence: str | date | datetime, agenda: str
) -> Agenda:
    """Write one occurrence's own agenda."""
    body = text("agenda", agenda, required=False, max_length=AGENDA_MAX, multiline=True)
    with write():
        meeting = get_meeting(meeting_id)
        original = _occurrence_key(ctx, meeting, occurrence)
        own = Agenda.get_or_none(Agenda.meeting == meeting, Agenda.occurrence_start == original)
        if own is None:
            return records.create(
                ctx, Agenda, meeting=meeting, occurrence_start=original, text=body
            )
        return records.update(ctx, own, own.version, text=body)


def _occurrence_key(ctx: Context, meeting: Meeting, occurrence: str | date | datetime) -> datetime:
    if isinstance(occurrence, datetime) and occurrence.tzinfo is not None:
        return occurrence.astimezone(UTC)
    if not meeting.rrule and occurrence in (None, ""):
        return series_start(meeting).astimezone(UTC)
    return find_occurrence(ctx, meeting, occurrence)


def get_minutes(meeting_id: int, occurrence_start: datetime) -> Minutes | None:
    """The minutes of one occurrence, if written."""
    return Minutes.get_or_none(
        Minutes.meeting == meeting_id, Minutes.occurrence_start == occurrence_start
    )


def save_minutes(
    ctx: Context,
    meeting_id: int,
    occurrence: str | date | datetime,
    *,
    notes: str | None = None,
    attendance: str | None = None,
) -> Minutes:
    """Write the minutes of one occurrence: notes and attendance (those given). What it
    decided is recorded as decisions (:func:`add_decision_from_minutes`)."""
    values: dict[str, Any] = {}
    for name, value in (("notes", notes), ("attendance", attendance)):
        if value is not None:
            values[name] = text(name, value, required=False, max_length=100_000, multiline=True)
    with write():
        meeting = get_meeting(meeting_id)
        original = _occurrence_key(ctx, meeting, occurrence)
        held(ctx, meeting, original, "minutes")
        own = get_minutes(meeting_id, original)
        if own is None:
            return records.create(
                ctx, Minutes, meeting=meeting, occurrence_start=original, **values
            )
        return records.update(ctx, own, own.version, **values)


def add_action_from_minutes(
    ctx: Context,
    meeting_id: int,
    occurrence: str | date | datetime,
    title: str,
    *,
    owner: str | None = None,
    due: str | date | None = None,
    priority: str = "normal",
    notes: str = "",
) -> ActionItem:
    """An action item raised at one occurrence, in the meeting's program, pointing back."""
    with write():
        meeting = get_meeting(meeting_id)
        original = _occurrence_key(ctx, meeting, occurrence)
        return add_action(
            ctx,
            title,
            owner=owner,
            due=due,
            program=meeting.program.code,
            priority=priority,
            notes=notes,
            source_meeting=meeting.id,
            source_occurrence=original,
        )


def add_decision_from_minutes(
    ctx: Context,
    meeting_id: int,
    occurrence: str | date | datetime,
    title: str,
    *,
    rationale: str = "",
    decided_by: str | None = None,
) -> Decision:
    """A decision taken at one occurrence: in the meeting's program, on the occurrence's
    day in the meeting's zone, pointing back to it (the RAID log lists it too)."""
    with write():
        meeting = get_meeting(meeting_id)
        original = _occurrence_key(ctx, meeting, occurrence)
        taken = held(ctx, meeting, original, "a decision").start
        return add_decision(
            ctx,
            title,
            program=meeting.program.code,
            rationale=rationale,
            decided_by=decided_by,
            decided_on=taken.astimezone(ZoneInfo(meeting.timezone)).date(),
            meeting=meeting.id,
            occurrence_start=original,
        )


@dataclass
class MinutesWritten:
    """What :func:`record_minutes` wrote: the minutes (if any), decision and action ids."""

    minutes: bool = False
    decisions: list[int] = field(default_factory=list)
    actions: list[int] = field(default_factory=list)


def record_minutes(
    ctx: Context,
    meeting_id: int,
    occurrence: str | date | datetime,
    *,
    notes: str | None = None,
    attendance: str | None = None,
    decisions: Sequence[str] = (),
    decided_by: str | None = None,
    action: str | None = None,
    owner: str | None = None,
    due: str | None = None,
) -> MinutesWritten:
    """Minutes, the decisions taken and an action raised at one occurrence, in one
    transaction: all of it is written, or (on an error) none of it."""
    done = MinutesWritten()
    with write():
        if notes is not None or attendance is not None:
            save_minutes(ctx, meeting_id, occurrence, notes=notes, attendance=attendance)
            done.minutes = True
        for said in decisions:
            made = add_decision_from_minutes(
                ctx, meeting_id, occurrence, said, decided_by=decided_by
            )
            done.decisions.append(made.id)
        if action:
            item = add_action_from_minutes(
                ctx, meeting_id, occurrence, action, owner=owner, due=due
            )
            done.actions.append(item.id)
    return done


def decisions_taken(meeting_id: int, occurrence_start: datetime) -> list[Decision]:
    """The decisions taken at one occurrence, in the order they were recorded."""
    return list(
        Decision.select()
        .where(Decision.meeting == meeting_id, Decision.occurrence_start == occurrence_start)
        .order_by(Decision.id)
    )


def actions_raised(meeting_id: int, occurrence_start: datetime) -> list[ActionItem]:
    """The action items raised at one occurrence."""
    return list(
        ActionItem.select()
        .where(
            ActionItem.source_meeting == meeting_id,
            ActionItem.source_occurrence == occurrence_start,
        )
        .order_by(ActionItem.id)
    )
