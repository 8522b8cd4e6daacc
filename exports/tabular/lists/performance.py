"""Vendor performance: a contract's service levels and its scorecards with their trend.

The scorecards' table holds only short facts (dates, scores, levels met), headed briefly so
that it fits 80 columns uncut; why a scorecard is below target is written under the table
(:func:`below_target_lines`), never in a column a narrow terminal would cut."""

from __future__ import annotations

from collections.abc import Sequence

from docket.exports.tabular.columns import Column, Listing, Row, View, as_is

SERVICE_LEVELS = Listing(as_is("id contract name target", flexible="name"))

# the trend of a value against the period before, in a character that reads without colour
ARROWS = {"up": "↑", "down": "↓", "same": "=", "new": ""}


def trended(key: str) -> Column:
    """An aspect's value with the arrow of its trend (``4↑``), headed by its name."""

    def cell(row: Row, _: View) -> str:
        return f"{row[key]}{ARROWS[row['trend'][key]]}"

    return Column(key, HEADINGS.get(key, key), text=cell)


HEADINGS = {
    "quality": "qual",
    "timeliness": "time",
    "cost_control": "cost",
    "responsiveness": "resp",
}


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
        Column("levels_met", "met", text=lambda r, _: levels(r)),
    )
)


def below_target_lines(rows: Sequence[Row]) -> list[str]:
    """Under the scorecards' table, each one below target and why: ``#3 below target: ...``."""
    return [f"#{r['id']} below target: {r['why']}" for r in rows if r["below_target"]]
