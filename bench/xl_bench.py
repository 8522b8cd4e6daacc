"""`make bench-xl`: issue 22's figures at a million action items (the xl demo).

Builds the xl demo once (timed), then measures, medians with targets beside them: the action
list's filter keystroke (the domain search the screen runs for each key: the page it draws,
then the count it shows after), the list commands with ``--limit 50``, the whole overdue
list written to a file (time and the process's peak memory), ``today``, and the app's
launch to Today drawn beside a bare Textual app's (bench/launch_bench.py). Taskwarrior,
where installed, is measured on the same items in the same run. Not part of ``make test``:
the build alone takes minutes.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from bench import RUNS, docket

# the filter keystroke, at any size (issue 22)
KEYSTROKE_TARGET_S = 0.05
KEYSTROKE_RUNS = 15
# (what, typed): what the filter is typed with
WORDS = (
    ("a word that matches nothing", "zqxjv"),
    ("a common word", "vendor"),
    ("a very common word", "the"),
    # under three characters: the trigrams beginning with the term, from the index's
    # vocabulary; a common term is the LIKE test alone (models/actions/search.py)
    ("two letters found nowhere", "qz"),
    ("two letters, common", "er"),
    ("one letter, common", "e"),
)
# (label, arguments, target seconds)
COMMANDS: list[tuple[str, list[str], float]] = [
    # every command's floor: the interpreter and docket's start-up, no database read
    ("docket --version (start-up alone)", ["--version"], 0.15),
    # any list command with --limit 50 at 1M under 0.15 s
    ("action list --limit 50", ["action", "list", "--limit", "50"], 0.15),
    ("action list --overdue --limit 50", ["action", "list", "--overdue", "--limit", "50"], 0.15),
    ("milestone list --limit 50", ["milestone", "list", "--limit", "50"], 0.15),
    # no --limit: the meeting list shows a period (7 days), the risk list all risks (72)
    ("meeting list (7 days; it has no --limit)", ["meeting", "list"], 0.15),
    ("risk list (72 risks; it has no --limit)", ["risk", "list"], 0.15),
    ("today", ["today"], 0.3),
]
OVERDUE_TARGET_S = 3.0
OVERDUE_TARGET_MIB = 150


def _median_ms(run: Callable[[], object], runs: int) -> tuple[float, float, float]:
    """Median, least and most milliseconds of ``runs`` calls (one warm-up call first)."""
    run()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[0], times[-1]


def _verdict(value: float, target: float) -> str:
    return "ok" if value < target else "SLOW"


def keystrokes(db: Path) -> None:
    """The filter keystroke: the page the screen loads for what is typed, then its count,
    timed in this process as the app's database thread runs them."""
    from docket.models.core.context import Context
    from docket.models.core.database import open_database
    from docket.models.core.schema import database
    from docket.tui.screens.actions import count_matching, load_page

    open_database(db)
    ctx = Context(actor="bench")
    target_ms = KEYSTROKE_TARGET_S * 1000
    try:
        for what, typed in WORDS:
            page, low, high = _median_ms(
                partial(load_page, ctx, typed, None, "due", 0), KEYSTROKE_RUNS
            )
            label = f"filter keystroke, {what} ({typed!r})"
            print(
                f"{label:72} {page:7.1f} ms  median of {KEYSTROKE_RUNS} (min {low:.1f}, max "
                f"{high:.1f}; target < {target_ms:.0f} ms) {_verdict(page, target_ms)}"
            )
            counted, low, high = _median_ms(partial(count_matching, ctx, typed, None), RUNS)
            print(
                f"{'  then its count (shown after the rows)':72} {counted:7.1f} ms  median of "
                f"{RUNS} (min {low:.1f}, max {high:.1f})"
            )
    finally:
        database.close()


def measured(db: Path, args: list[str], out: Path) -> tuple[float, int]:
    """Run one docket command with its output to the file ``out``: wall seconds and the
    process's peak resident memory in bytes (from the kernel's own account, wait4)."""
    command = [sys.executable, "-m", "docket.tui", "--db", str(db), *args]
    with out.open("wb") as sink:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"docket {' '.join(args)} failed ({process.returncode})")
    return elapsed, usage.ru_maxrss * 1024  # Linux counts it in KiB


OVERDUE = "action list --overdue > FILE"


def overdue_to_file(db: Path, workdir: Path) -> float:
    """The whole overdue list (no limit) as a table in a file: time and peak memory."""
    out = workdir / "overdue.txt"
    measured(db, ["action", "list", "--overdue"], out)  # warm the page cache
    runs = [measured(db, ["action", "list", "--overdue"], out) for _ in range(3)]
    seconds = statistics.median(r[0] for r in runs)
    mib = max(r[1] for r in runs) / 2**20
    lines = sum(1 for _ in out.open("rb")) - 1
    label = f"{OVERDUE} ({lines:,} rows)"
    print(
        f"{label:72} {seconds:7.2f} s   median of 3, peak {mib:.0f} MiB (targets < "
        f"{OVERDUE_TARGET_S} s {_verdict(seconds, OVERDUE_TARGET_S)}, < {OVERDUE_TARGET_MIB} "
        f"MiB {_verdict(mib, OVERDUE_TARGET_MIB)})"
    )
    return seconds


def commands(db: Path) -> dict[str, float]:
    """The CLI figures, each a fresh process as a user runs it; medians by label."""
    found = {}
    for label, args, target in COMMANDS:
        docket(db, *args)
        times = sorted(docket(db, *args) for _ in range(RUNS))
        median = found[label] = statistics.median(times)
        print(
            f"{label:72} {median:7.3f} s   median of {RUNS} (min {times[0]:.3f}, max "
            f"{times[-1]:.3f}; target < {target} s) {_verdict(median, target)}"
        )
    return found


def taskwarrior(db: Path, workdir: Path, docket_figures: dict[str, float]) -> None:
    """The anchor: Taskwarrior holding the same action items (open ones pending, closed ones
    completed or deleted, with their due dates), timed on its list of 50 and its list of
    overdue tasks to a file, beside docket's. Skipped, with a line saying so, when not
    installed."""
    task = shutil.which("task")
    if task is None:
        print("Taskwarrior anchor: skipped: not installed (Debian package taskwarrior)")
        return
    data = workdir / "taskwarrior"
    if data.exists():
        shutil.rmtree(data)
    data.mkdir()
    rc = data / "taskrc"
    rc.write_text(f"data.location={data}\nconfirmation=off\nhooks=off\nverbose=nothing\n")
    env = {**os.environ, "TASKRC": str(rc), "TASKDATA": str(data)}
    tasks = data / "import.json"
    count = _export_for_taskwarrior(db, tasks)
    started = time.perf_counter()
    subprocess.run([task, "import", str(tasks)], env=env, check=True, stdout=subprocess.DEVNULL)
    print(f"{f'Taskwarrior: import {count:,} tasks':72} {time.perf_counter() - started:7.1f} s")
    for label, args in (
        ("action list --limit 50", ["limit:50", "list"]),
        (OVERDUE, ["+OVERDUE", "list"]),
    ):
        times = []
        for run in range(RUNS + 1):  # the first warms the page cache, as for docket
            with (workdir / "taskwarrior.txt").open("wb") as sink:
                started = time.perf_counter()
                subprocess.run([task, *args], env=env, check=True, stdout=sink)
                if run:
                    times.append(time.perf_counter() - started)
        anchor = statistics.median(times)
        ratio = docket_figures[label] / anchor
        shown = f"Taskwarrior: task {' '.join(args)} (beside docket's {label})"
        print(f"{shown:72} {anchor:7.3f} s   median of {RUNS}; docket / Taskwarrior {ratio:.3f}")


def _export_for_taskwarrior(db: Path, target: Path) -> int:
    """The action items as Taskwarrior's import JSON (one object a line); how many."""
    statuses = {"done": "completed", "cancelled": "deleted"}
    count = 0
    with sqlite3.connect(db) as conn, target.open("w") as out:
        rows = conn.execute('SELECT "title", "due", "status", "created_at" FROM "action_item"')
        for title, due, status, created in rows:
            task = {
                "description": title,
                "status": statuses.get(status, "pending"),
                "entry": created.replace("-", "").replace(":", "").replace(" ", "T") + "Z",
            }
            if status in statuses:
                task["end"] = task["entry"]
            if due:
                task["due"] = due.replace("-", "") + "T000000Z"
            out.write(json.dumps(task) + "\n")
            count += 1
    return count


def main(workdir: Path | None = None) -> int:
    """Build the xl demo and print every figure."""
    workdir = workdir or Path(
        os.environ.get("DOCKET_BENCH_DIR") or tempfile.mkdtemp(prefix="docket-bench-xl-")
    )
    db = workdir / "xl.db"
    if db.exists():
        db.unlink()
    print(f"xl demo (1,000,000 action items) into {db} ...", flush=True)
    build = docket(db, "demo", "--size", "xl", "--seed", "1")
    print(f"{'build xl demo':72} {build:7.1f} s   (target < 240 s) {_verdict(build, 240)}")
    keystrokes(db)
    figures = commands(db)
    figures[OVERDUE] = overdue_to_file(db, workdir)
    import launch_bench

    launch_bench.report(db, workdir, RUNS, "1M items")
    taskwarrior(db, workdir, figures)
    return 0
