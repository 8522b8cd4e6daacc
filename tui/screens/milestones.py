"""Milestones (key 4): a table of baseline, forecast and slip, and a timeline of the same.

``t`` switches between the two; both show the milestones of the program scope that the
filter keeps. The timeline scrolls a month at a time (←/→ or [/]); ``.`` brings it back.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar, TypedDict

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import DataTable, Input, OptionList, Static

from docket.exports.tabular.columns import Column, View
from docket.exports.tabular.lists.milestones import MILESTONES
from docket.models.core.context import Context
from docket.models.milestones import schedule as milestones
from docket.models.milestones.schedule import MilestoneDetailFacts, MilestoneFacts
from docket.tui.forms.milestones import (
    MilestoneDetail,
    add_form,
    complete,
    complete_prompt,
    edit_form,
    load_milestone,
)
from docket.tui.keys import Key
from docket.tui.screens.base import CLEAR_KEY, FilteredScreen, filter_key, open_key
from docket.tui.widgets.rows import STATE_STYLES, row_cells, set_columns
from docket.tui.widgets.text import plain
from docket.tui.widgets.timeline import Timeline

if TYPE_CHECKING:
    from docket.tui.app import DocketApp

# the keys that act only on the timeline
TIMELINE_ACTIONS = ("scroll_months", "this_month")


class Loaded(TypedDict):
    """What the list loads: the milestones the filter keeps, and today."""

    today: date
    rows: list[MilestoneFacts]


def load_rows(ctx: Context, typed: str, program: str | None) -> Loaded:
    """The milestones the filter keeps, as plain facts, and today (database thread)."""
    today = ctx.today()
    found = milestones.list_milestones(ctx, milestones.typed_filter(typed, program))
    return {
        "today": today,
        "rows": open_first([milestones.milestone_facts(m, today) for m in found]),
    }


def open_first(rows: list[MilestoneFacts]) -> list[MilestoneFacts]:
    """Milestones not done by forecast (as listed), then those done, the latest first: what
    needs watching is at the top, and the done ones read back through time."""
    done = sorted((r for r in rows if r["actual"]), key=lambda r: r["actual"] or "", reverse=True)
    return [r for r in rows if not r["actual"]] + done


# the table's columns: below 110 cells the actual date shares the forecast column
# (ticked) so the title keeps room
COLUMNS = MILESTONES.table()


def open_milestone(app: DocketApp, milestone_id: int) -> None:
    """Show a milestone's detail and history; its keys edit it or mark it done."""
    app.run_worker(_open_milestone(app, milestone_id), group="detail", exit_on_error=False)


async def _open_milestone(app: DocketApp, milestone_id: int) -> None:
    detail, changes = await app.store.run(load_milestone, app.ctx, milestone_id)

    def chosen(what: str | None) -> None:
        if what == "edit":
            app.push_screen(edit_form(app, detail), lambda saved: _saved(app, saved))
        elif what == "done":
            ask_done(app, detail)

    app.push_screen(MilestoneDetail(detail, changes), chosen)


def ask_done(app: DocketApp, detail: MilestoneDetailFacts) -> None:
    """Ask the day a milestone was done (today, as offered), then mark it."""

    def answered(day: date | None) -> None:
        if day is not None:
            app.run_worker(complete(app, detail, day), group="write", exit_on_error=False)

    app.push_screen(complete_prompt(app, detail), answered)


def _saved(app: DocketApp, result: Any) -> None:
    if result is not None:
        app.changed()


class MilestonesScreen(FilteredScreen):
    """The milestones of the program scope, as a table or on a timeline."""

    MODE = "milestones"
    AUTO_FOCUS = "#milestones"
    KEYS: ClassVar[tuple[Key, ...]] = (
        filter_key("Filter: a status (late, at risk, on track, done) and words of title or owner"),
        Key("t", "toggle_view", "Timeline", "Switch between the table and the timeline"),
        Key("a", "add", "Add", "Add a milestone"),
        Key("e", "edit", "Edit", "Edit the milestone; moving a date asks for a reason"),
        Key("d", "complete", "Done", "Mark the milestone done: today, or the day you type"),
        open_key("Open the milestone: details and history"),
        Key(
            "left,left_square_bracket",
            "scroll_months(-1)",
            "Earlier",
            "Timeline: one month earlier ([ too)",
            display="←",
        ),
        Key(
            "right,right_square_bracket",
            "scroll_months(1)",
            "Later",
            "Timeline: one month later (] too)",
            display="→",
        ),
        Key("full_stop", "this_month", "Now", "Timeline: back to this month", display="."),
        CLEAR_KEY,
    )
    HELP_EXTRA = (
        ("late", "filter: milestones whose forecast has passed"),
        ("at risk", "filter: forecast later than the baseline"),
        ("vendor", "filter: words in the title or the owner's name"),
    )

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[MilestoneFacts] = []
        self.today: date | None = None
        self.timeline_shown = False
        # the columns shown (fitted to the table's width) and how their rows read
        self.shown: tuple[Column, ...] = ()
        self.view = View()

    def body(self) -> ComposeResult:
        yield Input(
            self.typed,
            placeholder="/ to filter: late, at risk, on track, done, or words",
            id="filter",
            compact=True,
        )
        yield Static("", id="status")
        table: DataTable[Any] = DataTable(
            id="milestones", classes="filtered-list", cursor_type="row", cell_padding=0
        )
        yield table
        timeline = Timeline(id="timeline")
        timeline.display = False
        yield timeline

    def on_mount(self) -> None:
        # Textual runs DocketScreen.on_mount after this one (handlers run down the MRO)
        self.query_one(DataTable).focus()

    def on_resize(self) -> None:
        if self.rows:
            self.fill(self.current_id())

    # --- loading ---------------------------------------------------------------------

    def fetch(self) -> Callable[[], Any]:
        ctx, typed, program = self.docket.ctx, self.typed, self.docket.program

        def load() -> Loaded:
            return load_rows(ctx, typed, program)

        return load

    def show(self, data: Any) -> None:
        current = self.current_id()  # before the rows change under the cursor
        self.rows = data["rows"]
        self.today = data["today"]
        self.fill(current)
        self.query_one(Timeline).show(self.rows, data["today"])

    def _layout(self) -> None:
        """Columns for the table's width: the title takes what the others leave."""
        table = self.query_one(DataTable)
        width = (table.size.width or self.size.width) - 2
        self.shown, self.view = COLUMNS.fit(width), COLUMNS.view(width)
        set_columns(table, self.shown)

    def fill(self, current: int | None) -> None:
        """Put the rows in the table, the cursor on milestone ``current`` if still there."""
        table = self.query_one(DataTable)
        table.clear()
        self._layout()
        for row in self.rows:
            table.add_row(*row_cells(self.shown, row, self.view), key=str(row["id"]))
        ids = [r["id"] for r in self.rows]
        if current in ids:
            table.move_cursor(row=ids.index(current), animate=False)
        self.query_one("#status", Static).update(self.status_line())

    def status_line(self) -> Text:
        counts = {word: 0 for word in milestones.STATUSES}
        for row in self.rows:
            counts[row["status"]] += 1
        text = Text(f"{len(self.rows):,} milestones")
        for word in ("late", "at risk", "on track", "done"):
            if counts[word]:
                text.append(" · ")
                text.append(f"{counts[word]} {word}", style=STATE_STYLES.get(word, ""))
        if self.typed.strip():
            text.append(" · filter: ")
            text.append_text(plain(self.typed.strip()))
        return text

    # --- filter ----------------------------------------------------------------------

    # --- table and timeline ----------------------------------------------------------

    def focus_list(self) -> None:
        """Focus the table or the timeline, whichever is shown."""
        if self.timeline_shown:
            self.query_one("#timeline-rows", OptionList).focus()
        else:
            self.query_one(DataTable).focus()

    def action_toggle_view(self) -> None:
        current = self.current_id()
        self.timeline_shown = not self.timeline_shown
        self.query_one(DataTable).display = not self.timeline_shown
        timeline = self.query_one(Timeline)
        timeline.display = self.timeline_shown
        if self.timeline_shown:
            timeline.draw()
            self._highlight_in_timeline(current)
        elif current is not None:
            ids = [r["id"] for r in self.rows]
            if current in ids:
                self.query_one(DataTable).move_cursor(row=ids.index(current), animate=False)
        self.focus_list()
        self.refresh_bindings()

    def _highlight_in_timeline(self, milestone_id: int | None) -> None:
        listing = self.query_one("#timeline-rows", OptionList)
        ids = [option.id for option in listing.options]
        if milestone_id is not None and str(milestone_id) in ids:
            listing.highlighted = ids.index(str(milestone_id))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in TIMELINE_ACTIONS:
            return self.timeline_shown
        return True

    def action_scroll_months(self, months: int) -> None:
        self.query_one(Timeline).scroll_months(months)

    def action_this_month(self) -> None:
        self.query_one(Timeline).this_month()

    # --- acting on a milestone -------------------------------------------------------

    def current_id(self) -> int | None:
        """The milestone under the cursor of the table or the timeline."""
        if self.timeline_shown:
            return self.query_one(Timeline).highlighted_id()
        table = self.query_one(DataTable)
        if not 0 <= table.cursor_row < min(table.row_count, len(self.rows)):
            return None
        return int(self.rows[table.cursor_row]["id"])

    def current_record(self) -> tuple[str, int] | None:
        milestone_id = self.current_id()
        return None if milestone_id is None else ("milestone", milestone_id)

    def action_open(self) -> None:
        milestone_id = self.current_id()
        if milestone_id is not None:
            open_milestone(self.docket, milestone_id)

    @on(DataTable.RowSelected)
    def row_selected(self) -> None:
        self.action_open()

    @on(OptionList.OptionSelected, "#timeline-rows")
    def option_selected(self) -> None:
        self.action_open()

    def action_add(self) -> None:
        self.app.push_screen(add_form(self.docket), lambda saved: _saved(self.docket, saved))

    def action_edit(self) -> None:
        self._with_detail(
            lambda detail: self.app.push_screen(
                edit_form(self.docket, detail), lambda saved: _saved(self.docket, saved)
            )
        )

    def action_complete(self) -> None:
        self._with_detail(lambda detail: ask_done(self.docket, detail))

    def _with_detail(self, then: Callable[[MilestoneDetailFacts], object]) -> None:
        """Read the milestone under the cursor afresh (for its version), then act on it."""
        milestone_id = self.current_id()
        if milestone_id is None:
            return

        async def run() -> None:
            ctx = self.docket.ctx
            then(await self.docket.store.run(milestones.milestone_detail, ctx, milestone_id))

        self.run_worker(run(), group="detail", exit_on_error=False)
