"""Sourcing in the app: the Contractors screen's fourth view (key 6, ``t`` three times)
lists the solicitations; Enter opens one (dates, criteria, checklist, committee, bids with
conformance and past performance, the ranking once revealed), where the acting member
scores, commits and reveals, and the solicitation is awarded.

Pilot tests drive the real app at the fixed clock (Mon 23 Nov 2026) on a small office built
here through the domain operations: one solicitation being evaluated, with two bids and a
committee of one (the acting account, ``tester``), and a draft beside it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Static
from tui_support import pressing, settle, shown, type_text

from docket.models.contractors.contracts import add_vendor, find_contract
from docket.models.core.context import Context
from docket.models.core.database import connect, database
from docket.models.core.schema_selection import CommitteeMember, Solicitation
from docket.models.people.persons import add_person
from docket.models.portfolio.programs import add_program
from docket.models.sourcing import bids, committee, criteria
from docket.models.sourcing import solicitations as sol
from docket.tui.app import DocketApp
from docket.tui.forms.base import RecordForm
from docket.tui.forms.sourcing import SolicitationDetail
from docket.tui.screens.contractors import ContractorsScreen
from docket.tui.widgets.dialogs import ConfirmDialog, ErrorDialog
from docket.tui.widgets.history_panel import HistoryPanel

MakeApp = Callable[[Path], DocketApp]
CODE = "RFP-2027-01"
# the keys that reach the sourcing view, and open the solicitation under the cursor
SOURCING = ["6", "t", "t", "t"]


def build_office(path: Path, ctx: Context) -> None:
    """A program, the acting member, two vendors; a solicitation being evaluated (technical
    60, price 40; one mandatory item) with both bids conforming, and a draft."""
    connect(path)
    add_program(ctx, "ERP", "ERP replacement")
    add_person(ctx, "Tess Ng", email="tess@city.example", account="tester")
    for name in ("Acme Systems", "Bolt Consulting"):
        add_vendor(ctx, name)
    sol.add_solicitation(
        ctx, CODE, program="ERP", title="Payroll [bold]module[/]", scope="Payroll for 900 staff",
        issued_on="2026-10-01", questions_due="2026-10-15", bids_due="2026-11-01",
        award_by="2026-12-15",
    )  # fmt: skip
    criteria.add_criterion(ctx, CODE, "Technical", "60")
    criteria.add_criterion(ctx, CODE, "Price", "40", price=True)
    criteria.add_item(ctx, CODE, "Hosted in the US")
    committee.add_member(ctx, CODE, "Tess Ng", conflict="Former Bolt employee (2019)")
    sol.set_status(ctx, CODE, "issued")
    (hosted,) = criteria.items_of(sol.find_solicitation(CODE))
    for vendor, price in (("Acme", "100000"), ("Bolt", "125000")):
        bids.add_bid(ctx, CODE, vendor, price=price, received="2026-10-30")
        bids.set_conformance(ctx, CODE, vendor, hosted.id, passed=True)
    sol.set_status(ctx, CODE, "evaluating")
    sol.add_solicitation(
        ctx, "RFQ-2027-02", program="ERP", kind="RFQ", title="Laptops", bids_due="2027-01-15"
    )
    database.close()


@pytest.fixture
def office(db_path: Path, ctx: Context) -> Path:
    build_office(db_path, ctx)
    return db_path


def screen_of(app: DocketApp) -> ContractorsScreen:
    screen = app.get_screen("contractors") if app.screen.is_modal else app.screen
    assert isinstance(screen, ContractorsScreen)
    return screen


async def _sourcing(pilot: Pilot[None]) -> ContractorsScreen:
    await settle(pilot)
    for key in SOURCING:
        await pilot.press(key)
        await settle(pilot)
    return screen_of(pilot.app)


def _detail(pilot: Pilot[None]) -> SolicitationDetail:
    detail = pilot.app.screen
    assert isinstance(detail, SolicitationDetail)
    return detail


def _text(detail: SolicitationDetail) -> str:
    return "\n".join(shown(s) for s in detail.query(Static))


async def test_the_view_lists_the_solicitations_and_filters_them(
    office: Path, make_app: MakeApp
) -> None:
    async with make_app(office).run_test(size=(120, 40)) as pilot:
        screen = await _sourcing(pilot)
        assert screen.view == "sourcing"
        assert [r["code"] for r in screen.rows()] == [CODE, "RFQ-2027-02"]  # bids due first
        row = next(r for r in screen.rows() if r["code"] == CODE)
        assert (row["status"], row["bids"], row["members"]) == ("evaluating", 2, 1)
        await pilot.press("slash")
        await type_text(pilot, "laptops")
        await settle(pilot)
        assert [r["code"] for r in screen.rows()] == ["RFQ-2027-02"]
        await pilot.press("escape", "escape")
        await settle(pilot)
        assert len(screen.rows()) == 2
        # the assignments keep their own filter: cycling back shows them unfiltered
        await pilot.press("t")
        await settle(pilot)
        assert screen.view == "assignments" and screen.typed == ""


async def test_a_solicitation_is_scored_committed_revealed_ranked_and_awarded(
    office: Path, make_app: MakeApp
) -> None:
    async with make_app(office).run_test(size=(120, 40)) as pilot:
        screen = await _sourcing(pilot)
        index = [r["code"] for r in screen.rows()].index(CODE)
        screen.query_one(DataTable).move_cursor(row=index)
        await pilot.press("enter")
        await settle(pilot)
        said = _text(_detail(pilot))
        assert "Payroll [bold]module[/]" in said  # user text, never markup
        assert "conflict declared: Former Bolt employee (2019)" in said
        assert "past performance: no scorecards yet" in said
        assert "Scores sealed: waiting for tester to commit" in said

        await pilot.press("s")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, RecordForm)
        form.set_values({"score_0": "11"})
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert pilot.app.screen is form  # refused under its field
        assert "expected at most 10, got 11" in str(form.query_one("#hint-score_0").render())
        form.set_values({"score_0": "7", "comment_0": "solid", "score_1": "9"})
        await pilot.press("ctrl+s")
        await settle(pilot)
        _detail(pilot)

        await pilot.press("c")
        await settle(pilot)
        question = pilot.app.screen
        assert isinstance(question, ConfirmDialog) and "This is final" in question.question
        await pilot.press("y")
        await settle(pilot)
        assert "Scores sealed: waiting for tester to reveal" in _text(_detail(pilot))

        await pilot.press("s")  # committed: scoring is refused in the domain's words
        await settle(pilot)
        refused = pilot.app.screen
        assert isinstance(refused, ErrorDialog)
        assert "you have committed your scores" in refused.message
        await pilot.press("escape")
        await settle(pilot)

        await pilot.press("r")
        await settle(pilot)
        detail = _detail(pilot)
        ranking = detail.found["evaluation"]["ranking"]
        assert [(r["rank"], r["vendor"], r["total"]) for r in ranking] == [
            (1, "Bolt Consulting", "8.6000"),
            (2, "Acme Systems", "8.2000"),
        ]
        said = _text(detail)
        assert "1. Bolt Consulting  total 8.60  price 125,000.00" in said
        assert "Tess Ng (tester) (you): committed, revealed" in said

        await pilot.press("h")
        await settle(pilot)
        assert isinstance(pilot.app.screen, HistoryPanel)
        await pilot.press("escape")
        await settle(pilot)

        await pilot.press("a")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, RecordForm)
        assert form.values()["vendor"] == "Bolt Consulting"  # the top-ranked first
        form.set_values(
            {"reason": "Best value", "contract": "C-2027-0101", "start": "2027-01-01",
             "end": "2027-12-31"}
        )  # fmt: skip
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "contract C-2027-0101" in _text(_detail(pilot))
    connect(office)
    found = sol.find_solicitation(CODE)
    assert found.status == "awarded"
    made = find_contract("C-2027-0101")
    assert (made.vendor.name, str(made.ceiling), made.start) == (
        "Bolt Consulting",
        "125000.00",
        date(2027, 1, 1),
    )


async def test_someone_off_the_committee_is_refused_in_the_domains_words(
    office: Path, make_app: MakeApp
) -> None:
    connect(office)
    CommitteeMember.update(account="someone").execute()
    database.close()
    async with make_app(office).run_test(size=(120, 40)) as pilot:
        screen = await _sourcing(pilot)
        index = [r["code"] for r in screen.rows()].index(CODE)
        screen.query_one(DataTable).move_cursor(row=index)
        await pilot.press("enter")
        await settle(pilot)
        assert "tester, not on the committee" in _text(_detail(pilot))
        for key in ("s", "r"):
            await pilot.press(key)
            await settle(pilot)
            refused = pilot.app.screen
            assert isinstance(refused, ErrorDialog)
            said = refused.message
            assert "your account tester is not on the committee of RFP-2027-01" in said
            await pilot.press("escape")
            await settle(pilot)
    connect(office)
    assert Solicitation.get(Solicitation.code == CODE).status == "evaluating"


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pytest.mark.parametrize(
    "keys",
    [SOURCING, [*SOURCING, "enter"], [*SOURCING, "enter", "s", "=score_0:7"]],
    ids=["list", "detail", "score-form"],
)
def test_sourcing_looks_right(
    snap_compare: Any, office: Path, make_app: MakeApp, keys: list[str], size: tuple[int, int]
) -> None:
    assert snap_compare(make_app(office), terminal_size=size, run_before=pressing(keys))
