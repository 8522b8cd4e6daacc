"""Vendor performance: a contract's service levels, and a scorecard per contract per period
(quality, timeliness, cost control, responsiveness, each 1 to 5, and how many service levels
were met), with the trend against the period before.

A scorecard's overall score is the mean of its four aspects; it is *below target* under the
config's ``scorecard_below`` (default 3.0) or with fewer than ``service_levels_below`` %
(default 90) of the service levels met. A vendor's scorecards on every contract are its
record, which the next solicitation shows (:func:`vendor_record`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypedDict

from peewee import fn

from docket.models.contractors.contracts import find_contract, find_vendor, typed_day
from docket.models.core import records
from docket.models.core.config import load_config
from docket.models.core.context import Context
from docket.models.core.database import write
from docket.models.core.errors import NotFoundError, ValidationError
from docket.models.core.inputs import MAX_INTEGER, shown, text, whole_number
from docket.models.core.schema import Contract, Vendor
from docket.models.core.schema_selection import SCORECARD_ASPECTS, Scorecard, ServiceLevel

# --- service levels ------------------------------------------------------------------------


class ServiceLevelFacts(TypedDict):
    """One service level of a contract."""

    id: int
    contract: str
    name: str
    target: str


def _level_facts(level: ServiceLevel, number: str) -> ServiceLevelFacts:
    return {"id": level.id, "contract": number, "name": level.name, "target": level.target}


def add_service_level(
    ctx: Context, contract: str | int, name: str, *, target: str = ""
) -> ServiceLevel:
    """A new service level of a contract; its name is unique on the contract."""
    values = {
        "name": text("name", name, max_length=200),
        "target": text("target", target, required=False),
    }
    with write():
        found = find_contract(contract)
        if _level_named(found, values["name"]) is not None:
            raise ValidationError(
                "name",
                f"contract {found.number} has a service level named"
                f" {shown(values['name'])} already",
            )
        return records.create(ctx, ServiceLevel, contract=found, **values)


def _level_named(contract: Contract, name: str) -> ServiceLevel | None:
    query = ServiceLevel.select().where(
        ServiceLevel.contract == contract.id, fn.lower(ServiceLevel.name) == name.strip().lower()
    )
    found: ServiceLevel | None = query.first()
    return found


def service_levels(contract: str | int) -> list[ServiceLevelFacts]:
    """A contract's service levels, in the order they were added."""
    found = find_contract(contract)
    query = ServiceLevel.select().where(ServiceLevel.contract == found.id).order_by(ServiceLevel.id)
    return [_level_facts(level, found.number) for level in query]


def update_service_level(
    ctx: Context,
    contract: str | int,
    level_name: str,
    version: int | None = None,
    **changes: str | None,
) -> ServiceLevel:
    """Change a service level's name or target (``version`` None: as it is now)."""
    unknown = set(changes) - {"name", "target"}
    if unknown:
        raise ValidationError(sorted(unknown)[0], "is not a field of a service level")
    values: dict[str, Any] = {}
    if changes.get("name") is not None:
        values["name"] = text("name", changes["name"], max_length=200)
    if changes.get("target") is not None:
        values["target"] = text("target", changes["target"], required=False)
    with write():
        found = find_contract(contract)
        level = _level_named(found, level_name)
        if level is None:
            raise NotFoundError(
                f"service level: contract {found.number} has none named {shown(level_name)};"
                f" see 'docket contract level list {found.number}'"
            )
        other = _level_named(found, values["name"]) if "name" in values else None
        if other is not None and other.id != level.id:
            raise ValidationError(
                "name",
                f"contract {found.number} has a service level named {shown(other.name)} already",
            )
        return records.update(ctx, level, version, **values)


# --- thresholds, overall score and trend -------------------------------------------------


@dataclass(frozen=True)
class Targets:
    """Below target: an overall score under ``score`` or service levels met under
    ``levels`` % (the config's ``scorecard_below`` and ``service_levels_below``)."""

    score: Decimal = Decimal("3.0")
    levels: Decimal = Decimal("90")


def targets() -> Targets:
    """The office's thresholds, from its config file (defaults 3.0 and 90 %)."""
    config = load_config()
    return Targets(Decimal(str(config.scorecard_below)), Decimal(str(config.service_levels_below)))


def overall(card: Scorecard) -> Decimal:
    """The mean of a scorecard's four aspects, to two places (half up)."""
    total = sum(int(getattr(card, aspect)) for aspect in SCORECARD_ASPECTS)
    return (Decimal(total) / len(SCORECARD_ASPECTS)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def levels_percent(card: Scorecard) -> Decimal | None:
    """The share of service levels met, in % to one place; None when not counted."""
    if card.levels_met is None or not card.levels_total:
        return None
    share = Decimal(card.levels_met) * 100 / Decimal(card.levels_total)
    return share.quantize(Decimal("0.1"), ROUND_HALF_UP)


def plain(number: Decimal) -> str:
    """A number without trailing zeros: ``3``, ``2.75``, ``87.5``."""
    written = f"{number:f}"
    return written.rstrip("0").rstrip(".") if "." in written else written


def below_target_reasons(card: Scorecard, limits: Targets) -> list[str]:
    """Why a scorecard is below target (nothing when it is not)."""
    why: list[str] = []
    score = overall(card)
    if score < limits.score:
        why.append(f"overall {score} under {plain(limits.score)}")
    percent = levels_percent(card)
    if percent is not None and percent < limits.levels:
        why.append(
            f"service levels {card.levels_met} of {card.levels_total} ({plain(percent)} %)"
            f" under {plain(limits.levels)} %"
        )
    return why


def _trend(now: Decimal | int, before: Decimal | int | None) -> str:
    """``up``, ``down`` or ``same`` against the period before; ``new`` for the first."""
    if before is None:
        return "new"
    return "up" if now > before else "down" if now < before else "same"


# --- scorecards ----------------------------------------------------------------------------


def _aspect(field: str, typed: str | int) -> int:
    return whole_number(field, typed, minimum=1, maximum=5)


def add_scorecard(
    ctx: Context,
    contract: str | int,
    *,
    start: str | date,
    end: str | date,
    quality: str | int,
    timeliness: str | int,
    cost_control: str | int,
    responsiveness: str | int,
    levels_met: str | int | None = None,
    levels_total: str | int | None = None,
    note: str = "",
) -> Scorecard:
    """A scorecard of a contract for a period: within the contract's dates, begun by today,
    overlapping none of the contract's other scorecards. ``levels_total`` defaults to the
    contract's number of service levels."""
    values: dict[str, Any] = {
        "quality": _aspect("quality", quality),
        "timeliness": _aspect("timeliness", timeliness),
        "cost_control": _aspect("cost-control", cost_control),
        "responsiveness": _aspect("responsiveness", responsiveness),
        "note": text("note", note, required=False, max_length=2000, multiline=True),
    }
    first, last = typed_day(ctx, "from", start), typed_day(ctx, "to", end)
    if last < first:
        raise ValidationError("to", f"expected a day on or after the start ({first}), got {last}")
    if first > ctx.today():
        raise ValidationError(
            "from", f"expected a period that has begun (today is {ctx.today()}), got {first}"
        )
    with write():
        found = find_contract(contract)
        if first < found.start or last > found.end:
            raise ValidationError(
                "from" if first < found.start else "to",
                f"expected a period within contract {found.number}'s dates"
                f" ({found.start} to {found.end})",
            )
        clash = (
            Scorecard.select()
            .where(
                Scorecard.contract == found.id,
                Scorecard.period_start <= last,
                Scorecard.period_end >= first,
            )
            .first()
        )
        if clash is not None:
            raise ValidationError(
                "from",
                f"contract {found.number} has a scorecard for {clash.period_start} to"
                f" {clash.period_end} already (#{clash.id}); periods may not overlap",
            )
        values.update(_levels(found, levels_met, levels_total))
        return records.create(
            ctx, Scorecard, contract=found, period_start=first, period_end=last, **values
        )


def _levels(
    contract: Contract, met: str | int | None, total: str | int | None
) -> dict[str, int | None]:
    """Service levels met and in all: the total defaults to the contract's count; none
    counted when neither is given."""
    if total is None or str(total).strip() == "":
        counted = ServiceLevel.select().where(ServiceLevel.contract == contract.id).count()
        whole: int | None = counted if counted else None
    else:
        whole = whole_number("levels-total", total, minimum=0, maximum=MAX_INTEGER)
    if met is None or str(met).strip() == "":
        return {"levels_met": None, "levels_total": whole}
    if whole is None:
        raise ValidationError(
            "levels-met",
            f"contract {contract.number} has no service levels; add them with"
            " 'docket contract level add' or give --levels-total",
        )
    counted_met = whole_number("levels-met", met, minimum=0, maximum=MAX_INTEGER)
    if counted_met > whole:
        # both numbers named: either may be the one typed wrong
        given = total is not None and str(total).strip() != ""
        source = "levels-total" if given else f"contract {contract.number}'s service levels"
        raise ValidationError("levels-met", f"{counted_met} is more than {source} ({whole})")
    return {"levels_met": counted_met, "levels_total": whole}


class ScorecardFacts(TypedDict):
    """One scorecard with its overall score, the trend of each aspect against the
    contract's period before, and whether (and why) it is below target."""

    id: int
    vendor: str
    contract: str
    start: str
    end: str
    quality: int
    timeliness: int
    cost_control: int
    responsiveness: int
    overall: str
    levels_met: int | None
    levels_total: int | None
    levels_percent: str | None
    trend: dict[str, str]
    below_target: bool
    why: str
    note: str


def _cards(where: Any) -> list[Scorecard]:
    query = (
        Scorecard.select(Scorecard, Contract, Vendor)
        .join(Contract)
        .join(Vendor)
        .where(where)
        .order_by(Contract.number, Scorecard.period_start)
    )
    return list(query)


def scorecard_rows(cards: list[Scorecard], limits: Targets | None = None) -> list[ScorecardFacts]:
    """Facts of scorecards given in contract and period order (each one's trend is against
    the card before it on the same contract)."""
    limits = limits or targets()
    rows: list[ScorecardFacts] = []
    before: Scorecard | None = None
    for card in cards:
        if before is not None and before.__data__["contract"] != card.__data__["contract"]:
            before = None
        trend = {
            a: _trend(getattr(card, a), getattr(before, a) if before else None)
            for a in SCORECARD_ASPECTS
        }
        trend["overall"] = _trend(overall(card), overall(before) if before else None)
        why = below_target_reasons(card, limits)
        percent = levels_percent(card)
        rows.append(
            {
                "id": card.id,
                "vendor": card.contract.vendor.name,
                "contract": card.contract.number,
                "start": card.period_start.isoformat(),
                "end": card.period_end.isoformat(),
                "quality": card.quality,
                "timeliness": card.timeliness,
                "cost_control": card.cost_control,
                "responsiveness": card.responsiveness,
                "overall": str(overall(card)),
                "levels_met": card.levels_met,
                "levels_total": card.levels_total,
                "levels_percent": None if percent is None else str(percent),
                "trend": trend,
                "below_target": bool(why),
                "why": "; ".join(why),
                "note": card.note,
            }
        )
        before = card
    return rows


def scorecards(which: str | int) -> list[ScorecardFacts]:
    """The scorecards of a contract (its number) or of a vendor (its name or id; every
    contract of it), by contract then period, each with its trend."""
    try:
        contract = find_contract(which)
    except NotFoundError:
        contract = None
    if contract is not None:
        return scorecard_rows(_cards(Scorecard.contract == contract.id))
    vendor = find_vendor(which)
    return scorecard_rows(_cards(Contract.vendor == vendor.id))


def scorecards_below_target(
    program_ids: list[int] | None = None,
    limits: Targets | None = None,
    *,
    running_on: date | None = None,
) -> list[ScorecardFacts]:
    """Each contract's latest scorecard when it is below target (contracts of these programs,
    or all; with ``running_on``, only contracts that have not ended by then), lowest overall
    first."""
    where: Any = True if program_ids is None else Contract.program.in_(program_ids)
    if running_on is not None:
        where &= Contract.end >= running_on
    latest: dict[str, ScorecardFacts] = {}
    for row in scorecard_rows(_cards(where), limits):
        latest[row["contract"]] = row
    below = [row for row in latest.values() if row["below_target"]]
    return sorted(below, key=lambda r: (Decimal(r["overall"]), r["contract"]))


class VendorRecordFacts(TypedDict):
    """A vendor's record of performance: every scorecard on every contract (oldest first),
    the latest one, the mean overall score and how many were below target."""

    vendor_id: int
    vendor: str
    contracts: int
    scorecards: list[ScorecardFacts]
    latest: ScorecardFacts | None
    mean_overall: str | None
    below_target: int


def vendor_record(vendor: str | int | Vendor) -> VendorRecordFacts:
    """A vendor's past performance, as the next solicitation's record shows it."""
    found = vendor if isinstance(vendor, Vendor) else find_vendor(vendor)
    rows = scorecard_rows(_cards(Contract.vendor == found.id))
    by_time = sorted(rows, key=lambda r: (r["end"], r["contract"]))
    mean = None
    if rows:
        total = sum((Decimal(r["overall"]) for r in rows), Decimal(0)) / len(rows)
        mean = str(total.quantize(Decimal("0.01"), ROUND_HALF_UP))
    return {
        "vendor_id": found.id,
        "vendor": found.name,
        "contracts": Contract.select().where(Contract.vendor == found.id).count(),
        "scorecards": by_time,
        "latest": by_time[-1] if by_time else None,
        "mean_overall": mean,
        "below_target": sum(1 for r in rows if r["below_target"]),
    }


def record_summary(record: VendorRecordFacts) -> str:
    """The vendor's record in one line: its latest scorecard and its mean."""
    latest = record["latest"]
    if latest is None:
        return "no scorecards yet"
    count = len(record["scorecards"])
    below = " (below target: " + latest["why"] + ")" if latest["below_target"] else ""
    return (
        f"latest {latest['overall']} on {latest['contract']} for {latest['start']} to"
        f" {latest['end']}{below}; mean {record['mean_overall']} over {count}"
        f" scorecard{'s' if count != 1 else ''}, {record['below_target']} below target"
    )


_ASPECT_NAMES = {
    "quality": "quality",
    "timeliness": "timeliness",
    "cost_control": "cost control",
    "responsiveness": "responsiveness",
    "overall": "overall",
}


def scorecard_lines(row: ScorecardFacts, limits: Targets) -> list[str]:
    """A scorecard as lines of text: each aspect with its trend, the service levels and
    whether it is below target (``docket vendor scorecard show``)."""
    lines = [f"{row['contract']} ({row['vendor']}), {row['start']} to {row['end']} (#{row['id']})"]
    for key, name in _ASPECT_NAMES.items():
        value = row["overall"] if key == "overall" else row[key]  # type: ignore[literal-required]
        lines.append(f"  {name + ':':<16}{value}  {_TREND_WORDS[row['trend'][key]]}")
    if row["levels_met"] is not None:
        lines.append(
            f"  {'service levels:':<16}{row['levels_met']} of {row['levels_total']}"
            f" met ({plain(Decimal(row['levels_percent'] or 0))} %)"
        )
    verdict = f"below target: {row['why']}" if row["below_target"] else "on target"
    lines.append(
        f"  {verdict} (targets: overall {plain(limits.score)}, service levels"
        f" {plain(limits.levels)} %)"
    )
    if row["note"]:
        lines.append(f"  note: {row['note']}")
    return lines


_TREND_WORDS = {
    "up": "↑ up from the period before",
    "down": "↓ down from the period before",
    "same": "= as the period before",
    "new": "(first period)",
}
