"""Quick capture (``c``, from any screen): one line becomes an action item.

``Send budget draft fri #ERP @ana !high``: the preview under the line shows what was
understood (title, due date, program, owner, priority) before anything is saved; Enter
saves, and a problem (an unknown person, say) is shown instead and keeps the line.
"""

from __future__ import annotations

from dataclasses import replace

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from docket.models.actions.capture import Capture, parse_capture, save_capture
from docket.models.core.context import Context
from docket.models.core.errors import DocketError
from docket.tui.keys import CAPTURE_KEYS, bindings
from docket.tui.screens.base import ReportsFailures
from docket.tui.store import store_of


def _parse(ctx: Context, line: str, scope: str | None) -> Capture:
    """The line as understood; without a #CODE it belongs to the program in scope."""
    capture = parse_capture(ctx, line)
    if capture.program is None and scope is not None:
        capture = replace(capture, program=scope)
    return capture


def _preview(ctx: Context, line: str, scope: str | None) -> tuple[str, list[str]]:
    capture = _parse(ctx, line, scope)
    return capture.preview(ctx.today()), [f"{f}: {m}" for f, m in capture.problems]


def _save(ctx: Context, line: str, scope: str | None) -> int:
    return int(save_capture(ctx, _parse(ctx, line, scope)).id)


class CaptureDialog(ReportsFailures, ModalScreen[int | None]):
    """One line in, an action item out; dismisses with its id, or None."""

    KEYS = CAPTURE_KEYS
    BINDINGS = bindings(KEYS)

    def __init__(self, ctx: Context, scope: str | None = None) -> None:
        super().__init__(classes="dialog capture")
        self.ctx = ctx
        self.scope = scope
        self.saving = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="box"):
            yield Label("Capture an action item (Enter saves, esc cancels)", classes="dialog-title")
            yield Input(
                placeholder="Send budget draft fri #ERP @ana !high", id="line", compact=True
            )
            yield Static(
                Text(
                    "words, then: a date (fri, +3d, 12/1), #PROGRAM, @owner, !priority", style="dim"
                ),
                id="preview",
            )
            yield Static("", id="problems", classes="hint invalid")

    @on(Input.Changed)
    def changed(self, event: Input.Changed) -> None:
        self.preview(event.value)

    @work(exclusive=True, group="preview", exit_on_error=False)
    async def preview(self, line: str) -> None:
        if not line.strip():
            self.query_one("#preview", Static).update("")
            self.query_one("#problems", Static).update("")
            return
        understood, problems = await store_of(self.app).run(_preview, self.ctx, line, self.scope)
        self.query_one("#preview", Static).update(Text("→ " + understood))
        self.query_one("#problems", Static).update(Text("\n".join(problems)))

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        if not self.saving:  # a second Enter while saving must not save twice
            self.saving = True
            self.save(event.value)

    @work(group="save", exit_on_error=False)
    async def save(self, line: str) -> None:
        try:
            item_id = await store_of(self.app).run(_save, self.ctx, line, self.scope)
        except DocketError as exc:
            self.query_one("#problems", Static).update(Text(str(exc)))
            return
        finally:
            self.saving = False
        self.dismiss(item_id)

    def action_cancel(self) -> None:
        self.dismiss(None)
