"""One-line renderings of records for lists: words as well as colours, so they read in
``NO_COLOR`` too, and user text always literal."""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, date, datetime
from typing import Any

from rich.table import Table
from rich.text import Text
from textual.widgets import DataTable

from docket.tui.cli.output import clean
from docket.tui.widgets.text import lines, plain

# an alert (late, overdue, over 100 %, refused): bold, so that it stands out under
# NO_COLOR too, where docket.tui.widgets.no_color draws it in the brightest shade, never dim
ALERT = "bold red"
# worth a look, not yet an alert
WARNING = "yellow"

# colour for a state word; the word itself carries the meaning
STATE_STYLES = {
    "overdue": ALERT,
    "due soon": WARNING,
    "late": ALERT,
    "at risk": WARNING,
    "on track": "green",
    "done": "dim",
    "cancelled": "dim strike",
    "urgent": ALERT,
    "high": "bold",
    "low": "dim",
}


def fit(value: object, width: int) -> str:
    """Text cut or padded to ``width`` cells, controls escaped."""
    text = clean(value)
    if len(text) > width:
        return text[: max(0, width - 1)] + "…"
    return text.ljust(width)


def due_label(row: dict[str, Any], today: date) -> str:
    """When an action item is due, as a person says it: ``12d late``, ``today``, ``Fri 27``."""
    if row["days_overdue"]:
        return f"{row['days_overdue']}d late"
    if not row["due"]:
        return "no date"
    due = date.fromisoformat(row["due"])
    days = (due - today).days
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if 0 < days < 7:
        return f"{due:%a %d}"
    return f"{due:%d %b %y}" if due.year != today.year else f"{due:%d %b}"


def action_line(row: dict[str, Any], today: date, width: int) -> Text:
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


def slip_label(days: int) -> str:
    """Slip in days with its sign: ``+12d``, ``-3d``, ``±0d``."""
    return f"{days:+d}d" if days else "±0d"


def milestone_line(row: dict[str, Any], width: int) -> Text:
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


def occurrence_state(row: dict[str, Any]) -> str:
    """What is special about a meeting occurrence, in words: cancelled, moved, tentative."""
    words = [row["status"]] if row["status"] != "confirmed" else []
    if row["moved"]:
        words.append("moved")
    return ", ".join(words)


def occurrence_key(row: dict[str, Any]) -> str:
    """An occurrence named in a widget id (no colons): its meeting and original start."""
    original = datetime.fromisoformat(row["occurrence"].replace("Z", "+00:00"))
    return f"{row['meeting']}@{int(original.timestamp())}"


def occurrence_of_key(key: str) -> tuple[int, datetime]:
    """The meeting and original start (UTC) an :func:`occurrence_key` names."""
    meeting, _, stamp = key.partition("@")
    return int(meeting), datetime.fromtimestamp(int(stamp), UTC)


def meeting_line(row: dict[str, Any], today: date, width: int) -> Text:
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


def comms_line(row: dict[str, Any], today: date, width: int) -> Text:
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


def alert_line(row: dict[str, Any], width: int) -> Text:
    """A contractor alert: its kind in words, then what it is about."""
    text = Text("  ")
    urgent = row["kind"] in ("over 100 %", "metric red")
    text.append(fit(row["kind"], 11), style=ALERT if urgent else WARNING)
    text.append(" ")
    text.append(fit(row["text"], max(10, width - 14)))
    return text


def set_columns(
    table: DataTable[Any], wanted: list[tuple[str, str, int]], right: Collection[str] = ()
) -> None:
    """Give a table these (key, heading, width) columns, unless it has them already (then
    its rows stay); the ``right`` columns are headed flush right, for numbers."""
    if [(str(c.key.value), c.width) for c in table.columns.values()] == [
        (key, w) for key, _, w in wanted
    ]:
        return
    table.clear(columns=True)
    for key, label, w in wanted:
        if key in right:
            heading = Text(f"{label} ", style="bold", justify="right")
        else:
            heading = Text(" " + label, style="bold")
        table.add_column(heading, key=key, width=w)


def history_table(changes: list[dict[str, Any]]) -> Table:
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
