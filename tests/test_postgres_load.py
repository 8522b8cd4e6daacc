"""Load: 16 writer processes x 500 mixed writes on PostgreSQL, 8 x 200 on SQLite.

Each writer adds action items, renames and closes its own, and renames shared ones read at
their version (bench/load_bench.py, which ``make bench`` also runs for the latency figures).
Nothing may be lost (every writer's own items exactly as it left them, the counts adding
up, one audit entry per write), no error may escape, and ``docket check`` passes after.
No timing is asserted: the percentiles are printed (``-s`` shows them).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from test_postgres import ok

from docket.models.core.database import open_database
from docket.models.core.schema import ActionItem, AuditEntry, database

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import load_bench  # from bench/, beside the other benchmarks

pytestmark = pytest.mark.slow


def _nothing_lost(target: Path | str, writers: int, writes: int) -> None:
    load_bench.prepare(target)
    open_database(target)
    try:
        audit_before = AuditEntry.select().count()
    finally:
        database.close()
    outcomes = load_bench.run_load(target, writers, writes)
    engine = "PostgreSQL" if isinstance(target, str) else "SQLite"
    print(load_bench.line(engine, writers, writes, outcomes))
    assert [e for o in outcomes for e in o.errors] == []
    assert [len(o.latencies) for o in outcomes] == [writes] * writers
    open_database(target)
    try:
        for o in outcomes:
            rows = ActionItem.select().where(ActionItem.id.in_(list(o.items)))
            assert {r.id: (r.title, r.status) for r in rows} == o.items, o.number
        mine = sum(len(o.items) for o in outcomes)
        assert ActionItem.select().count() == load_bench.SHARED + mine
        # every write that was applied, and only those, wrote its audit entry
        applied = sum(o.writes for o in outcomes)
        assert AuditEntry.select().count() == audit_before + applied
        assert applied + sum(o.conflicts for o in outcomes) == writers * writes
    finally:
        database.close()
    assert "ok (schema version" in ok(target, "check")


def test_16_writers_x_500_on_postgresql_lose_nothing(pg_url: str) -> None:
    _nothing_lost(pg_url, 16, 500)


def test_8_writers_x_200_on_sqlite_lose_nothing(tmp_path: Path) -> None:
    _nothing_lost(tmp_path / "load.db", 8, 200)
