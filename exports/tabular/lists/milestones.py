"""The list of milestones: baseline, forecast, slip."""

from __future__ import annotations

from datetime import date

from docket.exports.tabular.columns import (
    Column,
    Listing,
    Row,
    Table,
    View,
    as_is,
    or_nobody,
    slip_label,
    state_style,
)


def _day(iso: str | None, *, wide: bool) -> str:
    """A date as the milestone table shows it: ``05 Mar 2026``, or ``05 Mar 26`` narrow."""
    if not iso:
        return ""
    return date.fromisoformat(iso).strftime("%d %b %Y" if wide else "%d %b %y")


def _forecast_or_done(row: Row, _: View) -> str:
    """The narrow table's forecast: the day it was done, ticked, when done (no room for a
    Done column)."""
    if row["actual"]:
        return "✓" + _day(row["actual"], wide=False)
    return " " + _day(row["forecast"], wide=False)


MILESTONES = Listing(
    as_is(
        "id program baseline forecast actual slip_days status owner title",
        flexible="title",
        headings={"slip_days": "slip"},
    ),
    # below 110 cells the actual date shares the forecast column (ticked) so the title
    # keeps room
    Table(
        (
            Column("program", "Prog", 8, narrow=7, style="cyan"),
            Column("title", "Title", flexible=True, least=12),
            Column("owner", "Owner", 19, narrow=13, text=or_nobody("owner")),
            Column(
                "baseline",
                "Baseline",
                12,
                narrow=10,
                text=lambda r, v: _day(r["baseline"], wide=v.wide),
            ),
            Column(
                "forecast",
                "Forecast",
                12,
                only="wide",
                text=lambda r, _: _day(r["forecast"], wide=True),
            ),
            Column("forecast", "Forecast/✓", 11, only="narrow", text=_forecast_or_done),
            Column(
                "actual", "Done", 12, only="wide", text=lambda r, _: _day(r["actual"], wide=True)
            ),
            Column("slip", "Slip", 7, text=lambda r, _: slip_label(r["slip_days"]).rjust(5)),
            Column("status", "Status", 10, narrow=9, style=state_style("status")),
        )
    ),
)
