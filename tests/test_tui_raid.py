"""RAID in the app (key 8): risks, issues, decisions and changes as tabs, the risk matrix
with counts, metrics with their sparkline, the budget; Today's governance alerts.

Pilot tests drive the real app on the small demo at the fixed clock (Mon 23 Nov 2026).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, Input, OptionList, Select, Static
from tui_support import pressing, settle, shown, type_text

from docket.exports.tabular.lists.governance import sparkline
from docket.models.core.database import connect
from docket.models.governance.changes import change_facts, list_changes
from docket.models.governance.decisions import decision_facts, get_decision, list_decisions
from docket.models.governance.issues import get_issue, list_issues
from docket.models.governance.risks import list_risks, risk_matrix, score
from docket.models.overview.today import governance_alerts
from docket.tui.app import DocketApp
from docket.tui.forms.base import RecordForm
from docket.tui.screens.raid import RaidScreen

MakeApp = Callable[[Path], DocketApp]
TODAY = date(2026, 11, 23)


def screen_of(app: DocketApp) -> RaidScreen:
    screen = app.screen
    assert isinstance(screen, RaidScreen)
    return screen


def test_a_sparkline_spans_its_own_range() -> None:
    assert sparkline(["1", "2", "3", "4", "5", "6", "7", "8"]) == "▁▂▃▄▅▆▇█"
    assert sparkline(["99.5", "99.5"]) == "▄▄"
    assert sparkline([]) == ""


async def test_the_tabs_show_what_the_database_holds(demo_db: Path, make_app: MakeApp) -> None:
    seen: dict[str, Any] = {}
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        await pilot.press("8")
        await settle(pilot)
        for tab in ("risks", "issues", "decisions", "changes"):
            seen[tab] = [r["id"] for r in screen_of(pilot.app).rows()]
            await pilot.press("t")
            await settle(pilot)
        matrix = shown(screen_of(pilot.app).query_one("#matrix", Static))
        await pilot.press("t")
        await settle(pilot)
        metrics = screen_of(pilot.app).rows()
    connect(demo_db)
    assert seen["risks"] == [r.id for r in list_risks()]
    assert seen["issues"] == [i.id for i in list_issues()]
    assert seen["decisions"] == [d.id for d in list_decisions()]
    assert seen["changes"] == [c.id for c in list_changes()]
    cells = risk_matrix()
    impact_4 = next(line for line in matrix.splitlines() if "impact 4" in line)
    assert impact_4.split()[2:] == [str(n or "·") for n in cells[1]]
    assert len(metrics) == 16 and all(len(m["history"]) == 12 for m in metrics)


async def test_the_risk_list_filters_by_words(demo_db: Path, make_app: MakeApp) -> None:
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        await pilot.press("8")
        await settle(pilot)
        await pilot.press("slash")
        await type_text(pilot, "budget cut")
        await settle(pilot)
        titles = {r["title"] for r in screen_of(pilot.app).rows()}
    assert titles == {"Budget cut in the next fiscal year"}


async def test_today_lists_risks_changes_and_metrics_to_look_at(
    demo_db: Path, make_app: MakeApp
) -> None:
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        listing = pilot.app.screen.query_one(OptionList)
        heading = next(
            str(o.prompt) for o in listing.options if o.id == "list:alert:governance_alerts"
        )
    connect(demo_db)
    alerts = governance_alerts(TODAY)
    proposed = len(list_changes(status="proposed"))
    assert heading.startswith(f"Risks to review, changes to decide, metrics in red ({len(alerts)})")
    assert sum(1 for a in alerts if a["kind"] == "change") == proposed > 0


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pytest.mark.parametrize(
    "keys",
    [["8"], ["8", "t", "t", "t", "t"], ["8", "t", "t", "t", "t", "t"]],
    ids=["risks", "matrix", "metrics"],
)
def test_raid_looks_right(
    snap_compare: Any, demo_db: Path, make_app: MakeApp, keys: list[str], size: tuple[int, int]
) -> None:
    assert snap_compare(make_app(demo_db), terminal_size=size, run_before=pressing(keys))


async def test_a_risk_is_added_and_an_issue_edited_from_the_lists(
    demo_db: Path, make_app: MakeApp
) -> None:
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        await pilot.press("8")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, RecordForm)
        await type_text(pilot, "Vendor goes out of business")
        form.query_one("#field-program", Input).value = "ERP"
        form.query_one("#field-probability", Select).value = "2"
        form.query_one("#field-impact", Select).value = "5"
        form.query_one("#field-response_date", Input).value = "next friday"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, RaidScreen)
        assert "Vendor goes out of business" in [r["title"] for r in screen_of(pilot.app).rows()]
        # the issues tab: the first issue, resolved
        await pilot.press("t")
        await settle(pilot)
        first = screen_of(pilot.app).rows()[0]
        await pilot.press("e")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, RecordForm)
        form.query_one("#field-status", Select).value = "resolved"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, RaidScreen)
    connect(demo_db)
    risk = next(r for r in list_risks("ERP") if r.title.startswith("Vendor goes"))
    assert (score(risk.probability, risk.impact), str(risk.response_date)) == (
        10,
        "2026-11-27",
    )
    assert get_issue(first["id"]).status == "resolved"


async def test_a_change_request_is_decided_and_a_final_one_says_so(
    demo_db: Path, make_app: MakeApp
) -> None:
    connect(demo_db)
    proposed = next(c.id for c in list_changes(status="proposed"))
    final = next(c.id for c in list_changes(status="rejected"))
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        await pilot.press("8", "t", "t", "t")
        await settle(pilot)
        screen = screen_of(pilot.app)
        ids = [r["id"] for r in screen.rows()]
        screen.query_one(DataTable).move_cursor(row=ids.index(final))
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(pilot.app.screen, RaidScreen)
        said = [n.message for n in pilot.app._notifications]
        assert f"Change request #{final} is rejected: that is final." in said
        screen.query_one(DataTable).move_cursor(row=ids.index(proposed))
        await pilot.press("e")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, RecordForm)
        assert form.query_one("#field-status", Select).value == "approved"
        form.query_one("#field-approver", Input).value = "nobody of that name"
        await pilot.press("ctrl+s")
        await settle(pilot)
        # an unknown approver is named under the field, and nothing is saved
        assert pilot.app.screen is form
        hint = shown(form.query_one("#hint-approver", Static))
        assert hint.startswith("approver:")
        form.query_one("#field-approver", Input).value = "Chen Thompson"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, RaidScreen)
    connect(demo_db)
    change = change_facts(next(c for c in list_changes() if c.id == proposed))
    assert (change["status"], change["approver"], change["decided_on"]) == (
        "approved",
        "Chen Thompson",
        "2026-11-23",
    )


async def test_likelihood_and_impact_take_typed_digits(demo_db: Path, make_app: MakeApp) -> None:
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        await pilot.press("8")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, RecordForm)
        await type_text(pilot, "Key supplier leaves")
        form.query_one("#field-program", Input).value = "ERP"
        form.query_one("#field-probability", Select).focus()
        await pilot.press("4")
        await pilot.press("tab")  # on to Impact, as a user goes
        await pilot.press("5")
        await settle(pilot)
        assert form.query_one("#field-probability", Select).value == "4"
        assert form.query_one("#field-impact", Select).value == "5"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, RaidScreen)
    connect(demo_db)
    risk = next(r for r in list_risks("ERP") if r.title == "Key supplier leaves")
    assert score(risk.probability, risk.impact) == 20


async def test_a_decision_is_edited_and_one_for_someone_else_shows_who_entered_it(
    demo_db: Path, make_app: MakeApp
) -> None:
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        await pilot.press("8", "t", "t")
        await settle(pilot)
        first = screen_of(pilot.app).rows()[0]
        await pilot.press("e")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, RecordForm)
        form.query_one("#field-decided_by", Input).value = "Ben Rossi"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, RaidScreen)
        await settle(pilot)
        table = screen_of(pilot.app).query_one(DataTable)
        cells = [str(c) for c in table.get_row_at(0)]
    assert any("Ben Rossi (entered by tester)" in c for c in cells), cells
    connect(demo_db)
    made = decision_facts(get_decision(first["id"]))
    assert (made["decided_by"], made["entered_by"]) == ("Ben Rossi", "tester")
