"""The demo's past (models/demo/history.py): records created with earlier values and brought
to their present ones by dated, audited updates, so history and as-of reports have something
to show, while the rows and ``docket check`` stay exactly as they were."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from docket.models.core.context import Context
from docket.models.core.database import connect, init_database
from docket.models.core.fields import to_utc_text
from docket.models.core.schema import ActionItem, AuditEntry, Milestone, database
from docket.models.demo import builder, storage
from docket.models.demo.builder import build_demo
from docket.models.portfolio.changes_since import changes_since
from tests.conftest import ACTOR, NOW, ZONE


@pytest.fixture
def demo(demo_db: Path) -> Iterator[Path]:
    connect(demo_db)
    yield demo_db
    database.close()


def _trail(entity: str, record: int) -> list[tuple[str, str, dict[str, list[Any]], str]]:
    """A record's entries in chain order: at, action, changes, note."""
    query = (
        AuditEntry.select()
        .where(AuditEntry.entity == entity, AuditEntry.entity_id == record)
        .order_by(AuditEntry.id)
    )
    return [(to_utc_text(e.at), e.action, json.loads(e.changes), e.note) for e in query]


def test_the_demo_has_a_past_and_none_of_it_is_in_the_future(demo: Path) -> None:
    updated = {
        entity
        for (entity,) in AuditEntry.select(AuditEntry.entity)
        .where(AuditEntry.action == "update")
        .distinct()
        .tuples()
    }
    assert {
        "milestone", "program", "risk", "action_item", "budget_line", "change_request",
    } <= updated  # fmt: skip
    assert not AuditEntry.select().where(AuditEntry.at > NOW).exists()
    # each record's entries happen in the order the chain holds them
    backwards = database.execute_sql(
        'SELECT count(*) FROM "audit_entry" a JOIN "audit_entry" b ON a."entity" = b."entity"'
        ' AND a."entity_id" = b."entity_id" AND a."id" < b."id" AND a."at" > b."at"'
    ).fetchone()[0]
    assert backwards == 0


def test_forecasts_move_from_the_baseline_to_the_forecast_each_with_a_reason(demo: Path) -> None:
    moved = 0
    for m in Milestone.select().order_by(Milestone.id):
        trail = _trail("milestone", m.id)
        assert trail[0][1] == "create"
        forecast = trail[0][2]["forecast"][1]
        if m.forecast != m.baseline:
            assert forecast == m.baseline.isoformat()  # planned on the baseline
        for at, _, changes, note in trail[1:]:
            if "forecast" in changes:
                moved += 1
                assert note, f"milestone {m.id}: a forecast moved without a reason"
                assert changes["forecast"][0] == forecast
                forecast = changes["forecast"][1]
                # moved before the date it moved from passed, and to a date still ahead
                assert at[:10] < min(changes["forecast"]), (m.id, at, changes)
            if "actual" in changes:
                assert changes["actual"] == [None, m.actual.isoformat()]
                assert at[:10] <= (m.actual + timedelta(days=1)).isoformat()
        assert forecast == m.forecast.isoformat()
    assert moved >= 20


def test_done_actions_were_closed_at_their_closing_time(demo: Path) -> None:
    done = ActionItem.select().where(ActionItem.status.in_(("done", "cancelled")))
    assert done.count() > 100
    for item in done.limit(60):
        created, closed = _trail("action_item", item.id)
        assert created[2]["status"] == [None, "open"] and "closed_at" not in created[2]
        assert closed[0] == to_utc_text(item.closed_at) == closed[2]["closed_at"][1]
        assert closed[2]["status"] == ["open", item.status]


def test_programs_changed_colour_with_a_note_and_portfolios_followed(demo: Path) -> None:
    changes = [
        json.loads(e.changes)
        for e in AuditEntry.select().where(
            AuditEntry.entity == "program", AuditEntry.action == "update"
        )
    ]
    coloured = [c for c in changes if "rag" in c]
    assert coloured and all(c["rag"][0] != c["rag"][1] for c in coloured)
    assert all(c["rag_note"][1] and c["rag_note"][0] != c["rag_note"][1] for c in changes)
    assert any(c["rag_note"][1].startswith("Roll-up of") for c in changes)
    # a change of colour carries its note in the entry, as a program manager's does
    notes = [
        e.note
        for e in AuditEntry.select().where(
            AuditEntry.entity == "program",
            AuditEntry.action == "update",
            AuditEntry.changes.contains('"rag": '),
        )
    ]
    assert notes and all(notes)


def test_check_is_clean_and_history_shows_a_milestones_moves(demo_db: Path, cli: Any) -> None:
    checked = cli("check", db=demo_db)
    assert checked.status == 0, checked.out + checked.err
    assert ": ok (" in checked.out
    connect(demo_db)
    moved = (
        Milestone.select()
        .where(Milestone.actual.is_null(), Milestone.forecast > Milestone.baseline)
        .order_by(Milestone.id)
        .first()
    )
    database.close()
    shown = cli("history", "milestone", str(moved.id), db=demo_db)
    assert shown.status == 0, shown.err
    assert f"forecast: changed from {moved.baseline.isoformat()} to" in shown.out
    assert "update (" in shown.out  # the reason, beside the change
    assert "create (demo data)" in shown.out  # the oldest, last


def test_what_changed_in_the_last_quarter_of_the_demo(demo: Path) -> None:
    ctx = Context(actor=ACTOR, tz=ZONE, clock=lambda: NOW)
    found = changes_since(ctx, NOW.date() - timedelta(days=120))
    forecasts = [m for m in found["milestones"] if m["field"] == "forecast"]
    assert forecasts and all(m["reason"] for m in forecasts)
    assert found["risks_rescored"] or found["risks_closed"]
    assert any(b["from_amount"] is not None for b in found["budget"])
    assert found["decisions"] and found["spend_totals"]


def _rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every plain table but the audit log's (and the database's random id)."""
    conn = sqlite3.connect(path)
    try:
        tables = [
            name
            for name, sql in conn.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'table'"
            )
            if "VIRTUAL" not in sql and "WITHOUT ROWID" not in sql and name != "audit_entry"
        ]
        rows = {t: conn.execute(f'SELECT * FROM "{t}" ORDER BY rowid').fetchall() for t in tables}
        rows["docket_meta"] = [r for r in rows["docket_meta"] if r[0] != "database_id"]
        return rows
    finally:
        conn.close()


def _build(path: Path) -> None:
    init_database(path, actor=ACTOR)
    try:
        build_demo(Context(actor=ACTOR, tz=ZONE, clock=lambda: NOW), size="small", seed=3)
    finally:
        database.close()


def test_the_past_changes_no_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same office with and without its past: every row the same; only the log differs."""
    _build(tmp_path / "with.db")
    monkeypatch.setattr(
        builder, "audit_with_history", lambda office, seed: storage.audit_created(office.ctx.actor)
    )
    _build(tmp_path / "without.db")
    assert _rows(tmp_path / "with.db") == _rows(tmp_path / "without.db")
    counts = []
    for name in ("with.db", "without.db"):
        conn = sqlite3.connect(tmp_path / name)
        counts.append(conn.execute("SELECT count(*) FROM audit_entry").fetchone()[0])
        conn.close()
    assert counts[0] > counts[1]


def test_change_requests_were_decided_on_their_day(demo: Path) -> None:
    rows = database.execute_sql(
        'SELECT "id", "status", "decided_on" FROM "change_request" WHERE "decided_on" IS NOT NULL'
    ).fetchall()
    assert rows
    for cid, status, decided in rows:
        trail = _trail("change_request", cid)
        assert trail[0][2]["status"] == [None, "proposed"]
        assert trail[1][2]["decided_on"] == [None, decided]
        assert trail[-1][2]["status"][1] == status
        assert date.fromisoformat(trail[1][0][:10]) >= date.fromisoformat(decided)
