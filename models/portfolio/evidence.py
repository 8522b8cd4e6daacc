"""The evidence behind a program's colour: the RAG its own data implies.

The typed RAG is the program manager's call; this module derives another from what docket
already holds (milestones, actions, budget, metrics, risks, issues, allocation, contract
burn) so the two can be compared. Every rule is here, and each reuses the domain function
that owns the underlying fact (a milestone's status, an action's overdue state, the budget's
estimate at completion, a metric's status, a risk's score, over-allocation, burn); only the
thresholds are new, and they are settings of the config (``evidence_*``). A parent program
takes in the programs under it. The derived colour is the worst any line implies.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import TypedDict

from docket.models.actions.items import overdue_clause
from docket.models.contractors.allocation import overallocations
from docket.models.contractors.burn import burns
from docket.models.core.config import Config
from docket.models.core.schema import (
    RAG,
    ActionItem,
    Assignment,
    Milestone,
    Program,
)
from docket.models.governance.budget import budget, budget_total, fiscal_year_of
from docket.models.governance.issues import list_issues
from docket.models.governance.metrics import metrics
from docket.models.governance.risks import list_risks, score
from docket.models.milestones.schedule import status
from docket.models.portfolio.programs import get_program, program_and_children

# the window, from today, in which an over-allocated person on the program counts
ALLOCATION_DAYS = 30
# the action priorities whose overdue items count
PRESSING = ("high", "urgent")
OPEN_ISSUE = ("open", "in progress")
OPEN_RISK = ("open", "mitigating")


class EvidenceLine(TypedDict):
    """One fact and the colour it implies."""

    # the rule's name: milestone late, budget, metric, ...
    rule: str
    fact: str
    colour: str


class EvidenceFacts(TypedDict):
    """A program's typed RAG against the one its data implies, with the evidence."""

    program: str
    typed: str
    derived: str
    # the typed colour is better than the evidence
    disagrees: bool
    evidence: list[EvidenceLine]


def _line(rule: str, fact: str, colour: str) -> EvidenceLine:
    return {"rule": rule, "fact": fact, "colour": colour}


def _days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"


def _milestones(ids: list[int], today: date, late_days: int) -> list[EvidenceLine]:
    """Late milestones (red past ``late_days`` beyond their forecast) and at-risk ones."""
    found: list[EvidenceLine] = []
    query = Milestone.select(Milestone, Program).join(Program).where(Milestone.program.in_(ids))
    for m in query.order_by(Milestone.forecast, Milestone.id):
        word = status(m, today)
        name = f"{m.program.code} {m.title}"
        if word == "late":
            days = (today - m.forecast).days
            colour = "red" if days > late_days else "amber"
            found.append(
                _line("milestone late", f"{name}: {_days(days)} past its forecast", colour)
            )
        elif word == "at risk":
            slip = (m.forecast - m.baseline).days
            fact = f"{name}: forecast {_days(slip)} past its baseline"
            found.append(_line("milestone at risk", fact, "amber"))
    return found


def _actions(ids: list[int], today: date) -> list[EvidenceLine]:
    """Overdue actions of high or urgent priority."""
    items = ActionItem.select().where(
        ActionItem.program.in_(ids), ActionItem.priority.in_(PRESSING), overdue_clause(today)
    )
    count = items.count()
    if not count:
        return []
    return [_line("overdue actions", f"{count} high or urgent action(s) overdue", "amber")]


def _budget(code: str, today: date, red_percent: float) -> list[EvidenceLine]:
    """The estimate at completion against the budget this fiscal year (program and those
    under it summed); nothing when there is no budget."""
    total = budget_total(budget(code, fiscal_year_of(today), today))
    budgeted, estimate = Decimal(total["budget"]), Decimal(total["estimate_at_completion"])
    if budgeted <= 0 or estimate <= budgeted:
        return []
    over = (estimate - budgeted) / budgeted * 100
    colour = "red" if over > Decimal(str(red_percent)) else "amber"
    fact = f"estimate at completion {estimate:.2f} is {over:.1f} % over the budget {budgeted:.2f}"
    return [_line("budget", fact, colour)]


def _metrics(code: str) -> list[EvidenceLine]:
    """Metrics whose latest value is red or amber."""
    return [
        _line("metric", f"{m['name']} at {m['latest']} {m['unit']}".rstrip(), m["status"])
        for m in metrics(code)
        if m["status"] in ("red", "amber")
    ]


def _risks(code: str, risk_score: int) -> list[EvidenceLine]:
    """Open or mitigating risks scoring ``risk_score`` or more."""
    return [
        _line("risk", f"#{r.id} {r.title}: score {score(r.probability, r.impact)}", "amber")
        for r in list_risks(code, min_score=risk_score)
        if r.status in OPEN_RISK
    ]


def _issues(code: str) -> list[EvidenceLine]:
    """Open critical issues."""
    return [
        _line("issue", f"#{i.id} {i.title}: critical, {i.status}", "red")
        for i in list_issues(code)
        if i.severity == "critical" and i.status in OPEN_ISSUE
    ]


def _allocation(ids: list[int], today: date) -> list[EvidenceLine]:
    """People assigned to the program who are above 100 % in the next days."""
    last = today + timedelta(days=ALLOCATION_DAYS)
    mine = {
        a.id: a.__data__["person"]
        for a in Assignment.select(Assignment.id, Assignment.person).where(
            Assignment.program.in_(ids), Assignment.start <= last, Assignment.end >= today
        )
    }
    if not mine:
        return []
    return [
        _line("over-allocated", f"{row['person']} at {row['peak']} % from {row['from']}", "amber")
        for row in overallocations(today, last, set(mine.values()))
        if set(row["assignments"]) & set(mine)
    ]


def _contracts(ids: list[int], today: date, percent: float) -> list[EvidenceLine]:
    """Current contracts that have spent more than ``percent`` % of their ceiling."""
    limit = Decimal(str(percent)) / 100
    return [
        _line("contract", f"{b.contract.number}: {b.percent} % of its ceiling spent", "amber")
        for b in burns(today, program_ids=ids)
        if b.contract.end >= today and b.share > limit
    ]


def worst(colours: list[str]) -> str:
    """The worst of some colours (green when there are none)."""
    return max(colours, key=RAG.index, default="green")


def derived_status(program: str, today: date, config: Config | None = None) -> EvidenceFacts:
    """The program's typed RAG, the RAG its data implies (the worst of the evidence, the
    programs under it included) and the evidence, each line with its rule and colour."""
    settings = config or Config()
    found = get_program(program)
    ids = program_and_children(found.code)
    evidence = [
        *_milestones(ids, today, settings.evidence_late_days),
        *_actions(ids, today),
        *_budget(found.code, today, settings.evidence_eac_over_percent),
        *_metrics(found.code),
        *_risks(found.code, settings.evidence_risk_score),
        *_issues(found.code),
        *_allocation(ids, today),
        *_contracts(ids, today, settings.evidence_contract_percent),
    ]
    derived = worst([e["colour"] for e in evidence])
    return {
        "program": found.code,
        "typed": found.rag,
        "derived": derived,
        "disagrees": RAG.index(found.rag) < RAG.index(derived),
        "evidence": evidence,
    }


def derived_statuses(today: date, config: Config | None = None) -> list[EvidenceFacts]:
    """:func:`derived_status` of every program, in code order."""
    return [derived_status(p.code, today, config) for p in Program.select().order_by(Program.code)]
