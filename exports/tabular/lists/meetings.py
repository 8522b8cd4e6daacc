"""The agenda: meeting occurrences in the user's zone."""

from __future__ import annotations

from datetime import datetime

from docket.exports.tabular.columns import (
    Column,
    Listing,
    Row,
    Table,
    View,
    as_is,
    occurrence_state,
    state_style,
)


def _meeting_day(row: Row, view: View) -> str:
    start = datetime.fromisoformat(row["local_start"])
    if start.date() == view.day():
        return "today"
    return f"{start:%a %d %b}" if view.wide else f"{start:%a %d}"


def _meeting_time(row: Row, _: View) -> str:
    if row.get("all_day"):
        return "all day"
    start = datetime.fromisoformat(row["local_start"])
    end = datetime.fromisoformat(row["local_end"])
    return f"{start:%H:%M}–{end:%H:%M}"


OCCURRENCES = Listing(
    # the command fills in end and state (the end's time, all-day, another zone's time)
    as_is(
        "local_start end meeting program title location state",
        flexible="title",
        headings={"local_start": "start", "meeting": "id", "state": ""},
    ),
    # the app shows the day on the first occurrence of each day only
    Table(
        (
            Column("day", "Day", 12, narrow=8, text=_meeting_day, style="bold"),
            Column("time", "Time", 13, text=_meeting_time),
            Column(
                "title",
                "Title",
                flexible=True,
                least=12,
                style=lambda r: "strike" if r["status"] == "cancelled" else "",
            ),
            Column("program", "Prog", 8, narrow=7, style="cyan"),
            Column("where", "Where", 22, narrow=12, text=lambda r, _: r["location"] or ""),
            Column(
                "state",
                "State",
                18,
                narrow=10,
                text=lambda r, _: occurrence_state(r) or ("series" if r["series"] else ""),
                style=state_style("status", "dim"),
            ),
        )
    ),
)
