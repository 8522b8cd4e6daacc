"""What every docket screen shares: the top bar, the footer, and loading off the UI thread.

A screen says what to fetch (:meth:`DocketScreen.fetch`, a function run on the database
thread) and how to show it (:meth:`DocketScreen.show`, on the UI thread). It reloads when
the program scope changes, after anything is saved, and when it comes back into view
having missed either, keeping the cursor where it was.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static
from textual.worker import Worker

from docket.exports.tabular.columns import Table
from docket.models.core.context import Context
from docket.tui.keys import APP_KEYS, Key, bindings
from docket.tui.widgets.rows import row_cells, set_columns

if TYPE_CHECKING:
    from docket.tui.app import DocketApp

# the screens in the top bar, by mode name
SCREENS: tuple[tuple[str, str, str], ...] = tuple(
    (k.action.split("'")[1], k.key, k.label) for k in APP_KEYS if k.action.startswith("app.go(")
)


def filter_key(help: str, label: str = "Filter") -> Key:
    """``/``: to the filter box; ``help`` says what the filter matches."""
    return Key("slash", "focus_filter", label, help, display="/")


def open_key(help: str) -> Key:
    """Enter: open the row under the cursor (kept off the footer); ``help`` says what shows."""
    return Key("enter", "open", "Open", help, footer=False)


# Esc on a filtered list: leave the filter box, then clear it
CLEAR_KEY = Key("escape", "clear", "Clear", "Leave the filter, then clear it", footer=False)
# the keys of a tabbed list that come before its own: the tabs, then the filter
TAB_KEYS: tuple[Key, ...] = (
    Key("t,right_square_bracket", "tab(1)", "Next", "The next tab (] too)", display="t"),
    Key("left_square_bracket", "tab(-1)", "Previous", "The previous tab", display="["),
    filter_key("Filter the list by words"),
)


class ReportsFailures:
    """For screens and dialogs: a worker that fails is reported by the app, in a dialog."""

    app: Any

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        report = getattr(self.app, "report_failure", None)
        if report is not None:
            report(event)


class TopBar(Static):
    """One line: the screens and their keys, the program scope, the day and the account."""

    def __init__(self, mode: str) -> None:
        super().__init__(id="topbar")
        self.mode = mode

    def on_mount(self) -> None:
        self.watch(self.app, "program", self.refresh_bar)
        self.watch(self.app, "banner", self.refresh_bar)

    def on_resize(self) -> None:
        self.refresh_bar()

    def screens(self, room: int) -> Text:
        """The screens with their keys and names if they fit in ``room``, else the keys with
        only the current screen's name (? lists them all)."""
        for every in (True, False):
            text = Text()
            for mode, key, label in SCREENS:
                current = mode == self.mode
                name = label if every or current else ""
                text.append(f" {key}", style="bold")
                text.append(f" {name} " if name else "", style="reverse" if current else "")
            if text.cell_len <= room:
                break
        return text

    def refresh_bar(self, _: object = None) -> None:
        program = getattr(self.app, "program", None)
        right = Text("p ", style="bold")
        right.append(program or "all programs", style="bold")
        text = self.screens(self.size.width - right.cell_len - 2)
        banner: str = getattr(self.app, "banner", "")
        # the day, then the account, as far as they fit
        for part in banner.split(" │ "):
            if text.cell_len + right.cell_len + len(part) + 5 <= self.size.width:
                right.append(f" │ {part}")
        gap = max(1, self.size.width - text.cell_len - right.cell_len - 1)
        text.append(" " * gap)
        text.append_text(right)
        self.update(text)


class DocketScreen(ReportsFailures, Screen[None]):
    """A screen of the app: top bar, body, footer; data loaded on the database thread."""

    MODE: ClassVar[str] = ""
    KEYS: ClassVar[tuple[Key, ...]] = ()
    # extra lines for the help screen: (what to type, what it does)
    HELP_EXTRA: ClassVar[tuple[tuple[str, str], ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # before Textual's own hook, which merges the class's BINDINGS
        cls.BINDINGS = bindings(cls.KEYS)
        super().__init_subclass__(**kwargs)

    def __init__(self) -> None:
        super().__init__(id=f"screen-{self.MODE}")
        self._loaded: tuple[int, str | None] | None = None
        self._fetch: Callable[[], Any] = lambda: None

    @property
    def docket(self) -> DocketApp:
        """The app, typed."""
        return cast("DocketApp", self.app)

    def compose(self) -> ComposeResult:
        yield TopBar(self.MODE)
        yield from self.body()
        # the palette's key is on the help screen; the footer keeps its room for this screen's keys
        yield Footer(compact=True, show_command_palette=False)

    def body(self) -> ComposeResult:
        """The screen's own widgets."""
        raise NotImplementedError

    def fetch(self) -> Callable[[], Any]:
        """A function (built here, run on the database thread) returning what to show."""
        raise NotImplementedError

    def show(self, data: Any) -> None:
        """Put fetched data on screen (UI thread)."""
        raise NotImplementedError

    def current_record(self) -> tuple[str, int] | None:
        """The record under the cursor as (entity, id), for history (h) and undo (u)."""
        return None

    def on_mount(self) -> None:
        # Textual calls a reactive's watchers when it is first read: read them before
        # watching, or that first read reloads the screen a second time
        self._state()
        self.watch(self.app, "program", self._stale, init=False)
        self.watch(self.app, "generation", self._stale, init=False)
        self.reload()

    def on_screen_resume(self) -> None:
        if self._loaded is not None and self._loaded != self._state():
            self.reload()

    def _state(self) -> tuple[int, str | None]:
        return (self.docket.generation, self.docket.program)

    def _stale(self, _: object = None) -> None:
        if self.is_current:
            self.reload()

    def reload(self) -> None:
        """Fetch again and show (the latest call wins)."""
        self._fetch = self.fetch()
        self._load()

    @work(group="load", exclusive=True, exit_on_error=False)
    async def _load(self) -> None:
        state = self._state()
        data = await self.docket.store.run(self._fetch)
        self._loaded = state
        self.show(data)


class FilteredScreen(DocketScreen):
    """A list screen with a filter box (``#filter``): ``/`` goes to it, each keystroke
    filters, Enter or Esc go back to the list, and Esc on the list clears the filter."""

    # the list that the filter narrows, when it takes the screen's height (class filtered-list)
    DEFAULT_CSS = """
    FilteredScreen .filtered-list {
        height: 1fr;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        # what is typed in the filter box
        self.typed = ""

    def focus_list(self) -> None:
        """Focus the list the filter narrows."""
        self.query_one(DataTable).focus()

    def filtered(self) -> None:
        """Show the list for ``self.typed``: read it again (a filter in SQL), by default."""
        self.reload()

    def clear_other(self) -> bool:
        """For Esc on the list: clear something before the filter; whether there was any."""
        return False

    def action_focus_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    @on(Input.Changed, "#filter")
    def filter_changed(self, event: Input.Changed) -> None:
        self.typed = event.value
        self.filtered()

    @on(Input.Submitted, "#filter")
    def filter_done(self) -> None:
        self.focus_list()

    def action_clear(self) -> None:
        box = self.query_one("#filter", Input)
        if box.has_focus:
            self.focus_list()
        elif not self.clear_other() and self.typed:
            box.value = ""


class TabbedScreen(FilteredScreen):
    """A screen of tabs (``t``, ``[``, ``]``), each a list filtered by words or a view of
    its own (a chart, a matrix). A tab's data is read whole; the filter narrows its rows
    here. A screen says its tabs, their titles, the hint after them, the columns of each
    list tab, and how a tab is read; the table's id is the screen's mode."""

    TABS: ClassVar[tuple[str, ...]] = ()
    TITLES: ClassVar[dict[str, str]] = {}
    # after the tab names, when it fits
    HINT: ClassVar[str] = "   t/[ ] next, previous"
    # each list tab's columns; a tab not here is a view of its own
    LISTS: ClassVar[dict[str, Table]] = {}

    def __init__(self) -> None:
        super().__init__()
        self.tab = self.TABS[0]
        self.data: dict[str, Any] = {}
        # the tab whose rows the table holds
        self.shown_tab = ""

    @staticmethod
    def load_tab(ctx: Context, tab: str, program: str | None) -> dict[str, Any]:
        """What one tab shows (database thread)."""
        raise NotImplementedError

    def body(self) -> ComposeResult:
        yield Static("", id="tabs")
        yield Input(self.typed, placeholder="/ to filter by words", id="filter", compact=True)
        yield from self.above_list()
        yield DataTable(id=self.MODE, classes="filtered-list", cursor_type="row", cell_padding=0)
        yield from self.views()

    def above_list(self) -> ComposeResult:
        """Widgets between the filter and the list (none by default)."""
        yield from ()

    def views(self) -> ComposeResult:
        """Widgets below the list: the tabs that are not lists draw there."""
        yield from ()

    def fetch(self) -> Callable[[], Any]:
        ctx, tab, program, load_tab = self.docket.ctx, self.tab, self.docket.program, self.load_tab

        def load() -> dict[str, Any]:
            return load_tab(ctx, tab, program)

        return load

    def show(self, data: Any) -> None:
        self.data = data
        self.fill()

    def on_resize(self) -> None:
        if self.data:
            self.fill()

    def rows(self) -> list[dict[str, Any]]:
        """The rows of the list shown, narrowed by the words typed in the filter."""
        rows: list[dict[str, Any]] = self.data.get("rows", [])
        words = self.typed.lower().split()
        if words:
            rows = [
                r for r in rows if all(w in " ".join(map(str, r.values())).lower() for w in words)
            ]
        return rows

    def row_key(self, row: dict[str, Any]) -> str:
        """The table's key of a row, to keep the cursor on it."""
        return str(row["id"])

    def fill(self) -> None:
        """Show the tab bar, then the tab: its list, or its own view."""
        tabs = Text()
        for name in self.TABS:
            tabs.append(f" {self.TITLES[name]} ", style="reverse" if name == self.tab else "")
        if tabs.cell_len + len(self.HINT) <= self.size.width:
            tabs.append(self.HINT, style="dim")
        self.query_one("#tabs", Static).update(tabs)
        table = self.query_one(DataTable)
        listed = self.tab in self.LISTS
        table.display = listed
        self.query_one("#filter", Input).display = listed
        if listed and self.focused is None:
            # a view hid the list and took its focus: give it back, or the cursor keys do
            # nothing on the tabs after it
            table.focus()
        self.fill_views(listed)
        if listed:
            self.fill_list(table)

    def fill_views(self, listed: bool) -> None:
        """Show or hide the widgets other than the list, and draw the tab if not a list."""

    def fill_list(self, table: DataTable[Any]) -> None:
        """The tab's rows in the table; the row under the cursor is kept there when the
        same tab is shown again (a save, a resize, the filter)."""
        current = None
        if self.shown_tab == self.tab and 0 <= table.cursor_row < table.row_count:
            current = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        table.clear(columns=True)
        width = (table.size.width or self.size.width) - 2
        layout = self.LISTS[self.tab]
        columns = layout.fit(width)
        view = layout.view(width)
        set_columns(table, columns)
        rows = self.rows()
        keys = [self.row_key(row) for row in rows]
        for key, row in zip(keys, rows, strict=True):
            table.add_row(*row_cells(columns, row, view), key=key)
        if current in keys:
            table.move_cursor(row=keys.index(current), animate=False)
        self.shown_tab = self.tab

    def action_tab(self, step: int) -> None:
        self.tab = self.TABS[(self.TABS.index(self.tab) + step) % len(self.TABS)]
        self.data = {}
        self.refresh_bindings()
        self.reload()

    def action_focus_filter(self) -> None:
        # only a list filters
        if self.tab in self.LISTS:
            super().action_focus_filter()

    def filtered(self) -> None:
        # the tab's rows are all loaded: the filter narrows them here
        if self.data:
            self.fill()

    def row_under_cursor(self) -> dict[str, Any] | None:
        """The list row under the cursor, if any."""
        table = self.query_one(DataTable)
        rows = self.rows()
        if not 0 <= table.cursor_row < min(table.row_count, len(rows)):
            return None
        return rows[table.cursor_row]

    def _saved(self, result: Any) -> None:
        if result is not None:
            self.docket.changed()
