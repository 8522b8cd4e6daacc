"""Proposals: candidate projects from intake to a decision, with their business case by
fiscal year (the people they need and what they depend on are in
:mod:`docket.models.portfolio.needs`).

The way through: draft -> submitted -> in review -> approved | deferred | rejected. A
submitted proposal may go back to draft (withdrawn); a deferred one may be submitted again
next cycle; approved and rejected are final. Every move is audited with its reason; the
decisions (approved, deferred, rejected) are in :mod:`docket.models.portfolio.funding`
(they record a RAID decision). The arithmetic of the case is
:mod:`docket.models.portfolio.business_case`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, TypedDict

from peewee import JOIN

from docket.models.core import records
from docket.models.core.context import Context
from docket.models.core.database import write
from docket.models.core.errors import NotFoundError, ValidationError
from docket.models.core.inputs import choice, money, shown, text, whole_number
from docket.models.core.schema import Person, Program
from docket.models.core.schema_selection import (
    PROPOSAL_STATUSES,
    Proposal,
    ProposalYear,
)
from docket.models.governance.entries import person_named
from docket.models.portfolio.business_case import YearFlows, cost_benefit
from docket.models.portfolio.programs import get_program

_CODE = re.compile(r"[A-Z0-9][A-Z0-9-]{1,19}")
# the moves a proposal may make, by its status now (decisions are in decisions.py)
MOVES: dict[str, tuple[str, ...]] = {
    "draft": ("submitted",),
    "submitted": ("in review", "draft"),
    "in review": ("approved", "deferred", "rejected"),
    "deferred": ("submitted",),
    "approved": (),
    "rejected": (),
}
DECISIONS = ("approved", "deferred", "rejected")
TEXT_FIELDS = ("problem", "objectives", "risks")
EDITABLE = ("title", "sponsor", "program", "mandatory", *TEXT_FIELDS)


def proposal_code(typed: str | None) -> str:
    """A proposal code as stored: capitals, digits and dashes, 2 to 20 (``P-2027-014``)."""
    code = (typed or "").strip().upper()
    if not _CODE.fullmatch(code):
        raise ValidationError(
            "code", f"expected 2 to 20 letters, digits or dashes such as P-2027-01, got "
            f"{shown(typed or '')}",
        )  # fmt: skip
    return code


def get_proposal(typed: str) -> Proposal:
    """The proposal with this code (case aside), or a refusal naming some known codes."""
    code = (typed or "").strip().upper()
    found = Proposal.get_or_none(Proposal.code == code)
    if found is None:
        known = ", ".join(
            p.code for p in Proposal.select(Proposal.code).order_by(Proposal.code).limit(8)
        )
        hint = f"; known: {known}" if known else "; there are no proposals yet"
        raise NotFoundError(f"proposal: no proposal with code {shown(typed or '')}{hint}")
    proposal: Proposal = found
    return proposal


def _flag(field: str, value: str | bool) -> bool:
    if isinstance(value, bool):
        return value
    word = value.strip().lower()
    if word in ("yes", "true", "1", "y"):
        return True
    if word in ("no", "false", "0", "n"):
        return False
    raise ValidationError(field, f"expected yes or no, got {shown(value)}")


def _values(changes: dict[str, Any]) -> dict[str, Any]:
    """The checked values of a proposal's fields (sponsor and program found)."""
    values: dict[str, Any] = {}
    for name, value in changes.items():
        if name == "title":
            values[name] = text("title", value)
        elif name == "sponsor":
            values[name] = person_named(value or None, "sponsor")
        elif name == "program":
            values[name] = get_program(value) if value else None
        elif name == "mandatory":
            values[name] = _flag("mandatory", value)
        elif name in TEXT_FIELDS:
            values[name] = text(name, value, required=False, max_length=4000, multiline=True)
        else:
            raise ValidationError(name, "is not a field of a proposal")
    return values


def add_proposal(ctx: Context, code: str, title: str, **fields: Any) -> Proposal:
    """A new proposal, in draft. ``fields``: sponsor, program, mandatory, problem,
    objectives, risks."""
    with write():
        values = _values({"title": title, **fields})
        values["code"] = proposal_code(code)
        if Proposal.get_or_none(Proposal.code == values["code"]):
            raise ValidationError("code", f"a proposal with code {values['code']} already exists")
        return records.create(ctx, Proposal, **values)


def update_proposal(
    ctx: Context, code: str, version: int | None = None, note: str = "", **changes: Any
) -> Proposal:
    """Change a proposal's fields (not its status: see :func:`move`). A decided proposal
    (approved, rejected) is the record of its decision and is not edited."""
    with write():
        proposal = records.get_current(Proposal, get_proposal(code).id, version)
        if proposal.status in ("approved", "rejected"):
            raise ValidationError(
                "status",
                f"proposal {proposal.code} is {proposal.status}; a decided proposal is not edited",
            )
        return records.update(ctx, proposal, proposal.version, note, **_values(changes))


def move(ctx: Context, code: str, status: str, reason: str = "") -> Proposal:
    """Move a proposal to ``status`` (submitted, in review, draft), the reason audited.
    Decisions go through :func:`docket.models.portfolio.funding.decide`."""
    wanted = choice("status", status, PROPOSAL_STATUSES)
    if wanted in DECISIONS:
        raise ValidationError("status", f"{wanted} is a decision: use decide, with a reason")
    with write():
        proposal = get_proposal(code)
        check_move(proposal, wanted)
        why = text("reason", reason, required=False, max_length=4000, multiline=True)
        return records.update(ctx, proposal, proposal.version, note=why, status=wanted, reason=why)


def check_move(proposal: Proposal, wanted: str) -> None:
    """Refuse a move the way through does not allow, naming the allowed ones."""
    allowed = MOVES[proposal.status]
    if wanted not in allowed:
        if not allowed:
            raise ValidationError(
                "status", f"proposal {proposal.code} is {proposal.status}, which is final; "
                f"it cannot go to {wanted}",
            )  # fmt: skip
        then = allowed[0] if len(allowed) == 1 else f"{', '.join(allowed[:-1])} or {allowed[-1]}"
        raise ValidationError(
            "status", f"proposal {proposal.code} is {proposal.status}; it can go to: {then}; "
            f"not {wanted}",
        )  # fmt: skip


# --- the business case by fiscal year -------------------------------------------------

CASE_FIELDS = {
    "capital": "capital",
    "operating": "operating",
    "savings": "hard_savings",
    "avoidance": "cost_avoidance",
}


def set_year(
    ctx: Context, code: str, fiscal_year: str | int, **amounts: str | None
) -> ProposalYear:
    """Set a fiscal year of the case: ``capital``, ``operating``, ``savings``,
    ``avoidance`` (amounts of zero or more; one left out keeps its value, or is 0 in a new
    year)."""
    year = whole_number("fiscal year", fiscal_year, minimum=2000, maximum=2100)
    values: dict[str, Any] = {}
    for name, typed in amounts.items():
        if name not in CASE_FIELDS:
            raise ValidationError(name, "is not a part of a business case")
        if typed is None:
            continue
        amount = money(name, typed, decimal_comma=ctx.decimal_comma)
        if amount < 0:
            raise ValidationError(name, "expected an amount of zero or more")
        values[CASE_FIELDS[name]] = amount
    with write():
        proposal = open_case(code)
        row = ProposalYear.get_or_none(
            ProposalYear.proposal == proposal, ProposalYear.fiscal_year == year
        )
        if row is None:
            return records.create(ctx, ProposalYear, proposal=proposal, fiscal_year=year, **values)
        return records.update(ctx, row, row.version, **values)


def remove_year(ctx: Context, code: str, fiscal_year: str | int) -> None:
    """Take a fiscal year out of the case."""
    year = whole_number("fiscal year", fiscal_year, minimum=2000, maximum=2100)
    with write():
        proposal = open_case(code)
        row = ProposalYear.get_or_none(
            ProposalYear.proposal == proposal, ProposalYear.fiscal_year == year
        )
        if row is None:
            raise ValidationError("fiscal year", f"proposal {proposal.code} has no FY{year}")
        records.delete(ctx, row, row.version)


def open_case(code: str) -> Proposal:
    """The proposal whose case may change: not once decided."""
    proposal = get_proposal(code)
    if proposal.status in ("approved", "rejected"):
        raise ValidationError(
            "status",
            f"proposal {proposal.code} is {proposal.status}; its case is the one decided on",
        )
    return proposal


def case_flows(proposal_id: int) -> list[YearFlows]:
    """A proposal's case as entered, by fiscal year."""
    rows = ProposalYear.select().where(ProposalYear.proposal == proposal_id)
    return [_flows(r) for r in rows.order_by(ProposalYear.fiscal_year)]


def _flows(row: ProposalYear) -> YearFlows:
    return {
        "fiscal_year": row.fiscal_year,
        "capital": Decimal(row.capital),
        "operating": Decimal(row.operating),
        "savings": Decimal(row.hard_savings),
        "avoidance": Decimal(row.cost_avoidance),
    }


def all_flows(ids: Sequence[int] | None = None) -> dict[int, list[YearFlows]]:
    """The cases of many proposals (all when None) in one query, by proposal id."""
    query = ProposalYear.select()
    if ids is not None:
        query = query.where(ProposalYear.proposal.in_(list(ids)))
    found: dict[int, list[YearFlows]] = {}
    for row in query.order_by(ProposalYear.fiscal_year):
        found.setdefault(row.__data__["proposal"], []).append(_flows(row))
    return found


# --- facts ----------------------------------------------------------------------------


class ProposalFacts(TypedDict):
    """One proposal as plain data (``docket proposal list --format json``); money as text."""

    id: int
    code: str
    title: str
    status: str
    program: str | None
    sponsor: str | None
    mandatory: bool
    costs: str
    benefits: str
    npv: str
    reason: str
    decision: int | None
    became: str | None
    version: int


def list_proposals(status: str | None = None, program: str | None = None) -> list[Proposal]:
    """Proposals by code, of a status or program when given."""
    query = (
        Proposal.select(Proposal, Person, Program)
        .join_from(Proposal, Person, JOIN.LEFT_OUTER)
        .join_from(Proposal, Program, JOIN.LEFT_OUTER, on=Proposal.program == Program.id)
    )
    if status:
        query = query.where(Proposal.status == choice("status", status, PROPOSAL_STATUSES))
    if program:
        query = query.where(Proposal.program == get_program(program))
    return list(query.order_by(Proposal.code))


def proposal_facts(
    proposal: Proposal, rate: Decimal, flows: list[YearFlows] | None = None
) -> ProposalFacts:
    """One proposal as plain data, its case's totals and NPV at ``rate``."""
    figures = cost_benefit(case_flows(proposal.id) if flows is None else flows, rate)
    data = proposal.__data__
    became = Program.get_by_id(data["became"]).code if data.get("became") else None
    program = proposal.program if data.get("program") else None
    sponsor = proposal.sponsor if data.get("sponsor") else None
    return {
        "id": proposal.id,
        "code": proposal.code,
        "title": proposal.title,
        "status": proposal.status,
        "program": program.code if program is not None else None,
        "sponsor": sponsor.name if sponsor is not None else None,
        "mandatory": bool(proposal.mandatory),
        "costs": str(figures["total_costs"]),
        "benefits": str(figures["total_benefits"]),
        "npv": str(figures["npv"]),
        "reason": proposal.reason,
        "decision": data.get("decision"),
        "became": became,
        "version": proposal.version,
    }


def proposals_facts(
    rate: Decimal, status: str | None = None, program: str | None = None
) -> list[ProposalFacts]:
    """Every proposal listed, each with its case's totals and NPV (one query for the cases)."""
    found = list_proposals(status, program)
    flows = all_flows([p.id for p in found])
    return [proposal_facts(p, rate, flows.get(p.id, [])) for p in found]
