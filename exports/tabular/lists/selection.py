"""The portfolio analysis: the ranking, the chosen set, spend by year, people, the weights'
robustness and the efficient frontier (``docket portfolio rank|select|frontier``)."""

from __future__ import annotations

from docket.exports.tabular.columns import Column, Listing, Row, Table, View, as_is


def _yes(key: str) -> Column:
    return Column(key, key, text=lambda row, _: "yes" if row[key] else "")


def _or(key: str, otherwise: str) -> Column:
    return Column(
        key, key, right=True, text=lambda row, _: otherwise if row[key] is None else row[key]
    )


def _joined(row: Row, _: View) -> str:
    parts = [f"+{code}" for code in row["enters"]] + [f"-{code}" for code in row["leaves"]]
    return " ".join(parts)


RANK = Listing(
    (
        Column("rank", "rank", right=True),
        Column("code", "code"),
        Column("title", "title", flexible=True),
        Column("status", "status"),
        _yes("mandatory"),
        Column("value", "value", right=True),
        Column("spread", "spread", right=True),
        Column("reviewers", "reviewers", right=True),
        Column("unscored", "unscored"),
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

PEOPLE = Listing((*as_is("role month used"), _or("capacity", "no limit")))

SHIFTS = Listing(
    (
        Column("criterion", "criterion"),
        Column("weight", "weight", right=True),
        _or("down", "-"),
        _or("up", "-"),
        Column(
            "change",
            "changes",
            text=lambda row, _: (
                "not searched (time)" if not row["searched"] else _joined(row, _) or "none"
            ),
            flexible=True,
        ),
    )
)

FRONTIER = Listing(
    (
        Column("level", "level", right=True),
        Column("budget", "budget", right=True),
        Column("value", "value", right=True),
        Column("spend", "spend", right=True),
        Column("chosen", "chosen", right=True),
        Column("optimal", "optimal", text=lambda row, _: "yes" if row["optimal"] else "no"),
        Column("given", "given", text=lambda row, _: "<- budget" if row["given"] else ""),
    )
)
