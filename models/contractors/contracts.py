"""Vendors and contracts: found by name or number, added and changed.

A contract has a vendor, a number, a program, dates, a ceiling and a currency; what is spent
on it is in :mod:`docket.models.contractors.expenditures`, changes to its terms in
:mod:`docket.models.contractors.amendments`, and what it burns in
:mod:`docket.models.contractors.burn`. Money is ``Decimal`` throughout, never float.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, TypedDict

from peewee import JOIN, fn

from docket.models.core import records
from docket.models.core.context import Context
from docket.models.core.database import write
from docket.models.core.dates import parse_date
from docket.models.core.errors import NotFoundError, ValidationError
from docket.models.core.inputs import MAX_INTEGER, money, shown, text, typed_id
from docket.models.core.lookup import exactly_one, name_matches, words
from docket.models.core.schema import Contract, Person, Vendor
from docket.models.people.directory import find_person
from docket.models.portfolio.programs import get_program


def typed_day(
    ctx: Context, field: str, typed: str | date | None, default: date | None = None
) -> date:
    """A day as typed (``2026-12-01``, ``fri``), a day given, or ``default`` when blank."""
    if isinstance(typed, date):
        return typed
    if not typed:
        if default is None:
            raise ValidationError(field, "expected a date, got nothing")
        return default
    return parse_date(typed, ctx.today(), field=field, day_first=ctx.day_first)


def find_vendor(typed: str | int) -> Vendor:
    """The one vendor ``typed`` names: its id, its name, or the starts of its name's words
    (accents and case aside); several are refused with their ids, never guessed."""
    number = typed if isinstance(typed, int) else typed_id(typed)
    if number is not None:
        return records.get(Vendor, number)
    wanted = words(str(typed))
    every = list(Vendor.select(Vendor.id, Vendor.name).order_by(fn.lower(Vendor.name)))
    same = [v for v in every if words(v.name) == wanted]
    loose = [v for v in every if name_matches(wanted, v.name)]
    if not (same or loose):
        raise NotFoundError(
            f"vendor: no vendor named {shown(str(typed))}; add it with 'docket vendor add'"
        )
    found = exactly_one(
        "vendor",
        str(typed),
        same or loose,
        noun="vendor",
        describe=lambda v: f"{v.name} (#{v.id})",
        narrow="give its full name or id",
    )
    return records.get(Vendor, found.id)


def add_vendor(ctx: Context, name: str, *, contact: str | None = None, note: str = "") -> Vendor:
    """A new vendor (its name is unique)."""
    values = {
        "name": text("name", name),
        "contact_note": text("note", note, required=False, max_length=2000),
    }
    with write():
        if Vendor.get_or_none(fn.lower(Vendor.name) == values["name"].lower()) is not None:
            raise ValidationError("name", f"a vendor named {values['name']!r} exists already")
        person = find_person(contact, field="contact") if contact else None
        return records.create(ctx, Vendor, contact=person, **values)


def update_vendor(
    ctx: Context, vendor: str | int, version: int | None = None, **changes: str | None
) -> Vendor:
    """Change a vendor's name, contact (a person; blank for none) or note; the name stays
    unique (``version`` None: as the vendor is now, for the command line)."""
    unknown = set(changes) - {"name", "contact", "note"}
    if unknown:
        raise ValidationError(sorted(unknown)[0], "is not a field of a vendor")
    values: dict[str, Any] = {}
    if "name" in changes:
        values["name"] = text("name", changes["name"])
    if "note" in changes:
        values["contact_note"] = text("note", changes["note"], required=False, max_length=2000)
    with write():
        found = find_vendor(vendor)
        if "name" in values:
            other = Vendor.get_or_none(fn.lower(Vendor.name) == values["name"].lower())
            if other is not None and other.id != found.id:
                raise ValidationError(
                    "name", f"a vendor named {shown(other.name)} exists already (#{other.id})"
                )
        if "contact" in changes:
            typed = changes["contact"]
            values["contact"] = find_person(typed, field="contact") if typed else None
        return records.update(ctx, found, version, **values)


def find_contract(typed: str | int) -> Contract:
    """The one contract ``typed`` names: its number (``C-2026-0303``, case aside), its id,
    or the start of its number; several are refused with their vendor and program."""
    if isinstance(typed, int):
        return records.get(Contract, typed)
    cleaned = str(typed).strip()
    exact = list(Contract.select().where(fn.lower(Contract.number) == cleaned.lower()))
    number = typed_id(cleaned)
    if not exact and number is not None and 1 <= number <= MAX_INTEGER:
        exact = list(Contract.select().where(Contract.id == number))
    found = exact or list(
        Contract.select()
        .where(fn.lower(Contract.number).startswith(cleaned.lower()))
        .order_by(Contract.number)
        .limit(6)
    )
    if not found:
        raise NotFoundError(f"contract: no contract {shown(cleaned)}")
    return exactly_one(
        "contract",
        cleaned,
        found,
        noun="contract",
        describe=lambda c: f"{c.number} ({c.vendor.name}, {c.program.code})",
        narrow="give its whole number",
    )


def add_contract(
    ctx: Context,
    number: str,
    *,
    vendor: str,
    program: str,
    start: str | date,
    end: str | date,
    ceiling: str | Decimal,
    currency: str = "USD",
    title: str = "",
) -> Contract:
    """A new contract; its end may not come before its start."""
    first, last = typed_day(ctx, "start", start), typed_day(ctx, "end", end)
    if last < first:
        raise ValidationError("end", f"expected a day on or after the start ({first}), got {last}")
    limit = money("ceiling", ceiling, decimal_comma=ctx.decimal_comma)
    if limit < 0:
        raise ValidationError("ceiling", "expected an amount of zero or more")
    code = currency.strip().upper()
    if len(code) != 3 or not code.isalpha():
        raise ValidationError(
            "currency", f"expected a three-letter code such as USD, got {currency!r}"
        )
    with write():
        if Contract.get_or_none(fn.lower(Contract.number) == number.strip().lower()):
            raise ValidationError("number", f"contract {number.strip()} exists already")
        return records.create(
            ctx,
            Contract,
            number=text("number", number, max_length=60),
            title=text("title", title, required=False),
            vendor=find_vendor(vendor),
            program=get_program(program),
            start=first,
            end=last,
            ceiling=limit,
            currency=code,
        )


class VendorFacts(TypedDict):
    """One vendor with its contact and its number of contracts."""

    id: int
    name: str
    contact: str | None
    contracts: int
    note: str


def list_vendors() -> list[VendorFacts]:
    """Every vendor with its contact and its number of contracts."""
    query = (
        Vendor.select(Vendor, Person, fn.COUNT(Contract.id).alias("contracts"))
        .join(Person, JOIN.LEFT_OUTER, on=(Vendor.contact == Person.id))
        .join_from(Vendor, Contract, JOIN.LEFT_OUTER)
        .group_by(Vendor.id, Person.id)  # the contact's columns too (PostgreSQL asks)
        .order_by(fn.lower(Vendor.name))
    )
    rows: list[VendorFacts] = []
    for v in query:
        contact: Any = v.contact if v.__data__.get("contact") else None
        count: Any = getattr(v, "contracts", 0)
        rows.append(
            {
                "id": v.id,
                "name": v.name,
                "contact": contact.name if contact else None,
                "contracts": count,
                "note": v.contact_note,
            }
        )
    return rows
