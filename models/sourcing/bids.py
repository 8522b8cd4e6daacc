"""Bids: a vendor's price, when it came, where its documents are, and whether it meets each
item of the conformance checklist.

Bids come in while the solicitation is issued. One received after the bids' due date is
refused unless it is accepted as late with a reason (kept in its note and audit entry); one
before the issue date or in the future is refused. Documents are paths to files that must
exist when the bid is entered (a typo is caught then, not at evaluation), kept absolute so
every member finds the same file, one per line. A bid failing a mandatory item is
non-conforming: it is shown with why, and never ranked nor scored.
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
from docket.models.core.schema_selection import Bid, BidConformance, Solicitation
from docket.models.governance.entries import entry_day
from docket.models.sourcing.criteria import find_item, items_of
from docket.models.sourcing.solicitations import find_solicitation, require_status

LATE = "late: "


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
    price: str | Decimal,
    received: str | date | None = None,
    documents_given: Sequence[str] = (),
    late: str = "",
    note: str = "",
) -> Bid:
    """A vendor's bid (one per vendor), while the solicitation is issued."""
    amount = money("price", price, decimal_comma=ctx.decimal_comma)
    if amount < 0:
        raise ValidationError("price", "expected an amount of zero or more")
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
        return records.create(
            ctx, Bid, audit_note=LATE + why_late if is_late else "", solicitation=found,
            vendor=who, price=amount, received_on=day, documents=kept, note=remark,
        )  # fmt: skip


def update_bid(ctx: Context, solicitation: str | int, vendor: str, **changes: Any) -> Bid:
    """Change a bid's price, documents (all of them, as given) or note, while the
    solicitation is issued."""
    unknown = set(changes) - {"price", "documents", "note"}
    if unknown:
        raise ValidationError(sorted(unknown)[0], "is not a field of a bid you can change")
    values: dict[str, Any] = {}
    if "price" in changes:
        values["price"] = money("price", changes["price"], decimal_comma=ctx.decimal_comma)
        if values["price"] < 0:
            raise ValidationError("price", "expected an amount of zero or more")
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
    }
