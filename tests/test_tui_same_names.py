"""People told apart in the app, and programs edited from it: adding someone whose name is
taken asks first, a duplicate is merged into the person it stands for (M), someone nobody
refers to is deleted (del), and a program's RAG, note and owner are changed (P, or e on the
program picker). Each test drives the real app on the small demo at the fixed clock."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList, Select, Static
from tui_support import settle, shown, type_text, until

from docket.models.actions import items as actions
from docket.models.core.context import Context
from docket.models.core.database import connect
from docket.models.core.schema import ActionItem, AuditEntry, Person, Program, database
from docket.models.people import directory as people
from docket.models.people.persons import add_person
from docket.tui.app import DocketApp
from docket.tui.forms.base import EditForm, RecordForm
from docket.tui.screens.people import PeopleScreen
from docket.tui.widgets.dialogs import ConfirmDialog, ErrorDialog, ProgramPicker

MakeApp = Callable[[Path], DocketApp]


async def until_shown(pilot: Pilot[None], kind: type) -> None:
    """Wait for a dialog that a save is waiting on (settle would wait for the save)."""
    await until(pilot, lambda: isinstance(pilot.app.screen, kind), f"{kind.__name__} shown")
    await pilot.pause()


def question_of(pilot: Pilot[None]) -> str:
    return shown(pilot.app.screen.query_one(".dialog-body", Static))


def with_duplicate(path: Path, ctx: Context) -> None:
    """A second Ben Rossi (a vendor's), owning one action item, in the demo file."""
    connect(path)
    add_person(ctx, "Ben Rossi", email="brossi@vendor.example", organization="Acme")
    actions.add_action(ctx, "Duplicate's item", owner="brossi@vendor.example")
    database.close()


async def go_to_person(pilot: Pilot[None], email: str) -> PeopleScreen:
    """People (7), the cursor on the person with this e-mail."""
    await settle(pilot)
    await pilot.press("7")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, PeopleScreen)
    await pilot.press("slash")
    await type_text(pilot, email)
    await pilot.press("enter")
    await settle(pilot)
    assert [r["email"] for r in screen.rows] == [email]
    return screen


async def test_adding_someone_whose_name_is_taken_asks_first(
    demo_db: Path, make_app: MakeApp
) -> None:
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("7")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        await type_text(pilot, "ben rossi")
        await pilot.press("ctrl+s")
        await until_shown(pilot, ConfirmDialog)
        asked = question_of(pilot)
        await pilot.press("n")
        await settle(pilot)
        still_open = isinstance(pilot.app.screen, RecordForm)
        await pilot.press("ctrl+s")
        await until_shown(pilot, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot)
        closed = isinstance(pilot.app.screen, PeopleScreen)
    connect(demo_db)
    assert "Ben Rossi <ben.rossi@city.example> (#3)" in asked
    assert still_open and closed
    assert [p.name for p in people.namesakes("Ben Rossi")] == ["Ben Rossi", "ben rossi"]


async def test_a_duplicate_is_merged_into_the_person_it_stands_for(
    demo_db: Path, make_app: MakeApp, ctx: Context
) -> None:
    with_duplicate(demo_db, ctx)
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        await go_to_person(pilot, "brossi@vendor.example")
        await pilot.press("M")
        await settle(pilot)
        assert isinstance(pilot.app.screen, RecordForm)
        await type_text(pilot, "ben rossi")
        await settle(pilot)
        ambiguous = shown(pilot.app.screen.query_one("#hint-keep", Static))
        await pilot.press(*["backspace"] * 9)
        await type_text(pilot, "ben.rossi@city.example")
        await pilot.press("ctrl+s")
        await until_shown(pilot, ConfirmDialog)
        asked = question_of(pilot)
        await pilot.press("y")
        await settle(pilot)
        back = isinstance(pilot.app.screen, PeopleScreen)
    connect(demo_db)
    assert "matches 2 people" in ambiguous and "brossi@vendor.example" in ambiguous
    assert asked.startswith(
        "Merge Ben Rossi <brossi@vendor.example> (#61) into Ben Rossi <ben.rossi@city.example> "
        "(#3)?"
    )
    assert "action item owner ×1" in asked
    assert back
    assert Person.get_or_none(Person.email == "brossi@vendor.example") is None
    assert ActionItem.get(ActionItem.title == "Duplicate's item").owner_id == 3
    assert AuditEntry.select().where(AuditEntry.note.contains("merged")).count() >= 2


async def test_delete_removes_someone_nobody_names_and_refuses_otherwise(
    demo_db: Path, make_app: MakeApp, ctx: Context
) -> None:
    connect(demo_db)
    add_person(ctx, "Nobody Atall", email="nobody@city.example")
    database.close()
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        await go_to_person(pilot, "ben.rossi@city.example")
        await pilot.press("delete")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot)
        refused = pilot.app.screen
        refusal = shown(refused.query_one(".dialog-body", Static))
        await pilot.press("escape")
        await go_to_person(pilot, "nobody@city.example")
        await pilot.press("delete")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
    connect(demo_db)
    assert isinstance(refused, ErrorDialog)
    assert "Ben Rossi <ben.rossi@city.example> (#3) is still named by" in refusal
    assert Person.get_or_none(Person.email == "ben.rossi@city.example") is not None
    assert Person.get_or_none(Person.email == "nobody@city.example") is None


async def test_a_programs_rag_note_and_owner_are_edited_from_the_picker(
    demo_db: Path, make_app: MakeApp
) -> None:
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        picker = pilot.app.screen.query_one(OptionList)
        picker.highlighted = next(i for i, o in enumerate(picker.options) if o.id == "ERP")
        await pilot.press("e")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, EditForm)
        form.query_one("#field-rag", Select).value = "red"
        form.set_values({"rag_note": "Vendor data late; cut-over at risk", "owner": "ben ross"})
        await settle(pilot)
        owner_hint = shown(form.query_one("#hint-owner", Static))
        await pilot.press("ctrl+s")
        await settle(pilot)
        closed = not isinstance(pilot.app.screen, EditForm)
        scope = pilot.app.program
    connect(demo_db)
    erp = Program.get(Program.code == "ERP")
    assert owner_hint == "→ Ben Rossi <ben.rossi@city.example>"
    assert closed and scope is None
    assert (erp.rag, erp.rag_note, erp.owner.email) == (
        "red",
        "Vendor data late; cut-over at risk",
        "ben.rossi@city.example",
    )


async def test_capital_p_edits_the_program_in_scope_or_asks_which(
    demo_db: Path, make_app: MakeApp
) -> None:
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("P")
        await settle(pilot)
        asked = pilot.app.screen
        codes = [o.id for o in asked.query_one(OptionList).options]
        await pilot.press("escape")
        await settle(pilot)
        pilot.app.program = "CRM"
        await pilot.press("P")
        await settle(pilot)
        title = str(pilot.app.screen.form_title)  # type: ignore[attr-defined]
    assert isinstance(asked, ProgramPicker) and "*" not in codes and "ERP" in codes
    assert title.startswith("Edit program CRM: ")


def _at(keys: list[str]) -> Callable[[Pilot[None]], Any]:
    async def run(pilot: Pilot[None]) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return run


@pytest.mark.parametrize(
    "keys",
    [["7", "M"], ["p", "down", "e"]],
    ids=["merge-form", "program-form"],
)
def test_the_new_forms_look_right(
    snap_compare: Any, demo_db: Path, make_app: MakeApp, keys: list[str]
) -> None:
    assert snap_compare(make_app(demo_db), terminal_size=(80, 24), run_before=_at(keys))
