"""Deciding on a proposal, and turning an approved one into a program.

A decision (approved, deferred, rejected) is taken on a proposal in review, with a reason,
and recorded as a RAID decision in the proposal's program that cites the analysis it used:
what the decider names (a selection's summary line, say), else the ranking by value at that
moment. An approved proposal becomes a program under the proposal's program, owned by its
sponsor, with a budget line per fiscal year and kind (capital, operating) drafted from the
business case, and a milestone per fiscal year of the case:

- **One milestone per fiscal year entered in the case** (a year left out between two others
  has nothing planned, so no milestone). Its baseline (and forecast) is the first day of
  that fiscal year (``governance.budget.fiscal_bounds``: FY2027 begins 1 July 2026), or
  today when that day has passed, so nothing is late the day it is drafted.
- **Its title** says what the year brings: ``<title>: FY2029 benefits start`` for the first
  year with hard benefits (savings or cost avoidance), ``<title>: FY2027 begins`` for the
  others. Its deliverable holds the year's figures from the case, its acceptance criteria
  the spending within that year's drafted budget lines (and the benefits measured); its
  owner is the sponsor.
- **No assignments.** The case names the people it needs by role and month (``analyst``,
  two in March), not by person: an assignment names a person under a contract, so drafting
  one would be a guess. The program is made without, and says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from docket.models.core import records
from docket.models.core.context import Context
from docket.models.core.database import write
from docket.models.core.errors import ValidationError
from docket.models.core.fields import to_utc_text
from docket.models.core.inputs import choice, text
from docket.models.core.schema import BudgetLine, Milestone, Program
from docket.models.core.schema_selection import Proposal
from docket.models.governance.budget import fiscal_bounds
from docket.models.governance.decisions import add_decision
from docket.models.milestones.schedule import add_milestone
from docket.models.people.directory import person_for_account
from docket.models.portfolio.business_case import YearFlows
from docket.models.portfolio.programs import add_program
from docket.models.portfolio.proposals import DECISIONS, case_flows, check_move, get_proposal
from docket.models.portfolio.value import active_weights, proposal_values

# the proposals a ranking cited by a decision is taken among
RANKED = ("submitted", "in review", "approved")
# the ranking's leaders named in the decision
LEADERS = 5


def ranking_now(ctx: Context, code: str) -> str:
    """The ranking by value now, as one line a decision cites: where ``code`` stands, the
    weights, and the leaders."""
    values = proposal_values(RANKED)
    weights = ", ".join(
        f"{name} {w.quantize(Decimal('0.001'))}" for name, w in active_weights().items()
    )
    place = next((i for i, v in enumerate(values, 1) if v["code"] == code), None)
    leaders = "; ".join(f"{i}. {v['code']} {v['value']}" for i, v in enumerate(values[:LEADERS], 1))
    if place is None:
        where = f"{code} is not ranked"
    else:
        mine = values[place - 1]
        where = (
            f"{code} ranks {place} of {len(values)}, value {mine['value']}, spread {mine['spread']}"
        )
    return (
        f"ranking by value at {to_utc_text(ctx.now())} UTC ({where}; weights: "
        f"{weights or 'no criteria'}; leaders: {leaders or 'none'})"
    )


def decide(
    ctx: Context,
    code: str,
    outcome: str,
    reason: str,
    analysis: str | None = None,
    by: str | None = None,
) -> Proposal:
    """Approve, defer or reject a proposal in review, with a reason; the decision is
    recorded in its program citing ``analysis`` (else the ranking now) and linked to it.
    It is decided by ``by`` (a person; default: the acting account's person), and entered
    by the acting account when that is someone else, as every decision is."""
    wanted = choice("decision", outcome, DECISIONS)
    why = text("reason", reason, max_length=2000, multiline=True)
    cited = text("analysis", analysis, required=False, max_length=2000, multiline=True)
    with write():
        proposal = get_proposal(code)
        check_move(proposal, wanted)
        home = proposal.__data__.get("program")
        if not home:
            raise ValidationError(
                "program",
                f"proposal {proposal.code} has no program to record its decision in; "
                f"give it one with: docket proposal edit {proposal.code} --program CODE",
            )
        used = cited or ranking_now(ctx, proposal.code)
        if by is None:
            mine = person_for_account(ctx.actor)
            by = mine.name if mine is not None else None
        decision = add_decision(
            ctx,
            f"Proposal {proposal.code} {wanted}: {proposal.title}"[:200],
            program=records.get(Program, home).code,
            rationale=f"{why}\n\nAnalysis used: {used}",
            decided_by=by,
        )
        return records.update(
            ctx, proposal, proposal.version, note=why, status=wanted, reason=why,
            decision=decision,
        )  # fmt: skip


# why an approved proposal's program gets no assignments (said by the command line)
NO_ASSIGNMENTS = (
    "no assignments drafted: the business case names roles, not people; assign people with "
    "'docket assignment add'"
)
# a milestone's title is at most this long (the proposal's title is cut to fit)
TITLE_LENGTH = 200


@dataclass(frozen=True)
class Drafted:
    """What turning a proposal into a program made."""

    program: Program
    budget_lines: int
    milestones: list[Milestone]


def to_program(
    ctx: Context, code: str, new_code: str, name: str | None = None
) -> tuple[Program, int]:
    """An approved proposal becomes a program (see :func:`draft_program`). Returns the
    program and how many budget lines it got."""
    drafted = draft_program(ctx, code, new_code, name)
    return drafted.program, drafted.budget_lines


def _milestone_of_year(
    ctx: Context, proposal: Proposal, program: Program, year: YearFlows, benefits_start: bool
) -> Milestone:
    """The milestone of one fiscal year of the case (see the module's docstring)."""
    fy = year["fiscal_year"]
    what = "benefits start" if benefits_start else "begins"
    suffix = f": FY{fy} {what}"
    title = proposal.title[: TITLE_LENGTH - len(suffix)] + suffix
    figures = (
        f"capital {year['capital']:,}, operating {year['operating']:,}; hard savings "
        f"{year['savings']:,}, cost avoidance {year['avoidance']:,}"
    )
    accepted = f"Spending within the FY{fy} budget lines drafted from proposal {proposal.code}"
    if year["savings"] > 0 or year["avoidance"] > 0:
        accepted += "; the year's savings and cost avoidance measured against the case"
    sponsor = proposal.__data__.get("sponsor")
    return add_milestone(
        ctx, program.code, title, max(fiscal_bounds(fy)[0], ctx.today()),
        owner=f"#{sponsor}" if sponsor else None,
        deliverable=f"FY{fy} as planned in proposal {proposal.code}'s business case: {figures}",
        acceptance_criteria=accepted,
    )  # fmt: skip


def first_benefit_year(years: list[YearFlows]) -> int | None:
    """The first fiscal year of a case with hard benefits (savings or cost avoidance)."""
    return next((y["fiscal_year"] for y in years if y["savings"] > 0 or y["avoidance"] > 0), None)


def draft_program(ctx: Context, code: str, new_code: str, name: str | None = None) -> Drafted:
    """An approved proposal becomes a program (under the proposal's program, owned by its
    sponsor, its objectives the program's), with a budget line per fiscal year and kind
    for each cost of the business case above zero and a milestone per fiscal year of the
    case; no assignments (:data:`NO_ASSIGNMENTS`)."""
    with write():
        proposal = get_proposal(code)
        if proposal.status != "approved":
            raise ValidationError(
                "status",
                f"proposal {proposal.code} is {proposal.status}; only an approved proposal "
                "becomes a program",
            )
        data = proposal.__data__
        if data.get("became"):
            became = records.get(Program, data["became"]).code
            raise ValidationError(
                "code", f"proposal {proposal.code} became program {became} already"
            )
        program = add_program(
            ctx,
            new_code,
            name or proposal.title,
            parent=records.get(Program, data["program"]).code if data.get("program") else None,
            owner=f"#{data['sponsor']}" if data.get("sponsor") else None,
            objective=proposal.objectives[:2000],
        )
        lines = 0
        years = case_flows(proposal.id)
        for year in years:
            for kind, amount in (("capital", year["capital"]), ("operating", year["operating"])):
                if amount > 0:
                    lines += 1
                    records.create(
                        ctx, BudgetLine, program=program, fiscal_year=year["fiscal_year"],
                        kind=kind, name=f"{kind.capitalize()} (proposal {proposal.code})",
                        amount=amount,
                    )  # fmt: skip
        benefits = first_benefit_year(years)
        milestones = [
            _milestone_of_year(ctx, proposal, program, y, y["fiscal_year"] == benefits)
            for y in years
        ]
        records.update(
            ctx, proposal, proposal.version, note=f"became {program.code}", became=program
        )
        return Drafted(program, lines, milestones)
