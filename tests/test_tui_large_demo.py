"""Every screen and every tab of the app on the large demo office (20 programs, 2,000 people,
100,000 action items): opened, the cursor moved far down and to the end, a filter that
matches and one that matches nothing, a record opened and closed, and the scope narrowed to
a parent program with ``p``; at 120x40 and, for some, 80x24. What is counted on screen is
checked against the models. Then the small demo with two people of one name, whose programs
each have a metric of one name.

The large demo takes about 20 s of CPU to build, so it is built once per test session and
the tests on it run in one xdist worker (``LARGE``, with ``--dist loadgroup``), each on a
copy; they are marked ``slow``.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import ACTOR, NOW, ZONE
from textual import events
from textual.pilot import Pilot
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, OptionList, Static
from tui_support import settle, shown, type_text

from docket.models.core.context import Context
from docket.models.core.database import connect
from docket.models.core.schema import database
from docket.tui.app import DocketApp
from docket.tui.screens.base import DocketScreen
from docket.tui.widgets.dialogs import ErrorDialog, ProgramPicker


def LARGE(test: Callable[..., Any]) -> Callable[..., Any]:
    """A test on the large demo: they share one build, so one xdist worker runs them all;
    and they are long, so marked ``slow`` (``-m "not slow"`` leaves them out)."""
    return pytest.mark.slow(pytest.mark.xdist_group("large_demo")(test))


MakeApp = Callable[[Path], DocketApp]
# a word no record of the demo holds
NOTHING = "qxzvk"
# the parent program the scope is narrowed to, and its children in the demo
PARENT = "CORE"


@pytest.fixture
def large_db(large_demo: Path, tmp_path: Path) -> Path:
    """A copy of the large demo this test may change."""
    copy = tmp_path / "large.db"
    shutil.copyfile(large_demo, copy)
    return copy


def models(path: Path, read: Callable[[], Any]) -> Any:
    """What the models say, read from the file outside the app."""
    connect(path)
    try:
        return read()
    finally:
        database.close()


def no_failure(pilot: Pilot[None]) -> None:
    """A failed load or save is a dialog, not a crash: fail the test on one."""
    for screen in pilot.app.screen_stack:
        if isinstance(screen, ErrorDialog):
            raise AssertionError(f"{screen.title_text}: {screen.message}")


async def press(pilot: Pilot[None], *keys: str) -> None:
    """Press keys, let every load finish, and fail on any failure shown."""
    await pilot.press(*keys)
    await settle(pilot)
    no_failure(pilot)


async def typed(pilot: Pilot[None], text: str) -> None:
    """Type into the focused box, then let the list catch up."""
    await type_text(pilot, text)
    await settle(pilot)
    no_failure(pilot)


async def go(pilot: Pilot[None], key: str) -> DocketScreen:
    await press(pilot, key)
    screen = pilot.app.screen
    assert isinstance(screen, DocketScreen)
    return screen


async def scope(pilot: Pilot[None], code: str | None) -> None:
    """Narrow every screen to a program (None: all) through the picker (``p``)."""
    await press(pilot, "p")
    picker = pilot.app.screen
    assert isinstance(picker, ProgramPicker)
    listing = picker.query_one(OptionList)
    ids = [o.id for o in listing.options]
    listing.highlighted = ids.index(code or "*")
    await press(pilot, "enter")
    assert pilot.app.program == code  # type: ignore[attr-defined]


async def open_and_close(pilot: Pilot[None], screen: DocketScreen, key: str = "enter") -> str:
    """Open the record under the cursor, check a detail shows, close it; its title."""
    await press(pilot, key)
    detail = pilot.app.screen
    assert isinstance(detail, ModalScreen), f"{key} opened nothing on {screen.MODE}"
    title = shown(detail.query(".dialog-title").first(Static))
    await press(pilot, "escape")
    assert pilot.app.screen is screen
    return title


async def to_the_end(pilot: Pilot[None], table: DataTable[Any], pages: int = 6) -> None:
    """Down a few rows and two pages, then to the end, ``pages`` times as long as more
    rows load under the last."""
    assert table.has_focus
    await press(pilot, *["down"] * 5, "pagedown", "pagedown")
    assert table.cursor_row >= min(5 + 2 * (table.size.height - 2), table.row_count - 1)
    for _ in range(pages):
        count = table.row_count
        await press(pilot, "ctrl+end")
        # on the last row loaded; a list that pages loads more under it
        assert table.cursor_row == count - 1
        if table.row_count == count:
            break


async def filter_by(
    pilot: Pilot[None], screen: DocketScreen, text: str, *, keys: bool = False
) -> None:
    """Put ``text`` in the screen's filter box (``/``) in place of what was there, typed key
    by key (``keys``) or pasted (one change: each change refills a list of thousands), and
    go back to the list (Enter)."""
    await press(pilot, "slash")
    box = screen.query_one("#filter", Input)
    assert box.has_focus
    await press(pilot, "home", "shift+end")
    if keys:
        await press(pilot, "delete")
        await typed(pilot, text)
    else:
        box.post_message(events.Paste(text))
        await settle(pilot)
        no_failure(pilot)
    assert box.value == text
    await press(pilot, "enter")
    assert not box.has_focus


def status_of(screen: DocketScreen, selector: str = "#status") -> str:
    return shown(screen.query_one(selector, Static))


def family_codes(path: Path, code: str) -> set[str]:
    """The codes of a program and of every program under it."""
    from docket.models.core.schema import Program
    from docket.models.portfolio.programs import program_and_children

    def read() -> set[str]:
        ids = program_and_children(code)
        return {p.code for p in Program.select().where(Program.id.in_(ids))}

    return set(models(path, read))


CTX = Context(actor=ACTOR, tz=ZONE, clock=lambda: NOW)


# --- Today (1) ---------------------------------------------------------------------------


def headings(listing: OptionList) -> dict[str, int]:
    """Today's section headings: each section's key and the total it shows."""
    found = {}
    for option in listing.options:
        if (option.id or "").startswith("list:"):
            text = str(option.prompt)
            total = text[text.index("(") + 1 : text.index(")")]
            found[option.id.split(":")[2]] = int(total.replace(",", ""))
    return found


@LARGE
async def test_today(large_db: Path, make_app: MakeApp) -> None:
    from docket.models.overview.today import build_today

    everything = models(large_db, lambda: build_today(CTX).counts)
    in_parent = models(large_db, lambda: build_today(CTX, program=PARENT).counts)
    async with make_app(large_db).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, DocketScreen)
        listing = screen.query_one(OptionList)
        counted = headings(listing)
        await press(pilot, *["down"] * 5, "pagedown", "end")
        at_end = listing.highlighted == listing.option_count - 1
        await press(pilot, "home", "down")
        title = await open_and_close(pilot, screen)
        await scope(pilot, PARENT)
        scoped = headings(listing)
    assert counted == everything
    assert at_end and title.startswith("#")
    assert scoped == in_parent
    # the parent's children are taken in: their actions, milestones, comms and contractors
    assert all(in_parent[k] for k in ("overdue", "due_soon", "milestones_attention", "comms"))
    assert in_parent["contractor_alerts"]


# --- Actions (2) -------------------------------------------------------------------------


@LARGE
async def test_actions(large_db: Path, make_app: MakeApp) -> None:
    from docket.tui.screens.actions import ActionsScreen, count_matching

    ctx = CTX
    async with make_app(large_db).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = await go(pilot, "2")
        assert isinstance(screen, ActionsScreen)
        table = screen.query_one(DataTable)
        first_page, total = table.row_count, screen.total
        await to_the_end(pilot, table)
        loaded = table.row_count
        status = status_of(screen)
        word = next(w for w in screen.rows[0]["title"].split() if len(w) > 4).lower()
        await filter_by(pilot, screen, word[:4], keys=True)
        matching = (screen.total, [r["title"].lower() for r in screen.rows])
        await filter_by(pilot, screen, NOTHING)
        none = (table.row_count, status_of(screen))
        await press(pilot, "escape")
        assert screen.typed == "" and screen.total == total
        await press(pilot, "pagedown")
        title = await open_and_close(pilot, screen)
        picked = screen.rows[table.cursor_row]
        await scope(pilot, PARENT)
        scoped_total, scoped_programs = screen.total, {r["program"] for r in screen.rows}
        await to_the_end(pilot, table)
        assert table.row_count > first_page
    expected = models(large_db, lambda: count_matching(ctx, "", None))
    assert first_page == 100 and total == expected > loaded > first_page
    assert status.startswith(f"{loaded:,} of {total:,} action items")
    assert matching[0] == models(large_db, lambda: count_matching(ctx, word[:4], None)) > 0
    assert matching[1]
    assert none[0] == 0 and none[1].startswith("0 action items")
    assert title.startswith(f"#{picked['id']} ")
    family = family_codes(large_db, PARENT)
    assert scoped_total == models(large_db, lambda: count_matching(ctx, "", PARENT)) > 0
    assert scoped_programs <= family and len(scoped_programs) > 1


# --- Meetings (3) ------------------------------------------------------------------------


@LARGE
async def test_meetings(large_db: Path, make_app: MakeApp) -> None:
    from docket.tui.screens.meetings import MeetingsScreen, load_agenda, period

    first, days = period(NOW.astimezone(ZONE).date(), week=True)
    week = models(large_db, lambda: load_agenda(CTX, first, days, None)["rows"])
    in_parent = models(large_db, lambda: load_agenda(CTX, first, days, PARENT)["rows"])
    async with make_app(large_db).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = await go(pilot, "3")
        assert isinstance(screen, MeetingsScreen)
        table = screen.query_one(DataTable)
        shown_week = table.row_count
        await to_the_end(pilot, table)
        last = screen.rows[-1]
        title = await open_and_close(pilot, screen)
        await filter_by(pilot, screen, "steering")
        steering = [r["title"] for r in screen.rows]
        status = status_of(screen)
        await filter_by(pilot, screen, NOTHING)
        nothing = (table.row_count, status_of(screen))
        await press(pilot, "escape")
        await press(pilot, "w")
        one_day = table.row_count
        await press(pilot, "right", "right", "left")
        await press(pilot, "full_stop", "w")
        await scope(pilot, PARENT)
        scoped = (table.row_count, {r["program"] for r in screen.rows})
        await press(pilot, "down", "down")
        scoped_title = await open_and_close(pilot, screen)
    assert shown_week == len(week) > 100
    assert last["title"] in title
    assert steering and all("steering" in t.lower() for t in steering)
    assert f"{len(steering)} of {len(week)} meetings" in status
    assert nothing[0] == 0 and f"0 of {len(week)} meetings" in nothing[1]
    assert 0 < one_day < shown_week
    assert scoped[0] == len(in_parent) and scoped[1] <= family_codes(large_db, PARENT)
    assert len(scoped[1]) > 1 and scoped_title


# --- Milestones (4) and their timeline ---------------------------------------------------


@LARGE
async def test_milestones_and_timeline(large_db: Path, make_app: MakeApp) -> None:
    from docket.tui.screens.milestones import MilestonesScreen, load_rows

    every = models(large_db, lambda: load_rows(CTX, "", None)["rows"])
    late = models(large_db, lambda: load_rows(CTX, "late", None)["rows"])
    in_parent = models(large_db, lambda: load_rows(CTX, "", PARENT)["rows"])
    async with make_app(large_db).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = await go(pilot, "4")
        assert isinstance(screen, MilestonesScreen)
        table = screen.query_one(DataTable)
        listed = table.row_count
        await to_the_end(pilot, table)
        title = await open_and_close(pilot, screen)
        await filter_by(pilot, screen, "late")
        late_shown = (table.row_count, status_of(screen))
        await press(pilot, "t")
        timeline = screen.query_one("#timeline-rows", OptionList)
        on_timeline = [o.id for o in timeline.options if o.id and o.id.isdigit()]
        await press(pilot, *["down"] * 5, "pagedown", "end")
        timeline_title = await open_and_close(pilot, screen)
        await press(pilot, "right", "right", "left", "full_stop")
        await filter_by(pilot, screen, NOTHING)
        nothing_on_timeline = [o.id for o in timeline.options if o.id and o.id.isdigit()]
        await press(pilot, "escape", "t")
        assert table.display and table.has_focus
        await scope(pilot, PARENT)
        scoped = (table.row_count, {r["program"] for r in screen.rows})
        await press(pilot, "down", "t")
        scoped_timeline = await open_and_close(pilot, screen)
    assert listed == len(every) == 2000
    assert title.startswith(f"#{every[-1]['id']} ") or every[-1]["title"] in title
    assert late_shown[0] == len(late) > 0
    assert late_shown[1].startswith(f"{len(late):,} milestones · {len(late)} late")
    assert sorted(on_timeline) == sorted(str(r["id"]) for r in late)
    assert timeline_title and scoped_timeline
    assert nothing_on_timeline == []
    assert scoped[0] == len(in_parent) and scoped[1] <= family_codes(large_db, PARENT)
    assert len(scoped[1]) > 1


# --- Communications (5): an item, its digest -----------------------------------------------


@LARGE
async def test_comms(large_db: Path, make_app: MakeApp) -> None:
    from docket.models.core.typed_filters import keep_plan
    from docket.tui.screens.comms import CommsScreen, DigestPreview, ItemDetail, load_plan

    plan = models(large_db, lambda: load_plan(CTX, None)["rows"])
    in_parent = models(large_db, lambda: load_plan(CTX, PARENT)["rows"])
    async with make_app(large_db).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = await go(pilot, "5")
        assert isinstance(screen, CommsScreen)
        table = screen.query_one(DataTable)
        listed = table.row_count
        await to_the_end(pilot, table)
        await press(pilot, "enter")
        detail = pilot.app.screen
        await press(pilot, "d")
        preview = pilot.app.screen
        digest_title = shown(preview.query(".dialog-title").first(Static))
        await press(pilot, "escape")
        assert pilot.app.screen is screen
        await press(pilot, "home", "down", "down", "d")
        preview_again = pilot.app.screen
        await press(pilot, "escape")
        await filter_by(pilot, screen, "late")
        late = (table.row_count, status_of(screen))
        await filter_by(pilot, screen, NOTHING)
        nothing = table.row_count
        await press(pilot, "escape")
        await scope(pilot, PARENT)
        scoped = (table.row_count, {r["program"] for r in screen.rows})
        scoped_title = await open_and_close(pilot, screen)
    assert listed == len(plan) == 300
    assert isinstance(detail, ItemDetail) and isinstance(preview, DigestPreview)
    assert isinstance(preview_again, DigestPreview) and digest_title
    overdue = keep_plan(plan, "late")
    assert late[0] == len(overdue) > 0
    assert late[1].startswith(f"{len(overdue)} of 300 plan items · {len(overdue)} overdue")
    assert nothing == 0
    assert scoped[0] == len(in_parent) and scoped[1] <= family_codes(large_db, PARENT)
    assert len(scoped[1]) > 1 and scoped_title


# --- Contractors (6): assignments, heatmap, contracts --------------------------------------


@LARGE
async def test_contractors(large_db: Path, make_app: MakeApp) -> None:
    from docket.tui.screens.contractors import ContractorsScreen, load_view

    def view(name: str, program: str | None) -> list[dict[str, Any]]:
        data = models(large_db, lambda: load_view(CTX, name, program))
        rows: list[dict[str, Any]] = data.get("rows", data.get("people", []))
        return rows

    async with make_app(large_db).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = await go(pilot, "6")
        assert isinstance(screen, ContractorsScreen)
        table = screen.query_one(DataTable)
        counts: dict[str, int] = {}
        scoped: dict[str, tuple[int, set[str]]] = {}
        # assignments
        counts["assignments"] = table.row_count
        await to_the_end(pilot, table)
        person = screen.rows()[0]["person"].split()[0].lower()
        await filter_by(pilot, screen, person)
        found = [r["person"] for r in screen.rows()]
        await filter_by(pilot, screen, NOTHING)
        nothing = table.row_count
        await press(pilot, "escape")
        await press(pilot, "t")
        # the heatmap
        assert screen.view == "allocation"
        counts["allocation"] = table.row_count
        await to_the_end(pilot, table)
        heat_status = status_of(screen)
        await press(pilot, "t")
        # contracts
        assert screen.view == "contracts"
        counts["contracts"] = table.row_count
        await to_the_end(pilot, table)
        contract = await open_and_close(pilot, screen)
        await scope(pilot, PARENT)
        for name in ("contracts", "sourcing", "assignments", "allocation"):
            assert screen.view == name
            if name != "sourcing":  # solicitations: their own test (test_tui_sourcing.py)
                scoped[name] = (table.row_count, {str(r.get("program")) for r in screen.rows()})
            await press(pilot, "down", "t")
    for name, count in counts.items():
        assert count == len(view(name, None)) > 0, name
    assert found and all(person in f.lower() for f in found) and nothing == 0
    over = sum(1 for r in view("allocation", None) if any(c["peak"] > 100 for c in r["months"]))
    assert f"{counts['allocation']} people · {over} above 100 %" in heat_status
    assert contract.startswith("C-")
    family = family_codes(large_db, PARENT)
    for name, (count, programs) in scoped.items():
        assert count == len(view(name, PARENT)), name
        assert 0 < count < counts[name], name
        if name != "allocation":
            assert programs <= family, name


# --- People and groups (7) ---------------------------------------------------------------


@LARGE
async def test_people_and_groups(large_db: Path, make_app: MakeApp) -> None:
    from docket.models.people import directory as people
    from docket.models.people.groups import list_groups
    from docket.tui.screens.people import PeopleScreen

    total = models(large_db, lambda: people.count_people(""))
    ana = models(large_db, lambda: people.count_people("ana"))
    groups = models(large_db, lambda: len(list_groups()))
    async with make_app(large_db).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = await go(pilot, "7")
        assert isinstance(screen, PeopleScreen)
        table = screen.table("people")
        first_page = table.row_count
        await to_the_end(pilot, table, pages=12)
        loaded = table.row_count
        person = await open_and_close(pilot, screen)
        await filter_by(pilot, screen, "ana")
        found = (screen.total, table.row_count, status_of(screen, "#people-status"))
        await filter_by(pilot, screen, NOTHING)
        nothing = (screen.total, table.row_count)
        await press(pilot, "escape")
        await press(pilot, "g")
        group_table = screen.table("groups")
        listed_groups = group_table.row_count
        await to_the_end(pilot, group_table)
        group = await open_and_close(pilot, screen)
        await press(pilot, "tab")
        members = screen.table("members")
        assert members.has_focus and members.row_count == len(screen.members) > 0
        await press(pilot, "down")
        member = await open_and_close(pilot, screen)
        await scope(pilot, PARENT)
        await press(pilot, "g")
        after_scope = (screen.view, screen.total)
    assert first_page == 200 and loaded == total == 2000
    assert person
    assert found[0] == ana > 0 and found[1] == min(ana, 200)
    assert found[2].startswith(f"{ana:,} people matching ana")
    assert nothing == (0, 0)
    assert listed_groups == groups and group and member
    # the directory is everyone's, whatever the scope
    assert after_scope == ("people", total)


# --- RAID (8): every tab -----------------------------------------------------------------


@LARGE
async def test_raid_every_tab(large_db: Path, make_app: MakeApp) -> None:
    from docket.tui.screens.raid import ENTITIES, TABS, RaidScreen, load_tab

    def rows(tab: str, program: str | None) -> int:
        return len(models(large_db, lambda: load_tab(CTX, tab, program)).get("rows", []))

    seen: dict[str, int] = {}
    scoped: dict[str, int] = {}
    histories: dict[str, str] = {}
    async with make_app(large_db).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = await go(pilot, "8")
        assert isinstance(screen, RaidScreen)
        table = screen.query_one(DataTable)
        for tab in TABS:
            assert screen.tab == tab
            if tab == "matrix":
                matrix = status_of(screen, "#matrix")
                await press(pilot, "t")
                continue
            seen[tab] = table.row_count
            await to_the_end(pilot, table)
            if tab in ENTITIES:
                histories[tab] = await open_and_close(pilot, screen, "h")
                # someone saves: the list is read again, the cursor stays on its row
                kept = table.cursor_row
                pilot.app.changed()  # type: ignore[attr-defined]
                await press(pilot)
                assert table.cursor_row == kept > 0, tab
                word = screen.rows()[-1]["title"].split()[0]
                await filter_by(pilot, screen, word)
                assert 0 < table.row_count <= seen[tab], tab
                assert screen.current_row() == screen.rows()[table.cursor_row], tab
                await filter_by(pilot, screen, NOTHING)
                assert table.row_count == 0, tab
                await press(pilot, "escape")
                assert table.row_count == seen[tab], tab
            await press(pilot, "t")
        assert screen.tab == "risks"
        await press(pilot, "left_square_bracket")
        assert screen.tab == TABS[-1]
        await scope(pilot, PARENT)
        for tab in reversed(TABS):
            assert screen.tab == tab
            scoped[tab] = table.row_count
            await press(pilot, "left_square_bracket")
    for tab, count in seen.items():
        assert count == rows(tab, None) > 0, tab
        assert 0 < scoped[tab] == rows(tab, PARENT), tab
    assert "impact 5" in matrix
    assert all(title.startswith("History of") for title in histories.values())
    assert len(histories) == len(ENTITIES)


@LARGE
async def test_raid_charts(large_db: Path, make_app: MakeApp) -> None:
    """The tabs with charts (Metrics, Budget, Programs): the last row of each charted with
    the models' numbers, a program's metrics stepped through with ``m``, and the charts
    drawn again at 80x24 and back."""
    from docket.models.governance.trends import budget_burns, metric_trends
    from docket.tui.screens.raid import RaidScreen
    from docket.tui.widgets.trend_chart import ChartCanvas, TrendChart

    drawn: dict[str, Any] = {}
    async with make_app(large_db).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = await go(pilot, "8")
        assert isinstance(screen, RaidScreen)
        table = screen.query_one(DataTable)
        while screen.tab != "metrics":
            await press(pilot, "t")
        await press(pilot, "ctrl+end")
        chart = screen.query_one("#chart", TrendChart)
        drawn["metric"] = (screen.rows()[-1]["id"], chart.series[0].points)
        await press(pilot, "t")
        await press(pilot, "ctrl+end")
        drawn["budget"] = (screen.rows()[-1]["program"], chart.series[0].points[-1][1])
        await press(pilot, "t")
        assert screen.tab == "programs"
        await press(pilot, "ctrl+end")
        assert table.cursor_row == table.row_count - 1 == 19
        metric = screen.query_one("#program-metric", TrendChart)
        titles = set()
        for _ in range(4):
            assert metric.chart is not None and metric.series
            titles.add(metric.chart.title)
            await press(pilot, "m")
        for size in ((80, 24), (120, 40)):
            await pilot.resize_terminal(*size)
            await settle(pilot)
            no_failure(pilot)
            for shown_chart in ("#program-burn", "#program-metric"):
                canvas = screen.query_one(shown_chart, TrendChart).query_one(ChartCanvas)
                assert canvas.size.width >= size[0] // 2 - 4
                assert "┤" in str(canvas.render())
    last_program = screen.rows()[-1]["code"]
    trends = {t["id"]: t for t in models(large_db, metric_trends)}
    metric_id, points = drawn["metric"]
    assert [str(v) for _, v in points] == [r["value"] for r in trends[metric_id]["readings"]]
    burns = models(large_db, lambda: budget_burns(None, 2027, NOW.date()))
    code, spent = drawn["budget"]
    assert spent == Decimal(burns[code]["actual"]) > 0
    assert len(titles) == 4 and all(t.startswith(f"{last_program} metric ") for t in titles)


# --- a narrow terminal (80x24) -----------------------------------------------------------


@LARGE
async def test_portfolio_every_tab(large_db: Path, make_app: MakeApp) -> None:
    """400 proposals: the list and ranking hold every one, a proposal opens, the selection
    and the frontier are drawn (their content, a time-limited solve, is not compared)."""
    from docket.models.portfolio.value import proposal_values
    from docket.tui.screens.portfolio import TABS, PortfolioScreen

    everyone = len(models(large_db, proposal_values))
    counted: dict[str, int] = {}
    async with make_app(large_db).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = await go(pilot, "9")
        assert isinstance(screen, PortfolioScreen)
        table = screen.query_one(DataTable)
        for tab in TABS:
            assert screen.tab == tab
            if tab in ("proposals", "ranking"):
                counted[tab] = table.row_count
                await to_the_end(pilot, table)
            if tab == "proposals":
                opened = await open_and_close(pilot, screen)
            if tab == "selection":
                summary = status_of(screen, "#summary")
            if tab == "frontier":
                chart = status_of(screen, "#chart")
            await press(pilot, "t")
    assert counted == {"proposals": everyone, "ranking": everyone} and everyone >= 400
    assert opened.startswith("P-")
    assert "Chosen:" in summary and "of 400" not in summary  # only the candidates compete
    assert chart.strip()


@LARGE
async def test_a_narrow_terminal(large_db: Path, make_app: MakeApp) -> None:
    """At 80x24, the screens whose columns change with the width: each list shown, its
    cursor moved to the end, a record opened; the heatmap, contracts, timeline and every
    RAID tab too."""
    from docket.tui.screens.actions import count_matching
    from docket.tui.screens.contractors import load_view
    from docket.tui.screens.raid import TABS, load_tab

    counted: dict[str, int] = {}
    opened: dict[str, str] = {}
    async with make_app(large_db).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        today = pilot.app.screen
        assert isinstance(today, DocketScreen)
        await press(pilot, "pagedown", "end", "home", "down")
        opened["today"] = await open_and_close(pilot, today)
        actions = await go(pilot, "2")
        table = actions.query_one(DataTable)
        await to_the_end(pilot, table, pages=1)
        opened["actions"] = await open_and_close(pilot, actions)
        await filter_by(pilot, actions, "@me", keys=True)
        counted["actions @me"] = actions.total  # type: ignore[attr-defined]
        milestones = await go(pilot, "4")
        await press(pilot, "t", *["down"] * 5, "pagedown", "end")
        opened["timeline"] = await open_and_close(pilot, milestones)
        contractors = await go(pilot, "6")
        table = contractors.query_one(DataTable)
        for view in ("assignments", "allocation", "contracts"):
            assert contractors.view == view  # type: ignore[attr-defined]
            counted[view] = table.row_count
            if view == "allocation":
                # namesakes stay apart when the person column is narrow
                heat_labels = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
            await to_the_end(pilot, table)
            await press(pilot, "t")
        assert contractors.view == "sourcing"  # type: ignore[attr-defined]
        opened["solicitation"] = await open_and_close(pilot, contractors)
        await press(pilot, "t", "t", "t")
        opened["contract"] = await open_and_close(pilot, contractors)
        raid = await go(pilot, "8")
        table = raid.query_one(DataTable)
        for tab in TABS:
            if tab != "matrix":
                counted[tab] = table.row_count
                await press(pilot, "pagedown", "ctrl+end")
                assert table.cursor_row == table.row_count - 1, tab
            await press(pilot, "t")
    assert all(opened.values())
    assert len(set(heat_labels)) == len(heat_labels)
    assert any("…" in label for label in heat_labels)
    assert counted["actions @me"] == models(large_db, lambda: count_matching(CTX, "@me", None)) > 0
    for view in ("assignments", "allocation", "contracts"):
        data = models(large_db, lambda v=view: load_view(CTX, v, None))
        assert counted[view] == len(data.get("rows", data.get("people", []))) > 0, view
    for tab in TABS:
        if tab != "matrix":
            listed = models(large_db, lambda t=tab: load_tab(CTX, t, None))
            assert counted[tab] == len(listed["rows"]), tab


# --- namesakes: two people of one name, two programs with a metric of one name ------------


async def test_namesakes_on_every_screen(demo_db: Path, make_app: MakeApp, ctx: Context) -> None:
    """A second Ben Rossi (a vendor's), booked on ERP while the first is booked on CRM, and
    owning an action item, in the small demo (whose programs each have a "User
    satisfaction" metric): every screen opens and moves, the heatmap tells the two apart,
    and RAID lists each program's metric."""
    from docket.models.actions import items as actions
    from docket.models.contractors import assignments
    from docket.models.people.persons import add_person

    connect(demo_db)
    try:
        twin = add_person(ctx, "Ben Rossi", email="brossi@vendor.example", organization="Acme")
        actions.add_action(ctx, "Namesake's item", owner="brossi@vendor.example", program="ERP")
        assignments.add_assignment(
            ctx, "brossi@vendor.example", program="ERP", allocation="60",
            start="2026-11-01", end="2027-03-31", role="Analyst",
        )  # fmt: skip
        assignments.add_assignment(
            ctx, "ben.rossi@city.example", program="CRM", allocation="50",
            start="2026-11-01", end="2027-01-31", role="Lead",
        )  # fmt: skip
        satisfaction = [m for m in budget_metrics() if m["name"] == "User satisfaction"]
    finally:
        database.close()
    opened: dict[str, str] = {}
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for key in "1234567":
            await go(pilot, key)
            await press(pilot, "down", "pagedown", "ctrl+end")
        actions_screen = await go(pilot, "2")
        await filter_by(pilot, actions_screen, "namesake")
        opened["action"] = await open_and_close(pilot, actions_screen)
        contractors = await go(pilot, "6")
        await press(pilot, "t")
        heat = [r["person"] for r in contractors.rows()]  # type: ignore[attr-defined]
        people_screen = await go(pilot, "7")
        await filter_by(pilot, people_screen, "ben rossi")
        rossis = [r["email"] for r in people_screen.rows]  # type: ignore[attr-defined]
        opened["person"] = await open_and_close(pilot, people_screen)
        raid = await go(pilot, "8")
        await press(pilot, *["t"] * 5)
        assert raid.tab == "metrics"  # type: ignore[attr-defined]
        metrics = [(r["name"], r["program"]) for r in raid.rows()]  # type: ignore[attr-defined]
        await filter_by(pilot, raid, "satisfaction")
        shown_metrics = raid.query_one(DataTable).row_count
    assert opened["action"].startswith("#") and "Namesake" in opened["action"]
    assert "Ben Rossi <brossi@vendor.example>" in heat
    assert "Ben Rossi <ben.rossi@city.example>" in heat and "Ben Rossi" not in heat
    assert sorted(rossis) == ["ben.rossi@city.example", "brossi@vendor.example"]
    assert opened["person"]
    assert len(satisfaction) > 1
    assert sorted(m for m in metrics if m[0] == "User satisfaction") == sorted(
        (m["name"], m["program"]) for m in satisfaction
    )
    assert shown_metrics == len(satisfaction)
    assert twin.id


def budget_metrics() -> list[dict[str, Any]]:
    from docket.models.governance.metrics import metrics

    return metrics()


def test_a_namesakes_label_keeps_what_tells_them_apart() -> None:
    from docket.tui.widgets.heatmap import fit_person

    two = ["Aaliyah Mensah <aaliyah.mensah2@city.example>", "Aaliyah Mensah <a.mensah@x.example>"]
    assert [fit_person(label, 34) for label in two] == [
        "Aaliyah Mensah <aaliyah.mensah2@…>",
        "Aaliyah Mensah <a.mensah@…>",
    ]
    assert fit_person(two[0], 28) == "Aaliyah… <aaliyah.mensah2@…>"
    assert fit_person("Ben Rossi (#12)", 8) == "Ben Rossi (#12)"
    assert fit_person(two[1], 60) == two[1]


def test_decisions_are_listed_in_one_query_however_many(demo_db: Path) -> None:
    """The RAID decisions tab read one query per decision (5 s on the large demo)."""
    import logging

    from docket.models.governance.changes import change_facts, list_changes
    from docket.models.governance.decisions import decision_facts, list_decisions

    class Count(logging.Handler):
        def __init__(self) -> None:
            super().__init__()
            self.queries = 0

        def emit(self, record: logging.LogRecord) -> None:
            self.queries += 1

    counter = Count()
    log = logging.getLogger("peewee")
    connect(demo_db)
    level = log.level
    log.addHandler(counter)
    log.setLevel(logging.DEBUG)
    try:
        facts = [decision_facts(d) for d in list_decisions()]
        changes = [change_facts(c) for c in list_changes()]
    finally:
        log.removeHandler(counter)
        log.setLevel(level)
        database.close()
    assert len(facts) > 5 and any(f["decided_by"] for f in facts)
    assert len(changes) > 2 and any(c["approver"] for c in changes)
    assert counter.queries <= 4
