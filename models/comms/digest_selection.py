"""The digest's sections on choosing what to fund and whom to hire: proposals awaiting a
decision, selection changes (proposals decided or turned into programs in the period),
open solicitations with their next dates, and vendors' scorecards below target.

They read the tables of :mod:`docket.models.core.schema_selection` directly, in a fixed
number of queries. Unlike the status digest's own sections, each is *optional*: left out of
the digest when it has nothing to say, so an office that does not use proposals or
solicitations gets the digest it always had.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any

from peewee import JOIN

from docket.models.comms.digest_scope import Scope, Section, capped
from docket.models.contractors.performance import plain, scorecards_below_target, targets
from docket.models.core.schema import AuditEntry, Person, Program
from docket.models.core.schema_selection import Proposal, Solicitation
from docket.models.meetings.occurrences import among

# a proposal awaits a decision in these statuses
AWAITING = ("submitted", "in review")
# a proposal's status moving to one of these is a decision (a selection change)
DECIDED = ("approved", "deferred", "rejected")
# a solicitation's dates matter while it is in these
OPEN_SOLICITATION = ("draft", "issued", "evaluating")
# the dates of a solicitation, in the order they come
SOLICITATION_DATES = (
    ("questions_due", "questions due"),
    ("bids_due", "bids due"),
    ("award_by", "award by"),
)


def _status_since(ids: list[int]) -> dict[int, datetime]:
    """When each proposal last changed status, from the audit log (one query)."""
    if not ids:
        return {}
    query: Any = (
        AuditEntry.select(AuditEntry.entity_id, AuditEntry.at)
        .where(
            AuditEntry.entity == "proposal",
            AuditEntry.entity_id.in_(among(ids)),  # one parameter, not one per proposal
            AuditEntry.changes.contains('"status"'),
        )
        .order_by(AuditEntry.at)
        .tuples()
    )
    return dict(query)


def proposals_section(scope: Scope) -> Section:
    """Proposals submitted or in review, the longest waiting first, with their sponsor."""
    where: Any = Proposal.status.in_(AWAITING)
    if scope.program_ids is not None:
        where &= Proposal.program.in_(scope.program_ids)
    query: Any = (  # the shown columns as tuples: no model objects for hundreds of rows
        Proposal.select(
            Proposal.id,
            Proposal.code,
            Proposal.title,
            Proposal.status,
            Proposal.created_at,
            Program.code.alias("program"),
            Person.name.alias("sponsor"),
        )
        .join(Program, JOIN.LEFT_OUTER, on=(Proposal.program == Program.id))
        .join_from(Proposal, Person, JOIN.LEFT_OUTER, on=(Proposal.sponsor == Person.id))
        .where(where)
        .order_by(Proposal.id)
        .namedtuples()
    )
    found: list[Any] = list(query)
    since = _status_since([p.id for p in found])
    rows: list[dict[str, Any]] = []
    for p in found:
        waiting = since.get(p.id, p.created_at)
        local = waiting.astimezone(scope.tz).date() if waiting.tzinfo else waiting.date()
        rows.append(
            {
                "id": p.id,
                "code": p.code,
                "title": p.title,
                "status": p.status,
                "program": p.program,
                "sponsor": p.sponsor,
                "since": local.isoformat(),
                "days_waiting": max(0, (scope.today - local).days),
            }
        )
    rows.sort(key=lambda r: (r["since"], r["code"]))
    return Section(
        "proposals",
        "Proposals awaiting decision",
        {"awaiting": capped(rows)},
        "No proposals awaiting a decision.",
        bool(rows),
        optional=True,
    )


def _selection_moves(scope: Scope) -> list[dict[str, Any]]:
    """The audit entries of the period that moved a proposal's status or made it a program,
    with the proposal, its program and the program it became (one query)."""
    home, became = Program.alias("home"), Program.alias("became")
    where: Any = (
        (AuditEntry.entity == "proposal")
        & (AuditEntry.action == "update")
        & (AuditEntry.at >= scope.instant(scope.since))
        & (AuditEntry.at < scope.instant(scope.until + timedelta(days=1)))
        & (AuditEntry.changes.contains('"status"') | AuditEntry.changes.contains('"became"'))
    )
    if scope.program_ids is not None:
        where &= Proposal.program.in_(scope.program_ids)
    query: Any = (
        AuditEntry.select(
            AuditEntry.id.alias("entry"), AuditEntry.at, AuditEntry.actor, AuditEntry.changes,
            AuditEntry.note, Proposal.code, Proposal.title, home.code.alias("program"),
            became.code.alias("became"),
        )
        .join(Proposal, on=(AuditEntry.entity_id == Proposal.id))
        .join_from(Proposal, home, JOIN.LEFT_OUTER, on=(Proposal.program == home.id))
        .join_from(Proposal, became, JOIN.LEFT_OUTER, on=(Proposal.became == became.id))
        .where(where)
        .order_by(AuditEntry.at, AuditEntry.id)
        .dicts()
    )  # fmt: skip
    return list(query)


def selection_section(scope: Scope) -> Section:
    """Selection changes in the period, from the audit log: proposals decided (approved,
    deferred, rejected) with the decision's reason, and approved proposals turned into
    programs; in the order they happened."""
    decided: list[dict[str, Any]] = []
    funded: list[dict[str, Any]] = []
    for move in _selection_moves(scope):
        changes = json.loads(move["changes"])
        at: datetime = move["at"]
        base = {
            "code": move["code"],
            "title": move["title"],
            "program": move["program"],
            "on": (at.astimezone(scope.tz) if at.tzinfo else at).date().isoformat(),
            "by": move["actor"],
        }
        status = changes.get("status")
        if status is not None and status[1] in DECIDED:
            reason = changes["reason"][1] if "reason" in changes else move["note"]
            decided.append({**base, "status": status[1], "was": status[0], "reason": reason})
        if changes.get("became") is not None and changes["became"][1] is not None:
            funded.append({**base, "became": move["became"]})
    return Section(
        "selection",
        "Selection changes",
        {"decided": capped(decided), "became": capped(funded)},
        "No proposals decided or turned into programs.",
        bool(decided or funded),
        optional=True,
    )


def solicitations_section(scope: Scope) -> Section:
    """Solicitations not yet awarded or cancelled, with their dates and the next one to
    come, the soonest first."""
    where: Any = Solicitation.status.in_(OPEN_SOLICITATION)
    if scope.program_ids is not None:
        where &= Solicitation.program.in_(scope.program_ids)
    query = (
        Solicitation.select(Solicitation, Program)
        .join(Program)
        .where(where)
        .order_by(Solicitation.code)
    )
    rows: list[dict[str, Any]] = []
    for s in query:
        dates = {key: _iso(getattr(s, key)) for key, _ in SOLICITATION_DATES}
        coming = [
            (getattr(s, key), words)
            for key, words in SOLICITATION_DATES
            if getattr(s, key) is not None and getattr(s, key) >= scope.today
        ]
        next_day, next_what = coming[0] if coming else (None, None)
        rows.append(
            {
                "id": s.id,
                "code": s.code,
                "program": s.program.code,
                "title": s.title,
                "kind": s.kind,
                "status": s.status,
                **dates,
                "next": _iso(next_day),
                "next_what": next_what,
                "days_to_next": None if next_day is None else (next_day - scope.today).days,
            }
        )
    rows.sort(key=lambda r: (r["next"] is None, r["next"] or "", r["code"]))
    return Section(
        "solicitations",
        "Solicitations and their dates",
        {"open": capped(rows)},
        "No solicitations open.",
        bool(rows),
        optional=True,
    )


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def scorecards_section(scope: Scope) -> Section:
    """Each running contract's latest scorecard when it is below target (its overall score
    or its service levels met under the office's thresholds), lowest first."""
    limits = targets()
    rows = [
        dict(r) for r in scorecards_below_target(scope.program_ids, limits, running_on=scope.since)
    ]
    facts = {
        "below_target": capped(rows),
        "targets": {"overall": plain(limits.score), "service_levels": plain(limits.levels)},
    }
    return Section(
        "scorecards",
        "Vendor scorecards below target",
        facts,
        "No vendor scorecard below target.",
        bool(rows),
        optional=True,
    )
