"""Vendor selection at its edges: a solicitation's dates and status, bids and conformance,
the price formula and the ranking against hand-computed figures, the award; and the
commands. Sealed scoring's own rules are in tests/test_sealed_scores.py."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pg_demo import demo_on_both, pytest_generate_tests  # noqa: F401 (fixture, hook: both engines)

from docket.models.accounts.identity import current_account
from docket.models.contractors.contracts import add_vendor
from docket.models.core.context import Context
from docket.models.core.errors import ValidationError
from docket.models.core.schema import AuditEntry, Contract, Decision
from docket.models.core.schema_selection import Bid, Solicitation
from docket.models.people.persons import add_person
from docket.models.portfolio.programs import add_program
from docket.models.sourcing import award, bids, committee, criteria, evaluation, sealing
from docket.models.sourcing import solicitations as sol

pytestmark = pytest.mark.both_engines

TODAY = date(2026, 11, 23)
DATES = {
    "issued_on": "2026-10-01",
    "questions_due": "2026-10-15",
    "bids_due": "2026-11-01",
    "award_by": "2026-12-15",
}


@dataclass
class Office:
    """The office, with a context for each of the two committee members."""

    ana: Context
    bo: Context
    tmp: Path
    monkeypatch: pytest.MonkeyPatch

    def acting(self, who: Context) -> Context:
        """Act as ``who``, with their own data directory (as their own Unix account has)."""
        self.monkeypatch.setenv("XDG_DATA_HOME", str(self.tmp / f"data-{who.actor}"))
        return who


@pytest.fixture
def office(db_path: Path, ctx: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Office:
    add_program(ctx, "ERP", "ERP replacement")
    add_person(ctx, "Ana Lopez", email="ana@city.example", account="tester")
    add_person(ctx, "Bo Chen", email="bo@city.example", account="bchen")
    add_person(ctx, "Cy Diaz", email="cy@city.example")
    for name in ("Acme Systems", "Bolt Consulting", "Crux Partners"):
        add_vendor(ctx, name)
    bo = Context(actor="bchen", tz=ctx.tz, clock=ctx.clock)
    return Office(ctx, bo, tmp_path, monkeypatch)


def _draft(ctx: Context, code: str = "RFP-2027-01") -> Solicitation:
    return sol.add_solicitation(
        ctx, code, program="ERP", title="Payroll module", scope="Payroll for 900 staff", **DATES
    )


def _issued(ctx: Context, technical: str = "60", price: str = "40") -> Solicitation:
    found = _draft(ctx)
    criteria.add_criterion(ctx, found.code, "Technical", technical)
    criteria.add_criterion(ctx, found.code, "Price", price, price=True)
    criteria.add_item(ctx, found.code, "Hosted in the US")
    criteria.add_item(ctx, found.code, "Three references", mandatory=False)
    committee.add_member(ctx, found.code, "Ana Lopez")
    committee.add_member(ctx, found.code, "Bo Chen", conflict="Former Bolt employee (2019)")
    return sol.set_status(ctx, found.code, "issued")


def _evaluating(ctx: Context, **weights: str) -> Solicitation:
    found = _issued(ctx, **weights)
    hosted, refs = criteria.items_of(found)
    for vendor, price, passes in (
        ("Acme", "100000", True),
        ("Bolt", "125,000.00", True),
        ("Crux", "90000", False),
    ):
        bids.add_bid(ctx, found.code, vendor, price=price, received="2026-10-30")
        bids.set_conformance(
            ctx, found.code, vendor, hosted.id, passed=passes, note="" if passes else "EU only"
        )
        bids.set_conformance(ctx, found.code, vendor, refs.id, passed=vendor != "Acme")
    return sol.set_status(ctx, found.code, "evaluating")


def _scored(office: Office) -> Solicitation:
    found = _evaluating(office.ana)
    for who, acme, bolt in ((office.ana, 6, 9), (office.bo, 8, 9)):
        office.acting(who)
        sealing.give_score(who, found.code, "Acme", "Technical", acme, "solid")
        sealing.give_score(who, found.code, "Bolt", "Technical", bolt)
    for who in (office.ana, office.bo):
        sealing.commit(office.acting(who), found.code)
    for who in (office.ana, office.bo):
        sealing.reveal(office.acting(who), found.code)
    return found


# --- dates and status ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changed", "field", "after"),
    [
        ({"questions_due": "2026-09-30"}, "questions due", "issued (2026-10-01)"),
        ({"bids_due": "2026-10-14"}, "bids due", "questions due (2026-10-15)"),
        ({"award_by": "2026-10-31"}, "award by", "bids due (2026-11-01)"),
    ],
)
def test_dates_must_be_in_order(
    office: Office, changed: dict[str, str], field: str, after: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        sol.add_solicitation(office.ana, "RFP-1", program="ERP", title="X", **{**DATES, **changed})
    assert caught.value.field == field
    assert f"expected a day on or after {after}" in str(caught.value)
    assert Solicitation.select().count() == 0


def test_dates_may_be_left_out_and_the_same_day_and_edits_keep_them_in_order(
    office: Office,
) -> None:
    found = sol.add_solicitation(
        office.ana, "rfq-7", program="ERP", title="Laptops", kind="rfq", issued_on="2026-11-01",
        bids_due="2026-11-01",
    )  # fmt: skip
    assert (found.code, found.kind, found.status) == ("RFQ-7", "RFQ", "draft")
    with pytest.raises(ValidationError, match="award by: expected a day on or after bids due"):
        sol.update_solicitation(office.ana, "RFQ-7", award_by="2026-10-01")
    changed = sol.update_solicitation(office.ana, "rfq-7", award_by="2026-12-01")
    assert changed.award_by == date(2026, 12, 1)


def test_a_draft_is_issued_only_when_complete_and_status_moves_one_way(office: Office) -> None:
    found = _draft(office.ana)
    with pytest.raises(ValidationError) as caught:
        sol.set_status(office.ana, found.code, "issued")
    assert "needs criteria" in str(caught.value) and "a committee" in str(caught.value)
    criteria.add_criterion(office.ana, found.code, "Technical", "60")
    committee.add_member(office.ana, found.code, "ana")
    with pytest.raises(ValidationError, match="exactly one price criterion"):
        sol.set_status(office.ana, found.code, "issued")
    with pytest.raises(ValidationError, match="can go to issued, cancelled"):
        sol.set_status(office.ana, found.code, "evaluating")
    with pytest.raises(ValidationError, match="awarded by 'docket award'"):
        sol.set_status(office.ana, found.code, "awarded")
    with pytest.raises(ValidationError, match="say why"):
        sol.set_status(office.ana, found.code, "cancelled")
    done = sol.set_status(office.ana, found.code, "cancelled", reason="Budget cut")
    assert done.status == "cancelled"
    note = AuditEntry.select().order_by(AuditEntry.id.desc()).first().note
    assert note == "Budget cut"


def test_criteria_and_checklist_change_only_in_a_draft(office: Office) -> None:
    found = _issued(office.ana)
    with pytest.raises(ValidationError, match="only while it is draft"):
        criteria.add_criterion(office.ana, found.code, "Support", "10")
    with pytest.raises(ValidationError, match="only while it is draft"):
        criteria.add_item(office.ana, found.code, "Insured")
    assert [c["share"] for c in criteria.criterion_facts(found)] == ["0.6000", "0.4000"]


@pytest.mark.parametrize("typed", ["0", "-1", "1001", "lots"])
def test_a_weight_is_above_zero_and_at_most_a_thousand(office: Office, typed: str) -> None:
    found = _draft(office.ana)
    with pytest.raises(ValidationError) as caught:
        criteria.add_criterion(office.ana, found.code, "Technical", typed)
    assert caught.value.field == "weight"


def test_one_price_criterion_and_members_need_an_account(office: Office) -> None:
    found = _draft(office.ana)
    criteria.add_criterion(office.ana, found.code, "Price", "30", price=True)
    with pytest.raises(ValidationError, match="scores price by 'Price' already"):
        criteria.add_criterion(office.ana, found.code, "Cost", "30", price=True)
    with pytest.raises(ValidationError, match="Cy Diaz has no Unix account"):
        committee.add_member(office.ana, found.code, "Cy Diaz")


# --- bids ---------------------------------------------------------------------------------


def test_a_late_bid_needs_a_reason_and_an_early_or_future_one_is_refused(office: Office) -> None:
    found = _issued(office.ana)
    with pytest.raises(ValidationError, match=r"after bids were due .* --late REASON"):
        bids.add_bid(office.ana, found.code, "Acme", price="10", received="2026-11-02")
    with pytest.raises(ValidationError, match="before RFP-2027-01 was issued"):
        bids.add_bid(office.ana, found.code, "Acme", price="10", received="2026-09-30")
    with pytest.raises(ValidationError, match="in the future"):
        bids.add_bid(office.ana, found.code, "Acme", price="10", received="2026-11-24")
    with pytest.raises(ValidationError, match="it is not late"):
        bids.add_bid(office.ana, found.code, "Acme", price="10", received="2026-10-02", late="x")
    late = bids.add_bid(
        office.ana, found.code, "Acme", price="10", received="2026-11-02",
        late="Courier strike, accepted by the chair",
    )  # fmt: skip
    facts = bids.bid_facts(late)
    assert facts["late"] and facts["note"] == "late: Courier strike, accepted by the chair"
    with pytest.raises(ValidationError, match="has a bid on RFP-2027-01 already"):
        bids.add_bid(office.ana, found.code, "Acme", price="12", received="2026-10-02")


def test_documents_must_exist_and_are_kept_absolute(
    office: Office, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = _issued(office.ana)
    (tmp_path / "acme.pdf").write_bytes(b"%PDF")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ValidationError, match=r"missing\.pdf is not a file that exists here"):
        bids.add_bid(
            office.ana, found.code, "Acme", price="10", received="2026-10-30",
            documents_given=["missing.pdf"],
        )  # fmt: skip
    made = bids.add_bid(
        office.ana, found.code, "Acme", price="10", received="2026-10-30",
        documents_given=["acme.pdf", "acme.pdf"],
    )  # fmt: skip
    assert made.documents == str(tmp_path / "acme.pdf")


def test_a_bid_failing_a_mandatory_item_is_not_ranked_and_says_why(office: Office) -> None:
    found = _scored(office)
    result = evaluation.evaluate(found.code)
    assert [r["vendor"] for r in result["ranking"]] == ["Bolt Consulting", "Acme Systems"]
    assert result["nonconforming"] == [
        {
            "vendor": "Crux Partners",
            "price": "90000.00",
            "why": ["fails: Hosted in the US (EU only)"],
        }
    ]
    # an optional item failed (Acme's references) does not stop a bid being ranked
    assert bids.bid_facts(bids.find_bid(found, "Acme"))["conforming"] is True


def test_evaluation_waits_for_every_bids_conformance_and_the_due_date(office: Office) -> None:
    found = _issued(office.ana)
    bids.add_bid(office.ana, found.code, "Acme", price="10", received="2026-10-30")
    with pytest.raises(ValidationError, match=r"conformance of Acme Systems's bid \(0 of 2"):
        sol.set_status(office.ana, found.code, "evaluating")
    assert bids.nonconformance(Bid.get()) == ["not checked: Hosted in the US"]
    with pytest.raises(ValidationError, match=r"RFP-2027-01 cannot start the evaluation yet: "):
        sol.set_status(office.ana, found.code, "evaluating")


def test_a_solicitation_is_not_issued_before_its_issue_date(office: Office) -> None:
    """Issued early, it would take no bids until that date: the move is refused instead."""
    found = sol.add_solicitation(
        office.ana, "RFQ-9", program="ERP", title="Laptops", issued_on="2026-11-24",
        bids_due="2026-12-10",
    )  # fmt: skip
    criteria.add_criterion(office.ana, found.code, "Price", "1", price=True)
    committee.add_member(office.ana, found.code, "Ana Lopez")
    with pytest.raises(
        ValidationError,
        match=r"RFQ-9 cannot be issued yet: it needs its issue date 2026-11-24 to have come",
    ):
        sol.set_status(office.ana, found.code, "issued")
    sol.update_solicitation(office.ana, found.code, issued_on="2026-11-23")
    assert sol.set_status(office.ana, found.code, "issued").status == "issued"


# --- price formula and ranking ------------------------------------------------------------


@pytest.mark.parametrize(
    ("lowest", "price", "score"),
    [
        ("100000", "100000", "10"),
        ("100000", "125000", "8"),
        ("100000", "200000", "5"),
        ("90000", "120000", "7.5"),
        ("0", "0", "10"),
        ("0", "5", "0"),
    ],
)
def test_price_score_is_lowest_over_price_times_ten(lowest: str, price: str, score: str) -> None:
    assert evaluation.price_score(Decimal(lowest), Decimal(price)) == Decimal(score)


def test_the_ranking_is_the_hand_computed_weighted_total(office: Office) -> None:
    found = _scored(office)
    result = evaluation.evaluate(found.code)
    # lowest conforming price 100,000 (Crux's 90,000 does not conform): Acme 10, Bolt 8
    # Acme: 0.6 x mean(6, 8) + 0.4 x 10 = 4.2 + 4 = 8.2; Bolt: 0.6 x 9 + 0.4 x 8 = 8.6
    assert result["lowest_price"] == "100000.00"
    bolt, acme = result["ranking"]
    assert (bolt["rank"], bolt["total"]) == (1, "8.6000")
    assert (acme["rank"], acme["total"]) == (2, "8.2000")
    technical, price = acme["criteria"]
    assert (technical["score"], technical["low"], technical["high"], technical["spread"]) == (
        "7.00",
        6,
        8,
        2,
    )
    assert [s["member"] for s in technical["scores"]] == ["bchen", "tester"]
    assert (price["score"], price["price"]) == ("10.00", True)
    assert result["conflicts"] == [
        {"person": "Bo Chen", "account": "bchen", "conflict": "Former Bolt employee (2019)"}
    ]


def test_equal_totals_share_a_rank(office: Office) -> None:
    found = _evaluating(office.ana, technical="50", price="50")
    for who in (office.ana, office.bo):
        office.acting(who)
        sealing.give_score(who, found.code, "Acme", "Technical", 6)
        sealing.give_score(who, found.code, "Bolt", "Technical", 8)
        sealing.commit(who, found.code)
    for who in (office.ana, office.bo):
        sealing.reveal(office.acting(who), found.code)
    # Acme 0.5 x 6 + 0.5 x 10 = 8; Bolt 0.5 x 8 + 0.5 x 8 = 8: a tie, the cheaper first
    ranking = evaluation.evaluate(found.code)["ranking"]
    assert [(r["vendor"], r["rank"], r["total"]) for r in ranking] == [
        ("Acme Systems", 1, "8.0000"),
        ("Bolt Consulting", 1, "8.0000"),
    ]


# --- award --------------------------------------------------------------------------------


def test_award_records_the_decision_and_makes_the_contract(office: Office) -> None:
    found = _scored(office)
    done = award.award(
        office.ana, found.code, "Bolt", reason="Best value", contract="C-2027-0001",
        start="2027-01-01", end="2027-12-31",
    )  # fmt: skip
    assert (done.rank, done.ceiling) == (1, Decimal("125000.00"))
    contract = Contract.get_by_id(done.contract)
    assert (contract.vendor.name, contract.program.code, contract.title) == (
        "Bolt Consulting",
        "ERP",
        "Payroll module",
    )
    decision = Decision.get_by_id(done.decision)
    assert decision.title == "Award RFP-2027-01 to Bolt Consulting"
    assert decision.rationale.startswith("Best value\n\nEvaluation of RFP-2027-01")
    assert "1. Bolt Consulting: total 8.60" in decision.rationale
    assert "not ranked: Crux Partners (fails: Hosted in the US (EU only))" in decision.rationale
    assert "conflict declared by Bo Chen (bchen): Former Bolt employee" in decision.rationale
    again = Solicitation.get_by_id(found.id)
    assert (again.status, again.__data__["decision"], again.__data__["contract"]) == (
        "awarded",
        done.decision,
        done.contract,
    )


def test_awarding_another_than_the_first_must_say_so(office: Office) -> None:
    found = _scored(office)
    terms: dict[str, Any] = {"contract": "C-9", "start": "2027-01-01", "end": "2027-06-30"}
    with pytest.raises(ValidationError, match=r"Acme Systems is ranked 2, not first \(Bolt"):
        award.award(office.ana, found.code, "Acme", reason="Cheaper", **terms)
    with pytest.raises(ValidationError, match="non-conforming"):
        award.award(office.ana, found.code, "Crux", reason="Cheapest", not_top=True, **terms)
    with pytest.raises(ValidationError, match="reason: expected text"):
        award.award(office.ana, found.code, "Bolt", reason=" ", **terms)
    done = award.award(
        office.ana, found.code, "Acme", reason="Bolt cannot start before March", not_top=True,
        ceiling="110000", **terms,
    )  # fmt: skip
    assert done.ceiling == Decimal("110000.00")
    rationale = Decision.get_by_id(done.decision).rationale
    assert rationale.startswith(
        "Not the top-ranked bid: Acme Systems is ranked 2, Bolt Consulting first. "
        "Bolt cannot start before March"
    )


def test_nothing_is_awarded_while_scores_are_sealed(office: Office) -> None:
    found = _evaluating(office.ana)
    with pytest.raises(ValidationError, match=r"still sealed .*waiting for bchen, tester"):
        award.award(
            office.ana, found.code, "Bolt", reason="x", contract="C-1", start="2027-01-01",
            end="2027-02-01",
        )  # fmt: skip
    assert Contract.select().count() == Decision.select().count() == 0


def test_at_80_columns_the_ranking_and_bids_cut_no_amount_score_or_reason(
    cli: Any, demo_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On the demo's awarded solicitation (long criterion names, four bids): a narrow
    terminal shortens names only; the scores are a table of criteria by rank."""
    monkeypatch.setenv("COLUMNS", "80")  # the terminal's width, which tables fit
    out = cli("bid", "rank", "RFP-2026-059", db=demo_db).out.splitlines()
    tables = [line for line in out if not line.startswith(("not ranked:", "conflict"))]
    assert all(len(line) <= 80 and "…" not in line for line in tables), out
    assert out[1].split() == ["rank", "vendor", "price", "total"]
    assert out[2].split() == ["1", "Northpoint", "Networks", "1675000.00", "8.74"]
    scores = out[out.index("") + 1 :]
    assert scores[0].split() == ["criterion", "(low-high)", "#1", "#2", "#3"]
    assert "Price  " in scores[5] and scores[5].split()[1:] == ["9.70", "10.00", "7.88"]
    listed = cli("bid", "list", "RFP-2026-059", db=demo_db).out.splitlines()
    assert all(len(line) <= 80 and "…" not in line for line in listed[:5]), listed
    assert listed[-1].startswith("Lakeshore Consulting does not conform: fails: Meets the")


# --- the commands -------------------------------------------------------------------------


def test_the_commands_from_draft_to_award(
    cli: Any, office: Office, monkeypatch: pytest.MonkeyPatch, engine_name: str
) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # tables fit the terminal: one wide enough for all

    def ok(*args: str) -> str:
        result = cli(*args)
        assert result.status == 0, result.err
        return str(result.out)

    code = "RFP-2027-02"
    # who runs the commands: the Unix account on SQLite (Dee Moss's); on PostgreSQL the
    # session user the server authenticated, "tester" (Ana Lopez's account)
    acting = current_account() if engine_name == "sqlite" else "tester"
    runner = "Ana Lopez"
    if acting != "tester":
        runner = add_person(office.ana, "Dee Moss", account=acting).name
    ok("solicitation", "add", code, "--program", "ERP", "--title", "Help desk", "--issued",
       "2026-10-01", "--questions-due", "2026-10-10", "--bids-due", "2026-11-01")  # fmt: skip
    assert ok("solicitation", "criterion", code, "Service", "70.0").endswith("weight 70\n")
    ok("solicitation", "criterion", code, "Price", "30", "--price")
    assert ok("solicitation", "item", code, "24x7 cover") == (
        f"requirement #1 on {code}: 24x7 cover\n"
    )
    ok("solicitation", "member", code, runner)
    ok("solicitation", "status", code, "issued")
    assert ok("bid", "add", code, "Acme", "--price", "50000", "--received", "2026-10-20") == (
        f"bid #1 from Acme Systems on {code}: price 50000.00, received 2026-10-20\n"
    )
    ok("bid", "add", code, "Bolt", "--price", "40000", "--received", "2026-10-21")
    item = json.loads(ok("solicitation", "show", code, "--format", "json"))["items"][0]["id"]
    ok("bid", "check", code, "Acme", str(item), "--pass")
    ok("bid", "check", code, "Bolt", str(item), "--fail", "--note", "business hours only")
    ok("solicitation", "status", code, "evaluating")
    listed = ok("bid", "list", code)
    assert "Bolt Consulting does not conform: fails: 24x7 cover (business hours only)" in listed
    ok("bid", "score", code, "Acme", "Service", "7", "--comment", "good plan")
    assert "Acme Systems  Service    7      good plan" in ok("bid", "scores", code)
    sealed = ok("bid", "rank", code)
    assert f"scores sealed: waiting for {acting} to commit" in sealed
    assert "committed" in ok("bid", "commit", code)
    assert "revealed 1 score" in ok("bid", "reveal", code)
    ranked = ok("bid", "rank", code)
    assert "Acme Systems" in ranked and "not ranked: Bolt Consulting" in ranked
    assert "price score = lowest conforming price / bid price x 10" in ranked
    ranking = json.loads(ok("bid", "rank", code, "--format", "json"))
    assert [(r["vendor"], r["total"]) for r in ranking["ranking"]] == [("Acme Systems", "7.9000")]
    entered = json.loads(ok("bid", "list", code, "--format", "json"))
    assert [(b["vendor"], b["price"], b["conforming"]) for b in entered] == [
        ("Acme Systems", "50000.00", True),
        ("Bolt Consulting", "40000.00", False),
    ]
    out = ok("award", code, "Acme", "--reason", "Only conforming bid", "--contract", "C-77",
             "--start", "2027-01-01", "--end", "2027-12-31")  # fmt: skip
    assert out.startswith(f"{code} awarded to Acme Systems (ranked 1): decision ")
    assert "contract C-77, ceiling 50000.00" in out  # as contract list writes amounts
    shown = ok("solicitation", "show", code)
    assert "awarded" in shown and "C-77" in shown
    listed = json.loads(ok("solicitation", "list", "--format", "json"))
    assert [(s["code"], s["status"], s["contract"]) for s in listed] == [(code, "awarded", "C-77")]


def test_a_command_refusal_is_one_line_with_its_field(cli: Any, office: Office) -> None:
    result = cli("solicitation", "add", "RFP-3", "--program", "ERP", "--title", "X",
                 "--issued", "2026-10-05", "--questions-due", "2026-10-01")  # fmt: skip
    assert (result.status, result.err) == (
        2,
        "docket: questions due: expected a day on or after issued (2026-10-05), got 2026-10-01\n",
    )
    result = cli("bid", "score", "RFP-3", "Acme", "Technical", "7")
    assert result.status == 2 and "no solicitation 'RFP-3'" in result.err


def test_the_committee_and_criteria_commands(cli: Any, office: Office) -> None:
    _draft(office.ana)
    code = "RFP-2027-01"
    result = cli("solicitation", "criterion", code, "Support", "10")
    assert (result.status, result.out) == (0, "criterion Support (#1) weight 10\n")
    assert cli("solicitation", "criterion", code, "Support", "--remove").status == 0
    assert (
        cli("solicitation", "member", code, "Bo Chen", "--conflict", "Owns Bolt shares").status == 0
    )
    shown = cli("solicitation", "show", code).out
    assert "Bo Chen (bchen), not committed; conflict declared: Owns Bolt shares" in shown
    assert "criteria:\nconformance checklist:\ncommittee:" in shown
    assert cli("solicitation", "member", code, "Bo Chen", "--remove").status == 0
    assert "Bo Chen" not in cli("solicitation", "show", code).out
    # a conflict is declared by the member themselves: the runner is no member here
    result = cli("solicitation", "conflict", code, "None")
    assert result.status == 1 and "is not on the committee of RFP-2027-01" in result.err
    result = cli("solicitation", "status", code, "cancelled")
    assert (result.status, result.err) == (
        2,
        "docket: reason: say why the solicitation is cancelled\n",
    )
    result = cli("solicitation", "status", code, "cancelled", "--reason", "Merged into RFP-9")
    assert (result.status, result.out) == (0, "RFP-2027-01 cancelled\n")
    result = cli("solicitation", "edit", code, "--title", "Again")
    assert result.status == 2
    assert result.err == (
        "docket: status: solicitation RFP-2027-01 is cancelled; you can change it only while "
        "it is draft or issued\n"
    )


def test_a_member_declares_their_own_conflict(office: Office) -> None:
    found = _issued(office.ana)
    member = committee.declare_conflict(office.bo, found.code, "Sister-in-law at Acme")
    assert (member.account, member.conflict) == ("bchen", "Sister-in-law at Acme")
    facts = {m["account"]: m["conflict"] for m in committee.member_facts(found)}
    assert facts == {"bchen": "Sister-in-law at Acme", "tester": ""}


def test_help_lists_the_commands(cli: Any) -> None:
    listed = cli("--help").out
    assert all(name in listed for name in ("solicitation", "bid", "award"))
    assert "--not-top" in cli("award", "--help").out
