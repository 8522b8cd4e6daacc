"""The value of each proposal: its reviewers' scores weighted by the office's criteria.

One rule, used by the ranking, the selection and the Portfolio screen alike:

- the weights in use are the active criteria's weights normalised to sum to 1 (when every
  active weight is 0, each criterion weighs the same, 1/n);
- a proposal's mean on a criterion is the plain mean of its reviewers' scores (0 to 10);
  a criterion nobody scored counts 0 and is named in ``unscored``;
- its value is the sum over active criteria of weight x mean (0 to 10);
- its spread is the largest population standard deviation of the reviewers' scores on any
  one criterion, so disagreement shows even when the means agree.

Values and means are rounded half-up to 4 decimal places (the value is taken from the
exact means), the spread to 2. Reading only: no context is needed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import TypedDict

from docket.models.core.errors import ValidationError
from docket.models.core.inputs import choice
from docket.models.core.schema_selection import (
    PROPOSAL_STATUSES,
    Criterion,
    Proposal,
    ProposalScore,
)

VALUE_PLACES = Decimal("0.0001")
SPREAD_PLACES = Decimal("0.01")


class ProposalValue(TypedDict):
    """One proposal's weighted value and how much its reviewers disagree."""

    id: int
    code: str
    title: str
    status: str
    mandatory: bool
    # weighted mean score, 0 to 10
    value: Decimal
    # the largest population standard deviation across reviewers on any one criterion
    spread: Decimal
    # accounts that gave it at least one score
    reviewers: int
    # active criteria nobody scored it on (they count 0)
    unscored: list[str]
    # the mean score on each active criterion (0 when unscored), by criterion name
    means: dict[str, Decimal]


def stored_weight(text: str) -> Decimal:
    """A criterion's stored weight (decimal text) as a number; anything unreadable is 0."""
    try:
        weight = Decimal(text or "0")
    except ArithmeticError:
        return Decimal(0)
    return weight if weight.is_finite() and weight > 0 else Decimal(0)


def active_weights() -> dict[str, Decimal]:
    """The active criteria's weights normalised to sum to 1, by name in name order (each
    1/n when every weight is 0; empty when there is no active criterion)."""
    criteria = list(Criterion.select().where(Criterion.active).order_by(Criterion.name))
    raw = {c.name: stored_weight(c.weight) for c in criteria}
    total = sum(raw.values(), Decimal(0))
    if not raw:
        return {}
    if total == 0:
        return {name: Decimal(1) / len(raw) for name in raw}
    return {name: weight / total for name, weight in raw.items()}


def weighted_value(weights: dict[str, Decimal], means: dict[str, Decimal]) -> Decimal:
    """Sum of weight x mean over the weighted criteria (a missing mean counts 0), rounded."""
    total = sum((w * means.get(name, Decimal(0)) for name, w in weights.items()), Decimal(0))
    return total.quantize(VALUE_PLACES, rounding=ROUND_HALF_UP)


def population_sd(scores: Sequence[int]) -> Decimal:
    """The population standard deviation of some scores (0 for none or one)."""
    if len(scores) < 2:
        return Decimal(0)
    mean = Decimal(sum(scores)) / len(scores)
    variance = sum(((Decimal(s) - mean) ** 2 for s in scores), Decimal(0)) / len(scores)
    return variance.sqrt()


def proposal_values(statuses: Sequence[str] | None = None) -> list[ProposalValue]:
    """Every proposal (of these statuses; all when None) with its value, highest value
    first, ties by code."""
    query = Proposal.select()
    if statuses is not None:
        wanted = [choice("status", s, PROPOSAL_STATUSES) for s in statuses]
        if not wanted:
            raise ValidationError("status", "expected at least one status")
        query = query.where(Proposal.status.in_(wanted))
    proposals = list(query)
    weights = active_weights()
    ids = {c.id: c.name for c in Criterion.select().where(Criterion.active)}
    # every score of these proposals on active criteria: proposal -> criterion -> scores
    scores: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    reviewers: dict[int, set[str]] = defaultdict(set)
    if proposals and ids:
        rows = ProposalScore.select(
            ProposalScore.proposal, ProposalScore.criterion, ProposalScore.reviewer,
            ProposalScore.score,
        ).where(
            ProposalScore.proposal.in_([p.id for p in proposals]),
            ProposalScore.criterion.in_(list(ids)),
        )  # fmt: skip
        for row in rows:
            proposal_id = row.__data__["proposal"]
            scores[proposal_id][ids[row.__data__["criterion"]]].append(row.score)
            reviewers[proposal_id].add(row.reviewer)
    facts: list[ProposalValue] = []
    for p in proposals:
        given = scores.get(p.id, {})
        exact = {
            name: Decimal(sum(given[name])) / len(given[name]) if given.get(name) else Decimal(0)
            for name in weights
        }
        means = {
            name: m.quantize(VALUE_PLACES, rounding=ROUND_HALF_UP) for name, m in exact.items()
        }
        spread = max((population_sd(s) for s in given.values()), default=Decimal(0))
        facts.append(
            {
                "id": p.id,
                "code": p.code,
                "title": p.title,
                "status": p.status,
                "mandatory": bool(p.mandatory),
                "value": weighted_value(weights, exact),
                "spread": spread.quantize(SPREAD_PLACES, rounding=ROUND_HALF_UP),
                "reviewers": len(reviewers.get(p.id, ())),
                "unscored": [name for name in weights if not given.get(name)],
                "means": means,
            }
        )
    facts.sort(key=lambda f: (-f["value"], f["code"]))
    return facts
