"""What a status digest covers, and the parts it is made of.

A digest covers programs (or all) for a period (this week, month or quarter, or the days
given); it is a list of :class:`Section`, each built by a function of the :class:`Scope`
(:mod:`docket.models.comms.digest_sections`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Generic, NamedTuple, TypedDict, TypeVar

from docket.models.contractors.allocation import OverallocationsOnce
from docket.models.core import inputs
from docket.models.core.config import Config
from docket.models.core.context import Context
from docket.models.core.dates import parse_date
from docket.models.core.errors import ValidationError
from docket.models.portfolio.evidence import ALLOCATION_DAYS, Shared
from docket.models.portfolio.programs import get_program, program_and_children

PERIODS = ("week", "month", "quarter")

# rows listed per list; the full count is always given
SHOWN = 10


class Scope(NamedTuple):
    """What a digest covers: programs (ids; None is all), the period [since, until] (days,
    inclusive), the next period of the same length, and today. A named tuple, as is
    :class:`Section`: dataclasses cost a digest's start several times as much to define."""

    program: str | None
    program_ids: list[int] | None
    since: date
    until: date
    today: date
    tz: Any
    # the office's settings (the evidence's thresholds); None: the defaults
    config: Config | None = None
    # what more than one section reads (burns, over-allocations), read once per digest
    shared: Shared | None = None

    @property
    def next_until(self) -> date:
        return self.until + (self.until - self.since) + timedelta(days=1)

    def instant(self, day: date) -> datetime:
        """Midnight at the start of ``day`` in the reader's zone, in UTC."""
        return datetime.combine(day, time(0), self.tz).astimezone(UTC)


class Section(NamedTuple):
    """One part of a digest: its key, title, facts and the line it says when empty."""

    key: str
    title: str
    facts: dict[str, Any]
    empty: str
    # whether there is anything to say
    said: bool = True
    # left out of the digest when there is nothing to say (a section of an area the office
    # may not use, such as proposals): the digest of an office without it stays as it was
    optional: bool = False


SectionBuilder = Callable[[Scope], Section]

Row = TypeVar("Row")


class Capped(TypedDict, Generic[Row]):
    """A list in a digest: its first :data:`SHOWN` rows and how many there are in all."""

    count: int
    items: list[Row]


def capped(rows: list[Row]) -> Capped[Row]:
    """``rows`` as a digest lists them: the first :data:`SHOWN` and the count."""
    return {"count": len(rows), "items": rows[:SHOWN]}


def within(column: Any, scope: Scope) -> Any:
    """SQL: ``column`` (a program id) is one of the scope's programs (any, for all)."""
    return True if scope.program_ids is None else column.in_(scope.program_ids)


def period_of(
    ctx: Context, period: str | None, since: str | None, until: str | None
) -> tuple[date, date]:
    """The days a digest covers: this week (Monday to Sunday), month or quarter, or the
    days given."""
    today = ctx.today()
    if since or until:
        if not (since and until):
            raise ValidationError("since", "give both --since and --until, or a --period")
        first = parse_date(since, today, field="since", day_first=ctx.day_first)
        last = parse_date(until, today, field="until", day_first=ctx.day_first)
        return inputs.window("until", first, last)
    word = (period or "week").strip().lower()
    if word == "week":
        first = today - timedelta(days=today.weekday())
        return first, first + timedelta(days=6)
    if word == "month":
        first = today.replace(day=1)
        following = (first + timedelta(days=32)).replace(day=1)
        return first, following - timedelta(days=1)
    if word == "quarter":
        first = today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
        following = (first + timedelta(days=95)).replace(day=1)
        return first, following - timedelta(days=1)
    raise ValidationError("period", f"expected one of {', '.join(PERIODS)}, got {period!r}")


def scope_of(
    ctx: Context, program: str | None, since: date, until: date, config: Config | None = None
) -> Scope:
    """The scope for a program (with the programs under it) or for all."""
    today = ctx.today()
    code, ids = None, None
    if program:
        ids = program_and_children(program)
        code = get_program(program).code
    scope = Scope(code, ids, since, until, today, ctx.tz, config)
    # the days the contractor section and the status evidence ask about over-allocation
    first = min(since, today)
    last = max(scope.next_until, today + timedelta(days=ALLOCATION_DAYS))
    return scope._replace(shared=Shared(overallocations=OverallocationsOnce(first, last)))
