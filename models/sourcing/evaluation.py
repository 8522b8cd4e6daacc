"""The evaluation: conforming bids ranked by weighted total, shown once every committee
member has revealed their sealed scores.

Arithmetic, so a reader can redo it by hand:

- **Price** (the standard formula): lowest conforming price / the bid's price x 10, so the
  lowest bid scores 10 and one twice as dear 5 (a bid of 0 scores 10).
- **Other criteria**: the mean of the members' scores (0 to 10), with the lowest, the
  highest and their spread (highest - lowest), so disagreement shows.
- **Weighted total**: the sum over criteria of weight / sum of weights x score, 0 to 10,
  rounded to 4 places; ranked highest first, equal totals sharing a rank (then listed by
  price, then vendor). Shown rounded to 2 places.

Non-conforming bids are listed with why, never ranked; conflicts of interest declared by
members are listed with the ranking.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import TypedDict

from docket.models.core.schema_selection import Bid, BidScore, Solicitation
from docket.models.sourcing.bids import bids_of, nonconformance
from docket.models.sourcing.committee import members_of
from docket.models.sourcing.sealing import all_revealed, seal_state
from docket.models.sourcing.solicitations import criteria_of, find_solicitation

TEN = Decimal(10)
PLACES = Decimal("0.0001")
SHOWN = Decimal("0.01")
FORMULA = "price score = lowest conforming price / bid price x 10"


def price_score(lowest: Decimal, price: Decimal) -> Decimal:
    """The price criterion's score: lowest conforming price / this bid's price x 10."""
    if price <= 0:
        return TEN
    return lowest / price * TEN


class MemberScore(TypedDict):
    """One member's revealed score with its comment."""

    member: str
    score: int
    comment: str


class CriterionResult(TypedDict):
    """A bid on one criterion: its score (price: by formula; else the members' mean)."""

    criterion: str
    share: str
    price: bool
    score: str
    low: int | None
    high: int | None
    spread: int | None
    scores: list[MemberScore]


class RankedBid(TypedDict):
    """A conforming bid with its rank and weighted total."""

    rank: int
    vendor: str
    price: str
    total: str
    criteria: list[CriterionResult]


class Unranked(TypedDict):
    """A non-conforming bid and why."""

    vendor: str
    price: str
    why: list[str]


class Conflict(TypedDict):
    """A conflict of interest a member declared."""

    person: str
    account: str
    conflict: str


class Evaluation(TypedDict):
    """A solicitation's evaluation (``docket bid rank --format json``)."""

    solicitation: str
    status: str
    formula: str
    revealed: bool
    # members who have not committed, or committed and not yet revealed
    not_committed: list[str]
    not_revealed: list[str]
    lowest_price: str | None
    ranking: list[RankedBid]
    nonconforming: list[Unranked]
    conflicts: list[Conflict]


def _shares(found: Solicitation) -> list[tuple[int, str, Decimal, bool]]:
    criteria = criteria_of(found)
    total = sum((Decimal(c.weight) for c in criteria), Decimal(0))
    return [(c.id, c.name, Decimal(c.weight) / total, bool(c.price)) for c in criteria]


def _ranked(found: Solicitation, bids: list[Bid], lowest: Decimal) -> list[RankedBid]:
    given: dict[tuple[int, int], list[MemberScore]] = defaultdict(list)
    query = (
        BidScore.select()
        .join(Bid)
        .where(Bid.solicitation == found)
        .order_by(BidScore.member, BidScore.id)
    )
    for s in query:
        given[(s.__data__["bid"], s.__data__["criterion"])].append(
            {"member": s.member, "score": s.score, "comment": s.comment}
        )
    rows: list[RankedBid] = []
    for bid in bids:
        results: list[CriterionResult] = []
        total = Decimal(0)
        for ident, name, share, is_price in _shares(found):
            scores = given.get((bid.id, ident), [])
            numbers = [s["score"] for s in scores]
            if is_price:
                score = price_score(lowest, bid.price)
            else:
                score = Decimal(sum(numbers)) / len(numbers) if numbers else Decimal(0)
            total += share * score
            results.append(
                {
                    "criterion": name,
                    "share": str(share.quantize(PLACES)),
                    "price": is_price,
                    "score": str(score.quantize(SHOWN)),
                    "low": min(numbers) if numbers else None,
                    "high": max(numbers) if numbers else None,
                    "spread": max(numbers) - min(numbers) if numbers else None,
                    "scores": scores,
                }
            )
        rows.append(
            {
                "rank": 0,
                "vendor": bid.vendor.name,
                "price": str(bid.price),
                "total": str(total.quantize(PLACES)),
                "criteria": results,
            }
        )
    rows.sort(key=lambda r: (-Decimal(r["total"]), Decimal(r["price"]), r["vendor"].lower()))
    for place, row in enumerate(rows, start=1):
        before = rows[place - 2] if place > 1 else None
        row["rank"] = before["rank"] if before and before["total"] == row["total"] else place
    return rows


def evaluate(solicitation: str | int) -> Evaluation:
    """The evaluation as it stands: the ranking once every member has revealed (empty
    before: the scores are sealed), the non-conforming bids and the conflicts."""
    found = find_solicitation(solicitation)
    conforming: list[Bid] = []
    unranked: list[Unranked] = []
    for bid in bids_of(found):
        why = nonconformance(bid)
        if why:
            unranked.append({"vendor": bid.vendor.name, "price": str(bid.price), "why": why})
        else:
            conforming.append(bid)
    lowest = min((b.price for b in conforming), default=None)
    states = seal_state(found)
    revealed = all_revealed(found) and found.status in ("evaluating", "awarded")
    ranking = _ranked(found, conforming, lowest) if revealed and lowest is not None else []
    return {
        "solicitation": found.code,
        "status": found.status,
        "formula": FORMULA,
        "revealed": revealed,
        "not_committed": [s["account"] for s in states if not s["committed"]],
        "not_revealed": [s["account"] for s in states if s["committed"] and not s["revealed"]],
        "lowest_price": None if lowest is None else str(lowest),
        "ranking": ranking,
        "nonconforming": unranked,
        "conflicts": [
            {"person": m.person.name, "account": m.account, "conflict": m.conflict}
            for m in members_of(found)
            if m.conflict
        ],
    }


def summary(evaluation: Evaluation) -> str:
    """The evaluation in a few lines, as an award's decision cites it."""
    lines = [f"Evaluation of {evaluation['solicitation']} ({evaluation['formula']}):"]
    for row in evaluation["ranking"]:
        parts = ", ".join(
            f"{c['criterion']} {c['score']}" + (f" (spread {c['spread']})" if c["spread"] else "")
            for c in row["criteria"]
        )
        lines.append(
            f"{row['rank']}. {row['vendor']}: total {Decimal(row['total']).quantize(SHOWN)}, "
            f"price {row['price']}; {parts}"
        )
    for bid in evaluation["nonconforming"]:
        lines.append(f"not ranked: {bid['vendor']} ({'; '.join(bid['why'])})")
    for c in evaluation["conflicts"]:
        lines.append(f"conflict declared by {c['person']} ({c['account']}): {c['conflict']}")
    if not evaluation["conflicts"]:
        lines.append("no conflict of interest declared")
    return "\n".join(lines)
