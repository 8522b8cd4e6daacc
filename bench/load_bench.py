"""Mixed writes from many processes at once, on SQLite and PostgreSQL (issue 23's load).

Each writer is a process of its own (its own connection, as one administrator's terminal)
making mixed writes through the domain functions the CLI and the app call: adding an
action item, renaming one of its own, marking one of its own done, and renaming one of four
shared items read at its version (where another writer may come between: a conflict is an
answer, any other error is not). Every write is timed from the call to its return, waiting
for the write lock included. tests/test_postgres_load.py checks that nothing was lost;
``make bench`` prints the latency percentiles (:func:`report`).
"""

from __future__ import annotations

import multiprocessing
import random
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ACTOR = "loader"
SHARED = 4  # items every writer renames: ids 1..SHARED, made before the writers start


@dataclass
class Outcome:
    """One writer's run: what its own items should now be, and how its writes went."""

    number: int
    items: dict[int, tuple[str, str]] = field(default_factory=dict)  # id: (title, status)
    shared_applied: int = 0
    conflicts: int = 0
    writes: int = 0
    errors: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)


def _bind(target: str) -> None:
    from docket.models.core.database import open_database
    from docket.models.core.schema import database

    database.initialize(None)  # forked: the parent's connection is not ours
    open_database(target if target.startswith("postgresql://") else Path(target))


def _write(out: Outcome, ctx: Any, rng: random.Random, i: int) -> None:
    """One mixed write, its result noted in ``out``."""
    from docket.models.actions import items as actions
    from docket.models.core.errors import ConflictError
    from docket.models.core.schema import ActionItem

    roll = rng.random()
    own_open = [k for k, (_, status) in out.items.items() if status == "open"]
    if roll < 0.4 or not own_open:
        item = actions.add_action(ctx, f"w{out.number}-{i} added")
        out.items[item.id] = (item.title, "open")
    elif roll < 0.7:
        target = rng.choice(sorted(out.items))
        title = f"w{out.number}-{i} renamed"
        actions.update_action(ctx, target, ActionItem.get_by_id(target).version, title=title)
        out.items[target] = (title, out.items[target][1])
    elif roll < 0.85:
        target = rng.choice(own_open)
        actions.update_action(ctx, target, ActionItem.get_by_id(target).version, status="done")
        out.items[target] = (out.items[target][0], "done")
    else:
        target = rng.randint(1, SHARED)
        version = ActionItem.get_by_id(target).version
        try:
            actions.update_action(ctx, target, version, title=f"w{out.number}-{i} shared")
            out.shared_applied += 1
        except ConflictError:
            out.conflicts += 1
            return
    out.writes += 1


def _writer(target: str, number: int, writes: int, ready: Any, results: Any) -> None:
    from docket.models.core.context import Context
    from docket.models.core.schema import database

    out = Outcome(number)
    try:
        _bind(target)
        ctx = Context(actor=f"{ACTOR}{number}")
        rng = random.Random(number)
        ready.wait()  # every writer connected: they start together
        for i in range(writes):
            began = time.perf_counter()
            _write(out, ctx, rng, i)
            out.latencies.append(time.perf_counter() - began)
    except Exception as exc:  # noqa: BLE001 - any failure is what the load looks for
        out.errors.append(repr(exc))
    finally:
        database.close()
    results.put(out)


def prepare(target: str | Path) -> None:
    """A new database at ``target`` with the shared items the writers rename."""
    from docket.models.actions import items as actions
    from docket.models.core.context import Context
    from docket.models.core.database import init_database
    from docket.models.core.schema import database

    init_database(target, actor=ACTOR)
    try:
        for n in range(SHARED):
            actions.add_action(Context(actor=ACTOR), f"shared item {n}")
    finally:
        database.close()


def run_load(target: str | Path, writers: int, writes: int) -> list[Outcome]:
    """``writers`` processes at once, each making ``writes`` mixed writes on ``target`` (made
    by :func:`prepare`); every writer's outcome, by number."""
    import docket.models.actions.items  # noqa: F401 (imported once, before the fork)

    fork = multiprocessing.get_context("fork")
    ready = fork.Barrier(writers)
    results = fork.Queue()
    procs = [
        fork.Process(target=_writer, args=(str(target), n, writes, ready, results))
        for n in range(writers)
    ]
    for p in procs:
        p.start()
    outcomes = [results.get(timeout=1800) for _ in procs]
    for p in procs:
        p.join()
    return sorted(outcomes, key=lambda o: o.number)


def percentiles(times: list[float]) -> tuple[float, float, float]:
    """p50, p95 and p99 of ``times`` (nearest rank)."""
    ordered = sorted(times)
    p50, p95, p99 = (ordered[max(0, round(q * len(ordered)) - 1)] for q in (0.50, 0.95, 0.99))
    return p50, p95, p99


def line(engine: str, writers: int, writes: int, outcomes: list[Outcome]) -> str:
    """One line of figures for a run."""
    times = [t for o in outcomes for t in o.latencies]
    p50, p95, p99 = percentiles(times)
    conflicts = sum(o.conflicts for o in outcomes)
    errors = sum(len(o.errors) for o in outcomes)
    label = f"write latency, {engine} {writers} x {writes}"
    return (
        f"{label:48} {p50 * 1000:7.1f} ms  p50 of {len(times)} writes (p95 {p95 * 1000:.1f} ms,"
        f" p99 {p99 * 1000:.1f} ms; {conflicts} conflicts, {errors} errors)"
    )


def _new_postgres_database(admin_url: str) -> tuple[str, str]:
    """A new, empty database (text in code-point order) on the server of ``admin_url`` (a
    role that may create databases): its name and URL."""
    import secrets
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    name = f"docket_load_{secrets.token_hex(4)}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C'")
    return name, urlunsplit(urlsplit(admin_url)._replace(path=f"/{name}"))


def report(workdir: Path, postgres_admin_url: str | None) -> None:
    """Print p50/p95/p99 write latency: SQLite 8 x 200, and PostgreSQL 16 x 500 in a database
    made (and dropped after) on the server of ``postgres_admin_url``, else say it was skipped."""
    db = workdir / "load.db"
    if db.exists():
        db.unlink()
    prepare(db)
    print(line("SQLite", 8, 200, run_load(db, 8, 200)), flush=True)
    if postgres_admin_url is None:
        print(f"{'write latency, PostgreSQL 16 x 500':48} skipped: set DOCKET_BENCH_POSTGRES")
        return
    import psycopg

    name, url = _new_postgres_database(postgres_admin_url)
    try:
        prepare(url)
        print(line("PostgreSQL", 16, 500, run_load(url, 16, 500)), flush=True)
    finally:
        with psycopg.connect(postgres_admin_url, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


if __name__ == "__main__":
    import os

    # DOCKET_BENCH_POSTGRES: a URL of a role that may create databases, for the PostgreSQL half
    report(Path(tempfile.mkdtemp(prefix="docket-load-")), os.environ.get("DOCKET_BENCH_POSTGRES"))
