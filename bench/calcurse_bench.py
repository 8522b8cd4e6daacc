"""The 30-day agenda beside calcurse's, on the same meetings (issue 22).

calcurse reads the calendar docket writes (``docket calendar -o``; ``calcurse -i``), its
appointments kept and its all-day events (docket's milestones, which ``meeting list`` does not
show) left out, so both hold the same meetings: every single meeting, every series with its
rule, moved occurrences and cancelled ones. Then ``calcurse -r30`` (the appointments of the
next 30 days) is timed beside ``docket meeting list --days 30``, each a fresh process, with
the wall time and the CPU time (user + system) of each, and the ratio docket / calcurse.
Skipped, with a line saying so, when calcurse is not installed (Debian package calcurse).
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

AGENDA = ["meeting", "list", "--days", "30"]


def _timed(command: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds (user + system of the child) of one run, its output discarded."""
    before = os.times()
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - started
    after = os.times()
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    return wall, cpu


def _medians(command: list[str], runs: int) -> tuple[float, float]:
    _timed(command)  # warm the page cache, as a user's second command would be
    walls, cpus = zip(*(_timed(command) for _ in range(runs)), strict=True)
    return statistics.median(walls), statistics.median(cpus)


def calcurse_data(db: Path, workdir: Path, calcurse: str) -> Path:
    """A calcurse data directory holding the demo's meetings, made from docket's calendar."""
    data = workdir / "calcurse"
    if data.exists():
        shutil.rmtree(data)
    data.mkdir()
    ics = workdir / "calcurse-import.ics"
    docket = [sys.executable, "-m", "docket.tui", "--db", str(db)]
    subprocess.run(
        [*docket, "calendar", "-o", str(ics), "--force"], check=True, capture_output=True
    )
    subprocess.run([calcurse, "-D", str(data), "-i", str(ics)], check=True, capture_output=True)
    apts = data / "apts"
    # appointments have a time ("MM/DD/YYYY @ HH:MM -> ..."); all-day events (milestones) not
    kept = [line for line in apts.read_text().splitlines(keepends=True) if " @ " in line]
    apts.write_text("".join(kept))
    (data / "todo").touch()
    return data


def report(db: Path, workdir: Path, runs: int) -> None:
    """Print docket's 30-day agenda and calcurse's, wall and CPU, and their ratios."""
    calcurse = shutil.which("calcurse")
    if calcurse is None:
        print("calcurse anchor: skipped: not installed (Debian package calcurse)")
        return
    data = calcurse_data(db, workdir, calcurse)
    count = sum(1 for _ in (data / "apts").open())
    ours = _medians([sys.executable, "-m", "docket.tui", "--db", str(db), *AGENDA], runs)
    theirs = _medians([calcurse, "-D", str(data), "-r30"], runs)
    label = "30-day agenda: docket meeting list --days 30"
    print(f"{label:48} {ours[0]:7.3f} s   median of {runs} (CPU {ours[1]:.3f} s)")
    label = f"30-day agenda: calcurse -r30 ({count:,} appointments)"
    print(f"{label:48} {theirs[0]:7.3f} s   median of {runs} (CPU {theirs[1]:.3f} s)")
    wall, cpu = ours[0] / theirs[0], ours[1] / max(theirs[1], 1e-3)
    verdict = "ok" if wall < 1 else "SLOW"
    print(
        f"{'30-day agenda: docket / calcurse':48} {wall:7.3f}     wall (CPU {cpu:.3f}); "
        f"target < 1 {verdict}"
    )
