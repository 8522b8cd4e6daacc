"""The demo's milestones: each program's phases in order, done, late, slipped and on track,
each depending on the one before."""

from __future__ import annotations

from datetime import date, timedelta

from docket.models.core.schema import Milestone, MilestoneDependency
from docket.models.demo.data_schedule import PHASES
from docket.models.demo.office import Office, spread
from docket.models.demo.storage import STAMP, insert


def milestones(office: Office) -> tuple[int, int]:
    """Each program's milestones in phase order: done, late, slipped and on track."""
    columns = ("id", "program", "title", "owner", "baseline", "forecast", "actual")
    rows, links = [], []
    staff = set(office.staff)
    mid = 0
    for pid, count in zip(
        office.leaves, spread(office.scale.milestones, office.weights), strict=True
    ):
        first = office.today - timedelta(days=office.rng.randint(300, 500))
        span = office.rng.randint(550, 950)
        owners = [p for p in office.team[pid] if p in staff] or [office.owner[pid]]
        for j in range(count):
            mid += 1
            baseline = first + timedelta(days=span * j // max(1, count) + office.rng.randint(-5, 5))
            forecast, actual = _milestone_dates(office, baseline)
            title, deliverable, criteria = PHASES[j % len(PHASES)]
            if j >= len(PHASES):
                title = f"{title}, release {j // len(PHASES) + 1}"
            rows.append(
                (
                    mid,
                    pid,
                    title,
                    office.rng.choice(owners),
                    baseline,
                    forecast,
                    actual,
                    deliverable,
                    criteria,
                    *office.stamp(min(office.now, office.at(first - timedelta(days=30), 10))),
                )
            )
            if j > 0:
                links.append((mid, mid - 1, *office.stamp(office.at(first, 10))))
    return (
        insert(Milestone, (*columns, "deliverable", "acceptance_criteria", *STAMP), rows),
        insert(MilestoneDependency, ("milestone", "predecessor", *STAMP), links),
    )


def _milestone_dates(office: Office, baseline: date) -> tuple[date, date | None]:
    """Forecast and actual for a milestone, chosen so each derived status occurs."""
    rng, today = office.rng, office.today
    ahead = (baseline - today).days
    if ahead < -14:
        if rng.random() < 0.85:  # done, a little early or late
            actual = min(
                today - timedelta(days=1),
                baseline + timedelta(days=rng.choice((-7, -3, 0, 0, 0, 2, 5, 9, 14, 21))),
            )
            return actual, actual
        late = today - timedelta(days=rng.randint(1, 40))
        return max(baseline, late), None
    if ahead < 30:
        roll = rng.random()
        if roll < 0.25:
            return today - timedelta(days=rng.randint(1, 13)), None  # late
        if roll < 0.45:
            actual = today - timedelta(days=rng.randint(0, 10))
            return actual, actual
    if rng.random() < 0.6 and baseline >= today:  # on track, sometimes ahead of plan
        return max(today, baseline - timedelta(days=rng.choice((0, 0, 0, 3, 7)))), None
    return max(today, baseline) + timedelta(days=rng.choice((7, 14, 21, 30, 45, 60))), None
