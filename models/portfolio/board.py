"""The board pack's facts: every program at a glance and each program's pictures, gathered
from the domain functions that own them (evidence, budget, metrics, risk matrix, milestone
status and slip, allocation, proposal value and cost), never derived again here.

What is new is only the choosing a board needs on one page: which milestones a timeline
shows (late, then slipped, then the soonest coming, then those done lately; at most
``MILESTONES_SHOWN``, the rest counted), which people the allocation heatmap shows (those
above 100 % in the coming months, the most loaded first) and which proposals are plotted
(all but the rejected).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import TypedDict

from docket.models.contractors.allocation import Allocation, allocation_by_month, overallocations
from docket.models.core.config import Config
from docket.models.core.context import Context
from docket.models.core.schema import Assignment
from docket.models.governance.budget import BudgetRow, budget, budget_total, fiscal_year_of
from docket.models.governance.metrics import MetricFacts, metrics
from docket.models.governance.risks import risk_matrix
from docket.models.milestones.schedule import (
    STATUSES,
    MilestoneFacts,
    list_milestones,
    milestone_facts,
)
from docket.models.portfolio.evidence import EvidenceFacts, derived_statuses
from docket.models.portfolio.programs import (
    ProgramFacts,
    get_program,
    list_programs,
    program_and_children,
    program_facts,
)
from docket.models.portfolio.proposals import proposals_facts
from docket.models.portfolio.value import proposal_values

# at most this many milestones on a program's timeline (the others are counted)
MILESTONES_SHOWN = 12
# milestones done within this many days before the report's day are shown as done
DONE_RECENTLY_DAYS = 90
# the allocation heatmap: months from the report's month, and at most this many people
ALLOCATION_MONTHS = 6
ALLOCATION_PEOPLE = 20
# proposals of these statuses are plotted (value against cost)
PLOTTED = ("draft", "submitted", "in review", "approved", "deferred")


class ProgramBoard(TypedDict):
    """One program's page: who and what it is, its colours and their evidence, and the
    facts behind its pictures."""

    program: ProgramFacts
    status: EvidenceFacts
    # the milestones on its timeline, by forecast (program and those under it)
    milestones: list[MilestoneFacts]
    # every milestone of the program (and those under it) by status word
    milestone_counts: dict[str, int]
    # its own budget row, then those under it, and their total (fiscal year of the day)
    budget: list[BudgetRow]
    budget_total: BudgetRow
    metrics: list[MetricFacts]
    # open and mitigating risks by impact (rows, 5 first) and probability (columns, 1 to 5)
    risk_matrix: list[list[int]]


class ProposalPoint(TypedDict):
    """A proposal plotted: its value (0 to 10) against its total cost (money as text)."""

    code: str
    title: str
    status: str
    value: str
    cost: str


class BoardFacts(TypedDict):
    """The whole pack's facts, as of ``today``."""

    today: str
    fiscal_year: int
    # the program asked for (its pages take in those under it); None: the whole portfolio
    scope: str | None
    programs: list[ProgramBoard]
    # each program's own budget row (those with a budget or spending) and their total
    budget: list[BudgetRow]
    budget_total: BudgetRow
    risk_matrix: list[list[int]]
    # the people shown above 100 % (their allocation per month), and how many there are
    allocation: Allocation
    overallocated: int
    proposals: list[ProposalPoint]


def choose_milestones(found: list[MilestoneFacts], today: date) -> list[MilestoneFacts]:
    """The milestones a timeline shows: late ones (longest past forecast first), then those
    slipped (most slip first), then the soonest coming, then those done lately; at most
    ``MILESTONES_SHOWN``, returned by forecast (or actual) date."""
    recent = (today - timedelta(days=DONE_RECENTLY_DAYS)).isoformat()

    def rank(m: MilestoneFacts) -> tuple[int, int, str]:
        if m["status"] == "late":
            return (0, -(today - date.fromisoformat(m["forecast"])).days, m["forecast"])
        if m["status"] == "at risk":
            return (1, -m["slip_days"], m["forecast"])
        if m["status"] == "on track":
            return (2, 0, m["forecast"])
        done = date.fromisoformat(m["actual"] or m["forecast"])
        return (3, -done.toordinal(), "")

    wanted = [m for m in found if m["status"] != "done" or (m["actual"] or "") >= recent]
    chosen = sorted(wanted, key=rank)[:MILESTONES_SHOWN]
    return sorted(chosen, key=lambda m: (m["actual"] or m["forecast"], m["id"]))


def program_board(
    today: date, code: str, status: EvidenceFacts, every: list[MilestoneFacts]
) -> ProgramBoard:
    """One program's page facts at ``today``, given its evidence and its milestones (those
    of the programs under it included)."""
    program = get_program(code)
    counts = dict.fromkeys(STATUSES, 0)
    for m in every:
        counts[m["status"]] += 1
    rows = budget(program.code, fiscal_year_of(today), today)
    return {
        "program": program_facts(program),
        "status": status,
        "milestones": choose_milestones(every, today),
        "milestone_counts": counts,
        "budget": rows,
        "budget_total": budget_total(rows),
        "metrics": metrics(program.code),
        "risk_matrix": risk_matrix(program.code),
    }


def _milestones_by_program(ctx: Context, codes: list[str]) -> dict[str, list[MilestoneFacts]]:
    """Each program's milestones and those of the programs under it, read in one query."""
    today = ctx.today()
    by_id: dict[int, list[MilestoneFacts]] = {}
    for m in list_milestones(ctx):
        by_id.setdefault(m.__data__["program"], []).append(milestone_facts(m, today))
    found: dict[str, list[MilestoneFacts]] = {}
    for code in codes:
        mine = [m for pid in program_and_children(code) for m in by_id.get(pid, [])]
        found[code] = sorted(mine, key=lambda m: (m["forecast"], m["program"], m["id"]))
    return found


def _people(program_ids: list[int] | None, first: date, last: date) -> set[int] | None:
    """The people assigned to these programs between two days (None: everyone)."""
    if program_ids is None:
        return None
    query = Assignment.select(Assignment.person).where(
        Assignment.program.in_(program_ids), Assignment.start <= last, Assignment.end >= first
    )
    return {a.__data__["person"] for a in query}


def _allocation(program_ids: list[int] | None, today: date) -> tuple[Allocation, int]:
    """The allocation by month of the people above 100 % in the coming months (at most
    ``ALLOCATION_PEOPLE``, the highest peak first), and how many such people there are."""
    first = today.replace(day=1)
    last = (first + timedelta(days=31 * ALLOCATION_MONTHS)).replace(day=1) - timedelta(days=1)
    people = _people(program_ids, today, last)
    over = overallocations(today, last, people)
    shown = [row["person_id"] for row in over[:ALLOCATION_PEOPLE]]
    if not shown:
        months = allocation_by_month(first, ALLOCATION_MONTHS, [])["months"]
        return {"months": months, "people": []}, 0
    found = allocation_by_month(first, ALLOCATION_MONTHS, shown)
    order = {pid: n for n, pid in enumerate(shown)}
    found["people"].sort(key=lambda p: order[p["person_id"]])
    return found, len(over)


def _proposals(scope: str | None, config: Config) -> list[ProposalPoint]:
    """Proposals (of the program in scope) with their value and total cost."""
    values = {v["code"]: v["value"] for v in proposal_values(PLOTTED)}
    points: list[ProposalPoint] = []
    for p in proposals_facts(config.discount_rate, program=scope):
        if p["code"] not in values:
            continue
        points.append(
            {
                "code": p["code"],
                "title": p["title"],
                "status": p["status"],
                "value": f"{values[p['code']]}",
                "cost": f"{Decimal(p['costs']):.2f}",
            }
        )
    return points


def board_facts(ctx: Context, program: str | None, config: Config | None = None) -> BoardFacts:
    """The board pack's facts at ``ctx.today()``: every program (or the one named and those
    under it), the portfolio's budget, risks, allocation and proposals."""
    settings = config or Config()
    today = ctx.today()
    year = fiscal_year_of(today)
    if program:
        scope = get_program(program).code
        ids: list[int] | None = program_and_children(scope)
        codes = [p.code for p in list_programs() if p.id in (ids or [])]
    else:
        scope, ids = None, None
        codes = [p.code for p in list_programs()]
    rows = budget(scope, year, today)
    statuses = {f["program"]: f for f in derived_statuses(today, settings, codes=codes)}
    milestones = _milestones_by_program(ctx, codes)
    allocation, overallocated = _allocation(ids, today)
    return {
        "today": today.isoformat(),
        "fiscal_year": year,
        "scope": scope,
        "programs": [
            program_board(today, code, statuses[code], milestones[code]) for code in codes
        ],
        "budget": rows,
        "budget_total": budget_total(rows),
        "risk_matrix": risk_matrix(scope),
        "allocation": allocation,
        "overallocated": overallocated,
        "proposals": _proposals(scope, settings),
    }
