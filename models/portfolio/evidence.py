"""The evidence behind a program's colour: the RAG its own data implies.

The typed RAG is the program manager's call; this module derives another from what docket
already holds (milestones, actions, budget, metrics, risks, issues, allocation, contract
burn) so the two can be compared. Every rule is here, and each reuses the domain function
that owns the underlying fact (a milestone's status, an action's overdue state, the budget's
estimate at completion, a metric's status, a risk's score, over-allocation, burn); only the
thresholds are new, and they are settings of the config (``evidence_*``). A parent program
takes in the programs under it. The derived colour is the worst any line implies.

A typed colour better than the evidence needs a reason, kept in the program's RAG note
(:func:`check_reason`, called by every write of a program's RAG or note).

The evidence of every program is read in a fixed number of queries (each rule reads once
for all the programs asked about, then shares its facts out along the tree), so Today and
the digest can show it whatever the number of programs.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, TypedDict

from docket.models.actions.pressing import pressing_overdue
from docket.models.contractors.allocation import OverallocationsOnce, overallocations
from docket.models.contractors.burn import BurnsOnce
from docket.models.core.config import Config
from docket.models.core.errors import ValidationError
from docket.models.core.schema import (
    RAG,
    Assignment,
    Issue,
    Milestone,
    Program,
    Risk,
    database,
)
from docket.models.governance.budget import BudgetRow, budget, budget_total, fiscal_year_of
from docket.models.governance.metrics import latest_metrics
from docket.models.governance.risks import LIVE_STATUSES, score
from docket.models.milestones.schedule import needs_attention_clause, status_clause
from docket.models.portfolio.programs import get_program, program_and_children

# the window, from today, in which an over-allocated person on the program counts
ALLOCATION_DAYS = 30
OPEN_ISSUE = ("open", "in progress")
# what a disagreement without a reason says where the reason would be
NO_REASON = "no reason given"


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
    # the program manager's reason for the typed colour: its RAG note ("" when none)
    reason: str
    # the typed colour is better than the evidence and no reason is given
    reason_missing: bool


def _line(rule: str, fact: str, colour: str) -> EvidenceLine:
    return {"rule": rule, "fact": fact, "colour": colour}


def _days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"


class _Tree:
    """The programs asked about, each with the ids of itself and every program under it
    (what scoping to a parent takes in), and which of them each program's facts go to."""

    def __init__(self, tops: list[int]) -> None:
        query: Any = Program.select(Program.id, Program.parent, Program.code).tuples()
        rows: list[tuple[int, int | None, str]] = list(query)
        parents = {pid: parent for pid, parent, _ in rows}
        self.codes = {pid: code for pid, _, code in rows}
        self.under: dict[int, list[int]] = {top: [top] for top in tops}
        for pid in sorted(parents):
            walk, seen = parents.get(pid), {pid}
            while walk is not None and walk not in seen:
                if walk in self.under:
                    self.under[walk].append(pid)
                seen.add(walk)
                walk = parents.get(walk)
        # each program's id: the programs asked about whose facts it adds to
        self.tops_of: dict[int, list[int]] = {}
        for top, ids in self.under.items():
            for pid in ids:
                self.tops_of.setdefault(pid, []).append(top)
        self.ids = sorted(self.tops_of)

    def share(
        self, found: dict[int, list[EvidenceLine]], pid: int | None, line: EvidenceLine
    ) -> None:
        """Add a fact of program ``pid`` to every program asked about that takes it in."""
        for top in self.tops_of.get(pid or 0, []):
            found[top].append(line)


def _milestones(
    tree: _Tree, today: date, late_days: int, slip_days: int
) -> dict[int, list[EvidenceLine]]:
    """Late milestones (red past ``late_days`` beyond their forecast) and at-risk ones (a
    forecast past the baseline); either is red when it is more than ``slip_days`` behind its
    baseline (a late one counted to today), so moving the forecast never hides the slip."""
    found: dict[int, list[EvidenceLine]] = {top: [] for top in tree.under}
    # the shown columns, "late" by the schedule's own rule (the rest of those needing
    # attention are at risk): the cursor's own rows, only the days converted, as hundreds
    # of milestones need no model object (nor peewee's row conversion) each
    query: Any = (
        Milestone.select(
            Milestone.program,
            Program.code,
            Milestone.title,
            Milestone.baseline,
            Milestone.forecast,
            status_clause("late", today).alias("late"),
        )
        .join(Program)
        .where(Milestone.program.in_(tree.ids), needs_attention_clause(today))
        .order_by(Milestone.forecast, Milestone.id)
    )
    day = Milestone.forecast.python_value
    for pid, code, title, baseline_text, forecast_text, late in database.execute(query):
        baseline, forecast, name = day(baseline_text), day(forecast_text), f"{code} {title}"
        if late:
            days, behind = (today - forecast).days, (today - baseline).days
            colour = "red" if days > late_days or behind > slip_days else "amber"
            fact = f"{name}: {_days(days)} past its forecast"
            if behind > days:  # the forecast had moved past the baseline
                fact += f", {_days(behind)} past its baseline"
            line = _line("milestone late", fact, colour)
        else:
            slip = (forecast - baseline).days
            fact = f"{name}: forecast {_days(slip)} past its baseline"
            line = _line("milestone at risk", fact, "red" if slip > slip_days else "amber")
        tree.share(found, pid, line)
    return found


def _actions(tree: _Tree, today: date) -> dict[int, list[EvidenceLine]]:
    """Overdue actions of high or urgent priority."""
    counts = pressing_overdue(today)
    found: dict[int, list[EvidenceLine]] = {}
    for top, ids in tree.under.items():
        count = sum(counts.get(pid, 0) for pid in ids)
        found[top] = (
            [_line("overdue actions", f"{count} high or urgent action(s) overdue", "amber")]
            if count
            else []
        )
    return found


def _budget(
    tree: _Tree, code: str | None, today: date, red_percent: float, shared: Shared
) -> dict[int, list[EvidenceLine]]:
    """The estimate at completion against the budget this fiscal year (program and those
    under it summed); nothing when there is no budget."""
    rows = shared.budget(code, fiscal_year_of(today), today)
    found: dict[int, list[EvidenceLine]] = {}
    for top, ids in tree.under.items():
        mine = {tree.codes[pid] for pid in ids}
        total = budget_total([r for r in rows if r["program"] in mine])
        budgeted, estimate = Decimal(total["budget"]), Decimal(total["estimate_at_completion"])
        found[top] = []
        if budgeted <= 0 or estimate <= budgeted:
            continue
        over = (estimate - budgeted) / budgeted * 100
        colour = "red" if over > Decimal(str(red_percent)) else "amber"
        fact = (
            f"estimate at completion {estimate:.2f} is {over:.1f} % over the budget {budgeted:.2f}"
        )
        found[top] = [_line("budget", fact, colour)]
    return found


def _metrics(tree: _Tree) -> dict[int, list[EvidenceLine]]:
    """Metrics whose latest value is red or amber (by the metric's own rule); only each
    metric's latest reading is read."""
    found: dict[int, list[EvidenceLine]] = {top: [] for top in tree.under}
    for m in latest_metrics(tree.ids):
        if m["status"] in ("red", "amber"):
            fact = f"{m['name']} at {m['latest']} {m['unit']}".rstrip()
            tree.share(found, m["program_id"], _line("metric", fact, m["status"]))
    return found


def _risks(tree: _Tree, code: str | None, risk_score: int) -> dict[int, list[EvidenceLine]]:
    """Open or mitigating risks scoring ``risk_score`` or more, as :func:`list_risks` with
    ``live`` reads them (the highest score first), only the columns the line names: the
    cursor's own rows, no model object (nor its program and owner) per risk."""
    found: dict[int, list[EvidenceLine]] = {top: [] for top in tree.under}
    exposure = Risk.probability * Risk.impact
    query: Any = Risk.select(Risk.id, Risk.program, Risk.title, Risk.probability, Risk.impact)
    query = query.where(Risk.status.in_(LIVE_STATUSES), exposure >= risk_score)
    if code:
        query = query.where(Risk.program.in_(program_and_children(code)))
    for ident, program, title, probability, impact in database.execute(
        query.order_by(exposure.desc(), Risk.id)
    ):
        fact = f"#{ident} {title}: score {score(probability, impact)}"
        tree.share(found, program, _line("risk", fact, "amber"))
    return found


def _issues(tree: _Tree, code: str | None) -> dict[int, list[EvidenceLine]]:
    """Open critical issues, in the order of :func:`list_issues` (by due day, then id),
    only those read: the cursor's own rows, no model object per issue."""
    found: dict[int, list[EvidenceLine]] = {top: [] for top in tree.under}
    query: Any = Issue.select(Issue.id, Issue.program, Issue.title, Issue.status, Issue.due)
    query = query.where(Issue.severity == "critical", Issue.status.in_(OPEN_ISSUE))
    if code:
        query = query.where(Issue.program.in_(program_and_children(code)))
    day = Issue.due.python_value
    rows = [
        (day(due) or date.max, ident, program, title, status)
        for (ident, program, title, status, due) in database.execute(query)
    ]
    for _, ident, program, title, status in sorted(rows):
        line = _line("issue", f"#{ident} {title}: critical, {status}", "red")
        tree.share(found, program, line)
    return found


class Shared:
    """Reads a caller (a digest) makes once for its own parts and the evidence: the
    contracts' burns, the over-allocations and the budgets; the evidence comes out the
    same. A plain class: a dataclass costs every command that imports this more to define."""

    def __init__(
        self,
        *,
        burns: BurnsOnce | None = None,
        overallocations: OverallocationsOnce | None = None,
    ) -> None:
        self.burns = BurnsOnce() if burns is None else burns
        self.overallocations = overallocations
        # the budgets read, by program (None: all), fiscal year and day
        self.budgets: dict[tuple[str | None, int, date], list[BudgetRow]] = {}

    def budget(self, program: str | None, year: int, today: date) -> list[BudgetRow]:
        """:func:`budget`, read once per program, year and day: the evidence and a
        digest's budget section ask for the same."""
        key = (program, year, today)
        found = self.budgets.get(key)
        if found is None:
            found = self.budgets[key] = budget(program, year, today)
        return list(found)


def _allocation(tree: _Tree, today: date, shared: Shared) -> dict[int, list[EvidenceLine]]:
    """People assigned to the program who are above 100 % in the next days."""
    last = today + timedelta(days=ALLOCATION_DAYS)
    program_of: dict[int, int] = {}
    people: set[int] = set()
    # the bookings the caller read once (a digest's), else the cursor's own rows (ids only)
    rows: Any = None
    if shared.overallocations is not None:
        rows = shared.overallocations.assignments(today, last, tree.ids)
    if rows is None:
        query: Any = Assignment.select(Assignment.id, Assignment.person, Assignment.program)
        rows = database.execute(
            query.where(
                Assignment.program.in_(tree.ids), Assignment.start <= last, Assignment.end >= today
            )
        )
    for aid, person, program in rows:
        program_of[aid] = program
        people.add(person)
    found: dict[int, list[EvidenceLine]] = {top: [] for top in tree.under}
    if not people:
        return found
    over = shared.overallocations or overallocations
    for row in over(today, last, people):
        line = _line(
            "over-allocated", f"{row['person']} at {row['peak']} % from {row['from']}", "amber"
        )
        tops = {
            top
            for aid in row["assignments"]
            for top in tree.tops_of.get(program_of.get(aid, 0), [])
        }
        for top in sorted(tops):
            found[top].append(line)
    return found


def _contracts(
    tree: _Tree, today: date, percent: float, shared: Shared
) -> dict[int, list[EvidenceLine]]:
    """Current contracts that have spent more than ``percent`` % of their ceiling."""
    limit = Decimal(str(percent)) / 100
    found: dict[int, list[EvidenceLine]] = {top: [] for top in tree.under}
    # every program: all contracts (the same ones; a read any other part can share)
    ids = None if len(tree.ids) == len(tree.codes) else tree.ids
    for b in shared.burns(today, ids):
        if b.contract.end >= today and b.share > limit:
            line = _line(
                "contract", f"{b.contract.number}: {b.percent} % of its ceiling spent", "amber"
            )
            tree.share(found, b.contract.__data__["program"], line)
    return found


def worst(colours: Iterable[str]) -> str:
    """The worst of some colours (green when there are none)."""
    return max(colours, key=RAG.index, default="green")


def better(typed: str, derived: str) -> bool:
    """Whether the typed colour is better than the derived one (green better than amber)."""
    return RAG.index(typed) < RAG.index(derived)


def _statuses(
    programs: list[Program],
    code: str | None,
    today: date,
    config: Config | None,
    shared: Shared | None = None,
) -> list[EvidenceFacts]:
    """The facts of ``programs``; ``code`` scopes the reads that take a program (None: all);
    ``shared``: burns and over-allocations the caller reads once for its own use too."""
    reads = shared or Shared()
    settings = config or Config()
    tree = _Tree([p.id for p in programs])
    parts = [
        _milestones(tree, today, settings.evidence_late_days, settings.evidence_slip_days),
        _actions(tree, today),
        _budget(tree, code, today, settings.evidence_eac_over_percent, reads),
        _metrics(tree),
        _risks(tree, code, settings.evidence_risk_score),
        _issues(tree, code),
        _allocation(tree, today, reads),
        _contracts(tree, today, settings.evidence_contract_percent, reads),
    ]
    found: list[EvidenceFacts] = []
    for p in programs:
        evidence = [line for part in parts for line in part[p.id]]
        derived = worst(e["colour"] for e in evidence)
        reason = str(p.rag_note or "").strip()
        disagrees = better(p.rag, derived)
        found.append(
            {
                "program": p.code,
                "typed": p.rag,
                "derived": derived,
                "disagrees": disagrees,
                "evidence": evidence,
                "reason": reason,
                "reason_missing": disagrees and not reason,
            }
        )
    return found


def derived_status(program: str, today: date, config: Config | None = None) -> EvidenceFacts:
    """The program's typed RAG, the RAG its data implies (the worst of the evidence, the
    programs under it included), the evidence, each line with its rule and colour, and the
    reason given for the typed colour (its RAG note)."""
    found = get_program(program)
    return _statuses([found], found.code, today, config)[0]


def derived_statuses(
    today: date,
    config: Config | None = None,
    *,
    codes: Iterable[str] | None = None,
    shared: Shared | None = None,
) -> list[EvidenceFacts]:
    """:func:`derived_status` of every program (or those of ``codes``), in code order, in a
    fixed number of queries (``shared``: reads the caller makes once, see :class:`Shared`)."""
    query = Program.select().order_by(Program.code)
    if codes is not None:
        query = query.where(Program.code.in_(list(codes)))
    return _statuses(list(query), None, today, config, shared)


class ColourFacts(TypedDict):
    """The evidence's colour beside a typed one (a digest's status table)."""

    evidence: str
    disagrees: bool
    reason_missing: bool


def colours_of(
    codes: Iterable[str],
    today: date,
    config: Config | None = None,
    shared: Shared | None = None,
    *,
    programs: list[Program] | None = None,
) -> dict[str, ColourFacts]:
    """Each program's derived colour, whether its typed one is better and whether that has
    no reason, by code (:func:`derived_statuses` of ``codes``); ``programs``: those of
    ``codes`` the caller has read already (a digest's status table), not read again."""
    found = (
        derived_statuses(today, config, codes=codes, shared=shared)
        if programs is None
        else _statuses(programs, None, today, config, shared)
    )
    return {
        f["program"]: {
            "evidence": f["derived"],
            "disagrees": f["disagrees"],
            "reason_missing": f["reason_missing"],
        }
        for f in found
    }


def disputed(
    today: date,
    config: Config | None = None,
    program_ids: Iterable[int] | None = None,
    shared: Shared | None = None,
) -> list[EvidenceFacts]:
    """The programs (all, or those of ``program_ids``) whose typed colour is better than the
    evidence, in code order; a red program never is, so its evidence is not read. ``shared``:
    burns and over-allocations a caller (Today) reads once for its own parts too."""
    query = Program.select().where(Program.rag != "red").order_by(Program.code)
    if program_ids is not None:
        query = query.where(Program.id.in_(list(program_ids)))
    return [f for f in _statuses(list(query), None, today, config, shared) if f["disagrees"]]


def worst_line(facts: EvidenceFacts) -> EvidenceLine | None:
    """The first line of the evidence with the derived colour (what a message cites)."""
    return next((e for e in facts["evidence"] if e["colour"] == facts["derived"]), None)


def verdict(facts: EvidenceFacts) -> str:
    """``typed GREEN, evidence RED, reason: ...`` (or ``no reason given``); the reason is
    said only where the typed colour is better than the evidence."""
    said = f"typed {facts['typed'].upper()}, evidence {facts['derived'].upper()}"
    if not facts["disagrees"]:
        return said
    return f"{said}, " + (f"reason: {facts['reason']}" if facts["reason"] else NO_REASON)


def check_reason(
    program: Program,
    rag: str,
    note: str,
    *,
    rag_changed: bool,
    note_given: bool,
    today: date,
    config: Config | None = None,
) -> None:
    """Refuse a write of ``program`` that sets a typed colour better than the evidence
    without a reason given in the same change (``note_given``, with a word in it), or that empties
    the reason while the typed colour is still better. ``rag`` and ``note`` are the values
    the write leaves. A red program, a write that gives its new colour a reason, or one that
    touches neither the colour nor the reason reads no evidence."""
    # a note without a word ("." or "-") says no reason
    emptied = note_given and not any(c.isalpha() for c in note)
    if rag == "red" or (rag_changed and not emptied and note_given):
        return
    if not rag_changed and not emptied:
        return
    facts = derived_status(program.code, today, config)
    if not better(rag, facts["derived"]):
        return
    line = worst_line(facts)
    cited = f" ({line['fact']})" if line else ""
    when = "when" if rag_changed else "while"
    raise ValidationError(
        "rag note",
        f"a reason is needed {when} the RAG is better than the evidence: {rag.upper()}, "
        f"evidence {facts['derived'].upper()}{cited}",
    )
