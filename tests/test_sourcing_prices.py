"""Bid prices by fiscal year or line: the price is their sum (what the ranking and the award
use), refusals name the field, an edit replaces the lines or drops them for a whole price;
and a bidder's past performance in the solicitation's record and the award's decision.
The solicitation and its committee are those of tests/test_sourcing.py."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
import test_sourcing as base

from docket.models.contractors.contracts import add_contract
from docket.models.contractors.performance import add_scorecard
from docket.models.core.errors import ValidationError
from docket.models.core.schema import AuditEntry, Decision
from docket.models.core.schema_selection import Bid, BidPriceLine
from docket.models.sourcing import award, bids, criteria, evaluation
from docket.models.sourcing import solicitations as sol

pytestmark = pytest.mark.both_engines

Office = base.Office
office = base.office
CODE = "RFP-2027-01"


def _lines(vendor: str) -> list[tuple[str, Decimal]]:
    bid = Bid.get(Bid.vendor == bids.find_bid(sol.find_solicitation(CODE), vendor).vendor)
    return [(line.label, line.amount) for line in bids.lines_of(bid)]


def test_a_bid_priced_by_lines_keeps_their_sum_as_its_price(office: Office) -> None:
    base._issued(office.ana)
    made = bids.add_bid(
        office.ana, CODE, "Acme", received="2026-10-30",
        price_lines_given=["FY2027=60,000", "FY2028=40000.50", "Licences=0"],
    )  # fmt: skip
    assert Bid.get_by_id(made.id).price == Decimal("100000.50")
    assert _lines("Acme") == [
        ("FY2027", Decimal("60000.00")),
        ("FY2028", Decimal("40000.50")),
        ("Licences", Decimal("0.00")),
    ]
    facts = bids.bid_facts(Bid.get_by_id(made.id))
    assert facts["price"] == "100000.50"
    assert facts["price_lines"][0] == {"label": "FY2027", "amount": "60000.00"}
    assert bids.price_lines_text(facts["price_lines"]) == (
        "FY2027 60000.00 + FY2028 40000.50 + Licences 0.00"
    )
    # each line is its own audited record
    created = AuditEntry.select().where(AuditEntry.entity == "bid_price_line")
    assert created.count() == 3


@pytest.mark.parametrize(
    ("price", "lines", "field", "said"),
    [
        ("100", ["FY2027=100"], "price", "not both"),
        (None, [], "price", "--price-line"),
        (None, ["FY2027"], "price-line", "LABEL=AMOUNT"),
        (None, ["=100"], "price-line", "expected text"),
        (None, ["FY2027=-5"], "price-line FY2027", "zero or more"),
        (None, ["FY2027=12.345"], "price-line FY2027", "amount"),
        (None, ["FY2027=1", "fy2027=2"], "price-line", "given twice"),
    ],
)
def test_bad_prices_are_refused_by_field(
    office: Office, price: str | None, lines: list[str], field: str, said: str
) -> None:
    base._issued(office.ana)
    with pytest.raises(ValidationError) as refused:
        bids.add_bid(office.ana, CODE, "Acme", price=price, price_lines_given=lines)
    assert refused.value.field == field
    assert said in str(refused.value)
    assert Bid.select().count() == 0 and BidPriceLine.select().count() == 0


def test_an_edit_replaces_the_lines_or_drops_them_for_a_whole_price(office: Office) -> None:
    base._issued(office.ana)
    bids.add_bid(office.ana, CODE, "Acme", received="2026-10-30", price_lines_given=["A=1", "B=2"])
    changed = bids.update_bid(office.ana, CODE, "Acme", price_lines=["FY2027=500", "FY2028=700"])
    assert changed.price == Decimal("1200.00")
    assert _lines("Acme") == [("FY2027", Decimal("500.00")), ("FY2028", Decimal("700.00"))]
    changed = bids.update_bid(office.ana, CODE, "Acme", price="999")
    assert (changed.price, _lines("Acme")) == (Decimal("999.00"), [])
    with pytest.raises(ValidationError, match="not both"):
        bids.update_bid(office.ana, CODE, "Acme", price="1", price_lines=["A=1"])
    # the note of the lines dropped is in their audit entries
    dropped = AuditEntry.select().where(
        AuditEntry.entity == "bid_price_line", AuditEntry.action == "delete"
    )
    assert dropped.count() == 4


def test_the_price_formula_uses_the_sum_of_the_lines(office: Office) -> None:
    found = base._issued(office.ana)
    hosted, refs = criteria.items_of(found)
    bids.add_bid(office.ana, CODE, "Acme", received="2026-10-30", price_lines_given=["A=50000",
                 "B=30000"])  # fmt: skip
    bids.add_bid(office.ana, CODE, "Bolt", price="90000", received="2026-10-30")
    for vendor in ("Acme", "Bolt"):
        for item in (hosted, refs):
            bids.set_conformance(office.ana, CODE, vendor, item.id, passed=True)
    assert evaluation.evaluate(found.code)["lowest_price"] == "80000.00"


# --- the commands ------------------------------------------------------------------------


def test_the_commands_take_and_show_price_lines(cli: Any, office: Office) -> None:
    base._issued(office.ana)
    result = cli(
        "bid", "add", CODE, "Acme", "--price-line", "FY2027=60000", "--price-line",
        "FY2028=40000", "--received", "2026-10-30",
    )  # fmt: skip
    assert result.status == 0, result.err
    bolt = cli("bid", "add", CODE, "Bolt", "--price", "90000", "--received", "2026-10-30")
    assert bolt.status == 0, bolt.err
    listed = cli("bid", "list", CODE)
    assert "Acme Systems: FY2027 60000.00 + FY2028 40000.00" in listed.out.splitlines()
    assert "100000.00" in listed.out  # as contract list writes amounts
    data = json.loads(cli("bid", "list", CODE, "--format", "json").out)
    assert [(b["vendor"], b["price"], len(b["price_lines"])) for b in data] == [
        ("Acme Systems", "100000.00", 2),
        ("Bolt Consulting", "90000.00", 0),
    ]
    shown = cli("solicitation", "show", CODE).out.splitlines()
    assert "  Acme Systems  100000.00 (FY2027 60000.00 + FY2028 40000.00)" in shown
    assert "  Bolt Consulting  90000.00" in shown
    edited = cli("bid", "edit", CODE, "Bolt", "--price-line", "FY2027=1", "--price-line", "X=2")
    assert edited.status == 0, edited.err
    assert (
        "  Bolt Consulting  3.00 (FY2027 1.00 + X 2.00)"
        in cli("solicitation", "show", CODE).out.splitlines()
    )
    refused = cli("bid", "add", CODE, "Crux", "--received", "2026-10-30")
    assert refused.status == 2
    assert refused.err.count("\n") == 1 and "--price-line" in refused.err


# --- past performance in the solicitation's record ---------------------------------------


def _record_for_bolt(office: Office) -> None:
    add_contract(
        office.ana, "C-2025-9", vendor="Bolt", program="ERP", start="2025-01-01",
        end="2026-12-31", ceiling="50000",
    )  # fmt: skip
    add_scorecard(
        office.ana, "C-2025-9", start="2026-01-01", end="2026-06-30", quality=4, timeliness=2,
        cost_control=3, responsiveness=3,
    )  # fmt: skip


BOLT_RECORD = (
    "latest 3.00 on C-2025-9 for 2026-01-01 to 2026-06-30; mean 3.00 over 1 scorecard,"
    " 0 below target"
)


def test_the_solicitation_shows_each_bidders_record(cli: Any, office: Office) -> None:
    _record_for_bolt(office)
    base._evaluating(office.ana)
    shown = cli("solicitation", "show", CODE).out.splitlines()
    bolt = shown.index("  Bolt Consulting  125000.00")
    assert shown[bolt + 1] == f"    past performance: {BOLT_RECORD}"
    acme = shown.index("  Acme Systems  100000.00")
    assert shown[acme + 1] == "    past performance: no scorecards yet"
    data = json.loads(cli("solicitation", "show", CODE, "--format", "json").out)
    records = {b["vendor"]: b["past_performance"] for b in data["bidders"]}
    assert records["Bolt Consulting"] == {
        "vendor": "Bolt Consulting", "record": BOLT_RECORD, "scorecards": 1,
        "latest_overall": "3.00", "mean_overall": "3.00", "below_target": 0,
    }  # fmt: skip
    assert records["Crux Partners"]["scorecards"] == 0
    assert [b["conforming"] for b in data["bidders"]] == [True, True, False]


def test_the_award_decision_cites_the_winners_record(office: Office) -> None:
    _record_for_bolt(office)
    found = base._scored(office)
    done = award.award(
        office.ana, found.code, "Bolt", reason="Best value", contract="C-2027-0001",
        start="2027-01-01", end="2027-12-31",
    )  # fmt: skip
    rationale = Decision.get_by_id(done.decision).rationale
    assert rationale.startswith("Best value\n\nEvaluation of RFP-2027-01")
    assert rationale.endswith(f"\n\nPast performance of Bolt Consulting: {BOLT_RECORD}")


def test_a_long_evaluation_is_cut_but_the_record_is_kept(
    office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = base._scored(office)
    monkeypatch.setattr(award, "summary", lambda _: "x" * 5000)
    done = award.award(
        office.ana, found.code, "Bolt", reason="Best value", contract="C-1",
        start="2027-01-01", end="2027-12-31",
    )  # fmt: skip
    rationale = Decision.get_by_id(done.decision).rationale
    assert len(rationale) == award.RATIONALE
    assert "'docket bid rank RFP-2027-01')" in rationale
    assert rationale.endswith("Past performance of Bolt Consulting: no scorecards yet")
