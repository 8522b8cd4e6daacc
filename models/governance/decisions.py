"""Decisions: what was decided, why, by whom and when, optionally at a meeting occurrence and
affecting other records; a decision is a fact, so it is taken today or earlier."""

from __future__ import annotations

from datetime import date
from typing import Any, TypedDict

from peewee import JOIN

from docket.models.core import records
from docket.models.core.context import Context
from docket.models.core.database import write
from docket.models.core.errors import NotFoundError, ValidationError
from docket.models.core.inputs import choice, text
from docket.models.core.schema import (
    LINKABLE,
    Decision,
    DecisionLink,
    Meeting,
    Person,
    Program,
)
from docket.models.governance.entries import entered_for, entry_day, person_named
from docket.models.portfolio.programs import get_program, program_and_children


def decided_day(ctx: Context, typed: str | date | None) -> date:
    """The day a decision was taken: a fact, so today or an earlier day (today by default)."""
    day = entry_day(ctx, "decided on", typed) or ctx.today()
    if day > ctx.today():
        raise ValidationError(
            "decided on",
            f"{day.isoformat()} is in the future; a decision is recorded on the day it was "
            "taken, today or earlier",
        )
    return day


def add_decision(
    ctx: Context,
    title: str,
    *,
    program: str,
    rationale: str = "",
    decided_by: str | None = None,
    decided_on: str | date | None = None,
    meeting: int | None = None,
    occurrence_start: Any = None,
    affects: list[tuple[str, int]] | None = None,
) -> Decision:
    """A decision, optionally taken at a meeting occurrence, and the records it affects
    (pairs of an entity such as ``milestone`` and its id)."""
    values: dict[str, Any] = {
        "title": text("title", title),
        "rationale": text("rationale", rationale, required=False, max_length=4000, multiline=True),
        # taken at a meeting: on the occurrence's day in its zone, which meetings.held has
        # checked has started (that day may be tomorrow in the reader's zone)
        "decided_on": (entry_day(ctx, "decided on", decided_on) or ctx.today())
        if meeting
        else decided_day(ctx, decided_on),
    }
    with write():
        who = person_named(decided_by, "decided by")
        decision = records.create(
            ctx,
            Decision,
            program=get_program(program),
            decided_by=who,
            entered_by=entered_for(ctx, who),
            meeting=records.get(Meeting, meeting) if meeting else None,
            occurrence_start=occurrence_start,
            **values,
        )
        from docket.models.audit.chain import audited_models  # a write's (start-up, issue 22)

        for entity, entity_id in affects or []:
            kind = choice("affects", entity, LINKABLE)
            target = next(m for m in audited_models() if m._meta.table_name == kind)
            try:
                records.get(target, entity_id)  # a decision affects what exists
            except NotFoundError as exc:
                raise ValidationError("affects", str(exc)) from None
            records.create(ctx, DecisionLink, decision=decision, entity=kind, entity_id=entity_id)
        return decision


DECISION_FIELDS = ("title", "rationale", "decided_by", "decided_on")


def update_decision(
    ctx: Context, decision_id: int, version: int | None = None, **changes: Any
) -> Decision:
    """Change a decision: title, rationale, who decided (empty: nobody named; naming someone
    other than the acting account's person records who entered it), the day (not in the
    future)."""
    unknown = set(changes) - set(DECISION_FIELDS)
    if unknown:
        raise ValidationError(sorted(unknown)[0], "is not a field of a decision")
    values: dict[str, Any] = {}
    if "title" in changes:
        values["title"] = text("title", changes["title"])
    if "rationale" in changes:
        values["rationale"] = text(
            "rationale", changes["rationale"], required=False, max_length=4000, multiline=True
        )
    if "decided_on" in changes:
        values["decided_on"] = decided_day(ctx, changes["decided_on"] or None)
    with write():
        decision = records.get_current(Decision, decision_id, version)
        if "decided_by" in changes:
            who = person_named(changes["decided_by"], "decided by")
            values["decided_by"] = who
            values["entered_by"] = entered_for(ctx, who)
        return records.update(ctx, decision, decision.version, **values)


def get_decision(decision_id: int) -> Decision:
    """One decision by id."""
    found: Decision = records.get(Decision, decision_id)
    return found


class DecisionFacts(TypedDict):
    """One decision as plain data (``docket decision list --format json``)."""

    id: int
    program: str
    title: str
    rationale: str
    decided_by: str | None
    # the account that entered it for someone else ("" when they entered it themselves)
    entered_by: str
    decided_on: str
    # the meeting it was taken at
    meeting: int | None
    version: int


def decision_facts(d: Decision) -> DecisionFacts:
    """One decision as plain data: its stable JSON form."""
    who = d.decided_by if d.__data__.get("decided_by") else None
    return {
        "id": d.id,
        "program": d.program.code,
        "title": d.title,
        "rationale": d.rationale,
        "decided_by": who.name if who else None,
        "entered_by": d.entered_by,
        "decided_on": d.decided_on.isoformat(),
        "meeting": d.__data__.get("meeting"),
        "version": d.version,
    }


def list_decisions(
    program: str | None = None, since: date | None = None, until: date | None = None
) -> list[Decision]:
    """Decisions of a program (or all), in [since, until] when given, newest first."""
    # the decider joined in: one query, not one per decision (a large office has thousands)
    query = (
        Decision.select(Decision, Program, Person)
        .join(Program)
        .join_from(Decision, Person, JOIN.LEFT_OUTER)
    )
    if program:
        query = query.where(Decision.program.in_(program_and_children(program)))
    if since:
        query = query.where(Decision.decided_on >= since)
    if until:
        query = query.where(Decision.decided_on <= until)
    return list(query.order_by(Decision.decided_on.desc(), Decision.id.desc()))
