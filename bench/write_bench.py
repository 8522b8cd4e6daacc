"""Write latency with 8 administrators writing at once, for ``make bench``.

Eight processes (each its own connection, as eight terminals on a shared host) start
together and each make 100 writes, 0-20 ms apart, alternating adding an action item and
renaming it: every write is one ``BEGIN IMMEDIATE`` transaction with its version check
and audit entry, so they queue on SQLite's write lock. Each write is timed from the call
to its return, waiting for the lock included.
"""

from __future__ import annotations

import multiprocessing
import random
import statistics
import time
from pathlib import Path
from typing import Any

WRITERS = 8
WRITES = 100
# between one writer's writes: 0-20 ms, so eight of them offer ~800 writes a second, far
# more than an office makes, yet each write still meets others' locks
MAX_PAUSE_S = 0.02
TARGET_P95_S = 0.05


def _writer(path: str, number: int, ready: Any, results: Any) -> None:
    from docket.models.actions import items as actions
    from docket.models.core.context import Context
    from docket.models.core.database import connect
    from docket.models.core.schema import database

    database.initialize(None)
    connect(Path(path))
    ctx = Context(actor=f"bench{number}")
    actions.get_action(1)  # the connection has read the schema, as an open app's has
    latencies: list[float] = []
    item: Any = None
    pause = random.Random(number)
    ready.wait()  # every writer connected: they start together
    for i in range(WRITES):
        time.sleep(pause.uniform(0, MAX_PAUSE_S))
        began = time.perf_counter()
        if item is None or i % 2 == 0:
            item = actions.add_action(ctx, f"Bench writer {number}: item {i}", program="ERP")
        else:
            item = actions.update_action(ctx, item.id, item.version, title=f"Renamed {i}")
        latencies.append(time.perf_counter() - began)
    database.close()
    results.put(latencies)


def write_latencies(db: Path) -> list[float]:
    """Every write's seconds, from 8 writers at once on ``db``."""
    # imported once here, so the writers (forked) do not spend their first write importing
    import docket.models.actions.items  # noqa: F401

    fork = multiprocessing.get_context("fork")
    ready = fork.Barrier(WRITERS)
    results = fork.Queue()
    workers = [
        fork.Process(target=_writer, args=(str(db), n, ready, results)) for n in range(WRITERS)
    ]
    for w in workers:
        w.start()
    latencies = [t for _ in workers for t in results.get(timeout=300)]
    for w in workers:
        w.join()
    return latencies


def report(db: Path) -> None:
    """Print the median and 95th percentile of the writes' latency."""
    times = sorted(write_latencies(db))
    median = statistics.median(times)
    p95 = times[int(len(times) * 0.95) - 1]
    print(
        f"{'write latency, 8 writers at once':48} {median * 1000:7.1f} ms  median of "
        f"{len(times)} writes (p95 {p95 * 1000:.1f} ms, max {times[-1] * 1000:.1f} ms; "
        f"target p95 < {TARGET_P95_S * 1000:.0f} ms) {'ok' if p95 < TARGET_P95_S else 'SLOW'}"
    )
