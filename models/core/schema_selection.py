"""The tables of choosing (schema version 8): what to fund and whom to hire.

Portfolio intake: a proposal with its business case by fiscal year and the people it needs,
the office's criteria (weighted directly or by pairwise comparison) and each reviewer's
scores. Vendor selection: a solicitation with its criteria, conformance checklist and
committee; bids, their conformance and each member's scores (sealed until every member has
committed, see ``models/sourcing/sealing.py``); a contract's service levels and scorecards.

Scores belong to the Unix account that gave them (``reviewer``, ``member``), as audit entries
do: a reviewer cannot score for someone else. Money is :class:`MoneyField` (whole cents);
weights, ratios and people counts are decimal text, so ``0.35`` stays ``0.35``.
"""

from __future__ import annotations

from typing import Any

from peewee import BooleanField, CharField, Check, ForeignKeyField, IntegerField, Model, TextField

from docket.models.core.fields import DayField, MoneyField
from docket.models.core.schema import (
    Contract,
    Decision,
    Person,
    Program,
    Record,
    Vendor,
    sql_list,
)

PROPOSAL_STATUSES = ("draft", "submitted", "in review", "approved", "deferred", "rejected")
SOLICITATION_KINDS = ("RFP", "RFQ")
SOLICITATION_STATUSES = ("draft", "issued", "evaluating", "awarded", "cancelled")
# the scale every score is given on, proposals and bids alike
SCORE_LOW, SCORE_HIGH = 0, 10
# a scorecard rates each aspect 1 (poor) to 5 (excellent)
SCORECARD_ASPECTS = ("quality", "timeliness", "cost_control", "responsiveness")

_SCORE = Check(f"score BETWEEN {SCORE_LOW} AND {SCORE_HIGH}")


def _code(column: str) -> Any:
    """Capitals, digits and dashes, starting with a capital or a digit (``P-2027-014``)."""
    return Check(
        f"{column} GLOB '[A-Z0-9]*' AND NOT {column} GLOB '*[^A-Z0-9-]*'"
        f" AND length({column}) BETWEEN 2 AND 20"
    )


# --- portfolio intake and prioritization ----------------------------------------------


class Proposal(Record):
    """A candidate project or program change, from draft to a decision."""

    code = CharField(unique=True, constraints=[_code("code")])
    title = CharField(constraints=[Check("length(trim(title)) > 0")])
    sponsor = ForeignKeyField(Person, null=True, backref="proposals", on_delete="SET NULL")
    # the program it would belong to
    program = ForeignKeyField(Program, null=True, backref="proposals", on_delete="RESTRICT")
    problem = TextField(default="")
    objectives = TextField(default="")
    risks = TextField(default="")
    status = CharField(
        default="draft", constraints=[Check(f"status IN {sql_list(PROPOSAL_STATUSES)}")]
    )
    # why it has its status (every decision has one)
    reason = TextField(default="")
    # a mandate (law, audit finding): any selection includes it
    mandatory = BooleanField(default=False)
    # the decision (RAID) that approved, deferred or rejected it, citing the analysis
    decision = ForeignKeyField(Decision, null=True, backref="proposals", on_delete="SET NULL")
    # the program an approved proposal was turned into
    became = ForeignKeyField(Program, null=True, backref="from_proposals", on_delete="SET NULL")


class ProposalYear(Record):
    """One fiscal year of a proposal's business case: costs and hard benefits."""

    proposal = ForeignKeyField(Proposal, backref="years", on_delete="CASCADE")
    fiscal_year = IntegerField(constraints=[Check("fiscal_year BETWEEN 1900 AND 2999")])
    capital = MoneyField(default=0, constraints=[Check("capital >= 0")])
    operating = MoneyField(default=0, constraints=[Check("operating >= 0")])
    hard_savings = MoneyField(default=0, constraints=[Check("hard_savings >= 0")])
    cost_avoidance = MoneyField(default=0, constraints=[Check("cost_avoidance >= 0")])

    class Meta:
        indexes = ((("proposal", "fiscal_year"), True),)


class ProposalNeed(Record):
    """People a proposal needs: so many of a role in a month (full-time equivalents)."""

    proposal = ForeignKeyField(Proposal, backref="needs", on_delete="CASCADE")
    role = CharField(constraints=[Check("length(trim(role)) > 0")])
    month = DayField(constraints=[Check("strftime('%d', month) = '01'")])
    people = CharField()  # decimal text, > 0

    class Meta:
        indexes = ((("proposal", "role", "month"), True),)


class ProposalDependency(Record):
    """``proposal`` can only be funded with ``needs`` funded too."""

    proposal = ForeignKeyField(Proposal, backref="dependencies", on_delete="CASCADE")
    needs = ForeignKeyField(Proposal, backref="needed_by", on_delete="CASCADE")

    class Meta:
        indexes = ((("proposal", "needs"), True),)
        constraints = [Check("proposal_id != needs_id")]


class Criterion(Record):
    """A criterion the office scores proposals on, with its weight (decimal text; the weights
    in use are normalised to sum to 1)."""

    name = CharField(unique=True, constraints=[Check("length(trim(name)) > 0")])
    description = TextField(default="")
    weight = CharField(default="0")
    active = BooleanField(default=True)


class CriterionComparison(Record):
    """Pairwise comparison (analytic hierarchy process): ``first`` is ``ratio`` times as
    important as ``second`` (1/9 to 9, as text such as ``3`` or ``1/5``)."""

    first = ForeignKeyField(Criterion, backref="compared_first", on_delete="CASCADE")
    second = ForeignKeyField(Criterion, backref="compared_second", on_delete="CASCADE")
    ratio = CharField()

    class Meta:
        indexes = ((("first", "second"), True),)
        constraints = [Check("first_id < second_id")]


class ProposalScore(Record):
    """One reviewer's score of one proposal on one criterion."""

    proposal = ForeignKeyField(Proposal, backref="scores", on_delete="CASCADE")
    criterion = ForeignKeyField(Criterion, backref="scores", on_delete="CASCADE")
    reviewer = CharField()  # the Unix account that scored
    score = IntegerField(constraints=[_SCORE])
    comment = TextField(default="")

    class Meta:
        indexes = ((("proposal", "criterion", "reviewer"), True),)


# --- vendor selection --------------------------------------------------------------------


class Solicitation(Record):
    """A request for proposals or quotes: what is bought, its dates and how bids are judged."""

    code = CharField(unique=True, constraints=[_code("code")])
    program = ForeignKeyField(Program, backref="solicitations", on_delete="RESTRICT")
    title = CharField(constraints=[Check("length(trim(title)) > 0")])
    kind = CharField(default="RFP", constraints=[Check(f"kind IN {sql_list(SOLICITATION_KINDS)}")])
    scope = TextField(default="")
    issued_on = DayField(null=True)
    questions_due = DayField(null=True)
    bids_due = DayField(null=True)
    award_by = DayField(null=True)
    status = CharField(
        default="draft", constraints=[Check(f"status IN {sql_list(SOLICITATION_STATUSES)}")]
    )
    # the award: a decision (RAID) and the contract made from the winning bid
    decision = ForeignKeyField(Decision, null=True, backref="solicitations", on_delete="SET NULL")
    contract = ForeignKeyField(Contract, null=True, backref="solicitations", on_delete="SET NULL")


class SolicitationCriterion(Record):
    """A criterion bids are scored on, with its weight; the price criterion is scored by
    formula (lowest price / bid price x 10), not by the committee."""

    solicitation = ForeignKeyField(Solicitation, backref="criteria", on_delete="CASCADE")
    name = CharField(constraints=[Check("length(trim(name)) > 0")])
    weight = CharField()  # decimal text
    price = BooleanField(default=False)

    class Meta:
        indexes = ((("solicitation", "name"), True),)


class ConformanceItem(Record):
    """A requirement every bid must meet (from the approved plan or the contract's
    specifications); failing a mandatory one makes a bid non-conforming."""

    solicitation = ForeignKeyField(Solicitation, backref="conformance", on_delete="CASCADE")
    requirement = TextField(constraints=[Check("length(trim(requirement)) > 0")])
    mandatory = BooleanField(default=True)


class CommitteeMember(Record):
    """A member of a solicitation's evaluation committee, by Unix account, with any conflict
    of interest they declared."""

    solicitation = ForeignKeyField(Solicitation, backref="committee", on_delete="CASCADE")
    person = ForeignKeyField(Person, backref="committees", on_delete="RESTRICT")
    account = CharField()
    conflict = TextField(default="")
    # the SHA-256 of the member's sealed scores, given when they commit (hex; empty: not yet)
    commitment = CharField(default="")

    class Meta:
        indexes = ((("solicitation", "account"), True),)


class Bid(Record):
    """A vendor's bid: its price and where its documents are."""

    solicitation = ForeignKeyField(Solicitation, backref="bids", on_delete="CASCADE")
    vendor = ForeignKeyField(Vendor, backref="bids", on_delete="RESTRICT")
    price = MoneyField(constraints=[Check("price >= 0")])
    received_on = DayField(null=True)
    documents = TextField(default="")  # paths, one per line
    note = TextField(default="")

    class Meta:
        indexes = ((("solicitation", "vendor"), True),)


class BidPriceLine(Record):
    """A part of a bid's price: a fiscal year (``FY2027``) or a line (``Licences``). A bid
    priced by lines keeps their sum as its price, so ranking and award use one number."""

    bid = ForeignKeyField(Bid, backref="price_lines", on_delete="CASCADE")
    label = CharField(constraints=[Check("length(trim(label)) > 0")])
    amount = MoneyField(constraints=[Check("amount >= 0")])

    class Meta:
        indexes = ((("bid", "label"), True),)


class BidConformance(Record):
    """Whether one bid meets one conformance item, with a note."""

    bid = ForeignKeyField(Bid, backref="conformance", on_delete="CASCADE")
    item = ForeignKeyField(ConformanceItem, backref="results", on_delete="CASCADE")
    passed = BooleanField()
    note = TextField(default="")

    class Meta:
        indexes = ((("bid", "item"), True),)


class BidScore(Record):
    """One committee member's score of one bid on one criterion, written when the scores
    are revealed (before that they are sealed in the member's own file)."""

    bid = ForeignKeyField(Bid, backref="scores", on_delete="CASCADE")
    criterion = ForeignKeyField(SolicitationCriterion, backref="scores", on_delete="CASCADE")
    member = CharField()  # the Unix account
    score = IntegerField(constraints=[_SCORE])
    comment = TextField(default="")

    class Meta:
        indexes = ((("bid", "criterion", "member"), True),)


class ServiceLevel(Record):
    """A service level a contract commits to (``99.5 % availability``), which its
    scorecards count as met or missed."""

    contract = ForeignKeyField(Contract, backref="service_levels", on_delete="CASCADE")
    name = CharField(constraints=[Check("length(trim(name)) > 0")])
    target = CharField(default="")

    class Meta:
        indexes = ((("contract", "name"), True),)


class Scorecard(Record):
    """A vendor's performance on one contract over one period, each aspect 1 to 5, and how
    many of the contract's service levels were met."""

    contract = ForeignKeyField(Contract, backref="scorecards", on_delete="CASCADE")
    period_start = DayField()
    period_end = DayField()
    quality = IntegerField(constraints=[Check("quality BETWEEN 1 AND 5")])
    timeliness = IntegerField(constraints=[Check("timeliness BETWEEN 1 AND 5")])
    cost_control = IntegerField(constraints=[Check("cost_control BETWEEN 1 AND 5")])
    responsiveness = IntegerField(constraints=[Check("responsiveness BETWEEN 1 AND 5")])
    levels_met = IntegerField(null=True, constraints=[Check("levels_met >= 0")])
    levels_total = IntegerField(null=True, constraints=[Check("levels_total >= 0")])
    note = TextField(default="")

    class Meta:
        indexes = ((("contract", "period_start"), True),)
        constraints = [
            Check("period_end >= period_start"),
            Check("levels_met IS NULL OR levels_met <= levels_total"),
        ]


TABLES_V8: tuple[type[Model], ...] = (
    Proposal,
    ProposalYear,
    ProposalNeed,
    ProposalDependency,
    Criterion,
    CriterionComparison,
    ProposalScore,
    Solicitation,
    SolicitationCriterion,
    ConformanceItem,
    CommitteeMember,
    Bid,
    BidConformance,
    BidScore,
    ServiceLevel,
    Scorecard,
    BidPriceLine,
)
