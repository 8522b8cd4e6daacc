"""The award: a decision (RAID) citing the evaluation, the contract made from the winning
bid, and the solicitation marked awarded, all in one transaction.

Only a revealed evaluation can be awarded, and only to a conforming bid. A reason is always
given; awarding a bid that is not ranked first must say so (``not_top``), and the decision
then names the bid ranked first. The decision ends with the winner's past performance (its
scorecards on earlier contracts, in one line), so the record the award relied on is kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from docket.models.contractors.contracts import add_contract
from docket.models.core import records
from docket.models.core.context import Context
from docket.models.core.database import write
from docket.models.core.errors import ValidationError
from docket.models.core.inputs import text
from docket.models.governance.decisions import add_decision
from docket.models.sourcing.bids import find_bid, nonconformance
from docket.models.sourcing.evaluation import evaluate, summary
from docket.models.sourcing.solicitations import (
    find_solicitation,
    past_performance,
    require_status,
)

# what a decision's rationale holds at most
RATIONALE = 4000


@dataclass(frozen=True)
class Awarded:
    """What an award made."""

    solicitation: str
    vendor: str
    rank: int
    decision: int
    contract: int
    contract_number: str
    ceiling: Decimal


def award(
    ctx: Context,
    solicitation: str | int,
    vendor: str,
    *,
    reason: str,
    contract: str,
    start: str | date,
    end: str | date,
    ceiling: str | Decimal | None = None,
    not_top: bool = False,
) -> Awarded:
    """Award the solicitation to ``vendor``'s bid: record the decision, make the contract
    (ceiling: the bid's price unless given) and mark the solicitation awarded."""
    why = text("reason", reason, max_length=2000, multiline=True)
    with write():
        found = find_solicitation(solicitation)
        require_status(found, "evaluating", "award it")
        evaluation = evaluate(found.id)
        if not evaluation["revealed"]:
            waiting = evaluation["not_committed"] + evaluation["not_revealed"]
            raise ValidationError(
                "award", f"the scores of {found.code} are still sealed (waiting for "
                f"{', '.join(waiting) or 'bids'}); it is awarded on the revealed ranking",
            )  # fmt: skip
        bid = find_bid(found, vendor)
        if nonconformance(bid):
            raise ValidationError(
                "vendor", f"{bid.vendor.name}'s bid is non-conforming "
                f"({'; '.join(nonconformance(bid))}); it cannot be awarded",
            )  # fmt: skip
        row = next(r for r in evaluation["ranking"] if r["vendor"] == bid.vendor.name)
        first = [r["vendor"] for r in evaluation["ranking"] if r["rank"] == 1]
        if row["rank"] != 1 and not not_top:
            raise ValidationError(
                "reason", f"{bid.vendor.name} is ranked {row['rank']}, not first "
                f"({', '.join(first)}); say why in --reason and add --not-top",
            )  # fmt: skip
        if row["rank"] == 1 and not_top:
            raise ValidationError("not top", f"{bid.vendor.name} is ranked first")
        said = why
        if row["rank"] != 1:
            said = (
                f"Not the top-ranked bid: {bid.vendor.name} is ranked {row['rank']}, "
                f"{', '.join(first)} first. {why}"
            )
        cited = f"{said}\n\n{summary(evaluation)}"
        # the winner's record (its scorecards on past contracts) is always kept whole
        record = past_performance(bid.vendor)["record"]
        tail = f"\n\nPast performance of {bid.vendor.name}: {record}"
        if len(cited) + len(tail) > RATIONALE:
            cut = f"… (the whole evaluation: 'docket bid rank {found.code}')"
            cited = cited[: RATIONALE - len(cut) - len(tail)] + cut
        cited += tail
        decision = add_decision(
            ctx, f"Award {found.code} to {bid.vendor.name}", program=found.program.code,
            rationale=cited,
        )  # fmt: skip
        made = add_contract(
            ctx, contract, vendor=str(bid.vendor.id), program=found.program.code,
            start=start, end=end, ceiling=bid.price if ceiling is None else ceiling,
            title=found.title,
        )  # fmt: skip
        records.update(
            ctx, found, found.version, note=f"awarded to {bid.vendor.name}", status="awarded",
            decision=decision, contract=made,
        )  # fmt: skip
        return Awarded(
            found.code, bid.vendor.name, row["rank"], decision.id, made.id, made.number,
            made.ceiling,
        )  # fmt: skip
