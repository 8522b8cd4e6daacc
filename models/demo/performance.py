"""The demo's vendor performance: the service levels of the office's longest-running
contracts and a scorecard for each calendar quarter of the last two years they ran; one
vendor's scores fall quarter after quarter, below target."""

from __future__ import annotations

from datetime import date, timedelta

from docket.models.core.schema_selection import Scorecard, ServiceLevel
from docket.models.demo.data_selection import SCORECARD_NOTES, SERVICE_LEVELS
from docket.models.demo.office import ContractFacts
from docket.models.demo.selection import Choosing
from docket.models.demo.storage import STAMP, Row, insert

SCORECARD_COLUMNS = (
    "contract", "period_start", "period_end", "quality", "timeliness", "cost_control",
    "responsiveness", "levels_met", "levels_total", "note",
)  # fmt: skip
QUARTERS = 8
# a period shorter than this is not scored
SHORTEST_DAYS = 30


def performance(state: Choosing) -> dict[str, int]:
    """Service levels and quarterly scorecards; the first contract scored is the falling one."""
    office = state.office
    today = office.today
    running = sorted(office.contracts, key=lambda c: (c.end < today, c.start, c.id))
    scored = running[: state.scale.scored_contracts]
    state.declining_vendor = scored[0].vendor if scored else None
    levels: list[Row] = []
    cards: list[Row] = []
    for n, contract in enumerate(scored):
        names = [SERVICE_LEVELS[0], *state.rng.sample(SERVICE_LEVELS[1:], state.rng.randint(1, 3))]
        made = office.at(contract.start, 11)
        levels += [(contract.id, name, target, made, made, 1) for name, target in names]
        cards += _scorecards(state, contract, len(names), declining=n == 0)
    return {
        "service levels": insert(ServiceLevel, ("contract", "name", "target", *STAMP), levels),
        "scorecards": insert(Scorecard, (*SCORECARD_COLUMNS, *STAMP), cards),
    }


def _quarters(today: date) -> list[tuple[date, date]]:
    """The last ``QUARTERS`` calendar quarters ended before ``today``, oldest first."""
    index = today.year * 4 + (today.month - 1) // 3 - 1
    quarters = []
    for q in range(index - QUARTERS + 1, index + 1):
        year, quarter = divmod(q, 4)
        start = date(year, quarter * 3 + 1, 1)
        following = date(year + (quarter == 3), (quarter + 1) % 4 * 3 + 1, 1)
        quarters.append((start, following - timedelta(days=1)))
    return quarters


def _scorecards(
    state: Choosing, contract: ContractFacts, total: int, *, declining: bool
) -> list[Row]:
    """A scorecard per quarter of the contract's life; falling from good to poor when
    ``declining``, else steady with a little noise."""
    office, rng = state.office, state.rng
    periods = [
        (max(start, contract.start), min(end, contract.end))
        for start, end in _quarters(office.today)
    ]
    periods = [(s, e) for s, e in periods if (e - s).days + 1 >= SHORTEST_DAYS]
    rows: list[Row] = []
    for k, (start, end) in enumerate(periods):
        share = k / max(1, len(periods) - 1)
        if declining:  # from 4.5 to 2, and from every level met to one
            level, noise = 4.5 - 2.5 * share, 0.3
            met = total - round(share * (total - 1))
        else:
            level, noise = rng.uniform(3.4, 4.6), 0.6
            met = total - (rng.random() < 0.25)
        aspects = [max(1, min(5, round(level + rng.uniform(-noise, noise)))) for _ in range(4)]
        mood = "poor" if sum(aspects) / 4 < 3 else "good" if met == total else "mixed"
        note = rng.choice(SCORECARD_NOTES[mood])
        at = min(office.now, office.at(end + timedelta(days=10), 10))
        rows.append((contract.id, start, end, *aspects, met, total, note, at, at, 1))
    return rows
