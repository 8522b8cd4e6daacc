"""``portfolio select`` at the large scale, for ``make bench``: 400 proposals over 5 fiscal
years, 12 roles needed month by month, 6 criteria scored by 5 reviewers, a dependency on
one proposal in ten, a few mandatory; the budget lines hold about a third of what all
proposals cost, and each role has about half the people all proposals would need at once.

The intake is written straight into a fresh database (bulk inserts: this measures the
selection, not the write path), reproducibly (a fixed seed). Each run is a fresh process,
as a user's command is; the median of the runs is reported, with what the solver said.
"""

from __future__ import annotations

import json
import random
import statistics
import subprocess
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

PROPOSALS = 400
YEARS = range(2027, 2032)
ROLES = [f"role{k:02d}" for k in range(12)]
CRITERIA = ["Strategic alignment", "Risk reduction", "Mandate", "Citizen impact", "Cost", "Ease"]
REVIEWERS = [f"reviewer{k}" for k in range(5)]
TARGET_S = 2.0
# the months of the five fiscal years (FY2027 starts in July 2026)
MONTHS = [date(2026 + (6 + m) // 12, (6 + m) % 12 + 1, 1) for m in range(60)]


def build(path: Path, seed: int = 1) -> list[str]:
    """A database at ``path`` holding the large intake; returns the ``--people`` words."""
    from docket.models.core.database import connect, init_database
    from docket.models.core.schema import BudgetLine, Program, database
    from docket.models.core.schema_selection import (
        Criterion,
        Proposal,
        ProposalDependency,
        ProposalNeed,
        ProposalScore,
        ProposalYear,
    )

    init_database(path, actor="bench")
    connect(path)
    pick = random.Random(seed)
    totals = {y: Decimal(0) for y in YEARS}
    peak: dict[tuple[str, date], Decimal] = {}
    with database.atomic():
        program = Program.create(code="PMO", name="Portfolio office")
        criteria = [
            Criterion.create(name=name, weight=str(pick.randint(1, 9))) for name in CRITERIA
        ]
        years: list[dict[str, Any]] = []
        needs: list[dict[str, Any]] = []
        scores: list[dict[str, Any]] = []
        links: list[dict[str, Any]] = []
        made: list[int] = []
        for i in range(PROPOSALS):
            proposal = Proposal.create(
                code=f"P-{i + 1:04d}",
                title=f"Proposal {i + 1}",
                # approved proposals are commitments the selection must fund first: a few,
                # as in an office's intake, so the budget below leaves room to choose
                status="approved"
                if pick.random() < 0.03
                else pick.choice(["submitted", "in review"]),
                mandatory=pick.random() < 0.02,
            )
            made.append(proposal.id)
            start, length = pick.randrange(36), pick.randint(6, 30)
            span = MONTHS[start : start + length]
            size = pick.choice([50_000, 200_000, 1_000_000, 3_000_000])
            if proposal.mandatory:
                size = 50_000
            costs: dict[int, Decimal] = {}
            for month in span:
                year = month.year + 1 if month.month >= 7 else month.year
                share = Decimal(pick.randint(size // 2, size * 3 // 2)) / len(span)
                costs[year] = costs.get(year, Decimal(0)) + share.quantize(Decimal("0.01"))
            for year, amount in costs.items():
                capital = (amount * Decimal("0.6")).quantize(Decimal("0.01"))
                years.append(
                    {
                        "proposal": proposal.id,
                        "fiscal_year": year,
                        "capital": capital,
                        "operating": amount - capital,
                    }
                )
                totals[year] += amount
            for role in pick.sample(ROLES, pick.randint(1, 3)):
                people = Decimal(pick.choice(["0.5", "1", "1.5", "2"]))
                for month in span:
                    needs.append(
                        {
                            "proposal": proposal.id,
                            "role": role,
                            "month": month,
                            "people": str(people),
                        }
                    )
                    peak[role, month] = peak.get((role, month), Decimal(0)) + people
            for criterion in criteria:
                for reviewer in REVIEWERS:
                    scores.append(
                        {
                            "proposal": proposal.id,
                            "criterion": criterion.id,
                            "reviewer": reviewer,
                            "score": pick.randint(0, 10),
                        }
                    )
            if i > 5 and pick.random() < 0.1:
                links.append({"proposal": proposal.id, "needs": made[pick.randrange(i)]})
        for model, rows in (
            (ProposalYear, years),
            (ProposalNeed, needs),
            (ProposalScore, scores),
            (ProposalDependency, links),
        ):
            for start in range(0, len(rows), 2000):
                model.insert_many(rows[start : start + 2000]).execute()
        for year in YEARS:
            BudgetLine.create(
                program=program, fiscal_year=year, kind="capital", name="Projects",
                amount=(totals[year] / 3).quantize(Decimal(1)),
            )  # fmt: skip
    database.close()
    most = {role: max(v for (r, _), v in peak.items() if r == role) for role in ROLES}
    return [f"--people={role}={(most[role] / 2).quantize(Decimal(1))}" for role in ROLES]


def _run(db: Path, args: list[str]) -> tuple[float, str]:
    command = [sys.executable, "-m", "docket.tui", "--db", str(db), "portfolio", *args]
    started = time.perf_counter()
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    return time.perf_counter() - started, done.stdout


def report(workdir: Path, runs: int) -> None:
    """Build the large intake in ``workdir`` and time ``portfolio select`` on it."""
    db = workdir / "selection.db"
    if db.exists():
        db.unlink()
    started = time.perf_counter()
    people = build(db)
    print(f"{'build large intake (400 proposals)':48} {time.perf_counter() - started:7.2f} s")
    for label, args in (
        ("portfolio select (budget lines)", ["select"]),
        ("portfolio select (budget lines, 12 roles)", ["select", *people]),
    ):
        _run(db, args)  # warm the page cache
        times = sorted(_run(db, args)[0] for _ in range(runs))
        median = statistics.median(times)
        facts = json.loads(_run(db, [*args, "--format", "json"])[1])
        sturdy = facts["robustness"]
        verdict = "ok" if median < TARGET_S else "SLOW"
        print(
            f"{label:48} {median:7.3f} s   median of {runs} (min {times[0]:.3f}, max "
            f"{times[-1]:.3f}; target < {TARGET_S} s) {verdict}\n"
            f"{'':48} {len(facts['chosen'])} chosen, value {facts['value']}; "
            f"solver: {facts['status']}; robustness: {sturdy['solves']} re-solves, "
            f"{'all' if sturdy['complete'] else 'not all'} criteria searched, "
            f"{'proven' if sturdy['proven'] else 'not all proven'}"
        )


if __name__ == "__main__":
    import tempfile

    report(
        Path(tempfile.mkdtemp(prefix="docket-bench-")), int(sys.argv[1]) if len(sys.argv) > 1 else 7
    )
