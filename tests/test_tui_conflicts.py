"""Two administrators edit one record: the form shows theirs and yours, and nothing is lost.

Someone else's save is made on the app's own database thread, as another account, after
the form was opened: the version the form read is then stale, as it would be after another
terminal saved.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, Static
from tui_support import settle, shown, until

from docket.models.actions import items as actions
from docket.models.core.context import Context
from docket.models.core.database import connect
from docket.models.core.schema import ActionItem, Milestone
from docket.models.milestones import schedule as milestones
from docket.tui.app import DocketApp
from docket.tui.forms.base import EditForm
from docket.tui.screens.actions import ActionsScreen
from docket.tui.widgets.dialogs import ConflictDialog

MakeApp = Callable[[Path], DocketApp]
THEIR_PRIORITY = "low"


async def until_shown(pilot: Any, kind: type) -> None:
    """Wait for a dialog that a save is waiting on (settle would wait for the save)."""
    await until(pilot, lambda: isinstance(pilot.app.screen, kind), f"{kind.__name__} shown")
    await pilot.pause()


def _their_edit(app: DocketApp, ctx: Context, action_id: int, **changes: Any) -> None:
    """Another account saves the item, on the app's database thread."""
    bo = Context(actor="bo", tz=ctx.tz, clock=ctx.clock)

    def edit() -> None:
        item = actions.get_action(action_id)
        actions.update_action(bo, action_id, item.version, **changes)

    app.store.call(edit)


async def _edit_first_and_clash(pilot: Any, ctx: Context) -> tuple[int, EditForm]:
    """Open the first item's form, type a title and a due date, let "bo" save first."""
    await pilot.press("2")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ActionsScreen)
    first = int(screen.rows[0]["id"])
    assert screen.rows[0]["priority"] != THEIR_PRIORITY
    await pilot.press("e")
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, EditForm)
    form.query_one("#field-title", Input).value = "Mine"
    form.query_one("#field-due", Input).value = "2026-12-18"
    _their_edit(pilot.app, ctx, first, title="Theirs", priority=THEIR_PRIORITY)
    await pilot.press("ctrl+s")
    await until_shown(pilot, ConflictDialog)
    return first, form


@pytest.fixture(autouse=True)
def _no_poll(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(DocketApp, "POLL_S", 600.0)


async def test_a_stale_save_shows_theirs_and_yours_field_by_field(
    demo_db: Path, make_app: MakeApp, ctx: Context
) -> None:
    async with make_app(demo_db).run_test(size=(80, 24)) as pilot:
        _, _form = await _edit_first_and_clash(pilot, ctx)
        dialog = pilot.app.screen
        assert isinstance(dialog, ConflictDialog)
        assert dialog.message == (
            "Changed by bo at 2026-11-23 15:00:00 UTC since this form was opened; "
            "nothing of yours is saved yet."
        )
        table = shown(dialog.query_one("#conflict-table", Static))
    lines = {line.replace("!", "").split()[0]: line.strip() for line in table.splitlines()[1:]}
    # title: both changed it; priority: only they did; due: only I did; owner: nobody
    assert lines["Title"].startswith("! Title") and "Theirs" in lines["Title"]
    assert "Mine" in lines["Title"]
    assert THEIR_PRIORITY in lines["Priority"]
    assert "2026-12-18" in lines["Due"]
    assert "Owner" not in lines


async def test_apply_mine_saves_my_fields_on_their_version_and_keeps_theirs(
    demo_db: Path, make_app: MakeApp, ctx: Context
) -> None:
    async with make_app(demo_db).run_test(size=(80, 24)) as pilot:
        first, _ = await _edit_first_and_clash(pilot, ctx)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ActionsScreen)  # saved, form closed
    connect(demo_db)
    item = ActionItem.get_by_id(first)
    # my title and due date, their priority: nothing silently lost
    assert (item.title, str(item.due), item.priority) == ("Mine", "2026-12-18", THEIR_PRIORITY)


async def test_reload_takes_theirs_and_saves_nothing_of_mine(
    demo_db: Path, make_app: MakeApp, ctx: Context
) -> None:
    async with make_app(demo_db).run_test(size=(80, 24)) as pilot:
        first, form = await _edit_first_and_clash(pilot, ctx)
        await pilot.press("r")
        await settle(pilot)
        assert pilot.app.screen is form
        assert form.values()["title"] == "Theirs"
        assert form.values()["priority"] == THEIR_PRIORITY
        assert "Reloaded" in shown(form.query_one("#form-error", Static))
        version = form.version
    connect(demo_db)
    item = ActionItem.get_by_id(first)
    assert (item.title, item.version) == ("Theirs", version)
    assert str(item.due) != "2026-12-18"


async def test_escape_goes_back_to_the_form_with_what_was_typed(
    demo_db: Path, make_app: MakeApp, ctx: Context
) -> None:
    async with make_app(demo_db).run_test(size=(80, 24)) as pilot:
        first, form = await _edit_first_and_clash(pilot, ctx)
        await pilot.press("escape")
        await settle(pilot)
        assert pilot.app.screen is form
        assert form.values()["title"] == "Mine"
        assert "changed by bo" in shown(form.query_one("#form-error", Static))
    connect(demo_db)
    assert ActionItem.get_by_id(first).title == "Theirs"


async def test_a_milestone_form_gets_the_conflict_dialog_too(
    demo_db: Path, make_app: MakeApp, ctx: Context
) -> None:
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        await pilot.press("4")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, EditForm)
        milestone_id = int(form.form_title.split("#")[1])
        form.query_one("#field-title", Input).value = "Mine"
        bo = Context(actor="bo", tz=ctx.tz, clock=ctx.clock)

        def theirs() -> None:
            m = Milestone.get_by_id(milestone_id)
            milestones.update_milestone(bo, milestone_id, m.version, owner="")

        pilot.app.store.call(theirs)
        await pilot.press("ctrl+s")
        await until_shown(pilot, ConflictDialog)
        await pilot.press("a")
        await settle(pilot)
    connect(demo_db)
    saved = Milestone.get_by_id(milestone_id)
    assert saved.title == "Mine"
    assert saved.owner_id is None


async def test_a_person_form_gets_the_conflict_dialog_too(
    demo_db: Path, make_app: MakeApp, ctx: Context
) -> None:
    from docket.models.core.schema import Person
    from docket.models.people.persons import update_person

    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        await pilot.press("7")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, EditForm)
        person_id = int(form.form_title.rsplit("#", 1)[1].rstrip(")"))
        form.query_one("#field-title", Input).value = "Mine"
        bo = Context(actor="bo", tz=ctx.tz, clock=ctx.clock)

        def theirs() -> None:
            person = Person.get_by_id(person_id)
            update_person(bo, person_id, person.version, phone="555-0100")

        pilot.app.store.call(theirs)
        await pilot.press("ctrl+s")
        await until_shown(pilot, ConflictDialog)
        table = shown(pilot.app.screen.query_one("#conflict-table", Static))
        assert "555-0100" in table and "Mine" in table
        await pilot.press("a")
        await settle(pilot)
    connect(demo_db)
    saved = Person.get_by_id(person_id)
    # my title on their version: their phone kept
    assert (saved.title, saved.phone) == ("Mine", "555-0100")


async def test_u_undoes_my_last_change_and_h_shows_it_in_the_history(
    demo_db: Path, make_app: MakeApp, ctx: Context
) -> None:
    from docket.tui.widgets.history_panel import HistoryPanel

    async with make_app(demo_db).run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, ActionsScreen)
        first = screen.rows[0]
        await pilot.press("e")
        await settle(pilot)
        pilot.app.screen.query_one("#field-title", Input).value = "Renamed by mistake"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen.rows[0]["title"] == "Renamed by mistake"
        await pilot.press("u")
        await settle(pilot)
        assert screen.rows[0]["title"] == first["title"]
        await pilot.press("h")
        await settle(pilot)
        panel = pilot.app.screen
        assert isinstance(panel, HistoryPanel)
        lines = shown(panel.query_one("#history", Static)).splitlines()
    # newest first: the undo (with its reason on the line under it), then the mistake
    assert "tester update" in lines[0]
    assert f"title: changed from Renamed by mistake to {first['title']}" in lines[0]
    assert "reason: undo of change" in lines[1]
    assert f"title: changed from {first['title']} to Renamed by mistake" in lines[2]


async def test_u_after_someone_else_changed_the_record_says_who(
    demo_db: Path, make_app: MakeApp, ctx: Context
) -> None:
    from docket.tui.widgets.dialogs import ErrorDialog

    async with make_app(demo_db).run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, ActionsScreen)
        first = int(screen.rows[0]["id"])
        _their_edit(pilot.app, ctx, first, title="Theirs")
        await pilot.press("u")
        await settle(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, ErrorDialog)
        assert "last changed by bo" in dialog.message
    connect(demo_db)
    assert ActionItem.get_by_id(first).title == "Theirs"


async def _rename(pilot: Any, title: str) -> None:
    """Edit the item under the cursor: a new title, saved."""
    await pilot.press("e")
    await settle(pilot)
    pilot.app.screen.query_one("#field-title", Input).value = title
    await pilot.press("ctrl+s")
    await settle(pilot)


async def test_two_apps_on_one_database_see_each_others_changes_and_conflict(
    demo_db: Path, make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(DocketApp, "POLL_S", 0.2)
    ana, bo = make_app(demo_db), make_app(demo_db)
    async with ana.run_test(size=(80, 24)) as one, bo.run_test(size=(80, 24)) as two:
        for pilot in (one, two):
            await pilot.press("2")
            await settle(pilot)
        first = int(one.app.screen.rows[0]["id"])
        # bo renames an item once ana's app has seen the database as it was; ana's list
        # shows it without a key pressed
        await until(one, lambda: ana._seen_version is not None, "ana's first poll")
        await _rename(two, "Bo's title")
        await until(
            one,
            lambda: [row["title"] for row in one.app.screen.rows[:1]] == ["Bo's title"],
            "bo's title on ana's list",
        )
        await settle(one)
        assert one.app.screen.rows[0]["title"] == "Bo's title"
        # ana starts an edit; bo saves the same item first; ana's save is a conflict
        await one.press("e")
        await settle(one)
        await _rename(two, "Bo again")
        form = one.app.screen
        assert isinstance(form, EditForm)
        form.query_one("#field-title", Input).value = "Ana's title"
        await one.press("ctrl+s")
        await until_shown(one, ConflictDialog)
        assert "Bo again" in shown(one.app.screen.query_one("#conflict-table", Static))
    connect(demo_db)
    assert ActionItem.get_by_id(first).title == "Bo again"


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_the_conflict_dialog_looks_right(
    snap_compare: Any, demo_db: Path, make_app: MakeApp, ctx: Context, size: tuple[int, int]
) -> None:
    async def clash(pilot: Any) -> None:
        await _edit_first_and_clash(pilot, ctx)

    assert snap_compare(make_app(demo_db), terminal_size=size, run_before=clash)


async def test_h_on_the_milestones_list_shows_that_milestones_history(
    demo_db: Path, make_app: MakeApp
) -> None:
    from docket.tui.screens.milestones import MilestonesScreen
    from docket.tui.widgets.history_panel import HistoryPanel

    async with make_app(demo_db).run_test(size=(80, 24)) as pilot:
        await pilot.press("4")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, MilestonesScreen)
        wanted = screen.current_id()
        await pilot.press("h")
        await settle(pilot)
        panel = pilot.app.screen
        assert isinstance(panel, HistoryPanel)
        assert panel.title_text == f"milestone #{wanted}"
        # the demo's creation of it, in words
        text = shown(panel.query_one("#history", Static))
        assert "create" in text and "title: set to " in text and "program: set to " in text


async def test_a_viewer_pressing_u_is_told_read_only_and_nothing_changes(
    demo_db: Path, make_app: MakeApp, ctx: Context
) -> None:
    from docket.models.core.schema import UserAccount
    from docket.tui.widgets.dialogs import ErrorDialog

    async with make_app(demo_db).run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, ActionsScreen)
        first = int(screen.rows[0]["id"])

        def mine_then_viewer() -> None:
            # tester changes the item, then an admin makes tester a viewer
            actions.update_action(ctx, first, actions.get_action(first).version, title="Mine")
            UserAccount.update(role="viewer").where(UserAccount.account == ctx.actor).execute()

        pilot.app.store.call(mine_then_viewer)
        await pilot.press("u")
        await settle(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, ErrorDialog)
        assert dialog.message.startswith("read-only: your account tester is a viewer")
    connect(demo_db)
    assert ActionItem.get_by_id(first).title == "Mine"
