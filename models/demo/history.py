"""The demo's past: how its records came to hold what they hold, in the audit log.

The builders write each record as it is today; this module writes the audit trail that
leads there. Every record is created (its ``create`` entry, at its creation time, which is
in the past: a dated record's own date, else when the office made it) and some are then
changed by ``update`` entries dated between then and now:

- milestones' forecasts moved from the baseline to today's forecast in one to five steps
  (the longer the slip, the more), each some weeks before the date it moved from passed
  and with its reason in the entry's note (as ``milestone edit`` asks); done ones completed
  on their actual day;
- programs' RAG changed over the last fifteen months, each time with a new RAG note (in the
  entry's note too, as ``program edit`` keeps it), each portfolio's roll-up following;
- risks raised at their first scoring, re-scored at the second, set to mitigating or closed;
- action items done or cancelled at their closing time, some blocked along the way;
- budget lines revised at the mid-year review; change requests decided on their day (and
  implemented after); issues escalated.

A record's ``create`` entry holds its earlier values and its updates bring it to the row's
present values, so replaying the log gives every row exactly (``docket check`` stays
clean) and reports as of a past date see the past. The updates follow all the ``create``
entries in the chain, in time order, so a record's entries are in time order too. A record
made "later" than now (a plan item starting next month) is entered now. The rows
themselves are not touched (their ``version`` stays 1). Choices come from a random source
of their own, seeded from the demo's seed, so the office's own draws are the same as
without a past.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import chain
from typing import Any

from peewee import Model

from docket.models.audit.chain import NewEntry, append, changes_text
from docket.models.core.schema import (
    ActionItem,
    AuditEntry,
    BudgetLine,
    ChangeRequest,
    Issue,
    Milestone,
    Program,
    Risk,
    database,
)
from docket.models.demo.data_office import RAG_NOTES
from docket.models.demo.office import Office
from docket.models.demo.programs import _roll_up
from docket.models.demo.storage import created_entries, indexes_rebuilt_after, utc_text

# how far back the programs' RAG history goes: a year and a quarter
RAG_PAST_DAYS = 456
SLIP_REASONS = (
    "Vendor delivery slipped; new date agreed with the supplier.",
    "Waiting on the data migration test cycle.",
    "Resource conflict with the year-end close.",
    "Scope added by an approved change request.",
    "Depends on the network upgrade, which moved.",
    "Business sign-off took longer than planned.",
    "Integration testing found defects; retest scheduled.",
    "Key specialist on leave; backfill starts next month.",
)
PULL_IN_REASONS = (
    "Testing finished early; date pulled in.",
    "Vendor delivered ahead of plan.",
    "Scope trimmed to the essentials; date brought forward.",
)
RISK_NOTES = {
    "rescored": "Re-scored at the monthly risk review.",
    "mitigating": "Mitigation under way.",
    "closed": "Closed at the risk review: mitigation complete.",
}
BUDGET_NOTES = {
    True: "Raised at the mid-year budget review.",
    False: "Reduced at the mid-year budget review: the vendor's price came in lower.",
}
ESCALATED = "Escalated: the workaround no longer holds."
SEVERITIES = ("low", "medium", "high", "critical")
ORDER = ("green", "amber", "red")


@dataclass
class Past:
    """What the demo's records were created with, and the updates that changed them since."""

    office: Office
    rng: random.Random
    # by table and id: the values (as the log keeps them) a record was created with
    earlier: dict[type[Model], dict[int, dict[str, Any]]] = field(default_factory=dict)
    # (at as UTC text, order written, entity, id, changes as JSON text, note)
    updates: list[tuple[str, int, str, int, str, str]] = field(default_factory=list)

    def was(self, model: type[Model], record: int, **values: Any) -> None:
        """The record was created holding ``values`` (plain, as the log keeps them)."""
        self.earlier.setdefault(model, {}).setdefault(record, {}).update(values)

    def changed(
        self, at: datetime | str, model: type[Model], record: int, note: str = "", **pairs: Any
    ) -> None:
        """An update at ``at``: each field's ``(old, new)``, plain."""
        when = at if isinstance(at, str) else utc_text(at)
        changes = changes_text({k: list(v) for k, v in pairs.items()})
        self.add(when, model._meta.table_name, record, changes, note)

    def add(self, at: str, entity: str, record: int, changes: str, note: str = "") -> None:
        """An update at ``at`` (UTC text), its changes already as JSON text."""
        self.updates.append((at, len(self.updates), entity, record, changes, note))

    def entries(self, actor: str) -> Iterator[NewEntry]:
        """The updates in time order; at the same instant, in the order they were written
        (a record's own in the order they happened)."""
        for at, _, entity, record, changes, note in sorted(self.updates):
            yield NewEntry(at, actor, entity, record, "update", changes, note)


def audit_with_history(office: Office, seed: int) -> int:
    """Write every demo record's ``create`` entry, with the values it started from, then the
    updates that bring it to its present values; how many entries (in place of
    :func:`~docket.models.demo.storage.audit_created`)."""
    past = Past(office, random.Random(f"docket demo history {seed}"))
    _milestones(past)
    _programs(past)
    _risks(past)
    _actions(past)
    _budget_lines(past)
    _change_requests(past)
    _issues(past)
    actor, latest = office.ctx.actor, utc_text(office.now)
    # a record made "later" than now (a plan item that starts next month) is entered now
    created = (
        e if e.at <= latest else e._replace(at=latest) for e in created_entries(actor, past.earlier)
    )
    with indexes_rebuilt_after(AuditEntry):
        return append(chain(created, past.entries(actor)))


# --- when -------------------------------------------------------------------------------


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def _instants(past: Past, low: datetime, high: datetime, count: int) -> list[datetime]:
    """``count`` instants strictly after ``low`` and before ``high`` (when there is room),
    in order, in office hours where they can be."""
    office, rng = past.office, past.rng
    room = max(60.0, (high - low).total_seconds())
    found: list[datetime] = []
    for share in sorted(rng.random() for _ in range(count)):
        moment = low + timedelta(seconds=room * (0.05 + 0.9 * share))
        local = moment.astimezone(office.home).date()
        office_hours = office.at(local, rng.randint(9, 16), rng.choice((0, 15, 30, 45)))
        if low < office_hours < high:
            moment = office_hours
        moment = min(moment, office.now).replace(microsecond=0)
        if found and moment <= found[-1]:
            moment = found[-1] + timedelta(minutes=1)
        found.append(moment)
    return found


# --- milestones -------------------------------------------------------------------------


def _steps(start: date, end: date, count: int) -> list[date]:
    """The forecasts of ``count`` moves from ``start`` to ``end`` (fewer when they'd repeat)."""
    days = (end - start).days
    found: list[date] = []
    for i in range(1, count + 1):
        step = start + timedelta(days=round(days * i / count))
        if step != start and (not found or step != found[-1]):
            found.append(step)
    return found


def _move_time(past: Past, after: datetime, before: date) -> datetime:
    """When a forecast moved: after the move before it, in the six weeks before ``before`` (a
    date is moved before it passes), never in the future."""
    office = past.office
    due = min(office.at(before - timedelta(days=1), 17), office.now - timedelta(hours=1))
    low = max(after + timedelta(minutes=1), due - timedelta(days=45))
    [moment] = _instants(past, low, due if due > low else low + timedelta(hours=1), 1)
    return moment


def _milestones(past: Past) -> None:
    """Forecasts moved from the baseline, each move with its reason; done ones completed."""
    office, rng = past.office, past.rng
    rows = database.execute_sql(
        'SELECT "id", "baseline", "forecast", "actual", "created_at" FROM "milestone" ORDER BY "id"'
    ).fetchall()
    for mid, baseline_text, forecast_text, actual_text, created_text in rows:
        baseline, forecast = date.fromisoformat(baseline_text), date.fromisoformat(forecast_text)
        created = _moment(created_text)
        if forecast == baseline and actual_text is None:
            continue
        past.was(Milestone, mid, forecast=baseline_text, actual=None)
        slip = abs((forecast - baseline).days)
        if slip <= 14:
            count = 1
        elif slip <= 45:
            count = rng.choice((1, 2))
        else:
            count = rng.choice((2, 3)) if slip <= 120 else rng.randint(3, 5)
        moves = _steps(baseline, forecast, count)
        reasons = PULL_IN_REASONS if forecast < baseline else SLIP_REASONS
        last, was, reason = created, baseline, ""
        for i, day in enumerate(moves):
            # before the date it moves from, and before every date it is moved to from there
            last = _move_time(past, last, min(was, *moves[i:]))
            reason = rng.choice([r for r in reasons if r != reason])
            past.changed(last, Milestone, mid, reason, forecast=(str(was), str(day)))
            was = day
        if actual_text is not None:
            done = office.at(date.fromisoformat(actual_text), 16, 30)
            done = min(max(done, last + timedelta(minutes=5)), office.now)
            past.changed(done, Milestone, mid, actual=(None, actual_text))


# --- programs ---------------------------------------------------------------------------


def _path(rng: random.Random, now: str) -> list[str]:
    """The RAG states a program went through to reach ``now`` (its first state first)."""
    roll = rng.random()
    if now == "red":
        return ["green", "amber", "red"] if roll < 0.6 else ["amber", "red"]
    if now == "amber":
        if roll < 0.5:
            return ["green", "amber"]
        return ["amber", "red", "amber"] if roll < 0.8 else ["amber"]
    if roll < 0.45:
        return ["amber", "green"]
    return ["green", "amber", "green"] if roll < 0.65 else ["green"]


def _programs(past: Past) -> None:
    """Each program's RAG through its states, with a note each time; portfolios roll up."""
    office, rng = past.office, past.rng
    rows = {
        pid: (rag, note)
        for pid, rag, note in database.execute_sql(
            'SELECT "id", "rag", "rag_note" FROM "program"'
        ).fetchall()
    }
    start = office.now - timedelta(days=RAG_PAST_DAYS)
    states: dict[int, str] = {}
    noted: dict[int, str] = {}
    events: list[tuple[datetime, int, str, str]] = []
    for pid in office.leaves:
        rag, note = rows[pid]
        path = _path(rng, rag)
        notes = [rng.choice(RAG_NOTES[state]) for state in path[:-1]] + [note]
        states[pid], noted[pid] = path[0], notes[0]
        if len(path) > 1:
            past.was(Program, pid, rag=path[0], rag_note=notes[0])
        low = start + timedelta(days=rng.randint(0, 90))
        instants = _instants(past, low, office.now - timedelta(days=2), len(path) - 1)
        for i, at in enumerate(instants, start=1):
            events.append((at, pid, path[i], notes[i]))
    tops = [pid for pid, spec in enumerate(office.specs, start=1) if spec.parent is None]
    shown = {top: _roll_up(office, top, states) for top in tops}
    for top in tops:
        past.was(Program, top, rag=shown[top][0], rag_note=shown[top][1])
    for at, pid, rag, note in sorted(events):
        # the note goes with the entry too, as a program manager's change of colour does
        past.changed(at, Program, pid, note, rag=(states[pid], rag), rag_note=(noted[pid], note))
        states[pid], noted[pid] = rag, note
        for top in tops:
            rolled = _roll_up(office, top, states)
            if rolled == shown[top]:
                continue
            pairs = {"rag_note": (shown[top][1], rolled[1])}
            if rolled[0] != shown[top][0]:
                pairs["rag"] = (shown[top][0], rolled[0])
            note = rolled[1] if "rag" in pairs else ""
            past.changed(at + timedelta(minutes=1), Program, top, note, **pairs)
            shown[top] = rolled


# --- risks, issues, change requests -----------------------------------------------------


def _risks(past: Past) -> None:
    """Raised at the first scoring, re-scored at the second; mitigating or closed later."""
    office, rng = past.office, past.rng
    scorings: dict[int, list[tuple[str, int, int]]] = {}
    for rid, at, p, i in database.execute_sql(
        'SELECT "risk_id", "assessed_at", "probability", "impact" FROM "risk_assessment"'
        ' ORDER BY "risk_id", "assessed_at", "id"'
    ):
        scorings.setdefault(rid, []).append((at, p, i))
    rows = database.execute_sql(
        'SELECT "id", "probability", "impact", "status", "created_at" FROM "risk" ORDER BY "id"'
    ).fetchall()
    latest = office.now - timedelta(hours=1)
    for rid, p, i, status, created_text in rows:
        first = scorings.get(rid, [])
        start = (first[0][1], first[0][2]) if first else (p, i)
        when = _moment(created_text)
        if start != (p, i) and len(first) > 1:
            past.was(Risk, rid, probability=start[0], impact=start[1])
            when = max(_moment(first[-1][0]), when + timedelta(minutes=1))
            pairs = {
                name: (was, now)
                for name, was, now in (("probability", start[0], p), ("impact", start[1], i))
                if was != now
            }
            past.changed(when, Risk, rid, RISK_NOTES["rescored"], **pairs)
        if status in ("mitigating", "closed"):
            past.was(Risk, rid, status="open")
            steps = ["mitigating", "closed"] if status == "closed" and rng.random() < 0.5 else []
            steps = steps or [status]
            instants = _instants(past, when + timedelta(hours=1), latest, len(steps))
            was = "open"
            for state, at in zip(steps, instants, strict=True):
                past.changed(at, Risk, rid, RISK_NOTES[state], status=(was, state))
                was = state


def _issues(past: Past) -> None:
    """About a third of the serious issues were raised one step less severe, then escalated."""
    office, rng = past.office, past.rng
    for iid, severity, created_text in database.execute_sql(
        'SELECT "id", "severity", "created_at" FROM "issue" ORDER BY "id"'
    ).fetchall():
        if severity not in ("high", "critical") or rng.random() >= 0.35:
            continue
        lower = SEVERITIES[SEVERITIES.index(severity) - 1]
        past.was(Issue, iid, severity=lower)
        [at] = _instants(past, _moment(created_text), office.now - timedelta(hours=1), 1)
        past.changed(at, Issue, iid, ESCALATED, severity=(lower, severity))


def _change_requests(past: Past) -> None:
    """Requested as proposed; decided on their day; implemented ones a few days after."""
    office, rng = past.office, past.rng
    rows = database.execute_sql(
        'SELECT "id", "status", "approver_id", "decided_on", "created_at" FROM "change_request"'
        ' WHERE "decided_on" IS NOT NULL ORDER BY "id"'
    ).fetchall()
    latest = office.now - timedelta(minutes=30)
    for cid, status, approver, decided_text, created_text in rows:
        past.was(ChangeRequest, cid, status="proposed", approver=None, decided_on=None)
        decided = office.at(date.fromisoformat(decided_text), 14)
        decided = min(max(decided, _moment(created_text) + timedelta(minutes=5)), latest)
        verdict = "approved" if status == "implemented" else status
        past.changed(
            decided, ChangeRequest, cid, status=("proposed", verdict),
            approver=(None, approver), decided_on=(None, decided_text),
        )  # fmt: skip
        if status == "implemented":
            done = min(decided + timedelta(days=rng.randint(1, 5)), latest)
            past.changed(
                max(done, decided + timedelta(minutes=1)), ChangeRequest, cid,
                status=("approved", "implemented"),
            )  # fmt: skip


# --- actions and budget -----------------------------------------------------------------


def _actions(past: Past) -> None:
    """Done and cancelled items closed at their closing time; blocked ones blocked a few days
    after they were made. Written straight as text: at the large size there are 63,000."""
    office, rng = past.office, past.rng
    earlier = past.earlier.setdefault(ActionItem, {})
    table = ActionItem._meta.table_name
    rows = database.execute_sql(
        'SELECT "id", "status", "closed_at", "created_at" FROM "action_item"'
        " WHERE \"status\" IN ('done', 'cancelled', 'blocked') ORDER BY \"id\""
    ).fetchall()
    latest = office.now - timedelta(minutes=1)
    for aid, status, closed, created_text in rows:
        if closed is not None:
            earlier[aid] = {"status": "open", "closed_at": None}
            changes = f'{{"closed_at": [null, "{closed}"], "status": ["open", "{status}"]}}'
            past.add(closed, table, aid, changes)
        elif status == "blocked":
            made = _moment(created_text)
            if made >= latest:
                continue
            at = min(made + timedelta(days=rng.randint(1, 10), minutes=rng.randint(0, 600)), latest)
            earlier[aid] = {"status": "open"}
            changes = '{"status": ["open", "blocked"]}'
            past.add(utc_text(max(at, made + timedelta(seconds=1))), table, aid, changes)


def _budget_lines(past: Past) -> None:
    """Half the budget lines were first set a little higher or lower, then revised."""
    office, rng = past.office, past.rng
    rows = database.execute_sql(
        'SELECT "id", "amount", "created_at" FROM "budget_line" ORDER BY "id"'
    ).fetchall()
    for lid, cents, created_text in rows:
        if rng.random() >= 0.5:
            continue
        now_amount = cents // 100
        first = max(10_000, int(round(now_amount * rng.uniform(0.8, 1.2), -4)))
        if first * 100 == cents:
            continue
        made = _moment(created_text)
        high = max(made + timedelta(days=30), office.now - timedelta(days=7))
        [at] = _instants(past, made + timedelta(days=20), high, 1)
        at = min(at, office.now - timedelta(hours=1))
        was, now = f"{first}.00", f"{cents // 100}.{cents % 100:02d}"
        past.was(BudgetLine, lid, amount=was)
        past.changed(at, BudgetLine, lid, BUDGET_NOTES[cents > first * 100], amount=(was, now))
