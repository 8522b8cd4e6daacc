"""The sections of a status digest, each built from a :class:`Scope` and registered in
:data:`SECTIONS`, so a new kind of record adds its section in one place.

A section with nothing to report says so in one line (``empty``); it is never dropped,
except the optional ones of :mod:`docket.models.comms.digest_selection`. Each
section reads the database in a fixed number of queries, whatever the number of programs or
rows (lists are capped at :data:`SHOWN` with their full counts), so a digest of everything
stays quick.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, NamedTuple

from peewee import JOIN

from docket.models.actions.items import DATED_ORDER, days_overdue, due_soon_clause, is_open_clause
from docket.models.comms.digest_contractors import contractors_section, contracts_section
from docket.models.comms.digest_scope import (
    SHOWN,
    Capped,
    Row,
    Scope,
    Section,
    SectionBuilder,
    capped,
    within,
)
from docket.models.comms.digest_selection import (
    proposals_section,
    scorecards_section,
    selection_section,
    solicitations_section,
)
from docket.models.comms.digest_status import status_section
from docket.models.comms.plan import due_rows
from docket.models.core.schema import (
    ActionItem,
    AuditEntry,
    ChangeRequest,
    Decision,
    Issue,
    Metric,
    Milestone,
    Person,
    Program,
    Risk,
    database,
)
from docket.models.governance.budget import budget, fiscal_year_of
from docket.models.governance.changes import change_facts
from docket.models.governance.decisions import decision_facts
from docket.models.governance.issues import issue_facts
from docket.models.governance.metrics import metrics
from docket.models.governance.risks import risk_facts
from docket.models.meetings.occurrences import OccurrenceFilter, among, list_occurrences
from docket.models.milestones.schedule import slip_days

# of the program and the person a listed row names, only what a digest shows of them (the
# program's code, the person's name): a joined row of three whole models costs several times
# as much to make, and the facts of a decision, risk, issue or change read no more
_NAMED = (Program.id, Program.code, Person.id, Person.name)


def _owner(row: Any) -> str | None:
    owner = row.owner if row.__data__.get("owner") else None
    return str(owner.name) if owner is not None else None


def milestones_section(scope: Scope) -> Section:
    """Milestones completed in the period, due in the next one, slipped (with the reason of
    the last forecast change) and late."""
    query: Any = (  # the shown columns as tuples: no model objects for hundreds of rows
        Milestone.select(
            Milestone.id,
            Program.code,
            Milestone.title,
            Person.name.alias("owner"),
            Milestone.baseline,
            Milestone.forecast,
            Milestone.actual,
        )
        .join(Program)
        .join_from(Milestone, Person, JOIN.LEFT_OUTER)
        .where(
            within(Milestone.program, scope),
            Milestone.actual.between(scope.since, scope.until)
            | (
                Milestone.actual.is_null()
                & (
                    (Milestone.forecast <= scope.next_until)
                    | (Milestone.forecast > Milestone.baseline)
                )
            ),
        )
        .order_by(Milestone.forecast, Milestone.id)
    )
    done: list[dict[str, Any]] = []
    due: list[dict[str, Any]] = []
    slipped: list[dict[str, Any]] = []
    late: list[dict[str, Any]] = []
    # the cursor's own rows, only the days converted (as the fields would): hundreds of
    # milestones need no row object of peewee's each
    day = Milestone.forecast.python_value
    today, until, next_until = scope.today, scope.until, scope.next_until
    for ident, code, title, owner, baseline, forecast, actual in database.execute(query):
        # read by slip_days as a milestone is (its baseline, forecast and actual)
        m: Any = _Dated(ident, code, title, owner, day(baseline), day(forecast), day(actual))
        row: dict[str, Any] = {
            "id": m.id,
            "program": m.code,
            "title": m.title,
            "owner": m.owner,
            "baseline": m.baseline.isoformat(),
            "forecast": m.forecast.isoformat(),
            "slip_days": slip_days(m),
        }
        if m.actual is not None:
            done.append({**row, "actual": m.actual.isoformat()})
        elif m.forecast < today:
            late.append({**row, "days_late": (today - m.forecast).days})
        else:
            if until < m.forecast <= next_until or today <= m.forecast <= until:
                due.append(row)
            if m.forecast > m.baseline:
                slipped.append(row)
    reasons = _forecast_reasons([r["id"] for r in slipped[:SHOWN] + late[:SHOWN]])
    for row in slipped + late:
        row["reason"] = reasons.get(row["id"])
    slipped.sort(key=lambda r: (-r["slip_days"], r["forecast"]))
    late.sort(key=lambda r: (-r["days_late"], r["program"]))
    facts = {
        "completed": capped(done),
        "due": capped(due),
        "slipped": capped(slipped),
        "late": capped(late),
    }
    said = any(facts[k]["count"] for k in facts)
    return Section(
        "milestones", "Milestones", facts, "No milestones done, due, slipped or late.", said
    )


class _Dated(NamedTuple):
    """A milestone as the digest lists it: what :func:`slip_days` reads, and its names."""

    id: int
    code: str
    title: str
    owner: str | None
    baseline: date
    forecast: date
    actual: date | None


def _forecast_reasons(ids: list[int]) -> dict[int, str]:
    """The note of the latest audited forecast change of each milestone (one query)."""
    if not ids:
        return {}
    query: Any = (
        AuditEntry.select(AuditEntry.entity_id, AuditEntry.note, AuditEntry.changes)
        .where(
            AuditEntry.entity == "milestone",
            AuditEntry.entity_id.in_(ids),
            AuditEntry.changes.contains('"forecast"'),
        )
        .order_by(AuditEntry.at)
        .tuples()
    )
    return {entity_id: note for entity_id, note, _ in query if note}


def _counted(query: Any, facts: Callable[[Any], Row]) -> Capped[Row]:
    """:func:`capped` of an ordered query, in SQL: a count and the first rows, so the rows
    not shown are never read (a large office takes hundreds of decisions a week)."""
    return {"count": query.count(), "items": [facts(r) for r in query.limit(SHOWN)]}


def actions_section(scope: Scope) -> Section:
    """Action items opened and closed in the period; overdue (owner, days) and due soon."""
    since, after = scope.instant(scope.since), scope.instant(scope.until + timedelta(days=1))
    in_scope = within(ActionItem.program, scope)
    opened = (
        ActionItem.select().where(in_scope, ActionItem.created_at.between(since, after)).count()
    )
    closed = ActionItem.select().where(in_scope, ActionItem.closed_at.between(since, after)).count()
    overdue_where = in_scope & is_open_clause() & (ActionItem.due < scope.today)
    soon_where = in_scope & due_soon_clause(scope.today, (scope.next_until - scope.today).days)

    def listed(where: Any) -> dict[str, Any]:
        count = ActionItem.select().where(where).count()
        rows: Any = (
            ActionItem.select(ActionItem, *_NAMED)
            .join_from(ActionItem, Program, JOIN.LEFT_OUTER)
            .join_from(ActionItem, Person, JOIN.LEFT_OUTER)
            .where(where)
            .order_by(*DATED_ORDER)
            .limit(SHOWN)
        )
        items = [
            {
                "id": a.id,
                "program": a.program.code if a.__data__.get("program") else None,
                "title": a.title,
                "owner": _owner(a),
                "due": a.due.isoformat() if a.due else None,
                "days_overdue": days_overdue(a, scope.today),
            }
            for a in rows
        ]
        return {"count": count, "items": items}

    facts: dict[str, Any] = {
        "opened": opened,
        "closed": closed,
        "overdue": listed(overdue_where),
        "due_soon": listed(soon_where),
    }
    said = bool(opened or closed or facts["overdue"]["count"] or facts["due_soon"]["count"])
    return Section("actions", "Action items", facts, "No action items opened, closed or due.", said)


def meetings_section(scope: Scope) -> Section:
    """Meetings held in the period (with their decisions) and coming in the next one."""
    held_window = (scope.instant(scope.since), scope.instant(scope.until + timedelta(days=1)))
    coming_start = max(held_window[1], scope.instant(scope.today))
    coming_window = (coming_start, scope.instant(scope.next_until + timedelta(days=1)))
    flt = OccurrenceFilter(program=None, include_cancelled=False)
    wanted = None if scope.program_ids is None else set(scope.program_ids)
    # the programs' ids by code, to keep those in scope (not read for a digest of all)
    program_of: dict[str, int] = {}
    if wanted is not None:
        program_of = {p.code: p.id for p in Program.select(Program.id, Program.code)}
    # both windows expanded at once (each series' rule is walked once), then each window's
    # occurrences are those that overlap it, as a list of that window alone would give
    both = list_occurrences(held_window[0], max(held_window[1], coming_window[1]), flt)

    def occurrences(window: tuple[datetime, datetime], past: bool) -> list[Any]:
        first, last = window
        if past:  # held: started before the end of today
            now = datetime.combine(scope.today, time(0), scope.tz).astimezone(UTC)
            last = min(last, now + timedelta(days=1))
        return [
            o
            for o in both
            if o.start < last
            and o.end > first
            and (wanted is None or program_of.get(o.program) in wanted)
        ]

    held = occurrences(held_window, past=True)
    decided = _decisions([o.meeting_id for o in held], *held_window)
    held_rows = [
        {
            "meeting": o.meeting_id,
            "program": o.program,
            "title": o.title,
            "start": o.start.astimezone(scope.tz).isoformat(timespec="minutes"),
            "decisions": decided.get((o.meeting_id, o.original_start), []),
        }
        for o in held
    ]
    # the meetings that decided something first: they are what a reader needs
    held_rows.sort(key=lambda r: (not r["decisions"], r["start"]))
    # by start already: only the rows shown are written out, the rest counted
    coming = occurrences(coming_window, past=False)
    shown = [
        {
            "meeting": o.meeting_id,
            "program": o.program,
            "title": o.title,
            "start": o.start.astimezone(scope.tz).isoformat(timespec="minutes"),
            "location": o.location,
        }
        for o in coming[:SHOWN]
    ]
    facts = {
        "held": capped(held_rows),
        "decisions": sum(len(r["decisions"]) for r in held_rows),
        "coming": {"count": len(coming), "items": shown},
    }
    said = bool(held_rows or coming)
    return Section("meetings", "Meetings", facts, "No meetings held or coming.", said)


def _decisions(
    meeting_ids: list[int], start: datetime, end: datetime
) -> dict[tuple[int, datetime], list[str]]:
    """The titles of the decisions each occurrence took (one query: the meetings' ids are
    one parameter, not hundreds for peewee to write out)."""
    found: dict[tuple[int, datetime], list[str]] = {}
    if not meeting_ids:
        return found
    records: Any = Decision.select(
        Decision.meeting, Decision.occurrence_start, Decision.title
    ).where(Decision.meeting.in_(among(meeting_ids)), Decision.occurrence_start.between(start, end))
    for d in records.order_by(Decision.id).tuples():
        found.setdefault((d[0], d[1]), []).append(d[2])
    return found


def communications_section(scope: Scope) -> Section:
    """Communications overdue or due by the end of the next period."""
    rows = []
    for row in due_rows(scope.program_ids):  # as plain rows: no model object per item
        if row.due is None or row.due > scope.next_until:
            continue
        rows.append(
            {
                "id": row.id,
                "program": row.program,
                "name": row.name,
                "channel": row.channel,
                "due": row.due.isoformat(),
                "overdue_days": max(0, (scope.today - row.due).days),
                "owner": row.owner,
            }
        )
    facts = {"due": capped(rows), "overdue": sum(1 for r in rows if r["overdue_days"])}
    return Section(
        "communications", "Communications due", facts, "No communications due.", bool(rows)
    )


def risks_section(scope: Scope) -> Section:
    """The highest open risks by score, and the open issues, most severe first."""
    risks = [
        risk_facts(r)
        for r in Risk.select(Risk, *_NAMED)
        .join(Program)
        .join_from(Risk, Person, JOIN.LEFT_OUTER)  # the owner joined: no query per risk
        .where(within(Risk.program, scope), Risk.status.in_(("open", "mitigating")))
        .order_by((Risk.probability * Risk.impact).desc(), Risk.id)
    ]
    severity = {"critical": 0, "high": 1, "medium": 2, "low": 3}
    issues = sorted(
        (
            issue_facts(i)
            for i in Issue.select(Issue, *_NAMED)
            .join(Program)
            .join_from(Issue, Person, JOIN.LEFT_OUTER)
            .where(within(Issue.program, scope), Issue.status.in_(("open", "in progress")))
        ),
        key=lambda i: (severity[i["severity"]], i["due"] or "9999", i["id"]),
    )
    facts = {"risks": capped(risks), "issues": capped(issues)}
    return Section(
        "risks", "Risks and issues", facts, "No open risks or issues.", bool(risks or issues)
    )


def changes_section(scope: Scope) -> Section:
    """Decisions taken in the period, and change requests raised or decided in it."""
    decided = _counted(
        Decision.select(Decision, *_NAMED)
        .join(Program)
        .join_from(Decision, Person, JOIN.LEFT_OUTER)  # the decider: no query per decision
        .where(
            within(Decision.program, scope), Decision.decided_on.between(scope.since, scope.until)
        )
        .order_by(Decision.decided_on, Decision.id),
        decision_facts,
    )
    in_period = (
        ChangeRequest.requested_on.between(scope.since, scope.until)
        | (ChangeRequest.decided_on.between(scope.since, scope.until))
        | (ChangeRequest.status == "proposed")
    )
    changes = _counted(
        ChangeRequest.select(ChangeRequest, *_NAMED)
        .join(Program)
        .join_from(ChangeRequest, Person, JOIN.LEFT_OUTER, on=(ChangeRequest.approver == Person.id))
        .where(within(ChangeRequest.program, scope), in_period)
        .order_by(ChangeRequest.requested_on, ChangeRequest.id),
        change_facts,
    )
    facts = {"decisions": decided, "changes": changes}
    said = bool(decided["count"] or changes["count"])
    return Section(
        "changes", "Decisions and changes", facts, "No decisions or change requests.", said
    )


def budget_section(scope: Scope) -> Section:
    """This fiscal year's budget against the estimate at completion, and metrics off target."""
    year = fiscal_year_of(scope.today)
    codes = None
    if scope.program_ids is not None:
        codes = {
            p.code for p in Program.select(Program.code).where(Program.id.in_(scope.program_ids))
        }
    read = scope.shared.budget if scope.shared else budget
    rows = [r for r in read(None, year, scope.today) if codes is None or r["program"] in codes]
    found = [m for m in metrics() if m["status"] in ("amber", "red")]
    if scope.program_ids is not None:
        mine = {m.id for m in Metric.select(Metric.id).where(Metric.program.in_(scope.program_ids))}
        found = [m for m in found if m["id"] in mine]
    facts = {"year": year, "budget": rows, "metrics": capped(found)}
    return Section(
        "budget", "Budget and metrics", facts, "No budget or metrics recorded.", bool(rows or found)
    )


# The sections in the order a digest shows them; a new kind of record appends its own.
SECTIONS: list[SectionBuilder] = [
    status_section,
    milestones_section,
    actions_section,
    meetings_section,
    communications_section,
    contractors_section,
    contracts_section,
    risks_section,
    changes_section,
    budget_section,
    # choosing what to fund and whom to hire: shown only when there is something to say
    proposals_section,
    selection_section,
    solicitations_section,
    scorecards_section,
]

# The sections of each kind of digest a plan item names; "status" (and no kind) is the
# whole digest, every section of SECTIONS.
SECTIONS_OF_KIND: dict[str, list[SectionBuilder]] = {
    "status": SECTIONS,
    "milestones": [milestones_section],
    "actions": [actions_section],
    "contracts": [contractors_section, contracts_section],
}
