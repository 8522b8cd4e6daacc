"""The app as an administrator uses it: Today, action items, forms, capture, help, scope.

Each test drives the real app (database thread and all) on the small demo at the fixed
clock, with keys, and checks what the screen shows and what the database holds.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, Input, OptionList, Static
from tui_support import pressing, settle, shown, type_text, until

from docket.models.actions import items as actions
from docket.models.actions.items import ActionFilter
from docket.models.core.context import Context
from docket.models.core.database import connect
from docket.models.core.schema import ActionItem, AuditEntry, UserAccount, database
from docket.models.overview.today import build_today
from docket.tui.app import DocketApp
from docket.tui.forms.base import RecordForm
from docket.tui.screens.actions import ActionsScreen

MakeApp = Callable[[Path], DocketApp]


def table_rows(app: DocketApp) -> list[dict[str, str]]:
    """The list's rows as plain text by column, cells trimmed."""
    table = app.screen.query_one(DataTable)
    keys = [str(c.key.value) for c in table.columns.values()]
    return [
        {key: str(cell).strip() for key, cell in zip(keys, table.get_row_at(i), strict=True)}
        for i in range(table.row_count)
    ]


def hint(app: DocketApp, name: str) -> str:
    return shown(app.screen.query_one(f"#hint-{name}", Static))


def reopen(path: Path) -> None:
    """Bind the models to the file again from the test's thread, to check what was saved."""
    connect(path)


async def test_today_shows_my_lists_first_then_everyones_milestones_and_meetings(
    demo_db: Path, make_app: MakeApp
) -> None:
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        prompts = [str(o.prompt) for o in pilot.app.screen.query_one(OptionList).options]
    headings = [p.split(" (")[0] for p in prompts if not p.startswith(" ")]
    assert headings == [
        "My overdue actions",
        "My actions due soon",
        "Everyone else's overdue actions",
        "Everyone else's actions due soon",
        "Milestones in the next 14 days",
        "Milestones slipped or late",
        "Meetings today and tomorrow",
        "Communications due this week",
        "Contractor alerts",
        "Risks to review, changes to decide, metrics in red",
        "Scores you owe",
        "Programs coloured better than the evidence",
    ]


async def test_each_screen_reads_the_database_once_when_first_shown(
    demo_db: Path, make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    from collections import Counter

    from docket.tui.screens.base import DocketScreen
    from docket.tui.screens.registry import MODES

    loads: Counter[str] = Counter()
    reload = DocketScreen.reload

    def counting(screen: DocketScreen) -> None:
        loads[screen.MODE] += 1
        reload(screen)

    monkeypatch.setattr(DocketScreen, "reload", counting)
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert loads == {"today": 1}
        await pressing(["2", "3", "4", "5", "6", "7", "8", "9", "1"])(pilot)
    assert loads == dict.fromkeys(MODES, 1)


async def test_a_count_on_today_leads_to_the_full_filtered_list(
    demo_db: Path, make_app: MakeApp, ctx: Context
) -> None:
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        listing = pilot.app.screen.query_one(OptionList)
        heading = next(i for i, o in enumerate(listing.options) if str(o.id).endswith(":overdue"))
        listing.highlighted = heading
        await pilot.press("enter")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, ActionsScreen)
        assert screen.query_one("#filter", Input).value == "-@me is:overdue"
        shown_total = screen.total
    reopen(demo_db)
    assert shown_total == build_today(ctx).counts["overdue"]


async def test_adding_an_action_item_through_the_form(demo_db: Path, make_app: MakeApp) -> None:
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        await type_text(pilot, "Book the board room")
        await pilot.press("tab")
        await type_text(pilot, "#1")
        await pilot.press("tab")
        await type_text(pilot, "fri")
        await settle(pilot)
        assert hint(pilot.app, "due").startswith("→ Fri 27 Nov 2026")
        await pilot.press("tab")
        await type_text(pilot, "ERP")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(pilot.app.screen, RecordForm)
        titles = [row["title"] for row in table_rows(pilot.app)]
    assert "Book the board room" in titles
    reopen(demo_db)
    item = ActionItem.get(ActionItem.title == "Book the board room")
    assert (item.owner.id, str(item.due), item.program.code) == (1, "2026-11-27", "ERP")


async def test_a_failed_save_names_the_field_and_keeps_everything_typed(
    demo_db: Path, make_app: MakeApp
) -> None:
    before = None
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        before = pilot.app.screen.total
        await pilot.press("a")
        await settle(pilot)
        await type_text(pilot, "Chase the vendor")
        await pilot.press("tab", "tab")
        await type_text(pilot, "someday")
        await pilot.press("ctrl+s")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, RecordForm)
        assert hint(pilot.app, "due").startswith("due: expected a date")
        assert form.values()["title"] == "Chase the vendor"
        assert form.values()["due"] == "someday"
    reopen(demo_db)
    assert ActionItem.get_or_none(ActionItem.title == "Chase the vendor") is None
    assert before is not None


async def test_editing_an_item_changes_it_and_keeps_history(
    demo_db: Path, make_app: MakeApp
) -> None:
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        first = pilot.app.screen.rows[0]
        await pilot.press("e")
        await settle(pilot)
        title = pilot.app.screen.query_one("#field-title", Input)
        title.value = "Renamed by the form"
        await pilot.press("ctrl+s")
        await settle(pilot)
    reopen(demo_db)
    item = ActionItem.get_by_id(first["id"])
    assert item.title == "Renamed by the form"
    entry = AuditEntry.select().where(AuditEntry.entity_id == item.id).order_by(-AuditEntry.id)
    assert '"title": [' in entry.first().changes


async def test_typing_a_filter_narrows_the_list_in_sql(
    demo_db: Path, make_app: MakeApp, ctx: Context
) -> None:
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        everything = pilot.app.screen.total
        await pilot.press("slash")
        await type_text(pilot, "#ERP !high")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, ActionsScreen)
        programs = {row["program"] for row in table_rows(pilot.app)}
        priorities = {row["priority"] for row in table_rows(pilot.app)}
        narrowed = screen.total
    reopen(demo_db)
    expected = actions.count_actions(ctx, ActionFilter(program="ERP", priority="high"))
    assert (programs, priorities, narrowed) == ({"ERP"}, {"high"}, expected)
    assert narrowed < everything


@pytest.mark.parametrize(
    ("key", "word"),
    [("2", "budget"), ("4", "business"), ("6", "amara"), ("7", "amara"), ("8", "budget")],
)
async def test_the_filter_box_works_alike_on_every_list(
    demo_db: Path, make_app: MakeApp, key: str, word: str
) -> None:
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        await pressing([key])(pilot)
        table = pilot.app.screen.query_one(DataTable)
        everything = table.row_count
        await pilot.press("slash")
        await type_text(pilot, word)
        await settle(pilot)
        narrowed = table.row_count
        assert 0 < narrowed < everything
        await pressing(["enter"])(pilot)
        assert pilot.app.focused is table and pilot.app.screen.query_one("#filter", Input).value
        await pressing(["slash", "escape"])(pilot)
        assert pilot.app.focused is table and table.row_count == narrowed
        await pressing(["escape"])(pilot)
        assert pilot.app.screen.query_one("#filter", Input).value == ""
        assert table.row_count == everything


async def test_escape_clears_the_marked_items_before_the_filter(
    demo_db: Path, make_app: MakeApp
) -> None:
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        await pressing(["2", "slash", *"budget", "enter", "space"])(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, ActionsScreen)
        assert len(screen.selected) == 1
        await pressing(["escape"])(pilot)
        assert not screen.selected and screen.typed == "budget"
        await pressing(["escape"])(pilot)
        assert screen.typed == ""


async def test_a_bad_filter_term_is_explained_and_the_list_stays(
    demo_db: Path, make_app: MakeApp
) -> None:
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        rows_before = table_rows(pilot.app)
        await pilot.press("slash")
        await type_text(pilot, "!huge")
        await settle(pilot)
        status = shown(pilot.app.screen.query_one("#status", Static))
        assert "filter" in status and "huge" in status
        assert table_rows(pilot.app) == rows_before


async def test_several_items_are_marked_done_at_once(demo_db: Path, make_app: MakeApp) -> None:
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, ActionsScreen)
        chosen = [screen.rows[0]["id"], screen.rows[1]["id"]]
        await pilot.press("space", "space", "d")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        still_listed = {r["id"] for r in screen.rows}
    assert not still_listed & set(chosen)
    reopen(demo_db)
    assert [ActionItem.get_by_id(i).status for i in chosen] == ["done", "done"]


async def test_quick_capture_previews_then_saves_from_any_screen(
    demo_db: Path, make_app: MakeApp
) -> None:
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        await type_text(pilot, "Send budget draft fri #ERP !high")
        await settle(pilot)
        preview = shown(pilot.app.screen.query_one("#preview", Static))
        assert "Send budget draft" in preview and "ERP" in preview and "high" in preview
        await pilot.press("enter")
        await settle(pilot)
    reopen(demo_db)
    item = ActionItem.get(ActionItem.title == "Send budget draft")
    assert (str(item.due), item.program.code, item.priority) == ("2026-11-27", "ERP", "high")


async def test_user_text_is_shown_literally_never_as_markup_or_escapes(
    demo_db: Path, make_app: MakeApp, ctx: Context
) -> None:
    reopen(demo_db)
    # as an import or an older version might have stored them
    for title in ("[bold]x[/]", "red \x1b[31mALERT"):
        ActionItem.create(
            title=title,
            status="open",
            priority="urgent",
            due="2026-11-01",
            created_at=ctx.now(),
            updated_at=ctx.now(),
            version=1,
        )
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        titles = [row["title"] for row in table_rows(pilot.app)]
    assert "[bold]x[/]" in titles
    assert "red ␛[31mALERT" in titles


async def test_help_lists_this_screens_keys_and_the_filter_terms(
    demo_db: Path, make_app: MakeApp
) -> None:
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        text = " ".join(shown(s) for s in pilot.app.screen.query(Static))
    assert "Reassign" in text or "new owner" in text
    assert "@" in text and "#" in text


async def test_scoping_to_a_program_narrows_every_screen(demo_db: Path, make_app: MakeApp) -> None:
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        picker = pilot.app.screen.query_one(OptionList)
        erp = next(i for i, o in enumerate(picker.options) if o.id == "ERP")
        picker.highlighted = erp
        await pilot.press("enter")
        await settle(pilot)
        programs = {row["program"] for row in table_rows(pilot.app)}
        assert pilot.app.program == "ERP"
    assert programs == {"ERP"}


async def test_the_command_palette_reaches_a_screens_actions_by_name(
    demo_db: Path, make_app: MakeApp
) -> None:
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await type_text(pilot, "reassign")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, RecordForm)
        assert form.form_title.startswith("New owner for #")


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pytest.mark.parametrize(
    "keys",
    [[], ["2"], ["2", "question_mark"], ["2", "a"]],
    ids=["today", "actions", "help", "add-form"],
)
def test_screens_look_right(
    snap_compare: Any, demo_db: Path, make_app: MakeApp, keys: list[str], size: tuple[int, int]
) -> None:
    assert snap_compare(make_app(demo_db), terminal_size=size, run_before=pressing(keys))


async def test_another_administrators_change_appears_without_a_restart(
    demo_db: Path, make_app: MakeApp, ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(DocketApp, "POLL_S", 0.2)
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, ActionsScreen)
        before = screen.total
        # the app has seen the database as it is: its poll has read the version once
        app = pilot.app
        assert isinstance(app, DocketApp)
        await until(pilot, lambda: app._seen_version is not None, "the app's first poll")
        # another administrator: another process writing to the same file
        command = [sys.executable, "-m", "docket.tui", "--db", str(demo_db), "action", "add"]
        subprocess.run([*command, "Added from another terminal", "--due", "2026-11-01"], check=True)
        # no key pressed: the poll sees the change and the list reloads
        await until(pilot, lambda: screen.total == before + 1, "the list showing the new item")
        await settle(pilot)
        titles = [row["title"] for row in table_rows(pilot.app)]
    assert "Added from another terminal" in titles
    assert screen.total == before + 1


async def test_a_conflicting_change_is_reported_and_nothing_is_overwritten(
    demo_db: Path, make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    from docket.tui.widgets.dialogs import ErrorDialog

    monkeypatch.setattr(DocketApp, "POLL_S", 600.0)  # the screen keeps the version it read

    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, ActionsScreen)
        first = screen.rows[0]["id"]
        # another administrator renames the item after this screen read it
        command = [sys.executable, "-m", "docket.tui", "--db", str(demo_db), "action", "edit"]
        subprocess.run([*command, str(first), "--title", "Theirs"], check=True)
        await pilot.press("d")
        await settle(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, ErrorDialog)
        assert "changed by" in dialog.message
    reopen(demo_db)
    item = ActionItem.get_by_id(first)
    assert (item.title, item.status) == ("Theirs", "open")


async def test_a_viewer_sees_read_only_and_a_save_says_why(
    demo_db: Path, make_app: MakeApp
) -> None:
    reopen(demo_db)
    UserAccount.update(role="viewer").where(UserAccount.account == "tester").execute()
    database.close()
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert "read-only (viewer)" in pilot.app.banner
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        await type_text(pilot, "Not allowed")
        await pilot.press("ctrl+s")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, RecordForm)
        assert shown(form.query_one("#form-error", Static)).startswith("read-only: your account")
        assert form.values()["title"] == "Not allowed"
