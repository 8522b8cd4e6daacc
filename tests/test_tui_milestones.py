"""Milestones in the app (key 4): the table, moving a date with its reason, marking done,
the detail with history, and the timeline of baseline against forecast.

Each Pilot test drives the real app on the small demo at the fixed clock (Mon 23 Nov
2026); the timeline's month arithmetic is tested on its own.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, OptionList, Static
from tui_support import pressing, settle, shown, type_text

from docket.models.core.context import Context
from docket.models.core.database import connect
from docket.models.core.schema import AuditEntry, Milestone
from docket.models.milestones import schedule as milestones
from docket.tui.app import DocketApp
from docket.tui.forms.base import RecordForm
from docket.tui.forms.milestones import MilestoneDetail
from docket.tui.screens.milestones import COLUMNS, MilestonesScreen
from docket.tui.widgets.dialogs import PromptDialog
from docket.tui.widgets.timeline import Axis, Timeline, bar, column, fit_axis, month_start

MakeApp = Callable[[Path], DocketApp]
TODAY = date(2026, 11, 23)


def table_rows(app: DocketApp) -> list[dict[str, str]]:
    """The table's rows as plain text by column, cells trimmed."""
    table = app.screen.query_one(DataTable)
    keys = [str(c.key.value) for c in table.columns.values()]
    return [
        {key: str(cell).strip() for key, cell in zip(keys, table.get_row_at(i), strict=True)}
        for i in range(table.row_count)
    ]


def screen_of(app: DocketApp) -> MilestonesScreen:
    screen = app.get_screen("milestones") if app.screen.is_modal else app.screen
    assert isinstance(screen, MilestonesScreen)
    return screen


async def go_to_milestone(pilot: Pilot[None], program: str, title: str) -> int:
    """Go to Milestones and put the cursor on one milestone; its id."""
    await pilot.press("4")
    await settle(pilot)
    screen = screen_of(pilot.app)
    index = next(
        i for i, r in enumerate(screen.rows) if (r["program"], r["title"]) == (program, title)
    )
    screen.query_one(DataTable).move_cursor(row=index)
    await settle(pilot)
    return int(screen.rows[index]["id"])


def hint(app: DocketApp, name: str) -> str:
    return shown(app.screen.query_one(f"#hint-{name}", Static))


def reopen(path: Path) -> None:
    """Bind the models to the file again from the test's thread, to check what was saved."""
    connect(path)


# --- the table -----------------------------------------------------------------------


async def test_the_table_lists_every_milestone_with_slip_and_status_in_words(
    demo_db: Path, make_app: MakeApp
) -> None:
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        await pilot.press("4")
        await settle(pilot)
        rows = table_rows(pilot.app)
        status = shown(pilot.app.screen.query_one("#status", Static))
    assert len(rows) == 40
    assert {r["status"] for r in rows} == {"done", "late", "at risk", "on track"}
    uat = next(r for r in rows if (r["program"], r["title"]) == ("ERP", "UAT complete"))
    assert uat == {
        "program": "ERP",
        "title": "UAT complete",
        "owner": "Victor Patel",
        "baseline": "19 Jul 2026",
        "forecast": "15 Nov 2026",
        "actual": "",
        "slip": "+119d",
        "status": "late",
    }
    assert status.startswith("40 milestones · 5 late · 5 at risk · 4 on track · 26 done")


async def test_milestones_not_done_come_first_by_forecast_then_done_latest_first(
    demo_db: Path, make_app: MakeApp
) -> None:
    async with make_app(demo_db).run_test(size=(80, 24)) as pilot:
        await pilot.press("4")
        await settle(pilot)
        screen = screen_of(pilot.app)
        rows = screen.rows
        current = rows[screen.query_one(DataTable).cursor_row]
    not_done, done = rows[:14], rows[14:]
    assert {r["status"] for r in not_done} == {"late", "at risk", "on track"}
    assert [r["forecast"] for r in not_done] == sorted(r["forecast"] for r in not_done)
    assert {r["status"] for r in done} == {"done"}
    assert [r["actual"] for r in done] == sorted((r["actual"] for r in done), reverse=True)
    assert (current["title"], current["status"]) == ("Vendor selected", "late")


async def test_the_filter_takes_a_status_word_and_words_of_the_title(
    demo_db: Path, make_app: MakeApp
) -> None:
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        await pilot.press("4")
        await settle(pilot)
        await pilot.press("slash")
        await type_text(pilot, "at risk")
        await settle(pilot)
        at_risk = table_rows(pilot.app)
        pilot.app.screen.query_one("#filter", Input).value = "go-live"
        await settle(pilot)
        go_live = table_rows(pilot.app)
    assert len(at_risk) == 5 and {r["status"] for r in at_risk} == {"at risk"}
    assert [(r["program"], r["status"]) for r in go_live] == [("CRM", "on track"), ("ERP", "done")]


def test_the_table_keeps_room_for_the_title_at_80_columns() -> None:
    narrow = COLUMNS.fit(78)
    assert [c.key for c in narrow] == [
        "program",
        "title",
        "owner",
        "baseline",
        "forecast",
        "slip",
        "status",
    ]
    assert sum(c.width for c in narrow) == 78
    assert {c.key: c.width for c in narrow}["title"] >= 18
    assert "actual" in [c.key for c in COLUMNS.fit(118)]


# --- moving a date needs a reason ----------------------------------------------------


async def test_moving_the_forecast_without_a_reason_asks_for_one_and_keeps_what_was_typed(
    demo_db: Path, make_app: MakeApp
) -> None:
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        milestone_id = await go_to_milestone(pilot, "ERP", "UAT complete")
        await pilot.press("e")
        await settle(pilot)
        forecast = pilot.app.screen.query_one("#field-forecast", Input)
        forecast.value = ""
        forecast.focus()
        await type_text(pilot, "2026-12-15")
        await pilot.press("ctrl+s")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, RecordForm)
        assert (
            hint(pilot.app, "reason")
            == "reason: moving the forecast needs a reason, kept with the change"
        )
        assert hint(pilot.app, "forecast").startswith("→ Tue 15 Dec 2026")
        assert form.values()["forecast"] == "2026-12-15"
        assert form.query_one("#field-reason", Input).has_focus
    reopen(demo_db)
    assert str(Milestone.get_by_id(milestone_id).forecast) == "2026-11-15"


async def test_a_moved_forecast_with_its_reason_is_saved_and_the_history_keeps_the_reason(
    demo_db: Path, make_app: MakeApp
) -> None:
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        milestone_id = await go_to_milestone(pilot, "ERP", "UAT complete")
        await pilot.press("e")
        await settle(pilot)
        pilot.app.screen.query_one("#field-forecast", Input).value = "2026-12-15"
        pilot.app.screen.query_one("#field-reason", Input).value = "vendor test environment late"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, MilestonesScreen)
        row = next(
            r
            for r in table_rows(pilot.app)
            if (r["program"], r["title"]) == ("ERP", "UAT complete")
        )
        assert (row["forecast"], row["slip"], row["status"]) == ("15 Dec 2026", "+149d", "at risk")
        await pilot.press("enter")
        await settle(pilot)
        detail = pilot.app.screen
        assert isinstance(detail, MilestoneDetail)
        text = " ".join(shown(s) for s in detail.query(Static))
    assert "forecast: changed from 2026-11-15 to 2026-12-15" in text
    assert "reason: vendor test environment late" in text
    reopen(demo_db)
    entry = (
        AuditEntry.select()
        .where(AuditEntry.entity == "milestone", AuditEntry.entity_id == milestone_id)
        .order_by(AuditEntry.id.desc())
        .get()
    )
    assert (entry.actor, entry.note) == ("tester", "vendor test environment late")
    assert str(Milestone.get_by_id(milestone_id).forecast) == "2026-12-15"


async def test_adding_a_milestone_through_the_form(demo_db: Path, make_app: MakeApp) -> None:
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        await pilot.press("4")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        await type_text(pilot, "ERP")
        await pilot.press("tab")
        await type_text(pilot, "Archive decommissioned")
        await pilot.press("tab")
        await type_text(pilot, "2027-02-01")
        await settle(pilot)
        assert hint(pilot.app, "baseline").startswith("→ Mon 01 Feb 2027")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, MilestonesScreen)
        titles = [r["title"] for r in table_rows(pilot.app)]
    assert "Archive decommissioned" in titles
    reopen(demo_db)
    added = Milestone.get(Milestone.title == "Archive decommissioned")
    assert (added.program.code, str(added.baseline), str(added.forecast)) == (
        "ERP",
        "2027-02-01",
        "2027-02-01",
    )


# --- done ----------------------------------------------------------------------------


async def test_d_marks_a_milestone_done_today_when_enter_accepts_the_offer(
    demo_db: Path, make_app: MakeApp, ctx: Context
) -> None:
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        milestone_id = await go_to_milestone(pilot, "CRM", "UAT complete")
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(pilot.app.screen, PromptDialog)
        assert pilot.app.screen.query_one(Input).value == "today"
        await pilot.press("enter")
        await settle(pilot)
        row = next(r for r in screen_of(pilot.app).rows if r["id"] == milestone_id)
    assert (row["actual"], row["status"]) == ("2026-11-23", "done")
    reopen(demo_db)
    assert milestones.status(Milestone.get_by_id(milestone_id), TODAY) == "done"


async def test_d_takes_the_day_it_was_really_done(demo_db: Path, make_app: MakeApp) -> None:
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        milestone_id = await go_to_milestone(pilot, "NET", "Data migration rehearsal")
        await pilot.press("d")
        await settle(pilot)
        pilot.app.screen.query_one(Input).value = "2026-11-20"
        await settle(pilot)
        assert shown(pilot.app.screen.query_one("#hint", Static)).startswith("→ Fri 20 Nov 2026")
        await pilot.press("enter")
        await settle(pilot)
    reopen(demo_db)
    assert str(Milestone.get_by_id(milestone_id).actual) == "2026-11-20"


async def test_today_opens_a_milestone_in_its_detail(demo_db: Path, make_app: MakeApp) -> None:
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        listing = pilot.app.screen.query_one(OptionList)
        line = next(i for i, o in enumerate(listing.options) if str(o.id).startswith("milestone:"))
        listing.highlighted = line
        wanted = int(str(listing.options[line].id).split(":")[1])
        await pilot.press("enter")
        await settle(pilot)
        detail = pilot.app.screen
    assert isinstance(detail, MilestoneDetail)
    assert detail.detail["id"] == wanted


# --- the timeline --------------------------------------------------------------------


def timeline_text(app: DocketApp) -> tuple[str, list[str]]:
    """The timeline's header and its lines, as plain text."""
    timeline = screen_of(app).query_one(Timeline)
    head = shown(timeline.query_one("#timeline-head", Static))
    listing = timeline.query_one(OptionList)
    return head, [str(o.prompt) for o in listing.options]


async def test_t_shows_the_timeline_which_scrolls_by_month_and_comes_back(
    demo_db: Path, make_app: MakeApp
) -> None:
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        await pilot.press("4")
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        screen = screen_of(pilot.app)
        assert screen.query_one(Timeline).display and not screen.query_one(DataTable).display
        head, lines = timeline_text(pilot.app)
        assert head.split()[1:3] == ["Oct", "'26"]
        uat = next(line for line in lines if "UAT complete" in line and "late" in line)
        assert "◂" in uat and "◆" in uat and "│" in uat
        await pilot.press("right")
        await settle(pilot)
        assert timeline_text(pilot.app)[0].split()[1:3] == ["Nov", "'26"]
        await pilot.press("left_square_bracket", "left_square_bracket", "left_square_bracket")
        await settle(pilot)
        assert timeline_text(pilot.app)[0].split()[1:3] == ["Aug", "'26"]
        await pilot.press("full_stop")
        await settle(pilot)
        assert timeline_text(pilot.app)[0].split()[1:3] == ["Oct", "'26"]
        await pilot.press("t")
        await settle(pilot)
        assert screen.query_one(DataTable).display and not screen.query_one(Timeline).display


async def test_the_timeline_groups_by_program_and_opens_a_milestone(
    demo_db: Path, make_app: MakeApp
) -> None:
    async with make_app(demo_db).run_test(size=(80, 24)) as pilot:
        await pilot.press("4")
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        _, lines = timeline_text(pilot.app)
        headings = [line.split()[0] for line in lines if not line.startswith(" ")]
        listing = screen_of(pilot.app).query_one("#timeline-rows", OptionList)
        highlighted = listing.highlighted_option
        assert highlighted is not None
        await pilot.press("enter")
        await settle(pilot)
        detail = pilot.app.screen
    assert headings == ["CRM", "ERP", "NET", "PERMIT"]
    assert isinstance(detail, MilestoneDetail)
    assert str(detail.detail["id"]) == highlighted.id


async def test_month_keys_do_nothing_and_hide_while_the_table_shows(
    demo_db: Path, make_app: MakeApp
) -> None:
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        await pilot.press("4")
        await settle(pilot)
        screen = screen_of(pilot.app)
        assert screen.check_action("scroll_months", (1,)) is False
        await pilot.press("t")
        await settle(pilot)
        assert screen.check_action("scroll_months", (1,)) is True


def test_a_month_is_eight_columns_and_its_days_spread_over_them() -> None:
    nov = date(2026, 11, 1)
    assert column(date(2026, 11, 1), nov) == 0
    assert column(date(2026, 11, 23), nov) == 5
    assert column(date(2026, 11, 30), nov) == 7
    assert column(date(2026, 12, 1), nov) == 8
    assert column(date(2027, 2, 15), nov) == 28
    assert column(date(2026, 10, 31), nov) == -1
    assert column(date(2026, 11, 16), nov, month_width=30) == 15


def test_months_shift_across_years() -> None:
    assert month_start(date(2026, 1, 15), -1) == date(2025, 12, 1)
    assert month_start(date(2026, 11, 23), 2) == date(2027, 1, 1)
    assert Axis(date(2026, 10, 1), 6).end == date(2027, 4, 1)


@pytest.mark.parametrize(
    ("width", "months", "label", "status"), [(78, 6, 20, 9), (118, 9, 32, 13), (40, 1, 22, 9)]
)
def test_the_axis_takes_as_many_whole_months_as_fit(
    width: int, months: int, label: int, status: int
) -> None:
    layout = fit_axis(width)
    assert (layout.months, layout.label, layout.status) == (months, label, status)
    assert layout.label + 1 + 8 * layout.months + layout.status == width


def _row(baseline: str, forecast: str, actual: str | None, status: str) -> dict[str, Any]:
    return {"baseline": baseline, "forecast": forecast, "actual": actual, "status": status}


@pytest.mark.parametrize(
    ("row", "drawn"),
    [
        # slipped: baseline, the slip, forecast; today between
        (_row("2026-10-01", "2026-12-01", None, "at risk"), "◇────────────│──◆       "),
        (_row("2026-12-01", "2026-12-01", None, "on track"), "             │  ◆       "),
        # done early: the tick at the actual date, the baseline after it
        (_row("2026-12-16", "2026-11-16", "2026-11-16", "done"), "            ✓│─────◇    "),
        # runs on past both ends
        (_row("2026-09-01", "2027-03-01", None, "at risk"), "◂────────────│─────────▸"),
    ],
)
def test_a_bar_marks_baseline_forecast_slip_and_today_by_shape(
    row: dict[str, Any], drawn: str
) -> None:
    assert bar(row, Axis(date(2026, 10, 1), 3), TODAY).plain == drawn


# --- how it looks --------------------------------------------------------------------


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pytest.mark.parametrize(
    "keys",
    [["4"], ["4", "t"], ["4", "e"], ["4", "enter"]],
    ids=["table", "timeline", "edit-form", "detail"],
)
def test_milestones_look_right(
    snap_compare: Any, demo_db: Path, make_app: MakeApp, keys: list[str], size: tuple[int, int]
) -> None:
    assert snap_compare(make_app(demo_db), terminal_size=size, run_before=pressing(keys))


async def test_done_on_a_future_day_is_refused_as_typed_and_on_save(
    demo_db: Path, make_app: MakeApp
) -> None:
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        milestone_id = await go_to_milestone(pilot, "ERP", "UAT complete")
        await pilot.press("e")
        await settle(pilot)
        done = pilot.app.screen.query_one("#field-actual", Input)
        done.value = ""
        done.focus()
        await type_text(pilot, "next fri")
        await settle(pilot)
        assert "is in the future" in hint(pilot.app, "actual")
        await pilot.press("ctrl+s")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, RecordForm)
        assert form.values()["actual"] == "next fri"
        assert "is in the future" in hint(pilot.app, "actual")
    reopen(demo_db)
    assert Milestone.get_by_id(milestone_id).actual is None
