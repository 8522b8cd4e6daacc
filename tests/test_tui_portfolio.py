"""Portfolio in the app (key 9): proposals with value, cost and NPV, the ranking with its
spread, the selection against the budget, the frontier drawn in text; adding, scoring and
deciding a proposal from the screen.

Pilot tests drive the real app at the fixed clock (Mon 23 Nov 2026) on a small office built
here through the domain operations (three criteria, three reviewers, seven proposals).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from rich.console import Console
from textual.widgets import DataTable, Input, Label, Select, Static, TextArea
from tui_support import pressing, settle, shown, type_text

from docket.models.core.context import Context
from docket.models.core.database import connect, database
from docket.models.governance.budget import add_budget_line
from docket.models.governance.decisions import decision_facts, get_decision
from docket.models.people.persons import add_person
from docket.models.portfolio import criteria, funding, proposals, scoring
from docket.models.portfolio.analysis import FrontierFacts
from docket.models.portfolio.programs import add_program
from docket.models.portfolio.proposals import get_proposal
from docket.models.portfolio.scoring import list_scores
from docket.tui.app import DocketApp
from docket.tui.forms.base import RecordForm
from docket.tui.forms.portfolio import ProposalDetailScreen
from docket.tui.screens.portfolio import PortfolioScreen
from docket.tui.widgets.frontier import axis_values, frontier_chart, short_amount, short_amounts
from docket.tui.widgets.history_panel import HistoryPanel

MakeApp = Callable[[Path], DocketApp]
NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
ZONE = ZoneInfo("America/Chicago")

# code, title, status, mandatory, {fiscal year: (capital, operating, savings, avoidance)}
PROPOSALS = (
    ("P-01", "Online permit renewals", "in review", False,
     {2027: ("250000", "40000", "0", "0"), 2028: ("0", "40000", "180000", "30000"),
      2029: ("0", "40000", "220000", "30000")}),
    ("P-02", "Records retention system", "in review", True,
     {2027: ("120000", "20000", "0", "10000"), 2028: ("0", "20000", "0", "60000")}),
    ("P-03", "Citizen portal redesign", "submitted", False,
     {2027: ("400000", "60000", "0", "0"), 2028: ("0", "60000", "150000", "100000")}),
    ("P-04", "Fleet telematics", "in review", False,
     {2027: ("90000", "15000", "40000", "0"), 2028: ("0", "15000", "70000", "0")}),
    ("P-05", "Data warehouse [bold]refresh[/]", "submitted", False,
     {2027: ("300000", "50000", "0", "0"), 2028: ("0", "50000", "90000", "90000")}),
    ("P-06", "Timesheet mobile app", "draft", False,
     {2027: ("60000", "10000", "0", "0")}),
    ("P-07", "Legacy mainframe exit", "rejected", False,
     {2027: ("900000", "0", "0", "0")}),
)  # fmt: skip
# reviewer -> proposal -> (alignment, citizen impact, risk reduction)
SCORES = {
    "tester": {"P-01": (8, 7, 5), "P-02": (6, 4, 9), "P-03": (7, 9, 3), "P-04": (5, 3, 6)},
    "ana": {"P-01": (9, 8, 6), "P-02": (5, 5, 8), "P-03": (4, 9, 2), "P-05": (6, 4, 5)},
    "raj": {"P-01": (7, 6, 4), "P-02": (7, 3, 10), "P-04": (6, 2, 7), "P-05": (8, 5, 6)},
}
CRITERIA = (
    ("Alignment", "0.5", "strategic alignment"),
    ("Citizen impact", "0.3", "how many residents it helps, how much"),
    ("Risk reduction", "0.2", "risk it takes away"),
)


def as_account(account: str) -> Context:
    return Context(actor=account, tz=ZONE, clock=lambda: NOW)


def build_office(path: Path) -> None:
    """Criteria, a program, people and seven proposals with their cases and scores."""
    connect(path)
    ctx = as_account("tester")
    add_person(ctx, "Mara Lind", email="mara@example.org", account="mara")
    add_person(ctx, "Jon Park", email="jon@example.org")
    add_program(ctx, "ERP", "Enterprise systems", owner="Mara Lind")
    # the portfolio's budget: FY2027 800k, FY2028 150k
    for year, amount in ((2027, "800000"), (2028, "150000")):
        add_budget_line(
            ctx, program="ERP", year=year, kind="capital", name="New work", amount=amount
        )
    for name, weight, description in CRITERIA:
        criteria.add_criterion(ctx, name, description, weight)
    for code, title, status, mandatory, years in PROPOSALS:
        proposals.add_proposal(
            ctx, code, title, program="ERP", sponsor="Jon Park", mandatory=mandatory
        )
        for year, (capital, operating, savings, avoidance) in years.items():
            proposals.set_year(
                ctx, code, year, capital=capital, operating=operating, savings=savings,
                avoidance=avoidance,
            )  # fmt: skip
        if status != "draft":
            proposals.move(ctx, code, "submitted", "ready for the committee")
        if status in ("in review", "rejected"):
            proposals.move(ctx, code, "in review", "complete case")
    for account, given in SCORES.items():
        reviewer = as_account(account)
        for code, scores in given.items():
            for (name, _, _), score in zip(CRITERIA, scores, strict=True):
                scoring.score_proposal(reviewer, code, name, score, "as discussed")
    funding.decide(ctx, "P-07", "rejected", "cost out of reach this cycle")
    database.close()


@pytest.fixture
def office(db_path: Path) -> Path:
    build_office(db_path)
    return db_path


def screen_of(app: DocketApp) -> PortfolioScreen:
    screen = app.get_screen("portfolio") if app.screen.is_modal else app.screen
    assert isinstance(screen, PortfolioScreen)
    return screen


def chart_lines(points: list[FrontierFacts], width: int, height: int) -> list[str]:
    console = Console(width=width + 5, color_system=None)
    with console.capture() as captured:
        console.print(frontier_chart(points, width, height))
    return captured.get().rstrip("\n").split("\n")


# --- the frontier drawn in text -----------------------------------------------------------


def test_amounts_on_an_axis_are_short() -> None:
    assert [short_amount(Decimal(n)) for n in (0, 950, 12000, 1_250_000, 34_000_000_000)] == [
        "0",
        "950",
        "12k",
        "1.2M",
        "34B",
    ]


def test_amounts_side_by_side_never_read_the_same() -> None:
    def pair(a: str, b: str) -> list[str]:
        return short_amounts([Decimal(a), Decimal(b)])

    assert pair("10740000", "11150000") == ["10.74M", "11.15M"]  # not 11M of 11M
    assert pair("10741000", "10742000") == ["10.741M", "10.742M"]
    assert pair("780000", "800000") == ["780k", "800k"]
    assert pair("500", "950.50") == ["500.0", "950.5"]


def test_the_value_axis_has_one_format() -> None:
    assert axis_values([Decimal("1163"), Decimal("581.5"), Decimal(0)]) == ["1163", "582", "0"]
    assert axis_values([Decimal("8.5"), Decimal("4.25"), Decimal(0)]) == ["8.5", "4.2", "0.0"]
    assert axis_values([Decimal("1200000"), Decimal("600000"), Decimal(0)]) == [
        "1.2M", "0.6M", "0.0M",
    ]  # fmt: skip


def test_the_frontier_is_a_staircase_with_the_chosen_point_marked() -> None:
    points: list[FrontierFacts] = [
        {"level": f"{level}", "budget": f"{budget}.00", "value": f"{value}", "spend": "0.00",
         "chosen": n, "optimal": True, "given": level == 1}
        for level, budget, value, n in ((0, 0, 0, 0), (1, 100_000, 5, 1), (2, 200_000, 10, 2))
    ]  # fmt: skip
    drawn = chart_lines(points, 40, 12)
    assert len(drawn) == 12
    # the top value on the first line, the highest point at the right end
    assert drawn[0].lstrip().startswith("10.0 ┤") and drawn[0].endswith("●")
    # the chosen budget buys the middle point: marked, and only it
    assert sum(line.count("◆") for line in drawn) == 1
    middle = next(line for line in drawn if "◆" in line)
    assert middle.startswith("  5.0 ┤")
    assert drawn[-3].startswith("  0.0 ┤●")
    assert drawn[-1].split() == ["0", "100k", "200k"]


def test_no_points_say_so() -> None:
    assert "No frontier" in frontier_chart([], 40, 10).plain


# --- the screen ----------------------------------------------------------------------------


async def test_the_proposals_list_shows_what_the_database_holds(
    office: Path, make_app: MakeApp
) -> None:
    async with make_app(office).run_test(size=(120, 40)) as pilot:
        await pilot.press("9")
        await settle(pilot)
        screen = screen_of(pilot.app)
        rows = screen.rows()
        cells = [str(c) for c in screen.query_one(DataTable).get_row_at(4)]
        await pilot.press("slash")
        await type_text(pilot, "permit")
        await settle(pilot)
        filtered = [r["code"] for r in screen.rows()]
    assert [r["code"] for r in rows] == [f"P-0{n}" for n in range(1, 8)]
    # user text is shown as typed, never as markup
    assert any("[bold]refresh[/]" in c for c in cells), cells
    assert filtered == ["P-01"]


async def test_the_ranking_shows_value_and_spread(office: Path, make_app: MakeApp) -> None:
    async with make_app(office).run_test(size=(120, 40)) as pilot:
        await pilot.press("9", "t")
        await settle(pilot)
        ranked = screen_of(pilot.app).rows()
    # every proposal, as `docket portfolio rank` lists them: unscored ones last, at 0
    codes = [r["code"] for r in ranked]
    assert codes == ["P-01", "P-02", "P-03", "P-05", "P-04", "P-06", "P-07"]
    assert [r["rank"] for r in ranked] == list(range(1, 8))
    first = ranked[0]
    # alignment 8, 9, 7 (mean 8); citizen 7, 8, 6 (7); risk 5, 6, 4 (5): 4 + 2.1 + 1
    assert (first["value"], first["spread"], first["reviewers"]) == ("7.1000", "0.82", 3)


async def test_the_selection_fits_the_budget_and_says_how_robust_it_is(
    office: Path, make_app: MakeApp
) -> None:
    async with make_app(office).run_test(size=(120, 40)) as pilot:
        await pilot.press("9", "t", "t")
        await settle(pilot)
        screen = screen_of(pilot.app)
        rows = screen.rows()
        summary = shown(screen.query_one("#summary", Static))
        await pilot.press("t")
        await settle(pilot)
        chart = shown(screen.query_one("#chart", Static))
    # P-02 is mandatory; with it, P-01 and P-05 are the best that fit FY2027's 800k
    assert [r["code"] for r in rows] == ["P-01", "P-02", "P-05"]
    assert "FY2027 780k of 800k (98 %) · FY2028 110k of 150k (73 %)" in summary, summary
    assert "Chosen: 3 of 5, value 19.05 · HiGHS" in summary
    assert "Always in: every one chosen · On the line: none · Never in: P-03, P-04" in summary
    assert chart.count("◆") == 2 and "the budget: value 19.05 for 950k (3 proposals)" in chart


async def test_a_proposal_is_added_scored_and_decided(office: Path, make_app: MakeApp) -> None:
    async with make_app(office).run_test(size=(120, 40)) as pilot:
        await pilot.press("9")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, RecordForm)
        await type_text(pilot, "p-08")
        form.set_values({"title": "Open data catalogue", "program": "ERP", "sponsor": "Jon Park"})
        await pilot.press("ctrl+s")
        await settle(pilot)
        screen = screen_of(pilot.app)
        codes = [r["code"] for r in screen.rows()]
        assert "P-08" in codes
        screen.query_one(DataTable).move_cursor(row=codes.index("P-08"))
        # submitted, with a reason
        await pilot.press("d")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, RecordForm)
        assert form.query_one("#field-status", Select).value == "submitted"
        form.query_one("#field-reason", TextArea).load_text("case complete")
        await pilot.press("ctrl+s")
        await settle(pilot)
        # scored by the acting reviewer: one field per active criterion
        await pilot.press("s")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, RecordForm)
        assert [f.label for f in form.fields] == [*(c[0] for c in CRITERIA), "Comment"]
        # each criterion's name reads whole on one line, not broken mid-word
        labels = list(form.query(".field-label").results(Label))
        named = zip(labels, form.fields, strict=True)
        assert all(label.size.width >= len(field.label) for label, field in named)
        ids = [f.name for f in form.fields]
        form.query_one(f"#field-{ids[0]}", Input).value = "11"
        await pilot.press("ctrl+s")
        await settle(pilot)
        # out of the scale: refused under the field, nothing saved
        assert pilot.app.screen is form
        hint = shown(form.query_one(f"#hint-{ids[0]}", Static))
        assert hint == "Alignment: expected at most 10, got 11", hint
        form.set_values({ids[0]: "9", ids[1]: "6", ids[2]: "", "comment": "strong case"})
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, PortfolioScreen)
        # in review, then approved
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, RecordForm)
        assert form.query_one("#field-status", Select).value == "approved"
        await pilot.press("ctrl+s")
        await settle(pilot)
        # a decision needs its reason
        assert pilot.app.screen is form
        assert "reason" in shown(form.query_one("#hint-reason", Static))
        form.query_one("#field-reason", TextArea).load_text("best value for its cost")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, PortfolioScreen)
        row = next(r for r in screen_of(pilot.app).rows() if r["code"] == "P-08")
        # decided: final
        await pilot.press("d")
        await settle(pilot)
        said = [n.message for n in pilot.app._notifications]
    assert row["status"] == "approved"
    assert "Proposal P-08 is approved: that is final." in said
    connect(office)
    mine = [(s["criterion"], s["score"], s["comment"]) for s in list_scores(proposal="P-08")]
    assert mine == [("Alignment", 9, "strong case"), ("Citizen impact", 6, "strong case")]
    assert {s["reviewer"] for s in list_scores(proposal="P-08")} == {"tester"}
    proposal = get_proposal("P-08")
    assert (proposal.status, proposal.reason, proposal.sponsor.name) == (
        "approved",
        "best value for its cost",
        "Jon Park",
    )
    decision = decision_facts(get_decision(proposal.decision.id))
    assert decision["title"].startswith("Proposal P-08 approved")
    assert "Analysis used: ranking by value" in decision["rationale"]


async def test_the_detail_shows_the_business_case_and_history(
    office: Path, make_app: MakeApp
) -> None:
    async with make_app(office).run_test(size=(120, 40)) as pilot:
        await pilot.press("9")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        detail = pilot.app.screen
        assert isinstance(detail, ProposalDetailScreen)
        text = "\n".join(shown(s) for s in detail.query(Static))
    assert "P-01 Online permit renewals" in text or "Online permit renewals" in text
    # the year-by-year table: FY2028 net 170000.00, discounted by 1/1.03
    assert "FY2028" in text and "170000.00" in text and "0.9708737864" in text
    assert "NPV" in text and "sensitivity" in text
    assert "in review: complete case" in text
    assert "tester" in text  # the history names who changed it


async def test_a_year_of_the_case_is_set_from_the_detail_and_a_draft_is_not_scored(
    office: Path, make_app: MakeApp
) -> None:
    async with make_app(office).run_test(size=(80, 24)) as pilot:
        await pilot.press("9")
        await settle(pilot)
        screen = screen_of(pilot.app)
        codes = [r["code"] for r in screen.rows()]
        screen.query_one(DataTable).move_cursor(row=codes.index("P-06"))
        await pilot.press("s")
        await settle(pilot)
        said = [n.message for n in pilot.app._notifications]
        assert isinstance(pilot.app.screen, PortfolioScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ProposalDetailScreen)
        await pilot.press("y")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, RecordForm)
        form.set_values({"fiscal_year": "2028", "operating": "12000", "savings": "30000"})
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, PortfolioScreen)
        row = next(r for r in screen.rows() if r["code"] == "P-06")
    assert "Proposal P-06 is draft: proposals are scored while submitted or in review." in said
    # FY2027 70000 of costs, FY2028 12000 of costs and 30000 of savings
    assert (row["costs"], row["benefits"]) == ("82000.00", "30000.00")


async def test_h_shows_the_history_of_the_proposal_under_the_cursor(
    office: Path, make_app: MakeApp
) -> None:
    async with make_app(office).run_test(size=(80, 24)) as pilot:
        await pilot.press("9", "t")
        await settle(pilot)
        first = screen_of(pilot.app).rows()[0]
        await pilot.press("h")
        await settle(pilot)
        panel = pilot.app.screen
        assert isinstance(panel, HistoryPanel)
        title = panel.title_text
    connect(office)
    assert (first["code"], title) == ("P-01", f"proposal #{get_proposal('P-01').id}")


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pytest.mark.parametrize(
    "keys",
    [["9"], ["9", "t"], ["9", "t", "t"], ["9", "t", "t", "t"], ["9", "enter"], ["9", "s"]],
    ids=["proposals", "ranking", "selection", "frontier", "detail", "scoring"],
)
def test_portfolio_looks_right(
    snap_compare: Any, office: Path, make_app: MakeApp, keys: list[str], size: tuple[int, int]
) -> None:
    assert snap_compare(make_app(office), terminal_size=size, run_before=pressing(keys))
