"""Risks: scored probability x impact (1 to 5 each), every scoring kept so the trend shows.

A risk that occurs becomes an issue linked back to it, and the risk is marked occurred.
"""

from __future__ import annotations

from datetime import UTC, date
from typing import Any, TypedDict

from peewee import JOIN

from docket.models.core import records
from docket.models.core.context import Context
from docket.models.core.database import write
from docket.models.core.errors import ValidationError
from docket.models.core.inputs import choice, text, whole_number
from docket.models.core.schema import (
    ISSUE_SEVERITIES,
    RISK_STATUSES,
    Issue,
    IssueLink,
    Person,
    Program,
    Risk,
    RiskAssessment,
)
from docket.models.governance.entries import entry_day, person_named
from docket.models.portfolio.programs import get_program, program_and_children


def _scale(field: str, typed: str | int) -> int:
    return whole_number(field, typed, minimum=1, maximum=5)


# a risk still to be dealt with: counted in the matrix, reviewed, part of the evidence
LIVE_STATUSES = ("open", "mitigating")


def score(probability: int, impact: int) -> int:
    """A risk's score: probability x impact, 1 to 25."""
    return probability * impact


# the score bands of the risk matrix: high from HIGH_SCORE (the config's evidence_risk_score
# where an office set one), medium from MEDIUM_SCORE, low below
HIGH_SCORE = 15
MEDIUM_SCORE = 8


def band(value: int, high: int = HIGH_SCORE) -> str:
    """The band of a score: ``high``, ``medium`` or ``low``."""
    return "high" if value >= high else "medium" if value >= MEDIUM_SCORE else "low"


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
        "response_date": entry_day(ctx, "response date", response_date),
        "status": choice("status", status, RISK_STATUSES),
        **{
            k: text(k, v, required=False, max_length=4000, multiline=True)
            for k, v in details.items()
        },
    }
    values["program"] = get_program(program)
    values["owner"] = person_named(owner, "owner")
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
            values[name] = entry_day(ctx, "response date", value)
        elif name == "title":
            values["title"] = text("title", value)
        elif name in RISK_TEXT:
            values[name] = text(name, value, required=False, max_length=4000, multiline=True)
    with write():
        risk = records.get_current(Risk, risk_id, version)
        if "owner" in changes:
            values["owner"] = person_named(changes["owner"], "owner")
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
            due=entry_day(ctx, "due", due),
            risk=risk,
        )
        records.create(ctx, IssueLink, issue=issue, risk=risk)
        records.update(
            ctx, risk, risk.version, note=f"occurred: issue #{issue.id}", status="occurred"
        )
        return issue


class ScoreFacts(TypedDict):
    """One scoring of a risk: when, by whom, and its score."""

    at: str
    probability: int
    impact: int
    score: int
    by: str


def score_history(risk_id: int) -> list[ScoreFacts]:
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
    """One risk by id."""
    risk: Risk = records.get(Risk, risk_id)
    return risk


class RiskFacts(TypedDict):
    """One risk as plain data (``docket risk list --format json``)."""

    id: int
    program: str
    title: str
    category: str
    probability: int
    impact: int
    score: int
    owner: str | None
    status: str
    response_date: str | None
    cause: str
    effect: str
    mitigation: str
    contingency: str
    trigger: str
    version: int


def risk_facts(risk: Risk) -> RiskFacts:
    """One risk as plain data: its stable JSON form."""
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
    program: str | None = None,
    status: str | None = None,
    min_score: int | None = None,
    *,
    live: bool = False,
    response_by: date | None = None,
) -> list[Risk]:
    """Risks, highest score first; ``live``: only those still open or mitigating
    (:data:`LIVE_STATUSES`); ``response_by``: only those with a response date on or before it.
    Both narrow the read in SQL, so Today and the evidence read only the risks they show."""
    query = (
        Risk.select(Risk, Program, Person).join(Program).join_from(Risk, Person, JOIN.LEFT_OUTER)
    )
    if program:
        query = query.where(Risk.program.in_(program_and_children(program)))
    if status:
        query = query.where(Risk.status == choice("status", status, RISK_STATUSES))
    if min_score is not None:
        query = query.where(Risk.probability * Risk.impact >= min_score)
    if live:
        query = query.where(Risk.status.in_(LIVE_STATUSES))
    if response_by is not None:
        query = query.where(Risk.response_date <= response_by)
    return list(query.order_by((Risk.probability * Risk.impact).desc(), Risk.id))


def risk_matrix(program: str | None = None) -> list[list[int]]:
    """Open and mitigating risks counted by impact (rows, 5 at the top) and probability
    (columns, 1 to 5)."""
    cells = [[0] * 5 for _ in range(5)]
    for risk in list_risks(program, live=True):
        cells[5 - risk.impact][risk.probability - 1] += 1
    return cells
