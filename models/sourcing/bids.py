"""Bids: a vendor's price, when it came, where its documents are, and whether it meets each
item of the conformance checklist.

Bids come in while the solicitation is issued. One received after the bids' due date is
refused unless it is accepted as late with a reason (kept in its note and audit entry); one
before the issue date or in the future is refused. Documents are paths to files that must
exist when the bid is entered (a typo is caught then, not at evaluation), kept absolute so
every member finds the same file, one per line. A bid failing a mandatory item is
non-conforming: it is shown with why, and never ranked nor scored.

A price is given whole (``price``) or by lines (``price_lines``: ``LABEL=AMOUNT``, a
fiscal year such as ``FY2027`` or a line such as ``Licences``, each label once). A bid priced
by lines keeps their sum as its price, so the ranking, the price formula and the award use
one number; the lines are shown beside it. Giving a bid a whole price again drops its lines.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, TypedDict

from docket.models.contractors.contracts import find_vendor
from docket.models.core import records
from docket.models.core.context import Context
from docket.models.core.database import write
from docket.models.core.errors import NotFoundError, ValidationError
from docket.models.core.inputs import money, text
from docket.models.core.schema_selection import Bid, BidConformance, BidPriceLine, Solicitation
from docket.models.governance.entries import entry_day
from docket.models.sourcing.criteria import find_item, items_of
from docket.models.sourcing.solicitations import (
    PastPerformance,
    find_solicitation,
    past_performance,
    require_status,
)

LATE = "late: "
# the field price lines are refused under (the command line's option)
PRICE_LINE = "price-line"


def price_lines(ctx: Context, typed: Sequence[str]) -> list[tuple[str, Decimal]]:
    """Typed price lines (``FY2027=120000``, ``Licences=45,000``) as labels and amounts:
    each amount zero or more, each label once (case aside)."""
    lines: list[tuple[str, Decimal]] = []
    seen: set[str] = set()
    for entry in typed:
        label, equals, amount_typed = str(entry).rpartition("=")
        if not equals:
            raise ValidationError(
                PRICE_LINE, f"expected LABEL=AMOUNT such as FY2027=120000, got {entry!r}"
            )
        label = text(PRICE_LINE, label, max_length=100)
        amount = money(f"{PRICE_LINE} {label}", amount_typed, decimal_comma=ctx.decimal_comma)
        if amount < 0:
            raise ValidationError(f"{PRICE_LINE} {label}", "expected an amount of zero or more")
        if label.lower() in seen:
            raise ValidationError(PRICE_LINE, f"{label} is given twice; give each line once")
        seen.add(label.lower())
        lines.append((label, amount))
    return lines


def _whole_price(
    ctx: Context, price: str | Decimal | None, lines: Sequence[str]
) -> tuple[Decimal, list[tuple[str, Decimal]]]:
    """The bid's price and its lines: either a whole price or lines (their sum)."""
    if price is not None and lines:
        raise ValidationError("price", "give the price whole (--price) or by lines, not both")
    if lines:
        parsed = price_lines(ctx, lines)
        return sum((amount for _, amount in parsed), Decimal("0.00")), parsed
    if price is None:
        raise ValidationError("price", "expected a price (--price) or its lines (--price-line)")
    amount = money("price", price, decimal_comma=ctx.decimal_comma)
    if amount < 0:
        raise ValidationError("price", "expected an amount of zero or more")
    return amount, []


def lines_of(bid: Bid | int) -> list[BidPriceLine]:
    """A bid's price lines, in the order they were given (none: priced whole)."""
    return list(BidPriceLine.select().where(BidPriceLine.bid == bid).order_by(BidPriceLine.id))


def _replace_lines(ctx: Context, bid: Bid, lines: list[tuple[str, Decimal]]) -> None:
    """Make the bid's price lines these (each removal and addition audited)."""
    for old in lines_of(bid):
        records.delete(ctx, old, old.version, note="price lines replaced")
    for label, amount in lines:
        records.create(ctx, BidPriceLine, bid=bid, label=label, amount=amount)


def documents(paths: Sequence[str]) -> str:
    """The documents' paths, one per line: each an existing file, kept absolute."""
    kept: list[str] = []
    for typed in paths:
        cleaned = text("document", typed, max_length=1000)
        path = os.path.abspath(os.path.expanduser(cleaned))
        if not Path(path).is_file():
            raise ValidationError("document", f"{path} is not a file that exists here")
        if path not in kept:
            kept.append(path)
    return "\n".join(kept)


def _received(ctx: Context, found: Solicitation, typed: str | date | None, late: str) -> date:
    day = entry_day(ctx, "received", typed) or ctx.today()
    if day > ctx.today():
        raise ValidationError(
            "received", f"{day.isoformat()} is in the future; a bid is entered once it has come"
        )
    if found.issued_on is not None and day < found.issued_on:
        raise ValidationError(
            "received", f"{day.isoformat()} is before {found.code} was issued "
            f"({found.issued_on.isoformat()})",
        )  # fmt: skip
    if found.bids_due is not None and day > found.bids_due and not late:
        raise ValidationError(
            "received", f"{day.isoformat()} is after bids were due ({found.bids_due.isoformat()}); "
            "a late bid is taken only with --late REASON",
        )  # fmt: skip
    return day


def find_bid(found: Solicitation, vendor: str | int) -> Bid:
    """The bid of the vendor ``vendor`` names on this solicitation."""
    who = find_vendor(vendor)
    bid = Bid.get_or_none(Bid.solicitation == found, Bid.vendor == who)
    if bid is None:
        raise NotFoundError(f"bid: {who.name} has no bid on {found.code}")
    return bid


def add_bid(
    ctx: Context,
    solicitation: str | int,
    vendor: str,
    *,
    price: str | Decimal | None = None,
    received: str | date | None = None,
    documents_given: Sequence[str] = (),
    late: str = "",
    note: str = "",
    price_lines_given: Sequence[str] = (),
) -> Bid:
    """A vendor's bid (one per vendor), while the solicitation is issued; its price whole
    or by lines (``price_lines_given``: ``LABEL=AMOUNT``, the price their sum)."""
    amount, lines = _whole_price(ctx, price, price_lines_given)
    why_late = text("late", late, required=False, max_length=1000)
    remark = text("note", note, required=False, max_length=2000, multiline=True)
    kept = documents(documents_given)
    with write():
        found = find_solicitation(solicitation)
        require_status(found, "issued", "enter bids")
        day = _received(ctx, found, received, why_late)
        is_late = found.bids_due is not None and day > found.bids_due
        if why_late and not is_late:
            raise ValidationError(
                "late", f"the bid came by the due date ({found.bids_due}); it is not late"
            )
        who = find_vendor(vendor)
        if Bid.get_or_none(Bid.solicitation == found, Bid.vendor == who) is not None:
            raise ValidationError(
                "vendor",
                f"{who.name} has a bid on {found.code} already; change it with 'docket bid edit'",
            )
        if is_late:
            remark = "\n".join(part for part in (LATE + why_late, remark) if part)
        made = records.create(
            ctx, Bid, audit_note=LATE + why_late if is_late else "", solicitation=found,
            vendor=who, price=amount, received_on=day, documents=kept, note=remark,
        )  # fmt: skip
        _replace_lines(ctx, made, lines)
        return made


def update_bid(ctx: Context, solicitation: str | int, vendor: str, **changes: Any) -> Bid:
    """Change a bid's price (whole, or ``price_lines``: all of them, as given), documents
    (all of them, as given) or note, while the solicitation is issued. A whole price drops
    the bid's lines; lines replace them and the price becomes their sum."""
    unknown = set(changes) - {"price", "price_lines", "documents", "note"}
    if unknown:
        raise ValidationError(sorted(unknown)[0], "is not a field of a bid you can change")
    values: dict[str, Any] = {}
    lines: list[tuple[str, Decimal]] | None = None
    if "price" in changes or "price_lines" in changes:
        given = changes.get("price_lines") or ()
        values["price"], lines = _whole_price(ctx, changes.get("price"), given)
    if "documents" in changes:
        values["documents"] = documents(changes["documents"])
    if "note" in changes:
        values["note"] = text(
            "note", changes["note"], required=False, max_length=2000, multiline=True
        )
    with write():
        found = find_solicitation(solicitation)
        require_status(found, "issued", "change bids")
        bid = find_bid(found, vendor)
        if lines is not None:
            _replace_lines(ctx, bid, lines)
        return records.update(ctx, bid, bid.version, **values)


def set_conformance(
    ctx: Context, solicitation: str | int, vendor: str, item: str | int, *, passed: bool,
    note: str = "",
) -> BidConformance:  # fmt: skip
    """Record whether a bid meets an item of the checklist (again: the new result replaces
    the old, audited)."""
    remark = text("note", note, required=False, max_length=2000)
    with write():
        found = find_solicitation(solicitation)
        require_status(found, "issued", "check bids' conformance")
        bid = find_bid(found, vendor)
        checked = find_item(found, item)
        result = BidConformance.get_or_none(
            BidConformance.bid == bid, BidConformance.item == checked
        )
        if result is None:
            return records.create(
                ctx, BidConformance, bid=bid, item=checked, passed=passed, note=remark
            )
        return records.update(ctx, result, result.version, passed=passed, note=remark)


def nonconformance(bid: Bid) -> list[str]:
    """Why a bid is non-conforming: each mandatory item it fails or that is not yet
    checked (empty: it conforms)."""
    results = {
        r.__data__["item"]: r for r in BidConformance.select().where(BidConformance.bid == bid)
    }
    why: list[str] = []
    for item in items_of(bid.solicitation):
        if not item.mandatory:
            continue
        result = results.get(item.id)
        if result is None:
            why.append(f"not checked: {item.requirement}")
        elif not result.passed:
            why.append(f"fails: {item.requirement}" + (f" ({result.note})" if result.note else ""))
    return why


def bids_of(found: Solicitation) -> list[Bid]:
    """A solicitation's bids, by vendor name."""
    return sorted(
        Bid.select().where(Bid.solicitation == found), key=lambda b: b.vendor.name.lower()
    )


def conforming_bids(found: Solicitation) -> list[Bid]:
    """The bids that meet every mandatory item: the ones scored and ranked."""
    return [b for b in bids_of(found) if not nonconformance(b)]


class ConformanceFacts(TypedDict):
    """A bid's result on one item of the checklist (``passed`` None: not yet checked)."""

    item: int
    requirement: str
    mandatory: bool
    passed: bool | None
    note: str


class PriceLineFacts(TypedDict):
    """A part of a bid's price: its label (``FY2027``, ``Licences``) and amount."""

    label: str
    amount: str


def price_line_facts(bid: Bid | int) -> list[PriceLineFacts]:
    """A bid's price lines as plain data."""
    return [{"label": line.label, "amount": str(line.amount)} for line in lines_of(bid)]


def price_lines_text(lines: Sequence[PriceLineFacts]) -> str:
    """Price lines in one line: ``FY2027 1000.00 + FY2028 2000.00`` (empty: none)."""
    return " + ".join(f"{line['label']} {Decimal(line['amount']):.2f}" for line in lines)


class BidFacts(TypedDict):
    """One bid as plain data (``docket bid list --format json``)."""

    id: int
    solicitation: str
    vendor: str
    price: str
    received_on: str | None
    late: bool
    documents: list[str]
    note: str
    conforming: bool
    why_not: list[str]
    conformance: list[ConformanceFacts]
    version: int
    # the price by fiscal year or line, in the order given (empty: priced whole)
    price_lines: list[PriceLineFacts]


def bid_facts(bid: Bid) -> BidFacts:
    """One bid as plain data: its stable JSON form."""
    found = bid.solicitation
    results = {
        r.__data__["item"]: r for r in BidConformance.select().where(BidConformance.bid == bid)
    }
    checklist: list[ConformanceFacts] = []
    for item in items_of(found):
        result = results.get(item.id)
        checklist.append(
            {
                "item": item.id,
                "requirement": item.requirement,
                "mandatory": bool(item.mandatory),
                "passed": None if result is None else bool(result.passed),
                "note": "" if result is None else result.note,
            }
        )
    why = nonconformance(bid)
    return {
        "id": bid.id,
        "solicitation": found.code,
        "vendor": bid.vendor.name,
        "price": str(bid.price),
        "received_on": bid.received_on.isoformat() if bid.received_on else None,
        "late": bool(found.bids_due and bid.received_on and bid.received_on > found.bids_due),
        "documents": [line for line in bid.documents.splitlines() if line],
        "note": bid.note,
        "conforming": not why,
        "why_not": why,
        "conformance": checklist,
        "version": bid.version,
        "price_lines": price_line_facts(bid),
    }


class BidderFacts(TypedDict):
    """A bid as its solicitation shows it: the vendor, the price with its lines, and the
    vendor's past performance (``docket solicitation show``)."""

    vendor: str
    price: str
    price_lines: list[PriceLineFacts]
    conforming: bool
    past_performance: PastPerformance


def bidder_facts(found: Solicitation) -> list[BidderFacts]:
    """Each bid of a solicitation with its price lines and the vendor's record, by vendor."""
    return [
        {
            "vendor": bid.vendor.name,
            "price": str(bid.price),
            "price_lines": price_line_facts(bid),
            "conforming": not nonconformance(bid),
            "past_performance": past_performance(bid.vendor),
        }
        for bid in bids_of(found)
    ]
