"""Solicitations (RFP, RFQ): what is bought, for which program, its dates and its status.

The dates come in order (issued, questions due, bids due, award by: each on or after the one
before). The status moves one way: draft -> issued -> evaluating -> awarded, or cancelled
from any but awarded. What may change depends on it: the criteria, weights and checklist
only while a draft (they are published with the solicitation), the committee until the
evaluation starts, bids and their conformance while issued; the committee scores while
evaluating; ``award`` alone makes it awarded. Each bidder's past performance (its
scorecards on earlier contracts) is part of the solicitation's record
(:func:`past_performance`).
"""

from __future__ import annotations

from datetime import date
from typing import Any, TypedDict

from peewee import fn

from docket.models.contractors.performance import record_summary, vendor_record
from docket.models.core import records
from docket.models.core.context import Context
from docket.models.core.database import write
from docket.models.core.errors import NotFoundError, ValidationError
from docket.models.core.inputs import MAX_INTEGER, choice, shown, text, typed_id
from docket.models.core.schema import Vendor
from docket.models.core.schema_selection import (
    SOLICITATION_KINDS,
    SOLICITATION_STATUSES,
    Bid,
    BidConformance,
    CommitteeMember,
    ConformanceItem,
    Solicitation,
    SolicitationCriterion,
)
from docket.models.governance.entries import entry_day
from docket.models.portfolio.programs import get_program

# the dates of a solicitation, in the order they must come, with the words errors use
DATES = (
    ("issued_on", "issued"),
    ("questions_due", "questions due"),
    ("bids_due", "bids due"),
    ("award_by", "award by"),
)
# where each status may go next (awarded only through award.award)
NEXT = {
    "draft": ("issued", "cancelled"),
    "issued": ("evaluating", "cancelled"),
    "evaluating": ("cancelled",),
    "awarded": (),
    "cancelled": (),
}
TEXT_FIELDS = ("title", "kind", "scope", "program")
EDITABLE = (*TEXT_FIELDS, *(name for name, _ in DATES))


def find_solicitation(typed: str | int) -> Solicitation:
    """The solicitation ``typed`` names: its code (case aside) or its id."""
    if isinstance(typed, int):
        return records.get(Solicitation, typed)
    cleaned = str(typed).strip()
    found = Solicitation.get_or_none(fn.upper(Solicitation.code) == cleaned.upper())
    if found is None:
        number = typed_id(cleaned)
        if number is not None and 1 <= number <= MAX_INTEGER:
            found = Solicitation.get_or_none(Solicitation.id == number)
    if found is None:
        raise NotFoundError(
            f"solicitation: no solicitation {shown(cleaned)}; 'docket solicitation list' shows them"
        )
    return found


def _code(typed: str) -> str:
    code = text("code", typed, max_length=20).upper()
    allowed = set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")
    if len(code) < 2 or not code[0].isalnum() or not set(code) <= allowed:
        raise ValidationError(
            "code",
            f"expected 2 to 20 capitals, digits and dashes such as RFP-2027-01, got {code!r}",
        )
    return code


def dates_in_order(dates: dict[str, date | None]) -> None:
    """Refuse dates out of order: each given date on or after every earlier one given."""
    last: tuple[str, date] | None = None
    for name, words in DATES:
        day = dates.get(name)
        if day is None:
            continue
        if last is not None and day < last[1]:
            raise ValidationError(
                words,
                f"expected a day on or after {last[0]} ({last[1].isoformat()}), "
                f"got {day.isoformat()}",
            )
        last = (words, day)


def add_solicitation(
    ctx: Context,
    code: str,
    *,
    program: str,
    title: str,
    kind: str = "RFP",
    scope: str = "",
    **dates: str | date | None,
) -> Solicitation:
    """A new solicitation, a draft (``dates``: ``issued_on``, ``questions_due``,
    ``bids_due``, ``award_by``, each optional, in order)."""
    unknown = set(dates) - {name for name, _ in DATES}
    if unknown:
        raise ValidationError(sorted(unknown)[0], "is not a date of a solicitation")
    values: dict[str, Any] = {
        "code": _code(code),
        "title": text("title", title),
        "kind": choice("kind", kind, (k.lower() for k in SOLICITATION_KINDS)).upper(),
        "scope": text("scope", scope, required=False, max_length=4000, multiline=True),
    }
    for name, words in DATES:
        values[name] = entry_day(ctx, words, dates.get(name))
    dates_in_order(values)
    with write():
        if Solicitation.get_or_none(fn.upper(Solicitation.code) == values["code"]) is not None:
            raise ValidationError("code", f"solicitation {values['code']} exists already")
        return records.create(ctx, Solicitation, program=get_program(program), **values)


def update_solicitation(
    ctx: Context, typed: str | int, version: int | None = None, **changes: Any
) -> Solicitation:
    """Change a solicitation's title, kind, scope, program (while a draft) or dates (until
    the evaluation starts: an addendum may move the bids' due date); the dates stay in
    order."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationError(sorted(unknown)[0], "is not a field of a solicitation")
    values: dict[str, Any] = {}
    if "title" in changes:
        values["title"] = text("title", changes["title"])
    if "kind" in changes:
        values["kind"] = choice("kind", changes["kind"], (k.lower() for k in SOLICITATION_KINDS))
        values["kind"] = values["kind"].upper()
    if "scope" in changes:
        values["scope"] = text(
            "scope", changes["scope"], required=False, max_length=4000, multiline=True
        )
    for name, words in DATES:
        if name in changes:
            values[name] = entry_day(ctx, words, changes[name])
    with write():
        found = find_solicitation(typed)
        found = records.get_current(Solicitation, found.id, version)
        if set(changes) & {"kind", "program"}:
            require_status(found, "draft", "change its kind or program")
        if changes:
            require_status(found, ("draft", "issued"), "change it")
        if "program" in changes:
            values["program"] = get_program(changes["program"])
        dates_in_order({name: values.get(name, getattr(found, name)) for name, _ in DATES})
        return records.update(ctx, found, found.version, **values)


def require_status(found: Solicitation, wanted: str | tuple[str, ...], doing: str) -> None:
    """Refuse ``doing`` unless the solicitation's status is ``wanted`` (one or several)."""
    allowed = (wanted,) if isinstance(wanted, str) else wanted
    if found.status not in allowed:
        said = " or ".join(allowed)
        raise ValidationError(
            "status", f"solicitation {found.code} is {found.status}; you can {doing} only "
            f"while it is {said}",
        )  # fmt: skip


def _ready_to_issue(ctx: Context, found: Solicitation) -> list[str]:
    missing = [
        words
        for name, words in DATES
        if name in ("issued_on", "bids_due") and getattr(found, name) is None
    ]
    if found.issued_on is not None and ctx.today() < found.issued_on:
        # issued early, it would take no bids until its issue date: refused instead
        missing.append(
            f"its issue date {found.issued_on.isoformat()} to have come (or an earlier --issued)"
        )
    criteria = criteria_of(found)
    if not criteria:
        missing.append("criteria ('docket solicitation criterion')")
    elif sum(1 for c in criteria if c.price) != 1:
        missing.append("exactly one price criterion (--price)")
    if not CommitteeMember.select().where(CommitteeMember.solicitation == found).count():
        missing.append("a committee ('docket solicitation member')")
    return missing


def _ready_to_evaluate(ctx: Context, found: Solicitation) -> list[str]:
    missing: list[str] = []
    if found.bids_due is not None and ctx.today() < found.bids_due:
        missing.append(f"bids due {found.bids_due.isoformat()} to have come")
    bids = list(Bid.select().where(Bid.solicitation == found))
    if not bids:
        missing.append("at least one bid")
    items = ConformanceItem.select().where(ConformanceItem.solicitation == found).count()
    for bid in bids:
        done = BidConformance.select().where(BidConformance.bid == bid).count()
        if done < items:
            missing.append(f"conformance of {bid.vendor.name}'s bid ({done} of {items} checked)")
    return missing


# a refused move, as a sentence: "RFP-2027-01 cannot start the evaluation yet: it needs ..."
MOVES = {"issued": "cannot be issued", "evaluating": "cannot start the evaluation"}


def set_status(ctx: Context, typed: str | int, status: str, reason: str = "") -> Solicitation:
    """Move a solicitation on: issue it (its bids-due date, criteria with one price
    criterion and a committee needed), start the evaluation (bids due come, every bid's
    conformance checked), or cancel it (a reason needed, kept in the audit entry)."""
    wanted = choice("status", status, SOLICITATION_STATUSES)
    why = text("reason", reason, required=False, max_length=2000)
    with write():
        found = find_solicitation(typed)
        if wanted == "awarded":
            raise ValidationError("status", "a solicitation is awarded by 'docket award'")
        if wanted not in NEXT[found.status]:
            raise ValidationError(
                "status", f"solicitation {found.code} is {found.status}; it can go to "
                f"{', '.join(NEXT[found.status]) or 'no other status'}",
            )  # fmt: skip
        missing: list[str] = []
        if wanted == "issued":
            missing = _ready_to_issue(ctx, found)
        elif wanted == "evaluating":
            missing = _ready_to_evaluate(ctx, found)
        elif not why:
            raise ValidationError("reason", "say why the solicitation is cancelled")
        if missing:
            raise ValidationError("status", f"{found.code} {MOVES[wanted]} yet: it needs "
                                  + "; ".join(missing))  # fmt: skip
        return records.update(ctx, found, found.version, note=why, status=wanted)


class SolicitationFacts(TypedDict):
    """One solicitation as plain data (``docket solicitation list --format json``)."""

    id: int
    code: str
    program: str
    title: str
    kind: str
    scope: str
    status: str
    issued_on: str | None
    questions_due: str | None
    bids_due: str | None
    award_by: str | None
    bids: int
    members: int
    decision: int | None
    contract: str | None
    version: int


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def solicitation_facts(s: Solicitation) -> SolicitationFacts:
    """One solicitation as plain data: its stable JSON form."""
    contract = s.contract if s.__data__.get("contract") else None
    return {
        "id": s.id,
        "code": s.code,
        "program": s.program.code,
        "title": s.title,
        "kind": s.kind,
        "scope": s.scope,
        "status": s.status,
        "issued_on": _day(s.issued_on),
        "questions_due": _day(s.questions_due),
        "bids_due": _day(s.bids_due),
        "award_by": _day(s.award_by),
        "bids": Bid.select().where(Bid.solicitation == s).count(),
        "members": CommitteeMember.select().where(CommitteeMember.solicitation == s).count(),
        "decision": s.__data__.get("decision"),
        "contract": contract.number if contract else None,
        "version": s.version,
    }


def list_solicitations(
    program: str | None = None, status: str | None = None
) -> list[SolicitationFacts]:
    """Solicitations (of a program, of a status), bids due soonest first, undated last."""
    query = Solicitation.select()
    if program:
        query = query.where(Solicitation.program == get_program(program))
    if status:
        query = query.where(Solicitation.status == choice("status", status, SOLICITATION_STATUSES))
    ordered = query.order_by(
        Solicitation.bids_due.is_null(), Solicitation.bids_due, Solicitation.code
    )
    return [solicitation_facts(s) for s in ordered]


def criteria_of(found: Solicitation) -> list[SolicitationCriterion]:
    """A solicitation's criteria in the order they were added."""
    return list(
        SolicitationCriterion.select()
        .where(SolicitationCriterion.solicitation == found)
        .order_by(SolicitationCriterion.id)
    )


class PastPerformance(TypedDict):
    """A bidder's record of performance as the solicitation shows it: the one line of
    :func:`~docket.models.contractors.performance.record_summary` and its figures."""

    vendor: str
    record: str
    scorecards: int
    latest_overall: str | None
    mean_overall: str | None
    below_target: int


def past_performance(vendor: Vendor | str | int) -> PastPerformance:
    """A vendor's past performance (its scorecards on every contract), in one line and its
    figures: what the committee reads beside the vendor's bid."""
    record = vendor_record(vendor)
    latest = record["latest"]
    return {
        "vendor": record["vendor"],
        "record": record_summary(record),
        "scorecards": len(record["scorecards"]),
        "latest_overall": latest["overall"] if latest else None,
        "mean_overall": record["mean_overall"],
        "below_target": record["below_target"],
    }


__all__ = [
    "DATES",
    "PastPerformance",
    "add_solicitation",
    "criteria_of",
    "dates_in_order",
    "find_solicitation",
    "list_solicitations",
    "past_performance",
    "require_status",
    "set_status",
    "solicitation_facts",
    "update_solicitation",
]
