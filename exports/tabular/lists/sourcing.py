"""Vendor selection: solicitations, bids with their conformance, a member's own sealed
scores, and the ranking."""

from __future__ import annotations

from decimal import Decimal

from docket.exports.tabular.columns import Column, Listing, Row, Table, View, as_is


def _amount(key: str) -> Column:
    """An amount with thousands separators, flush right."""
    return Column(key, key, right=True, text=lambda r, _: f"{Decimal(r[key]):,}")


def _conforming(row: Row, _: View) -> str:
    """``yes``, or ``no:`` and why."""
    return "yes" if row["conforming"] else "no: " + "; ".join(row["why_not"])


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
        *as_is("vendor"),
        _amount("price"),
        Column(
            "received_on",
            "received_on",
            text=lambda r, _: (r["received_on"] or "") + (" late" if r["late"] else ""),
        ),
        Column("conforming", "conforming", text=_conforming, flexible=True),
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


def _mean(row: Row, _: View) -> str:
    """Each criterion's score, with the members' spread: ``Service 7.00 (6-8)``."""
    parts = []
    for c in row["criteria"]:
        spread = f" ({c['low']}-{c['high']})" if c["low"] is not None and c["spread"] else ""
        parts.append(f"{c['criterion']} {c['score']}{spread}")
    return ", ".join(parts)


RANKING = Listing(
    (
        Column("rank", "rank", right=True),
        *as_is("vendor"),
        _amount("price"),
        Column(
            "total",
            "total",
            right=True,
            text=lambda r, _: str(Decimal(r["total"]).quantize(Decimal("0.01"))),
        ),
        Column("criteria", "scores (low-high)", text=_mean, flexible=True),
    )
)
