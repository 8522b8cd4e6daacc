"""Program metrics: a name, unit, target, direction (higher or lower is better), amber and red
thresholds and a cadence; measurements over time.

The status of the latest measurement is green, amber or red against the thresholds, in the
metric's direction: for "higher", a value at or below red is red, at or below amber is
amber; for "lower", at or above.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from typing import Any, TypedDict

from peewee import JOIN, fn

from docket.models.core import records
from docket.models.core.context import Context
from docket.models.core.database import write
from docket.models.core.dates import parse_date
from docket.models.core.errors import ValidationError
from docket.models.core.inputs import choice, shown, text, typed_id
from docket.models.core.lookup import exactly_one
from docket.models.core.schema import (
    METRIC_DIRECTIONS,
    Measurement,
    Metric,
    Program,
    database,
)
from docket.models.portfolio.programs import get_program, program_and_children

# a measured value as people write it: 99.95, -3, 12.5% (no exponents, nan or infinities)
_NUMBER = re.compile(r"[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)")

# what a metric can mean: at most 15 digits before the point and 6 after
_LARGEST = Decimal(10) ** 15

_PLACES = 6


def number(field: str, typed: str | int | Decimal) -> Decimal:
    """A measured value or threshold as a Decimal (99.95 stays 99.95)."""
    cleaned = str(typed).strip().rstrip("%").strip()
    if not isinstance(typed, int | Decimal) and not _NUMBER.fullmatch(cleaned):
        raise ValidationError(field, f"expected a number such as 99.5 or 12, got {shown(cleaned)}")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValidationError(field, f"expected a number, got {shown(cleaned)}") from None
    if not value.is_finite() or abs(value) >= _LARGEST:
        raise ValidationError(field, f"expected a number below {_LARGEST:,}, got {shown(cleaned)}")
    if value != value.quantize(Decimal(1).scaleb(-_PLACES), rounding=ROUND_DOWN):
        raise ValidationError(
            field, f"expected at most {_PLACES} decimal places, got {shown(cleaned)}"
        )
    return value


def status_of(metric: Metric, value: Decimal) -> str:
    """green, amber or red for a value, in the metric's direction."""
    return reading_status(metric.direction, metric.amber, metric.red, value)


def reading_status(direction: str, amber_text: str, red_text: str, value: Decimal) -> str:
    """:func:`status_of` from a metric's direction and thresholds (as stored, text), for
    reads that take them as plain columns."""
    amber, red = Decimal(amber_text), Decimal(red_text)
    if direction == "higher":
        return "red" if value <= red else "amber" if value <= amber else "green"
    return "red" if value >= red else "amber" if value >= amber else "green"


def add_metric(
    ctx: Context,
    name: str,
    *,
    program: str | None,
    direction: str,
    target: str,
    amber: str,
    red: str,
    unit: str = "",
    cadence: str = "",
) -> Metric:
    """A metric; its thresholds must sit on the right side of each other for its direction."""
    way = choice("direction", direction, METRIC_DIRECTIONS)
    goal, warn, bad = number("target", target), number("amber", amber), number("red", red)
    _check_thresholds(way, goal, warn, bad)
    cleaned = text("name", name)
    with write():
        owner = get_program(program) if program else None
        _refuse_a_second(cleaned, owner)
        return records.create(
            ctx,
            Metric,
            program=owner,
            name=cleaned,
            unit=text("unit", unit, required=False),
            direction=way,
            target=str(goal),
            amber=str(warn),
            red=str(bad),
            cadence=text("cadence", cadence, required=False),
        )


def _refuse_a_second(name: str, program: Program | None, *, keep: int | None = None) -> None:
    """A program measures each thing once: a second metric of the same name in the same
    program (or among the portfolio-wide ones) is refused, not left to the database."""
    same = Metric.select().where(
        fn.lower(Metric.name) == name.lower(),
        Metric.program.is_null() if program is None else Metric.program == program,
    )
    if keep is not None:
        same = same.where(Metric.id != keep)
    existing = same.first()
    if existing is not None:
        where = f"in {program.code}" if program is not None else "portfolio-wide"
        raise ValidationError(
            "name", f"a metric named {shown(existing.name)} already exists {where} (#{existing.id})"
        )


def _check_thresholds(way: str, goal: Decimal, warn: Decimal, bad: Decimal) -> None:
    """Red, amber and target must sit in order for the metric's direction."""
    ordered = bad < warn < goal if way == "higher" else goal < warn < bad
    if not ordered:
        sign = "<" if way == "higher" else ">"
        raise ValidationError(
            "amber",
            f"expected red {sign} amber {sign} target when {way} is better, "
            f"got red {bad}, amber {warn}, target {goal}",
        )


METRIC_FIELDS = ("name", "unit", "direction", "target", "amber", "red", "cadence")


def update_metric(
    ctx: Context,
    metric: str | int,
    version: int | None = None,
    *,
    program: str | None = None,
    **changes: Any,
) -> Metric:
    """Change the one metric ``metric`` names (in ``program``, when given): name, unit,
    direction, target, amber, red, cadence; the thresholds it ends with must be in order for
    the direction it ends with."""
    unknown = set(changes) - set(METRIC_FIELDS)
    if unknown:
        raise ValidationError(sorted(unknown)[0], "is not a field of a metric")
    values: dict[str, Any] = {}
    if "name" in changes:
        values["name"] = text("name", changes["name"])
    for name in ("unit", "cadence"):
        if name in changes:
            values[name] = text(name, changes[name], required=False)
    if "direction" in changes:
        values["direction"] = choice("direction", changes["direction"], METRIC_DIRECTIONS)
    for name in ("target", "amber", "red"):
        if name in changes:
            values[name] = str(number(name, changes[name]))
    with write():
        found = find_metric(metric, program)
        if version is not None:
            found = records.get_current(Metric, found.id, version)
        merged = {n: values.get(n, getattr(found, n)) for n in ("target", "amber", "red")}
        if "name" in values:
            _refuse_a_second(values["name"], found.program, keep=found.id)
        _check_thresholds(
            values.get("direction", found.direction),
            Decimal(merged["target"]),
            Decimal(merged["amber"]),
            Decimal(merged["red"]),
        )
        return records.update(ctx, found, found.version, **values)


def find_metric(typed: str | int, program: str | None = None) -> Metric:
    """The one metric ``typed`` names (its id, or its name in ``program`` when given); a name
    that several programs' metrics share is refused with them, never guessed."""
    number = typed if isinstance(typed, int) else typed_id(typed)
    if number is not None:
        return records.get(Metric, number)
    query = (
        Metric.select(Metric, Program)
        .join(Program, JOIN.LEFT_OUTER)
        .where(fn.lower(Metric.name) == str(typed).strip().lower())
    )
    if program:
        query = query.where(Metric.program == get_program(program))
    return exactly_one(
        "metric",
        str(typed),
        list(query.order_by(Program.code, Metric.id)),
        noun="metric",
        describe=lambda m: f"#{m.id} in {m.program.code if m.program else 'no program'}",
        narrow="give --program or the metric's id",
    )


def record_measurement(
    ctx: Context,
    metric: str | int,
    value: str,
    *,
    on: str | None = None,
    note: str = "",
    program: str | None = None,
) -> Measurement:
    """Record a reading of the one metric ``metric`` names (in ``program``, when given)."""
    day = parse_date(on, ctx.today(), field="date", day_first=ctx.day_first) if on else ctx.today()
    reading = number("value", value)
    with write():
        return records.create(
            ctx, Measurement, metric=find_metric(metric, program), taken_on=day, value=str(reading),
            note=text("note", note, required=False),
        )  # fmt: skip


class MetricHead(TypedDict):
    """A metric and its thresholds, as every view of it starts (the list, the charts)."""

    id: int
    program: str | None
    name: str
    unit: str
    direction: str
    # numbers as text, so 99.95 stays 99.95
    target: str
    amber: str
    red: str


class MetricFacts(MetricHead):
    """One metric with its latest value, its status and its history (oldest first)."""

    latest: str | None
    taken_on: str | None
    # green, amber, red, or no data
    status: str
    history: list[str]


# a metric's name and unit, and the rule its status follows, as both reads select them
_RULED = (Metric.name, Metric.unit, Metric.direction, Metric.target, Metric.amber, Metric.red)


def metrics(program: str | None = None) -> list[MetricFacts]:
    """Metrics with their latest value, its status and their history (oldest first)."""
    # the metrics as plain rows: no model object each
    heads: Any = (
        Metric.select(Metric.id, Program.code, *_RULED)
        .join(Program, JOIN.LEFT_OUTER)
        .order_by(Metric.name, Program.code)
        .tuples()
    )
    readings_read: Any = Measurement.select(
        Measurement.metric, Measurement.value, Measurement.taken_on
    ).order_by(Measurement.taken_on, Measurement.id)
    if program:
        ids = program_and_children(program)
        heads = heads.where(Metric.program.in_(ids))
        # the readings of those metrics: a subquery, not a parameter per metric
        scoped = Metric.select(Metric.id).where(Metric.program.in_(ids))
        readings_read = readings_read.where(Measurement.metric.in_(scoped))
    found = list(heads)
    history: dict[int, list[tuple[str, date]]] = {}
    # the cursor's own rows, only the day converted: hundreds of readings
    day = Measurement.taken_on.python_value
    for metric_id, value, taken_on in database.execute(readings_read):
        history.setdefault(metric_id, []).append((value, day(taken_on)))
    rows: list[MetricFacts] = []
    for ident, code, *ruled in found:
        head = _head(ident, code, ruled)
        readings = history.get(ident, [])
        latest = readings[-1] if readings else None
        rows.append(
            {
                **head,
                "latest": latest[0] if latest else None,
                "taken_on": latest[1].isoformat() if latest else None,
                "status": _status(head, latest[0]) if latest else "no data",
                "history": [value for value, _ in readings],
            }
        )
    return rows


def _head(ident: int, code: str | None, ruled: Sequence[str]) -> MetricHead:
    """A metric's head from its id, its program's code and the columns of ``_RULED``."""
    name, unit, direction, target, amber, red = ruled
    return {
        "id": ident,
        "program": code,
        "name": name,
        "unit": unit,
        "direction": direction,
        "target": target,
        "amber": amber,
        "red": red,
    }


def _status(head: MetricHead, reading: str) -> str:
    """The status of a reading of this metric, by the metric's own rule."""
    return reading_status(head["direction"], head["amber"], head["red"], Decimal(reading))


class MetricLatest(MetricHead):
    """A metric with its latest reading and that reading's status, without the history."""

    program_id: int | None
    latest: str
    status: str


def latest_metrics(program_ids: Iterable[int] | None = None) -> list[MetricLatest]:
    """The metrics (of these program ids, or all) that have a reading, each with its latest
    (the last day's, the last entered that day, as in :func:`metrics`) and its status, in
    the order of :func:`metrics`: one query, only the latest readings read (Today's alerts
    and the evidence need no history)."""
    reading = Measurement.alias()
    newest = (
        reading.select(reading.id)
        .where(reading.metric == Metric.id)
        .order_by(reading.taken_on.desc(), reading.id.desc())
        .limit(1)
    )
    query: Any = (
        Metric.select(Metric.id, Metric.program, Program.code, *_RULED, Measurement.value)
        .join(Measurement, on=(Measurement.metric == Metric.id) & (Measurement.id == newest))
        .join_from(Metric, Program, JOIN.LEFT_OUTER)
        .order_by(Metric.name, Program.code)
        .tuples()  # plain rows: no model object per metric
    )
    if program_ids is not None:
        query = query.where(Metric.program.in_(list(program_ids)))
    rows: list[MetricLatest] = []
    for ident, program_id, code, *ruled, latest in query:
        head = _head(ident, code, ruled)
        rows.append(
            {**head, "program_id": program_id, "latest": latest, "status": _status(head, latest)}
        )
    return rows
