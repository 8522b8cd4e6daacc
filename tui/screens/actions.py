"""Action items (key 2): filter as you type, sort, select several, act on them.

The list pages from SQL: it holds the rows loaded so far (a page at a time, more as the
cursor nears the end) and the total count, never all 100,000 items.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, TypedDict

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.widgets import DataTable, Input, Static

from docket.exports.tabular.columns import Column, View
from docket.exports.tabular.lists.actions import ACTIONS
from docket.models.actions import items as actions
from docket.models.actions.items import SORTS, ActionFacts, ActionFilter
from docket.models.actions.terms import FILTER_HELP, describe_filter, parse_filter
from docket.models.core.context import Context
from docket.models.core.errors import ValidationError
from docket.tui.forms.actions import (
    ActionDetail,
    add_form,
    date_check,
    edit_form,
    load_action,
    person_lookup,
)
from docket.tui.forms.base import Field, RecordForm
from docket.tui.keys import Key
from docket.tui.screens.base import FilteredScreen, filter_key, open_key
from docket.tui.widgets.dialogs import ConfirmDialog
from docket.tui.widgets.rows import row_cells, set_columns
from docket.tui.widgets.text import plain

if TYPE_CHECKING:
    from docket.tui.app import DocketApp

PAGE = 100
# load the next page when the cursor comes this close to the last loaded row
AHEAD = 20


class Target(TypedDict):
    """An item a status or bulk change applies to, at the version it was read."""

    id: int
    version: int


@dataclass
class Page:
    """Rows of the list from ``offset``, the total that match, or why the filter failed."""

    rows: list[ActionFacts]
    # None until counted (a short first page is its own count)
    total: int | None
    offset: int
    described: str = ""
    error: str = ""


def load_page(
    ctx: Context, typed: str, program: str | None, sort: str, offset: int, limit: int = PAGE
) -> Page:
    """Rows of the list for a typed filter from ``offset`` (database thread)."""
    try:
        flt = parse_filter(ctx, typed, ActionFilter(program=program, sort=sort))
    except ValidationError as exc:
        return Page([], 0, offset, error=str(exc))
    today = ctx.today()
    rows = actions.list_actions(ctx, flt._replace(limit=limit, offset=offset))
    total = offset + len(rows) if len(rows) < limit else None
    return Page(
        [actions.action_facts(r, today) for r in rows], total, offset, describe_filter(flt, today)
    )


# the list's columns: below 110 cells priority and status share one column of flags
COLUMNS = ACTIONS.table()


def _mark(row: Mapping[str, Any], selected: bool) -> Text:
    text = Text(" ●" if selected else "  ", style="bold")
    text.append(str(row["id"]).rjust(4), style="dim")
    return text


def cells(row: ActionFacts, columns: Sequence[Column], view: View, selected: bool) -> list[Text]:
    """The cells of one action item for the (fitted) columns, its mark drawn when it is
    selected; words carry the meaning, colours only help."""
    return row_cells(columns, row, view, {"mark": lambda r: _mark(r, selected)})


def count_matching(ctx: Context, typed: str, program: str | None) -> int:
    """How many items a typed filter matches (a valid filter: its page loaded)."""
    return actions.count_actions(ctx, parse_filter(ctx, typed, ActionFilter(program=program)))


def open_action(app: DocketApp, action_id: int) -> None:
    """Show an action item's detail; its keys edit, close or cancel it."""
    app.run_worker(_open_action(app, action_id), group="detail", exit_on_error=False)


async def _open_action(app: DocketApp, action_id: int) -> None:
    facts, changes = await app.store.run(load_action, app.ctx, action_id)

    def chosen(what: str | None) -> None:
        if what == "edit":

            def saved(result: int | None) -> None:
                if result is not None:
                    app.changed()

            app.push_screen(edit_form(app, facts), saved)
        elif what in ("done", "cancel"):
            status = "done" if what == "done" else "cancelled"
            app.run_worker(
                _close_action(app, action_id, facts["version"], status),
                group="write",
                exit_on_error=False,
            )

    app.push_screen(ActionDetail(facts, changes), chosen)


async def _close_action(app: DocketApp, action_id: int, version: int, status: str) -> None:
    """Close one item read at ``version`` (a conflict is reported, nothing is changed)."""
    await app.store.run(actions.set_status, app.ctx, [action_id], status, {action_id: version})
    app.changed()
    app.notify(f"#{action_id} {status}", markup=False)


class ActionsScreen(FilteredScreen):
    """The list of action items."""

    MODE = "actions"
    AUTO_FOCUS = "#actions"
    KEYS: ClassVar[tuple[Key, ...]] = (
        filter_key("Filter: words, @owner, #PROGRAM, due<fri…"),
        Key("a", "add", "Add", "Add an action item"),
        Key("e", "edit", "Edit", "Edit the action item under the cursor"),
        open_key("Open the item: notes and history"),
        Key("d", "set_status('done')", "Done", "Mark done (the selected items, or this one)"),
        Key("x", "set_status('cancelled')", "Cancel", "Cancel (the selected items, or this one)"),
        Key(
            "space",
            "toggle_select",
            "Mark",
            "Mark or unmark the item: d, x, r and w then act on all marked",
            display="spc",
        ),
        Key("r", "reassign", "Owner", "Reassign the selected items (or this one) to a new owner"),
        Key("w", "redate", "Due", "Re-date the selected items (or this one): a new due date"),
        Key("s", "sort", "Sort", "Sort by due, priority, owner, program or newest", footer=False),
        Key("escape", "clear", "Clear", "Clear the selection, then the filter", footer=False),
    )
    HELP_EXTRA = FILTER_HELP

    def __init__(self) -> None:
        super().__init__()
        self.sort = "due"
        self.rows: list[ActionFacts] = []
        self.total = 0
        # marked items and the version each was read at; they stay marked (and are acted
        # on) even when a reload leaves them off the loaded rows
        self.selected: dict[int, int] = {}
        self.loading_more = False
        self.described = ""
        self.counted = False
        self._count_token = 0
        # the table's width and the columns shown, fitted to it
        self.table_width = 0
        self.shown: tuple[Column, ...] = ()

    def body(self) -> ComposeResult:
        yield Input(
            self.typed,
            placeholder="/ to filter: words @owner #PROGRAM !high due<fri is:overdue",
            id="filter",
            compact=True,
        )
        yield Static("", id="status")
        table: DataTable[Any] = DataTable(id="actions", cursor_type="row", cell_padding=0)
        yield table

    def on_mount(self) -> None:
        # Textual runs DocketScreen.on_mount after this one (handlers run down the MRO)
        self.query_one(DataTable).focus()

    def on_resize(self) -> None:
        if self.rows:
            self.fill(keep=self.current_row())

    def _layout(self) -> None:
        """Columns for the table's width: the title takes what the others leave."""
        table = self.query_one(DataTable)
        # room for the vertical scrollbar, which appears once the rows outgrow the screen
        width = (table.size.width or self.size.width) - 2
        self.table_width, self.shown = width, COLUMNS.fit(width)
        set_columns(table, self.shown)

    # --- loading ---------------------------------------------------------------------

    def fetch(self) -> Callable[[], Any]:
        ctx, typed, program, sort = self.docket.ctx, self.typed, self.docket.program, self.sort
        # as many rows as are loaded, so a cursor far down keeps its item after a reload
        limit = max(PAGE, len(self.rows))

        def load() -> Page:
            return load_page(ctx, typed, program, sort, 0, limit)

        return load

    def show(self, data: Any) -> None:
        page: Page = data
        status = self.query_one("#status", Static)
        self.query_one("#filter").set_class(bool(page.error), "invalid")
        if page.error:
            status.update(Text(f"{page.error} (showing the last good list)", style="bold"))
            return
        current = self.current_row()
        self.rows = page.rows
        self.total = page.total if page.total is not None else len(page.rows)
        self.counted = page.total is not None
        self.described = page.described
        self.fill(keep=current)
        # a count still running for an older list must not land on this one
        self._count_token += 1
        if not self.counted:
            self.count()

    @work(group="count", exclusive=True, exit_on_error=False)
    async def count(self) -> None:
        """Count the matches after the rows are on screen: a search may read every row."""
        ctx, typed, program = self.docket.ctx, self.typed, self.docket.program
        token = self._count_token

        def counted() -> int | None:
            # skipped when a newer filter has been typed while this one waited
            return count_matching(ctx, typed, program) if token == self._count_token else None

        total = await self.docket.store.run_aside(counted)
        if total is not None and token == self._count_token:
            self.total, self.counted = total, True
            self.query_one("#status", Static).update(self.status_line())

    def status_line(self) -> Text:
        if not self.counted:
            shown = f"{len(self.rows):,} of many (counting)"
        elif len(self.rows) < self.total:
            shown = f"{len(self.rows):,} of {self.total:,}"
        else:
            shown = f"{self.total:,}"
        text = Text(f"{shown} action items · sorted by {self.sort}")
        if self.selected:
            text.append(f" · {len(self.selected)} selected", style="bold")
        if self.described:
            text.append(" · ")
            text.append(plain(self.described))
        return text

    def fill(self, keep: ActionFacts | None) -> None:
        """Show ``self.rows``, the cursor on the item ``keep`` when it is still listed."""
        table = self.query_one(DataTable)
        table.clear()
        self._layout()
        self._append(self.rows)
        if keep is not None:
            ids = [r["id"] for r in self.rows]
            if keep["id"] in ids:
                table.move_cursor(row=ids.index(keep["id"]), animate=False)
        self.query_one("#status", Static).update(self.status_line())

    def _append(self, rows: list[ActionFacts]) -> None:
        table = self.query_one(DataTable)
        view = COLUMNS.view(self.table_width, self.docket.ctx.today())
        for row in rows:
            selected = row["id"] in self.selected
            table.add_row(*cells(row, self.shown, view, selected), key=str(row["id"]))

    @on(DataTable.RowHighlighted)
    def highlighted(self, event: DataTable.RowHighlighted) -> None:
        near_end = event.cursor_row >= len(self.rows) - AHEAD
        more = not self.counted or len(self.rows) < self.total
        if near_end and more and not self.loading_more:
            self.loading_more = True
            self.load_more(len(self.rows))

    @work(group="more", exclusive=True, exit_on_error=False)
    async def load_more(self, offset: int) -> None:
        ctx, typed, program, sort = self.docket.ctx, self.typed, self.docket.program, self.sort
        try:
            page = await self.docket.store.run(load_page, ctx, typed, program, sort, offset)
        finally:
            self.loading_more = False
        if page.error or offset != len(self.rows):
            return
        # someone may have added an item above since: never list one twice
        loaded = {r["id"] for r in self.rows}
        fresh = [r for r in page.rows if r["id"] not in loaded]
        self.rows.extend(fresh)
        if page.total is not None:
            self.total, self.counted = page.total, True
        self._append(fresh)
        self.query_one("#status", Static).update(self.status_line())

    # --- filter and sort -------------------------------------------------------------

    def set_filter(self, typed: str) -> None:
        """Show the list for a typed filter (from Today's counts, or typed here)."""
        self.typed = typed
        if not self.is_mounted:
            return  # the filter input starts with it
        filter_input = self.query_one("#filter", Input)
        if filter_input.value != typed:
            filter_input.value = typed
        self.reload()

    def action_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self.reload()

    def clear_other(self) -> bool:
        """Esc clears the marked items before the filter."""
        if not self.selected:
            return False
        self.selected.clear()
        self.fill(keep=self.current_row())
        return True

    # --- acting on items -------------------------------------------------------------

    def current_row(self) -> ActionFacts | None:
        table = self.query_one(DataTable)
        if not self.rows or table.cursor_row < 0 or table.cursor_row >= len(self.rows):
            return None
        return self.rows[table.cursor_row]

    def current_record(self) -> tuple[str, int] | None:
        row = self.current_row()
        return None if row is None else ("action_item", int(row["id"]))

    def targets(self) -> list[Target]:
        """The selected items, or the one under the cursor."""
        if self.selected:
            return [{"id": i, "version": v} for i, v in self.selected.items()]
        row = self.current_row()
        return [row] if row else []

    def unmark(self, ids: list[int]) -> None:
        """Forget the marks of items just acted on."""
        for action_id in ids:
            self.selected.pop(action_id, None)

    def action_toggle_select(self) -> None:
        row = self.current_row()
        if row is None:
            return
        if self.selected.pop(row["id"], None) is None:
            self.selected[row["id"]] = row["version"]
        table = self.query_one(DataTable)
        table.update_cell(str(row["id"]), "mark", _mark(row, row["id"] in self.selected))
        table.move_cursor(row=min(table.cursor_row + 1, len(self.rows) - 1))
        self.query_one("#status", Static).update(self.status_line())

    def action_open(self) -> None:
        row = self.current_row()
        if row is not None:
            open_action(self.docket, row["id"])

    @on(DataTable.RowSelected)
    def row_selected(self) -> None:
        self.action_open()

    def action_add(self) -> None:
        self.app.push_screen(add_form(self.docket), self._saved)

    def action_edit(self) -> None:
        row = self.current_row()
        if row is not None:
            self.app.push_screen(edit_form(self.docket, row), self._saved)

    def _saved(self, result: Any) -> None:
        if result is not None:
            self.docket.changed()

    def action_set_status(self, status: str) -> None:
        rows = self.targets()
        if not rows:
            return
        if len(rows) == 1:
            self.apply(rows, status)
            return
        verb = "Mark" if status == "done" else "Set"
        question = f"{verb} {len(rows)} selected action items {status}?"
        self.app.push_screen(
            ConfirmDialog(question),
            lambda yes: self.apply(rows, status) if yes else None,
        )

    def action_reassign(self) -> None:
        self._bulk_form(Field("owner", "Owner", lookup=person_lookup("owner")), "New owner")

    def action_redate(self) -> None:
        check = date_check(self.docket.ctx, "due")
        self._bulk_form(Field("due", "Due", placeholder="fri, +3d", check=check), "New due date")

    def _bulk_form(self, field: Field, title: str) -> None:
        """One field for the selected items (or this one), saved in one transaction."""
        rows = self.targets()
        if not rows:
            return
        ctx = self.docket.ctx
        ids = [r["id"] for r in rows]
        versions = {r["id"]: r["version"] for r in rows}

        def save(values: dict[str, str]) -> int:
            actions.bulk_update(ctx, ids, versions, **{field.name: values[field.name]})
            return len(ids)

        def saved(count: int | None) -> None:
            if count:
                self.unmark(ids)
                self.docket.changed()
                self.notify(f"{count} action item(s) changed", markup=False)

        what = f"{len(ids)} selected items" if len(ids) > 1 else f"#{ids[0]}"
        self.app.push_screen(RecordForm(f"{title} for {what}", [field], save), saved)

    def apply(self, rows: list[Target], status: str) -> None:
        """Give several items a status in one transaction, then reload."""
        self.run_worker(self._apply(rows, status), group="write", exit_on_error=False)

    async def _apply(self, rows: list[Target], status: str) -> None:
        ids = [r["id"] for r in rows]
        versions = {r["id"]: r["version"] for r in rows}
        await self.docket.store.run(actions.set_status, self.docket.ctx, ids, status, versions)
        self.unmark(ids)
        self.docket.changed()
        what = f"{len(ids)} action items" if len(ids) > 1 else f"#{ids[0]}"
        self.notify(f"{what} {status}", markup=False)
