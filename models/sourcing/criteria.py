"""What a solicitation judges bids by: weighted criteria (one of them price, scored by
formula) and the conformance checklist (pass/fail, mandatory or not).

Both are published with the solicitation, so they change only while it is a draft.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import TypedDict

from docket.models.core import records
from docket.models.core.context import Context
from docket.models.core.database import write
from docket.models.core.errors import NotFoundError, ValidationError
from docket.models.core.inputs import shown, text
from docket.models.core.lookup import exactly_one
from docket.models.core.schema_selection import (
    ConformanceItem,
    Solicitation,
    SolicitationCriterion,
)
from docket.models.sourcing.solicitations import criteria_of, find_solicitation, require_status

MAX_WEIGHT = Decimal(1000)


def weight(typed: str | Decimal | int) -> Decimal:
    """A criterion's weight: a number above 0 and at most 1000 (``35``, ``0.35``); the
    weights in use are divided by their sum, so 35/25/40 and 0.35/0.25/0.4 weigh alike."""
    try:
        value = Decimal(str(typed).strip())
    except InvalidOperation:
        raise ValidationError(
            "weight", f"expected a number such as 30 or 0.3, got {shown(str(typed))}"
        ) from None
    if not value.is_finite() or not 0 < value <= MAX_WEIGHT:
        raise ValidationError(
            "weight", f"expected a number above 0 and at most 1000, got {shown(str(typed))}"
        )
    return value


def add_criterion(
    ctx: Context, solicitation: str | int, name: str, weight_typed: str | Decimal | int, *,
    price: bool = False,
) -> SolicitationCriterion:  # fmt: skip
    """A criterion with its weight; ``price`` marks the one scored by formula (at most one)."""
    values = {
        "name": text("criterion", name, max_length=120),
        "weight": format(weight(weight_typed).normalize(), "f"),
    }
    with write():
        found = find_solicitation(solicitation)
        require_status(found, "draft", "change its criteria")
        existing = criteria_of(found)
        if any(c.name.lower() == values["name"].lower() for c in existing):
            raise ValidationError(
                "criterion", f"{found.code} has a criterion {values['name']!r} already"
            )
        if price and any(c.price for c in existing):
            other = next(c.name for c in existing if c.price)
            raise ValidationError("price", f"{found.code} scores price by {other!r} already")
        return records.create(ctx, SolicitationCriterion, solicitation=found, price=price, **values)


def find_criterion(found: Solicitation, typed: str | int) -> SolicitationCriterion:
    """One of the solicitation's criteria, by name (case aside) or id."""
    for c in criteria_of(found):
        if str(c.id) == str(typed).strip() or c.name.lower() == str(typed).strip().lower():
            return c
    names = ", ".join(c.name for c in criteria_of(found)) or "none yet"
    raise NotFoundError(f"criterion: {found.code} has no criterion {shown(str(typed))} ({names})")


def remove_criterion(ctx: Context, solicitation: str | int, typed: str) -> None:
    """Take a criterion off a draft."""
    with write():
        found = find_solicitation(solicitation)
        require_status(found, "draft", "change its criteria")
        gone = find_criterion(found, typed)
        records.delete(ctx, gone, gone.version)


def add_item(
    ctx: Context, solicitation: str | int, requirement: str, *, mandatory: bool = True
) -> ConformanceItem:
    """A requirement of the conformance checklist; a bid failing a mandatory one is not
    ranked."""
    wanted = text("requirement", requirement, max_length=1000)
    with write():
        found = find_solicitation(solicitation)
        require_status(found, "draft", "change its conformance checklist")
        return records.create(
            ctx, ConformanceItem, solicitation=found, requirement=wanted, mandatory=mandatory
        )


def items_of(found: Solicitation) -> list[ConformanceItem]:
    """A solicitation's checklist in the order it was written."""
    return list(
        ConformanceItem.select()
        .where(ConformanceItem.solicitation == found)
        .order_by(ConformanceItem.id)
    )


def find_item(found: Solicitation, typed: str | int) -> ConformanceItem:
    """One item of the checklist: its id, or the start of its requirement (case aside)."""
    items = items_of(found)
    wanted = str(typed).strip()
    by_id = [i for i in items if str(i.id) == wanted]
    matches = by_id or [i for i in items if i.requirement.lower().startswith(wanted.lower())]
    if not wanted or not matches:
        raise NotFoundError(
            f"item: {found.code} has no conformance item {shown(wanted)}; "
            f"'docket solicitation show {found.code}' lists them with their ids"
        )
    return exactly_one(
        "item", wanted, matches, noun="conformance item",
        describe=lambda i: f"#{i.id} {i.requirement}", narrow="give its id",
    )  # fmt: skip


def remove_item(ctx: Context, solicitation: str | int, typed: str | int) -> None:
    """Take an item off a draft's checklist."""
    with write():
        found = find_solicitation(solicitation)
        require_status(found, "draft", "change its conformance checklist")
        gone = find_item(found, typed)
        records.delete(ctx, gone, gone.version)


class CriterionFacts(TypedDict):
    """A criterion with its weight as given and as a share of the whole."""

    id: int
    name: str
    weight: str
    share: str
    price: bool


def criterion_facts(found: Solicitation) -> list[CriterionFacts]:
    """The criteria, each weight also as its share of their sum (4 places)."""
    criteria = criteria_of(found)
    total = sum((Decimal(c.weight) for c in criteria), Decimal(0))
    return [
        {
            "id": c.id,
            "name": c.name,
            "weight": c.weight,
            "share": str((Decimal(c.weight) / total).quantize(Decimal("0.0001"))),
            "price": bool(c.price),
        }
        for c in criteria
    ]


class ItemFacts(TypedDict):
    """One item of the checklist."""

    id: int
    requirement: str
    mandatory: bool


def item_facts(found: Solicitation) -> list[ItemFacts]:
    """The checklist as plain data."""
    return [
        {"id": i.id, "requirement": i.requirement, "mandatory": bool(i.mandatory)}
        for i in items_of(found)
    ]
