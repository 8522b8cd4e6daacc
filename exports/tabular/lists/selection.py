"""The portfolio analysis: the ranking, the chosen set, spend by year, people, the weights'
robustness and the efficient frontier (``docket portfolio rank|select|frontier``)."""

from __future__ import annotations

from docket.exports.tabular.columns import Column, Listing, Row, Table, View, as_is
from docket.models.portfolio.analysis import RobustnessFacts


def _yes(key: str) -> Column:
    return Column(key, key, text=lambda row, _: "yes" if row[key] else "")


def _unscored(row: Row, _: View) -> str:
    """How many criteria nobody scored (blank for none)."""
    unscored = row["unscored"]
    count = len(unscored.split(", ")) if isinstance(unscored, str) else len(unscored)
    return str(count) if unscored else ""


def _or(key: str, otherwise: str) -> Column:
    return Column(
        key, key, right=True, text=lambda row, _: otherwise if row[key] is None else row[key]
    )


def _bound(key: str) -> Column:
    """A change point: the weight, "≤ weight" when only at most, "?" when not established."""

    def shown(row: Row, _: View) -> str:
        bound = row.get(f"{key}_bound", "exact")
        if bound == "unknown":
            return "?"
        if row[key] is None:
            return "-"
        return f"≤ {row[key]}" if bound == "at most" else str(row[key])

    return Column(key, key, right=True, text=shown)


def _joined(row: Row, _: View) -> str:
    parts = [f"+{code}" for code in row["enters"]] + [f"-{code}" for code in row["leaves"]]
    return " ".join(parts)


RANK = Listing(
    (
        Column("rank", "#", right=True),
        Column("code", "code"),
        Column("title", "title", flexible=True),
        Column("status", "status"),
        Column("mandatory", "must", text=lambda row, _: "yes" if row["mandatory"] else ""),
        Column("value", "value", right=True),
        Column("spread", "spread", right=True),
        Column("reviewers", "rev", right=True),
        # a count in the table, so the title keeps its room; JSON and CSV name them all
        Column("unscored", "unscored", right=True, text=_unscored),
    ),
    Table(
        (
            Column("rank", "#", 4, right=True),
            Column("code", "Code", 12, style="cyan"),
            Column("title", "Proposal", flexible=True, least=16),
            Column("status", "Status", 10),
            Column("value", "Value", 8, right=True),
            Column("spread", "Spread", 7, right=True),
            Column("reviewers", "Rev", 4, right=True),
        )
    ),
)

CHOSEN = Listing(
    (
        Column("code", "code"),
        Column("title", "title", flexible=True),
        Column("status", "status"),
        _yes("mandatory"),
        Column("value", "value", right=True),
        Column("cost", "cost", right=True),
    ),
    Table(
        (
            Column("code", "Code", 12, style="cyan"),
            Column("title", "Chosen", flexible=True, least=16),
            Column("status", "Status", 10),
            Column("value", "Value", 8, right=True),
            Column("cost", "Cost", 15, right=True),
        )
    ),
)

YEARS = Listing(
    (Column("year", "year"), *as_is("spend"), _or("budget", "no limit"), _or("left", ""))
)

PEOPLE = Listing(
    (
        Column("role", "role"),
        Column("month", "peak month"),
        *as_is("used"),
        _or("capacity", "no limit"),
    )
)

SHIFTS = Listing(
    (
        Column("criterion", "criterion"),
        Column("weight", "weight", right=True),
        _bound("down"),
        _bound("up"),
        Column(
            "change",
            "changes",
            text=lambda row, _: (
                "not searched (time)"
                if not row["searched"]
                else _joined(row, _)
                or ("none" if row.get("established", True) else "not established")
            ),
            flexible=True,
        ),
    )
)

FRONTIER = Listing(
    (
        Column("level", "share of budget", right=True),
        Column("budget", "budget", right=True),
        Column("value", "value", right=True),
        Column("spend", "spend", right=True),
        Column("chosen", "chosen", right=True),
        Column("optimal", "optimal", text=lambda row, _: "yes" if row["optimal"] else "no"),
        Column("given", "given", text=lambda row, _: "<- budget" if row["given"] else ""),
    )
)

# the CSV of the frontier: each point's budget by fiscal year and the codes chosen too, so a
# point can be reproduced (``--budget`` words and the set); the command joins each into one
# cell
FRONTIER_CSV = (*FRONTIER.cli, Column("budgets", "budgets"), Column("codes", "codes"))


def smallest_change(found: RobustnessFacts) -> str | None:
    """The sentence on the smallest change of one weight that changes the selection: exact,
    "at most" (against the rival set named) when its re-solve was not proven, a tie when
    another set is worth as much already; None when no change was found."""
    unknown = found["unestablished"]
    smallest = next((c for c in found["criteria"] if c["criterion"] == found["smallest"]), None)
    if smallest is None:
        return None if unknown else "no weight of any one criterion changes the selection"
    moved = " ".join(
        [*(f"+{c}" for c in smallest["enters"]), *(f"-{c}" for c in smallest["leaves"])]
    )
    at_most = found["smallest_bound"] == "at most"
    tie = found["smallest_to"] == smallest["weight"]
    said = "the smallest change found" if unknown and not tie else "the smallest change"
    if tie:
        return (
            f"{said}: any move of {smallest['criterion']}'s weight from"
            f" {smallest['weight']} changes the selection: another set is worth exactly"
            f" as much now ({moved})"
        )
    return (
        f"{said}: {smallest['criterion']} from {smallest['weight']} to "
        + ("at most " if at_most else "")
        + f"{found['smallest_to']} changes the selection"
        + (f" (against the set {moved}, not proven the nearest)" if at_most else f" ({moved})")
    )


def unestablished(found: RobustnessFacts) -> str | None:
    """Which criteria's robustness could not be established in the time, if any."""
    unknown = found["unestablished"]
    if not unknown:
        return None
    return (
        "robustness could not be established in the time (re-solves not proven optimal)"
        f" for: {', '.join(unknown)}"
    )


UNCLASSIFIED = (
    "always in / never in / on the line: could not be established"
    " (not every solve proven optimal in the time)"
)
