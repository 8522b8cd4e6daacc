"""Governance: risks (scored, with their score's history), issues, decisions and change
requests, as the program office keeps its RAID log.

Rules, each in one place here:
- a risk's score is probability x impact (1 to 5 each); every new scoring is kept, so the
  trend shows;
- a risk that occurs becomes an issue linked back to it (and the risk is marked occurred);
- a change request moves proposed -> approved or rejected -> implemented, with the approver
  and the day it was decided; re-baselining a milestone needs an approved one
  (:func:`approved_rebaseline`, used by ``milestones.update_milestone``).
"""

from __future__ import annotations

from datetime import UTC, date
from typing import Any

from peewee import JOIN

from docket.models.core import records
from docket.models.core.context import Context
from docket.models.core.database import write
from docket.models.core.dates import parse_date
from docket.models.core.errors import NotFoundError, ValidationError
from docket.models.core.inputs import MAX_DAYS, choice, money, text, whole_number
from docket.models.core.schema import (
    CHANGE_KINDS,
    CHANGE_STATUSES,
    ISSUE_SEVERITIES,
    ISSUE_STATUSES,
    RISK_STATUSES,
    ChangeRequest,
    Decision,
    DecisionLink,
    Issue,
    IssueLink,
    Milestone,
    Person,
    Program,
    Risk,
    RiskAssessment,
)
from docket.models.people.directory import find_person
from docket.models.portfolio.programs import get_program, program_and_children

# a change request may move only along these
NEXT_STATUS = {
    "proposed": ("approved", "rejected"),
    "approved": ("implemented", "rejected"),
    "rejected": (),
    "implemented": (),
}


def _scale(field: str, typed: str | int) -> int:
    return whole_number(field, typed, minimum=1, maximum=5)


def _day(ctx: Context, field: str, typed: str | date | None) -> date | None:
    if typed in (None, ""):
        return None
    if isinstance(typed, date):
        return typed
    return parse_date(str(typed), ctx.today(), field=field, day_first=ctx.day_first)


def _person(typed: str | None, field: str) -> Person | None:
    return find_person(typed, field=field) if typed else None


def entered_for(ctx: Context, person: Person | None) -> str:
    """The account to keep as having entered a decision for ``person``: none when it is
    ``person``'s own account (or nobody is named), else the acting account, so that a record
    made in someone else's name says who made it."""
    from docket.models.accounts.users import person_for_account

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


def decided_day(ctx: Context, typed: str | date | None) -> date:
    """The day a decision was taken: a fact, so today or an earlier day (today by default)."""
    day = _day(ctx, "decided on", typed) or ctx.today()
    if day > ctx.today():
        raise ValidationError(
            "decided on",
            f"{day.isoformat()} is in the future; a decision is recorded on the day it was "
            "taken, today or earlier",
        )
    return day


def score(probability: int, impact: int) -> int:
    """A risk's score: probability x impact, 1 to 25."""
    return probability * impact


# --- risks ------------------------------------------------------------------------------

RISK_TEXT = ("cause", "effect", "category", "mitigation", "contingency", "trigger")


def add_risk(
    ctx: Context,
    title: str,
    *,
    program: str,
    probability: str | int,
    impact: str | int,
    owner: str | None = None,
    response_date: str | date | None = None,
    **details: str,
) -> Risk:
    """A new risk, with its first scoring."""
    with write():
        values = risk_values(
            ctx, title, program=program, probability=probability, impact=impact, owner=owner,
            response_date=response_date, **details,
        )  # fmt: skip
        risk = records.create(ctx, Risk, **values)
        _assess(ctx, risk)
        return risk


def risk_values(
    ctx: Context,
    title: str,
    *,
    program: str,
    probability: str | int,
    impact: str | int,
    owner: str | None = None,
    response_date: str | date | None = None,
    status: str = "open",
    **details: str,
) -> dict[str, Any]:
    """A new risk's fields, each checked, its program and owner found (one that occurred
    is made by :func:`risk_occurred`, which makes its issue)."""
    unknown = set(details) - set(RISK_TEXT)
    if unknown:
        raise ValidationError(sorted(unknown)[0], "is not a field of a risk")
    if (status or "").strip().lower() == "occurred":
        raise ValidationError("status", "a risk that occurred becomes an issue: use 'occurred'")
    values: dict[str, Any] = {
        "title": text("title", title),
        "probability": _scale("probability", probability),
        "impact": _scale("impact", impact),
        "response_date": _day(ctx, "response date", response_date),
        "status": choice("status", status, RISK_STATUSES),
        **{
            k: text(k, v, required=False, max_length=4000, multiline=True)
            for k, v in details.items()
        },
    }
    values["program"] = get_program(program)
    values["owner"] = _person(owner, "owner")
    return values


def _assess(ctx: Context, risk: Risk) -> None:
    records.create(ctx, RiskAssessment, **scoring(ctx, risk, risk.probability, risk.impact))


def scoring(ctx: Context, risk: Risk | int, probability: int, impact: int) -> dict[str, Any]:
    """The fields of a scoring of a risk (or its id) now, by the acting account."""
    return {
        "risk": risk,
        "assessed_at": ctx.now().astimezone(UTC),
        "probability": probability,
        "impact": impact,
        "assessed_by": ctx.actor,
    }


def update_risk(
    ctx: Context, risk_id: int, version: int | None = None, note: str = "", **changes: Any
) -> Risk:
    """Change a risk; a new probability or impact is a new scoring in its history. Setting
    the status to ``occurred`` is :func:`risk_occurred` (it makes the issue). ``note`` goes
    with the audit entry."""
    known = {"title", "probability", "impact", "owner", "response_date", "status", *RISK_TEXT}
    unknown = set(changes) - known
    if unknown:
        raise ValidationError(sorted(unknown)[0], "is not a field of a risk")
    if changes.get("status") == "occurred":
        raise ValidationError("status", "a risk that occurred becomes an issue: use 'occurred'")
    values: dict[str, Any] = {}
    for name, value in changes.items():
        if name in ("probability", "impact"):
            values[name] = _scale(name, value)
        elif name == "status":
            values["status"] = choice("status", value, RISK_STATUSES)
        elif name == "response_date":
            values[name] = _day(ctx, "response date", value)
        elif name == "title":
            values["title"] = text("title", value)
        elif name in RISK_TEXT:
            values[name] = text(name, value, required=False, max_length=4000, multiline=True)
    with write():
        risk = records.get_current(Risk, risk_id, version)
        if "owner" in changes:
            values["owner"] = _person(changes["owner"], "owner")
        rescored = any(
            n in values and values[n] != getattr(risk, n) for n in ("probability", "impact")
        )
        updated = records.update(ctx, risk, risk.version, note, **values)
        if rescored:
            _assess(ctx, updated)
        return updated


def risk_occurred(
    ctx: Context, risk_id: int, *, severity: str = "high", due: str | None = None
) -> Issue:
    """The risk happened: it becomes an issue linked back to it, and is marked occurred."""
    with write():
        risk = records.get(Risk, risk_id)
        if risk.status == "occurred":
            raise ValidationError("status", f"risk {risk_id} has occurred already")
        issue = records.create(
            ctx,
            Issue,
            program=risk.program,
            title=risk.title,
            description=f"Risk #{risk.id} occurred. {risk.effect}".strip(),
            severity=choice("severity", severity, ISSUE_SEVERITIES),
            owner=risk.owner if risk.__data__.get("owner") else None,
            due=_day(ctx, "due", due),
            risk=risk,
        )
        records.create(ctx, IssueLink, issue=issue, risk=risk)
        records.update(
            ctx, risk, risk.version, note=f"occurred: issue #{issue.id}", status="occurred"
        )
        return issue


def score_history(risk_id: int) -> list[dict[str, Any]]:
    """Every scoring of a risk, oldest first."""
    query = (
        RiskAssessment.select()
        .where(RiskAssessment.risk == risk_id)
        .order_by(RiskAssessment.assessed_at, RiskAssessment.id)
    )
    return [
        {
            "at": a.assessed_at.isoformat(),
            "probability": a.probability,
            "impact": a.impact,
            "score": score(a.probability, a.impact),
            "by": a.assessed_by,
        }
        for a in query
    ]


def get_risk(risk_id: int) -> Risk:
    risk: Risk = records.get(Risk, risk_id)
    return risk


def risk_facts(risk: Risk) -> dict[str, Any]:
    owner = risk.owner if risk.__data__.get("owner") else None
    return {
        "id": risk.id,
        "program": risk.program.code,
        "title": risk.title,
        "category": risk.category,
        "probability": risk.probability,
        "impact": risk.impact,
        "score": score(risk.probability, risk.impact),
        "owner": owner.name if owner else None,
        "status": risk.status,
        "response_date": risk.response_date.isoformat() if risk.response_date else None,
        "cause": risk.cause,
        "effect": risk.effect,
        "mitigation": risk.mitigation,
        "contingency": risk.contingency,
        "trigger": risk.trigger,
        "version": risk.version,
    }


def list_risks(
    program: str | None = None, status: str | None = None, min_score: int | None = None
) -> list[Risk]:
    """Risks, highest score first."""
    query = (
        Risk.select(Risk, Program, Person).join(Program).join_from(Risk, Person, JOIN.LEFT_OUTER)
    )
    if program:
        query = query.where(Risk.program.in_(program_and_children(program)))
    if status:
        query = query.where(Risk.status == choice("status", status, RISK_STATUSES))
    if min_score is not None:
        query = query.where(Risk.probability * Risk.impact >= min_score)
    return list(query.order_by((Risk.probability * Risk.impact).desc(), Risk.id))


def risk_matrix(program: str | None = None) -> list[list[int]]:
    """Open and mitigating risks counted by impact (rows, 5 at the top) and probability
    (columns, 1 to 5)."""
    cells = [[0] * 5 for _ in range(5)]
    for risk in list_risks(program):
        if risk.status in ("open", "mitigating"):
            cells[5 - risk.impact][risk.probability - 1] += 1
    return cells


# --- issues -----------------------------------------------------------------------------


def add_issue(
    ctx: Context,
    title: str,
    *,
    program: str,
    severity: str = "medium",
    owner: str | None = None,
    due: str | None = None,
    description: str = "",
) -> Issue:
    values: dict[str, Any] = {
        "title": text("title", title),
        "severity": choice("severity", severity, ISSUE_SEVERITIES),
        "due": _day(ctx, "due", due),
        "description": text(
            "description", description, required=False, max_length=4000, multiline=True
        ),
    }
    with write():
        return records.create(
            ctx, Issue, program=get_program(program), owner=_person(owner, "owner"), **values
        )


def update_issue(ctx: Context, issue_id: int, version: int | None = None, **changes: Any) -> Issue:
    known = {"title", "severity", "owner", "due", "status", "description", "link_action"}
    unknown = set(changes) - known
    if unknown:
        raise ValidationError(sorted(unknown)[0], "is not a field of an issue")
    with write():
        issue = records.get_current(Issue, issue_id, version)
        values: dict[str, Any] = {}
        if "title" in changes:
            values["title"] = text("title", changes["title"])
        if "severity" in changes:
            values["severity"] = choice("severity", changes["severity"], ISSUE_SEVERITIES)
        if "status" in changes:
            values["status"] = choice("status", changes["status"], ISSUE_STATUSES)
        if "due" in changes:
            values["due"] = _day(ctx, "due", changes["due"])
        if "description" in changes:
            values["description"] = text(
                "description",
                changes["description"],
                required=False,
                max_length=4000,
                multiline=True,
            )
        if "owner" in changes:
            values["owner"] = _person(changes["owner"], "owner")
        updated = records.update(ctx, issue, issue.version, **values) if values else issue
        if changes.get("link_action"):
            from docket.models.actions.items import get_action

            records.create(
                ctx, IssueLink, issue=updated, action=get_action(int(changes["link_action"]))
            )
        return updated


def get_issue(issue_id: int) -> Issue:
    issue: Issue = records.get(Issue, issue_id)
    return issue


def issue_facts(issue: Issue) -> dict[str, Any]:
    owner = issue.owner if issue.__data__.get("owner") else None
    return {
        "id": issue.id,
        "program": issue.program.code,
        "title": issue.title,
        "severity": issue.severity,
        "owner": owner.name if owner else None,
        "due": issue.due.isoformat() if issue.due else None,
        "status": issue.status,
        "risk": issue.__data__.get("risk"),
        "description": issue.description,
        "version": issue.version,
    }


def list_issues(program: str | None = None, status: str | None = None) -> list[Issue]:
    order = {s: i for i, s in enumerate(reversed(ISSUE_SEVERITIES))}
    query = (
        Issue.select(Issue, Program, Person).join(Program).join_from(Issue, Person, JOIN.LEFT_OUTER)
    )
    if program:
        query = query.where(Issue.program.in_(program_and_children(program)))
    if status:
        query = query.where(Issue.status == choice("status", status, ISSUE_STATUSES))
    return sorted(query, key=lambda i: (order[i.severity], i.due or date.max, i.id))


# --- decisions --------------------------------------------------------------------------


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
    from docket.models.core.schema import LINKABLE, TABLES, Meeting, Record

    values: dict[str, Any] = {
        "title": text("title", title),
        "rationale": text("rationale", rationale, required=False, max_length=4000, multiline=True),
        # taken at a meeting: on the occurrence's day in its zone, which meetings.held has
        # checked has started (that day may be tomorrow in the reader's zone)
        "decided_on": (_day(ctx, "decided on", decided_on) or ctx.today())
        if meeting
        else decided_day(ctx, decided_on),
    }
    with write():
        who = _person(decided_by, "decided by")
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
        for entity, entity_id in affects or []:
            kind = choice("affects", entity, LINKABLE)
            target = next(m for m in TABLES if issubclass(m, Record) and m._meta.table_name == kind)
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
            who = _person(changes["decided_by"], "decided by")
            values["decided_by"] = who
            values["entered_by"] = entered_for(ctx, who)
        return records.update(ctx, decision, decision.version, **values)


def get_decision(decision_id: int) -> Decision:
    found: Decision = records.get(Decision, decision_id)
    return found


def decision_facts(d: Decision) -> dict[str, Any]:
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


# --- change requests ----------------------------------------------------------------------


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
        values["requested_by"] = _person(requested_by, "requested by")
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
            from docket.models.accounts.users import person_for_account

            who = _person(approver, "approver") if approver else person_for_account(ctx.actor)
            values["approver"] = who
            values["entered_by"] = entered_for(ctx, who)
            values["decided_on"] = ctx.today()
        return records.update(ctx, change, change.version, **values)


def approved_rebaseline(milestone_id: int) -> ChangeRequest | None:
    """The approved change request that allows moving this milestone's baseline, if any."""
    found: ChangeRequest | None = (
        ChangeRequest.select()
        .where(ChangeRequest.milestone == milestone_id, ChangeRequest.status == "approved")
        .order_by(ChangeRequest.decided_on.desc(), ChangeRequest.id.desc())
        .first()
    )
    return found


def change_facts(c: ChangeRequest) -> dict[str, Any]:
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
