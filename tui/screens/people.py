"""People and groups (key 7): the directory of everyone, found as you type, and the
groups (distribution lists) with their members.

``g`` switches between the two views. The directory pages from SQL: it holds the people
loaded so far (a page at a time, more as the cursor nears the end) and how many match,
never all 2,000 of a large office.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import ContentSwitcher, DataTable, Input, Static

from docket.exports.tabular.columns import Column, View
from docket.exports.tabular.lists import people as lists
from docket.models.people import directory as people
from docket.models.people.groups import list_groups, remove_members
from docket.models.people.groups import members as group_members
from docket.models.people.persons import delete_person
from docket.tui.forms.people import (
    GroupDetail,
    PersonDetail,
    add_group_form,
    add_member_form,
    add_person_form,
    edit_person_form,
    load_person,
    merge_form,
    people_label,
    person_row,
)
from docket.tui.keys import Key
from docket.tui.screens.base import FilteredScreen, filter_key, open_key
from docket.tui.widgets.dialogs import ConfirmDialog
from docket.tui.widgets.rows import at_cursor, fill_table, row_cells
from docket.tui.widgets.text import plain

PAGE = 200
# load the next page when the cursor comes this close to the last loaded row
AHEAD = 40

Row = dict[str, Any]


@dataclass
class Directory:
    """What the screen shows: a page of people from ``offset`` and how many match (-1 when
    not counted), the groups, and the members of one of them."""

    rows: list[Row]
    total: int
    offset: int
    groups: list[Row] = field(default_factory=list)
    group_id: int | None = None
    members: list[Row] = field(default_factory=list)


def load_people(search: str, offset: int) -> Directory:
    """One page of the directory for what was typed (database thread)."""
    rows = [person_row(p) for p in people.list_people(search, limit=PAGE, offset=offset)]
    total = people.count_people(search) if offset == 0 else -1
    return Directory(rows, total, offset)


def load_members(group: Row | None) -> list[Row]:
    """The members of a group, by name (database thread)."""
    if group is None:
        return []
    return [person_row(p) for p in group_members(group["name"])]


def load_directory(search: str, group_id: int | None) -> Directory:
    """The first page of people, every group, and the members of ``group_id`` (or of the
    first group when that one is gone) (database thread)."""
    page = load_people(search, 0)
    page.groups = [
        {
            "id": g.id,
            "name": g.name,
            "description": g.description,
            "members": count,
            "version": g.version,
        }
        for g, count in list_groups()
    ]
    group = next((g for g in page.groups if g["id"] == group_id), None)
    group = group or (page.groups[0] if page.groups else None)
    page.group_id = group["id"] if group else None
    page.members = load_members(group)
    return page


# the directory's columns (the name takes what the others leave), the groups' and a
# group's members'
PEOPLE = lists.PEOPLE.table()
GROUPS = lists.GROUPS.table()
MEMBERS = lists.MEMBERS.table()


def cells(row: Row, columns: Sequence[Column]) -> list[Text]:
    """The cells of a row for these (fitted) columns; user text literal, counts to the right."""
    return row_cells(columns, row, View(), DRAWN)


def _count(row: Mapping[str, Any]) -> Text:
    """A group's count of members, flush right."""
    return Text(f"{row['members']} ", justify="right")


# the cells the screen draws itself: a group's count of members
DRAWN = {"members": _count}


class PeopleScreen(FilteredScreen):
    """The directory of people, and the groups with their members."""

    MODE = "people"
    AUTO_FOCUS = "#people"
    DEFAULT_CSS = """
    PeopleScreen #filter {
        height: 1;
        margin: 0 1;
    }
    PeopleScreen .status {
        height: 1;
        padding: 0 1;
        color: $text-muted;
    }
    PeopleScreen #views, PeopleScreen #people-view, PeopleScreen #groups-view,
    PeopleScreen #group-panes {
        height: 1fr;
    }
    PeopleScreen #groups {
        border-right: vkey $panel;
    }
    PeopleScreen #members {
        width: 1fr;
    }
    """
    KEYS: ClassVar[tuple[Key, ...]] = (
        filter_key("Find people by part of a name, e-mail or organization", "Find"),
        Key("g", "show_groups", "Groups", "Show the groups and their members"),
        Key("g", "show_people", "People", "Back to the directory of people"),
        Key("a", "add", "Add", "Add a person (in groups: add a group)"),
        Key("e", "edit", "Edit", "Edit the person under the cursor (in groups: the member)"),
        open_key("Open the person or group: every detail"),
        Key("m", "add_member", "Add member", "Add a person to the highlighted group"),
        Key(
            "M",
            "merge",
            "Merge",
            "Merge the person under the cursor (a duplicate) into another: every reference "
            "moves to them (asks first)",
            footer=False,
        ),
        Key(
            "delete,backspace",
            "delete_person",
            "Delete",
            "Delete the person under the cursor, when nothing refers to them (asks first)",
            display="del",
            footer=False,
        ),
        Key(
            "delete,backspace",
            "remove_member",
            "Remove",
            "Take the highlighted member out of the group (asks first)",
            display="del",
        ),
        Key("escape", "clear", "Clear", "Leave the find box, then clear it", footer=False),
    )
    # actions that only make sense in one view: hidden from the footer in the other
    GROUP_ONLY: ClassVar[frozenset[str]] = frozenset({"show_people", "add_member", "remove_member"})
    PEOPLE_ONLY: ClassVar[frozenset[str]] = frozenset(
        {"show_groups", "focus_filter", "clear", "merge", "delete_person"}
    )

    def __init__(self) -> None:
        super().__init__()
        self.view = "people"
        self.rows: list[Row] = []
        self.total = 0
        self.groups: list[Row] = []
        self.group_id: int | None = None
        self.members: list[Row] = []
        self.loading_more = False
        # the directory's columns, fitted to its width
        self.shown: tuple[Column, ...] = ()

    def body(self) -> ComposeResult:
        with ContentSwitcher(initial="people-view", id="views"):
            with Vertical(id="people-view"):
                yield Input(
                    placeholder="/ to find: part of a name, e-mail or organization",
                    id="filter",
                    compact=True,
                )
                yield Static("", id="people-status", classes="status")
                yield DataTable(id="people", cursor_type="row", cell_padding=0)
            with Vertical(id="groups-view"):
                yield Static("", id="groups-status", classes="status")
                with Horizontal(id="group-panes"):
                    yield DataTable(id="groups", cursor_type="row", cell_padding=0)
                    yield DataTable(id="members", cursor_type="row", cell_padding=0)

    def table(self, name: str) -> DataTable[Any]:
        return self.query_one(f"#{name}", DataTable)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.GROUP_ONLY:
            return self.view == "groups"
        if action in self.PEOPLE_ONLY:
            return self.view == "people"
        return True

    # --- loading ---------------------------------------------------------------------

    def fetch(self) -> Callable[[], Any]:
        search, group_id = self.typed, self.group_id

        def load() -> Directory:
            return load_directory(search, group_id)

        return load

    def show(self, data: Any) -> None:
        page: Directory = data
        self.rows, self.total = page.rows, page.total
        self.groups, self.group_id, self.members = page.groups, page.group_id, page.members
        self.fill_people()
        self.fill_groups()

    def on_resize(self) -> None:
        self.fill_people()
        self.fill_groups()

    def _width(self) -> int:
        """The cells a full-width table has for its columns."""
        # the table is two cells narrower than the screen, and keeps two more for the
        # vertical scrollbar, which appears once the rows outgrow the screen
        return max(40, self.size.width - 4)

    def _groups_width(self) -> int:
        """The width of the group list (the members take the rest)."""
        return min(44, max(30, self.size.width * 45 // 100))

    def fill_people(self) -> None:
        table = self.table("people")
        current = at_cursor(table, self.rows)
        self.shown = PEOPLE.fit(self._width())
        fill_table(table, self.shown, self.rows, DRAWN, current["id"] if current else None)
        self.query_one("#people-status", Static).update(self.people_status())

    def people_status(self) -> Text:
        shown = (
            f"{len(self.rows):,} of {self.total:,}"
            if len(self.rows) < self.total
            else f"{self.total:,}"
        )
        text = Text(f"{shown} {'person' if self.total == 1 else 'people'}")
        if self.typed.strip():
            text.append(" matching ")
            text.append(self.typed.strip())
        text.append(" · g groups")
        return text

    def fill_groups(self) -> None:
        groups = self.table("groups")
        groups.styles.width = self._groups_width()
        # less its border and scrollbar
        fill_table(groups, GROUPS.fit(self._groups_width() - 3), self.groups, DRAWN, self.group_id)
        self.fill_members()

    def fill_members(self) -> None:
        members = self.table("members")
        current = at_cursor(members, self.members)
        columns = MEMBERS.fit(self._width() - self._groups_width())
        fill_table(members, columns, self.members, DRAWN, current["id"] if current else None)
        self.query_one("#groups-status", Static).update(self.groups_status())

    def current_group(self) -> Row | None:
        return next((g for g in self.groups if g["id"] == self.group_id), None)

    def groups_status(self) -> Text:
        text = Text(f"{len(self.groups)} groups")
        group = self.current_group()
        if group is not None:
            text.append(" · ")
            text.append_text(plain(group["name"]))
            text.append(f": {len(self.members)} members")
        text.append(" · tab switches list · g people")
        return text

    @on(DataTable.RowHighlighted, "#people")
    def person_highlighted(self, event: DataTable.RowHighlighted) -> None:
        near_end = event.cursor_row >= len(self.rows) - AHEAD
        if near_end and len(self.rows) < self.total and not self.loading_more:
            self.loading_more = True
            self.load_more(len(self.rows))

    @work(group="more", exclusive=True, exit_on_error=False)
    async def load_more(self, offset: int) -> None:
        search = self.typed
        try:
            page = await self.docket.store.run(load_people, search, offset)
        finally:
            self.loading_more = False
        if search != self.typed or offset != len(self.rows):
            return
        self.rows.extend(page.rows)
        table = self.table("people")
        for row in page.rows:
            table.add_row(*cells(row, self.shown), key=str(row["id"]))
        self.query_one("#people-status", Static).update(self.people_status())

    @on(DataTable.RowHighlighted, "#groups")
    def group_highlighted(self, event: DataTable.RowHighlighted) -> None:
        group = at_cursor(event.data_table, self.groups)
        if group is not None and group["id"] != self.group_id:
            self.group_id = group["id"]
            self.load_group(group)

    @work(group="members", exclusive=True, exit_on_error=False)
    async def load_group(self, group: Row) -> None:
        found = await self.docket.store.run(load_members, group)
        if group["id"] == self.group_id:
            self.members = found
            self.fill_members()

    # --- views and finding -----------------------------------------------------------

    def action_show_groups(self) -> None:
        self.switch_view("groups")

    def action_show_people(self) -> None:
        self.switch_view("people")

    def switch_view(self, view: str) -> None:
        self.view = view
        self.query_one(ContentSwitcher).current = f"{view}-view"
        self.table("groups" if view == "groups" else "people").focus()
        self.refresh_bindings()

    def focus_list(self) -> None:
        self.table("people").focus()

    # --- acting ----------------------------------------------------------------------

    def current_person(self) -> Row | None:
        """The person under the cursor: in the directory, or the member in groups."""
        if self.view == "groups":
            return at_cursor(self.table("members"), self.members)
        return at_cursor(self.table("people"), self.rows)

    def current_record(self) -> tuple[str, int] | None:
        if self.view == "groups" and not self.table("members").has_focus:
            group = self.current_group()
            return None if group is None else ("group", int(group["id"]))
        person = self.current_person()
        return None if person is None else ("person", int(person["id"]))

    @on(DataTable.RowSelected)
    def row_selected(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        if self.view == "groups" and not self.table("members").has_focus:
            group = self.current_group()
            if group is not None:
                self.run_worker(self._open_group(group), group="detail", exit_on_error=False)
            return
        person = self.current_person()
        if person is not None:
            self.run_worker(self._open_person(person["id"]), group="detail", exit_on_error=False)

    async def _open_person(self, person_id: int) -> None:
        facts, groups = await self.docket.store.run(load_person, person_id)

        def chosen(what: str | None) -> None:
            if what == "edit":
                self.app.push_screen(edit_person_form(self.docket, facts), self._saved)

        self.app.push_screen(PersonDetail(facts, groups), chosen)

    async def _open_group(self, group: Row) -> None:
        found = await self.docket.store.run(load_members, group)

        def chosen(what: str | None) -> None:
            if what == "member":
                self.action_add_member()

        self.app.push_screen(GroupDetail(group, found), chosen)

    def action_add(self) -> None:
        if self.view == "groups":
            self.app.push_screen(add_group_form(self.docket), self._group_added)
        else:
            self.app.push_screen(add_person_form(self.docket), self._saved)

    def action_edit(self) -> None:
        person = self.current_person()
        if person is not None:
            self.app.push_screen(edit_person_form(self.docket, person), self._saved)

    def action_merge(self) -> None:
        person = at_cursor(self.table("people"), self.rows)
        if person is None:
            return

        def merged(summary: str | None) -> None:
            if summary is not None:
                self.docket.changed()
                self.notify(summary, markup=False)

        self.app.push_screen(merge_form(self.docket, person), merged)

    def action_delete_person(self) -> None:
        person = at_cursor(self.table("people"), self.rows)
        if person is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.run_worker(self._delete(person), group="write", exit_on_error=False)

        question = (
            f"Delete {people_label(person)} (#{person['id']}) from the directory? "
            "(Refused while anything still names them.)"
        )
        self.app.push_screen(ConfirmDialog(question), answered)

    async def _delete(self, person: Row) -> None:
        ctx = self.docket.ctx
        await self.docket.store.run(delete_person, ctx, int(person["id"]), person["version"])
        self.docket.changed()
        self.notify(f"{people_label(person)} deleted", markup=False)

    def _saved(self, result: Any) -> None:
        if result is not None:
            self.docket.changed()

    def _group_added(self, group_id: int | None) -> None:
        if group_id is not None:
            self.group_id = group_id
            self.docket.changed()

    def action_add_member(self) -> None:
        group = self.current_group()
        if group is None:
            return

        def added(count: int | None) -> None:
            if count is None:
                return
            if count:
                self.docket.changed()
            else:
                self.notify("Already in the group; nothing changed", markup=False)

        self.app.push_screen(add_member_form(self.docket, group), added)

    def action_remove_member(self) -> None:
        group, member = self.current_group(), at_cursor(self.table("members"), self.members)
        if group is None or member is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.run_worker(self._remove(group, member), group="write", exit_on_error=False)

        question = f"Take {member['name']} out of {group['name']}?"
        self.app.push_screen(ConfirmDialog(question), answered)

    async def _remove(self, group: Row, member: Row) -> None:
        ctx = self.docket.ctx
        await self.docket.store.run(remove_members, ctx, group["name"], [f"#{member['id']}"])
        self.docket.changed()
        self.notify(f"{member['name']} left {group['name']}", markup=False)
