"""What a proposal needs besides money: people by role and month, and other proposals.

People are full-time equivalents of a role in a month (``analyst 2027-03 1.5``), set one
month or a run of months at a time. A dependency says a proposal can be funded only with
another funded too; a loop of dependencies is refused, naming it. A proposal's detail,
which shows both, is :func:`proposal_detail`.
"""

from __future__ import annotations

import difflib
import re
from datetime import date
from decimal import Decimal
from typing import TypedDict

from docket.models.core import records
from docket.models.core.context import Context
from docket.models.core.database import write
from docket.models.core.errors import ValidationError
from docket.models.core.inputs import decimal_number, shown, text
from docket.models.core.lookup import fold
from docket.models.core.schema_selection import Proposal, ProposalDependency, ProposalNeed
from docket.models.portfolio.business_case import CaseFigures, cost_benefit
from docket.models.portfolio.proposals import (
    ProposalFacts,
    case_flows,
    get_proposal,
    open_case,
    proposal_facts,
)

_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
# the longest run of months one `need` command sets (ten years)
MAX_MONTHS = 120
MAX_PEOPLE = Decimal(10000)


# --- people needed --------------------------------------------------------------------


def months(typed: str) -> list[date]:
    """``2027-03`` (one month) or ``2027-03..2027-08`` (each month of the run)."""
    first, _, last = (typed or "").strip().partition("..")
    start = _month(first)
    end = _month(last) if last else start
    if end < start:
        raise ValidationError("month", f"{shown(typed)} ends before it starts")
    count = (end.year - start.year) * 12 + end.month - start.month + 1
    if count > MAX_MONTHS:
        raise ValidationError("month", f"expected at most {MAX_MONTHS} months, got {count}")
    return [date(start.year + (start.month - 1 + i) // 12, (start.month - 1 + i) % 12 + 1, 1)
            for i in range(count)]  # fmt: skip


def _month(typed: str) -> date:
    found = _MONTH.fullmatch(typed.strip())
    if not found or not 1 <= int(found.group(2)) <= 12 or not 1900 <= int(found.group(1)) <= 2999:
        raise ValidationError("month", f"expected a month such as 2027-03, got {shown(typed)}")
    return date(int(found.group(1)), int(found.group(2)), 1)


def people_count(typed: str | Decimal) -> Decimal:
    """Full-time equivalents: 0 or more, at most two decimal places (``1.5``)."""
    return decimal_number(
        "people", typed, places=2, maximum=MAX_PEOPLE, example="a number of people such as 1.5"
    )


def set_need(
    ctx: Context, code: str, role: str, month: str, people: str, new_role: bool = False
) -> tuple[str, int]:
    """The proposal needs ``people`` of ``role`` in each month of ``month`` (one month or
    a run ``2027-03..2027-08``); 0 takes the need away. A role is spelled as the office
    first spelled it (``business analyst`` is ``Business analyst``); a role nobody uses
    yet is refused, naming the known ones closest first, unless ``new_role`` (a typo
    would otherwise start a role of its own). Returns the role as stored and how many
    months were set."""
    typed = text("role", role, max_length=80)
    count = people_count(people)
    stored = format(count.normalize(), "f")
    wanted = months(month)
    with write():
        proposal = open_case(code)
        name = role_named(typed)
        if not new_role:
            _known_role(name)
        existing = {
            n.month: n
            for n in ProposalNeed.select().where(
                ProposalNeed.proposal == proposal, ProposalNeed.role == name,
                ProposalNeed.month.in_(wanted),
            )
        }  # fmt: skip
        for first in wanted:
            row = existing.get(first)
            if count == 0:
                if row is not None:
                    records.delete(ctx, row, row.version)
            elif row is None:
                records.create(
                    ctx, ProposalNeed, proposal=proposal, role=name, month=first, people=stored
                )
            else:
                records.update(ctx, row, row.version, people=stored)
        return name, len(wanted)


def _known_role(name: str) -> None:
    """Refuse a role no proposal needs yet, naming the known roles, closest first."""
    known = [n.role for n in ProposalNeed.select(ProposalNeed.role).distinct()]
    if name in known:
        return
    close = difflib.get_close_matches(fold(name), [fold(k) for k in known], n=len(known), cutoff=0)
    ordered = [next(k for k in known if fold(k) == c) for c in close]
    roles = ", ".join(ordered) if ordered else "none yet"
    raise ValidationError(
        "role",
        f"no proposal needs a {name!r} yet (known roles: {roles}); "
        "give --new-role to start a new role",
    )


def role_named(typed: str) -> str:
    """The role as the office spells it: a known role whose name is ``typed`` (case and
    accents aside), else ``typed`` as it is."""
    known = ProposalNeed.select(ProposalNeed.role).distinct().order_by(ProposalNeed.role)
    return next((n.role for n in known if fold(n.role) == fold(typed)), typed)


class NeedFacts(TypedDict):
    """People of one role a proposal needs in one month."""

    role: str
    month: str
    people: str


def proposal_needs(proposal_id: int) -> list[NeedFacts]:
    """A proposal's needs by role, then month."""
    query = ProposalNeed.select().where(ProposalNeed.proposal == proposal_id)
    return [
        {"role": n.role, "month": n.month.isoformat()[:7], "people": n.people}
        for n in query.order_by(ProposalNeed.role, ProposalNeed.month)
    ]


class NeedRun(TypedDict):
    """The same people of one role over a run of months (``2027-03..2027-08``)."""

    role: str
    months: str
    people: str


def need_runs(needs: list[NeedFacts]) -> list[NeedRun]:
    """Needs (by role, then month) as runs of consecutive months needing the same people."""
    runs: list[NeedRun] = []
    last: tuple[str, str, str] | None = None  # role, people, month of the run's end
    for n in needs:
        if last and (n["role"], n["people"]) == last[:2] and _next_month(last[2]) == n["month"]:
            runs[-1]["months"] = f"{runs[-1]['months'][:7]}..{n['month']}"
        else:
            runs.append({"role": n["role"], "months": n["month"], "people": n["people"]})
        last = (n["role"], n["people"], n["month"])
    return runs


def _next_month(month: str) -> str:
    year, number = int(month[:4]), int(month[5:7])
    return f"{year + number // 12:04d}-{number % 12 + 1:02d}"


# --- dependencies ---------------------------------------------------------------------


def add_dependency(ctx: Context, code: str, on: str) -> ProposalDependency:
    """``code`` can be funded only with ``on`` funded too; a loop is refused, and so is a
    decided proposal (its case, dependencies included, is the one decided on)."""
    with write():
        proposal, needed = open_case(code), get_proposal(on)
        if proposal.id == needed.id:
            raise ValidationError("on", "a proposal cannot depend on itself")
        if ProposalDependency.get_or_none(
            ProposalDependency.proposal == proposal, ProposalDependency.needs == needed
        ):
            raise ValidationError("on", f"{proposal.code} depends on {needed.code} already")
        path = _path(needed.id, proposal.id)
        if path:
            loop = " -> ".join([proposal.code, *path])
            raise ValidationError("on", f"that would make a loop: {loop}")
        return records.create(ctx, ProposalDependency, proposal=proposal, needs=needed)


def remove_dependency(ctx: Context, code: str, on: str) -> None:
    """``code`` no longer depends on ``on`` (not once ``code`` is decided)."""
    with write():
        proposal, needed = open_case(code), get_proposal(on)
        row = ProposalDependency.get_or_none(
            ProposalDependency.proposal == proposal, ProposalDependency.needs == needed
        )
        if row is None:
            raise ValidationError("on", f"{proposal.code} does not depend on {needed.code}")
        records.delete(ctx, row, row.version)


def _path(start: int, goal: int) -> list[str]:
    """The codes on a chain of dependencies from ``start`` to ``goal`` (empty: none)."""
    edges: dict[int, list[int]] = {}
    for row in ProposalDependency.select(ProposalDependency.proposal, ProposalDependency.needs):
        edges.setdefault(row.__data__["proposal"], []).append(row.__data__["needs"])
    came: dict[int, int | None] = {start: None}
    todo = [start]
    while todo:
        here = todo.pop()
        if here == goal:
            chain: list[int] = []
            at: int | None = here
            while at is not None:
                chain.append(at)
                at = came[at]
            codes = {
                p.id: p.code
                for p in Proposal.select(Proposal.id, Proposal.code).where(Proposal.id.in_(chain))
            }
            return [codes[i] for i in reversed(chain)]
        for nxt in edges.get(here, []):
            if nxt not in came:
                came[nxt] = here
                todo.append(nxt)
    return []


def dependencies(proposal_id: int) -> list[str]:
    """The codes a proposal depends on."""
    query = (
        Proposal.select(Proposal.code)
        .join(ProposalDependency, on=ProposalDependency.needs == Proposal.id)
        .where(ProposalDependency.proposal == proposal_id)
        .order_by(Proposal.code)
    )
    return [p.code for p in query]


# --- a proposal in full ---------------------------------------------------------------


class ProposalDetail(TypedDict):
    """A proposal with all it holds, and its case's figures (``docket proposal show``)."""

    proposal: ProposalFacts
    problem: str
    objectives: str
    risks: str
    depends_on: list[str]
    needed_by: list[str]
    needs: list[NeedFacts]
    case: CaseFigures


def proposal_detail(code: str, rate: Decimal) -> ProposalDetail:
    """Everything about one proposal, its case figured at ``rate``."""
    proposal = get_proposal(code)
    flows = case_flows(proposal.id)
    needed_by = (
        Proposal.select(Proposal.code)
        .join(ProposalDependency, on=ProposalDependency.proposal == Proposal.id)
        .where(ProposalDependency.needs == proposal.id)
        .order_by(Proposal.code)
    )
    return {
        "proposal": proposal_facts(proposal, rate, flows),
        "problem": proposal.problem,
        "objectives": proposal.objectives,
        "risks": proposal.risks,
        "depends_on": dependencies(proposal.id),
        "needed_by": [p.code for p in needed_by],
        "needs": proposal_needs(proposal.id),
        "case": cost_benefit(flows, rate),
    }
