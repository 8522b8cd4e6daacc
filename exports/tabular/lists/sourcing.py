"""Vendor selection: solicitations, bids with their conformance, a member's own sealed
scores, and the ranking.

On a narrow terminal a table shortens a name (the vendor's, the criterion's), never an
amount, a score or a reason: those are facts, and a cut one is a wrong one. Amounts are
written as the other command-line tables write them (``1675000.00``, as ``contract list``)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from docket.exports.tabular.columns import Column, Listing, Row, Table, View, as_is


def _amount(key: str) -> Column:
    """An amount to the cent, flush right, as ``contract list`` writes one."""
    return Column(key, key, right=True, text=lambda r, _: f"{Decimal(r[key]):.2f}")


def why_not(row: Row) -> str:
    """Why a bid does not conform (written under the bids' table, where nothing cuts it)."""
    return "; ".join(row["why_not"])


SOLICITATIONS = Listing(
    as_is(
        "code program kind status issued_on bids_due award_by bids members title", flexible="title"
    ),
    # the app's (the Contractors screen's sourcing view): the title goes first when narrow
    Table(
        (
            Column("code", "Code", 13),
            Column("program", "Prog", 8, narrow=7, style="cyan"),
            Column("kind", "Kind", 5),
            Column("status", "Status", 11),
            Column("bids_due", "Bids due", 11),
            Column("award_by", "Award by", 11),
            Column("bids", "Bids", 5, right=True),
            Column("members", "Members", 8, right=True),
            Column("title", "Title", flexible=True, least=6),
        )
    ),
)

BIDS = Listing(
    (
        Column("vendor", "vendor", flexible=True),
        _amount("price"),
        Column(
            "received_on",
            "received_on",
            text=lambda r, _: (r["received_on"] or "") + (" late" if r["late"] else ""),
        ),
        Column("conforming", "conforming", text=lambda r, _: "yes" if r["conforming"] else "no"),
    )
)

OWN_SCORES = Listing(
    (
        *as_is("vendor criterion"),
        Column(
            "score",
            "score",
            right=True,
            text=lambda r, _: "owed" if r["score"] is None else str(r["score"]),
        ),
        Column("comment", "comment", flexible=True),
    )
)


RANKING = Listing(
    (
        Column("rank", "rank", right=True),
        Column("vendor", "vendor", flexible=True),
        _amount("price"),
        Column(
            "total",
            "total",
            right=True,
            text=lambda r, _: str(Decimal(r["total"]).quantize(Decimal("0.01"))),
        ),
    )
)


def _score(rank: int) -> Column:
    """The score a ranked bid has on a criterion, with the members' spread: ``7.00 (6-8)``."""

    def cell(row: Row, _: View) -> str:
        c = row["by_rank"].get(rank)
        if c is None:
            return ""
        spread = f" ({c['low']}-{c['high']})" if c["low"] is not None and c["spread"] else ""
        return f"{c['score']}{spread}"

    return Column(f"#{rank}", f"#{rank}", text=cell)


def score_columns(ranking: Sequence[Row]) -> tuple[Column, ...]:
    """The scores' table: a criterion (its name the column a narrow terminal shortens), then
    one column per ranked bid, headed by its rank in the table above."""
    return (
        Column("criterion", "criterion (low-high)", flexible=True),
        *(_score(r["rank"]) for r in ranking),
    )


def score_rows(ranking: Sequence[Row]) -> list[Row]:
    """One row per criterion, in the ranking's criterion order, each bid's score by rank."""
    names: list[str] = []
    by: dict[str, dict[int, Row]] = {}
    for row in ranking:
        for c in row["criteria"]:
            if c["criterion"] not in by:
                names.append(c["criterion"])
                by[c["criterion"]] = {}
            by[c["criterion"]][row["rank"]] = c
    return [{"criterion": name, "by_rank": by[name]} for name in names]
