"""Vendor performance: service levels, scorecards at their edges (overlap, dates, levels),
the overall score, trend and "below target" with the config's thresholds, a vendor's
record; the commands; the digest's sections on proposals, solicitations and scorecards
(golden files, and left out when there is nothing); Today's scores owed and bids due."""

from __future__ import annotations

import json
import os
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from golden_support import matches_golden

from docket.exports.digests import digest as written
from docket.models.audit.history import history
from docket.models.comms.digest import build_digest
from docket.models.contractors import contracts, performance
from docket.models.core import records
from docket.models.core.context import Context
from docket.models.core.database import write
from docket.models.core.errors import NotFoundError, ValidationError
from docket.models.core.schema import Person
from docket.models.core.schema_selection import (
    Bid,
    CommitteeMember,
    Criterion,
    Proposal,
    ProposalScore,
    Scorecard,
    Solicitation,
)
from docket.models.overview.today import build_today, sections, today_facts
from docket.models.people.persons import add_person
from docket.models.portfolio.programs import add_program, get_program

GOLDEN = Path(__file__).parent / "golden" / "digest"


@pytest.fixture
def office(db_path: Path, ctx: Context) -> Context:
    add_program(ctx, "ERP", "ERP replacement")
    add_program(ctx, "WEB", "Website")
    add_person(ctx, "Ana Lopez", email="ana@city.example", account="tester")
    contracts.add_vendor(ctx, "Acme Consulting")
    contracts.add_vendor(ctx, "Birch Data")
    contracts.add_contract(
        ctx, "C-1", vendor="acme", program="ERP", start="2025-01-01", end="2027-12-31",
        ceiling="100000",
    )  # fmt: skip
    contracts.add_contract(
        ctx, "C-2", vendor="birch", program="WEB", start="2026-01-01", end="2026-12-31",
        ceiling="50000",
    )  # fmt: skip
    performance.add_service_level(ctx, "C-1", "Availability", target="99.5 %")
    performance.add_service_level(ctx, "C-1", "Response time", target="4 h")
    return ctx


def _card(ctx: Context, start: str, end: str, *aspects: int, **more: Any) -> Any:
    q, t, c, r = aspects
    return performance.add_scorecard(
        ctx, more.pop("contract", "C-1"), start=start, end=end, quality=q, timeliness=t,
        cost_control=c, responsiveness=r, **more,
    )  # fmt: skip


# --- service levels ------------------------------------------------------------------------


def test_service_levels_are_listed_renamed_and_unique_per_contract(office: Context) -> None:
    assert [(s["name"], s["target"]) for s in performance.service_levels("C-1")] == [
        ("Availability", "99.5 %"),
        ("Response time", "4 h"),
    ]
    with pytest.raises(ValidationError, match="has a service level named 'availability'"):
        performance.add_service_level(office, "C-1", "availability")
    performance.add_service_level(office, "C-2", "Availability")  # another contract: fine
    performance.update_service_level(office, "C-1", "response time", target="2 h")
    assert performance.service_levels("C-1")[1]["target"] == "2 h"
    with pytest.raises(ValidationError, match="named 'Availability' already"):
        performance.update_service_level(office, "C-1", "Response time", name="Availability")
    with pytest.raises(NotFoundError, match="has none named 'Uptime'"):
        performance.update_service_level(office, "C-1", "Uptime", target="x")


# --- scorecards ----------------------------------------------------------------------------


def test_overall_is_the_mean_of_the_four_aspects_and_levels_total_defaults(
    office: Context,
) -> None:
    made = _card(office, "2026-01-01", "2026-03-31", 4, 3, 4, 4, levels_met=2)
    assert (made.levels_met, made.levels_total) == (2, 2)  # the contract's two levels
    row = performance.scorecards("C-1")[0]
    assert row["overall"] == "3.75" and row["levels_percent"] == "100.0"
    assert row["trend"] == dict.fromkeys(
        ("quality", "timeliness", "cost_control", "responsiveness", "overall"), "new"
    )
    assert not row["below_target"] and row["why"] == ""
    # not counted: no levels met given, the total still the contract's
    later = _card(office, "2026-04-01", "2026-06-30", 5, 5, 5, 5)
    assert (later.levels_met, later.levels_total) == (None, 2)
    assert performance.overall(later) == 5


def test_scorecard_periods_may_not_overlap_nor_leave_the_contract_nor_be_future(
    office: Context,
) -> None:
    _card(office, "2026-01-01", "2026-03-31", 3, 3, 3, 3)
    with pytest.raises(ValidationError, match=r"2026-01-01 to 2026-03-31 already \(#1\)"):
        _card(office, "2026-03-31", "2026-04-30", 3, 3, 3, 3)  # one shared day
    _card(office, "2026-04-01", "2026-04-30", 3, 3, 3, 3)  # the day after: fine
    with pytest.raises(ValidationError, match="within contract C-2's dates"):
        _card(office, "2025-12-01", "2026-01-31", 3, 3, 3, 3, contract="C-2")
    with pytest.raises(ValidationError, match="within contract C-2's dates"):
        _card(office, "2026-11-01", "2027-01-31", 3, 3, 3, 3, contract="C-2")
    with pytest.raises(ValidationError, match="a period that has begun"):
        _card(office, "2026-11-24", "2026-11-30", 3, 3, 3, 3)
    with pytest.raises(ValidationError, match="on or after the start"):
        _card(office, "2026-06-30", "2026-06-01", 3, 3, 3, 3)


@pytest.mark.parametrize(
    ("aspects", "more", "field"),
    [
        ((0, 3, 3, 3), {}, "quality"),
        ((3, 6, 3, 3), {}, "timeliness"),
        ((3, 3, 3, 3), {"levels_met": 3}, "levels-met"),  # more than the 2 levels
        ((3, 3, 3, 3), {"levels_met": -1}, "levels-met"),
        ((3, 3, 3, 3), {"levels_met": 1, "levels_total": "x"}, "levels-total"),
    ],
)
def test_scorecard_values_are_checked(
    office: Context, aspects: tuple[int, int, int, int], more: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        _card(office, "2026-01-01", "2026-03-31", *aspects, **more)
    assert refused.value.field == field


def test_levels_met_on_a_contract_without_levels_needs_a_total(office: Context) -> None:
    with pytest.raises(ValidationError, match="C-2 has no service levels"):
        _card(office, "2026-01-01", "2026-03-31", 3, 3, 3, 3, contract="C-2", levels_met=1)
    made = _card(
        office, "2026-01-01", "2026-03-31", 3, 3, 3, 3, contract="C-2", levels_met=1,
        levels_total=4,
    )  # fmt: skip
    assert (made.levels_met, made.levels_total) == (1, 4)


def test_trend_and_below_target_at_the_thresholds(office: Context) -> None:
    _card(office, "2026-01-01", "2026-03-31", 4, 3, 4, 4, levels_met=2)
    _card(office, "2026-04-01", "2026-06-30", 3, 3, 3, 3, levels_met=2)  # exactly 3.0: on
    _card(office, "2026-07-01", "2026-09-30", 3, 4, 2, 2, levels_met=1)  # 2.75, 50 %
    _, second, third = performance.scorecards("acme")
    assert second["trend"] == {
        "quality": "down",
        "timeliness": "same",
        "cost_control": "down",
        "responsiveness": "down",
        "overall": "down",
    }
    assert not second["below_target"]
    assert third["trend"]["timeliness"] == "up"
    assert third["below_target"]
    assert third["why"] == "overall 2.75 under 3; service levels 1 of 2 (50 %) under 90 %"
    # the same service levels met at 9 of 10 (90 %) is on target
    card = records.get(Scorecard, third["id"])
    card.levels_met, card.levels_total = 9, 10  # not saved: the rule on its own
    assert performance.below_target_reasons(card, performance.Targets()) == ["overall 2.75 under 3"]


def test_the_thresholds_are_the_configs(office: Context) -> None:
    config = Path(os.environ["DOCKET_CONFIG"])
    config.write_text(config.read_text() + "scorecard_below = 4\nservice_levels_below = 50\n")
    assert performance.targets() == performance.Targets(Decimal("4"), Decimal("50"))
    _card(office, "2026-01-01", "2026-03-31", 4, 3, 4, 4, levels_met=1)
    row = performance.scorecards("C-1")[0]
    assert row["why"] == "overall 3.75 under 4"  # 50 % met is not under 50 %


def test_a_bad_threshold_in_the_config_is_refused(office: Context) -> None:
    from docket.models.core.errors import DatabaseError

    config = Path(os.environ["DOCKET_CONFIG"])
    config.write_text(config.read_text() + 'scorecard_below = "low"\n')
    with pytest.raises(DatabaseError, match="scorecard_below must be a number"):
        performance.targets()


def test_a_scorecard_is_audited(office: Context) -> None:
    made = _card(office, "2026-01-01", "2026-03-31", 4, 3, 4, 4)
    entries = history("scorecard", made.id)
    assert [(e.action, e.actor) for e in entries] == [("create", "tester")]


def test_a_vendors_record_spans_its_contracts_oldest_first(office: Context) -> None:
    assert performance.record_summary(performance.vendor_record("acme")) == "no scorecards yet"
    contracts.add_contract(
        office, "C-3", vendor="acme", program="WEB", start="2026-01-01", end="2026-12-31",
        ceiling="1000",
    )  # fmt: skip
    _card(office, "2026-04-01", "2026-06-30", 2, 2, 3, 3, contract="C-3")
    _card(office, "2026-01-01", "2026-03-31", 4, 4, 4, 4)
    record = performance.vendor_record("Acme")
    assert [(r["contract"], r["start"]) for r in record["scorecards"]] == [
        ("C-1", "2026-01-01"),
        ("C-3", "2026-04-01"),
    ]
    assert record["latest"] is not None and record["latest"]["contract"] == "C-3"
    assert (record["contracts"], record["mean_overall"], record["below_target"]) == (2, "3.25", 1)
    # each contract's trend is its own: C-3's first card is new, not down from C-1's
    assert record["scorecards"][1]["trend"]["overall"] == "new"
    assert performance.record_summary(record).startswith("latest 2.50 on C-3 for 2026-04-01")


# --- commands ------------------------------------------------------------------------------


def test_the_commands(office: Context, cli: Any) -> None:
    assert cli("contract", "level", "add", "C-2", "Uptime", "--target", "99 %").out == (
        "service level #3 on C-2: Uptime (target 99 %)\n"
    )
    assert "Uptime" in cli("contract", "level", "list", "C-2").out
    edited = cli("contract", "level", "edit", "C-2", "uptime", "--target", "99.9 %")
    assert edited.status == 0, edited.err
    added = cli(
        "vendor", "scorecard", "add", "C-1", "--from", "2026-01-01", "--to", "2026-03-31",
        "--quality", "4", "--timeliness", "3", "--cost-control", "4", "--responsiveness", "4",
        "--levels-met", "2",
    )  # fmt: skip
    assert added.out == "1: C-1 2026-01-01 to 2026-03-31, overall 3.75\n"
    low = cli(
        "vendor", "scorecard", "add", "C-1", "--from", "2026-04-01", "--to", "2026-06-30",
        "--quality", "3", "--timeliness", "2", "--cost-control", "3", "--responsiveness", "3",
        "--levels-met", "1", "--note", "slow tickets",
    )  # fmt: skip
    assert "below target: overall 2.75 under 3; service levels 1 of 2 (50 %)" in low.out
    table = cli("vendor", "scorecard", "list", "acme").out.splitlines()
    assert table[0].split()[:6] == ["id", "contract", "start", "end", "qual", "time"]
    assert table[2].split()[4:9] == ["3↓", "2↓", "3↓", "3↓", "2.75↓"]
    assert (
        table[-1]
        == "#2 below target: overall 2.75 under 3; service levels 1 of 2 (50 %) under 90 %"
    )
    rows = json.loads(cli("vendor", "scorecard", "list", "C-1", "--format", "json").out)
    assert [r["overall"] for r in rows] == ["3.75", "2.75"]
    shown = cli("vendor", "scorecard", "show", "acme").out
    assert "  timeliness:     2  ↓ down from the period before\n" in shown
    assert "  note: slow tickets\n" in shown
    vendor = cli("vendor", "show", "acme").out
    assert vendor.startswith("Acme Consulting (#1)\n")
    assert "record:     latest 2.75 on C-1 for 2026-04-01 to 2026-06-30 (below target" in vendor
    facts = json.loads(cli("vendor", "show", "acme", "--format", "json").out)[0]
    assert facts["record"]["mean_overall"] == "3.25"
    overlap = cli(
        "vendor", "scorecard", "add", "C-1", "--from", "2026-06-01", "--to", "2026-06-30",
        "--quality", "3", "--timeliness", "3", "--cost-control", "3", "--responsiveness", "3",
    )  # fmt: skip
    assert overlap.status == 2 and "periods may not overlap" in overlap.err
    assert cli("vendor", "scorecard", "show", "birch").out == "no scorecards\n"


def test_at_80_columns_no_score_or_reason_is_cut(
    office: Context, cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")  # the terminal's width, which tables fit
    for start, end, met in (("2026-01-01", "2026-03-31", 2), ("2026-04-01", "2026-06-30", 1)):
        _card(office, start, end, 3, 2, 3, 2, levels_met=met)
    out = cli("vendor", "scorecard", "list", "acme").out
    assert "…" not in out and max(len(line) for line in out.splitlines()) <= 80
    why = "overall 2.50 under 3; service levels 1 of 2 (50 %) under 90 %"
    assert f"#2 below target: {why}" in out.splitlines()


def test_levels_met_over_the_total_names_both(office: Context, cli: Any) -> None:
    refused = cli(
        "vendor", "scorecard", "add", "C-1", "--from", "2026-01-01", "--to", "2026-03-31",
        "--quality", "4", "--timeliness", "3", "--cost-control", "4", "--responsiveness", "4",
        "--levels-met", "2", "--levels-total", "0",
    )  # fmt: skip
    assert refused.status == 2
    assert "levels-met: 2 is more than levels-total (0)" in refused.err
    with pytest.raises(
        ValidationError, match=r"3 is more than contract C-1's service levels \(2\)"
    ):
        _card(office, "2026-01-01", "2026-03-31", 3, 3, 3, 3, levels_met=3)


# --- the digest's sections -----------------------------------------------------------------


def _choosing(ctx: Context) -> None:
    """Two proposals awaiting a decision, one decided; an open solicitation with its dates;
    a scorecard below target (the records the other parts of docket make, made directly)."""
    erp = get_program("ERP")
    with write():
        for code, title, status in (
            ("P-1", "Payroll upgrade", "submitted"),
            ("P-2", "Records portal", "in review"),
            ("P-3", "Old idea", "rejected"),
        ):
            records.create(ctx, Proposal, code=code, title=title, status=status, program=erp)
        records.create(
            ctx, Solicitation, code="RFP-1", program=erp, title="Data migration", status="issued",
            issued_on=date(2026, 11, 2), questions_due=date(2026, 11, 16),
            bids_due=date(2026, 11, 27), award_by=date(2026, 12, 18),
        )  # fmt: skip
    _card(ctx, "2026-07-01", "2026-09-30", 3, 2, 3, 2, levels_met=1)


@pytest.mark.parametrize("fmt", ["md", "txt", "json"])
def test_a_digest_with_proposals_solicitations_and_scorecards(office: Context, fmt: str) -> None:
    _choosing(office)
    made = build_digest(office, program="ERP")
    keys = [s.key for s in made.sections]
    assert keys[-3:] == ["proposals", "solicitations", "scorecards"]
    matches_golden(GOLDEN / f"choosing-week.{fmt}", written.render(made, fmt))


def test_the_selection_sections_are_left_out_when_they_have_nothing(office: Context) -> None:
    keys = [s.key for s in build_digest(office).sections]
    assert not {"proposals", "solicitations", "scorecards"} & set(keys)
    _choosing(office)
    # another program's digest has none of ERP's
    assert "proposals" not in [s.key for s in build_digest(office, program="WEB").sections]


def test_proposals_wait_from_their_last_change_of_status(office: Context) -> None:
    _choosing(office)
    later = Context(actor="tester", tz=office.tz, clock=lambda: office.now().replace(day=25))
    with write():
        first = Proposal.get(Proposal.code == "P-1")
        records.update(later, first, first.version, status="in review")
    made = build_digest(later, program="ERP")
    rows = next(s for s in made.sections if s.key == "proposals").facts["awaiting"]["items"]
    assert [(r["code"], r["since"], r["days_waiting"]) for r in rows] == [
        ("P-2", "2026-11-23", 2),
        ("P-1", "2026-11-25", 0),
    ]


# --- Today ---------------------------------------------------------------------------------


def _committee(ctx: Context, committed: str = "") -> None:
    erp = get_program("ERP")
    with write():
        for name in ("Fit", "Cost"):
            records.create(ctx, Criterion, name=name, weight="0.5")
        records.create(ctx, Criterion, name="Retired", weight="0", active=False)
        p = records.create(ctx, Proposal, code="P-9", title="Scan archive", status="in review")
        records.create(
            ctx, ProposalScore, proposal=p, criterion=Criterion.get(Criterion.name == "Fit"),
            reviewer="tester", score=7,
        )  # fmt: skip
        s = records.create(
            ctx, Solicitation, code="RFP-9", program=erp, title="Help desk", status="evaluating",
            award_by=date(2026, 12, 4),
        )  # fmt: skip
        ana = Person.get(Person.account == "tester")
        records.create(
            ctx, CommitteeMember, solicitation=s, person=ana, account="tester", commitment=committed
        )
        due = records.create(
            ctx, Solicitation, code="RFQ-2", program=erp, title="Laptops", kind="RFQ",
            status="issued", bids_due=date(2026, 11, 27),
        )  # fmt: skip
        records.create(ctx, Bid, solicitation=due, vendor=contracts.find_vendor("acme"), price=10)
        records.create(
            ctx, Solicitation, code="RFQ-3", program=erp, title="Later", status="issued",
            bids_due=date(2026, 12, 1),
        )  # fmt: skip


def test_today_lists_the_scores_i_owe_and_the_bids_due_this_week(office: Context) -> None:
    _committee(office)
    facts = today_facts(build_today(office))
    assert facts.get("scores_owed") == [
        {
            "kind": "proposal",
            "text": "P-9 Scan archive: you scored 1 of 2 criteria",
            "days": 0,
            "code": "P-9",
            "record_kind": "proposal",
        },
        {
            "kind": "solicitation",
            "text": "RFP-9 Help desk (ERP): your scores are not committed; award by Fri 04 Dec",
            "days": 11,
            "code": "RFP-9",
            "record_kind": "solicitation",
        },
    ]
    assert facts.get("bids_due") == [
        {
            "kind": "bids due",
            "text": "RFQ-2 Laptops (ERP): bids due Fri 27 Nov, 1 bid in",
            "days": 4,
            "code": "RFQ-2",
            "record_kind": "solicitation",
        }
    ]
    assert facts["counts"]["scores_owed"] == 2 and facts["counts"]["bids_due"] == 1
    titles = [s.title for s in sections(facts)]
    assert titles[-2:] == ["Scores you owe", "Bids due this week"]
    # scoped to another program: the proposal without a program and ERP's are not WEB's
    assert "scores_owed" not in today_facts(build_today(office, program="WEB"))


def test_nothing_owed_once_scored_and_committed(office: Context) -> None:
    _committee(office, committed="ab" * 32)
    with write():
        records.create(
            office, ProposalScore, proposal=Proposal.get(Proposal.code == "P-9"),
            criterion=Criterion.get(Criterion.name == "Cost"), reviewer="tester", score=5,
        )  # fmt: skip
    facts = today_facts(build_today(office))
    assert "scores_owed" not in facts and "scores_owed" not in facts["counts"]


def test_today_without_any_of_it_is_as_it_was(office: Context, cli: Any) -> None:
    facts = json.loads(cli("today", "--format", "json").out)
    assert "scores_owed" not in facts and "bids_due" not in facts
    assert "scores_owed" not in facts["counts"]
    assert "Scores you owe" not in cli("today").out


def test_today_prints_the_new_sections(office: Context, cli: Any) -> None:
    _committee(office)
    out = cli("today").out  # as this process's own account, not "tester"
    assert "\nScores you owe: 1\n" in out
    assert "P-9 Scan archive: you scored 0 of 2 criteria" in out
    assert "RFQ-2 Laptops (ERP): bids due Fri 27 Nov, 1 bid in" in out


async def test_the_apps_today_shows_them_and_a_bid_leads_to_contractors(
    office: Context, db_path: Path, make_app: Any
) -> None:
    from textual.widgets import OptionList
    from tui_support import settle

    from docket.models.core.schema import database

    _committee(office)
    database.close()
    async with make_app(db_path).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        listing = pilot.app.screen.query_one(OptionList)
        prompts = [str(o.prompt) for o in listing.options]
        assert "Scores you owe (2)" in prompts and "Bids due this week (1)" in prompts
        assert any("RFQ-2 Laptops (ERP): bids due Fri 27 Nov, 1 bid in" in p for p in prompts)
        bid = next(i for i, o in enumerate(listing.options) if str(o.id).endswith(":bids_due"))
        listing.highlighted = bid + 1  # the line under the heading
        await pilot.press("enter")
        await settle(pilot)
        assert pilot.app.screen.MODE == "contractors"  # type: ignore[attr-defined]
