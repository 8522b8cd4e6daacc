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
from textual.widgets import OptionList, Static
from tui_support import pressing, settle, shown, type_text

from docket.models import governance
from docket.models.database import connect
from docket.models.today import governance_alerts
from docket.tui.app import DocketApp
from docket.tui.raid_screen import RaidScreen, sparkline

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
    assert seen["risks"] == [r.id for r in governance.list_risks()]
    assert seen["issues"] == [i.id for i in governance.list_issues()]
    assert seen["decisions"] == [d.id for d in governance.list_decisions()]
    assert seen["changes"] == [c.id for c in governance.list_changes()]
    cells = governance.risk_matrix()
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
    proposed = len(governance.list_changes(status="proposed"))
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
