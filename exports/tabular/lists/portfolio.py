"""Portfolio intake: proposals, a business case's year-by-year table, criteria, reviewers'
scores and the people a proposal needs; and :func:`plain`, the JSON form of their facts
(money and ratios as decimal text, as every docket JSON writes them)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from docket.exports.tabular.columns import WARNING, Column, Listing, Row, Table, View, as_is


def plain(data: Any) -> Any:
    """Facts with every Decimal as its text (``"1041.32"``), for JSON."""
    if isinstance(data, Decimal):
        return str(data)
    if isinstance(data, Mapping):
        return {key: plain(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [plain(value) for value in data]
    return data


def _yes(key: str) -> Any:
    def shown(row: Row, _: View) -> str:
        return "yes" if row[key] else ""

    return shown


STATUS_STYLES = {
    "approved": "green",
    "rejected": "dim",
    "deferred": WARNING,
    "in review": "bold",
}

PROPOSALS = Listing(
    # the command line's table fits 80 columns with room for the title, the one column
    # it shortens; benefits and sponsor are in its JSON and CSV
    (
        Column("code", "code"),
        Column("title", "title", flexible=True),
        *as_is("status program"),
        Column("mandatory", "must", text=_yes("mandatory")),
        Column("costs", "costs", right=True),
        Column("npv", "npv", right=True),
    ),
    Table(
        (
            Column("code", "Code", 12, style="cyan"),
            Column("title", "Proposal", flexible=True, least=16),
            Column("status", "Status", 10, style=lambda r: STATUS_STYLES.get(r["status"], "")),
            # the value from docket.models.portfolio.value, which the screen adds to each row
            Column("value", "Value", 7, right=True),
            Column("program", "Prog", 8, only="wide"),
            Column("mandatory", "Must", 5, text=_yes("mandatory")),
            Column("costs", "Cost", 14, right=True),
            Column("npv", "NPV", 14, right=True, only="wide"),
            Column("sponsor", "Sponsor", 16, only="wide", text=lambda r, _: r["sponsor"] or ""),
        ),
        wide_at=100,
    ),
)

# the year-by-year table of a business case (``docket proposal show``)
CASE_YEARS = Listing(
    (
        Column("fiscal_year", "year", text=lambda r, _: f"FY{r['fiscal_year']}"),
        Column("t", "t", right=True),
        Column("costs", "costs", right=True),
        Column("benefits", "benefits", right=True),
        Column("net", "net", right=True),
        Column("factor", "factor", right=True),
        Column("pv_costs", "PV costs", right=True),
        Column("pv_benefits", "PV benefits", right=True),
        Column("pv", "PV", right=True),
        Column("cumulative", "cumulative", right=True),
        Column("cumulative_pv", "cumulative PV", right=True),
    )
)

# said under the year-by-year table: how each PV is formed from the row
CASE_ROUNDING = (
    "each PV = the amount x factor, rounded half-up to the cent;",
    "PV costs, PV benefits and NPV below are the sums of these PV columns",
)

# runs of months needing the same people (``docket proposal show``)
NEEDS = Listing(as_is("role months people"))

CRITERIA = Listing(
    (
        *as_is("name weight share"),
        Column("active", "active", text=_yes("active")),
        Column("description", "description", flexible=True),
    )
)

SCORES = Listing(as_is("id proposal criterion reviewer score comment", flexible="comment"))


def case_summary(case: Mapping[str, Any]) -> Sequence[tuple[str, str]]:
    """A case's figures as label and text, in the order ``proposal show`` prints them."""

    def ratio(value: Decimal | None, percent: bool = False) -> str:
        if value is None:
            return "n/a (no costs)"
        return f"{value * 100:.1f} %" if percent else f"{value:.2f}"

    payback = case["payback"]
    return (
        ("discount rate", f"{(case['rate'] * 100).normalize():f} %"),
        ("total costs", str(case["total_costs"])),
        ("total benefits", str(case["total_benefits"])),
        ("PV costs", str(case["pv_costs"])),
        ("PV benefits", str(case["pv_benefits"])),
        ("NPV", str(case["npv"])),
        ("payback", "never" if payback is None else f"{payback} years"),
        ("benefit-cost ratio", ratio(case["benefit_cost_ratio"])),
        ("ROI", ratio(case["roi"], percent=True)),
        ("sensitivity", f"NPV {case['sensitivity_npv']} with costs +20 % and benefits -20 %"),
    )
