"""One-line renderings of records for lists: words as well as colours, so they read in
``NO_COLOR`` too, and user text always literal."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from rich.table import Table
from rich.text import Text
from textual.widgets import DataTable

# the words and styles every list shares (declared with the lists' columns), for the lines
from docket.exports.tabular.columns import ALERT as ALERT
from docket.exports.tabular.columns import STATE_STYLES as STATE_STYLES
from docket.exports.tabular.columns import WARNING as WARNING
from docket.exports.tabular.columns import Column, Row, View
from docket.exports.tabular.columns import due_label as due_label
from docket.exports.tabular.columns import occurrence_state as occurrence_state
from docket.exports.tabular.columns import slip_label as slip_label
from docket.models.audit.history import HistoryFacts
from docket.tui.cli.output import clean
from docket.tui.widgets.text import flush_right, lines, plain

# a row of any list
R = TypeVar("R", bound=Row)


def fit(value: object, width: int) -> str:
    """Text cut or padded to ``width`` cells, controls escaped."""
    text = clean(value)
    if len(text) > width:
        return text[: max(0, width - 1)] + "…"
    return text.ljust(width)


def action_line(row: Mapping[str, Any], today: date, width: int) -> Text:
    """An action item: due, title, program, owner, priority."""
    owner_w = 16 if width >= 100 else 12
    title_w = max(10, width - 10 - 1 - 7 - owner_w - 1 - 7 - 2)
    text = Text("  ")
    text.append(fit(due_label(row, today), 10), style=STATE_STYLES.get(row["state"], ""))
    text.append(" ")
    text.append(fit(row["title"], title_w))
    text.append(" ")
    text.append(fit(row["program"] or "", 6) + " ", style="cyan")
    text.append(fit(row["owner"] or "nobody", owner_w) + " ")
    priority = row["priority"] if row["priority"] != "normal" else ""
    text.append(fit(priority, 6), style=STATE_STYLES.get(row["priority"], ""))
    return text


def milestone_line(row: Mapping[str, Any], width: int) -> Text:
    """A milestone: forecast, title, program, slip and status."""
    title_w = max(10, width - 2 - 11 - 1 - 7 - 6 - 9)
    forecast = date.fromisoformat(row["forecast"])
    text = Text("  ")
    text.append(fit(f"{forecast:%a %d %b}", 11))
    text.append(fit(row["title"], title_w))
    text.append(" ")
    text.append(fit(row["program"], 6) + " ", style="cyan")
    text.append(fit(slip_label(row["slip_days"]), 6))
    text.append(fit(row["status"], 9), style=STATE_STYLES.get(row["status"], ""))
    return text


def occurrence_key(row: Mapping[str, Any]) -> str:
    """An occurrence named in a widget id (no colons): its meeting and original start."""
    original = datetime.fromisoformat(row["occurrence"].replace("Z", "+00:00"))
    return f"{row['meeting']}@{int(original.timestamp())}"


def occurrence_of_key(key: str) -> tuple[int, datetime]:
    """The meeting and original start (UTC) an :func:`occurrence_key` names."""
    meeting, _, stamp = key.partition("@")
    return int(meeting), datetime.fromtimestamp(int(stamp), UTC)


def meeting_line(row: Mapping[str, Any], today: date, width: int) -> Text:
    """A meeting occurrence in the user's zone: day, time, title, program, room, state."""
    start = datetime.fromisoformat(row["local_start"])
    end = datetime.fromisoformat(row["local_end"])
    day = "today" if start.date() == today else f"{start:%a %d}"
    where_w = 18 if width >= 100 else 12
    state = occurrence_state(row)
    title_w = max(10, width - 2 - 6 - 12 - 7 - where_w - 1 - 10)
    text = Text("  ")
    text.append(fit(day, 6))
    text.append(fit("all day" if row.get("all_day") else f"{start:%H:%M}–{end:%H:%M}", 12))
    text.append(fit(row["title"], title_w), style="strike" if row["status"] == "cancelled" else "")
    text.append(" ")
    text.append(fit(row["program"], 6) + " ", style="cyan")
    text.append(fit(row["location"] or "", where_w) + " ")
    text.append(fit(state, 10), style=STATE_STYLES.get(row["status"], ""))
    return text


def comms_line(row: Mapping[str, Any], today: date, width: int) -> Text:
    """A plan item due: when (or how overdue), its name, program, channel and owner."""
    when = (
        f"{row['days_overdue']}d late"
        if row["overdue"]
        else due_label({"days_overdue": 0, "due": row["due"]}, today)
    )
    owner_w = 16 if width >= 100 else 12
    name_w = max(10, width - 2 - 10 - 1 - 7 - 11 - owner_w)
    text = Text("  ")
    text.append(fit(when, 10), style=ALERT if row["overdue"] else WARNING)
    text.append(" ")
    text.append(fit(row["name"], name_w))
    text.append(fit(row["program"], 6) + " ", style="cyan")
    text.append(fit(row["channel"], 10) + " ")
    text.append(fit(row["owner"] or "nobody", owner_w))
    return text


def alert_line(row: Mapping[str, Any], width: int) -> Text:
    """A contractor alert: its kind in words, then what it is about."""
    text = Text("  ")
    urgent = row["kind"] in ("over 100 %", "metric red")
    text.append(fit(row["kind"], 11), style=ALERT if urgent else WARNING)
    text.append(" ")
    text.append(fit(row["text"], max(10, width - 14)))
    return text


def set_columns(table: DataTable[Any], columns: Sequence[Column]) -> None:
    """Give a table these columns (fitted: each with its width), unless it has them already
    (then its rows stay); a number's heading is flush right, as the numbers under it."""
    if [(str(c.key.value), c.width) for c in table.columns.values()] == [
        (c.key, c.width) for c in columns
    ]:
        return
    table.clear(columns=True)
    for column in columns:
        if column.right_heading:
            heading = Text(f"{column.heading} ", style="bold", justify="right")
        else:
            heading = Text(" " + column.heading, style="bold")
        table.add_column(heading, key=column.key, width=column.width)


def row_cells(
    columns: Sequence[Column],
    row: Row,
    view: View,
    drawn: Mapping[str, Callable[[Row], Text]] | None = None,
) -> list[Text]:
    """The cells of a row for these (fitted) columns: the text after one space under a
    heading that starts with one, numbers flush right, user text literal; ``drawn`` gives
    the cells a screen draws itself, by key."""
    own = drawn or {}
    found: list[Text] = []
    for column in columns:
        if column.key in own:
            found.append(own[column.key](row))
        elif column.right:
            found.append(flush_right(column.shown(row, view), column.width, column.style_of(row)))
        else:
            found.append(plain(" " + column.shown(row, view), style=column.style_of(row)))
    return found


def fill_table(
    table: DataTable[Any],
    columns: Sequence[Column],
    rows: Sequence[Row],
    drawn: Mapping[str, Callable[[Row], Text]],
    keep: int | None,
) -> None:
    """Show rows (each with an ``id``) under these columns (``drawn``: as :func:`row_cells`),
    keeping the cursor on the row whose id is ``keep`` if it is still there."""
    set_columns(table, columns)
    table.clear()
    for row in rows:
        table.add_row(*row_cells(columns, row, View(), drawn), key=str(row["id"]))
    ids = [r["id"] for r in rows]
    if keep in ids:
        table.move_cursor(row=ids.index(keep), animate=False)


def at_cursor(table: DataTable[Any], rows: Sequence[R]) -> R | None:
    """The row under a table's cursor."""
    if not rows or not 0 <= table.cursor_row < len(rows):
        return None
    return rows[table.cursor_row]


def history_table(changes: Sequence[HistoryFacts]) -> Table:
    """Who changed what and when (``readable_history`` rows, newest first), with the
    reason: one line a field, each value in full (long ones wrap, never cut)."""
    table = Table(box=None, show_header=False, expand=True, padding=(0, 1))
    table.add_column(no_wrap=True, style="dim")
    table.add_column(no_wrap=True)
    table.add_column(ratio=1, overflow="fold")
    if not changes:
        table.add_row(Text("(no recorded changes)", style="dim"), "", "")
    for change in changes:
        what = Text()
        for i, line in enumerate(change["said"]):
            what.append("\n" if i else "")
            what.append_text(lines(line))
        if change["note"]:
            what.append("\n" if change["said"] else "")
            what.append_text(lines(f"reason: {change['note']}"))
        table.add_row(
            plain(change["at"].replace("T", " ").removesuffix("Z")[:16]),
            plain(f"{change['actor']} {change['action']}"),
            what,
        )
    return table
