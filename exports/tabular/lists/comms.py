"""The communications plan, what was sent of an item, and who receives what."""

from __future__ import annotations

from datetime import date

from docket.exports.tabular.columns import (
    ALERT,
    Column,
    Listing,
    Row,
    Table,
    View,
    as_is,
    or_nobody,
)


def plan_state(row: Row) -> str:
    """A plan item's state in words: overdue by how long, inactive, or nothing to say."""
    if not row["active"]:
        return "inactive"
    if row["overdue"]:
        return f"{row['days_overdue']}d late"
    return "" if row["due"] else "done"


def _plan_due(row: Row, view: View) -> str:
    if not row["due"]:
        return ""
    due = date.fromisoformat(row["due"])
    return f"{due:%a %d %b}" if view.wide else f"{due:%d %b}"


PLAN = Listing(
    # the command words the state (overdue, inactive, exported but not sent)
    as_is(
        "id program name channel cadence_words due state owner",
        flexible="name",
        headings={"cadence_words": "how often", "due": "next due", "state": ""},
    ),
    Table(
        (
            Column("due", "Next due", 11, narrow=9, text=_plan_due),
            Column("name", "Item", flexible=True, least=12),
            Column(
                "state",
                "State",
                12,
                narrow=9,
                text=lambda r, _: plan_state(r),
                style=lambda r: ALERT if r["overdue"] else "dim",
            ),
            Column("program", "Prog", 8, narrow=7, style="cyan"),
            Column("channel", "Channel", 12),
            Column("how_often", "How often", 28, only="wide", text=lambda r, _: r["cadence_words"]),
            Column("owner", "Owner", 18, only="wide", text=or_nobody("owner")),
        )
    ),
)

# what was sent of a plan item (the command shortens sent_at to the minute)
COMMS_LOG = Listing(
    as_is(
        "sent_at how sent_by note artifact",
        flexible="note",
        headings={"sent_at": "when (UTC)", "sent_by": "by"},
    )
)

COMMS_MATRIX = Listing(
    as_is(
        "audience item program channel how_often",
        flexible="item",
        headings={"audience": "who", "item": "receives", "how_often": "how often"},
    )
)
