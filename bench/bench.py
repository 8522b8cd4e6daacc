"""`make bench`: the figures the issues name, measured on the large demo.

Builds the large demo once (timed), then runs each command several times as a user would
(a fresh process each time) and prints the median with the spread. Figures belong here,
never in a test that fails on a slow machine.
"""

from __future__ import annotations

import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = 7
# (label, arguments, target seconds)
COMMANDS: list[tuple[str, list[str], float]] = [
    (
        "action list --overdue --limit 50 --format json",
        ["action", "list", "--overdue", "--limit", "50", "--format", "json"],
        0.25,
    ),
    (
        "action add",
        [
            "action",
            "add",
            "Bench: send budget draft",
            "--due",
            "fri",
            "--program",
            "ERP",
            "--priority",
            "high",
        ],
        0.2,
    ),
    # issue 22's targets: today under 0.3 s (also at 1M items), digest --all under 0.3 s,
    # calendar -o under 0.5 s
    ("today", ["today"], 0.3),
    ("today --format json", ["today", "--format", "json"], 0.3),
    ("milestone list --status late", ["milestone", "list", "--status", "late"], 0.4),
    ("meeting list --days 30", ["meeting", "list", "--days", "30"], 0.3),
    ("allocation --months 12", ["allocation", "--months", "12"], 0.3),
    (
        "assignment list --overallocated",
        ["assignment", "list", "--overallocated"],
        0.3,
    ),
    ("digest of all programs (week, Markdown)", ["digest", "--all", "--format", "md"], 0.3),
    # the database rebuilt as it was from the audit log (models/audit/as_of.py), then the digest
    (
        "as-of digest one year back",
        ["digest", "--all", "--format", "md", "--as-of", "-1y"],
        3.0,
    ),
    (
        "as-of digest one week back",
        ["digest", "--all", "--format", "md", "--as-of", "-1w"],
        3.0,
    ),
    (
        "calendar of everything -o FILE.ics",
        # --force: each run replaces the file the run before wrote (by rename, never through it)
        [
            "calendar",
            "-o",
            str(Path(tempfile.gettempdir()) / "docket-bench-calendar.ics"),
            "--force",
        ],
        0.5,
    ),
    (
        "boardpack of all programs -o FILE.html",
        # every program's section and charts (matplotlib's SVG), replacing the last run's file
        [
            "boardpack",
            "-o",
            str(Path(tempfile.gettempdir()) / "docket-bench-boardpack.html"),
            "--force",
        ],
        3.0,
    ),
    # verifies SQLite's integrity, every row, the audit chain and every record against it
    ("check", ["check"], 30.0),
]


def docket(db: Path, *args: str) -> float:
    """Run one docket command in a fresh process; returns wall seconds."""
    command = [sys.executable, "-m", "docket.tui", "--db", str(db), *args]
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - started


def compile_sources() -> None:
    """Write docket's bytecode, as an install does: where PYTHONDONTWRITEBYTECODE is set (as
    on our CI machines), every run would otherwise compile docket from source again."""
    root = Path(__file__).resolve().parent.parent
    for package in ("tui", "models", "exports"):
        compileall.compile_dir(root / package, quiet=1)


def main() -> int:
    compile_sources()
    if "--xl" in sys.argv[1:]:
        # `make bench-xl`: the figures at a million action items (bench/xl_bench.py)
        import xl_bench

        return xl_bench.main()
    workdir = Path(os.environ.get("DOCKET_BENCH_DIR") or tempfile.mkdtemp(prefix="docket-bench-"))
    db = workdir / "large.db"
    if db.exists():
        db.unlink()
    print(f"large demo into {db} ...", flush=True)
    build = docket(db, "demo", "--size", "large", "--seed", "1")
    print(f"{'build large demo':48} {build:7.2f} s   (target < 60 s)")
    for label, args, target in COMMANDS:
        docket(db, *args)  # warm the page cache, as a user's second command would be
        times = sorted(docket(db, *args) for _ in range(RUNS))
        median = statistics.median(times)
        verdict = "ok" if median < target else "SLOW"
        print(
            f"{label:48} {median:7.3f} s   median of {RUNS} "
            f"(min {times[0]:.3f}, max {times[-1]:.3f}; target < {target} s) {verdict}"
        )
    import calcurse_bench

    # issue 22: the 30-day agenda beside calcurse's on the same meetings (ratio < 1)
    calcurse_bench.report(db, workdir, RUNS)
    from app_bench import report

    report(db, RUNS)
    import launch_bench

    # the launch again, beside a bare Textual app's in the same run (issue 22)
    launch_bench.report(db, workdir, RUNS, "large demo")
    import write_bench

    write_bench.report(db)
    import load_bench

    # issue 23: p50/p95/p99 of mixed writes, SQLite 8 x 200 and PostgreSQL 16 x 500 (the
    # latter on the server DOCKET_BENCH_POSTGRES names: a role that may create databases)
    load_bench.report(workdir, os.environ.get("DOCKET_BENCH_POSTGRES"))
    import selection_bench

    selection_bench.report(workdir, RUNS)
    import import_scale_bench

    # issue 22: import csv people (200,000 rows) and import ics (50 MB), one run each
    import_scale_bench.report(db, workdir)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
