"""Contractors in the app (key 6): assignments (filter, add, end), the allocation heatmap
that reads without colour, contracts with burn bars; Today's contractor alerts.

Pilot tests drive the real app on the small demo at the fixed clock (Mon 23 Nov 2026).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, OptionList
from tui_support import pressing, settle, type_text

from docket.exports.tabular.lists.contractors import burn_bar
from docket.models.contractors import assignments, contracts
from docket.models.contractors.allocation import allocation_by_month
from docket.models.contractors.burn import burns, contract_detail
from docket.models.core.database import connect
from docket.models.core.schema import Assignment
from docket.models.overview.today import contractor_alerts
from docket.tui.app import DocketApp
from docket.tui.forms.base import RecordForm
from docket.tui.screens.contractors import ContractorsScreen
from docket.tui.widgets.heatmap import heat

MakeApp = Callable[[Path], DocketApp]
TODAY = date(2026, 11, 23)


def screen_of(app: DocketApp) -> ContractorsScreen:
    screen = app.get_screen("contractors") if app.screen.is_modal else app.screen
    assert isinstance(screen, ContractorsScreen)
    return screen


async def _go(pilot: Pilot[None], *keys: str) -> ContractorsScreen:
    await pilot.press("6", *keys)
    await settle(pilot)
    return screen_of(pilot.app)


def test_a_burn_bar_and_a_heat_cell_read_without_colour() -> None:
    assert burn_bar(0) == "░░░░░░░░░░   0%"
    assert burn_bar(85) == "████████░░  85%"
    assert burn_bar(130) == "██████████ 130%"
    figure = "\u2007"
    assert heat({"average": 60, "peak": 60}).plain == f"{figure * 2}60 "
    assert heat({"average": 120, "peak": 130}).plain == f"{figure}120!"
    assert heat({"average": 0, "peak": 0}).plain == f"{figure * 3}·"


async def test_each_view_shows_what_the_database_holds(demo_db: Path, make_app: MakeApp) -> None:
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        listed = len((await _go(pilot)).rows())
        await pilot.press("t")
        await settle(pilot)
        people = screen_of(pilot.app).rows()
        await pilot.press("t")
        await settle(pilot)
        shown_contracts = screen_of(pilot.app).rows()
    connect(demo_db)
    current = assignments.list_assignments(assignments.AssignmentFilter(first=TODAY))
    assert listed == len(current) > 0
    table = allocation_by_month(TODAY, 12)
    assert [p["person"] for p in people] == [p["person"] for p in table["people"]]
    active = [b for b in burns(TODAY) if b.days_left >= 0]
    assert [r["number"] for r in shown_contracts] == [b.contract.number for b in active]


async def test_assignments_are_filtered_added_and_ended(demo_db: Path, make_app: MakeApp) -> None:
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        screen = await _go(pilot)
        await pilot.press("slash")
        await type_text(pilot, "amara")
        await settle(pilot)
        assert {r["person"] for r in screen.rows()} == {"Amara Mendoza"}
        await pilot.press("escape", "escape")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, RecordForm)
        form.set_values(
            {"person": "Ben Rossi", "program": "ERP", "allocation": "30", "start": "2026-12-01",
             "end": "2027-01-31", "role": "Reviewer"}
        )  # fmt: skip
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not pilot.app.screen.is_modal
        added = next(r for r in screen.rows() if r["role"] == "Reviewer")
        index = [r["id"] for r in screen.rows()].index(added["id"])
        screen.query_one(DataTable).move_cursor(row=index)
        await pilot.press("x")
        await settle(pilot)
        end = pilot.app.screen
        assert isinstance(end, RecordForm)
        end.set_values({"end": "2026-12-15"})
        await pilot.press("ctrl+s")
        await settle(pilot)
    connect(demo_db)
    made = Assignment.get_by_id(added["id"])
    assert (made.allocation, made.end) == (30, date(2026, 12, 15))


async def test_today_lists_contractor_alerts(demo_db: Path, make_app: MakeApp) -> None:
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        listing = pilot.app.screen.query_one(OptionList)
        heading = next(
            str(o.prompt) for o in listing.options if o.id == "list:alert:contractor_alerts"
        )
    connect(demo_db)
    alerts = contractor_alerts(TODAY)
    kinds = {a["kind"] for a in alerts}
    assert heading.startswith(f"Contractor alerts ({len(alerts)})")
    assert {"over 100 %", "ending", "contract"} <= kinds


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pytest.mark.parametrize(
    "keys", [["6"], ["6", "t"], ["6", "t", "t"]], ids=["assignments", "heatmap", "contracts"]
)
def test_contractors_look_right(
    snap_compare: Any, demo_db: Path, make_app: MakeApp, keys: list[str], size: tuple[int, int]
) -> None:
    assert snap_compare(make_app(demo_db), terminal_size=size, run_before=pressing(keys))


async def test_two_people_of_one_name_are_told_apart_in_the_heatmap(
    demo_db: Path, make_app: MakeApp, ctx: Any
) -> None:
    from docket.models.core.schema import database
    from docket.models.people.persons import add_person

    connect(demo_db)
    for email in ("ana.lopez@city.example", "ana.lopez@vendor.example"):
        add_person(ctx, "Ana Lopez Twin", email=email, kind="contractor")
        assignments.add_assignment(
            ctx, f"{email}", program="ERP", allocation=60, start=TODAY, end="2027-03-31"
        )
    table = allocation_by_month(TODAY, 3)
    twins = [p["person"] for p in table["people"] if p["person"].startswith("Ana Lopez Twin")]
    assert twins == [
        "Ana Lopez Twin <ana.lopez@city.example>",
        "Ana Lopez Twin <ana.lopez@vendor.example>",
    ]
    database.close()
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        await _go(pilot, "t")
        await settle(pilot)
        shown = [r["person"] for r in screen_of(pilot.app).rows()]
    assert shown.count("Ana Lopez Twin <ana.lopez@city.example>") == 1
    assert shown.count("Ana Lopez Twin <ana.lopez@vendor.example>") == 1


async def test_the_assignment_form_warns_of_over_100_before_saving(
    demo_db: Path, make_app: MakeApp
) -> None:
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        await _go(pilot)
        await pilot.press("a")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, RecordForm)
        form.set_values(
            {"person": "Ben Rossi", "program": "ERP", "allocation": "30",
             "start": "2026-12-01", "end": "2026-12-31"}
        )  # fmt: skip
        await settle(pilot)
        hint = form.query_one("#hint-allocation")
        assert not hint.display
        form.set_values({"person": "Amara Mendoza"})
        await settle(pilot)
        said = str(hint.render())
        assert hint.display and said.startswith("⚠ Amara Mendoza would be over 100 % on")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not pilot.app.screen.is_modal  # saved all the same


async def test_a_contract_is_added_opened_and_spent_on_past_its_ceiling_with_a_reason(
    demo_db: Path, make_app: MakeApp
) -> None:
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        screen = await _go(pilot, "t", "t")
        await pilot.press("a")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, RecordForm)
        connect(demo_db)
        vendor = contracts.list_vendors()[0]["name"]
        form.set_values(
            {"number": "C-2026-9999", "title": "Pilot", "vendor": vendor, "program": "ERP",
             "start": "2026-11-01", "end": "2027-10-31", "ceiling": "1000"}
        )  # fmt: skip
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not pilot.app.screen.is_modal
        index = [r["number"] for r in screen.rows()].index("C-2026-9999")
        screen.query_one(DataTable).move_cursor(row=index)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        spend = pilot.app.screen
        assert isinstance(spend, RecordForm)
        spend.set_values({"amount": "1200"})
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert pilot.app.screen is spend  # refused: past the ceiling, no reason
        assert "would take contract C-2026-9999 to 120.0 %" in str(
            spend.query_one("#hint-amount").render()
        )
        spend.set_values({"over_ceiling": "Phase 2 approved"})
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not pilot.app.screen.is_modal
    connect(demo_db)
    found = contract_detail("C-2026-9999", TODAY)
    assert [e["over_ceiling"] for e in found["expenditures"]] == ["Phase 2 approved"]
