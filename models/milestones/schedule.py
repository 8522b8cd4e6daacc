"""Milestones: baseline, forecast and actual dates, and the status derived from them.

*Slip* is forecast minus baseline in days (actual minus baseline once done). *Status* is
never typed: **done** when there is an actual date; **late** when not done and the forecast
has passed; **at risk** when not done and the forecast is later than the baseline; **on
track** otherwise. Both live here once, as SQL conditions and as Python for one milestone.
Moving a forecast needs a reason, which the audit log keeps with the change.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any, NamedTuple, TypedDict

from peewee import JOIN, Expression, fn

from docket.models.core import records
from docket.models.core.context import Context
from docket.models.core.database import write
from docket.models.core.dates import format_date
from docket.models.core.errors import ValidationError
from docket.models.core.inputs import a_date, choice, text
from docket.models.core.schema import Milestone, MilestoneDependency, Person, Program
from docket.models.governance.changes import approved_rebaseline
from docket.models.people.directory import find_person
from docket.models.portfolio.programs import get_program, program_and_children

STATUSES = ("done", "late", "at risk", "on track")
UPCOMING_DAYS = 14


def slip_days(milestone: Milestone) -> int:
    """Days the milestone has moved past its baseline (negative when ahead)."""
    end = milestone.actual or milestone.forecast
    return (end - milestone.baseline).days


def status(milestone: Milestone, today: date) -> str:
    """done, late, at risk or on track, from the dates alone."""
    if milestone.actual is not None:
        return "done"
    if milestone.forecast < today:
        return "late"
    if milestone.forecast > milestone.baseline:
        return "at risk"
    return "on track"


def status_clause(word: str, today: date) -> Expression:
    """SQL for milestones in one status; the same rule as :func:`status`."""
    not_done = Milestone.actual.is_null()
    clauses = {
        "done": Milestone.actual.is_null(False),
        "late": not_done & (Milestone.forecast < today),
        "at risk": not_done
        & (Milestone.forecast >= today)
        & (Milestone.forecast > Milestone.baseline),
        "on track": not_done
        & (Milestone.forecast >= today)
        & (Milestone.forecast <= Milestone.baseline),
    }
    return clauses[choice("status", word, STATUSES)]


def needs_attention_clause(today: date) -> Expression:
    """SQL: not done and either late or slipped past the baseline."""
    return status_clause("late", today) | status_clause("at risk", today)


class MilestoneFilter(NamedTuple):
    """Which milestones a list shows."""

    program: str | None = None
    owner: str | None = None
    status: str | None = None
    due_within: int | None = None
    include_done: bool = True
    limit: int | None = None
    # words that must each appear in the title or the owner's name
    search: str | None = None


def list_milestones(ctx: Context, flt: MilestoneFilter | None = None) -> list[Milestone]:
    """Milestones by forecast date, with program and owner loaded in the same query."""
    flt = flt or MilestoneFilter()
    today = ctx.today()
    query = (
        Milestone.select(Milestone, Program, Person)
        .join_from(Milestone, Program)
        .join_from(Milestone, Person, JOIN.LEFT_OUTER)
    )
    if flt.program:
        query = query.where(Milestone.program.in_(program_and_children(flt.program)))
    if flt.owner:
        query = query.where(Milestone.owner == find_person(flt.owner, field="owner"))
    if flt.status:
        query = query.where(status_clause(flt.status, today))
    if not flt.include_done:
        query = query.where(Milestone.actual.is_null())
    for word in (flt.search or "").split():
        query = query.where(Milestone.title.contains(word) | Person.name.contains(word))
    if flt.due_within is not None:
        query = query.where(
            Milestone.actual.is_null()
            & (Milestone.forecast <= today + timedelta(days=flt.due_within))
        )
    query = query.order_by(Milestone.forecast, Program.code, Milestone.id)
    if flt.limit:
        query = query.limit(flt.limit)
    return list(query)


def typed_filter(typed: str, program: str | None = None) -> MilestoneFilter:
    """The filter for what a person typed: a status word (``late``, ``at risk``...) picks
    that status, any other words must appear in the title or the owner's name."""
    words = " ".join(typed.lower().split())
    found = next((s for s in STATUSES if re.search(rf"\b{s}\b", words)), None)
    if found:
        words = re.sub(rf"\b{found}\b", " ", words)
    return MilestoneFilter(program=program, status=found, search=" ".join(words.split()) or None)


def get_milestone(milestone_id: int) -> Milestone:
    """One milestone by id."""
    return records.get(Milestone, milestone_id)


def _predecessors(ids: list[int] | None) -> list[Milestone]:
    return [records.get(Milestone, i) for i in ids or []]


def add_milestone(
    ctx: Context,
    program: str,
    title: str,
    baseline: str | date,
    *,
    forecast: str | date | None = None,
    actual: str | date | None = None,
    owner: str | None = None,
    deliverable: str = "",
    acceptance_criteria: str = "",
    predecessors: list[int] | None = None,
) -> Milestone:
    """Create a milestone; its forecast starts at the baseline unless given."""
    with write():
        values = milestone_values(
            ctx, program, title, baseline, forecast=forecast, actual=actual, owner=owner,
            deliverable=deliverable, acceptance_criteria=acceptance_criteria,
        )  # fmt: skip
        milestone = records.create(ctx, Milestone, **values)
        for predecessor in _predecessors(predecessors):
            records.create(ctx, MilestoneDependency, milestone=milestone, predecessor=predecessor)
        return milestone


def milestone_values(
    ctx: Context,
    program: str,
    title: str,
    baseline: str | date,
    *,
    forecast: str | date | None = None,
    actual: str | date | None = None,
    owner: str | None = None,
    deliverable: str = "",
    acceptance_criteria: str = "",
) -> dict[str, Any]:
    """A new milestone's fields, each checked, its program and owner found; the forecast
    is the baseline unless given."""
    base = a_date(ctx, "baseline", baseline, required=True)
    values: dict[str, Any] = {
        "title": text("title", title),
        "baseline": base,
        "forecast": a_date(ctx, "forecast", forecast) or base,
        "actual": done_day(ctx, actual),
        "deliverable": text(
            "deliverable", deliverable, required=False, max_length=2000, multiline=True
        ),
        "acceptance_criteria": text(
            "acceptance criteria",
            acceptance_criteria,
            required=False,
            max_length=4000,
            multiline=True,
        ),
    }
    values["program"] = get_program(program)
    values["owner"] = find_person(owner, field="owner") if owner else None
    return values


def done_day(ctx: Context, typed: str | date | None) -> date | None:
    """The day a milestone was done: a fact, so never in the future."""
    day = a_date(ctx, "actual", typed)
    if day is not None and day > ctx.today():
        raise ValidationError(
            "actual",
            f"{format_date(day)} is in the future; a milestone is done on today or an "
            "earlier day (move its forecast instead)",
        )
    return day


def update_milestone(
    ctx: Context,
    milestone_id: int,
    version: int | None,
    *,
    reason: str | None = None,
    **changes: Any,
) -> Milestone:
    """Change a milestone. Moving the forecast or the baseline needs a ``reason``."""
    values: dict[str, Any] = {}
    for name, value in changes.items():
        if name == "title":
            values["title"] = text("title", value)
        elif name in ("baseline", "forecast"):
            values[name] = a_date(ctx, name, value, required=True)
        elif name == "actual":
            values["actual"] = done_day(ctx, value)
        elif name in ("deliverable", "acceptance_criteria"):
            values[name] = text(
                name.replace("_", " "), value, required=False, max_length=4000, multiline=True
            )
        elif name not in ("owner", "program"):
            raise ValidationError(name, "is not a field of a milestone")
    note = text("reason", reason, required=False, max_length=2000)
    with write():
        milestone = records.get(Milestone, milestone_id)
        if "owner" in changes:
            values["owner"] = (
                find_person(changes["owner"], field="owner") if changes["owner"] else None
            )
        if "program" in changes:
            values["program"] = get_program(changes["program"])
        moved = [
            n
            for n in ("forecast", "baseline")
            if n in values and values[n] != getattr(milestone, n)
        ]
        if moved and not note:
            raise ValidationError(
                "reason", f"moving the {moved[0]} needs a reason, kept with the change"
            )
        if "baseline" in moved:
            note = _rebaseline(ctx, milestone, note)
        return records.update(ctx, milestone, version, note=note, **values)


def _rebaseline(ctx: Context, milestone: Milestone, note: str) -> str:
    """Moving a baseline needs an approved change request for the milestone, which the
    change then cites and which becomes implemented."""
    change = approved_rebaseline(milestone.id)
    if change is None:
        raise ValidationError(
            "baseline",
            f"moving the baseline needs an approved change request for milestone "
            f"{milestone.id} ('docket change add ... --milestone {milestone.id}', then approve it)",
        )
    records.update(ctx, change, change.version, status="implemented")
    return f"re-baselined under change request #{change.id}: {note}"


def complete_milestone(
    ctx: Context, milestone_id: int, version: int | None, actual: str | date | None = None
) -> Milestone:
    """Mark a milestone done on ``actual`` (today when not given)."""
    day = done_day(ctx, actual) or ctx.today()
    with write():
        return records.update(ctx, records.get(Milestone, milestone_id), version, actual=day)


def delete_milestone(ctx: Context, milestone_id: int, version: int) -> None:
    """Delete a milestone and its links to predecessors."""
    with write():
        records.delete(ctx, records.get(Milestone, milestone_id), version)


class MilestoneFacts(TypedDict):
    """One milestone as plain data (``docket milestone list --format json``)."""

    id: int
    program: str
    title: str
    owner: str | None
    baseline: str
    forecast: str
    actual: str | None
    slip_days: int
    status: str
    version: int


def milestone_facts(milestone: Milestone, today: date) -> MilestoneFacts:
    """The facts of one milestone as plain data: its stable JSON form."""
    owner = milestone.owner if milestone.__data__.get("owner") else None
    return {
        "id": milestone.id,
        "program": milestone.program.code,
        "title": milestone.title,
        "owner": owner.name if owner else None,
        "baseline": milestone.baseline.isoformat(),
        "forecast": milestone.forecast.isoformat(),
        "actual": milestone.actual.isoformat() if milestone.actual else None,
        "slip_days": slip_days(milestone),
        "status": status(milestone, today),
        "version": milestone.version,
    }


class PredecessorFacts(TypedDict):
    """A milestone that must be done first, with the day it is forecast (or was done)."""

    id: int
    program: str
    title: str
    date: str
    status: str


class MilestoneDetailFacts(MilestoneFacts):
    """Everything a person reads about one milestone."""

    program_name: str
    owner_email: str | None
    deliverable: str
    acceptance_criteria: str
    predecessors: list[PredecessorFacts]


def milestone_detail(ctx: Context, milestone_id: int) -> MilestoneDetailFacts:
    """Everything a person reads about one milestone, as plain data: its facts plus the
    program's name, the owner's e-mail, deliverable, acceptance criteria and predecessors
    (with the date each is forecast, or was done)."""
    milestone = get_milestone(milestone_id)
    today = ctx.today()
    owner = milestone.owner if milestone.__data__.get("owner") else None
    predecessors = (
        Milestone.select(Milestone, Program)
        .join(MilestoneDependency, on=(MilestoneDependency.predecessor == Milestone.id))
        .join_from(Milestone, Program)
        .where(MilestoneDependency.milestone == milestone)
        .order_by(Milestone.forecast, Milestone.id)
    )
    return {
        **milestone_facts(milestone, today),
        "program_name": milestone.program.name,
        "owner_email": owner.email if owner else None,
        "deliverable": milestone.deliverable,
        "acceptance_criteria": milestone.acceptance_criteria,
        "predecessors": [
            {
                "id": p.id,
                "program": p.program.code,
                "title": p.title,
                "date": (p.actual or p.forecast).isoformat(),
                "status": status(p, today),
            }
            for p in predecessors
        ],
    }


def count_by_status(ctx: Context, program: str | None = None) -> dict[str, int]:
    """How many milestones are in each status."""
    today = ctx.today()
    counts = {}
    for word in STATUSES:
        query = Milestone.select(fn.COUNT(Milestone.id)).where(status_clause(word, today))
        if program:
            query = query.where(Milestone.program.in_(program_and_children(program)))
        counts[word] = int(query.scalar() or 0)
    return counts
