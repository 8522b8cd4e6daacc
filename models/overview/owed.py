"""What Today asks of the acting account about choosing: the scores it owes, and the bids
due this week.

A reviewer owes scores on a proposal in review until they have scored it on every active
criterion; a committee member owes theirs on a solicitation being evaluated until they
have committed (sealed) them. Only an account that may write can score, so only such an
account owes anything. Each is a line of plain facts, as Today's other alerts are; the
tables of :mod:`docket.models.core.schema_selection` are read directly.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from peewee import fn

from docket.models.accounts.roles import can_write
from docket.models.core.schema import Program
from docket.models.core.schema_selection import (
    Bid,
    CommitteeMember,
    Criterion,
    Proposal,
    ProposalScore,
    Solicitation,
)
from docket.models.overview.alerts import Alert

# "this week": bids due today or within the next 7 days
BIDS_DAYS = 7


class OwedAlert(Alert):
    """An alert about one record (``docket today --format json`` carries these keys too):
    the record's code and its kind, ``proposal`` or ``solicitation``, so a script can act
    on it without reading the words."""

    code: str
    record_kind: str


def scores_owed(account: str, today: date, programs: list[int] | None = None) -> list[Alert]:
    """Proposals in review that ``account`` has not scored on every active criterion (fewest
    scored first), then solicitations being evaluated where ``account`` sits on the committee
    and has not committed its scores (the soonest award first)."""
    if not can_write(account):
        return []
    return _proposals_owed(account, programs) + _solicitations_owed(account, today, programs)


def _proposals_owed(account: str, programs: list[int] | None) -> list[Alert]:
    ids: Any = Criterion.select(Criterion.id).where(Criterion.active).tuples()
    active = [c for (c,) in ids]
    if not active:
        return []
    where: Any = Proposal.status == "in review"
    if programs is not None:
        where &= Proposal.program.in_(programs)
    counted: Any = (
        ProposalScore.select(ProposalScore.proposal, fn.COUNT(ProposalScore.id))
        .where(ProposalScore.reviewer == account, ProposalScore.criterion.in_(active))
        .group_by(ProposalScore.proposal)
        .tuples()
    )
    scored: dict[int, int] = dict(counted)
    found: list[tuple[int, str, Alert]] = []
    for p in Proposal.select(Proposal.id, Proposal.code, Proposal.title).where(where):
        done = scored.get(p.id, 0)
        if done < len(active):
            text = f"{p.code} {p.title}: you scored {done} of {len(active)} criteria"
            owed: OwedAlert = {
                "kind": "proposal", "text": text, "days": 0, "code": p.code,
                "record_kind": "proposal",
            }  # fmt: skip
            found.append((done, p.code, owed))
    return [alert for _, _, alert in sorted(found, key=lambda f: (f[0], f[1]))]


def _solicitations_owed(account: str, today: date, programs: list[int] | None) -> list[Alert]:
    where: Any = (
        (Solicitation.status == "evaluating")
        & (CommitteeMember.account == account)
        & (CommitteeMember.commitment == "")
    )
    if programs is not None:
        where &= Solicitation.program.in_(programs)
    query = (
        Solicitation.select(Solicitation, Program)
        .join(CommitteeMember)
        .join_from(Solicitation, Program)
        .where(where)
        .order_by(Solicitation.code)
    )
    rows: list[Alert] = []
    for s in query:
        award = f"; award by {s.award_by:%a %d %b}" if s.award_by else ""
        text = f"{s.code} {s.title} ({s.program.code}): your scores are not committed{award}"
        days = (s.award_by - today).days if s.award_by else 0
        owed: OwedAlert = {
            "kind": "solicitation", "text": text, "days": days, "code": s.code,
            "record_kind": "solicitation",
        }  # fmt: skip
        rows.append(owed)
    return sorted(rows, key=lambda a: a["days"] if a["days"] else 10**6)


def bids_due(today: date, programs: list[int] | None = None) -> list[Alert]:
    """Solicitations not yet evaluated whose bids are due today or within a week, the
    soonest first, with how many bids are in."""
    last = today + timedelta(days=BIDS_DAYS)
    where: Any = Solicitation.status.in_(("draft", "issued")) & Solicitation.bids_due.between(
        today, last
    )
    if programs is not None:
        where &= Solicitation.program.in_(programs)
    query = (
        Solicitation.select(Solicitation, Program)
        .join(Program)
        .where(where)
        .order_by(Solicitation.bids_due, Solicitation.code)
    )
    found: list[Any] = list(query)
    counted: Any = (
        Bid.select(Bid.solicitation, fn.COUNT(Bid.id))
        .where(Bid.solicitation.in_([s.id for s in found] or [0]))
        .group_by(Bid.solicitation)
        .tuples()
    )
    counts: dict[int, int] = dict(counted)
    rows: list[Alert] = []
    for s in found:
        n = counts.get(s.id, 0)
        draft = " (not issued yet)" if s.status == "draft" else ""
        text = (
            f"{s.code} {s.title} ({s.program.code}): bids due {s.bids_due:%a %d %b}{draft},"
            f" {n} bid{'s' if n != 1 else ''} in"
        )
        due: OwedAlert = {
            "kind": "bids due", "text": text, "days": (s.bids_due - today).days,
            "code": s.code, "record_kind": "solicitation",
        }  # fmt: skip
        rows.append(due)
    return rows
