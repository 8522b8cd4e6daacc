"""Change requests: proposed, then approved or rejected, then implemented; never backwards.

An approved or rejected one keeps its approver and the day it was decided; re-baselining a
milestone needs an approved one (:func:`approved_rebaseline`, used by
``milestones.update_milestone``).
"""

from __future__ import annotations

from typing import Any, TypedDict

from peewee import JOIN

from docket.models.core import records
from docket.models.core.context import Context
from docket.models.core.database import write
from docket.models.core.errors import ValidationError
from docket.models.core.inputs import MAX_DAYS, choice, money, text, whole_number
from docket.models.core.schema import (
    CHANGE_KINDS,
    CHANGE_STATUSES,
    ChangeRequest,
    Milestone,
    Person,
    Program,
)
from docket.models.governance.entries import entered_for, person_named
from docket.models.people.directory import person_for_account
from docket.models.portfolio.programs import get_program, program_and_children

# a change request may move only along these
NEXT_STATUS = {
    "proposed": ("approved", "rejected"),
    "approved": ("implemented", "rejected"),
    "rejected": (),
    "implemented": (),
}


def add_change(
    ctx: Context,
    title: str,
    *,
    program: str,
    kind: str,
    reason: str = "",
    impact_days: str | int | None = None,
    impact_amount: str | None = None,
    requested_by: str | None = None,
    milestone: int | None = None,
) -> ChangeRequest:
    """A proposed change of scope, schedule, cost or resources."""
    values: dict[str, Any] = {
        "title": text("title", title),
        "kind": choice("kind", kind, CHANGE_KINDS),
        "reason": text("reason", reason, required=False, max_length=4000, multiline=True),
        # a delay (or, negative, a gain) of at most a hundred years
        "impact_days": whole_number("impact days", impact_days, minimum=-MAX_DAYS, maximum=MAX_DAYS)
        if impact_days not in (None, "")
        else None,
        "impact_amount": money("impact amount", impact_amount, decimal_comma=ctx.decimal_comma)
        if impact_amount
        else None,
        "requested_on": ctx.today(),
    }
    with write():
        values["program"] = get_program(program)
        values["requested_by"] = person_named(requested_by, "requested by")
        if milestone is not None:
            found = records.get(Milestone, milestone)
            if found.__data__["program"] != values["program"].id:
                raise ValidationError(
                    "milestone", f"milestone {milestone} is not in {values['program'].code}"
                )
            values["milestone"] = found
        return records.create(ctx, ChangeRequest, **values)


def decide_change(
    ctx: Context, change_id: int, status: str, *, approver: str | None = None
) -> ChangeRequest:
    """Move a change request on: approved or rejected (with who decided, today), or
    implemented; never backwards. The approver is the acting account's person unless
    another is named; a change decided for someone else keeps the account that entered it."""
    wanted = choice("status", status, CHANGE_STATUSES)
    with write():
        change = records.get(ChangeRequest, change_id)
        if wanted not in NEXT_STATUS[change.status]:
            allowed = " or ".join(NEXT_STATUS[change.status]) or "nothing (it is final)"
            raise ValidationError(
                "status", f"change {change_id} is {change.status}: it can become {allowed}"
            )
        values: dict[str, Any] = {"status": wanted}
        if wanted in ("approved", "rejected"):
            who = person_named(approver, "approver") if approver else person_for_account(ctx.actor)
            values["approver"] = who
            values["entered_by"] = entered_for(ctx, who)
            values["decided_on"] = ctx.today()
        return records.update(ctx, change, change.version, **values)


def approved_rebaseline(milestone_id: int) -> ChangeRequest | None:
    """The approved change request that allows moving this milestone's baseline, if any."""
    found: ChangeRequest | None = (
        ChangeRequest.select()
        .where(ChangeRequest.milestone == milestone_id, ChangeRequest.status == "approved")
        # a day unknown (an imported change) last, as SQLite orders NULL in DESC, and
        # PostgreSQL would put it first
        .order_by(
            ChangeRequest.decided_on.is_null(),
            ChangeRequest.decided_on.desc(),
            ChangeRequest.id.desc(),
        )
        .first()
    )
    return found


class ChangeFacts(TypedDict):
    """One change request as plain data (``docket change list --format json``)."""

    id: int
    program: str
    title: str
    kind: str
    status: str
    impact_days: int | None
    # money as text, to the cent
    impact_amount: str | None
    requested_on: str
    approver: str | None
    entered_by: str
    decided_on: str | None
    milestone: int | None
    reason: str
    version: int


def change_facts(c: ChangeRequest) -> ChangeFacts:
    """One change request as plain data: its stable JSON form."""
    approver = c.approver if c.__data__.get("approver") else None
    return {
        "id": c.id,
        "program": c.program.code,
        "title": c.title,
        "kind": c.kind,
        "status": c.status,
        "impact_days": c.impact_days,
        "impact_amount": f"{c.impact_amount:.2f}" if c.impact_amount is not None else None,
        "requested_on": c.requested_on.isoformat(),
        "approver": approver.name if approver else None,
        "entered_by": c.entered_by,
        "decided_on": c.decided_on.isoformat() if c.decided_on else None,
        "milestone": c.__data__.get("milestone"),
        "reason": c.reason,
        "version": c.version,
    }


def list_changes(program: str | None = None, status: str | None = None) -> list[ChangeRequest]:
    """Change requests, newest first, with their program and approver loaded."""
    query = (
        ChangeRequest.select(ChangeRequest, Program, Person)
        .join(Program)
        .join_from(ChangeRequest, Person, JOIN.LEFT_OUTER, on=ChangeRequest.approver)
    )
    if program:
        query = query.where(ChangeRequest.program.in_(program_and_children(program)))
    if status:
        query = query.where(ChangeRequest.status == choice("status", status, CHANGE_STATUSES))
    return list(query.order_by(ChangeRequest.requested_on.desc(), ChangeRequest.id.desc()))
