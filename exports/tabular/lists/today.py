"""Today's sections on the command line (the app draws Today as lines)."""

from __future__ import annotations

from docket.exports.tabular.columns import Column, Listing, as_is


def _number(key: str) -> Column:
    """A record's number, ``#12``, headed ``id``."""
    return Column(key, "id", text=lambda r, _: f"#{r[key]}")


TODAY_ACTIONS = Listing(
    (
        _number("id"),
        Column("due", "due"),
        Column(
            "late", "", text=lambda r, _: f"{r['days_overdue']}d late" if r["days_overdue"] else ""
        ),
        Column("program", "program"),
        Column("owner", "owner"),
        Column("title", "title", flexible=True),
    )
)

TODAY_MILESTONES = Listing(
    (
        _number("id"),
        Column("forecast", "forecast"),
        Column("slip", "slip", text=lambda r, _: f"{r['slip_days']:+d}d"),
        *as_is("status program"),
        Column("title", "title", flexible=True),
    )
)

TODAY_COMMS = Listing(
    (
        _number("id"),
        Column("due", "due"),
        Column("late", "", text=lambda r, _: f"{r['days_overdue']}d late" if r["overdue"] else ""),
        *as_is("program channel"),
        Column("name", "item", flexible=True),
    )
)

TODAY_ALERTS = Listing((Column("kind", ""), Column("text", "what", flexible=True)))

TODAY_MEETINGS = Listing(
    (
        Column("local_start", "start"),
        _number("meeting"),
        Column("program", "program"),
        Column("title", "title", flexible=True),
        Column("location", "location"),
        Column("status", "", text=lambda r, _: "" if r["status"] == "confirmed" else r["status"]),
    )
)
