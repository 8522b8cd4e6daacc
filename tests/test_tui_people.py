"""People and groups (key 7) as an administrator uses them: finding people as you type,
adding and editing them through the form, and keeping groups' members.

Each test drives the real app (database thread and all) on the small demo at the fixed
clock, with keys, and checks what the screen shows and what the database holds.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select, Static
from tui_support import settle, shown, type_text, until

from docket.models.core.database import connect
from docket.models.core.schema import Person
from docket.models.people import directory as people
from docket.models.people.groups import get_group, groups_of, list_groups, members
from docket.tui.app import DocketApp
from docket.tui.forms.base import RecordForm
from docket.tui.forms.people import GroupDetail, PersonDetail, edit_person_form
from docket.tui.screens import people as people_screen
from docket.tui.screens.people import PeopleScreen
from docket.tui.widgets.dialogs import ConfirmDialog, ConflictDialog

MakeApp = Callable[[Path], DocketApp]


def rows(app: App[Any], table_id: str) -> list[dict[str, str]]:
    """A table's rows as plain text by column, cells trimmed."""
    table = app.screen.query_one(f"#{table_id}", DataTable)
    keys = [str(c.key.value) for c in table.columns.values()]
    return [
        {key: str(cell).strip() for key, cell in zip(keys, table.get_row_at(i), strict=True)}
        for i in range(table.row_count)
    ]


def hint(app: App[Any], name: str) -> str:
    return shown(app.screen.query_one(f"#hint-{name}", Static))


def people_screen_of(app: App[Any]) -> PeopleScreen:
    screen = app.screen
    assert isinstance(screen, PeopleScreen)
    return screen


def reopen(path: Path) -> None:
    """Bind the models to the file again from the test's thread, to check what was saved."""
    connect(path)


async def open_people(pilot: Pilot[None], *keys: str) -> PeopleScreen:
    """Go to People and groups, then press ``keys``; returns the screen."""
    await settle(pilot)
    await pilot.press("7")
    await settle(pilot)
    screen = people_screen_of(pilot.app)
    for key in keys:
        await pilot.press(key)
        await settle(pilot)
    return screen


async def test_the_directory_lists_everyone_by_name_with_the_count(
    demo_db: Path, make_app: MakeApp
) -> None:
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        screen = await open_people(pilot)
        names = [row["name"] for row in rows(pilot.app, "people")]
        status = shown(screen.query_one("#people-status", Static))
    reopen(demo_db)
    assert names == [p.name for p in people.list_people()]
    assert status.startswith(f"{people.count_people()} people")


async def test_typing_to_find_narrows_the_list_in_sql(demo_db: Path, make_app: MakeApp) -> None:
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        screen = await open_people(pilot)
        everyone = screen.total
        await pilot.press("slash")
        await type_text(pilot, "Parks")
        await settle(pilot)
        found = rows(pilot.app, "people")
        narrowed = screen.total
        status = shown(screen.query_one("#people-status", Static))
        # Enter goes back to the list, Escape there clears what was typed
        await pilot.press("enter")
        await pilot.press("escape")
        await settle(pilot)
        back_to_everyone = screen.total
    reopen(demo_db)
    assert narrowed == people.count_people("Parks") == len(found)
    assert 0 < narrowed < everyone == back_to_everyone
    assert all("Parks" in row["organization"] for row in found)
    assert "matching Parks" in status


async def test_the_directory_loads_more_people_as_the_cursor_nears_the_end(
    demo_db: Path, make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(people_screen, "PAGE", 20)
    monkeypatch.setattr(people_screen, "AHEAD", 5)
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        screen = await open_people(pilot)
        first = (len(screen.rows), screen.total)
        first_status = shown(screen.query_one("#people-status", Static))
        for _ in range(4):
            await pilot.press("ctrl+end")
            await settle(pilot)
        ids = [row["id"] for row in screen.rows]
    assert first == (20, 60)
    assert first_status.startswith("20 of 60 people")
    assert len(ids) == len(set(ids)) == 60


async def test_adding_a_person_through_the_form(demo_db: Path, make_app: MakeApp) -> None:
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        await open_people(pilot, "a")
        assert isinstance(pilot.app.screen, RecordForm)
        await type_text(pilot, "Zoe Quinn")
        await pilot.press("tab")
        await type_text(pilot, "zoe.quinn@city.example")
        await pilot.press("tab")
        await type_text(pilot, "Parks and Recreation")
        await pilot.press("tab")
        await type_text(pilot, "Analyst")
        await pilot.press("tab", "tab")
        await type_text(pilot, "Europe/Paris")
        await settle(pilot)
        assert hint(pilot.app, "timezone") == "→ Europe/Paris: 16:00 there now (UTC+01:00)"
        await pilot.press("ctrl+s")
        await settle(pilot)
        screen = people_screen_of(pilot.app)
        listed = [row for row in rows(pilot.app, "people") if row["name"] == "Zoe Quinn"]
        total = screen.total
    assert listed and listed[0]["email"] == "zoe.quinn@city.example"
    assert total == 61
    reopen(demo_db)
    zoe = Person.get(Person.email == "zoe.quinn@city.example")
    assert (zoe.name, zoe.organization, zoe.title, zoe.timezone, zoe.kind) == (
        "Zoe Quinn",
        "Parks and Recreation",
        "Analyst",
        "Europe/Paris",
        "staff",
    )


async def test_a_duplicate_email_is_shown_by_the_field_and_everything_typed_stays(
    demo_db: Path, make_app: MakeApp
) -> None:
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        screen = await open_people(pilot)
        taken = screen.rows[0]
        await pilot.press("a")
        await settle(pilot)
        typed = {
            "name": "Dup Licate",
            "email": taken["email"].upper(),
            "organization": "Library",
            "title": "Archivist",
            "phone": "(312) 555-0100",
            "timezone": "America/Denver",
        }
        for value in typed.values():
            await type_text(pilot, value)
            await pilot.press("tab")
        form = pilot.app.screen
        assert isinstance(form, RecordForm)
        form.query_one("#field-kind", Select).value = "contractor"
        await pilot.press("tab")
        await type_text(pilot, "dlicate")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert pilot.app.screen is form
        error = hint(pilot.app, "email")
        values = form.values()
        focused = pilot.app.focused
    assert (
        error
        == f"email: {taken['email'].upper()} already belongs to {taken['name']} (#{taken['id']})"
    )
    assert values == {**typed, "kind": "contractor", "account": "dlicate"}
    assert isinstance(focused, Input) and focused.id == "field-email"
    reopen(demo_db)
    assert Person.get_or_none(Person.name == "Dup Licate") is None


async def test_an_unknown_time_zone_is_explained_as_it_is_typed(
    demo_db: Path, make_app: MakeApp
) -> None:
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        await open_people(pilot, "a")
        pilot.app.screen.query_one("#field-timezone", Input).focus()
        await type_text(pilot, "Mars/Olympus")
        await settle(pilot)
        assert hint(pilot.app, "timezone") == (
            "timezone: expected an IANA zone such as Europe/Paris, got 'Mars/Olympus'"
        )


async def test_editing_a_person_saves_the_change_and_a_stale_edit_is_refused(
    demo_db: Path, make_app: MakeApp
) -> None:
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        screen = await open_people(pilot)
        person = screen.rows[0]
        await pilot.press("e")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, RecordForm)
        assert form.values()["email"] == person["email"]
        form.query_one("#field-title", Input).value = "Lead developer"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert pilot.app.screen is screen
        # the same form again, on the version read before that save
        assert isinstance(pilot.app, DocketApp)
        pilot.app.push_screen(edit_person_form(pilot.app, person))
        await settle(pilot)
        stale = pilot.app.screen
        stale.query_one("#field-title", Input).value = "Overwritten?"
        await pilot.press("ctrl+s")
        # the conflict dialog (theirs and yours); Escape goes back to the form, unsaved
        await until(pilot, lambda: isinstance(pilot.app.screen, ConflictDialog), "the dialog")
        await pilot.press("escape")
        await settle(pilot)
        foot = shown(stale.query_one("#form-error", Static))
        still_open = pilot.app.screen is stale
    assert still_open and foot
    reopen(demo_db)
    assert Person.get_by_id(person["id"]).title == "Lead developer"


async def test_a_person_opens_with_their_details_and_groups(
    demo_db: Path, make_app: MakeApp
) -> None:
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        screen = await open_people(pilot)
        person = screen.rows[0]
        await pilot.press("enter")
        await settle(pilot)
        detail = pilot.app.screen
        assert isinstance(detail, PersonDetail)
        text = " ".join(shown(s) for s in detail.query(Static))
    reopen(demo_db)
    assert person["email"] in text
    for group in groups_of(person["id"]):
        assert group.name in text


async def test_groups_show_their_members_and_follow_the_cursor(
    demo_db: Path, make_app: MakeApp
) -> None:
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        screen = await open_people(pilot, "g")
        groups = rows(pilot.app, "groups")
        first_members = [row["name"] for row in rows(pilot.app, "members")]
        await pilot.press("down")
        await settle(pilot)
        second_members = [row["name"] for row in rows(pilot.app, "members")]
        status = shown(screen.query_one("#groups-status", Static))
    reopen(demo_db)
    listed = list_groups()
    assert [(g["name"], g["members"]) for g in groups] == [(g.name, str(n)) for g, n in listed]
    assert first_members == [p.name for p in members(listed[0][0].name)]
    assert second_members == [p.name for p in members(listed[1][0].name)]
    assert f"{listed[1][0].name}: {len(second_members)} members" in status


async def test_a_member_is_added_through_a_person_look_up(demo_db: Path, make_app: MakeApp) -> None:
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        screen = await open_people(pilot)
        await pilot.press("g")
        await settle(pilot)
        group = screen.current_group()
        assert group is not None
        inside = {row["id"] for row in screen.members}
        outsider = next(row for row in screen.rows if row["id"] not in inside)
        await pilot.press("m")
        await settle(pilot)
        await type_text(pilot, outsider["email"])
        await settle(pilot)
        assert hint(pilot.app, "member") == f"→ {outsider['name']} <{outsider['email']}>"
        await pilot.press("ctrl+s")
        await settle(pilot)
        shown_members = [row["name"] for row in rows(pilot.app, "members")]
        count = next(
            row["members"] for row in rows(pilot.app, "groups") if row["name"] == group["name"]
        )
    assert outsider["name"] in shown_members
    assert count == str(group["members"] + 1)
    reopen(demo_db)
    assert outsider["id"] in [p.id for p in members(group["name"])]


async def test_a_member_is_removed_after_asking(demo_db: Path, make_app: MakeApp) -> None:
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        screen = await open_people(pilot, "g", "tab")
        group = screen.current_group()
        member = screen.members[0]
        await pilot.press("delete")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot)
        shown_members = [row["name"] for row in rows(pilot.app, "members")]
    assert group is not None
    assert member["name"] not in shown_members
    reopen(demo_db)
    assert member["id"] not in [p.id for p in members(group["name"])]


async def test_a_group_is_added_and_opens_with_its_members(
    demo_db: Path, make_app: MakeApp
) -> None:
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        screen = await open_people(pilot, "g", "a")
        await type_text(pilot, "Budget review board")
        await pilot.press("ctrl+s")
        await settle(pilot)
        selected = screen.current_group()
        await pilot.press("enter")
        await settle(pilot)
        opened = isinstance(pilot.app.screen, GroupDetail)
    assert selected is not None and selected["name"] == "Budget review board"
    assert opened
    reopen(demo_db)
    assert get_group("budget review board").name == "Budget review board"


async def test_keys_for_groups_only_show_in_the_groups_view(
    demo_db: Path, make_app: MakeApp
) -> None:
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        screen = await open_people(pilot)
        in_people = {b.binding.action for b in screen.active_bindings.values()}
        await pilot.press("g")
        await settle(pilot)
        in_groups = {b.binding.action for b in screen.active_bindings.values()}
    assert {"focus_filter", "show_groups"} <= in_people
    assert not {"add_member", "remove_member", "show_people"} & in_people
    assert {"add_member", "remove_member", "show_people"} <= in_groups
    assert not {"focus_filter", "clear", "show_groups"} & in_groups


def _at(keys: list[str]) -> Callable[[Pilot[None]], Any]:
    async def run(pilot: Pilot[None]) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return run


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pytest.mark.parametrize(
    "keys",
    [["7"], ["7", "g"], ["7", "a"], ["7", "enter"]],
    ids=["people", "groups", "add-form", "person"],
)
def test_people_screens_look_right(
    snap_compare: Any, demo_db: Path, make_app: MakeApp, keys: list[str], size: tuple[int, int]
) -> None:
    assert snap_compare(make_app(demo_db), terminal_size=size, run_before=_at(keys))
