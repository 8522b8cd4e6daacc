"""Communications (key 5): the plan, overdue and soonest due first; each item's log; marking
an item sent; and the digest it sends, previewed in the terminal, saved or sent from there.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label, Markdown, Static

from docket.models import comms
from docket.models.context import Context
from docket.tui.base import DocketScreen
from docket.tui.dialogs import ConfirmDialog, RecordDetail, summary_table
from docket.tui.forms import Field, RecordForm
from docket.tui.keys import Key
from docket.tui.rows import set_columns
from docket.tui.text import plain

if TYPE_CHECKING:
    from docket.tui.app import DocketApp


def load_plan(ctx: Context, program: str | None) -> dict[str, Any]:
    """The plan items of the scope as plain facts (database thread)."""
    from docket.models.digest import scope_of

    today = ctx.today()
    ids = scope_of(ctx, program, today, today).program_ids
    return {"today": today, "rows": [comms.plan_facts(r, today) for r in comms.plan(ids)]}


def columns(width: int) -> list[tuple[str, str, int]]:
    """(key, heading, width) for a table ``width`` cells wide; the name takes what is left."""
    wide = width >= 110
    head = [("due", "Next due", 11 if wide else 9), ("state", "State", 12 if wide else 9)]
    tail = [("program", "Prog", 8 if wide else 7), ("channel", "Channel", 12)]
    if wide:
        tail += [("how_often", "How often", 28), ("owner", "Owner", 18)]
    name = max(12, width - sum(w for *_, w in head + tail))
    return [*head[:1], ("name", "Item", name), *head[1:], *tail]


def state_of(row: dict[str, Any]) -> str:
    """The item's state in words: overdue by how long, inactive, or nothing to say."""
    if not row["active"]:
        return "inactive"
    if row["overdue"]:
        return f"{row['days_overdue']}d late"
    return "" if row["due"] else "done"


def cells(row: dict[str, Any], keys: list[str], *, wide: bool) -> list[Text]:
    due = date.fromisoformat(row["due"]) if row["due"] else None
    shown_due = "" if due is None else f"{due:%a %d %b}" if wide else f"{due:%d %b}"
    state = state_of(row)
    values = {
        "due": plain(" " + shown_due),
        "name": plain(" " + row["name"]),
        "state": plain(" " + state, style="bold red" if row["overdue"] else "dim"),
        "program": plain(" " + row["program"], style="cyan"),
        "channel": plain(" " + row["channel"]),
        "how_often": plain(" " + row["cadence_words"]),
        "owner": plain(" " + (row["owner"] or "nobody")),
    }
    return [values[key] for key in keys]


class CommsScreen(DocketScreen):
    """The communications plan of the program scope."""

    MODE = "comms"
    AUTO_FOCUS = "#plan"
    DEFAULT_CSS = """
    CommsScreen #plan {
        height: 1fr;
    }
    """
    KEYS: ClassVar[tuple[Key, ...]] = (
        Key(
            "enter",
            "open",
            "Open",
            "Open the item: audience, purpose and what was sent",
            footer=False,
        ),
        Key("s", "sent", "Sent", "Log that the item was sent now (with a note)"),
        Key(
            "d",
            "digest",
            "Digest",
            "Preview the digest of the item's program, then save or send it",
        ),
    )

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict[str, Any]] = []

    def body(self) -> ComposeResult:
        yield Static("", id="status")
        yield DataTable(id="plan", cursor_type="row", cell_padding=0)

    def on_resize(self) -> None:
        if self.rows:
            self.fill(self.current_id())

    def fetch(self) -> Callable[[], Any]:
        ctx, program = self.docket.ctx, self.docket.program

        def load() -> dict[str, Any]:
            return load_plan(ctx, program)

        return load

    def show(self, data: Any) -> None:
        current = self.current_id()
        self.rows = data["rows"]
        self.fill(current)

    def fill(self, current: int | None) -> None:
        table = self.query_one(DataTable)
        table.clear()
        width = (table.size.width or self.size.width) - 2
        set_columns(table, columns(width))
        keys = [str(c.key.value) for c in table.columns.values()]
        for row in self.rows:
            table.add_row(*cells(row, keys, wide=width >= 110), key=str(row["id"]))
        ids = [r["id"] for r in self.rows]
        if current in ids:
            table.move_cursor(row=ids.index(current), animate=False)
        overdue = sum(1 for r in self.rows if r["overdue"])
        text = Text(f"{len(self.rows)} plan items", style="bold")
        if overdue:
            text.append(f" · {overdue} overdue", style="bold red")
        self.query_one("#status", Static).update(text)

    def current_row(self) -> dict[str, Any] | None:
        table = self.query_one(DataTable)
        if not 0 <= table.cursor_row < min(table.row_count, len(self.rows)):
            return None
        return self.rows[table.cursor_row]

    def current_id(self) -> int | None:
        row = self.current_row()
        return None if row is None else int(row["id"])

    def current_record(self) -> tuple[str, int] | None:
        item = self.current_id()
        return None if item is None else ("comms_item", item)

    def action_open(self) -> None:
        row = self.current_row()
        if row is not None:
            open_item(self.docket, row)

    @on(DataTable.RowSelected)
    def row_selected(self) -> None:
        self.action_open()

    def action_sent(self) -> None:
        row = self.current_row()
        if row is not None:
            self.app.push_screen(
                sent_form(self.docket, row), lambda done: _saved(self.docket, done)
            )

    def action_digest(self) -> None:
        row = self.current_row()
        if row is not None:
            preview_digest(self.docket, row)


def _saved(app: DocketApp, result: Any) -> None:
    if result is not None:
        app.changed()


# --- an item, marking it sent ----------------------------------------------------------


class ItemDetail(RecordDetail):
    """One plan item: what, for whom, how often, and its log; ``s`` sent, ``d`` digest."""

    BINDINGS = [
        Binding("escape,q", "close", "Close"),
        Binding("s", "choose('sent')", "Sent"),
        Binding("d", "choose('digest')", "Digest"),
    ]

    def __init__(self, row: dict[str, Any], log: list[dict[str, Any]]) -> None:
        super().__init__()
        self.row = row
        self.sendings = log

    def title_text(self) -> Text:
        return plain(f"#{self.row['id']} {self.row['name']}")

    def summary(self) -> Table:
        r = self.row
        due = r["due"] or "nothing due"
        return summary_table(
            (label, plain(value))
            for label, value in (
                ("Next due", f"{due} {state_of(r)}".strip()),
                ("How often", r["cadence_words"]),
                ("Channel", r["channel"]),
                ("Audience", ", ".join(r["audience"]) or "(nobody yet)"),
                ("Owner", r["owner"] or "nobody"),
                ("Digest", r["digest"] or "(none)"),
                ("Purpose", r["purpose"] or "-"),
            )
        )

    def sections(self) -> Iterable[tuple[str, RenderableType]]:
        yield "Sent", self._log()

    def keys_hint(self) -> str:
        return "s mark sent · d digest preview"

    def _log(self) -> Text:
        if not self.sendings:
            return Text("(never)", style="dim")
        text = Text()
        for i, entry in enumerate(self.sendings):
            text.append("\n" if i else "")
            text.append_text(
                plain(f"{entry['sent_at'][:16].replace('T', ' ')} UTC by {entry['sent_by']}")
            )
            for extra in (entry["note"], entry["artifact"]):
                if extra:
                    text.append_text(plain(f" · {extra}", style="dim"))
        return text


def open_item(app: DocketApp, row: dict[str, Any]) -> None:
    """Show a plan item and its log; its keys mark it sent or preview its digest."""

    async def run() -> None:
        log = await app.store.run(comms.log_of, int(row["id"]))

        def chosen(what: str | None) -> None:
            if what == "sent":
                app.push_screen(sent_form(app, row), lambda done: _saved(app, done))
            elif what == "digest":
                preview_digest(app, row)

        app.push_screen(ItemDetail(row, log), chosen)

    app.run_worker(run(), group="detail", exit_on_error=False)


def sent_form(app: DocketApp, row: dict[str, Any]) -> RecordForm:
    """Log that an item was sent now, with a note and the file sent (optional)."""
    ctx = app.ctx
    fields = [
        Field("note", "Note", placeholder="sent as planned; questions answered"),
        Field("artifact", "File", placeholder="the file sent (its SHA-256 is logged); blank: none"),
    ]

    def save(values: dict[str, str]) -> int:
        typed = values["artifact"].strip()
        artifact = comms.artifact_of(Path(typed)) if typed else ""
        return int(comms.log_sent(ctx, int(row["id"]), note=values["note"], artifact=artifact).id)

    return RecordForm(f"Sent: {row['name']}", fields, save)


# --- the digest preview ------------------------------------------------------------------


def preview_digest(app: DocketApp, row: dict[str, Any]) -> None:
    """Build the digest of the item's program for this week and show it."""
    from docket.exports.digest import markdown
    from docket.models.digest import build_digest

    ctx = app.ctx

    def build() -> tuple[Any, str]:
        made = build_digest(ctx, program=row["program"])
        return made, markdown(made)

    async def run() -> None:
        made, text = await app.store.run(build)
        app.push_screen(DigestPreview(made, text, row), lambda done: _saved(app, done))

    app.run_worker(run(), group="detail", exit_on_error=False)


class DigestPreview(ModalScreen[Any]):
    """A digest as its readers will see it; ``w`` saves it to a file, ``s`` sends it to the
    item's audience (and logs the sending)."""

    BINDINGS = [
        Binding("escape,q", "close", "Close"),
        Binding("w", "save", "Save"),
        Binding("s", "send", "Send"),
    ]

    def __init__(self, made: Any, text: str, row: dict[str, Any]) -> None:
        super().__init__(classes="dialog detail")
        self.made = made
        self.text = text
        self.row = row

    def compose(self) -> ComposeResult:
        with Vertical(classes="box"):
            yield Label(plain(self.made.title), classes="dialog-title")
            with VerticalScroll():
                yield Markdown(self.text)
            yield Static(
                Text("w save to a file · s send to the audience · esc close", style="dim"),
                classes="keys",
            )

    def action_close(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
        app: Any = self.app
        self.app.push_screen(save_form(app, self.made, self.row), self._done)

    def action_send(self) -> None:
        app: Any = self.app
        count = len(self.row["audience"])

        def answered(yes: bool | None) -> None:
            if yes:
                app.run_worker(self._send(), group="write", exit_on_error=False)

        question = (
            f"Send {self.made.title} to the audience of {self.row['name']} ({count} entries)?"
        )
        self.app.push_screen(ConfirmDialog(question), answered)

    async def _send(self) -> None:
        from docket.exports.digest_delivery import send_digest

        app: Any = self.app
        said = await app.store.run(
            send_digest, app.ctx, self.made, int(self.row["id"]), app.mail_settings()
        )
        app.notify(said, markup=False)
        self.dismiss(said)

    def _done(self, result: Any) -> None:
        if result is not None:
            self.dismiss(result)


def save_form(app: DocketApp, made: Any, row: dict[str, Any]) -> RecordForm:
    """Save the digest: the format follows the file's extension (.md, .txt, .html, .json)."""
    from docket.exports.digest_delivery import save_digest

    ctx = app.ctx
    stem = f"~/{row['program'].lower()}-status-{made.scope.until.isoformat()}"
    fields = [Field("file", "File", f"{stem}.html", placeholder=".md, .txt, .html or .json")]

    def save(values: dict[str, str]) -> str:
        path = Path(values["file"].strip())
        said: str = save_digest(ctx, made, path, int(row["id"]), settings=app.mail_settings())
        app.notify(said, markup=False)
        return said

    return RecordForm("Save the digest", fields, save)
