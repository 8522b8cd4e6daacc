"""Vendor performance: a contract's service levels and its scorecards with their trend."""

from __future__ import annotations

from docket.exports.tabular.columns import Column, Listing, Row, View, as_is

SERVICE_LEVELS = Listing(as_is("id contract name target", flexible="target"))

# the trend of a value against the period before, in a character that reads without colour
ARROWS = {"up": "↑", "down": "↓", "same": "=", "new": ""}


def trended(key: str) -> Column:
    """An aspect's value with the arrow of its trend (``4↑``), headed by its name."""

    def cell(row: Row, _: View) -> str:
        return f"{row[key]}{ARROWS[row['trend'][key]]}"

    return Column(key, HEADINGS.get(key, key), text=cell)


HEADINGS = {"cost_control": "cost", "responsiveness": "response"}


def levels(row: Row) -> str:
    """Service levels met of all, ``4/5``; blank when not counted."""
    if row["levels_met"] is None:
        return ""
    return f"{row['levels_met']}/{row['levels_total']}"


SCORECARDS = Listing(
    (
        Column("id", "id"),
        *as_is("contract start end"),
        *(trended(k) for k in ("quality", "timeliness", "cost_control", "responsiveness")),
        trended("overall"),
        Column("levels_met", "levels", text=lambda r, _: levels(r)),
        Column("why", "below target", flexible=True, text=lambda r, _: r["why"]),
    )
)
