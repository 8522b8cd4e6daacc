"""Reviewers' scores of proposals: each reviewer, under their own account, scores each
proposal on each active criterion from 0 to 10, with a comment.

The reviewer is always the acting account (``ctx.actor``): no operation takes a reviewer,
and a score belongs to whoever gave it, so only they change or withdraw it. Proposals are
scored while submitted or in review; a draft is not ready, a decided one is closed. What the
scores add up to is :mod:`docket.models.portfolio.value`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypedDict

from docket.models.core import records
from docket.models.core.context import Context
from docket.models.core.database import write
from docket.models.core.errors import ValidationError
from docket.models.core.inputs import text, whole_number
from docket.models.core.schema_selection import (
    SCORE_HIGH,
    SCORE_LOW,
    Criterion,
    Proposal,
    ProposalScore,
)
from docket.models.portfolio.criteria import get_criterion
from docket.models.portfolio.proposals import get_proposal

SCORED = ("submitted", "in review")


def _score(typed: str | int) -> int:
    return whole_number("score", typed, minimum=SCORE_LOW, maximum=SCORE_HIGH)


def _comment(typed: str | None) -> str:
    return text("comment", typed, required=False, max_length=2000, multiline=True)


def score_proposal(
    ctx: Context, code: str, criterion: str, score: str | int, comment: str | None = None
) -> ProposalScore:
    """The acting reviewer's score of a proposal on a criterion (replacing their own
    earlier one; a comment left out keeps the earlier comment)."""
    value = _score(score)
    with write():
        proposal = get_proposal(code)
        if proposal.status not in SCORED:
            raise ValidationError(
                "status", f"proposal {proposal.code} is {proposal.status}; proposals are "
                "scored while submitted or in review",
            )  # fmt: skip
        on = get_criterion(criterion, active_only=True)
        row = ProposalScore.get_or_none(
            ProposalScore.proposal == proposal, ProposalScore.criterion == on,
            ProposalScore.reviewer == ctx.actor,
        )  # fmt: skip
        if row is None:
            return records.create(
                ctx, ProposalScore, proposal=proposal, criterion=on, reviewer=ctx.actor,
                score=value, comment=_comment(comment),
            )  # fmt: skip
        changes: dict[str, Any] = {"score": value}
        if comment is not None:
            changes["comment"] = _comment(comment)
        return records.update(ctx, row, row.version, **changes)


def score_all(
    ctx: Context, code: str, scores: Mapping[str, str | int], comment: str | None = None
) -> list[ProposalScore]:
    """The acting reviewer's scores of one proposal on several criteria (criterion name ->
    score) at once: all saved, or none when one is refused (the app's scoring form)."""
    with write():
        return [score_proposal(ctx, code, name, value, comment) for name, value in scores.items()]


def _own(ctx: Context, score_id: int, version: int | None) -> ProposalScore:
    """A score the acting reviewer gave (call inside a write transaction)."""
    row = records.get_current(ProposalScore, score_id, version)
    if row.reviewer != ctx.actor:
        raise ValidationError(
            "reviewer", f"score {score_id} is {row.reviewer}'s; only they can change it"
        )
    proposal = records.get(Proposal, row.__data__["proposal"])
    if proposal.status not in SCORED:
        raise ValidationError(
            "status", f"proposal {proposal.code} is {proposal.status}; its scores are closed"
        )
    return row


def update_score(
    ctx: Context,
    score_id: int,
    version: int | None = None,
    *,
    score: str | int | None = None,
    comment: str | None = None,
) -> ProposalScore:
    """Change one of the acting reviewer's own scores; anyone else's is refused."""
    changes: dict[str, Any] = {}
    if score is not None:
        changes["score"] = _score(score)
    if comment is not None:
        changes["comment"] = _comment(comment)
    with write():
        row = _own(ctx, score_id, version)
        return records.update(ctx, row, row.version, **changes)


def withdraw_score(ctx: Context, score_id: int, version: int | None = None) -> None:
    """Take back one of the acting reviewer's own scores."""
    with write():
        row = _own(ctx, score_id, version)
        records.delete(ctx, row, row.version)


class ScoreFacts(TypedDict):
    """One reviewer's score (``docket score list --format json``)."""

    id: int
    proposal: str
    criterion: str
    reviewer: str
    score: int
    comment: str
    version: int


def list_scores(reviewer: str | None = None, proposal: str | None = None) -> list[ScoreFacts]:
    """Scores by proposal, criterion and reviewer; one reviewer's or one proposal's when
    given."""
    query = (
        ProposalScore.select(ProposalScore, Proposal.code, Criterion.name)
        .join(Proposal)
        .switch(ProposalScore)
        .join(Criterion)
    )
    if reviewer is not None:
        query = query.where(ProposalScore.reviewer == reviewer)
    if proposal is not None:
        query = query.where(ProposalScore.proposal == get_proposal(proposal))
    query = query.order_by(Proposal.code, Criterion.name, ProposalScore.reviewer)
    return [
        {
            "id": s.id,
            "proposal": s.proposal.code,
            "criterion": s.criterion.name,
            "reviewer": s.reviewer,
            "score": s.score,
            "comment": s.comment,
            "version": s.version,
        }
        for s in query
    ]
