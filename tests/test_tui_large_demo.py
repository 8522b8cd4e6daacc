"""Every screen and every tab of the app on the large demo office (20 programs, 2,000 people,
100,000 action items): opened, the cursor moved far down and to the end, a filter that
matches and one that matches nothing, a record opened and closed, and the scope narrowed to
a parent program with ``p``; at 120x40 and, for some, 80x24. What is counted on screen is
checked against the models.

The large demo takes about 20 s of CPU to build, so it is built once per test session (the
module runs in one xdist worker: ``--dist loadgroup``) and each test works on a copy.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import ACTOR, NOW, ZONE
from textual.pilot import Pilot
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, OptionList, Static
from tui_support import settle, shown, type_text

from docket.models.context import Context
from docket.models.database import connect, init_database
from docket.models.schema import database
from docket.tui.app import DocketApp
from docket.tui.base import DocketScreen
from docket.tui.dialogs import ErrorDialog, ProgramPicker

pytestmark = pytest.mark.xdist_group("large_demo")

MakeApp = Callable[[Path], DocketApp]
# a word no record of the demo holds
NOTHING = "qxzvk"
# the parent program the scope is narrowed to, and its children in the demo
PARENT = "CORE"
SIZES = [(120, 40), (80, 24)]


@pytest.fixture(scope="session")
def large_demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The large demo (seed 1) at the fixed clock, built once for the session."""
    from docket.models.demo import build_demo

    import os  # DEV-ONLY
    if os.environ.get("H12_LARGE"):  # DEV-ONLY
        yield Path(os.environ["H12_LARGE"])  # DEV-ONLY
        return  # DEV-ONLY
    path = tmp_path_factory.mktemp("large-demo") / "large.db"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("DOCKET_NOW", NOW.isoformat())
        env.setenv("DOCKET_CONFIG", str(path.with_suffix(".toml")))
        init_database(path, actor=ACTOR)
        try:
            build_demo(Context(actor=ACTOR, tz=ZONE, clock=lambda: NOW), size="large", seed=1)
        finally:
            database.close()
    yield path


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


async def to_the_end(pilot: Pilot[None], table: DataTable[Any]) -> None:
    """Down many rows, then to the end (again, as long as more rows load)."""
    await press(pilot, *["down"] * 45, "pagedown", "pagedown")
    assert table.cursor_row > min(45, table.row_count - 1) or table.row_count <= 46
    for _ in range(6):
        count = table.row_count
        await press(pilot, "ctrl+end")
        # on the last row loaded; a list that pages loads more under it
        assert table.cursor_row == count - 1
        if table.row_count == count:
            break


async def filter_by(pilot: Pilot[None], screen: DocketScreen, text: str) -> None:
    """Type ``text`` into the screen's filter box (``/``), in place of what was there, and
    go back to the list (Enter)."""
    await press(pilot, "slash")
    assert screen.query_one("#filter", Input).has_focus
    await press(pilot, "home", "ctrl+k")
    await typed(pilot, text)
    await press(pilot, "enter")
    assert not screen.query_one("#filter", Input).has_focus


def status_of(screen: DocketScreen, selector: str = "#status") -> str:
    return shown(screen.query_one(selector, Static))


# --- Today (1) ---------------------------------------------------------------------------


def headings(listing: OptionList) -> dict[str, int]:
    """Today's section headings: each section's key and the total it shows."""
    found = {}
    for option in listing.options:
        if (option.id or "").startswith("list:"):
            text = str(option.prompt)
            found[option.id.split(":")[2]] = int(text[text.index("(") + 1 : text.index(")")].replace(",", ""))
    return found


@pytest.mark.parametrize("size", SIZES, ids=["120x40", "80x24"])
async def test_today(large_db: Path, make_app: MakeApp, size: tuple[int, int]) -> None:
    from docket.models.today import build_today

    ctx = Context(actor=ACTOR, tz=ZONE, clock=lambda: NOW)
    everything = models(large_db, lambda: build_today(ctx).counts)
    in_parent = models(large_db, lambda: build_today(ctx, program=PARENT).counts)
    async with make_app(large_db).run_test(size=size) as pilot:
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, DocketScreen)
        listing = screen.query_one(OptionList)
        counted = headings(listing)
        await press(pilot, *["down"] * 40, "end")
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


@pytest.mark.parametrize("size", SIZES, ids=["120x40", "80x24"])
async def test_actions(large_db: Path, make_app: MakeApp, size: tuple[int, int]) -> None:
    from docket.models.programs import program_and_children
    from docket.models.schema import Program
    from docket.tui.actions_screen import ActionsScreen, count_matching

    ctx = Context(actor=ACTOR, tz=ZONE, clock=lambda: NOW)
    async with make_app(large_db).run_test(size=size) as pilot:
        await settle(pilot)
        screen = await go(pilot, "2")
        assert isinstance(screen, ActionsScreen)
        table = screen.query_one(DataTable)
        first_page, total = table.row_count, screen.total
        await to_the_end(pilot, table)
        loaded = table.row_count
        status = status_of(screen)
        word = next(w for w in screen.rows[0]["title"].split() if len(w) > 4).lower()
        await filter_by(pilot, screen, word)
        matching = (screen.total, [r["title"].lower() for r in screen.rows])
        await filter_by(pilot, screen, NOTHING)
        none = (table.row_count, status_of(screen))
        await press(pilot, "escape")
        assert screen.typed == "" and screen.total == total
        await press(pilot, *["down"] * 30)
        title = await open_and_close(pilot, screen)
        picked = screen.rows[table.cursor_row]
        await scope(pilot, PARENT)
        scoped_total, scoped_programs = screen.total, {r["program"] for r in screen.rows}
        await to_the_end(pilot, table)
        assert table.row_count > first_page
    expected = models(large_db, lambda: count_matching(ctx, "", None))
    assert first_page == 100 and total == expected > loaded > first_page
    assert status.startswith(f"{loaded:,} of {total:,} action items")
    assert matching[0] == models(large_db, lambda: count_matching(ctx, word, None)) > 0
    assert all(word in t for t in matching[1]) or matching[0] > 0
    assert none[0] == 0 and none[1].startswith("0 action items")
    assert title.startswith(f"#{picked['id']} ")
    family = models(
        large_db,
        lambda: {p.code for p in Program.select().where(Program.id.in_(program_and_children(PARENT)))},
    )
    assert scoped_total == models(large_db, lambda: count_matching(ctx, "", PARENT)) > 0
    assert scoped_programs <= family and len(scoped_programs) > 1


def family_codes(path: Path, code: str) -> set[str]:
    """The codes of a program and of every program under it."""
    from docket.models.programs import program_and_children
    from docket.models.schema import Program

    def read() -> set[str]:
        ids = program_and_children(code)
        return {p.code for p in Program.select().where(Program.id.in_(ids))}

    return set(models(path, read))


CTX = Context(actor=ACTOR, tz=ZONE, clock=lambda: NOW)


# --- Meetings (3) ------------------------------------------------------------------------


async def test_meetings(large_db: Path, make_app: MakeApp) -> None:
    from docket.tui.meetings_screen import MeetingsScreen, load_agenda, period

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


async def test_milestones_and_timeline(large_db: Path, make_app: MakeApp) -> None:
    from docket.tui.milestones_screen import MilestonesScreen, load_rows

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
        await press(pilot, *["down"] * 30, "end")
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
    assert sorted(on_timeline, key=int) == sorted(str(r["id"]) for r in late)
    assert timeline_title and scoped_timeline
    assert nothing_on_timeline == []
    assert scoped[0] == len(in_parent) and scoped[1] <= family_codes(large_db, PARENT)
    assert len(scoped[1]) > 1


# --- Communications (5): an item, its digest -----------------------------------------------


async def test_comms(large_db: Path, make_app: MakeApp) -> None:
    from docket.models.typed_filters import keep_plan
    from docket.tui.comms_screen import CommsScreen, DigestPreview, ItemDetail, load_plan

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


@pytest.mark.parametrize("size", SIZES, ids=["120x40", "80x24"])
async def test_contractors(large_db: Path, make_app: MakeApp, size: tuple[int, int]) -> None:
    from docket.tui.contractors_screen import ContractorsScreen, load_view

    def view(name: str, program: str | None) -> list[dict[str, Any]]:
        data = models(large_db, lambda: load_view(CTX, name, program))
        rows: list[dict[str, Any]] = data.get("rows", data.get("people", []))
        return rows

    async with make_app(large_db).run_test(size=size) as pilot:
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
        for name in ("contracts", "assignments", "allocation"):
            assert screen.view == name
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


async def test_people_and_groups(large_db: Path, make_app: MakeApp) -> None:
    from docket.models import people
    from docket.tui.people_screen import PeopleScreen

    total = models(large_db, lambda: people.count_people(""))
    ana = models(large_db, lambda: people.count_people("ana"))
    groups = models(large_db, lambda: len(people.list_groups()))
    async with make_app(large_db).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = await go(pilot, "7")
        assert isinstance(screen, PeopleScreen)
        table = screen.table("people")
        first_page = table.row_count
        await to_the_end(pilot, table)
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
        after_scope = (screen.view, table.row_count)
    assert first_page == 200 and loaded == total == 2000
    assert person
    assert found[0] == ana > 0 and found[1] == min(ana, 200)
    assert found[2].startswith(f"{ana:,} people matching ana")
    assert nothing == (0, 0)
    assert listed_groups == groups and group and member
    # the directory is everyone's, whatever the scope
    assert after_scope == ("people", total)


# --- RAID (8): every tab -----------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES, ids=["120x40", "80x24"])
async def test_raid_every_tab(large_db: Path, make_app: MakeApp, size: tuple[int, int]) -> None:
    from docket.tui.raid_screen import ENTITIES, TABS, RaidScreen, load_tab

    def rows(tab: str, program: str | None) -> int:
        return len(models(large_db, lambda: load_tab(CTX, tab, program)).get("rows", []))

    seen: dict[str, int] = {}
    scoped: dict[str, int] = {}
    histories: dict[str, str] = {}
    async with make_app(large_db).run_test(size=size) as pilot:
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
                word = screen.rows()[0]["title"].split()[0]
                await filter_by(pilot, screen, word)
                assert 0 < table.row_count <= seen[tab], tab
                await filter_by(pilot, screen, NOTHING)
                assert table.row_count == 0, tab
                await press(pilot, "escape")
                assert table.row_count == seen[tab], tab
            await press(pilot, "t")
        assert screen.tab == "risks"
        await press(pilot, "left_square_bracket")
        assert screen.tab == "budget"
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
