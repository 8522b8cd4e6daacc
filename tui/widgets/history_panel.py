"""The record under the cursor, on any list: its history panel (``h``) and undo (``u``).

A screen names its record with :meth:`~docket.tui.screens.base.DocketScreen.current_record`; the
panel reuses the details' history table, and undo is ``docket.models.audit.history.undo_last``
(your own last change, when nobody has changed the record since).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from docket.models.audit.history import HistoryFacts, describe_change, readable_history, undo_last
from docket.tui.keys import HISTORY_KEYS, bindings, hint_line
from docket.tui.widgets.rows import history_table
from docket.tui.widgets.text import plain

if TYPE_CHECKING:
    from docket.tui.app import DocketApp


class HistoryPanel(ModalScreen[str | None]):
    """Every recorded change to one record, newest first; ``u`` undoes your last one."""

    KEYS = HISTORY_KEYS
    BINDINGS = bindings(KEYS)

    def __init__(self, title: str, changes: list[HistoryFacts]) -> None:
        super().__init__(classes="dialog detail")
        self.title_text = title
        self.changes = changes

    def compose(self) -> ComposeResult:
        with Vertical(classes="box"):
            yield Label(plain(f"History of {self.title_text}"), classes="dialog-title")
            with VerticalScroll():
                yield Static(history_table(self.changes), id="history")
            yield Static(Text(hint_line(self.KEYS), style="dim"), classes="keys")

    def action_close(self) -> None:
        self.dismiss(None)

    def action_undo(self) -> None:
        self.dismiss("undo")


def _label(entity: str, entity_id: int) -> str:
    return f"{entity.replace('_', ' ')} #{entity_id}"


def show_history(app: DocketApp, entity: str, entity_id: int) -> None:
    """Open the history panel of one record (read on the database thread)."""

    async def run() -> None:
        changes = await app.store.run(readable_history, entity, entity_id)

        def chosen(what: str | None) -> None:
            if what == "undo":
                undo(app, entity, entity_id)

        app.push_screen(HistoryPanel(_label(entity, entity_id), changes), chosen)

    app.run_worker(run(), group="history", exclusive=True, exit_on_error=False)


def undo(app: DocketApp, entity: str, entity_id: int) -> None:
    """Undo your own last change to one record; a refusal (someone changed it since, or
    nothing to undo) is reported in a dialog naming who changed it."""

    async def run() -> None:
        ctx = app.ctx

        def run_undo() -> str:
            return describe_change(entity, undo_last(ctx, entity, entity_id))

        said = await app.store.run(run_undo)
        app.changed()
        app.notify(f"Undone on {_label(entity, entity_id)}: {said}", markup=False)

    app.run_worker(run(), group="write", exit_on_error=False)
