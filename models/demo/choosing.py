"""The demo's choosing: what the office was asked to fund and whom it hired.

Built after every other table and after the audit entries of the rest of the office, from
its own random source (``seed * 1000 + 20``): the office the other builders made stays byte
for byte what it was, and these records' ``create`` entries are appended to the chain after
it. Proposals and their scores (:mod:`.proposals`), service levels and scorecards
(:mod:`.performance`), then the two solicitations (:mod:`.sourcing`), whose evaluation
invites the vendor whose scorecards are falling.
"""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import ROUND_CEILING, Decimal
from typing import Any

from peewee import fn

from docket.models.core.schema import BudgetLine, Decision, Program
from docket.models.core.schema_selection import TABLES_V8, Proposal, ProposalYear
from docket.models.demo.office import Office
from docket.models.demo.performance import performance
from docket.models.demo.proposals import proposals
from docket.models.demo.selection import CHOOSING_SIZES, Choosing
from docket.models.demo.sourcing import sourcing
from docket.models.demo.storage import STAMP, audit_added, insert

# the counts choosing adds to what build_demo returns, in this order
CHOOSING_ORDER = (
    "criteria",
    "criterion comparisons",
    "proposals",
    "proposal years",
    "proposal needs",
    "proposal dependencies",
    "proposal scores",
    "solicitations",
    "solicitation criteria",
    "conformance items",
    "committee members",
    "bids",
    "bid conformance",
    "bid scores",
    "service levels",
    "scorecards",
    "portfolio and award decisions",
    "intake envelopes",
)
# the share of what the proposals ask for in a fiscal year that the office can fund
ENVELOPE_SHARE = Decimal("0.4")


def choosing(office: Office, size: str, seed: int) -> dict[str, int]:
    """Proposals, scorecards and solicitations, their decisions, and the ``create`` audit
    entries of all of them; counts by table."""
    last = Decision.select(Decision.id).order_by(Decision.id.desc()).scalar() or 0
    last_line = BudgetLine.select(BudgetLine.id).order_by(BudgetLine.id.desc()).scalar() or 0
    state = Choosing(office, CHOOSING_SIZES[size], random.Random(seed * 1000 + 20))
    state.first_decision = last + 1
    counts = proposals(state)
    counts.update(performance(state))
    counts.update(sourcing(state))
    counts["portfolio and award decisions"] = len(state.decisions)
    counts["intake envelopes"] = _envelopes(office)
    audit_added(
        office.ctx.actor,
        (Decision, BudgetLine, *TABLES_V8),
        {Decision: last, BudgetLine: last_line},
        state.notes,
    )
    return {name: counts[name] for name in CHOOSING_ORDER}


def _envelopes(office: Office) -> int:
    """The intake's envelope: for each fiscal year the proposals cost money in, a capital
    budget line on the first top-level program of 40 % of what they ask for (to the ten
    thousand), so that choosing among them has a budget to fit, as ``portfolio select``
    takes the budget lines by default; and never less than the commitments (approved and
    mandatory proposals, which every selection includes) cost that year."""
    top = Program.select(Program.id).where(Program.parent.is_null()).order_by(Program.id)
    owner = top.scalar()
    by_year: Any = (
        ProposalYear.select(
            ProposalYear.fiscal_year, fn.SUM(ProposalYear.capital + ProposalYear.operating)
        )
        .group_by(ProposalYear.fiscal_year)
        .order_by(ProposalYear.fiscal_year)
        .tuples()
    )
    asked = [(int(year), int(cents)) for year, cents in by_year]
    commitments = (Proposal.status == "approved") | (
        Proposal.mandatory & Proposal.status.in_(("submitted", "in review"))
    )
    committed = {int(y): int(c) for y, c in by_year.join(Proposal).where(commitments)}
    made = office.stamp(office.at(office.today - timedelta(days=30)))
    lines = []
    for year, cents in asked:
        amount = (Decimal(cents) / 100 * ENVELOPE_SHARE / 10_000).quantize(Decimal(1)) * 10_000
        floor = Decimal(int(committed.get(year, 0))) / 100
        amount = max(amount, (floor / 10_000).to_integral_value(ROUND_CEILING) * 10_000)
        lines.append((owner, year, "capital", "Intake envelope", amount, "USD", None, *made))
    columns = ("program", "fiscal_year", "kind", "name", "amount", "currency",
               "estimate_at_completion", *STAMP)  # fmt: skip
    return insert(BudgetLine, columns, lines)
