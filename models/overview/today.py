"""Today: what needs attention now, for the acting person first, then for everyone.

Lists are capped (``LIMIT``) and come with the full counts, so the view stays quick at
100,000 action items and the counts lead to the complete lists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta, tzinfo
from typing import Any, Literal, NamedTuple, NotRequired, TypedDict

from peewee import JOIN, SQL, fn

from docket.models.actions.items import (
    DATED_ORDER,
    ActionFacts,
    action_facts,
    due_soon_clause,
    overdue_clause,
)
from docket.models.comms.plan import PlanFacts, PlanRow, first_due_within, plan_facts
from docket.models.contractors.allocation import OverallocationsOnce, overallocations
from docket.models.contractors.assignments import ending_rows, people_assigned
from docket.models.contractors.burn import burns
from docket.models.core.config import Config
from docket.models.core.context import Context
from docket.models.core.schema import ActionItem, Milestone, Person, Program
from docket.models.governance.changes import list_changes
from docket.models.governance.metrics import latest_metrics
from docket.models.governance.risks import list_risks, score
from docket.models.meetings.facts import OccurrenceFacts, occurrence_facts
from docket.models.meetings.occurrences import Occurrence, meetings_on_days
from docket.models.milestones.schedule import (
    UPCOMING_DAYS,
    MilestoneFacts,
    milestone_facts,
    needs_attention_clause,
)
from docket.models.overview.alerts import Alert
from docket.models.overview.owed import bids_due, scores_owed
from docket.models.people.directory import person_for_account
from docket.models.portfolio.evidence import ALLOCATION_DAYS, Shared, disputed, worst_line
from docket.models.portfolio.programs import program_and_children

SHOWN = 10
# today and tomorrow
MEETING_DAYS = 2
# "this week": communications overdue or due in the next 7 days
COMMS_DAYS = 7


@dataclass
class Today:
    """The Today view's contents."""

    day: date
    me: Person | None
    my_overdue: list[ActionItem] = field(default_factory=list)
    my_due_soon: list[ActionItem] = field(default_factory=list)
    overdue: list[ActionItem] = field(default_factory=list)
    due_soon: list[ActionItem] = field(default_factory=list)
    milestones_upcoming: list[Milestone] = field(default_factory=list)
    milestones_attention: list[Milestone] = field(default_factory=list)
    # occurrences today and tomorrow in the user's zone: the acting person's when docket
    # knows who they are, else everyone's
    meetings: list[Occurrence] = field(default_factory=list)
    # communications of the plan overdue or due within COMMS_DAYS
    comms: list[PlanRow] = field(default_factory=list)
    # over-allocations, assignments ending and contracts near their ceiling or end
    contractor_alerts: list[Alert] = field(default_factory=list)
    # risks due for review, changes awaiting decision, metrics in red
    governance_alerts: list[Alert] = field(default_factory=list)
    # proposals and solicitations the acting account owes scores on; bids due this week
    scores_owed: list[Alert] = field(default_factory=list)
    bids_due: list[Alert] = field(default_factory=list)
    # programs whose typed RAG is better than the evidence, with the reason given or not
    status_disputes: list[StatusAlert] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def _actions(where: Any, shown: int) -> list[ActionItem]:
    query = (
        ActionItem.select(ActionItem, Program, Person)
        .join_from(ActionItem, Program, join_type=JOIN.LEFT_OUTER)
        .join_from(ActionItem, Person, join_type=JOIN.LEFT_OUTER)
        .where(where)
        .order_by(*DATED_ORDER)
        .limit(shown)
    )
    return list(query)


def _count(where: Any) -> int:
    # COUNT(*), not of a column: SQLite then counts the index entries without reading any
    # value of them (the counts of Today walk a hundred thousand entries at 1M items)
    return int(ActionItem.select(fn.COUNT(SQL("*"))).where(where).scalar() or 0)


def build_today(
    ctx: Context, *, program: str | None = None, shown: int = SHOWN, config: Config | None = None
) -> Today:
    """Everything Today shows, scoped to one program when ``program`` is given (``config``:
    the evidence's thresholds)."""
    today = ctx.today()
    me = person_for_account(ctx.actor)
    # a parent program takes in the programs under it, as every list scoped to it does
    ids = program_and_children(program) if program else None
    scope: Any = True if ids is None else ActionItem.program.in_(ids)
    m_scope: Any = True if ids is None else Milestone.program.in_(ids)
    overdue = overdue_clause(today) & scope
    soon = due_soon_clause(today) & scope
    view = Today(day=today, me=me)
    # everyone's counts on the open-items indexes; "everyone else's" is everyone's less
    # mine, so no count reads the rows of items it does not show
    view.counts["overdue"] = _count(overdue)
    view.counts["due_soon"] = _count(soon)
    if me is not None:
        mine = ActionItem.owner == me.id
        view.my_overdue = _actions(overdue & mine, shown)
        view.my_due_soon = _actions(soon & mine, shown)
        view.counts["my_overdue"] = _count(overdue & mine)
        view.counts["my_due_soon"] = _count(soon & mine)
        view.counts["overdue"] -= view.counts["my_overdue"]
        view.counts["due_soon"] -= view.counts["my_due_soon"]
        others = (ActionItem.owner.is_null()) | (ActionItem.owner != me.id)
        overdue, soon = overdue & others, soon & others
    view.overdue = _actions(overdue, shown)
    view.due_soon = _actions(soon, shown)

    upcoming = (
        Milestone.actual.is_null()
        & Milestone.forecast.between(today, today + timedelta(days=UPCOMING_DAYS))
        & m_scope
    )
    attention = needs_attention_clause(today) & m_scope
    view.milestones_upcoming = _milestones(upcoming, shown)
    view.milestones_attention = _milestones(attention, shown)
    view.counts["milestones_upcoming"] = _count_milestones(upcoming)
    view.counts["milestones_attention"] = _count_milestones(attention)
    coming = meetings_on_days(
        ctx, today, MEETING_DAYS, program=program, person=me.id if me is not None else None
    )
    view.meetings = coming[:shown]
    view.counts["meetings"] = len(coming)
    view.comms, view.counts["comms"] = first_due_within(today, COMMS_DAYS, ids, shown)
    # contract burn and over-allocation read once, for the alerts and the evidence alike
    shared = Shared(
        overallocations=OverallocationsOnce(today, today + timedelta(days=ALLOCATION_DAYS))
    )
    alerts = contractor_alerts(today, ids, shared)
    view.contractor_alerts = alerts[:shown]
    view.counts["contractor_alerts"] = len(alerts)
    watch = governance_alerts(today, program)
    view.governance_alerts = watch[:shown]
    view.counts["governance_alerts"] = len(watch)
    # counted only when there is something: Today stays as it was for an office that
    # scores no proposals and runs no solicitations
    for key, found in (
        ("scores_owed", scores_owed(ctx.actor, today, ids)),
        ("bids_due", bids_due(today, ids)),
        ("status_disputes", status_alerts(today, ids, config, shared)),
    ):
        if found:
            setattr(view, key, found[:shown])
            view.counts[key] = len(found)
    return view


class StatusAlert(Alert):
    """A program whose typed RAG is better than the evidence, as a line of Today."""

    program: str
    typed: str
    evidence: str
    # the RAG note ("" when none was given)
    reason: str


def status_alerts(
    today: date, ids: list[int] | None, config: Config | None, shared: Shared | None = None
) -> list[StatusAlert]:
    """Programs whose typed RAG is better than the evidence: both colours, the reason given
    (or "no reason given") and the worst line of the evidence; the evidence of every
    program read in a fixed number of queries."""
    found: list[StatusAlert] = []
    for facts in disputed(today, config, ids, shared):
        line = worst_line(facts)
        reason = " ".join(facts["reason"].split())
        said = f"reason: {reason}" if reason else "no reason given"
        text = (
            f"{facts['program']}: typed {facts['typed'].upper()}, "
            f"evidence {facts['derived'].upper()}, {said}"
        ) + (f"; worst: {line['fact']}" if line else "")
        found.append(
            {
                "kind": "status",
                "text": text,
                "days": 0,
                "program": facts["program"],
                "typed": facts["typed"],
                "evidence": facts["derived"],
                "reason": facts["reason"],
            }
        )
    return found


# a risk's response date this close (or past) is due for review
REVIEW_DAYS = 7


def governance_alerts(today: date, program: str | None = None) -> list[Alert]:
    """Risks whose response date is past or within a week, change requests awaiting a
    decision, metrics whose latest value is red; each a line of plain facts."""
    found: list[Alert] = []
    # open or mitigating, their response date past or within the week: read only those
    for risk in list_risks(program, live=True, response_by=today + timedelta(days=REVIEW_DAYS)):
        due = risk.response_date
        if due is None:  # read with one; said for the type checker
            continue
        when = "overdue" if due < today else f"{due:%a %d %b}"
        points = score(risk.probability, risk.impact)
        text = f"{risk.program.code}: {risk.title} (score {points}), review {when}"
        found.append({"kind": "risk review", "text": text, "days": (due - today).days})
    for change in list_changes(program, "proposed"):
        asked = f"{change.requested_on:%a %d %b}"
        text = f"{change.program.code}: {change.title} ({change.kind}), asked {asked}"
        found.append({"kind": "change", "text": text, "days": 0})
    for metric in latest_metrics(program_and_children(program) if program else None):
        if metric["status"] == "red":
            unit = f" {metric['unit']}" if metric["unit"] else ""
            owner = f"{metric['program']}: " if metric["program"] else ""
            value = f"{metric['latest']}{unit}, target {metric['target']}{unit}"
            text = f"{owner}{metric['name']} {value}"
            found.append({"kind": "metric red", "text": text, "days": 0})
    return found


# how far ahead Today looks for contractor alerts
ALERT_DAYS = 30


def contractor_alerts(
    today: date, programs: list[int] | None = None, shared: Shared | None = None
) -> list[Alert]:
    """What needs a word about contractors: people above 100 % in the next 30 days,
    assignments ending within 30 days, contracts above 80 % of their ceiling or ending within
    60 days; each a line of plain facts (``kind``, ``text``, ``days``). With ``programs``
    (ids), only what concerns them: their people, assignments and contracts."""
    found: list[Alert] = []
    people = people_assigned(programs) if programs is not None else None
    over = shared.overallocations if shared and shared.overallocations else overallocations
    for row in over(today, today + timedelta(days=ALERT_DAYS - 1), people):
        found.append(
            {
                "kind": "over 100 %",
                "text": f"{row['person']}: up to {row['peak']} % on {row['days']} days "
                f"from {row['from']}",
                "days": 0,
            }
        )
    for a in ending_rows(today, ALERT_DAYS):
        if programs is None or a.program_id in programs:
            found.append(
                {
                    "kind": "ending",
                    "text": f"{a.person} on {a.program} ({a.allocation} %) ends {a.end:%a %d %b}",
                    "days": (a.end - today).days,
                }
            )
    for burn in (shared.burns if shared else burns)(today, program_ids=programs):
        if burn.days_left < 0 or not (burn.near_ceiling or burn.ending_soon):
            continue
        why = f"{burn.percent} % of the ceiling spent" if burn.near_ceiling else ""
        if burn.ending_soon:
            why += ("; " if why else "") + f"ends {burn.contract.end:%a %d %b}"
        found.append(
            {
                "kind": "contract",
                "text": f"{burn.contract.number} {burn.contract.vendor.name}: {why}",
                "days": burn.days_left,
            }
        )
    return found


def _count_milestones(where: Any) -> int:
    return int(Milestone.select(fn.COUNT(SQL("*"))).where(where).scalar() or 0)


def _milestones(where: Any, shown: int) -> list[Milestone]:
    return list(
        Milestone.select(Milestone, Program, Person)
        .join_from(Milestone, Program)
        .join_from(Milestone, Person, join_type=JOIN.LEFT_OUTER)
        .where(where)
        .order_by(Milestone.forecast, Milestone.id)
        .limit(shown)
    )


class TodayFacts(TypedDict):
    """The Today view as plain data (``docket today --format json``)."""

    date: str
    me: str | None
    counts: dict[str, int]
    my_overdue: list[ActionFacts]
    my_due_soon: list[ActionFacts]
    overdue: list[ActionFacts]
    due_soon: list[ActionFacts]
    milestones_upcoming: list[MilestoneFacts]
    milestones_attention: list[MilestoneFacts]
    meetings: list[OccurrenceFacts]
    comms: list[PlanFacts]
    contractor_alerts: list[Alert]
    governance_alerts: list[Alert]
    # present only when there is something (so the JSON of an office without any is as it was)
    scores_owed: NotRequired[list[Alert]]
    bids_due: NotRequired[list[Alert]]
    status_disputes: NotRequired[list[StatusAlert]]


def today_facts(view: Today, ctx_tz: tzinfo | None = None) -> TodayFacts:
    """The Today view as plain data: the stable JSON form of ``docket today`` (meeting
    times in ``ctx_tz``, the user's zone, when given)."""

    def actions(items: list[ActionItem]) -> list[ActionFacts]:
        return [action_facts(i, view.day) for i in items]

    def milestones(items: list[Milestone]) -> list[MilestoneFacts]:
        return [milestone_facts(m, view.day) for m in items]

    facts: TodayFacts = {
        "date": view.day.isoformat(),
        "me": view.me.name if view.me else None,
        "counts": dict(sorted(view.counts.items())),
        "my_overdue": actions(view.my_overdue),
        "my_due_soon": actions(view.my_due_soon),
        "overdue": actions(view.overdue),
        "due_soon": actions(view.due_soon),
        "milestones_upcoming": milestones(view.milestones_upcoming),
        "milestones_attention": milestones(view.milestones_attention),
        "meetings": [occurrence_facts(o, ctx_tz) for o in view.meetings],
        "comms": [plan_facts(r, view.day) for r in view.comms],
        "contractor_alerts": view.contractor_alerts,
        "governance_alerts": view.governance_alerts,
    }
    if view.scores_owed:
        facts["scores_owed"] = view.scores_owed
    if view.bids_due:
        facts["bids_due"] = view.bids_due
    if view.status_disputes:
        facts["status_disputes"] = view.status_disputes
    return facts


def today_view(ctx: Context, program: str | None = None) -> TodayFacts:
    """What the app's Today screen shows: :func:`today_facts` of :func:`build_today` with
    the config's thresholds of the evidence."""
    from docket.models.core.config import load_config

    return today_facts(build_today(ctx, program=program, config=load_config()))


# the lists of :class:`TodayFacts`, each a section of the view
TodayList = Literal[
    "my_overdue",
    "my_due_soon",
    "overdue",
    "due_soon",
    "milestones_upcoming",
    "milestones_attention",
    "meetings",
    "comms",
    "contractor_alerts",
    "governance_alerts",
    "scores_owed",
    "bids_due",
    "status_disputes",
]


class Section(NamedTuple):
    """One list of the Today view: its title, the key of its rows and count in
    :func:`today_facts`, the kind of row, and the action-list filter for all of it."""

    key: TodayList
    title: str
    kind: str
    full_list: str


def sections(facts: TodayFacts) -> list[Section]:
    """The Today view's lists in the order shown; "mine" first when the account is a person."""
    if facts["me"]:
        actions = [
            Section("my_overdue", "My overdue actions", "action", "@me is:overdue"),
            Section("my_due_soon", "My actions due soon", "action", "@me is:soon"),
            Section("overdue", "Everyone else's overdue actions", "action", "-@me is:overdue"),
            Section("due_soon", "Everyone else's actions due soon", "action", "-@me is:soon"),
        ]
    else:
        actions = [
            Section("overdue", "Overdue actions", "action", "is:overdue"),
            Section("due_soon", "Actions due soon", "action", "is:soon"),
        ]
    owed, due = facts.get("scores_owed"), facts.get("bids_due")
    disputes = facts.get("status_disputes")
    return [
        *actions,
        Section("milestones_upcoming", "Milestones in the next 14 days", "milestone", ""),
        Section("milestones_attention", "Milestones slipped or late", "milestone", ""),
        Section("meetings", "Meetings today and tomorrow", "meeting", ""),
        Section("comms", "Communications due this week", "comms", ""),
        Section("contractor_alerts", "Contractor alerts", "alert", ""),
        Section(
            "governance_alerts", "Risks to review, changes to decide, metrics in red", "alert", ""
        ),
        # shown only when there is something (an office that does not use them sees no change)
        *([Section("scores_owed", "Scores you owe", "alert", "")] if owed else []),
        *([Section("bids_due", "Bids due this week", "alert", "")] if due else []),
        *(
            [Section("status_disputes", "Programs coloured better than the evidence", "alert", "")]
            if disputes
            else []
        ),
    ]
