"""The indexes of schema version 9 are the ones SQLite uses (issue 22): Today's evidence
counts the overdue high and urgent items through the partial index of open pressing items,
the digest counts the items opened in its period from the index on their creation (of all
programs, or of some) and those a program closed from its index on their closing, and the
report stamp finds the last audit entry from the index on its time. Checked by SQLite's own
plan (EXPLAIN QUERY PLAN) of the statements the models run, with their parameters:
deterministic, whatever the machine's speed (the plan does not depend on the number of
rows, as docket never runs ANALYZE).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from conftest import ACTOR, NOW, ZONE

from docket.models.audit.stamp import last_entry
from docket.models.comms.digest import build_digest
from docket.models.core.context import Context
from docket.models.core.database import open_database
from docket.models.core.schema import database
from docket.models.overview.today import build_today
from docket.models.portfolio.evidence import derived_status, derived_statuses

CTX = Context(actor=ACTOR, tz=ZONE, clock=lambda: NOW)


@contextmanager
def executed(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, Any]]]:
    """The SQL (with its parameters) the models run while the block runs."""
    seen: list[tuple[str, Any]] = []
    real = database.obj
    run = real.execute_sql

    def recording(sql: str, params: Any = None, *args: Any, **kwargs: Any) -> Any:
        seen.append((sql, params))
        return run(sql, params, *args, **kwargs)

    monkeypatch.setattr(real, "execute_sql", recording)
    try:
        yield seen
    finally:
        monkeypatch.undo()


def plan(sql: str, params: Any) -> str:
    """SQLite's plan of a statement, its lines joined by " | "."""
    rows = database.execute_sql(f"EXPLAIN QUERY PLAN {sql}", params or ()).fetchall()
    return " | ".join(str(r[-1]) for r in rows)


def plans(
    monkeypatch: pytest.MonkeyPatch, call: Callable[[], object], wanted: Callable[[str], bool]
) -> list[str]:
    """The plans of the statements ``call`` runs whose SQL ``wanted`` picks."""
    with executed(monkeypatch) as seen:
        call()
    return [plan(sql, params) for sql, params in seen if wanted(sql)]


def _pressing_count(sql: str) -> bool:
    return '"priority" IN (' in sql and "COUNT(" in sql and "GROUP BY" in sql


@pytest.fixture
def office(demo_db: Path) -> Iterator[Path]:
    open_database(demo_db)
    yield demo_db
    database.close()


@pytest.mark.parametrize(
    "call",
    [
        lambda: build_today(CTX),
        lambda: build_today(CTX, program="ERP"),
        lambda: derived_statuses(NOW.date()),
        lambda: derived_status("ERP", NOW.date()),
    ],
    ids=["today", "today of a program", "every program's evidence", "one program's evidence"],
)
def test_the_evidence_counts_pressing_overdue_items_from_their_partial_index(
    office: Path, monkeypatch: pytest.MonkeyPatch, call: Callable[[], object]
) -> None:
    found = plans(monkeypatch, call, _pressing_count)
    assert found, "the evidence's count of overdue high and urgent items was not run"
    for shown in found:
        # only the open high and urgent items are visited, never every open overdue one
        assert "USING INDEX action_item_pressing_open" in shown, shown


def _opened(sql: str) -> bool:
    return '"created_at" BETWEEN' in sql and '"action_item"' in sql


def test_the_digest_counts_items_opened_from_the_index_on_their_creation(
    office: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = plans(monkeypatch, lambda: build_digest(CTX), _opened)
    assert found
    for shown in found:
        assert "USING COVERING INDEX action_item_created_at (created_at>? AND" in shown, shown


def _closed(sql: str) -> bool:
    return '"closed_at" BETWEEN' in sql and '"action_item"' in sql


def test_a_programs_digest_counts_items_opened_and_closed_from_its_programs_indexes(
    office: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = plans(monkeypatch, lambda: build_digest(CTX, program="ERP"), _opened)
    assert found
    for shown in found:
        assert "USING COVERING INDEX action_item_program_id_created_at" in shown, shown
    found = plans(monkeypatch, lambda: build_digest(CTX, program="ERP"), _closed)
    assert found
    for shown in found:
        assert "USING COVERING INDEX action_item_program_id_closed_at" in shown, shown


def test_the_report_stamp_reads_the_last_audit_entry_from_the_index_on_time(
    office: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # one step down the key for the head, one down the index by time for the latest change:
    # never a walk of the whole log (two aggregates in one SELECT would be)
    found = plans(monkeypatch, last_entry, lambda sql: '"audit_entry"' in sql)
    assert found == [
        "SCAN CONSTANT ROW | SCALAR SUBQUERY 1 | SEARCH audit_entry | SCALAR SUBQUERY 2 | "
        "SEARCH audit_entry USING COVERING INDEX audit_entry_at"
    ]
