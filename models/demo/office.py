"""The state one demo build shares: its random source, its clock, and what it has made so far.

Every choice comes from one ``random.Random(seed)`` and every date and time is relative to
the context's clock, so the same seed on the same clock gives byte-identical data. The
builders (people, programs, contractors, milestones, meetings, comms, actions, governance)
are functions of an :class:`Office`, called in a fixed order: the order of the draws is
part of the data.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from docket.models.core.context import Context
from docket.models.demo.data_office import HOME_ZONE, PROGRAMS, VENDORS


@dataclass(frozen=True)
class Scale:
    """How many of each record a demo size has."""

    programs: int
    people: int
    actions: int
    meetings: int
    series: int
    milestones: int
    comms: int
    assignments: int
    contracts: int
    vendors: int


@dataclass(frozen=True)
class ContractFacts:
    """What later records need to know about a contract."""

    id: int
    vendor: int
    program: int
    start: date
    end: date


@dataclass(frozen=True)
class Held:
    """One held meeting occurrence with minutes, which action items can point back to."""

    meeting: int
    program: int
    start: datetime


class Office:
    """One demo office being built: the random source, the clock, and the ids made so far
    (people, programs and vendors by id; who is in which team)."""

    def __init__(self, ctx: Context, scale: Scale, seed: int) -> None:
        self.ctx = ctx
        self.scale = scale
        self.rng = random.Random(seed)
        self.now = ctx.now()
        self.today = ctx.today()
        self.home = ZoneInfo(HOME_ZONE)
        self.specs = PROGRAMS[: scale.programs]
        self.program_id = {spec.code: i for i, spec in enumerate(self.specs, start=1)}
        self.leaves = [self.program_id[s.code] for s in self.specs if s.parent is not None]
        self.weights = [self.specs[pid - 1].weight for pid in self.leaves]
        self.names: list[str] = [""]  # index by person id
        self.staff: list[int] = []
        self.stakeholders: list[int] = []
        self.contractors: list[int] = []
        self.directors: list[int] = []
        self.organization: dict[int, str] = {}
        self.title: dict[int, str] = {}
        self.owner: dict[int, int] = {}
        self.vendor_names = [name for name, _ in VENDORS[: scale.vendors]]
        self.vendor_contact: dict[int, int] = {}
        self.steering: dict[int, list[int]] = {}
        self.team: dict[int, list[int]] = {}
        self.pmo: list[int] = []
        self.group_id: dict[str, int] = {}
        self.contracts: list[ContractFacts] = []
        self.program_vendors: dict[int, list[int]] = {pid: [] for pid in self.leaves}
        self.assigned: dict[int, list[int]] = {pid: [] for pid in self.leaves}
        self.held: list[Held] = []

    def at(self, day: date, hour: int = 9, minute: int = 0) -> datetime:
        """An instant: a wall-clock time in the home zone on ``day``, in UTC."""
        return datetime.combine(day, time(hour, minute), self.home).astimezone(UTC)

    def days_ago(self, low: int, high: int) -> datetime:
        """A business-hours instant between ``high`` and ``low`` days ago, never in the future."""
        day = self.today - timedelta(days=self.rng.randint(low, high))
        return min(self.now, self.at(day, self.rng.randint(8, 17), self.rng.choice((0, 15, 30))))

    def stamp(self, at: datetime) -> tuple[datetime, datetime, int]:
        """created_at, updated_at and version of a record made at ``at`` and never changed."""
        return (at, at, 1)

    def pick_leaf(self) -> int:
        """A program (not a portfolio), the busier ones more often."""
        return self.rng.choices(self.leaves, self.weights)[0]

    def sample(self, pool: Sequence[int], low: int, high: int) -> list[int]:
        """Between ``low`` and ``high`` distinct people from ``pool`` (fewer if it is small)."""
        return self.rng.sample(pool, min(len(pool), self.rng.randint(low, high)))

    def created_before(self, start: datetime) -> tuple[datetime, datetime, int]:
        """The stamp of a record made one to three weeks before ``start`` (never later than now)."""
        at = start.astimezone(UTC) - timedelta(days=self.rng.randint(7, 21), hours=3)
        latest = self.now - timedelta(hours=self.rng.randint(1, 72))
        return self.stamp(min(latest, at))


def spread(total: int, weights: Sequence[int]) -> list[int]:
    """``total`` split in proportion to ``weights``, summing exactly (largest remainder)."""
    whole = sum(weights)
    shares = [total * w // whole for w in weights]
    by_remainder = sorted(range(len(weights)), key=lambda i: (-(total * weights[i] % whole), i))
    for i in by_remainder[: total - sum(shares)]:
        shares[i] += 1
    return shares


def ascii_letters(text: str) -> str:
    """Lower-case letters and digits only, accents dropped: for e-mail addresses."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in folded.lower() if c.isalnum())


def weekday_on_or_after(day: date, weekday: int) -> date:
    """The first day on or after ``day`` that falls on ``weekday`` (Monday 0)."""
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def workday(day: date, *, back: bool = False) -> date:
    """The day itself, or for a weekend the Monday after (the Friday before when ``back``)."""
    if day.weekday() < 5:
        return day
    return (
        day - timedelta(days=day.weekday() - 4) if back else day + timedelta(days=7 - day.weekday())
    )
