"""The allocation contractor assignments add up to, derived here in one place: each person's
allocation on each day and per month across all programs, and over-allocation (above 100 %
on some day, with the days and the assignments causing it), also before a change is saved.

Allocation changes only where an assignment starts or ends, so a person's days are walked
as the spans between those edges, never day by day: a year for a thousand people is a few
thousand spans from one query.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from itertools import pairwise
from typing import Any, NamedTuple, TypedDict

from docket.models.contractors.assignments import FULL, checked_allocation
from docket.models.contractors.contracts import typed_day
from docket.models.core import records
from docket.models.core.context import Context
from docket.models.core.errors import DocketError
from docket.models.core.schema import Assignment, Person
from docket.models.people.directory import find_person, labels


class Span(NamedTuple):
    """Days [first, last] over which one person's allocation is constant (a named tuple: a
    frozen dataclass costs every command that imports this several times as much)."""

    first: date
    last: date
    total: int
    assignments: tuple[int, ...]

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


class Booking(NamedTuple):
    """What allocation needs of an assignment: read as plain rows, since a year of
    allocation for a whole portfolio reads thousands."""

    id: int
    person: str
    start: date
    end: date
    allocation: int


def spans(mine: Sequence[Booking], first: date, last: date) -> list[Span]:
    """One person's allocation over [first, last] as spans of constant total."""
    edges = {first, last + timedelta(days=1)}
    for a in mine:
        edges.add(max(first, a.start))
        edges.add(min(last, a.end) + timedelta(days=1))
    cuts = sorted(d for d in edges if first <= d <= last + timedelta(days=1))
    found = []
    for here, there in pairwise(cuts):
        active = [a for a in mine if a.start <= here <= a.end]
        if active:
            total = sum(a.allocation for a in active)
            found.append(Span(here, there - timedelta(days=1), total, tuple(a.id for a in active)))
    return found


def _by_person(
    first: date,
    last: date,
    people: Iterable[int] | None = None,
    leaving_out: int | None = None,
    program_of: dict[int, int] | None = None,
) -> dict[int, list[Booking]]:
    """Each person's bookings over [first, last]; ``program_of``, when given, takes each
    booking's program (by assignment id)."""
    query: Any = (  # person id, then a Booking's fields, then the program
        Assignment.select(
            Assignment.person,
            Assignment.id,
            Person.name,
            Assignment.start,
            Assignment.end,
            Assignment.allocation,
            Assignment.program,
        )
        .join(Person)
        .where(Assignment.start <= last, Assignment.end >= first)
        .order_by(Assignment.start, Assignment.id)
    )
    if people is not None:
        query = query.where(Assignment.person.in_(list(people)))
    if leaving_out is not None:
        query = query.where(Assignment.id != leaving_out)
    found: dict[int, list[Booking]] = {}
    # the cursor's own rows, only the days converted: a portfolio's year is thousands
    day = Assignment.start.python_value
    rows: Any = Assignment._meta.database.execute(query)
    for person_id, ident, name, start, end, allocation, program in rows:
        booking = Booking(ident, name, day(start), day(end), allocation)
        found.setdefault(person_id, []).append(booking)
        if program_of is not None:
            program_of[ident] = program
    return found


# One person above 100 %: their peak, the days over, the first and last such day, the runs
# of days over (pairs of ISO days) and the assignments that cause it. Declared by a call,
# not a class: "from" is a Python keyword.
Overallocation = TypedDict(
    "Overallocation",
    {
        "person_id": int,
        "person": str,
        "peak": int,
        "days": int,
        "from": str,
        "to": str,
        "spans": list[tuple[str, str]],
        "assignments": list[int],
    },
)


def overallocations(
    first: date,
    last: date,
    people: Iterable[int] | None = None,
    *,
    proposed: tuple[int, Booking] | None = None,
    leaving_out: int | None = None,
) -> list[Overallocation]:
    """People above 100 % on some day of [first, last]: the peak, the days over, the first
    and last such day, the runs of days over (``spans``: pairs of ISO days) and the
    assignments that cause it; the highest peak first. ``proposed`` (a person's id and a
    booking not saved yet, id 0) and ``leaving_out`` (an assignment being changed) answer
    "what if" before a save."""
    booked = _by_person(first, last, people, leaving_out)
    if proposed is not None:
        person_id, booking = proposed
        booked.setdefault(person_id, []).append(booking)
    return _over(booked, labels(booked), first, last)


def _over(
    booked: dict[int, list[Booking]], shown: dict[int, str], first: date, last: date
) -> list[Overallocation]:
    """The people of ``booked`` above 100 % on some day of [first, last], labelled by
    ``shown``: :func:`overallocations` once the bookings are read."""
    found: list[Overallocation] = []
    for person_id, mine in booked.items():
        # no day is above 100 % when all of a person's bookings together are not
        if sum(b.allocation for b in mine) <= FULL:
            continue
        over = [s for s in spans(mine, first, last) if s.total > FULL]
        if not over:
            continue
        causing = sorted({i for s in over for i in s.assignments})
        found.append(
            {
                "person_id": person_id,
                "person": shown[person_id],
                "peak": max(s.total for s in over),
                "days": sum(s.days for s in over),
                "from": over[0].first.isoformat(),
                "to": over[-1].last.isoformat(),
                "spans": _runs(over),
                "assignments": [i for i in causing if i],
            }
        )
    found.sort(key=lambda r: (-r["peak"], r["person"]))
    return found


class OverallocationsOnce:
    """:func:`overallocations` for one piece of work (a digest) whose parts ask about
    different days and people within [first, last]: everyone's bookings over those days and
    their labels are read once, and each call takes the bookings of its days and people, in
    the order a read of its own gives, so its answer is the same. A call outside the days
    reads for itself. Per call, never global: the data may change between calls."""

    def __init__(self, first: date, last: date) -> None:
        self.first, self.last = first, last
        self._booked: dict[int, list[Booking]] | None = None
        self._shown: dict[int, str] | None = None
        self._program_of: dict[int, int] = {}

    def _read(self) -> dict[int, list[Booking]]:
        if self._booked is None:
            self._booked = _by_person(self.first, self.last, program_of=self._program_of)
        return self._booked

    def __call__(
        self, first: date, last: date, people: Iterable[int] | None = None
    ) -> list[Overallocation]:
        if first < self.first or last > self.last:
            return overallocations(first, last, people)
        read = self._read()
        if self._shown is None:
            self._shown = labels(read)
        wanted = None if people is None else set(people)
        booked: dict[int, list[Booking]] = {}
        for person_id, mine in read.items():
            if wanted is not None and person_id not in wanted:
                continue
            kept = [b for b in mine if b.start <= last and b.end >= first]
            if kept:
                booked[person_id] = kept
        # a person's first booking in the window decides their place, as in _by_person's
        # read: the people in the order of their first kept booking (start, then id)
        ordered = sorted(booked.items(), key=lambda item: (item[1][0].start, item[1][0].id))
        return _over(dict(ordered), self._shown, first, last)

    def assignments(
        self, first: date, last: date, program_ids: Iterable[int]
    ) -> list[tuple[int, int, int]] | None:
        """The assignments of these programs on some day of [first, last], each as its id,
        person and program, from the bookings read once; None for days outside those read
        (the caller then reads for itself)."""
        if first < self.first or last > self.last:
            return None
        programs = set(program_ids)
        program_of = self._program_of
        return [
            (b.id, person_id, program_of[b.id])
            for person_id, mine in self._read().items()
            for b in mine
            if b.start <= last and b.end >= first and program_of[b.id] in programs
        ]


def _runs(over: list[Span]) -> list[tuple[str, str]]:
    """Spans that touch merged into runs of consecutive days, as ISO pairs."""
    runs: list[list[date]] = []
    for span in over:
        if runs and runs[-1][1] + timedelta(days=1) == span.first:
            runs[-1][1] = span.last
        else:
            runs.append([span.first, span.last])
    return [(a.isoformat(), b.isoformat()) for a, b in runs]


def overload(
    person: Person | int,
    first: date,
    last: date,
    *,
    allocation: int | None = None,
    leaving_out: int | None = None,
) -> Overallocation | None:
    """The person's over-allocation over [first, last] (as :func:`overallocations` gives
    it), counting an assignment of ``allocation`` over those days that is not saved yet
    (when given) and leaving out the one being changed; None when they stay within 100 %."""
    person_id = person if isinstance(person, int) else person.id
    proposed = None
    if allocation is not None:
        proposed = (person_id, Booking(0, "", first, last, allocation))
    rows = overallocations(first, last, [person_id], proposed=proposed, leaving_out=leaving_out)
    return rows[0] if rows else None


def overload_text(row: Overallocation, *, would: bool = False) -> str:
    """One line naming who, the days over 100 % and the peak, for the command line and
    (``would``: before saving) the assignment form."""
    runs = [a if a == b else f"{a} to {b}" for a, b in row["spans"]]
    shown = ", ".join(runs[:4]) + (f" and {len(runs) - 4} more" if len(runs) > 4 else "")
    days = "1 day" if row["days"] == 1 else f"{row['days']} days"
    verb = "would be" if would else "is"
    return f"{row['person']} {verb} over 100 % on {days} ({shown}); peak {row['peak']} %"


def overload_preview(
    ctx: Context,
    *,
    person: str | None,
    allocation: str,
    start: str,
    end: str,
    leaving_out: int | None = None,
) -> str:
    """What saving an assignment as typed would do to its person (``person``, or the one of
    the assignment ``leaving_out`` being edited): :func:`overload_text`, or "" when they
    stay within 100 % or the fields do not yet say enough to tell."""
    try:
        first, last = typed_day(ctx, "start", start), typed_day(ctx, "end", end)
        share = checked_allocation(allocation)
        if person:
            who = find_person(person, field="person").id
        elif leaving_out is not None:
            who = records.get(Assignment, leaving_out).__data__["person"]
        else:
            return ""
    except DocketError:
        return ""
    if last < first:
        return ""
    row = overload(who, first, last, allocation=share, leaving_out=leaving_out)
    return overload_text(row, would=True) if row else ""


def month_starts(first: date, months: int) -> list[date]:
    """The first days of ``months`` months from ``first``'s month."""
    day = first.replace(day=1)
    found = []
    for _ in range(months):
        found.append(day)
        day = (day + timedelta(days=32)).replace(day=1)
    return found


class MonthCell(TypedDict):
    """A person's allocation in one month: the average over its days, and the peak day."""

    average: int
    peak: int


class PersonMonths(TypedDict):
    """One person's allocation month by month."""

    person_id: int
    person: str
    months: list[MonthCell]


class Allocation(TypedDict):
    """Allocation by month (``docket allocation --format json``): the months, as
    ``2026-12``, and each person's cells."""

    months: list[str]
    people: list[PersonMonths]


def allocation_by_month(
    first: date, months: int, people: Iterable[int] | None = None
) -> Allocation:
    """Each person's allocation per month (the average over the month's days, rounded) and
    peak (the highest day), across all programs; people with none are left out, and with
    ``people`` (ids), everyone else too."""
    starts = month_starts(first, months)
    last = (starts[-1] + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    rows: list[PersonMonths] = []
    booked = _by_person(starts[0], last, people)
    shown = labels(booked)
    for person_id, mine in booked.items():
        cells: list[MonthCell] = []
        for month in starts:
            month_end = (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
            parts = spans(mine, month, month_end)
            days = (month_end - month).days + 1
            average = sum(s.total * s.days for s in parts) / days
            cells.append(
                {"average": round(average), "peak": max((s.total for s in parts), default=0)}
            )
        rows.append({"person_id": person_id, "person": shown[person_id], "months": cells})
    rows.sort(key=lambda r: r["person"].lower())
    return {"months": [m.strftime("%Y-%m") for m in starts], "people": rows}
