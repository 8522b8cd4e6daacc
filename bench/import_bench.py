"""How long a large CSV import takes, and how long it holds the write lock.

    .venv/bin/python bench/import_bench.py [ROWS]    (default 200,000 people)

Imports ROWS people into a fresh database, stamping the time (and this process's CPU time)
when its write transaction begins and ends (the write lock), while another process tries
to take the write lock every 20 ms without waiting and writes a row each time it can: the
longest it was kept out is what another user's ``action add`` would wait. Figures belong
here, never in a test that fails on a slow machine.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PROBE = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], timeout=0, isolation_level=None)
conn.execute("CREATE TABLE IF NOT EXISTS probe (at REAL)")
longest = refused_since = 0.0
writes = 0
stop = sys.argv[2]
import os
while not os.path.exists(stop):
    now = time.monotonic()
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO probe VALUES (?)", (now,))
        conn.execute("COMMIT")
        writes += 1
        if refused_since:
            longest = max(longest, now - refused_since)
            refused_since = 0.0
    except sqlite3.OperationalError:
        refused_since = refused_since or now
    time.sleep(0.02)
print(f"{writes} {longest:.3f}")
"""


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    os.environ.setdefault("DOCKET_CONFIG", os.devnull)
    from docket.exports.tabular import csv_import
    from docket.models.accounts.identity import current_account
    from docket.models.core.context import Context
    from docket.models.core.database import init_database, open_database, write

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "docket.db"
        actor = current_account()
        init_database(path, actor=actor)
        open_database(path)
        lines = ["name,email,organization,title,kind"]
        lines += [
            f"Person {i},person{i}@city.example,Dept {i % 40},Analyst,"
            f"{'contractor' if i % 3 else 'staff'}"
            for i in range(rows)
        ]
        data = "\n".join(lines) + "\n"
        # the write transaction, stamped from just before BEGIN IMMEDIATE to just after COMMIT
        stamps: list[tuple[float, float]] = []

        @contextmanager
        def stamped() -> Iterator[None]:
            stamps.append((time.perf_counter(), time.process_time()))
            with write():
                yield
            stamps.append((time.perf_counter(), time.process_time()))

        csv_import.write = stamped  # type: ignore[assignment]
        probe = subprocess.Popen(
            [sys.executable, "-c", PROBE, str(path), str(Path(tmp) / "stop")],
            stdout=subprocess.PIPE,
            text=True,
        )
        time.sleep(0.5)
        start = time.perf_counter()
        report = csv_import.import_csv(Context(actor=actor), "people", data)
        total = time.perf_counter() - start
        time.sleep(0.3)
        (Path(tmp) / "stop").touch()
        writes, longest = probe.communicate()[0].split()
        (begin, begin_cpu), (commit, commit_cpu) = stamps
        print(f"imported {report.imported:,} people of {report.rows:,} rows")
        print(f"total {total:.1f} s; checking before the lock {begin - start:.1f} s")
        print(
            f"write lock held {commit - begin:.2f} s (BEGIN IMMEDIATE to COMMIT), "
            f"{commit_cpu - begin_cpu:.2f} s of it this process's CPU time"
        )
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        print(f"another process wrote {writes} times meanwhile; kept out at most {longest} s")


if __name__ == "__main__":
    main()
