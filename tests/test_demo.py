"""The demo office: the counts it promises, the same data for the same seed, and realism."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from docket.models import actions, milestones
from docket.models.context import Context
from docket.models.database import init_database
from docket.models.demo import build_demo
from docket.models.errors import DocketError
from docket.models.schema import ActionItem, Assignment, Milestone, OccurrenceChange, database

TODAY = date(2026, 11, 23)


def _rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    with sqlite3.connect(path) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: conn.execute(f'SELECT * FROM "{t}" ORDER BY 1').fetchall() for t in tables}


def _build(path: Path, ctx: Context, seed: int) -> dict[str, int]:
    init_database(path, actor=ctx.actor)
    counts = build_demo(ctx, size="small", seed=seed)
    database.close()
    return counts


def test_the_small_demo_has_what_it_promises(db_path: Path, ctx: Context) -> None:
    counts = build_demo(ctx, size="small", seed=1)
    assert {
        k: counts[k] for k in ("programs", "people", "action items", "milestones", "meetings")
    } == {
        "programs": 6,
        "people": 60,
        "action items": 400,
        "milestones": 40,
        "meetings": 40,
    }
    assert ActionItem.select().count() == 400


def test_the_same_seed_gives_the_same_office(tmp_path: Path, ctx: Context) -> None:
    _build(tmp_path / "a.db", ctx, 7)
    _build(tmp_path / "b.db", ctx, 7)
    _build(tmp_path / "c.db", ctx, 8)
    a, b, c = (_rows(tmp_path / f"{n}.db") for n in "abc")
    assert a == b
    assert a["action_item"] != c["action_item"]


def test_demo_refuses_a_database_with_data_and_writes_nothing(db_path: Path, ctx: Context) -> None:
    build_demo(ctx, size="small", seed=1)
    database.close()
    before = _rows(db_path)
    init_database(db_path, actor=ctx.actor)
    with pytest.raises(DocketError, match="demo needs an empty database"):
        build_demo(ctx, size="small", seed=2)
    database.close()
    assert _rows(db_path) == before


def test_the_demo_looks_like_a_working_office(db_path: Path, ctx: Context) -> None:
    build_demo(ctx, size="small", seed=1)
    assert ActionItem.select().where(actions.overdue_clause(TODAY)).count() > 10
    assert ActionItem.select().where(actions.due_soon_clause(TODAY)).count() > 10
    statuses = {milestones.status(m, TODAY) for m in Milestone.select()}
    assert statuses == {"done", "late", "at risk", "on track"}
    # the acting account has a person, and that person has open work
    from docket.models.today import person_for_account

    me = person_for_account(ctx.actor)
    assert me is not None
    assert ActionItem.select().where(ActionItem.owner == me, actions.is_open_clause()).count() > 0
    # someone is over-allocated on some day
    over = False
    for a in Assignment.select():
        total = sum(
            b.allocation
            for b in Assignment.select().where(
                Assignment.person == a.person,
                Assignment.start <= a.start,
                Assignment.end >= a.start,
            )
        )
        over = over or total > 100
    assert over
    # a moved or cancelled occurrence starts on the series' weekday, a whole number of weeks in
    for change in OccurrenceChange.select():
        meeting = change.meeting
        weeks = (change.original_start - meeting.start_utc).total_seconds() / (7 * 86400)
        assert abs(weeks - round(weeks)) < 0.01  # whole weeks (DST shifts by an hour at most)
