"""What changed between two days (``docket changes``, the board pack's "since the last board").

Read from the audit log, so it holds for any past period: milestones moved, programs' RAG
changed, risks opened, closed and re-scored, budget lines revised, and from the dated records
the spend of the period and the decisions taken in it.

Interface (for the CLI and the board pack)::

    changes_since(ctx, since, until=None, *, program=None) -> ChangesSince

- ``since`` and ``until`` are days in the user's zone (``ctx.tz``), typed (``fri``,
  ``2026-10-01``) or ``date``; the period is ``[since, until]``, both days whole; ``until``
  defaults to today. A day after today, or ``until`` before ``since``, is a
  ``ValidationError`` naming ``since`` or ``until``.
- ``program``: a program's code; that program and every program under it
  (:func:`~docket.models.portfolio.programs.program_and_children`). ``None``: all.
- Every list is sorted by program code, then time, then id. Days are ISO text
  (``2026-11-02``); ``at`` is the change's instant as ISO UTC (``2026-11-02T15:00:00Z``)
  and ``day`` the same instant's day in the user's zone. Money is decimal text with two
  places (``"1500000.00"``), signed for a change.

What counts: a milestone's ``forecast``, ``baseline`` or ``actual`` changed by an update in
the period (``reason``: the entry's note); a program's ``rag`` changed (``note``: the RAG
note the same change set, else the entry's note); a risk created in the period (opened), its
status set to ``closed`` (closed), its probability or impact changed (re-scored); a budget
line created, or its amount or estimate at completion changed; costs and contract
expenditures (not void) dated in the period, with totals by program and currency; decisions
decided on a day in the period.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any, TypedDict

from peewee import JOIN

from docket.models.audit.since import Entry, entries_between, record_values, values_before
from docket.models.core.context import Context
from docket.models.core.errors import ValidationError
from docket.models.core.fields import to_utc_text
from docket.models.core.inputs import a_date, window
from docket.models.core.schema import (
    BudgetLine,
    Decision,
    Milestone,
    Person,
    Program,
    Risk,
)
from docket.models.governance.budget import spending
from docket.models.portfolio.programs import program_and_children

MILESTONE_FIELDS = ("forecast", "baseline", "actual")
BUDGET_FIELDS = ("amount", "estimate_at_completion")
CENT = Decimal("0.01")


class MilestoneMove(TypedDict):
    """One date of a milestone changed: which, from, to, by how many days, and why."""

    milestone_id: int
    program: str  # code
    title: str
    field: str  # forecast, baseline or actual
    from_day: str | None
    to_day: str | None
    days: int | None  # to minus from (later is positive); None when either is empty
    reason: str
    at: str
    day: str
    actor: str


class RagChange(TypedDict):
    """A program's RAG changed."""

    program: str
    name: str
    from_rag: str | None
    to_rag: str
    note: str
    at: str
    day: str
    actor: str


class RiskEvent(TypedDict):
    """A risk opened, closed or re-scored (score = probability x impact)."""

    risk_id: int
    program: str
    title: str
    from_score: int | None  # None when opened
    to_score: int
    status: str  # the risk's status after the change
    note: str
    at: str
    day: str
    actor: str


class BudgetMove(TypedDict):
    """A budget line created, or its amount or estimate at completion changed."""

    line_id: int
    program: str
    name: str
    fiscal_year: int
    field: str  # amount or estimate_at_completion
    from_amount: str | None
    to_amount: str | None
    change: str  # to minus from (an empty side counts as 0)
    currency: str
    note: str
    at: str
    day: str
    actor: str


class SpendTotal(TypedDict):
    """What one program spent in the period, in one currency."""

    program: str
    currency: str
    costs: str  # program costs dated in the period
    expenditures: str  # contract expenditures dated in the period, not void
    total: str
    count: int  # how many costs and expenditures


class DecisionTaken(TypedDict):
    """A decision decided on a day in the period."""

    decision_id: int
    program: str
    title: str
    decided_on: str
    decided_by: str | None  # the person's name
    rationale: str
    in_meeting: bool


class ChangesSince(TypedDict):
    """Everything that changed in the period ``[since, until]``."""

    since: str
    until: str
    program: str | None  # the code of the program asked for; None: all
    milestones: list[MilestoneMove]
    rag: list[RagChange]
    risks_opened: list[RiskEvent]
    risks_closed: list[RiskEvent]
    risks_rescored: list[RiskEvent]
    budget: list[BudgetMove]
    spend: list[SpendTotal]
    # the period's spend by currency over every program shown: {"USD": "12345.00"}
    spend_totals: dict[str, str]
    decisions: list[DecisionTaken]


# --- the period -------------------------------------------------------------------------


def period(ctx: Context, since: str | date, until: str | date | None = None) -> tuple[date, date]:
    """The days ``[since, until]`` (``until`` today when not given): neither after today,
    ``until`` not before ``since``."""
    today = ctx.today()
    first = a_date(ctx, "since", since, required=True)
    last = a_date(ctx, "until", until) if until is not None else today
    assert first is not None
    last = last or today
    for field, day in (("since", first), ("until", last)):
        if day > today:
            raise ValidationError(
                field, f"expected a day on or before {today} (the report's day), got {day}"
            )
    # the end is to blame for a period that runs backwards or too long only when it was given
    return window("until" if until is not None else "since", first, last)


def _bounds(ctx: Context, first: date, last: date) -> tuple[str, str]:
    """The UTC texts of the period's first instant and of the instant just after it."""
    start = datetime.combine(first, time(0), ctx.tz)
    end = datetime.combine(last + timedelta(days=1), time(0), ctx.tz)
    return to_utc_text(start), to_utc_text(end)


def _when(ctx: Context, at: str) -> tuple[str, str]:
    """``at`` (stored UTC text) as ISO UTC and as the day in the user's zone."""
    moment = datetime.fromisoformat(at).replace(tzinfo=UTC)
    return moment.isoformat().replace("+00:00", "Z"), moment.astimezone(ctx.tz).date().isoformat()


# --- each kind --------------------------------------------------------------------------


class _Scope:
    """Which programs count, and their codes."""

    def __init__(self, program: str | None) -> None:
        query: Any = Program.select(Program.id, Program.code, Program.name).tuples()
        rows: list[tuple[int, str, str]] = list(query)
        self.codes: dict[int, str] = {int(i): str(c) for i, c, _ in rows}
        self.names: dict[int, str] = {int(i): str(n) for i, _, n in rows}
        wanted = program_and_children(program) if program else None
        self.ids: set[int] | None = None if wanted is None else set(wanted)
        # the code of the program asked for (a name typed finds its program)
        self.asked = None if wanted is None else self.codes[wanted[0]]

    def has(self, pid: Any) -> bool:
        return isinstance(pid, int) and (self.ids is None or pid in self.ids)

    def code(self, pid: Any) -> str:
        return self.codes.get(pid, f"program #{pid}") if isinstance(pid, int) else ""


def _milestones(ctx: Context, scope: _Scope, start: str, end: str) -> list[MilestoneMove]:
    entries = [e for e in entries_between("milestone", start, end) if e.action == "update"]
    entries = [e for e in entries if any(e.pair(n) for n in MILESTONE_FIELDS)]
    facts = record_values(
        Milestone, "milestone", (e.entity_id for e in entries), ("program", "title")
    )
    moves: list[MilestoneMove] = []
    for e in entries:
        known = facts.get(e.entity_id, {})
        pid = known.get("program")
        if not scope.has(pid):
            continue
        at, day = _when(ctx, e.at)
        for name in MILESTONE_FIELDS:
            pair = e.pair(name)
            if pair is None or pair[0] == pair[1]:
                continue
            old, new = pair
            days = (date.fromisoformat(new) - date.fromisoformat(old)).days if old and new else None
            moves.append(
                MilestoneMove(
                    milestone_id=e.entity_id, program=scope.code(pid),
                    title=str(known.get("title") or ""), field=name, from_day=old or None,
                    to_day=new or None, days=days, reason=e.note, at=at, day=day,
                    actor=e.actor,
                )
            )  # fmt: skip
    return sorted(moves, key=lambda m: (m["program"], m["at"], m["milestone_id"]))


def _rag(ctx: Context, scope: _Scope, start: str, end: str) -> list[RagChange]:
    found: list[RagChange] = []
    for e in entries_between("program", start, end):
        pair = e.pair("rag")
        if e.action != "update" or pair is None or pair[0] == pair[1] or not scope.has(e.entity_id):
            continue
        noted = e.pair("rag_note")
        at, day = _when(ctx, e.at)
        found.append(
            RagChange(
                program=scope.code(e.entity_id), name=scope.names.get(e.entity_id, ""),
                from_rag=pair[0], to_rag=str(pair[1]),
                note=str(noted[1] or "") if noted and noted[1] else e.note,
                at=at, day=day, actor=e.actor,
            )
        )  # fmt: skip
    return sorted(found, key=lambda r: (r["program"], r["at"]))


def _score(state: dict[str, Any]) -> int:
    p, i = state.get("probability"), state.get("impact")
    return int(p) * int(i) if isinstance(p, int) and isinstance(i, int) else 0


def _risk_event(
    ctx: Context, scope: _Scope, e: Entry, pid: Any, title: str, values: dict[str, Any]
) -> RiskEvent:
    """One risk's change, its score and status after it (``from_score`` None)."""
    at, day = _when(ctx, e.at)
    return RiskEvent(
        risk_id=e.entity_id, program=scope.code(pid), title=title, from_score=None,
        to_score=_score(values), status=str(values.get("status") or "open"), note=e.note,
        at=at, day=day, actor=e.actor,
    )  # fmt: skip


def _risks(
    ctx: Context, scope: _Scope, start: str, end: str
) -> tuple[list[RiskEvent], list[RiskEvent], list[RiskEvent]]:
    """Risks opened, closed and re-scored in the period."""
    entries = entries_between("risk", start, end)
    names = ("program", "title", "probability", "impact", "status")
    now = record_values(Risk, "risk", (e.entity_id for e in entries), names)
    # each risk's values just before the period, rolled forward entry by entry
    state = values_before("risk", {e.entity_id for e in entries}, start)
    opened: list[RiskEvent] = []
    closed: list[RiskEvent] = []
    rescored: list[RiskEvent] = []
    for e in entries:
        values = state.setdefault(e.entity_id, {})
        before = dict(values)
        if e.action == "create":
            values.clear()
        for name, pair in e.changes.items():
            if isinstance(pair, list) and len(pair) == 2:
                values[name] = pair[1]
        pid = values.get("program", now.get(e.entity_id, {}).get("program"))
        if e.action == "delete" or not scope.has(pid):
            continue
        title = str(values.get("title") or now.get(e.entity_id, {}).get("title") or "")
        base = _risk_event(ctx, scope, e, pid, title, values)
        if e.action == "create":
            opened.append(base)
            continue
        old = _score(before) or None
        status_pair = e.pair("status")
        if status_pair and status_pair[1] == "closed" and status_pair[0] != "closed":
            closed.append({**base, "from_score": old})
        if (e.pair("probability") or e.pair("impact")) and _score(before) != _score(values):
            rescored.append({**base, "from_score": old})

    def order(events: list[RiskEvent]) -> list[RiskEvent]:
        return sorted(events, key=lambda r: (r["program"], r["at"], r["risk_id"]))

    return order(opened), order(closed), order(rescored)


def _money(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value)).quantize(CENT)
    except InvalidOperation:
        return None


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _budget(ctx: Context, scope: _Scope, start: str, end: str) -> list[BudgetMove]:
    entries = [
        e
        for e in entries_between("budget_line", start, end)
        if e.action in ("create", "update") and any(e.pair(n) for n in BUDGET_FIELDS)
    ]
    names = ("program", "name", "fiscal_year", "currency")
    facts = record_values(BudgetLine, "budget_line", (e.entity_id for e in entries), names)
    moves: list[BudgetMove] = []
    for e in entries:
        known = facts.get(e.entity_id, {})
        pid = known.get("program")
        if not scope.has(pid):
            continue
        at, day = _when(ctx, e.at)
        for name in BUDGET_FIELDS:
            pair = e.pair(name)
            if pair is None:
                continue
            old, new = _money(pair[0]), _money(pair[1])
            if old == new:
                continue
            moves.append(
                BudgetMove(
                    line_id=e.entity_id, program=scope.code(pid), name=str(known.get("name", "")),
                    fiscal_year=int(known.get("fiscal_year") or 0), field=name,
                    from_amount=_text(old), to_amount=_text(new),
                    change=str((new or Decimal(0)) - (old or Decimal(0))),
                    currency=str(known.get("currency") or "USD"), note=e.note, at=at, day=day,
                    actor=e.actor,
                )
            )  # fmt: skip
    return sorted(moves, key=lambda m: (m["program"], m["at"], m["line_id"], m["field"]))


def _spend(scope: _Scope, first: date, last: date) -> tuple[list[SpendTotal], dict[str, str]]:
    """Costs and expenditures (not void) dated in the period, by program and currency
    (:func:`~docket.models.governance.budget.spending`: what counts as spent)."""
    sums: dict[tuple[str, str], list[Any]] = defaultdict(lambda: [Decimal(0), Decimal(0), 0])
    after = last + timedelta(days=1)
    for spend in spending(None, first, after):
        if scope.has(spend.program_id):
            row = sums[(scope.code(spend.program_id), spend.currency)]
            row[0 if spend.source == "cost" else 1] += spend.amount
            row[2] += spend.entries
    totals: dict[str, Decimal] = defaultdict(Decimal)
    rows: list[SpendTotal] = []
    for (code, currency), (cost, paid, count) in sorted(sums.items()):
        totals[currency] += cost + paid
        rows.append(
            SpendTotal(
                program=code, currency=currency, costs=str(cost.quantize(CENT)),
                expenditures=str(paid.quantize(CENT)), total=str((cost + paid).quantize(CENT)),
                count=count,
            )
        )  # fmt: skip
    return rows, {c: str(t.quantize(CENT)) for c, t in sorted(totals.items())}


def _decisions(scope: _Scope, first: date, last: date) -> list[DecisionTaken]:
    query = (
        Decision.select(Decision, Person.name)
        .join(Person, JOIN.LEFT_OUTER, on=(Decision.decided_by == Person.id))
        .where(Decision.decided_on.between(first, last))
        .order_by(Decision.decided_on, Decision.id)
        .objects()
    )
    found: list[DecisionTaken] = []
    for d in query:
        pid = d.__data__.get("program")
        if not scope.has(pid):
            continue
        found.append(
            DecisionTaken(
                decision_id=int(d.id), program=scope.code(pid), title=str(d.title),
                decided_on=d.decided_on.isoformat(), decided_by=getattr(d, "name", None),
                rationale=str(d.rationale or ""), in_meeting=d.__data__.get("meeting") is not None,
            )
        )  # fmt: skip
    return sorted(found, key=lambda d: (d["program"], d["decided_on"], d["decision_id"]))


def changes_since(
    ctx: Context, since: str | date, until: str | date | None = None, *, program: str | None = None
) -> ChangesSince:
    """What changed in ``[since, until]`` (days in the user's zone), for ``program`` and the
    programs under it (all when None); see the module's docstring."""
    first, last = period(ctx, since, until)
    scope = _Scope(program)
    start, end = _bounds(ctx, first, last)
    opened, closed, rescored = _risks(ctx, scope, start, end)
    spend, totals = _spend(scope, first, last)
    return ChangesSince(
        since=first.isoformat(),
        until=last.isoformat(),
        program=scope.asked,
        milestones=_milestones(ctx, scope, start, end),
        rag=_rag(ctx, scope, start, end),
        risks_opened=opened,
        risks_closed=closed,
        risks_rescored=rescored,
        budget=_budget(ctx, scope, start, end),
        spend=spend,
        spend_totals=totals,
        decisions=_decisions(scope, first, last),
    )


def counts(found: ChangesSince) -> Iterator[tuple[str, int]]:
    """How many of each kind of change, in the order a report shows them."""
    for key in ("milestones", "rag", "risks_opened", "risks_closed", "risks_rescored",
                "budget", "decisions"):  # fmt: skip
        yield key, len(found[key])
