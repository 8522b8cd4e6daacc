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

from docket.tui.keys import APP_KEYS, Key, bindings

if TYPE_CHECKING:
    from docket.tui.app import DocketApp

# the screens in the top bar, by mode name
SCREENS: tuple[tuple[str, str, str], ...] = tuple(
    (k.action.split("'")[1], k.key, k.label) for k in APP_KEYS if k.action.startswith("app.go(")
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
