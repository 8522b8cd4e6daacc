"""The list of action items."""

from __future__ import annotations

from datetime import date

from docket.exports.tabular.columns import (
    Column,
    Listing,
    Row,
    Table,
    View,
    as_is,
    due_label,
    or_nobody,
    state_style,
)
from docket.models.actions.items import ActionLine, state_of

_SHORT = {"urgent": "urg", "in progress": "in prog"}


def action_flags(row: Row, _: View) -> str:
    """Priority and status in one narrow column: only what is not the default."""
    words = [row["priority"]] if row["priority"] != "normal" else []
    words += [row["status"]] if row["status"] != "open" else []
    if len(words) > 1:
        words = [_SHORT.get(w, w) for w in words]
    return "/".join(words)


ACTIONS = Listing(
    as_is("id due state priority program owner status title", flexible="title"),
    # below 110 cells priority and status share one column of flags
    Table(
        (
            # the app draws it: a mark when the item is selected, then its id
            Column("mark", "  #", 6, text=lambda r, _: str(r["id"])),
            Column(
                "due",
                "Due",
                10,
                text=lambda r, v: due_label(r, v.day()),
                style=state_style("state"),
            ),
            Column("title", "Title", flexible=True, least=12),
            Column("program", "Prog", 7, style="cyan"),
            Column("owner", "Owner", 19, narrow=13, text=or_nobody("owner")),
            Column("priority", "Priority", 9, only="wide", style=state_style("priority")),
            Column("status", "Status", 12, only="wide", style=state_style("status")),
            Column(
                "flags",
                "Flags",
                13,
                only="narrow",
                text=action_flags,
                style=state_style("priority"),
            ),
        )
    ),
)


def line_cells(line: ActionLine, today: date) -> list[str]:
    """The command line's cells of one item of a long list (:func:`action_lines`), the same
    as its facts give."""
    row: Row = {
        "id": line.id,
        "due": line.due.isoformat() if line.due else None,
        "state": state_of(line.status, line.due, today),
        "priority": line.priority,
        "program": line.program,
        "owner": line.owner,
        "status": line.status,
        "title": line.title,
    }
    return [column.shown(row) for column in ACTIONS.cli]
