"""``?``: the keys of the current screen and of every screen, from the one table of keys."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from docket.tui.keys import APP_KEYS, HELP_SCREEN_KEYS, Key, bindings


def _keys_table(title: str, rows: list[tuple[str, str]]) -> Table:
    table = Table(title=title, title_justify="left", show_header=False, box=None, expand=True)
    table.add_column(style="bold", no_wrap=True, min_width=10)
    table.add_column(ratio=1)
    for key, text in rows:
        table.add_row(Text(key), Text(text))
    return table


class HelpScreen(ModalScreen[None]):
    """The keys that work here; Escape, q or ? closes it."""

    KEYS = HELP_SCREEN_KEYS
    BINDINGS = bindings(KEYS)

    def __init__(
        self, title: str, keys: tuple[Key, ...], extra: tuple[tuple[str, str], ...]
    ) -> None:
        super().__init__(classes="dialog help")
        self.screen_title = title
        self.keys = keys
        self.extra = extra

    def compose(self) -> ComposeResult:
        with Vertical(classes="box"):
            yield Label(f"Keys: {self.screen_title}  (esc closes)", classes="dialog-title")
            with VerticalScroll(id="help-body"):
                if self.keys:
                    rows = [(k.shown_key, k.help) for k in self.keys]
                    yield Static(_keys_table("This screen", rows))
                if self.extra:
                    yield Static(_keys_table("Filter (/)", list(self.extra)))
                rows = [(k.shown_key, k.help) for k in APP_KEYS]
                yield Static(_keys_table("Everywhere", rows))

    def action_dismiss(self, result: None = None) -> None:  # type: ignore[override]
        self.dismiss()
