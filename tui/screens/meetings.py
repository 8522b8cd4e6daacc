"""Meetings (key 3): the agenda of occurrences, a day or a week at a time, in your zone.

Series are expanded; moved and cancelled occurrences show as such. ``w`` switches between
the day and the week, ←/→ move by one, ``.`` comes back to today; ``/`` narrows the day or
week shown to the occurrences whose words (title, program, place, state) start with what is
typed, and keeps narrowing as the days move. Enter opens an
occurrence: attendees and their answers, the agenda with the actions carried into it,
minutes, actions raised, and the invite (export, send).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import DataTable, Input, Static

from docket.exports.tabular.columns import Column, View
from docket.exports.tabular.lists.meetings import OCCURRENCES
from docket.models.core.context import Context
from docket.models.core.typed_filters import keep_occurrences
from docket.models.meetings.facts import occurrence_facts
from docket.models.meetings.occurrences import OccurrenceFilter, list_occurrences
from docket.tui.forms.meetings import add_form
from docket.tui.forms.occurrence_detail import act, load_occurrence, open_occurrence
from docket.tui.keys import Key
from docket.tui.screens.base import CLEAR_KEY, FilteredScreen, filter_key, open_key
from docket.tui.widgets.rows import row_cells, set_columns
from docket.tui.widgets.text import plain


def period(anchor: date, week: bool) -> tuple[date, int]:
    """The first day and the number of days shown: the anchor's day, or its Monday-to-Sunday
    week."""
    if not week:
        return anchor, 1
    return anchor - timedelta(days=anchor.weekday()), 7


def load_agenda(ctx: Context, first: date, days: int, program: str | None) -> dict[str, Any]:
    """The occurrences of ``days`` days from ``first`` in the user's zone (database thread)."""
    start = datetime.combine(first, time(0), ctx.tz).astimezone(UTC)
    end = datetime.combine(first + timedelta(days=days), time(0), ctx.tz).astimezone(UTC)
    found = list_occurrences(start, end, OccurrenceFilter(program=program))
    return {
        "today": ctx.today(),
        "rows": [occurrence_facts(o, ctx.tz) for o in found],
    }


# the agenda's columns: the title takes what the others leave
COLUMNS = OCCURRENCES.table()


def cells(
    row: dict[str, Any], columns: Sequence[Column], view: View, first_of_day: bool
) -> list[Text]:
    """One occurrence's cells; its day only on the first of that day. Its state is words
    (cancelled, moved, tentative), the colour only helps."""
    drawn = {} if first_of_day else {"day": _no_day}
    return row_cells(columns, row, view, drawn)


def _no_day(row: Mapping[str, Any]) -> Text:
    """The day column of an occurrence after the first of its day: blank."""
    return plain(" ", style="bold")


class MeetingsScreen(FilteredScreen):
    """The occurrences of the program scope's meetings, by day or by week."""

    MODE = "meetings"
    AUTO_FOCUS = "#meetings"
    KEYS: ClassVar[tuple[Key, ...]] = (
        filter_key("Filter: words of the title, program or place; cancelled, moved, tentative"),
        open_key("Open the occurrence: attendees, agenda, minutes"),
        Key("w", "toggle_week", "Day/Week", "Show one day or the whole week"),
        Key(
            "left,left_square_bracket",
            "step(-1)",
            "Earlier",
            "The day (or week) before ([ too)",
            display="←",
        ),
        Key(
            "right,right_square_bracket",
            "step(1)",
            "Later",
            "The day (or week) after (] too)",
            display="→",
        ),
        Key("full_stop", "today", "Today", "Back to today", display="."),
        Key("a", "add", "New", "Create a meeting or a series"),
        Key("e", "edit", "Edit", "Edit the meeting of the occurrence (every occurrence)"),
        Key("m", "minutes", "Minutes", "Write the occurrence's minutes"),
        Key("v", "move", "Move", "Move this occurrence to another time"),
        Key("x", "cancel", "Cancel", "Cancel this occurrence (r restores it)"),
        Key("r", "restore", "Restore", "Restore a cancelled occurrence", footer=False),
        Key("i", "export", "Export", "Write the invite as .ics or .eml", footer=False),
        Key("s", "send", "Send", "Send the invite to the attendees by e-mail", footer=False),
        CLEAR_KEY,
    )
    HELP_EXTRA = (
        ("steering", "filter: words of the title, program or place"),
        ("cancelled", "filter: the cancelled occurrences (moved, tentative too)"),
    )

    def __init__(self) -> None:
        super().__init__()
        self.day_shown: date | None = None
        self.week = True
        # the occurrences of the day or week as read, and those the filter keeps (shown)
        self.agenda: list[dict[str, Any]] = []
        self.rows: list[dict[str, Any]] = []
        self.today: date | None = None

    def body(self) -> ComposeResult:
        yield Input(
            self.typed,
            placeholder="/ to filter: words of title, program, place; cancelled, moved",
            id="filter",
            compact=True,
        )
        yield Static("", id="status")
        yield DataTable(id="meetings", classes="filtered-list", cursor_type="row", cell_padding=0)

    def on_resize(self) -> None:
        if self.agenda or self.today:
            self.fill(self.current_key())

    # --- loading ---------------------------------------------------------------------

    def shown_period(self) -> tuple[date, int]:
        anchor = self.day_shown or self.docket.ctx.today()
        return period(anchor, self.week)

    def fetch(self) -> Callable[[], Any]:
        ctx, program = self.docket.ctx, self.docket.program
        first, days = self.shown_period()

        def load() -> dict[str, Any]:
            return load_agenda(ctx, first, days, program)

        return load

    def show(self, data: Any) -> None:
        current = self.current_key()
        self.agenda = data["rows"]
        self.today = data["today"]
        self.fill(current)

    def filtered(self) -> None:
        """The day or week is read whole: what is typed narrows the rows already read."""
        self.fill(self.current_key())

    def fill(self, current: str | None) -> None:
        """The rows the filter keeps in the table, the cursor kept on the same occurrence
        when it is there."""
        self.rows = keep_occurrences(self.agenda, self.typed)
        table = self.query_one(DataTable)
        table.clear()
        width = (table.size.width or self.size.width) - 2
        shown = COLUMNS.fit(width)
        set_columns(table, shown)
        view = COLUMNS.view(width, self.today or self.docket.ctx.today())
        previous_day = None
        for row in self.rows:
            day = row["local_start"][:10]
            first = day != previous_day
            table.add_row(*cells(row, shown, view, first), key=self.key_of(row))
            previous_day = day
        found = [self.key_of(r) for r in self.rows]
        if current in found:
            table.move_cursor(row=found.index(current), animate=False)
        self.query_one("#status", Static).update(self.status_line())

    @staticmethod
    def key_of(row: dict[str, Any]) -> str:
        return f"{row['meeting']}@{row['occurrence']}"

    def status_line(self) -> Text:
        first, days = self.shown_period()
        last = first + timedelta(days=days - 1)
        label = (
            f"{first:%a %d %b %Y}"
            if days == 1
            else f"Week of {first:%a %d %b} – {last:%a %d %b %Y}"
        )
        text = Text(label, style="bold")
        cancelled = sum(1 for r in self.rows if r["status"] == "cancelled")
        moved = sum(1 for r in self.rows if r["moved"])
        shown = len(self.rows)
        text.append(
            f" · {shown} meetings"
            if shown == len(self.agenda)
            else f" · {shown} of {len(self.agenda)} meetings"
        )
        if cancelled:
            text.append(f" · {cancelled} cancelled", style="dim")
        if moved:
            text.append(f" · {moved} moved")
        if self.typed.strip():
            text.append(" · filter: ")
            text.append_text(plain(self.typed.strip()))
        elif not self.rows:
            text.append(" · nothing on; a creates a meeting", style="dim")
        return text

    # --- moving through time ---------------------------------------------------------

    def action_toggle_week(self) -> None:
        self.week = not self.week
        self.reload()

    def action_step(self, direction: int) -> None:
        first, days = self.shown_period()
        self.day_shown = first + timedelta(days=direction * days)
        self.reload()

    def action_today(self) -> None:
        self.day_shown = None
        self.reload()

    # --- one occurrence --------------------------------------------------------------

    def current_key(self) -> str | None:
        table = self.query_one(DataTable)
        if not 0 <= table.cursor_row < min(table.row_count, len(self.rows)):
            return None
        return self.key_of(self.rows[table.cursor_row])

    def current_row(self) -> dict[str, Any] | None:
        table = self.query_one(DataTable)
        if not 0 <= table.cursor_row < min(table.row_count, len(self.rows)):
            return None
        return self.rows[table.cursor_row]

    def current_record(self) -> tuple[str, int] | None:
        row = self.current_row()
        return None if row is None else ("meeting", int(row["meeting"]))

    def _original(self, row: dict[str, Any]) -> datetime:
        return datetime.fromisoformat(row["occurrence"].replace("Z", "+00:00"))

    def action_open(self) -> None:
        row = self.current_row()
        if row is not None:
            open_occurrence(self.docket, int(row["meeting"]), self._original(row))

    @on(DataTable.RowSelected)
    def row_selected(self) -> None:
        self.action_open()

    def action_add(self) -> None:
        def saved(meeting_id: int | None) -> None:
            if meeting_id is not None:
                self.docket.changed()
                self.docket.notify(f"Meeting {meeting_id} created", markup=False)

        self.app.push_screen(add_form(self.docket), saved)

    def _act(self, what: str) -> None:
        """Read the occurrence under the cursor afresh, then do ``what`` to it."""
        row = self.current_row()
        if row is None:
            return
        ctx, meeting_id, original = self.docket.ctx, int(row["meeting"]), self._original(row)

        async def run() -> None:
            detail = await self.docket.store.run(load_occurrence, ctx, meeting_id, original)
            act(self.docket, detail, what, reopen=False)

        self.run_worker(run(), group="detail", exit_on_error=False)

    def action_edit(self) -> None:
        self._act("edit")

    def action_minutes(self) -> None:
        self._act("minutes")

    def action_move(self) -> None:
        self._act("move")

    def action_cancel(self) -> None:
        self._act("cancel")

    def action_restore(self) -> None:
        self._act("restore")

    def action_export(self) -> None:
        self._act("export")

    def action_send(self) -> None:
        self._act("send")
