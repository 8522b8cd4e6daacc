"""Quick capture (``c``, from any screen): one line becomes an action item.

``Send budget draft fri #ERP @ana !high``: the preview under the line shows what was
understood (title, due date, program, owner, priority) before anything is saved; Enter
saves, and a problem (an unknown person, say) is shown instead and keeps the line.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from docket.models.capture import parse_capture, save_capture
from docket.models.context import Context
from docket.models.errors import DocketError
from docket.tui.store import store_of


def _preview(ctx: Context, line: str) -> tuple[str, list[str]]:
    capture = parse_capture(ctx, line)
    return capture.preview(ctx.today()), [f"{f}: {m}" for f, m in capture.problems]


def _save(ctx: Context, line: str) -> int:
    return int(save_capture(ctx, parse_capture(ctx, line)).id)


class CaptureDialog(ModalScreen[int | None]):
    """One line in, an action item out; dismisses with its id, or None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, ctx: Context) -> None:
        super().__init__(classes="dialog capture")
        self.ctx = ctx

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
            return
        understood, problems = await store_of(self.app).run(_preview, self.ctx, line)
        self.query_one("#preview", Static).update(Text("→ " + understood))
        self.query_one("#problems", Static).update(Text("\n".join(problems)))

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        self.save(event.value)

    @work(exclusive=True, group="save", exit_on_error=False)
    async def save(self, line: str) -> None:
        try:
            item_id = await store_of(self.app).run(_save, self.ctx, line)
        except DocketError as exc:
            self.query_one("#problems", Static).update(Text(str(exc)))
            return
        self.dismiss(item_id)

    def action_cancel(self) -> None:
        self.dismiss(None)
