"""Communications (key 5): the plan, overdue and soonest due first, narrowed by the filter
box (``/``); adding (``a``) and editing (``e``) a plan item; each item's log (sent, by hand,
or only exported); marking an item sent by hand; and the digest it sends (built by
``item_digest``, the same as ``docket digest --for-item``), previewed in the terminal, saved
or sent from there.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypedDict

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Label, Markdown, Static

from docket.exports.tabular.lists.comms import PLAN, plan_state
from docket.models.comms import plan as comms
from docket.models.comms.log import LogFacts, artifact_of, log_of, log_sent
from docket.models.comms.plan import PlanFacts
from docket.models.core.config import load_config
from docket.models.core.context import Context
from docket.models.core.typed_filters import keep_plan
from docket.tui.cli.output import clean_lines
from docket.tui.forms.base import Field, RecordForm
from docket.tui.keys import DIGEST_PREVIEW_KEYS, PLAN_ITEM_DETAIL_KEYS, Key, bindings, hint_line
from docket.tui.screens.base import CLEAR_KEY, FilteredScreen, filter_key, open_key
from docket.tui.widgets.dialogs import ConfirmDialog, RecordDetail, summary_table
from docket.tui.widgets.rows import ALERT, row_cells, set_columns
from docket.tui.widgets.text import plain

if TYPE_CHECKING:
    from docket.models.comms.digest import ItemDigest
    from docket.tui.app import DocketApp


class Loaded(TypedDict):
    """What the plan loads: its items as plain facts, and today."""

    today: date
    rows: list[PlanFacts]


def load_plan(ctx: Context, program: str | None) -> Loaded:
    """The plan items of the scope as plain facts (database thread)."""
    from docket.models.comms.digest_scope import scope_of

    today = ctx.today()
    ids = scope_of(ctx, program, today, today).program_ids
    return {"today": today, "rows": [comms.plan_facts(r, today) for r in comms.plan(ids)]}


# the plan's columns: the name takes what the others leave
COLUMNS = PLAN.table()


class CommsScreen(FilteredScreen):
    """The communications plan of the program scope, narrowed by what is typed."""

    MODE = "comms"
    AUTO_FOCUS = "#plan"
    KEYS: ClassVar[tuple[Key, ...]] = (
        filter_key(
            "Filter: words of the name, program, channel, owner or audience; late, inactive"
        ),
        open_key("Open the item: audience, purpose and what was sent"),
        Key("a", "add", "Add", "Add a plan item: what, for whom, how often"),
        Key("e", "edit", "Edit", "Edit the plan item: cadence, owner, audience, purpose"),
        Key("s", "sent", "Sent", "Log that the item was sent now, by hand (with a note)"),
        Key(
            "d",
            "digest",
            "Digest",
            "Preview the item's digest (its period, sections, audience), then save or send it",
        ),
        CLEAR_KEY,
    )
    HELP_EXTRA = (
        ("late", "filter: the items overdue"),
        ("erp weekly", "filter: words of the name, program, channel, owner or audience"),
    )

    def __init__(self) -> None:
        super().__init__()
        # every item of the scope as read, and those the filter keeps (the table's rows)
        self.plan: list[PlanFacts] = []
        self.rows: list[PlanFacts] = []

    def body(self) -> ComposeResult:
        yield Input(
            self.typed,
            placeholder="/ to filter: late, inactive, or words of name, program, owner, audience",
            id="filter",
            compact=True,
        )
        yield Static("", id="status")
        yield DataTable(id="plan", classes="filtered-list", cursor_type="row", cell_padding=0)

    def on_resize(self) -> None:
        if self.plan:
            self.fill(self.current_id())

    def fetch(self) -> Callable[[], Any]:
        ctx, program = self.docket.ctx, self.docket.program

        def load() -> Loaded:
            return load_plan(ctx, program)

        return load

    def show(self, data: Any) -> None:
        current = self.current_id()
        self.plan = data["rows"]
        self.fill(current)

    def filtered(self) -> None:
        """The plan is read whole: what is typed narrows the rows already read."""
        self.fill(self.current_id())

    def fill(self, current: int | None) -> None:
        """The items the filter keeps in the table, the cursor on ``current`` if kept."""
        self.rows = keep_plan(self.plan, self.typed)
        table = self.query_one(DataTable)
        table.clear()
        width = (table.size.width or self.size.width) - 2
        columns, view = COLUMNS.fit(width), COLUMNS.view(width)
        set_columns(table, columns)
        for row in self.rows:
            table.add_row(*row_cells(columns, row, view), key=str(row["id"]))
        ids = [r["id"] for r in self.rows]
        if current in ids:
            table.move_cursor(row=ids.index(current), animate=False)
        overdue = sum(1 for r in self.rows if r["overdue"])
        shown = len(self.rows)
        counted = (
            f"{shown} plan items"
            if shown == len(self.plan)
            else f"{shown} of {len(self.plan)} plan items"
        )
        text = Text(counted, style="bold")
        if overdue:
            text.append(f" · {overdue} overdue", style=ALERT)
        if self.typed.strip():
            text.append(" · filter: ")
            text.append_text(plain(self.typed.strip()))
        self.query_one("#status", Static).update(text)

    def current_row(self) -> PlanFacts | None:
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

    def action_add(self) -> None:
        from docket.tui.forms.comms import add_form

        self.app.push_screen(add_form(self.docket), lambda saved: _saved(self.docket, saved))

    def action_edit(self) -> None:
        from docket.tui.forms.comms import edit_item

        row = self.current_row()
        if row is not None:
            edit_item(self.docket, int(row["id"]))

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

    KEYS = PLAN_ITEM_DETAIL_KEYS

    def __init__(self, row: PlanFacts, log: list[LogFacts]) -> None:
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
                ("Next due", f"{due} {plan_state(r)}".strip()),
                ("Exported", _exported(r)),
                ("How often", r["cadence_words"]),
                ("Channel", r["channel"]),
                ("Audience", ", ".join(r["audience"]) or "(nobody yet)"),
                ("Owner", r["owner"] or "nobody"),
                ("Digest", r["digest"] or "(none)"),
                ("Purpose", r["purpose"] or "-"),
            )
            if value or label != "Exported"
        )

    def sections(self) -> Iterable[tuple[str, RenderableType]]:
        yield "Log", self._log()

    def _log(self) -> Text:
        if not self.sendings:
            return Text("(never)", style="dim")
        text = Text()
        for i, entry in enumerate(self.sendings):
            text.append("\n" if i else "")
            when = entry["sent_at"][:16].replace("T", " ")
            text.append_text(plain(f"{when} UTC {HOW_WORDS[entry['how']]} {entry['sent_by']}"))
            for extra in (entry["note"], entry["artifact"]):
                if extra:
                    text.append_text(plain(f" · {extra}", style="dim"))
        return text


# how a log entry reads: "sent by ana", "marked sent by hand by ana", "exported by ana"
HOW_WORDS = {
    "sent": "sent by",
    "by hand": "marked sent by hand by",
    "exported": "exported (not sent) by",
}


def _exported(row: PlanFacts) -> str:
    """A file written after the last sending, which has not gone out: say so."""
    at = row.get("exported_not_sent")
    return f"{at[:16].replace('T', ' ')} UTC, not sent since" if at else ""


def open_item(app: DocketApp, row: PlanFacts) -> None:
    """Show a plan item and its log; its keys mark it sent or preview its digest."""

    async def run() -> None:
        log = await app.store.run(log_of, int(row["id"]))

        def chosen(what: str | None) -> None:
            if what == "sent":
                app.push_screen(sent_form(app, row), lambda done: _saved(app, done))
            elif what == "digest":
                preview_digest(app, row)

        app.push_screen(ItemDetail(row, log), chosen)

    app.run_worker(run(), group="detail", exit_on_error=False)


def sent_form(app: DocketApp, row: PlanFacts) -> RecordForm:
    """Log that an item was sent now by hand, with a note and the file sent (optional)."""
    ctx = app.ctx
    fields = [
        Field("note", "Note", placeholder="sent as planned; questions answered"),
        Field("artifact", "File", placeholder="the file sent (its SHA-256 is logged); blank: none"),
    ]

    def save(values: dict[str, str]) -> int:
        typed = values["artifact"].strip()
        artifact = artifact_of(Path(typed)) if typed else ""
        entry = log_sent(ctx, int(row["id"]), how="by hand", note=values["note"], artifact=artifact)
        return int(entry.id)

    return RecordForm(f"Sent by hand: {row['name']}", fields, save)


# --- the digest preview ------------------------------------------------------------------


def preview_digest(app: DocketApp, row: PlanFacts) -> None:
    """Build the item's digest (its period, sections and audience) and show it; saving or
    sending from the preview writes or sends this same digest."""
    from docket.exports.digests.digest import markdown
    from docket.models.comms.digest import item_digest

    ctx = app.ctx

    def build() -> tuple[ItemDigest, str]:
        planned = item_digest(ctx, int(row["id"]), config=load_config())
        return planned, markdown(planned.digest)

    async def run() -> None:
        planned, text = await app.store.run(build)
        app.push_screen(DigestPreview(planned, text, row), lambda done: _saved(app, done))

    app.run_worker(run(), group="detail", exit_on_error=False)


class DigestPreview(ModalScreen[Any]):
    """A plan item's digest as its readers will see it; ``w`` saves it to a file (logged as
    exported, not as sent), ``s`` sends it to the item's audience (logged as sent when the
    server accepted it for at least one of them)."""

    KEYS = DIGEST_PREVIEW_KEYS
    BINDINGS = bindings(KEYS)

    def __init__(self, planned: ItemDigest, text: str, row: PlanFacts) -> None:
        super().__init__(classes="dialog detail")
        self.planned = planned
        self.made = planned.digest
        self.text = text
        self.row = row

    def compose(self) -> ComposeResult:
        with Vertical(classes="box"):
            yield Label(plain(self.made.title), classes="dialog-title")
            with VerticalScroll():
                yield Markdown(clean_lines(self.text))
            yield Static(Text(hint_line(self.KEYS), style="dim"), classes="keys")

    def action_close(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
        app: Any = self.app
        self.app.push_screen(save_form(app, self.planned), self._done)

    def action_send(self) -> None:
        app: Any = self.app
        count = sum(1 for p in self.planned.audience if p.email)

        def answered(yes: bool | None) -> None:
            if yes:
                app.run_worker(self._send(), group="write", exit_on_error=False)

        question = f"Send {self.made.title} to the audience of {self.row['name']} ({count})?"
        self.app.push_screen(ConfirmDialog(question), answered)

    async def _send(self) -> None:
        from docket.exports.digests.delivery import send_digest

        app: Any = self.app
        planned = self.planned
        sent = await app.store.run(
            send_digest,
            app.ctx,
            planned.digest,
            planned.item_id,
            app.mail_settings(),
            planned.audience,
        )
        app.notify(sent.said, markup=False, severity="information" if sent.accepted else "error")
        if sent.refused:
            app.notify("\n".join(sent.refusals()), severity="error", markup=False)
        self.dismiss(sent.said)

    def _done(self, result: Any) -> None:
        if result is not None:
            self.dismiss(result)


def save_form(app: DocketApp, planned: ItemDigest) -> RecordForm:
    """Save the digest: the format follows the file's extension (.md, .txt, .html, .json,
    .eml). A file saved is logged as exported: it does not count as the item sent."""
    from docket.exports.digests.delivery import save_digest

    ctx, made = app.ctx, planned.digest
    program = (made.scope.program or "all").lower()
    stem = f"~/{program}-{made.kind}-{made.scope.until.isoformat()}"
    fields = [Field("file", "File", f"{stem}.html", placeholder=".md, .txt, .html, .json or .eml")]

    def save(values: dict[str, str]) -> str:
        path = Path(values["file"].strip())
        said: str = save_digest(
            ctx,
            made,
            path,
            planned.item_id,
            people=planned.audience,
            settings=app.mail_settings(),
        )
        app.notify(said, markup=False)
        return said

    return RecordForm("Save the digest", fields, save)
